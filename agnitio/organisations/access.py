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
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

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


def memberships_of_user_id(user_id: int) -> QuerySet[Membership]:
    """The memberships of the user with this id, whatever the request's scope: for a query prepared once
    (core.prepared) whose caller has checked that the request is not scoped (`organisation_scope() is None`)."""
    return Membership.objects.filter(user_id=user_id)


def memberships_of(user) -> QuerySet[Membership]:
    """The user's memberships the current request may use (all of them, unless the request is scoped)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return within_scope(Membership.objects.filter(user=user))


# Bumped whenever a membership is saved or deleted in this process: roles remembered before no longer answer.
_generation = [0]
ROLES_ATTRIBUTE = "_agnitio_roles"


def roles_remember(user, memberships) -> None:
    """Let role checks for the rest of this request answer from memberships the request has already read
    (CurrentOrganisationMiddleware reads the current one for the navigation) instead of one query per check: a page
    checks a role several times. A role in another organisation is asked of the database once and remembered for
    the request too. A membership changed meanwhile in this process makes the checks query again."""
    setattr(user, ROLES_ATTRIBUTE, (_generation[0], {m.organisation_id: m.role for m in memberships}))


@receiver(post_save, sender=Membership, dispatch_uid="organisations-roles-changed-save")
@receiver(post_delete, sender=Membership, dispatch_uid="organisations-roles-changed-delete")
def _roles_changed(**kwargs) -> None:
    _generation[0] += 1


def role_in(user, organisation) -> str | None:
    """The user's role in the organisation, or None (not a member, or outside the request's scope)."""
    if organisation is None or user is None or not getattr(user, "is_authenticated", False):
        return None
    if not in_scope(organisation):
        return None
    pk = getattr(organisation, "pk", None)
    remembered = getattr(user, ROLES_ATTRIBUTE, None)
    if remembered is not None and remembered[0] == _generation[0] and pk:
        if pk in remembered[1]:
            return remembered[1][pk]
        role = memberships_of(user).filter(organisation=organisation).values_list("role", flat=True).first()
        remembered[1][pk] = role  # None (not a member) is remembered too
        return role
    return memberships_of(user).filter(organisation=organisation).values_list("role", flat=True).first()
