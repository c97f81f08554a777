"""Who may see and act on the outbox (the e-mails the platform sends)."""

import rules

from agnitio.organisations.rules import is_org_admin


@rules.predicate
def is_email_organisation_admin(user, email) -> bool:
    return email is not None and email.organisation_id is not None and is_org_admin(user, email.organisation)


is_platform_staff = rules.is_active & rules.is_staff  # the Django admin site (staff with two-factor sign-in)

rules.add_perm("notifications.view_outbox", is_org_admin)  # the object is the organisation
rules.add_perm("notifications.retry_email", is_email_organisation_admin | is_platform_staff)  # the object: the e-mail
