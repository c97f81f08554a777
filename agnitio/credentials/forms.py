from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache

from django import forms
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from agnitio.core.validators import JSON_BODY_MAX_BYTES, TextPolicyFormMixin

MAX_UPLOAD = 10 * 1024 * 1024


class CodeForm(TextPolicyFormMixin, forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=40,
                           help_text=_("As printed on the document or under its QR code, e.g. 7K3M-Q9TZ-2HWA-XR4F."))


class FileVerifyForm(TextPolicyFormMixin, forms.Form):
    file = forms.FileField(label=_("PDF or credential file (.pdf, .json)"), required=False)
    credential_json = forms.CharField(label=_("…or paste the credential JSON"), required=False,
                                      max_length=JSON_BODY_MAX_BYTES, widget=forms.Textarea(attrs={"rows": 6}))

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None and upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 10 MB; upload the document as issued."))
        if upload is None and not (data.get("credential_json") or "").strip():
            raise forms.ValidationError(_("Choose a PDF or credential file, or paste the credential JSON."))
        return data


@dataclass(frozen=True)
class VerifyForms:
    """What the page shows of its forms: the code typed (or from the address), whether the code form was refused
    and the code's errors, the file form's errors (not of one field) and the JSON pasted."""

    code: str = ""
    code_refused: bool = False
    code_errors: tuple[str, ...] = ()
    file_errors: tuple[str, ...] = ()
    credential_json: str = ""

    @classmethod
    def of(cls, *, code_form=None, file_form=None) -> VerifyForms:
        """The state of the Django forms a request was checked with (CodeForm, FileVerifyForm), as the template
        read them: `code_form.errors`, `code_form.code.errors`, `code_form.code.value`,
        `file_form.non_field_errors`, `file_form.credential_json.value` (None shown as "")."""
        state = {}
        if code_form is not None:
            value = code_form["code"].value()
            state.update(code="" if value is None else value, code_refused=bool(code_form.errors),
                         code_errors=tuple(code_form["code"].errors))
        if file_form is not None:
            value = file_form["credential_json"].value()
            state.update(file_errors=tuple(file_form.non_field_errors()),
                         credential_json="" if value is None else value)
        return cls(**state)


class RevokeForm(TextPolicyFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for revoking (shown on the verification page)"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class ShareForm(TextPolicyFormMixin, forms.Form):
    expires_on = forms.DateField(label=_("Link works until (inclusive)"),
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].initial = timezone.localdate() + datetime.timedelta(days=30)


class StoreForm(TextPolicyFormMixin, forms.Form):
    file = forms.FileField(label=_("Credential file (.json) from another issuer"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


def store_form_html() -> str:
    """`StoreForm().as_p()`: the wallet page's upload form, unbound on every visit (a refused upload is told by a
    message after a redirect), so its HTML depends only on the language and the form renderer: rendered once per
    process and language (building the form and rendering its field through the renderer's templates cost more
    than the rest of an empty wallet's page)."""
    if settings.DEBUG:
        return StoreForm().as_p()
    return _store_form_html(get_language())


@lru_cache(maxsize=16)
def _store_form_html(language: str | None) -> str:
    return StoreForm().as_p()


_STATE_CHOICES = [("", _("any")), ("valid", _("valid")), ("expired", _("expired")), ("revoked", _("revoked")),
                  ("superseded", _("superseded"))]


class _ListSearchForm(TextPolicyFormMixin, forms.Form):
    """A GET search form of a list page. `filters()` gives what was entered correctly (a field with an error is
    shown with it and not applied), as `selectors.CredentialFilters`."""

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    state = forms.ChoiceField(label=_("Status"), required=False, choices=_STATE_CHOICES)

    def __init__(self, *args, **kwargs):
        from .models import CredentialKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("any")), *CredentialKind.choices]
        for field in self.fields.values():
            field.widget.attrs.setdefault("data-no-draft", "")

    def filters(self):
        from .selectors import CredentialFilters

        if not self.is_bound:
            return CredentialFilters()
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return CredentialFilters(
            text=data.get("q") or "", kind=data.get("kind") or "", state=data.get("state") or "",
            project_id=self._project_id(data.get("project")),
            issued_from=data.get("issued_from"), issued_to=data.get("issued_to"))

    def _project_id(self, value):
        return None

    def _unbound_kwargs(self) -> dict:
        """What an unbound form of this class is made of besides its class (list_search_html's key)."""
        return {}

    @property
    def active(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)


class IssuedSearchForm(_ListSearchForm):
    q = forms.CharField(label=_("Holder's name, verification code or number"), required=False, max_length=100)
    project = forms.ChoiceField(label=_("Project"), required=False)
    issued_from = forms.DateField(label=_("Issued from"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    issued_to = forms.DateField(label=_("Issued until (inclusive)"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    field_order = ["q", "project", "issued_from", "issued_to", "kind", "state"]

    def __init__(self, *args, projects=(), **kwargs):
        """`projects`: (pk, public_id, title) of the projects the actor may open (selectors.issued_project_choices);
        the form names them by public id."""
        super().__init__(*args, **kwargs)
        self._projects = tuple(projects)
        self._project_pks = {public_id: pk for pk, public_id, _title in projects}
        self.fields["project"].choices = [("", _("any")), *((public_id, title) for _pk, public_id, title in projects)]

    def clean(self):
        data = super().clean()
        start, end = data.get("issued_from"), data.get("issued_to")
        if start and end and start > end:
            self.add_error("issued_to", _("The end of the period is before its start."))
        return data

    def _project_id(self, value):
        return self._project_pks.get(value) if value else None

    def _unbound_kwargs(self) -> dict:
        return {"projects": self._projects}

    @classmethod
    def unbound(cls, *, projects=()) -> UnboundSearch:
        """`cls(None, projects=projects)` for a list opened without a query, not made (UnboundSearch)."""
        return UnboundSearch(cls, (("projects", tuple(projects)),))


class WalletSearchForm(_ListSearchForm):
    q = forms.CharField(label=_("Document, issuer or verification code"), required=False, max_length=100)
    field_order = ["q", "kind", "state"]


SEARCH_TEMPLATE = "credentials/_list_search.html"


@dataclass(frozen=True)
class UnboundSearch:
    """An unbound search form of a list (a page opened without a query), not made: all that its page reads of one
    — no filters, not `active`, and its HTML, which list_search_html takes from its cache (the form's fields cost
    more to make than the rest of the list's page) or renders from `form()`."""

    form_class: type[_ListSearchForm]
    kwargs: tuple = ()  # the form's `_unbound_kwargs()`, as a tuple of items
    active = False
    is_bound = False

    def filters(self):
        from .selectors import CredentialFilters

        return CredentialFilters()

    def form(self) -> _ListSearchForm:
        return self.form_class(None, **dict(self.kwargs))


def list_search_html(form: _ListSearchForm, *, heading_id: str, reset_url: str) -> str:
    """A list's search form (credentials/_list_search.html). Unbound — the first page of a list, opened without a
    search — its HTML depends only on its class, its choices (the projects the actor may open, a filter's), the
    language and the heading's id: rendered once per process for each of them (the form's fields through four
    templates each cost more than the rest of the list's page). A bound form, whose values and errors are the
    request's, is rendered each time."""
    if isinstance(form, UnboundSearch):
        if not settings.DEBUG and form.form_class in (IssuedSearchForm, WalletSearchForm):
            return _unbound_search_html(form.form_class, form.kwargs, get_language(), heading_id)
        form = form.form()
    if (form.is_bound or form.prefix or form.initial or form.auto_id != "id_%s" or settings.DEBUG
            or type(form) not in (IssuedSearchForm, WalletSearchForm)):
        return render_to_string(SEARCH_TEMPLATE, {"form": form, "heading_id": heading_id, "reset_url": reset_url})
    kwargs = form._unbound_kwargs()
    return _unbound_search_html(type(form), tuple(kwargs.items()), get_language(), heading_id)


def unbound_search_html(form_class: type[_ListSearchForm], *, heading_id: str) -> str:
    """list_search_html of an unbound `form_class()` (a class without choices of its own, such as
    WalletSearchForm), without building the form when its HTML is already made."""
    if settings.DEBUG or form_class is not WalletSearchForm:
        return list_search_html(form_class(), heading_id=heading_id, reset_url="")
    return _unbound_search_html(form_class, (), get_language(), heading_id)


@lru_cache(maxsize=256)
def _unbound_search_html(form_class: type[_ListSearchForm], kwargs: tuple, language: str | None,
                         heading_id: str) -> str:
    # the reset link is shown only by a bound form (one with a search), so it is not part of an unbound one
    return render_to_string(SEARCH_TEMPLATE, {"form": form_class(None, **dict(kwargs)), "heading_id": heading_id,
                                              "reset_url": ""})


@receiver(setting_changed, dispatch_uid="credentials-search-forms-setting-changed")
def _setting_changed(**kwargs) -> None:
    _unbound_search_html.cache_clear()  # e.g. the form renderer, LANGUAGES, TEMPLATES in tests
    _store_form_html.cache_clear()
