"""Youthpass invitation kinds for the invitations app (issue 10, point 1): project editors, participants,
supervisors/mentors. Registered in `YouthpassConfig.ready`; the youthpass services send through
`invitations.services.invitation_send(kind=..., target=<ProjectEditor or Participant>)` and void with
`invitation_void` when an address changes or access is withdrawn. The link is the one page `/invitations/<token>/`.

Each `accept` runs inside `invitations.services.invitation_accept`'s transaction, after the token, expiry, status
and the mailed-to address were checked there; it grants the right on the target row and returns that row.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError
from agnitio.core.permissions import allowed
from agnitio.invitations.kinds import InvitationKind, target_of

from .models import Participant, ProjectEditor

EDITOR = "youthpass_project_editor"
PARTICIPANT = "youthpass_participant"
SUPERVISOR = "youthpass_supervisor"


def _target(obj):
    """The target row of an invitation, or the target itself (a send passes the target)."""
    return target_of(obj)


def _inviter(invitation) -> str:
    return invitation.invited_by.display_name if invitation.invited_by else str(invitation.organisation)


# --- project editors -----------------------------------------------------------------------------------------------

def editor_may_manage(actor, obj) -> bool:
    return allowed(actor, "youthpass.manage_editors", _target(obj).project)


def editor_check_send(*, actor, organisation, target, email: str, payload: dict) -> None:
    if not isinstance(target, ProjectEditor) or target.organisation_id != organisation.pk:
        raise ApplicationError(_("An editor is invited to one project of the organisation."))
    if target.status == ProjectEditor.Status.ACTIVE:
        raise ApplicationError(_("%(email)s is already an editor of this project.") % {"email": email},
                               code="duplicate")


def editor_accept(*, invitation, user) -> ProjectEditor:
    editor = ProjectEditor.objects.select_for_update().select_related("project").get(pk=invitation.target_id)
    if editor.status == ProjectEditor.Status.REVOKED:
        raise ApplicationError(_("Your access to this project was taken away. Ask the organiser for a new "
                                 "invitation."), code="revoked")
    editor.user, editor.status, editor.accepted_at = user, ProjectEditor.Status.ACTIVE, timezone.now()
    editor.save(update_fields=["user", "status", "accepted_at", "updated_at"])
    return editor


def editor_describe(invitation) -> str:
    return gettext("%(inviter)s invites you to see and edit the Youthpass project “%(project)s” of %(org)s on "
                   "Agnitio: its activities, participants and certificates.") % {
        "inviter": _inviter(invitation), "project": invitation.target.project.display_name,
        "org": invitation.organisation.legal_name}


def editor_subject(invitation) -> str:
    return gettext("Invitation to edit the Youthpass project “%(project)s”") % {
        "project": invitation.target.project.display_name}


def editor_manage_url(invitation) -> str:
    return reverse("youthpass:editor_list", kwargs={"pid": invitation.target.project.public_id})


def editor_accepted_url(request, editor: ProjectEditor) -> str:
    from django.contrib import messages

    messages.success(request, gettext("You can now see and edit the project."))
    return reverse("youthpass:project_detail", args=[editor.project.public_id])


def editor_expiry() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "YOUTHPASS_EDITOR_INVITATION_DAYS", 14))


# --- participants --------------------------------------------------------------------------------------------------

def _participant_invitations_expiry() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "YOUTHPASS_INVITATION_DAYS", 30))


def participant_may_manage(actor, obj) -> bool:
    return allowed(actor, "youthpass.change_project", _target(obj).project)


def _check_record(target, organisation, wrong_target) -> None:
    """Both participant kinds invite to one participant record of the organisation, until its certificate."""
    if not isinstance(target, Participant) or target.organisation_id != organisation.pk:
        raise ApplicationError(wrong_target)
    if target.status == Participant.Status.CERTIFICATE_ISSUED:
        raise ApplicationError(_("%(name)s already has a certificate.") % {"name": target.full_name},
                               code="certificate_issued")


def _grant(invitation, field: str, user) -> Participant:
    """Accepting links the account to the record as its learner (`user`) or supervisor (`supervisor_user`)."""
    participant = Participant.objects.select_for_update().select_related("project").get(pk=invitation.target_id)
    setattr(participant, field, user)
    participant.save(update_fields=[field, "updated_at"])
    return participant


def participant_check_send(*, actor, organisation, target, email: str, payload: dict) -> None:
    if isinstance(target, Participant) and not email:
        raise ApplicationError(_("%(name)s has no e-mail address.") % {"name": target.full_name}, code="no_email")
    _check_record(target, organisation, _("A participant is invited to their own record."))


def participant_accept(*, invitation, user) -> Participant:
    return _grant(invitation, "user", user)


def participant_describe(invitation) -> str:
    return gettext("%(inviter)s invites you to check your personal data and describe what you learned, by "
                   "competence, in the Youthpass project “%(project)s”, so that %(org)s can issue your Youthpass "
                   "certificate. Your description becomes part 3 of the certificate.") % {
        "inviter": _inviter(invitation), "project": invitation.target.project.display_name,
        "org": invitation.organisation.legal_name}


def participant_subject(invitation) -> str:
    return gettext("Your Youthpass certificate: “%(project)s”") % {
        "project": invitation.target.project.display_name}


def participant_manage_url(invitation) -> str:
    return reverse("youthpass:participant_list", kwargs={"pid": invitation.target.project.public_id})


def participant_accepted_url(request, participant: Participant) -> str:
    return reverse("youthpass:learner_data", args=[participant.public_id])


# --- supervisors / mentors -----------------------------------------------------------------------------------------

def supervisor_check_send(*, actor, organisation, target, email: str, payload: dict) -> None:
    _check_record(target, organisation, _("A supervisor is invited to one participant's record."))


def supervisor_accept(*, invitation, user) -> Participant:
    return _grant(invitation, "supervisor_user", user)


def supervisor_describe(invitation) -> str:
    return gettext("%(org)s asks you, as supervisor or mentor of %(learner)s in the Youthpass "
                   "project “%(project)s”, to write your overall assessment of their learning. It is printed in a "
                   "section of its own on their Youthpass certificate.") % {
        "org": invitation.organisation.legal_name, "learner": invitation.target.full_name,
        "project": invitation.target.project.display_name}


def supervisor_subject(invitation) -> str:
    return gettext("Your assessment of %(learner)s for Youthpass") % {"learner": invitation.target.full_name}


def supervisor_accepted_url(request, participant: Participant) -> str:
    return reverse("youthpass:supervisor_assess", args=[participant.public_id])


KINDS = (
    InvitationKind(
        name=EDITOR, label=_("project editor"), accept=editor_accept, may_manage=editor_may_manage,
        describe=editor_describe, subject=editor_subject, manage_url=editor_manage_url, expiry=editor_expiry,
        check_send=editor_check_send, accepted_url=editor_accepted_url, one_per_target=True,
    ),
    InvitationKind(
        name=PARTICIPANT, label=_("participant"), accept=participant_accept, may_manage=participant_may_manage,
        describe=participant_describe, subject=participant_subject, manage_url=participant_manage_url,
        expiry=_participant_invitations_expiry, check_send=participant_check_send,
        accepted_url=participant_accepted_url, one_per_target=True,
    ),
    InvitationKind(
        name=SUPERVISOR, label=_("supervisor or mentor"), accept=supervisor_accept,
        may_manage=participant_may_manage, describe=supervisor_describe, subject=supervisor_subject,
        manage_url=participant_manage_url, expiry=_participant_invitations_expiry,
        check_send=supervisor_check_send, accepted_url=supervisor_accepted_url, one_per_target=True,
    ),
)
