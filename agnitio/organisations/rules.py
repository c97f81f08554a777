"""Who may do what in an organisation. Predicates take (user, organisation).

The predicates are for rules.py files only; everything else asks the named permission
(`agnitio.core.permissions.require` / `allowed`). Roles are read through `access.role_in`, which honours the
organisation scope of a request made with a bound API token."""

from __future__ import annotations

import rules

from .access import ADMIN_ROLES
from .access import role_in as _role
from .models import Membership


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


# Every permission on an organisation (the object is the organisation).
rules.add_perm("organisations.view_organisation", is_org_member)
rules.add_perm("organisations.change_organisation", is_org_admin)
rules.add_perm("organisations.manage_members", is_org_admin)
rules.add_perm("organisations.grant_owner", is_org_owner)
rules.add_perm("organisations.manage_signatures", is_org_admin)
rules.add_perm("organisations.view_audit", is_org_admin)
