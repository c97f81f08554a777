"""The one place that answers "which organisations does this person act in, and with which role".

Every rule predicate, selector and service of every app reads memberships through `memberships_of`, so a
restriction set here holds everywhere. The restriction is the *organisation scope* of the current request: an API
token bound to one organisation sets it when it authenticates (`agnitio.apikeys.auth`), and for the rest of that
request the person is a member of that organisation only — whatever endpoint runs and whatever it forgets to check.
`CurrentOrganisationMiddleware` clears it at the start and end of every request.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.db.models import QuerySet

from .models import Membership

ADMIN_ROLES = Membership.ADMIN_ROLES  # owners and admins

_scope: ContextVar[int | None] = ContextVar("agnitio_organisation_scope", default=None)


def organisation_scope() -> int | None:
    """The id of the only organisation the current request may reach, or None (no restriction)."""
    return _scope.get()


def organisation_scope_set(organisation_id: int | None) -> None:
    """Restrict the current request to one organisation (None lifts the restriction). Called by the auth layer
    and the middleware only."""
    _scope.set(organisation_id)


def in_scope(organisation) -> bool:
    scope = _scope.get()
    return scope is None or (organisation is not None and organisation.pk == scope)


def within_scope(queryset: QuerySet, field: str = "organisation") -> QuerySet:
    """`queryset` limited to the request's organisation scope (unchanged when there is none)."""
    scope = _scope.get()
    return queryset if scope is None else queryset.filter(**{f"{field}_id": scope})


def memberships_of(user) -> QuerySet[Membership]:
    """The user's memberships the current request may use (all of them, unless the request is scoped)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return within_scope(Membership.objects.filter(user=user))


def role_in(user, organisation) -> str | None:
    """The user's role in the organisation, or None (not a member, or outside the request's scope)."""
    if organisation is None:
        return None
    return memberships_of(user).filter(organisation=organisation).values_list("role", flat=True).first()
