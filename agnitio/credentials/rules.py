"""Who may do what with issued credentials. Predicates take (user, organisation)."""

import rules

from agnitio.organisations.rules import is_org_admin, is_org_member

can_issue = is_org_member
can_revoke = is_org_admin
can_rotate_keys = is_org_admin
can_view_issued = is_org_member

rules.add_perm("credentials.issue", can_issue)
rules.add_perm("credentials.revoke", can_revoke)
rules.add_perm("credentials.rotate_keys", can_rotate_keys)
rules.add_perm("credentials.view_issued", can_view_issued)
