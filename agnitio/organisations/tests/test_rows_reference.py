"""What is written in Python is what the code or template it replaced wrote (kept here as the reference), in lv
and en, for admins and others."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

import pytest
from django.utils import timezone, translation
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from agnitio.core.models import AuditEvent
from agnitio.core.rows import Dates, html, html_join
from agnitio.organisations.forms import object_type_label
from agnitio.organisations.rows import _EVENT_ROW, event_rows


def reference_event_rows(events: Iterable[AuditEvent]) -> SafeString:
    """organisations.rows.event_rows before it wrote its rows with one format each (every value through
    core.rows.html)."""
    actions = {value: str(label) for value, label in AuditEvent.Action.choices}
    history_of = _("History of this object")
    times = Dates("DATETIME_FORMAT")
    types: dict[str, str] = {}

    def type_label(object_type: str) -> str:
        if object_type not in types:
            types[object_type] = object_type_label(object_type)
        return types[object_type]

    def shown(value) -> object:
        return "—" if value is None else localize(value)

    def changes(event: AuditEvent) -> SafeString | str:
        if not event.changes:
            return ""
        return html('<ul class="changes">{}</ul>', html_join(
            "", "<li><code>{}</code>: {} → {}</li>",
            ((field, shown(pair[0]), shown(pair[1])) for field, pair in event.changes.items())))

    def row(e: AuditEvent) -> dict:
        return {"time": times(e.created_at), "actor": e.actor_label, "action": actions.get(e.action, e.action),
                "verb": html('<br><span class="muted">{}</span>', e.verb) if e.verb else "",
                "object": e.object_repr, "type_query": quote(e.object_type),
                "id_query": quote(e.object_id), "history_of": history_of, "type": type_label(e.object_type),
                "id": e.object_id, "changes": changes(e)}

    return html_join("\n", _EVENT_ROW, (row(e) for e in events))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["lv", "en"])
def test_event_rows_are_the_reference_rows(language, owner, organisation):
    changes = [{}, {"share": [1.5, None], "name": ["<x>", "y & z"]}, {"n": [1234567, 2]}, {"<b>": [True, [1, "<a>"]]},
               {"when": ["2026-01-02", {"k": "'\""}]}]
    now = timezone.now()
    for i in range(40):
        event = AuditEvent.objects.create(
            organisation=organisation, actor=owner if i % 3 else None, actor_label=["", "<i>A</i> & 'B'", "x"][i % 3],
            action=["update", "create", "grant", "nonsense<>", "other"][i % 5],
            verb="<b>verb</b>" if i % 4 == 0 else "",
            object_type=["organisations.Signatory", "gone.Model", "bad label &", "organisations.Organisation"][i % 4],
            object_id=["a&b c", "ü/ä?x=1#", "<s>", "42"][i % 4], object_repr=f"<s>Repr</s> {i} \"q\"",
            changes=changes[i % len(changes)])
        AuditEvent.objects.filter(pk=event.pk).update(created_at=now - datetime.timedelta(seconds=37 * i))
    events = list(AuditEvent.objects.filter(organisation=organisation).order_by("-created_at", "-id"))
    with translation.override(language):
        assert str(event_rows(events)) == str(reference_event_rows(events))
        assert event_rows([]) == reference_event_rows([]) == mark_safe("")  # noqa: S308


# organisations/_tabs.html before the tabs were written by `{% organisation_tabs %}`.
REFERENCE_TABS = (Path(__file__).parent / "reference_tabs.html").read_text()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["lv", "en"])
def test_organisation_tabs_are_the_reference_templates(language, organisation):
    from django.template import engines

    engine = engines["django"]
    reference = engine.from_string(REFERENCE_TABS)
    for tab in ("overview", "members", "signatories", "signatures", "history", "elsewhere"):
        for is_admin in (True, False, None):
            context = {"organisation": organisation, "is_admin": is_admin, "tab": tab}
            if is_admin is None:
                del context["is_admin"]
            with translation.override(language):
                fast = engine.from_string("{% load organisations %}" + '{% organisation_tabs "' + tab + '" %}')
                assert fast.render(context) == reference.render(context), (tab, is_admin)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["lv", "en"])
def test_form_fields_are_the_fields_template(language, owner, admin, organisation):
    from django import forms
    from django.template import engines

    from agnitio.organisations.forms import AuditFilterForm

    AuditEvent.objects.create(organisation=organisation, actor=admin, actor_label="<a> & b", action="update",
                              object_type="organisations.Signatory", object_id="1")
    engine = engines["django"]
    fast = engine.from_string("<form>{% load organisations %}{% form_fields form %}</form>")
    reference = engine.from_string('<form>{% include "organisations/_fields.html" %}</form>')
    choices = {"object_types": ["organisations.Signatory", "gone.Model<b>"],
               "people": [(admin.public_id, "<a> & b"), ("x", "Ā")]}

    class WithHidden(AuditFilterForm):
        secret = forms.CharField(widget=forms.HiddenInput, required=False)

        def clean(self):
            if self.cleaned_data.get("object_id") == "whole":
                raise forms.ValidationError("<b>the whole form</b>")
            return self.cleaned_data

    with translation.override(language):
        for data in (None, {}, {"object_type": "gone.Model<b>", "object_id": " a&b ", "person": admin.public_id},
                     {"object_type": "nope", "object_id": "x" * 80}, {"object_id": "whole", "secret": "s\"<"}):
            for form_class in (AuditFilterForm, WithHidden):
                form = form_class(data, **choices)
                if data is not None:
                    form.is_valid()
                assert fast.render({"form": form}) == reference.render({"form": form}), (data, form_class)
