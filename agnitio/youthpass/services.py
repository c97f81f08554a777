"""Writes for Youthpass: projects, editors, activities, participants, learning outcomes, finalisation, reminders.

Every function checks the actor's right through the selectors/rules, runs in a transaction and writes an audit
event. Messages are translatable and say how to fix the problem.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError, NotFound, PermissionDenied
from agnitio.core.invitations import address_changed, invitation_address_problem, normalise_address
from agnitio.core.services import audit_record, model_update
from agnitio.core.validators import TEXT_MAX_LENGTH, text_problem

from . import rules as yp_rules
from .choices import activity_types_for, project_types_for
from .models import (
    Activity,
    CertificateLanguage,
    LearningOutcome,
    Participant,
    Project,
    ProjectEditor,
    ProjectPartner,
)
from .selectors import participant_frameworks, project_get, token_hash
from .validators import normalise_grant_number, validate_grant_number

INVITATION_DAYS = getattr(settings, "YOUTHPASS_INVITATION_DAYS", 30)
EDITOR_INVITATION_DAYS = getattr(settings, "YOUTHPASS_EDITOR_INVITATION_DAYS", 14)

PROJECT_FIELDS = ["title", "description", "aims", "start_date", "end_date", "venue", "logo", "yans_opt_in"]
ACTIVITY_FIELDS = ["activity_type", "title", "description", "start_date", "end_date", "format", "venue_city",
                   "venue_country", "methods", "results"]
PARTICIPANT_FIELDS = ["first_name", "last_name", "email", "country", "date_of_birth", "place_of_birth", "language",
                      "role"]
LEARNER_FIELDS = ["first_name", "last_name", "email", "country", "date_of_birth", "place_of_birth"]
SUPERVISOR_FIELDS = ["supervisor_name", "supervisor_position", "supervisor_assessment", "dialogue_partner_name",
                     "dialogue_partner_position"]


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def _site_url(path: str) -> str:
    return settings.SITE_URL + path


def _validation_message(error: ValidationError) -> str:
    return " ".join(error.messages)


def _require_edit(actor, project: Project) -> Project:
    """The project re-read through the actor's selector (404 when the actor may not see it)."""
    return project_get(actor=actor, public_id=project.public_id)


class _ProjectCheck:
    """Checks each distinct project once in a bulk operation (one query per project, not per person)."""

    def __init__(self, actor):
        self.actor, self.seen = actor, set()

    def __call__(self, project: Project) -> None:
        if project.pk not in self.seen:
            _require_edit(self.actor, project)
            self.seen.add(project.pk)


def _require_admin(actor, project: Project) -> Project:
    project = _require_edit(actor, project)
    if not yp_rules.is_project_admin(actor, project):
        raise PermissionDenied(_("Only the organisation's owners and admins may do this."))
    return project


def _logo_value(value):
    """A project logo only ever as a re-encoded image under a random name (organisations.images)."""
    from agnitio.organisations import images

    if not value:
        return ""
    if not isinstance(value, images.CheckedImage):
        try:
            value = images.process_upload(value, purpose="logo")
        except ValidationError as error:
            raise ApplicationError(" ".join(error.messages), code="logo") from error
    return value.file()


def _check_dates(start, end) -> None:
    if start and end and end < start:
        raise ApplicationError(_("The end date must be on or after the start date."), code="dates")


# --- projects --------------------------------------------------------------------------------------------------

def grant_number_clean(value: str) -> str:
    number = normalise_grant_number(value)
    try:
        validate_grant_number(number)
    except ValidationError as error:
        raise ApplicationError(_validation_message(error), code="grant_number") from error
    return number


@transaction.atomic
def project_create(*, actor, organisation, grant_number: str, programme: str, project_type: str,
                   **fields) -> Project:
    """Start a project: the grant agreement number first (validated, unique in the organisation)."""
    if not yp_rules.may_start_project(actor, organisation):
        raise NotFound()
    number = grant_number_clean(grant_number)
    if project_type not in project_types_for(programme):
        raise ApplicationError(_("Choose a project type of the chosen programme."), code="project_type")
    if Project.objects.filter(organisation=organisation, grant_number=number).exists():
        raise ApplicationError(
            _("Your organisation already has a project with the number %(number)s. Open that project instead.")
            % {"number": number}, code="duplicate")
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    _check_dates(fields.get("start_date"), fields.get("end_date"))
    if "logo" in fields:
        fields["logo"] = _logo_value(fields["logo"])
    project = Project(organisation=organisation, grant_number=number, programme=programme,
                      project_type=project_type, created_by=actor, **fields)
    project.full_clean(exclude=["organisation"])
    try:
        with transaction.atomic():
            project.save()
    except IntegrityError as error:  # a parallel request created the same number
        raise ApplicationError(_("Your organisation already has a project with the number %(number)s.")
                               % {"number": number}, code="duplicate") from error
    audit_record(actor=actor, action="create", target=project, organisation=organisation,
                 changes={"grant_number": [None, number], "programme": [None, programme]})
    if not yp_rules.is_org_admin(actor, organisation):
        # An editor who starts a project may keep working on it.
        ProjectEditor.objects.create(organisation=organisation, project=project, email=actor.email,
                                     full_name=actor.display_name, language=actor.language, user=actor,
                                     status=ProjectEditor.Status.ACTIVE, accepted_at=timezone.now(),
                                     invited_by=actor)
    return project


@transaction.atomic
def project_update(*, actor, project: Project, data: dict) -> dict:
    project = _require_edit(actor, project)
    data = dict(data)
    if "grant_number" in data:
        number = grant_number_clean(data["grant_number"])
        if number != project.grant_number and Project.objects.filter(
                organisation=project.organisation, grant_number=number).exists():
            raise ApplicationError(_("Your organisation already has a project with the number %(number)s.")
                                   % {"number": number}, code="duplicate")
        data["grant_number"] = number
    if "programme" in data or "project_type" in data:
        programme = data.get("programme", project.programme)
        project_type = data.get("project_type", project.project_type)
        if project_type not in project_types_for(programme):
            raise ApplicationError(_("Choose a project type of the chosen programme."), code="project_type")
    _check_dates(data.get("start_date", project.start_date), data.get("end_date", project.end_date))
    old_logo = project.logo.name if project.logo else ""
    if "logo" in data:
        data["logo"] = _logo_value(data["logo"])
    changes = model_update(instance=project, data=data,
                           fields=["grant_number", "programme", "project_type", *PROJECT_FIELDS])
    if "logo" in changes:
        changes["logo"] = [old_logo or None, project.logo.name or None]
        if old_logo:
            storage = project.logo.storage
            transaction.on_commit(lambda: storage.delete(old_logo))
    if changes:
        audit_record(actor=actor, action="update", target=project, organisation=project.organisation,
                     changes=changes)
    return changes


@transaction.atomic
def project_delete(*, actor, project: Project) -> None:
    project = _require_admin(actor, project)
    audit_record(actor=actor, action="delete", target=project, organisation=project.organisation)
    project.delete()


@transaction.atomic
def project_partner_add(*, actor, project: Project, name: str, country: str) -> ProjectPartner:
    project = _require_edit(actor, project)
    if not name.strip() or not country:
        raise ApplicationError(_("Enter the partner organisation's name and country."))
    partner = ProjectPartner(organisation=project.organisation, project=project, name=name.strip(), country=country)
    partner.full_clean()
    partner.save()
    audit_record(actor=actor, action="create", target=partner, organisation=project.organisation)
    return partner


@transaction.atomic
def project_partner_remove(*, actor, partner: ProjectPartner) -> None:
    _require_edit(actor, partner.project)
    audit_record(actor=actor, action="delete", target=partner, organisation=partner.organisation)
    partner.delete()


# --- project editors -------------------------------------------------------------------------------------------

@transaction.atomic
def project_editor_invite(*, actor, project: Project, email: str, full_name: str, language: str) -> ProjectEditor:
    """Invite a person by e-mail to view and edit the project; the e-mail carries a single-use link."""
    from agnitio.notifications.services import email_queue

    project = _require_admin(actor, project)
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ApplicationError(_("Enter a valid e-mail address."), code="email") from error
    if not full_name.strip():
        raise ApplicationError(_("Enter the person's name."), code="full_name")
    if language not in dict(settings.LANGUAGES):
        raise ApplicationError(_("Choose a language."), code="language")
    token, hashed = _new_token()
    editor = ProjectEditor.objects.filter(project=project, email=email).first()
    if editor and editor.status == ProjectEditor.Status.ACTIVE:
        raise ApplicationError(_("%(email)s is already an editor of this project.") % {"email": email},
                               code="duplicate")
    if editor is None:
        editor = ProjectEditor(organisation=project.organisation, project=project, email=email)
    editor.full_name, editor.language, editor.status = full_name.strip(), language, ProjectEditor.Status.PENDING
    editor.token_hash, editor.invited_by, editor.user = hashed, actor, None
    editor.expires_at = timezone.now() + datetime.timedelta(days=EDITOR_INVITATION_DAYS)
    editor.save()
    email_queue(to=email, template="youthpass/email/editor_invitation", language=language,
                organisation=project.organisation, related=editor,
                context={"project_name": project.display_name, "organisation_name": str(project.organisation),
                         "inviter": actor.display_name, "full_name": editor.full_name,
                         "url": _site_url(f"/youthpass/editor-invitation/{token}/"),
                         "days": EDITOR_INVITATION_DAYS})
    audit_record(actor=actor, action="grant", target=editor, organisation=project.organisation,
                 verb="editor invited", changes={"email": [None, email]})
    editor._token = token  # for the caller (tests, API); never stored
    return editor


@transaction.atomic
def project_editor_accept(*, user, token: str) -> ProjectEditor:
    """The signed-in person (existing account or one just created through the link) accepts."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in or create an account to accept the invitation."))
    editor = (ProjectEditor.objects.select_for_update().select_related("project")
              .filter(token_hash=token_hash(token), status=ProjectEditor.Status.PENDING,
                      expires_at__gt=timezone.now()).first())
    if editor is None:
        raise NotFound(_("This invitation link is not valid any more. Ask the project's organiser for a new one."))
    problem = invitation_address_problem(user=user, mailed_to=editor.email)
    if problem:
        # Editors see personal data: the right goes only to the address the admin chose.
        raise PermissionDenied(problem)
    editor.user, editor.status, editor.accepted_at, editor.token_hash = (
        user, ProjectEditor.Status.ACTIVE, timezone.now(), None)
    editor.save(update_fields=["user", "status", "accepted_at", "token_hash", "updated_at"])
    audit_record(actor=user, action="grant", target=editor, organisation=editor.organisation,
                 verb="editor invitation accepted")
    return editor


@transaction.atomic
def project_editor_revoke(*, actor, editor: ProjectEditor) -> None:
    """The admin takes the right away; it stops working on the next request."""
    _require_admin(actor, editor.project)
    old = editor.status
    editor.status, editor.token_hash = ProjectEditor.Status.REVOKED, None
    editor.save(update_fields=["status", "token_hash", "updated_at"])
    audit_record(actor=actor, action="revoke", target=editor, organisation=editor.organisation,
                 changes={"status": [old, editor.status]})


# --- activities ------------------------------------------------------------------------------------------------

def _check_activity(project: Project, data: dict) -> None:
    if data.get("activity_type") and data["activity_type"] not in activity_types_for(project.project_type):
        raise ApplicationError(_("This type of activity does not belong to the project's type. Choose one from "
                                 "the list."), code="activity_type")
    _check_dates(data.get("start_date"), data.get("end_date"))


@transaction.atomic
def activity_create(*, actor, project: Project, **data) -> Activity:
    project = _require_edit(actor, project)
    unknown = set(data) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    _check_activity(project, data)
    activity = Activity(organisation=project.organisation, project=project, **data)
    try:
        activity.full_clean(exclude=["organisation", "project"])
    except ValidationError as error:
        raise ApplicationError(_validation_message(error)) from error
    activity.save()
    audit_record(actor=actor, action="create", target=activity, organisation=project.organisation)
    return activity


@transaction.atomic
def activity_update(*, actor, activity: Activity, data: dict) -> dict:
    _require_edit(actor, activity.project)
    merged = {f: data.get(f, getattr(activity, f)) for f in ("activity_type", "start_date", "end_date")}
    _check_activity(activity.project, merged)
    try:
        changes = model_update(instance=activity, fields=ACTIVITY_FIELDS, data=data)
    except ValidationError as error:
        raise ApplicationError(_validation_message(error)) from error
    if changes:
        audit_record(actor=actor, action="update", target=activity, organisation=activity.organisation,
                     changes=changes)
    return changes


@transaction.atomic
def activity_delete(*, actor, activity: Activity) -> None:
    _require_edit(actor, activity.project)
    audit_record(actor=actor, action="delete", target=activity, organisation=activity.organisation)
    activity.delete()


# --- participants ----------------------------------------------------------------------------------------------

def _project_activities(project: Project, activities: Iterable[Activity] | None) -> list[Activity]:
    activities = list(activities or [])
    if any(a.project_id != project.pk for a in activities):
        raise ApplicationError(_("Choose activities of this project."), code="activities")
    return activities


@transaction.atomic
def participant_create(*, actor, project: Project, activities: Iterable[Activity] | None = None,
                       **data) -> Participant:
    project = _require_edit(actor, project)
    unknown = set(data) - set(PARTICIPANT_FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    activities = _project_activities(project, activities)
    data["email"] = (data.get("email") or "").strip().lower()
    participant = Participant(organisation=project.organisation, project=project, **data)
    try:
        participant.full_clean(exclude=["organisation", "project", "activities"])
    except ValidationError as error:
        raise ApplicationError(_validation_message(error)) from error
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
    project = _require_edit(actor, participant.project)
    data = dict(data)
    if "email" in data:
        data["email"] = (data["email"] or "").strip().lower()
        if data["email"] and project.participants.filter(email=data["email"]).exclude(pk=participant.pk).exists():
            raise ApplicationError(_("A participant with the e-mail %(email)s is already in this project.")
                                   % {"email": data["email"]}, code="duplicate")
    try:
        changes = model_update(instance=participant, fields=PARTICIPANT_FIELDS, data=data)
    except ValidationError as error:
        raise ApplicationError(_validation_message(error)) from error
    if "email" in changes:
        changes.update(_invitation_void_on_new_address(participant))
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


def _invitation_void_on_new_address(participant: Participant) -> dict:
    """The e-mail changed: an open invitation mailed to the old address stops working (send a new one)."""
    if not participant.invitation_token_hash or not address_changed(participant.invitation_email, participant.email):
        return {}
    changes = {"invitation": ["open", "voided"]}
    participant.invitation_token_hash, participant.invitation_expires_at = None, None
    update = ["invitation_token_hash", "invitation_expires_at", "updated_at"]
    if participant.status == Participant.Status.INVITED and participant.user_id is None:
        changes["status"] = [participant.status, Participant.Status.NOT_INVITED]
        participant.status = Participant.Status.NOT_INVITED
        update.append("status")
    participant.save(update_fields=update)
    return changes


@transaction.atomic
def participant_delete(*, actor, participants: Iterable[Participant]) -> int:
    count = 0
    check = _ProjectCheck(actor)
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
    """Send each participant a personal, expiring link to check their data and write their learning outcomes.
    Returns the names of those who could not be invited (no e-mail address, or certificate already issued)."""
    skipped: list[str] = []
    check = _ProjectCheck(actor)
    for participant in participants:
        check(participant.project)
        if not participant.email or participant.status == Participant.Status.CERTIFICATE_ISSUED:
            skipped.append(participant.full_name)
            continue
        token, hashed = _new_token()
        participant.invitation_token_hash = hashed
        participant.invitation_email = normalise_address(participant.email)  # the only address that may accept
        participant.invitation_expires_at = timezone.now() + datetime.timedelta(days=INVITATION_DAYS)
        participant.invited_at = timezone.now()
        old = participant.status
        if participant.status == Participant.Status.NOT_INVITED:
            participant.status = Participant.Status.INVITED
        participant.save(update_fields=["invitation_token_hash", "invitation_email", "invitation_expires_at",
                                        "invited_at", "status", "updated_at"])
        _queue(participant, "youthpass/email/participant_invitation",
               {"url": _site_url(f"/youthpass/invitation/{token}/"), "days": INVITATION_DAYS,
                "personal_message": personal_message.strip()})
        audit_record(actor=actor, action="grant", target=participant, organisation=participant.organisation,
                     verb="participant invited", changes={"status": [old, participant.status]})
        participant._token = token  # for the caller (tests, API); never stored
    return skipped


@transaction.atomic
def participant_invitation_withdraw(*, actor, participants: Iterable[Participant]) -> list[str]:
    """The link stops working and the account that accepted it loses access. Not possible once the participant
    submitted outcomes (reopen or delete instead). Returns the names skipped."""
    skipped: list[str] = []
    check = _ProjectCheck(actor)
    for participant in participants:
        check(participant.project)
        if participant.status in (Participant.Status.OUTCOMES_SUBMITTED, Participant.Status.CERTIFICATE_ISSUED):
            skipped.append(participant.full_name)
            continue
        if participant.status == Participant.Status.NOT_INVITED and not participant.invitation_token_hash:
            continue
        old = participant.status
        participant.invitation_token_hash = None
        participant.invitation_expires_at = None
        participant.user = None
        participant.status = Participant.Status.NOT_INVITED
        participant.save(update_fields=["invitation_token_hash", "invitation_expires_at", "user", "status",
                                        "updated_at"])
        audit_record(actor=actor, action="revoke", target=participant, organisation=participant.organisation,
                     verb="invitation withdrawn", changes={"status": [old, participant.status]})
    return skipped


@transaction.atomic
def participant_message_send(*, actor, participants: Iterable[Participant], personal_message: str) -> list[str]:
    """The standard text plus a personal message to each participant with an e-mail address."""
    if not personal_message.strip():
        raise ApplicationError(_("Write the message."), code="message")
    skipped: list[str] = []
    check = _ProjectCheck(actor)
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


# --- the participant's own part --------------------------------------------------------------------------------

@transaction.atomic
def participant_invitation_accept(*, user, token: str) -> Participant:
    """Bind the invitation to the signed-in account (existing or just created). Single use."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in or create an account to continue."))
    participant = (Participant.objects.select_for_update().select_related("project")
                   .filter(invitation_token_hash=token_hash(token), invitation_expires_at__gt=timezone.now())
                   .first())
    if participant is None:
        raise NotFound(_("This invitation link is not valid any more. Ask the project's organiser for a new one."))
    problem = invitation_address_problem(user=user, mailed_to=participant.invitation_email)
    if problem:
        # The record leads to the person's wallet and certificate: only the address the link was mailed to.
        raise PermissionDenied(problem)
    participant.user, participant.invitation_token_hash = user, None
    participant.save(update_fields=["user", "invitation_token_hash", "updated_at"])
    audit_record(actor=user, action="grant", target=participant, organisation=participant.organisation,
                 verb="invitation accepted")
    return participant


def _require_learner(actor, participant: Participant) -> None:
    if not yp_rules.is_own_participant_record(actor, participant):
        raise NotFound()


@transaction.atomic
def participant_personal_data_confirm(*, actor, participant: Participant, data: dict) -> dict:
    """The participant checks and corrects their own data."""
    _require_learner(actor, participant)
    data = {k: v for k, v in data.items() if k in LEARNER_FIELDS}
    if "email" in data:
        data["email"] = (data["email"] or "").strip().lower()
        if data["email"] and participant.project.participants.filter(email=data["email"]).exclude(
                pk=participant.pk).exists():
            raise ApplicationError(_("Another person in this project has the e-mail %(email)s. Use your own "
                                     "address.") % {"email": data["email"]}, code="duplicate")
    try:
        changes = model_update(instance=participant, fields=LEARNER_FIELDS, data=data)
    except ValidationError as error:
        raise ApplicationError(_validation_message(error)) from error
    if "email" in changes:
        changes.update(_invitation_void_on_new_address(participant))
    participant.data_confirmed_at = timezone.now()
    update = ["data_confirmed_at", "updated_at"]
    if participant.status in (Participant.Status.NOT_INVITED, Participant.Status.INVITED):
        changes["status"] = [participant.status, Participant.Status.DATA_COMPLETED]
        participant.status = Participant.Status.DATA_COMPLETED
        update.append("status")
    participant.save(update_fields=update)
    audit_record(actor=actor, action="update", target=participant, organisation=participant.organisation,
                 verb="personal data confirmed", changes=changes)
    return changes


def _allowed_sections(participant: Participant) -> set[tuple[str, str]]:
    allowed: set[tuple[str, str]] = set()
    for framework in participant_frameworks(participant=participant):
        if framework.is_free_section:
            allowed.add((framework.id, ""))
        else:
            allowed.update((framework.id, c.id) for c in framework.competences)
    return allowed


def _section_label(participant: Participant, framework_id: str, competence_id: str) -> str:
    """The competence's (or free section's) title, to name it in an error message."""
    for framework in participant_frameworks(participant=participant):
        if framework.id == framework_id:
            if not competence_id:
                return framework.title()
            for competence in framework.competences:
                if competence.id == competence_id:
                    return competence.title()
    return competence_id or framework_id


@transaction.atomic
def outcomes_save(*, actor, participant: Participant, texts: dict[tuple[str, str, str], str],
                  submit: bool = False) -> int:
    """Save the learner's texts (a draft; autosave calls this too). Any subset, at most TEXT_MAX_LENGTH characters
    each, no control characters but tab and line breaks (core.validators); an empty text
    removes the entry. With `submit`, the outcomes are handed to the organiser and locked until reopened."""
    _require_learner(actor, participant)
    participant = Participant.objects.select_for_update().select_related("project").get(pk=participant.pk)
    if participant.outcomes_locked:
        raise ApplicationError(_("Your learning outcomes were submitted. Ask the organiser to reopen them if you "
                                 "want to change something."), code="locked")
    allowed = _allowed_sections(participant)
    languages = dict(settings.LANGUAGES)
    existing = {(o.framework_id, o.competence_id, o.language): o for o in participant.outcomes.all()}
    changed = 0
    for (framework_id, competence_id, language), text in texts.items():
        if (framework_id, competence_id) not in allowed or language not in languages:
            raise ApplicationError(_("This competence is not part of your certificate."), code="competence")
        text = (text or "").strip()
        problem = text_problem(text, label=_section_label(participant, framework_id, competence_id),
                               multiline=True, max_length=TEXT_MAX_LENGTH)
        if problem is not None:
            raise ApplicationError(problem[0], code=problem[1])
        current = existing.get((framework_id, competence_id, language))
        if current is None and text:
            LearningOutcome.objects.create(organisation=participant.organisation, participant=participant,
                                           framework_id=framework_id, competence_id=competence_id,
                                           language=language, text=text)
            changed += 1
        elif current is not None and not text:
            current.delete()
            changed += 1
        elif current is not None and current.text != text:
            current.text = text
            current.save(update_fields=["text", "updated_at"])
            changed += 1
    if submit:
        if not participant.outcomes.exists():
            raise ApplicationError(_("Write about at least one competence before you submit."), code="empty")
        old = participant.status
        participant.outcomes_submitted_at = timezone.now()
        participant.status = Participant.Status.OUTCOMES_SUBMITTED
        participant.save(update_fields=["outcomes_submitted_at", "status", "updated_at"])
        audit_record(actor=actor, action="update", target=participant, organisation=participant.organisation,
                     verb="learning outcomes submitted", changes={"status": [old, participant.status]})
    elif changed:
        audit_record(actor=actor, action="update", target=participant, organisation=participant.organisation,
                     verb="learning outcomes draft saved", changes={"outcomes": [None, changed]})
    return changed


@transaction.atomic
def outcomes_reopen(*, actor, participant: Participant) -> None:
    """The organiser lets the participant change submitted outcomes again."""
    _require_edit(actor, participant.project)
    # After a certificate was issued, reopening is how a correction starts: the current certificate stays valid
    # until a new one is issued, which supersedes it.
    if not participant.outcomes_locked:
        raise ApplicationError(_("The learning outcomes are not submitted yet."), code="not_submitted")
    old = participant.status
    participant.outcomes_submitted_at = None
    participant.status = Participant.Status.DATA_COMPLETED
    participant.save(update_fields=["outcomes_submitted_at", "status", "updated_at"])
    audit_record(actor=actor, action="update", target=participant, organisation=participant.organisation,
                 verb="learning outcomes reopened", changes={"status": [old, participant.status]})


@transaction.atomic
def supervisor_assessment_update(*, actor, participant: Participant, data: dict) -> dict:
    """The supervisor's / mentor's separate assessment and the dialogue partner who may sign part 3 (D2),
    entered by the organiser."""
    _require_edit(actor, participant.project)
    changes = model_update(instance=participant, fields=SUPERVISOR_FIELDS, data=data)
    if changes:
        audit_record(actor=actor, action="update", target=participant, organisation=participant.organisation,
                     verb="supervisor assessment", changes=changes)
    return changes


# --- finalisation ----------------------------------------------------------------------------------------------

@transaction.atomic
def project_finalise(*, actor, project: Project, signing_place: str, signing_date: datetime.date,
                     certificate_language: str, signatory_page1=None, signatory_part2=None,
                     extra_signatory_name: str = "", extra_signatory_position: str = "") -> dict:
    """Place and date of signing, the signatories of page 1 (legal representative) and part 2 (person responsible
    for the project; may be the same person), certificate language(s) and the optional additional official
    signatory (e.g. the mayor)."""
    project = _require_edit(actor, project)
    for signatory, page, label in ((signatory_page1, "legal_representative", _("page 1")),
                                   (signatory_part2, "project_responsible", _("part 2"))):
        if signatory is None:
            raise ApplicationError(_("Choose who signs %(part)s.") % {"part": label}, code="signatory")
        if signatory.organisation_id != project.organisation_id or not signatory.is_active:
            raise ApplicationError(_("Choose an active signatory of your organisation."), code="signatory")
        if signatory.pages and page not in signatory.pages:
            raise ApplicationError(_("%(name)s may not sign %(part)s: change what they may sign in the "
                                     "organisation's signatories.") % {"name": signatory.full_name, "part": label},
                                   code="signatory")
    if not signing_place.strip() or not signing_date:
        raise ApplicationError(_("Enter the place and the date of signing."), code="signing")
    if certificate_language not in CertificateLanguage.values:
        raise ApplicationError(_("Choose the certificate language."), code="language")
    if bool(extra_signatory_name.strip()) != bool(extra_signatory_position.strip()):
        raise ApplicationError(_("Enter both the name and the position of the additional signatory, or neither."),
                               code="extra_signatory")
    changes = model_update(instance=project, fields=[
        "signing_place", "signing_date", "certificate_language", "signatory_page1", "signatory_part2",
        "extra_signatory_name", "extra_signatory_position"], data={
        "signing_place": signing_place.strip(), "signing_date": signing_date,
        "signatory_page1": signatory_page1, "signatory_part2": signatory_part2,
        "certificate_language": certificate_language, "extra_signatory_name": extra_signatory_name.strip(),
        "extra_signatory_position": extra_signatory_position.strip()})
    project.finalised_at = timezone.now()
    project.save(update_fields=["finalised_at", "updated_at"])
    audit_record(actor=actor, action="update", target=project, organisation=project.organisation,
                 verb="finalised", changes=changes)
    return changes


# --- supervisor / mentor (D2) ----------------------------------------------------------------------------------

@transaction.atomic
def supervisor_invite(*, actor, participant: Participant, full_name: str, email: str, position: str = "",
                      language: str = "lv") -> Participant:
    """Ask the supervisor or mentor by e-mail to write their assessment of the person's learning (D2)."""
    from agnitio.notifications.services import email_queue

    _require_edit(actor, participant.project)
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ApplicationError(_("Enter a valid e-mail address."), code="email") from error
    if not full_name.strip():
        raise ApplicationError(_("Enter the supervisor's name."), code="full_name")
    for value, label in ((full_name, _("Supervisor's or mentor's name")), (position, _("Their position"))):
        problem = text_problem(value, label=label, max_length=200)
        if problem is not None:
            raise ApplicationError(problem[0], code=problem[1])
    if language not in dict(settings.LANGUAGES):
        raise ApplicationError(_("Choose a language."), code="language")
    token, hashed = _new_token()
    old = {"supervisor_email": participant.supervisor_email, "supervisor_name": participant.supervisor_name}
    participant.supervisor_name, participant.supervisor_position = full_name.strip(), position.strip()
    participant.supervisor_email, participant.supervisor_user = email, None
    participant.supervisor_token_hash, participant.supervisor_invitation_email = hashed, email
    participant.supervisor_token_expires_at = timezone.now() + datetime.timedelta(days=INVITATION_DAYS)
    participant.save(update_fields=["supervisor_name", "supervisor_position", "supervisor_email", "supervisor_user",
                                    "supervisor_token_hash", "supervisor_token_expires_at",
                                    "supervisor_invitation_email", "updated_at"])
    email_queue(to=email, template="youthpass/email/supervisor_invitation", language=language,
                organisation=participant.organisation, related=participant,
                context={"full_name": participant.supervisor_name, "learner": participant.full_name,
                         "project_name": participant.project.display_name,
                         "organisation_name": str(participant.organisation),
                         "url": _site_url(f"/youthpass/supervisor/{token}/"), "days": INVITATION_DAYS})
    audit_record(actor=actor, action="grant", target=participant, organisation=participant.organisation,
                 verb="supervisor invited", changes={k: [v, getattr(participant, k)] for k, v in old.items()})
    participant._supervisor_token = token  # for the caller (tests, API); never stored
    return participant


@transaction.atomic
def supervisor_invitation_accept(*, user, token: str) -> Participant:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in or create an account to continue."))
    participant = (Participant.objects.select_for_update().filter(
        supervisor_token_hash=token_hash(token), supervisor_token_expires_at__gt=timezone.now()).first())
    if participant is None:
        raise NotFound(_("This invitation link is not valid any more. Ask the project's organiser for a new one."))
    problem = invitation_address_problem(user=user, mailed_to=participant.supervisor_invitation_email)
    if problem:
        raise PermissionDenied(problem)
    participant.supervisor_user, participant.supervisor_token_hash = user, None
    participant.save(update_fields=["supervisor_user", "supervisor_token_hash", "updated_at"])
    audit_record(actor=user, action="grant", target=participant, organisation=participant.organisation,
                 verb="supervisor invitation accepted")
    return participant


@transaction.atomic
def supervisor_assessment_write(*, actor, participant: Participant, assessment: str, position: str = "") -> dict:
    """The supervisor writes (or corrects) their own assessment, until the certificate is issued."""
    if not getattr(actor, "is_authenticated", False) or participant.supervisor_user_id != actor.pk:
        raise NotFound()
    if participant.status == Participant.Status.CERTIFICATE_ISSUED:
        raise ApplicationError(_("The certificate was issued already. Ask the organiser if something must change."),
                               code="issued")
    changes = model_update(instance=participant, fields=["supervisor_assessment", "supervisor_position"],
                           data={"supervisor_assessment": assessment.strip(),
                                 **({"supervisor_position": position.strip()} if position.strip() else {})})
    if changes:
        audit_record(actor=actor, action="update", target=participant, organisation=participant.organisation,
                     verb="supervisor assessment written", changes=changes)
    return changes
