"""Who may do what in an organisation. Predicates take (user, organisation)."""

from __future__ import annotations

import rules

from .models import Membership

ADMIN_ROLES = (Membership.Role.OWNER, Membership.Role.ADMIN)


def _role(user, organisation) -> str | None:
    if organisation is None or user is None or not getattr(user, "is_authenticated", False):
        return None
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
