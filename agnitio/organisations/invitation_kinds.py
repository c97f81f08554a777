"""The organisation-member invitation kind: an e-mailed link that makes its (verified) addressee a member with the
role in the payload. Registered with the invitations app in `apps.OrganisationsConfig.ready`."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError, PermissionDenied
from agnitio.core.permissions import allowed
from agnitio.invitations.kinds import InvitationKind

from .models import Membership, Organisation

MEMBER = "organisation_member"

ROLE_SENTENCES = {
    Membership.Role.OWNER: _("Your role: owner (full rights, including appointing other owners)."),
    Membership.Role.ADMIN: _("Your role: admin (documents, members, signatures and the organisation's data)."),
    Membership.Role.EDITOR: _("Your role: editor (prepares documents)."),
}


def _organisation(obj) -> Organisation:
    return obj if isinstance(obj, Organisation) else obj.organisation


def may_manage(actor, obj) -> bool:
    return allowed(actor, "organisations.manage_members", _organisation(obj))


def check_send(*, actor, organisation, target, email: str, payload: dict) -> None:
    if target != organisation:
        raise ApplicationError(_("A member is invited to the organisation itself."))
    role = payload.get("role")
    if role not in Membership.Role.values:
        raise ApplicationError(_("Choose one of the roles: owner, admin or editor."))
    if role == Membership.Role.OWNER and not allowed(actor, "organisations.grant_owner", organisation):
        raise PermissionDenied(_("Only an owner can invite another owner. Choose admin or editor."))
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ApplicationError(_("%(email)s is already a member of this organisation.") % {"email": email},
                               code="already_member")


def accept(*, invitation, user) -> Membership:
    organisation = invitation.organisation
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise ApplicationError(_("You are already a member of %(name)s.") % {"name": organisation.legal_name},
                               code="already_member")
    return Membership.objects.create(organisation=organisation, user=user, role=invitation.payload["role"])


def role_label(invitation) -> str:
    return str(Membership.Role(invitation.payload["role"]).label)


def describe(invitation) -> str:
    org = invitation.organisation.legal_name
    inviter = invitation.invited_by.display_name if invitation.invited_by else ""
    if inviter:
        text = gettext("%(inviter)s invites you to join %(org)s on Agnitio, where the organisation prepares and "
                       "issues Youthpass certificates, Europass Mobility documents and micro-credentials.")
    else:
        text = gettext("You are invited to join %(org)s on Agnitio, where the organisation prepares and issues "
                       "Youthpass certificates, Europass Mobility documents and micro-credentials.")
    return f"{text % {'inviter': inviter, 'org': org}} {ROLE_SENTENCES[invitation.payload['role']]}"


def subject(invitation) -> str:
    return gettext("Invitation to join %(name)s on Agnitio") % {"name": invitation.organisation.legal_name}


def expiry() -> datetime.timedelta:
    return datetime.timedelta(days=settings.ORGANISATION_INVITATION_DAYS)


def manage_url(invitation) -> str:
    return reverse("organisations:members", kwargs={"public_id": invitation.organisation.public_id})


def accepted_url(request, membership: Membership) -> str:
    from .middleware import SESSION_KEY

    request.session[SESSION_KEY] = membership.organisation.public_id
    messages.success(request, gettext("Welcome to %(name)s. Your role: %(role)s.")
                     % {"name": membership.organisation.legal_name, "role": membership.get_role_display()})
    return reverse("organisations:detail", kwargs={"public_id": membership.organisation.public_id})


MEMBER_KIND = InvitationKind(
    name=MEMBER, label=_("organisation member"), accept=accept, may_manage=may_manage, describe=describe,
    subject=subject, manage_url=manage_url, expiry=expiry, check_send=check_send, accepted_url=accepted_url,
)
