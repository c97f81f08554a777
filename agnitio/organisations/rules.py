"""Who may do what in an organisation. Predicates take (user, organisation)."""

from __future__ import annotations

import rules
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Membership

ADMIN_ROLES = (Membership.Role.OWNER, Membership.Role.ADMIN)
# Bumped whenever a membership is saved or deleted in this process: roles remembered before no longer answer.
_generation = [0]
ROLES_ATTRIBUTE = "_agnitio_roles"


def roles_remember(user, memberships) -> None:
    """Let role checks for the rest of this request use the user's memberships that CurrentOrganisationMiddleware
    has just read (every request reads them anyway for the navigation) instead of one query per check: a page
    checks a role several times. A membership changed meanwhile in this process makes the checks query again."""
    setattr(user, ROLES_ATTRIBUTE, (_generation[0], {m.organisation_id: m.role for m in memberships}))


@receiver(post_save, sender=Membership, dispatch_uid="organisations-roles-changed-save")
@receiver(post_delete, sender=Membership, dispatch_uid="organisations-roles-changed-delete")
def _roles_changed(**kwargs) -> None:
    _generation[0] += 1


def _role(user, organisation) -> str | None:
    if organisation is None or user is None or not getattr(user, "is_authenticated", False):
        return None
    remembered = getattr(user, ROLES_ATTRIBUTE, None)
    if remembered is not None and remembered[0] == _generation[0] and getattr(organisation, "pk", None):
        return remembered[1].get(organisation.pk)
    return (
        Membership.objects.filter(user=user, organisation=organisation).values_list("role", flat=True).first()
    )


@rules.predicate
def is_org_member(user, organisation) -> bool:
    return _role(user, organisation) is not None


@rules.predicate
def is_org_admin(user, organisation) -> bool:
    """Owner or admin."""
    return _role(user, organisation) in ADMIN_ROLES


@rules.predicate
def is_org_owner(user, organisation) -> bool:
    return _role(user, organisation) == Membership.Role.OWNER


rules.add_perm("organisations.view_organisation", is_org_member)
rules.add_perm("organisations.change_organisation", is_org_admin)
rules.add_perm("organisations.manage_members", is_org_admin)
rules.add_perm("organisations.grant_owner", is_org_owner)
rules.add_perm("organisations.manage_signatures", is_org_admin)
rules.add_perm("organisations.view_audit", is_org_admin)
