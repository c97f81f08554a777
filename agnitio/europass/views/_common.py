"""What the Europass pages share."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.permissions import allowed

from .. import sections, selectors


def form_error(form, error: ApplicationError, field: str | None = None) -> None:
    form.add_error(field if field in form.fields else None, str(error))


def outcome_forms_used(formset) -> list:
    """The outcome forms that are saved (filled in, not removed), in order: what `outcomes_clean` numbers."""
    return [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def outcomes_error(formset, used: list, error: ApplicationError) -> bool:
    """Put an error about one learning outcome beside its field (the formset stays bound: nothing typed is lost).
    False when the error is about no single outcome (the caller shows it above the form)."""
    index, field = error.extra.get("index"), error.extra.get("field")
    if not isinstance(index, int) or not 0 <= index < len(used):
        return False
    form_error(used[index], error, field)
    return True


def institution_of(request):
    """The sending institution the signed-in person works for (NotFound when none)."""
    institution = selectors.institution_for(actor=request.user, organisation=getattr(request, "organisation", None))
    if institution is None:
        raise NotFound()
    return institution


def deny_unless(request, perm: str, obj) -> None:
    """403 for someone who may see `obj` but not do this (the page's object was found through their access)."""
    if not allowed(request.user, perm, obj):
        raise PermissionDenied


def render_document_detail(request, document, *, status: int = 200):
    """The document page: its sections and what is missing, what can be made of it, and what was issued."""
    missing = selectors.document_missing_fields(document=document)
    missing_keys = {m.key: m for m in missing}
    rows = [{"section": section, "rule": sections.rule(section.key, document.kind),
             "missing": missing_keys.get(section.key)} for section in sections.sections_for(document.kind)]
    return render(request, "europass/document_detail.html", {
        "document": document, "rows": rows, "missing": missing, "outcomes": document.outcomes.all(),
        "has_certificate": document.kind == "agreement" and type(document).objects.filter(agreement=document).exists(),
        "credential": selectors.document_issued_credential(document=document),
        "uses_esco": selectors.document_uses_esco(document),
    }, status=status)
