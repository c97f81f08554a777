"""Forms of the ESCO side panel and search page, and the field other apps' forms use to keep chosen ESCO URIs.

Usage in another app's form (e.g. a learning outcome of a Europass document or a micro-credential):

    from agnitio.frameworks.forms import esco_uris_field

    class OutcomeForm(forms.Form):
        text = forms.CharField(widget=forms.Textarea)
        esco_uris = esco_uris_field(kind="skill")       # cleaned value: a list of ESCO URIs that exist

and in its template, beside (not inside) the <form>:

    {% include "frameworks/_esco_panel.html" with esco_target=form.text.id_for_label
       esco_uris=form.esco_uris.id_for_label esco_id="outcome-esco" esco_language=document.language %}

(Django's include tag must be on one line; it is broken here only to fit.)

The panel's "Insert" buttons put the label (or an occupation's description / chosen skills) into the textarea
`esco_target` and add the concept's URI to the `esco_uris` field (one per line). Without JavaScript the panel's search
opens the search page, which shows each URI to copy into that field. Show labels of stored URIs with
`frameworks.selectors.esco_concepts_get(uris=..., language=...)`.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError

from . import selectors

ESCO_URIS_MAX = 50
ESCO_URI_PREFIX = "http://data.europa.eu/esco/"


class EscoSearchForm(forms.Form):
    q = forms.CharField(label=_("Search ESCO"), required=False, max_length=selectors.ESCO_QUERY_MAX,
                        strip=True, widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    kind = forms.ChoiceField(label=_("Look for"), required=False, choices=[
        ("", _("Skills and occupations")), ("skill", _("Skills")), ("occupation", _("Occupations"))])
    language = forms.CharField(required=False, max_length=12, widget=forms.HiddenInput)
    occupation = forms.CharField(required=False, max_length=255, widget=forms.HiddenInput)

    def clean_language(self) -> str:
        try:
            return selectors.esco_language_clean(self.cleaned_data.get("language") or None)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None

    def clean_occupation(self) -> str:
        uri = self.cleaned_data.get("occupation") or ""
        if uri and not uri.startswith(ESCO_URI_PREFIX + "occupation/"):
            raise forms.ValidationError(_("This is not an ESCO occupation."), code="invalid_occupation")
        return uri


class EscoUrisField(forms.CharField):
    """ESCO concept URIs, one per line (the panel fills it); cleaned to a list of URIs that exist in the database
    (of the given kind, if any), without duplicates, at most `max_uris`."""

    widget = forms.Textarea(attrs={"rows": 3, "data-esco-uris": ""})

    def __init__(self, *, kind: str | None = None, max_uris: int = ESCO_URIS_MAX, **kwargs):
        self.kind, self.max_uris = kind, max_uris
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("ESCO links (one per line)"))
        kwargs.setdefault("help_text", _("Filled when you insert from ESCO; remove a line to drop its link."))
        kwargs.setdefault("max_length", max_uris * 256)
        super().__init__(**kwargs)

    def to_python(self, value) -> list[str]:  # type: ignore[override]
        if isinstance(value, list | tuple):
            lines = [str(v).strip() for v in value]
        else:
            lines = [line.strip() for line in str(super().to_python(value) or "").splitlines()]
        return list(dict.fromkeys(line for line in lines if line))

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def validate(self, value) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(value) > self.max_uris:
            raise forms.ValidationError(_("Choose at most %(max)d ESCO links.") % {"max": self.max_uris},
                                        code="too_many")
        bad = [uri for uri in value if not uri.startswith(ESCO_URI_PREFIX) or len(uri) > 255]
        found = selectors.esco_concepts_get(uris=[u for u in value if u not in bad], language=None)
        wrong_kind = [u for u, concept in found.items() if self.kind and concept.kind != self.kind]
        unknown = bad + [u for u in value if u not in bad and u not in found] + wrong_kind
        if unknown:
            raise forms.ValidationError(_("Not an ESCO %(what)s: %(uris)s") % {
                "what": {"skill": _("skill"), "occupation": _("occupation")}.get(self.kind or "", _("concept")),
                "uris": ", ".join(unknown[:5])}, code="unknown_esco")

    def run_validators(self, value) -> None:
        super().run_validators("\n".join(value))  # max_length and the like count the text


def esco_uris_field(*, kind: str | None = None, max_uris: int = ESCO_URIS_MAX, **kwargs) -> EscoUrisField:
    return EscoUrisField(kind=kind, max_uris=max_uris, **kwargs)
