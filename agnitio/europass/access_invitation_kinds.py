"""The invitation kinds of issue 12, points 8-9: the personal link a sending institution sends to the host of a
document (seed 002 "Nosūtīt paroli uzņemošajai iestādei") and to a participant ("Saglabāt paroli un nosūtīt
personai"). The target is the `DocumentAccess` row; accepting (by an account holding the mailed-to address verified,
checked by the invitations app) makes the access that account's. Registered in `EuropassConfig.ready`."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError
from agnitio.core.permissions import allowed
from agnitio.invitations.kinds import InvitationKind, target_of

from .models import DocumentAccess
from .services.access import HOST_KIND, PARTICIPANT_KIND, document_access_accept


def may_manage(actor, obj) -> bool:
    return allowed(actor, "europass.manage_document_access", target_of(obj).document)


def check_send(*, actor, organisation, target, email: str, payload: dict) -> None:
    if (not isinstance(target, DocumentAccess) or target.document.institution_id is None
            or target.document.institution.organisation_id != organisation.pk):
        raise ApplicationError(_("Access is given to one document of the sending institution."))


def accept(*, invitation, user) -> DocumentAccess:
    return document_access_accept(grant_id=invitation.target_id, user=user)


def describe_host(invitation) -> str:
    return gettext("%(org)s, the sending institution, gives you access to the Europass mobility documents that name "
                   "your e-mail as the host organisation: you can fill in the host's data, the learning outcomes, the "
                   "activities, mentoring and evaluation, and store your signature or stamp.") % {
        "org": invitation.organisation.legal_name}


def describe_participant(invitation) -> str:
    return gettext("%(org)s gives you access to your own Europass mobility document: you can enter your personal "
                   "data and your learning outcomes until the date the institution set.") % {
        "org": invitation.organisation.legal_name}


def subject(invitation) -> str:
    return gettext("Access to a Europass mobility document of %(org)s") % {"org": invitation.organisation.legal_name}


def manage_url(invitation) -> str:
    return reverse("europass:document_access", kwargs={"did": target_of(invitation).document.public_id})


def accepted_url(request, grant: DocumentAccess) -> str:
    return reverse("europass:shared_document_list")


def expiry() -> datetime.timedelta:
    return datetime.timedelta(days=14)


KINDS = (
    InvitationKind(name=HOST_KIND, label=_("host organisation of a Europass document"), accept=accept,
                   may_manage=may_manage, describe=describe_host, subject=subject, manage_url=manage_url,
                   expiry=expiry, check_send=check_send, accepted_url=accepted_url, one_per_target=True),
    InvitationKind(name=PARTICIPANT_KIND, label=_("participant of a Europass document"), accept=accept,
                   may_manage=may_manage, describe=describe_participant, subject=subject, manage_url=manage_url,
                   expiry=expiry, check_send=check_send, accepted_url=accepted_url, one_per_target=True),
)
