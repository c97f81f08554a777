"""What the Europass pages share."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.permissions import allowed

from .. import selectors


def form_error(form, error: ApplicationError, field: str | None = None) -> None:
    form.add_error(field if field in form.fields else None, str(error))


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
