"""Who may do what with issued credentials. The object is the issuing organisation."""

import rules

from agnitio.organisations.rules import is_org_admin, is_org_member

rules.add_perm("credentials.issue_credential", is_org_member)
rules.add_perm("credentials.revoke_credential", is_org_admin)
rules.add_perm("credentials.rotate_issuer_key", is_org_admin)
rules.add_perm("credentials.view_credential", is_org_member)
rules.add_perm("credentials.view_all_credentials", is_org_admin)  # also those issued for sources they cannot open
