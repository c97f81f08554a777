"""Writes for the participants of a Youthpass project: records, invitations and messages."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agnitio.core.emails import email_normalise
from agnitio.core.errors import ApplicationError
from agnitio.core.models import AuditEvent
from agnitio.core.services import audit_record, model_update
from agnitio.invitations.services import invitation_send, invitation_void, invitations_erase

from ..invitation_kinds import PARTICIPANT, SUPERVISOR
from ..models import Activity, LearningGoal, LearningOutcome, Participant, Project, ReflectionNote
from ..selectors import participant_list
from ..spreadsheets import xlsx_bytes
from ._common import (
    ProjectCheck,
    invitation_void_on_new_address,
    require_edit,
    validation_message,
)

PARTICIPANT_FIELDS = ["first_name", "last_name", "email", "country", "date_of_birth", "place_of_birth", "language",
                      "role"]


# --- participants ----------------------------------------------------------------------------------------------

def _project_activities(project: Project, activities: Iterable[Activity] | None) -> list[Activity]:
    activities = list(activities or [])
    if any(a.project_id != project.pk for a in activities):
        raise ApplicationError(_("Choose activities of this project."), code="activities")
    return activities


@transaction.atomic
def participant_create(*, actor, project: Project, activities: Iterable[Activity] | None = None,
                       **data) -> Participant:
    project = require_edit(actor, project)
    unknown = set(data) - set(PARTICIPANT_FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    activities = _project_activities(project, activities)
    data["email"] = email_normalise(data.get("email"))
    participant = Participant(organisation=project.organisation, project=project, **data)
    try:
        participant.full_clean(exclude=["organisation", "project", "activities"])
    except ValidationError as error:
        raise ApplicationError(validation_message(error)) from error
    if participant.email and project.participants.filter(email=participant.email).exists():
        raise ApplicationError(_("A participant with the e-mail %(email)s is already in this project.")
                               % {"email": participant.email}, code="duplicate")
    participant.save()
    participant.activities.set(activities)
    audit_record(actor=actor, action="create", target=participant, organisation=project.organisation)
    return participant


@transaction.atomic
def participant_update(*, actor, participant: Participant, data: dict,
                       activities: Iterable[Activity] | None = None) -> dict:
    project = require_edit(actor, participant.project)
    data = dict(data)
    if "email" in data:
        data["email"] = email_normalise(data["email"])
        if data["email"] and project.participants.filter(email=data["email"]).exclude(pk=participant.pk).exists():
            raise ApplicationError(_("A participant with the e-mail %(email)s is already in this project.")
                                   % {"email": data["email"]}, code="duplicate")
    try:
        changes = model_update(instance=participant, fields=PARTICIPANT_FIELDS, data=data)
    except ValidationError as error:
        raise ApplicationError(validation_message(error)) from error
    if "email" in changes:
        changes.update(invitation_void_on_new_address(actor=actor, participant=participant))
    if activities is not None:
        activities = _project_activities(project, activities)
        old = sorted(a.public_id for a in participant.activities.all())
        new = sorted(a.public_id for a in activities)
        if old != new:
            participant.activities.set(activities)
            changes["activities"] = [old, new]
    if changes:
        audit_record(actor=actor, action="update", target=participant, organisation=participant.organisation,
                     changes=changes)
    return changes


@transaction.atomic
def participant_delete(*, actor, participants: Iterable[Participant]) -> int:
    count = 0
    check = ProjectCheck(actor)
    for participant in participants:
        check(participant.project)
        audit_record(actor=actor, action="delete", target=participant, organisation=participant.organisation)
        participant.delete()
        count += 1
    return count


def _queue(participant: Participant, template: str, context: dict):
    from agnitio.notifications.services import email_queue

    return email_queue(to=participant.email, template=template, language=participant.language,
                       organisation=participant.organisation, user=participant.user, related=participant,
                       context={"first_name": participant.first_name, "full_name": participant.full_name,
                                "project_name": participant.project.display_name,
                                "organisation_name": str(participant.organisation), **context})


@transaction.atomic
def participant_invite(*, actor, participants: Iterable[Participant], personal_message: str = "") -> list[str]:
    """Send each participant a personal, expiring link (invitations app) to check their data and write their
    learning outcomes. Returns the names of those who could not be invited (no e-mail address, or certificate
    already issued: the invitation kind refuses them)."""
    skipped: list[str] = []
    check = ProjectCheck(actor)
    for participant in participants:
        check(participant.project)
        try:
            _invitation, token = invitation_send(
                actor=actor, kind=PARTICIPANT, organisation=participant.organisation, target=participant,
                email=participant.email, full_name=participant.full_name, language=participant.language,
                personal_message=personal_message)
        except ApplicationError as error:
            if error.code in ("no_email", "certificate_issued"):
                skipped.append(participant.full_name)
                continue
            raise
        participant.invited_at = timezone.now()
        old = participant.status
        if participant.status == Participant.Status.NOT_INVITED:
            participant.status = Participant.Status.INVITED
        participant.save(update_fields=["invited_at", "status", "updated_at"])
        audit_record(actor=actor, action="grant", target=participant, organisation=participant.organisation,
                     verb="participant invited", changes={"status": [old, participant.status]})
        participant._token = token  # for the caller (tests, API); never stored
    return skipped


@transaction.atomic
def participant_invitation_withdraw(*, actor, participants: Iterable[Participant]) -> list[str]:
    """The link stops working and the account that accepted it loses access. Not possible once the participant
    submitted outcomes (reopen or delete instead). Returns the names skipped."""
    skipped: list[str] = []
    check = ProjectCheck(actor)
    for participant in participants:
        check(participant.project)
        if participant.status in (Participant.Status.OUTCOMES_SUBMITTED, Participant.Status.CERTIFICATE_ISSUED):
            skipped.append(participant.full_name)
            continue
        voided = invitation_void(actor=actor, target=participant, kind=PARTICIPANT)
        if participant.status == Participant.Status.NOT_INVITED and not voided:
            continue
        old = participant.status
        participant.user = None
        participant.status = Participant.Status.NOT_INVITED
        participant.save(update_fields=["user", "status", "updated_at"])
        audit_record(actor=actor, action="revoke", target=participant, organisation=participant.organisation,
                     verb="invitation withdrawn", changes={"status": [old, participant.status]})
    return skipped


@transaction.atomic
def participant_message_send(*, actor, participants: Iterable[Participant], personal_message: str) -> list[str]:
    """The standard text plus a personal message to each participant with an e-mail address."""
    if not personal_message.strip():
        raise ApplicationError(_("Write the message."), code="message")
    skipped: list[str] = []
    check = ProjectCheck(actor)
    for participant in participants:
        check(participant.project)
        if not participant.email:
            skipped.append(participant.full_name)
            continue
        _queue(participant, "youthpass/email/participant_message",
               {"personal_message": personal_message.strip(), "sender": actor.display_name})
        audit_record(actor=actor, action="other", target=participant, organisation=participant.organisation,
                     verb="message sent")
    return skipped


# --- export ----------------------------------------------------------------------------------------------------

def participant_export_xlsx(*, actor, project: Project) -> bytes:
    """The project's participants as a spreadsheet (one row each, in the interface language)."""
    people = participant_list(actor=actor, project=project)
    headers = [gettext("First name"), gettext("Last name"), gettext("E-mail"), gettext("Country"),
               gettext("Date of birth"), gettext("Role"), gettext("Status"), gettext("Activities")]
    rows = [[p.first_name, p.last_name, p.email,
             p.country.code if p.country else "",  # type: ignore[attr-defined]  # a Country (django-countries' stub: str)
             p.date_of_birth,
             p.role_label, p.get_status_display(), "; ".join(a.title for a in p.activities.all())]
            for p in people]
    return xlsx_bytes(headers, rows, title=gettext("Participants"))


# --- erasure at the person's request (accounts.privacy) ---------------------------------------------------------

def participations_erase(*, participants: Iterable[Participant], pseudonym: str, now: datetime.datetime) -> None:
    """Pseudonymise the person's participations: the organisation keeps country, role and status for its reports;
    their learning outcomes, learning goals and reflection notes are deleted. Runs in the caller's transaction (the
    account erasure)."""
    participants = list(participants)
    LearningOutcome.objects.filter(participant__in=participants).delete()
    LearningGoal.objects.filter(participant__in=participants).delete()
    ReflectionNote.objects.filter(participant__in=participants).delete()
    # The invitations to these records name the person (and their supervisor, also erased from the record below).
    invitations_erase(pseudonym=pseudonym, targets=participants, kinds=(PARTICIPANT, SUPERVISOR))
    for participant in participants:
        Participant.objects.filter(pk=participant.pk).update(
            first_name="", last_name=pseudonym, email="", date_of_birth=None, place_of_birth="", user=None,
            supervisor_name="", supervisor_position="", supervisor_assessment="", supervisor_email="",
            supervisor_user=None, dialogue_partner_name="", dialogue_partner_position="", updated_at=now,
        )
        participant.first_name, participant.last_name = "", pseudonym  # what the audit entry names
        audit_record(actor=None, action=AuditEvent.Action.UPDATE, target=participant,
                     organisation=participant.organisation, verb="participant_erased",
                     changes={"participant": ["…", pseudonym]})

