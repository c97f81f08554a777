"""Reads. Each selector returns only what the actor may see; "not found" and "not allowed" are the same."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from agnitio.core.errors import NotFound
from agnitio.core.tokens import token_hash
from agnitio.frameworks.selectors import Framework, frameworks_for_role
from agnitio.organisations.access import ADMIN_ROLES, memberships_of, within_scope

from .choices import PROFESSIONAL_PROJECT_TYPES
from .models import Activity, LearningOutcome, Participant, Project, ProjectEditor, Reminder


def _authenticated(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def project_list(*, actor, organisation=None, with_counts: bool = False) -> QuerySet[Project]:
    """Projects the actor may see: all of their organisations' projects where they are owner/admin, and the
    projects they are an active editor of. `with_counts` annotates activity and participant counts."""
    if not _authenticated(actor):
        return Project.objects.none()
    admin_of = memberships_of(actor).filter(role__in=ADMIN_ROLES, organisation=OuterRef("organisation"))
    editor_of = ProjectEditor.objects.filter(user=actor, status=ProjectEditor.Status.ACTIVE, project=OuterRef("pk"))
    qs = within_scope(Project.objects.filter(Q(Exists(admin_of)) | Q(Exists(editor_of))))
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    qs = qs.select_related("organisation")
    if with_counts:
        qs = qs.annotate(activity_count=Count("activities", distinct=True),
                         participant_count=Count("participants", distinct=True))
    return qs


def project_ids_visible_to(*, actor, organisation) -> QuerySet:
    """Public access function for other apps: the ids (a subquery) of the organisation's projects the actor may
    open — e.g. the trust layer shows a project's certificates only to them."""
    return project_list(actor=actor, organisation=organisation).values("pk")


def project_get(*, actor, public_id: str) -> Project:
    project = project_list(actor=actor).filter(public_id=public_id).first()
    if project is None:
        raise NotFound()
    return project


def project_editor_list(*, actor, project) -> QuerySet[ProjectEditor]:
    project_get(actor=actor, public_id=project.public_id)
    return project.editors.exclude(status=ProjectEditor.Status.REVOKED).select_related("user")


def project_editor_by_token(*, token: str) -> ProjectEditor:
    editor = (ProjectEditor.objects.select_related("project", "organisation")
              .filter(token_hash=token_hash(token), status=ProjectEditor.Status.PENDING,
                      expires_at__gt=timezone.now()).first())
    if editor is None:
        raise NotFound()
    return editor


def activity_list(*, actor, project) -> QuerySet[Activity]:
    project_get(actor=actor, public_id=project.public_id)
    return project.activities.all()


def activity_get(*, actor, project, public_id: str) -> Activity:
    activity = activity_list(actor=actor, project=project).filter(public_id=public_id).first()
    if activity is None:
        raise NotFound()
    return activity


def participant_list(*, actor, project, status: str | None = None, activity=None, role: str | None = None,
                     search: str = "") -> QuerySet[Participant]:
    """The project's participants, filtered; activities prefetched (query count independent of list size)."""
    project_get(actor=actor, public_id=project.public_id)
    qs = project.participants.all()
    if status:
        qs = qs.filter(status=status)
    if role:
        qs = qs.filter(role=role)
    if activity is not None:
        qs = qs.filter(activities=activity)
    if search:
        qs = qs.filter(Q(first_name__icontains=search) | Q(last_name__icontains=search) | Q(email__icontains=search))
    return qs.prefetch_related(Prefetch("activities", queryset=Activity.objects.only("id", "public_id", "title",
                                                                                     "start_date")))


def participant_get(*, actor, project, public_id: str) -> Participant:
    participant = participant_list(actor=actor, project=project).filter(public_id=public_id).first()
    if participant is None:
        raise NotFound()
    return participant


def participant_get_by_public_id(*, actor, public_id: str) -> Participant:
    """A participant record for an organiser (through a project they may see)."""
    participant = Participant.objects.select_related("project").filter(public_id=public_id).first()
    if participant is None:
        raise NotFound()
    return participant_get(actor=actor, project=participant.project, public_id=public_id)


def participant_list_for_learner(*, actor) -> QuerySet[Participant]:
    """The records of the signed-in person as a learner (one per project they took part in)."""
    if not _authenticated(actor):
        return Participant.objects.none()
    return within_scope(Participant.objects.filter(user=actor)).select_related("project", "organisation")


def participant_get_for_learner(*, actor, public_id: str) -> Participant:
    participant = participant_list_for_learner(actor=actor).filter(public_id=public_id).first()
    if participant is None:
        raise NotFound()
    return participant


def participant_by_invitation_token(*, token: str) -> Participant:
    participant = (Participant.objects.select_related("project", "organisation")
                   .filter(invitation_token_hash=token_hash(token), invitation_expires_at__gt=timezone.now()).first())
    if participant is None:
        raise NotFound()
    return participant


def participant_frameworks(*, participant) -> list[Framework]:
    """The sections the participant writes in, chosen by their role and the project type."""
    return frameworks_for_role(role=participant.role,
                               professional=participant.project.project_type in PROFESSIONAL_PROJECT_TYPES)


def outcome_texts(*, participant) -> dict[tuple[str, str, str], str]:
    """(framework_id, competence_id, language) → text, for the participant's outcomes."""
    return {(o.framework_id, o.competence_id, o.language): o.text
            for o in LearningOutcome.objects.filter(participant=participant)}


def communication_list(*, actor, participant):
    """The history of all e-mails to/about the participant, newest first (from the notifications outbox)."""
    from agnitio.notifications.services import outbox_list_for

    participant_get(actor=actor, project=participant.project, public_id=participant.public_id)
    return outbox_list_for(related=participant)


def reminder_list(*, actor, project) -> QuerySet[Reminder]:
    project_get(actor=actor, public_id=project.public_id)
    return project.reminders.all()


def participant_by_supervisor_token(*, token: str) -> Participant:
    participant = (Participant.objects.select_related("project", "organisation")
                   .filter(supervisor_token_hash=token_hash(token), supervisor_token_expires_at__gt=timezone.now())
                   .first())
    if participant is None:
        raise NotFound()
    return participant


def participant_get_for_supervisor(*, actor, public_id: str) -> Participant:
    if not _authenticated(actor):
        raise NotFound()
    participant = (Participant.objects.select_related("project", "organisation")
                   .filter(supervisor_user=actor, public_id=public_id).first())
    if participant is None:
        raise NotFound()
    return participant
