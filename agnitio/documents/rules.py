"""Who may do what with documents. Members of an organisation see and start its document jobs; owners and
admins manage its seal."""

import rules

from agnitio.organisations.rules import is_org_admin, is_org_member

rules.add_perm("documents.view_job", is_org_member)
rules.add_perm("documents.start_job", is_org_member)
rules.add_perm("documents.manage_seal", is_org_admin)
