"""Who may do what with micro-credentials.

* any member of a provider organisation (owner, admin, editor) describes its specifications, publishes them,
  issues awards and attaches evidence;
* the organisation's owners and admins edit its provider profile (quality assurance, recognition policy);
* published specifications and listed provider pages are public (the catalogue), through selectors only.

Callers ask the named permissions through `agnitio.core.permissions` (`require` / `allowed`); the predicates are
for this file. Membership is read through `organisations.access` (`is_org_member`), so an API token's scope holds.
"""

from __future__ import annotations

import rules

from agnitio.organisations.rules import is_org_admin, is_org_member


@rules.predicate
def is_provider_member(user, obj) -> bool:
    """`obj` is an organisation or a row that carries one."""
    organisation = getattr(obj, "organisation", obj)
    return obj is not None and is_org_member(user, organisation)


@rules.predicate
def is_provider_admin(user, obj) -> bool:
    organisation = getattr(obj, "organisation", obj)
    return obj is not None and is_org_admin(user, organisation)


rules.add_perm("microcredentials.view_specification", is_provider_member)
rules.add_perm("microcredentials.change_specification", is_provider_member)
rules.add_perm("microcredentials.publish_specification", is_provider_member)
rules.add_perm("microcredentials.issue_award", is_provider_member)
rules.add_perm("microcredentials.view_award", is_provider_member)
rules.add_perm("microcredentials.change_profile", is_provider_admin)
rules.add_perm("microcredentials.decide_recognition", is_provider_member)
