"""No silent lost updates (issue 8, point 8): an edit carries the version of the row it started from.

The version is the row's ``updated_at`` (``BaseModel``; every save through a service changes it), as an opaque
string. HTML edit forms carry it in a hidden ``version`` field (``add_version_field``) together with a short digest
of each field's value as shown; the view saves through ``versioned_save``, which locks the row and compares. When
the row is newer, the fields someone else changed since the form was shown (digest differs) and that the
submission would set to another value are a conflict: nothing is saved and the page shows, field by field, what
you entered and what is saved now (and who saved it last), with the hidden version moved on so that saving again
deliberately replaces theirs with yours. A change meanwhile to fields the form does not show (a status, an
invitation sent), or to the same value, is no conflict.
JSON API updates send ``If-Match: "<version>"`` (the ``ETag`` of the object's GET/PATCH answer, see ``set_etag``);
any newer row gets 409 with code ``conflict`` (plain HTTP semantics). Without ``If-Match`` an API update is applied
as before, and so is an HTML POST without a version (a script).
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import hashlib
import json
from collections.abc import Callable, Iterator
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import ApplicationError

VERSION_FIELD = "version"


def version_of(instance: models.Model) -> str:
    stamp = getattr(instance, "updated_at", None)
    return stamp.astimezone(datetime.UTC).isoformat() if stamp else ""


class EditConflict(ApplicationError):
    """The row changed since the editor's version. `differences`: [{"name", "label", "yours", "theirs"}]."""

    status = 409

    def __init__(self, *, current: models.Model, differences: list[dict] | None = None):
        super().__init__(gettext_lazy(
            "Someone else saved changes here after you opened this page, so nothing of yours was saved yet. "
            "Compare the two versions below; to replace theirs with yours, save again."), code="conflict")
        self.current = current
        self.version = version_of(current)
        self.differences = differences or []
        self.changed_by = _last_editor(current)


def _last_editor(instance: models.Model) -> str:
    from .models import AuditEvent

    event = (AuditEvent.objects.filter(object_type=instance._meta.label,
                                       object_id=str(getattr(instance, "public_id", None) or instance.pk))
             .only("actor_label").first())
    return event.actor_label if event else ""


def _display(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, FieldFile):
        return value.name or "—"
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, models.Manager):
        value = value.all()
    if isinstance(value, list | tuple | set | models.QuerySet):
        items = sorted(_display(v) for v in value)
        return ", ".join(items) if items else "—"
    name = getattr(value, "name", None)  # countries
    if isinstance(name, str) and not isinstance(value, models.Model):
        return name
    return str(value)


def _normal(field, value: Any) -> Any:
    """The value as the model field holds it (a country code, not a Country; a date, not a string)."""
    if isinstance(field, models.Field) and not field.is_relation and not isinstance(value, FieldFile):
        with contextlib.suppress(Exception):
            return field.to_python(value)
    return value


def differences(*, current: models.Model, data: dict, labels: dict | None = None) -> list[dict]:
    """The submitted fields whose value differs from the row as it is saved now."""
    labels = labels or {}
    result = []
    for name, yours in data.items():
        if name == VERSION_FIELD or yours is None and name.endswith("_upload"):
            continue
        try:
            field = current._meta.get_field(name)
        except FieldDoesNotExist:  # a form-only field: nothing saved to compare with
            continue
        theirs = getattr(current, name)
        yours, theirs = _normal(field, yours), _normal(field, theirs)
        if isinstance(field, models.Field) and field.choices and not field.many_to_many:
            choices = {str(k): v for k, v in field.flatchoices}
            shown_yours = str(choices.get(str(yours), _display(yours)))
            shown_theirs = str(choices.get(str(theirs), _display(theirs)))
        else:
            shown_yours, shown_theirs = _display(yours), _display(theirs)
        if shown_yours != shown_theirs:
            label = labels.get(name) or getattr(field, "verbose_name", name)
            result.append({"name": name, "label": str(label), "yours": shown_yours, "theirs": shown_theirs})
    return result


def _digest(field, value: Any) -> str:
    return hashlib.sha256(_display(_normal(field, value)).encode()).hexdigest()[:10]


def shown_digests(instance: models.Model, names) -> dict[str, str]:
    """A short digest of each model field's value as the form shows it (to tell later who changed what)."""
    result = {}
    for name in names:
        try:
            field = instance._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        result[name] = _digest(field, getattr(instance, name))
    return result


@contextlib.contextmanager
def expected_version(instance: models.Model, version: str | None, *, data: dict | None = None,
                     seen: dict[str, str] | None = None, labels: dict | None = None) -> Iterator[models.Model]:
    """A transaction in which the row is locked and still at `version` (None: not checked); else EditConflict.

    With `seen` (the digests of the values the editor was shown), a newer row is a conflict only in the fields
    changed since then that `data` would set to another value than the saved one. Without it, any newer row is."""
    with transaction.atomic():
        current = instance._meta.model._default_manager.select_for_update().get(pk=instance.pk)  # also request.user
        if version is not None and version != version_of(current):
            found = differences(current=current, data=data or {}, labels=labels)
            if seen is None:
                raise EditConflict(current=current, differences=found)
            changed = {name for name, digest in seen.items()
                       if _digest(current._meta.get_field(name), getattr(current, name)) != digest}
            found = [item for item in found if item["name"] in changed]
            if found:
                raise EditConflict(current=current, differences=found)
        yield current


# --- HTML forms ------------------------------------------------------------------------------------------------

def _form_token(instance: models.Model, names) -> str:
    digests = json.dumps(shown_digests(instance, names), separators=(",", ":"), sort_keys=True)
    return f"{version_of(instance)}~{base64.urlsafe_b64encode(digests.encode()).decode()}"


def _parse_form_token(token: str | None) -> tuple[str | None, dict[str, str] | None]:
    if not token:
        return None, None
    version, _sep, encoded = token.partition("~")
    try:
        seen = json.loads(base64.urlsafe_b64decode(encoded.encode()).decode()) if encoded else None
    except ValueError:
        seen = None
    if not isinstance(seen, dict) or not all(isinstance(v, str) for v in seen.values()):
        seen = None  # a damaged token: any newer row is a conflict
    return version, seen


def add_version_field(form: forms.BaseForm, instance: models.Model | None) -> None:
    """Give an edit form of an existing row the hidden version (and digests of the values) it was shown with."""
    if instance is None or instance.pk is None:
        return
    form.fields[VERSION_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False, max_length=4000)
    form.initial[VERSION_FIELD] = _form_token(instance, [n for n in form.fields if n != VERSION_FIELD])


def versioned_save(*, form: forms.BaseForm, instance: models.Model | None, save: Callable[[], Any]) -> bool:
    """Run `save()` (which calls the service) only if the row is unchanged since the form was shown.

    On a conflict nothing is saved; `form.conflict` holds the differences for `core/_edit_conflict.html` (included
    by the forms' field templates), the form gets a non-field error (so the browser draft is kept) and carries
    the current version, so that saving again replaces the other person's change knowingly. Returns True if saved.
    """
    version, seen = _parse_form_token(form.cleaned_data.pop(VERSION_FIELD, None))  # none (a script): not checked
    if instance is None or instance.pk is None:
        save()
        return True
    labels = {name: field.label for name, field in form.fields.items() if field.label}
    try:
        with expected_version(instance, version, data=dict(form.cleaned_data), seen=seen, labels=labels):
            save()
    except EditConflict as conflict:
        form.conflict = conflict
        form.add_error(None, conflict.message)
        form.data = form.data.copy()
        form.data[form.add_prefix(VERSION_FIELD)] = _form_token(
            conflict.current, [n for n in form.fields if n != VERSION_FIELD])
        return False
    return True


# --- pages whose fields are several rows' texts (a learner's outcomes: one row per competence and language) -----

def values_token(values: dict[str, Any]) -> str:
    """The hidden version of such a page: a digest of each named value as shown (the same token format)."""
    digests = json.dumps({name: _digest(None, value) for name, value in values.items()}, separators=(",", ":"),
                         sort_keys=True)
    return f"~{base64.urlsafe_b64encode(digests.encode()).decode()}"


def check_values(token: str | None, *, current: models.Model, saved: dict[str, Any], data: dict[str, Any],
                 labels: dict | None = None) -> None:
    """EditConflict when a submitted value differs from the saved one and that one changed since the page showed it.

    `current`: the row the caller holds locked (for who changed it last); `saved`: name → value saved now (absent:
    empty); `data`: name → value submitted. No token (a script): not checked; a damaged one: every difference.
    The conflict's `version` is the token of the saved values compared, for the page to carry so that saving
    again replaces them knowingly."""
    version, seen = _parse_form_token(token)
    if version is None:
        return
    labels = labels or {}
    found = []
    for name, yours in data.items():
        theirs = saved.get(name, "")
        shown_yours, shown_theirs = _display(yours), _display(theirs)
        if shown_yours == shown_theirs or seen is not None and seen.get(name) == _digest(None, theirs):
            continue
        found.append({"name": name, "label": str(labels.get(name, name)), "yours": shown_yours,
                      "theirs": shown_theirs})
    if found:
        conflict = EditConflict(current=current, differences=found)
        conflict.version = values_token({name: saved.get(name, "") for name in data})
        raise conflict


# --- JSON API --------------------------------------------------------------------------------------------------

def if_match_version(request) -> str | None:
    """The version an API client sent in If-Match (None when it sent none, or `*`)."""
    header = (request.headers.get("If-Match") or "").strip()
    if not header or header == "*":
        return None
    if header.startswith("W/"):
        header = header[2:]
    return header.strip('"')


def check_if_match(request, instance: models.Model, *, data: dict | None = None):
    """For an API update: a transaction with the row locked, raising EditConflict (409) on a stale If-Match."""
    return expected_version(instance, if_match_version(request), data=data, seen=None)


def set_etag(response, instance: models.Model) -> None:
    response["ETag"] = f'"{version_of(instance)}"'
