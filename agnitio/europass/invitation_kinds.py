"""The Europass invitation kind: an additional user of a sending institution (seed 002: up to three, each with their
own sign-in). Registered in `EuropassConfig.ready`; `services.institutions.institution_user_invite` sends it with the
`InstitutionUser` row as target. Accepting makes the person an editor member of the institution's organisation."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError
from agnitio.core.permissions import allowed
from agnitio.invitations.kinds import InvitationKind, target_of

from .models import InstitutionUser

INSTITUTION_USER = "europass_institution_user"


def may_manage(actor, obj) -> bool:
    return allowed(actor, "europass.manage_institution_users", target_of(obj).institution)


def check_send(*, actor, organisation, target, email: str, payload: dict) -> None:
    if not isinstance(target, InstitutionUser) or target.institution.organisation_id != organisation.pk:
        raise ApplicationError(_("An additional user is invited to one sending institution."))


def accept(*, invitation, user) -> InstitutionUser:
    from agnitio.organisations.services import membership_grant_invited

    row = InstitutionUser.objects.select_for_update(of=("self",)).select_related("institution").get(
        pk=invitation.target_id)
    if row.status == InstitutionUser.Status.REMOVED:
        raise ApplicationError(_("This access was withdrawn. Ask the institution for a new invitation."),
                               code="revoked")
    membership_grant_invited(organisation=row.institution.organisation, user=user, role="editor")
    row.user, row.status, row.accepted_at = user, InstitutionUser.Status.ACTIVE, timezone.now()
    row.save(update_fields=["user", "status", "accepted_at", "updated_at"])
    return row


def describe(invitation) -> str:
    return gettext("%(org)s invites you to request and prepare Europass mobility documents as one of its users on "
                   "Agnitio.") % {"org": invitation.organisation.legal_name}


def subject(invitation) -> str:
    return gettext("Invitation: Europass mobility documents of %(org)s") % {"org": invitation.organisation.legal_name}


def manage_url(invitation) -> str:
    return reverse("europass:institution_detail")


def accepted_url(request, row: InstitutionUser) -> str:
    return reverse("europass:next_steps")


def expiry() -> datetime.timedelta:
    return datetime.timedelta(days=14)


KINDS = (
    InvitationKind(
        name=INSTITUTION_USER, label=_("user of a sending institution"), accept=accept, may_manage=may_manage,
        describe=describe, subject=subject, manage_url=manage_url, expiry=expiry, check_send=check_send,
        accepted_url=accepted_url, one_per_target=True,
    ),
)
