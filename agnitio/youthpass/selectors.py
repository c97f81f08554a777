"""Reads. Each selector returns only what the actor may see; "not found" and "not allowed" are the same."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from agnitio.core.emails import email_q
from agnitio.core.errors import NotFound
from agnitio.core.permissions import allowed
from agnitio.core.prepared import PreparedQuery
from agnitio.frameworks.selectors import Framework, frameworks_for_role
from agnitio.organisations.access import (
    ADMIN_ROLES,
    memberships_of,
    memberships_of_user_id,
    organisation_scope,
    role_in,
    within_scope,
)

from .choices import PROFESSIONAL_PROJECT_TYPES
from .models import (
    Activity,
    LearningGoal,
    LearningOutcome,
    Participant,
    ParticipantImport,
    Project,
    ProjectEditor,
    ProjectPartner,
    ReflectionNote,
    Reminder,
)


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
    if with_counts:  # one subquery per row shown, not a GROUP BY over every project before the page is cut
        qs = qs.annotate(activity_count=_count_of(Activity), participant_count=_count_of(Participant))
    return qs


def _count_of(model):
    rows = model.objects.filter(project=OuterRef("pk")).order_by().values("project").annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n")), 0)


PROJECT_ORDER = ("-created_at", "-id")  # the project list, newest first (core.pagination)
# What a row of the project list shows (youthpass.rows): the list is read with .only(*PROJECT_ROW_FIELDS).
PROJECT_ROW_FIELDS = ("id", "public_id", "created_at", "organisation_id", "title", "grant_number",
                      "organisation__id", "organisation__legal_name", "organisation__short_name")
PROJECT_PAGE_SIZE = 50  # core.pagination's default


def project_list_rows(*, actor) -> QuerySet[Project]:
    """The project list's queryset: project_list with the counts, reading only what a row shows."""
    return project_list(actor=actor, with_counts=True).only(*PROJECT_ROW_FIELDS)


def _project_list_first_rows(user_id: int) -> QuerySet[Project]:
    return (_projects_visible_to_user(user_id).select_related("organisation")
            .annotate(activity_count=_count_of(Activity), participant_count=_count_of(Participant))
            .only(*PROJECT_ROW_FIELDS).order_by(*PROJECT_ORDER)[:PROJECT_PAGE_SIZE + 1])


# The first page of the project list, every visit to Youthpass (core.prepared, ADR 0019): the SQL of
# keyset_page(project_list_rows(actor=...), ordering=PROJECT_ORDER) without a cursor, compiled once per connection.
_PROJECT_LIST_FIRST = PreparedQuery(_project_list_first_rows, markers={"user_id": -7_318_046_211},
                                    name="youthpass.project_list_first_page")


def project_list_first_rows(*, actor, rows: int) -> list[Project] | None:
    """The first `rows` rows of project_list_rows(actor=actor) in PROJECT_ORDER, from the prepared query; None
    when it does not apply (another number of rows, a scoped request): then ask the queryset."""
    if rows != PROJECT_PAGE_SIZE + 1 or not _authenticated(actor) or not _prepared_for(actor):
        return None
    return _PROJECT_LIST_FIRST.list(user_id=actor.pk)


def project_ids_visible_to(*, actor, organisation) -> QuerySet:
    """Public access function for other apps: the ids (a subquery) of the organisation's projects the actor may
    open — e.g. the trust layer shows a project's certificates only to them."""
    return project_list(actor=actor, organisation=organisation).values("pk")


CHOICES_ORDER = ("-start_date", "-id")


def _projects_of_organisation(organisation_id: int) -> QuerySet[Project]:
    """Every project of the organisation with what a list's project filter shows, in CHOICES_ORDER."""
    return Project.objects.filter(organisation_id=organisation_id).only("public_id", "title").order_by(*CHOICES_ORDER)


# The issued list's project filter asks an admin's projects on every visit (core.prepared, ADR 0019): compiled once
# per connection, the rows read each time; a scoped (API token) request takes the ORM's way.
_PROJECT_CHOICES = PreparedQuery(_projects_of_organisation, markers={"organisation_id": -7_318_046_211},
                                 name="youthpass.project_choices")


def project_choices(*, actor, organisation) -> list[tuple[int, str, str]]:
    """(pk, public_id, title) of the organisation's projects the actor may open (project_list), the latest start
    first: a list's project filter. An owner or admin of the organisation opens all of them, so for them they are
    asked without project_list's two subqueries per project (the same rows; building those cost more than the
    query), by a prepared query in a request without an organisation scope."""
    if role_in(actor, organisation) in ADMIN_ROLES:
        if organisation_scope() is None and type(organisation.pk) is int:
            return [(p.pk, p.public_id, p.title) for p in _PROJECT_CHOICES.list(organisation_id=organisation.pk)]
        projects = within_scope(Project.objects.filter(organisation=organisation))
    else:
        projects = project_list(actor=actor, organisation=organisation)
    return list(projects.order_by(*CHOICES_ORDER).values_list("pk", "public_id", "title"))


def _projects_visible_to_user(user_id: int) -> QuerySet[Project]:
    """project_list's rows for an unscoped request, by the user's id (for the prepared queries below)."""
    admin_of = memberships_of_user_id(user_id).filter(role__in=ADMIN_ROLES, organisation=OuterRef("organisation"))
    editor_of = ProjectEditor.objects.filter(user_id=user_id, status=ProjectEditor.Status.ACTIVE,
                                             project=OuterRef("pk"))
    return Project.objects.filter(Q(Exists(admin_of)) | Q(Exists(editor_of)))


def _project_of_user(user_id: int, public_id: str) -> QuerySet[Project]:
    return _projects_visible_to_user(user_id).select_related("organisation").filter(public_id=public_id)[:1]


# Every page of a project reads it (core.prepared, ADR 0019): the SQL of project_list(...).filter(public_id=...)
# .first() compiled once per connection; the row is read from the database each time, so a revoked editor or a
# removed membership counts on the very next request. A scoped (API token) request takes the ORM's way.
_PROJECT_OF_USER = PreparedQuery(_project_of_user, markers={"user_id": -7_318_046_211,
                                                            "public_id": "\u2063project-public-id\u2063"},
                                 name="youthpass.project_get")


def _prepared_for(actor) -> bool:
    """Whether the actor's reads may take the prepared queries: a signed-in user with an integer id, in a request
    without an organisation scope."""
    return organisation_scope() is None and type(actor.pk) is int


def project_get(*, actor, public_id: str) -> Project:
    if not _authenticated(actor):
        raise NotFound()
    if _prepared_for(actor) and type(public_id) is str:
        project = _PROJECT_OF_USER.one(user_id=actor.pk, public_id=public_id)
    else:
        project = project_list(actor=actor).filter(public_id=public_id).first()
    if project is None:
        raise NotFound()
    project._visible_to = actor.pk  # this instance was read for this actor: see _project_visible
    return project


def _project_visible(*, actor, project) -> None:
    """NotFound unless the actor may see the project. A project the page read with `project_get` for the same
    actor (moments ago, in this request) is not checked a second time: the check is a query with two subqueries
    that every project page would otherwise run twice."""
    if _authenticated(actor) and getattr(project, "_visible_to", None) == actor.pk:
        return
    project_get(actor=actor, public_id=project.public_id)


def project_editor_list(*, actor, project) -> QuerySet[ProjectEditor]:
    _project_visible(actor=actor, project=project)
    return project.editors.exclude(status=ProjectEditor.Status.REVOKED).select_related("user")


def project_editor_get(*, project, public_id: str) -> ProjectEditor:
    editor = project.editors.filter(public_id=public_id).first()
    if editor is None:
        raise NotFound()
    return editor


def project_partner_get(*, project, public_id: str) -> ProjectPartner:
    partner = project.partners.filter(public_id=public_id).first()
    if partner is None:
        raise NotFound()
    return partner


def activity_list(*, actor, project) -> QuerySet[Activity]:
    _project_visible(actor=actor, project=project)
    return project.activities.all()


def activity_get(*, actor, project, public_id: str) -> Activity:
    activity = activity_list(actor=actor, project=project).filter(public_id=public_id).first()
    if activity is None:
        raise NotFound()
    return activity


def participant_list(*, actor, project, status: str | None = None, activity=None, role: str | None = None,
                     search: str = "", public_ids: list[str] | None = None) -> QuerySet[Participant]:
    """The project's participants, filtered; activities prefetched (query count independent of list size)."""
    _project_visible(actor=actor, project=project)
    qs = project.participants.all()
    if public_ids is not None:
        qs = qs.filter(public_id__in=public_ids)
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


# The participant list: ordered by name (the model's ordering), one page at a time (core.pagination), reading
# only the columns the table shows. Backed by the index on (project, last_name, first_name).
PARTICIPANT_ORDER = ("last_name", "first_name", "id")
PARTICIPANT_ROW_FIELDS = ("id", "project_id", "public_id", "first_name", "last_name", "email", "role", "status",
                          "outcomes_submitted_at")  # whether outcomes can still be written on their behalf


PARTICIPANT_PAGE_SIZE = 100  # the list of individuals (views._common.PAGE_SIZE)


def _participants_first_rows(project_id: int) -> QuerySet[Participant]:
    return (Participant.objects.filter(project_id=project_id).only(*PARTICIPANT_ROW_FIELDS)
            .order_by(*PARTICIPANT_ORDER)[:PARTICIPANT_PAGE_SIZE + 1])


def _activities_of(project_id: int) -> QuerySet[Activity]:
    return Activity.objects.filter(project_id=project_id)


def _partners_of(project_id: int) -> QuerySet[ProjectPartner]:
    return ProjectPartner.objects.filter(project_id=project_id)


# A project's pages (core.prepared, ADR 0019): its activities and partners, and the first page of its individuals
# without a filter — the SQL of project.activities.all(), project.partners.all() and of keyset_page over
# participant_list(...) compiled once per connection. Only for a project read for the actor (project_get).
_PARTICIPANTS_FIRST = PreparedQuery(_participants_first_rows, markers={"project_id": -7_318_046_211},
                                    name="youthpass.participants_first_page")
_ACTIVITIES_OF = PreparedQuery(_activities_of, markers={"project_id": -7_318_046_211},
                               name="youthpass.project_activities")
_PARTNERS_OF = PreparedQuery(_partners_of, markers={"project_id": -7_318_046_211},
                             name="youthpass.project_partners")


def _read_for_page(project) -> bool:
    """Whether the project's rows may be read by the prepared queries: a project project_get read (for the person
    asking, in this request) with an integer id, in a request without an organisation scope."""
    return (getattr(project, "_visible_to", None) is not None and organisation_scope() is None
            and type(project.pk) is int)


def _of_project(rows: list, project) -> list:
    for row in rows:  # what a related manager's queryset gives its rows (known related objects)
        row.project = project
    return rows


def project_activities(*, actor, project) -> list[Activity]:
    """activity_list(actor=actor, project=project), read at once."""
    _project_visible(actor=actor, project=project)
    if _read_for_page(project):
        return _of_project(_ACTIVITIES_OF.list(project_id=project.pk), project)
    return list(project.activities.all())


def project_partners(*, actor, project) -> list[ProjectPartner]:
    """The project's partner organisations, by name."""
    _project_visible(actor=actor, project=project)
    if _read_for_page(project):
        return _of_project(_PARTNERS_OF.list(project_id=project.pk), project)
    return list(project.partners.all())


def participant_first_rows(*, actor, project, rows: int) -> list[Participant] | None:
    """The first `rows` rows of participant_list(actor=actor, project=project) with no filter, reading
    PARTICIPANT_ROW_FIELDS in PARTICIPANT_ORDER, from the prepared query; None when it does not apply (another
    number of rows, a scoped request): then ask the queryset."""
    _project_visible(actor=actor, project=project)
    if rows != PARTICIPANT_PAGE_SIZE + 1 or not _read_for_page(project):
        return None
    return _of_project(_PARTICIPANTS_FIRST.list(project_id=project.pk), project)


def participant_activity_ids(*, participants) -> dict[int, list[int]]:
    """participant pk → the pks of their activities, for a page of participants, in one query (the titles come
    from the project's activities, which the page has already read)."""
    through = Participant.activities.through
    result: dict[int, list[int]] = {}
    for participant_id, activity_id in (through.objects.filter(participant_id__in=[p.pk for p in participants])
                                        .order_by("activity_id")
                                        .values_list("participant_id", "activity_id")):
        result.setdefault(participant_id, []).append(activity_id)
    return result


def participant_status_numbers(*, project) -> dict[str, tuple[int, int]]:
    """status → (how many of the project's participants are in it, how many of those have an e-mail address)."""
    if _read_for_page(project):  # the project's page: the prepared query, when it accounts for every participant
        row = _STATUS_NUMBERS.one(project_id=project.pk)
        if row is not None:
            numbers = {status: (getattr(row, f"n_{status}"), getattr(row, f"e_{status}"))
                       for status in Participant.Status.values if getattr(row, f"n_{status}")}
            if sum(n for n, _with_email in numbers.values()) == row.n_all:
                return numbers
    return {status: (n, with_email) for status, n, with_email in project.participants.values_list("status").annotate(
        n=Count("id"), with_email=Count("id", filter=~Q(email=""))).order_by()}


def _status_numbers_of(project_id: int) -> QuerySet[Project]:
    counts = {"n_all": Count("participants")}
    for status in Participant.Status.values:
        counts[f"n_{status}"] = Count("participants", filter=Q(participants__status=status))
        counts[f"e_{status}"] = Count("participants", filter=Q(participants__status=status)
                                      & ~Q(participants__email=""))
    return Project.objects.filter(pk=project_id).annotate(**counts).only("id").order_by()


# A project's page (core.prepared, ADR 0019): the numbers of its participants in each status, with and without
# an e-mail address, as one row of the project (a status outside Participant.Status — none should exist — makes
# the counts not add up to n_all, and the grouped query is asked instead).
_STATUS_NUMBERS = PreparedQuery(_status_numbers_of, markers={"project_id": -7_318_046_211},
                                name="youthpass.participant_status_numbers")


def participant_status_counts(*, project, numbers: dict[str, tuple[int, int]] | None = None) -> dict[str, int]:
    """How many of the project's participants are in each status, by the status's label. `numbers`: what
    participant_status_numbers gave, when the caller has it."""
    if numbers is None:
        numbers = participant_status_numbers(project=project)
    return {str(status.label): numbers.get(status.value, (0, 0))[0] for status in Participant.Status}


def participant_get(*, actor, project, public_id: str) -> Participant:
    participant = participant_list(actor=actor, project=project).filter(public_id=public_id).first()
    if participant is None:
        raise NotFound()
    return participant


def participant_history(*, actor, participant: Participant, limit: int = 100) -> list:
    """The changes recorded for the participant's record (the audit events), newest first, for the project's
    editors: who entered, submitted or confirmed what, and on whose behalf."""
    from agnitio.core.models import AuditEvent

    participant_get(actor=actor, project=participant.project, public_id=participant.public_id)
    return list(AuditEvent.objects.filter(object_type=Participant._meta.label, object_id=participant.public_id)
                .select_related("actor").order_by("-created_at", "-id")[:limit])


def participant_list_for_learner(*, actor) -> QuerySet[Participant]:
    """The records of the signed-in person as a learner (one per project they took part in)."""
    if not _authenticated(actor):
        return Participant.objects.none()
    return within_scope(Participant.objects.filter(user=actor)).select_related("project", "organisation")


def _learner_records(user_id: int) -> QuerySet[Participant]:
    return Participant.objects.filter(user_id=user_id).select_related("project", "organisation")


# Shown under the first page of the project list (core.prepared, ADR 0019): participant_list_for_learner's SQL.
_LEARNER_RECORDS = PreparedQuery(_learner_records, markers={"user_id": -7_318_046_211},
                                 name="youthpass.learner_records")


def learner_records(*, actor) -> list[Participant]:
    """participant_list_for_learner(actor=actor) read at once (from the prepared query when the request is not
    scoped)."""
    if not _authenticated(actor):
        return []
    if _prepared_for(actor):
        return _LEARNER_RECORDS.list(user_id=actor.pk)
    return list(participant_list_for_learner(actor=actor))


def participant_get_for_learner(*, actor, public_id: str) -> Participant:
    participant = participant_list_for_learner(actor=actor).filter(public_id=public_id).first()
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
    """The history of all e-mails to/about the participant, newest first (from the notifications outbox),
    including the invitations (theirs and their supervisor's) the actor may manage."""
    from agnitio.invitations.selectors import invitations_for
    from agnitio.notifications.services import outbox_list_for

    participant_get(actor=actor, project=participant.project, public_id=participant.public_id)
    return outbox_list_for(related=participant,
                           also=invitations_for(actor=actor, target=participant, pending_only=False))


def reminder_list(*, actor, project) -> QuerySet[Reminder]:
    _project_visible(actor=actor, project=project)
    return project.reminders.all()


def participant_get_for_supervisor(*, actor, public_id: str) -> Participant:
    if not _authenticated(actor):
        raise NotFound()
    participant = (Participant.objects.select_related("project", "organisation")
                   .filter(supervisor_user=actor, public_id=public_id).first())
    if participant is None:
        raise NotFound()
    return participant


# --- the learning journal (goals and reflection notes; rules.py says who reads what) ------------------------------

NOTE_ORDER = ("-written_on", "-id")  # newest first (core.pagination), backed by the (participant, written_on, id) index


def _journal_scope(*, actor, participant: Participant, rows: QuerySet) -> QuerySet:
    """All of the participant's entries for the participant themselves, the shared ones for their
    supervisor/mentor, NotFound for anyone else (the organisation's admins and editors included)."""
    if allowed(actor, "youthpass.keep_learning_journal", participant):
        return rows
    if allowed(actor, "youthpass.view_shared_journal", participant):
        return rows.filter(shared=True)
    raise NotFound()


def learning_goal_list(*, actor, participant: Participant) -> QuerySet[LearningGoal]:
    """The participant's learning goals the actor may read, oldest first (at most services.journal.GOALS_MAX)."""
    return _journal_scope(actor=actor, participant=participant,
                          rows=LearningGoal.objects.filter(participant=participant))


def reflection_note_list(*, actor, participant: Participant) -> QuerySet[ReflectionNote]:
    """The participant's reflection notes the actor may read; show them a page at a time in NOTE_ORDER."""
    return _journal_scope(actor=actor, participant=participant,
                          rows=ReflectionNote.objects.filter(participant=participant))


def participant_import_get(*, project, public_id: str) -> ParticipantImport:
    """An uploaded spreadsheet of the project: waiting for its column mapping, or imported (its result, with the
    rows a partial import left out)."""
    upload = project.imports.filter(public_id=public_id).first()
    if upload is None:
        raise NotFound()
    return upload


def reread(instance):
    """A fresh copy of the row (validation of a form mutates the instance it was given)."""
    return type(instance).objects.get(pk=instance.pk)


# --- for other apps (accounts, credentials): they read Youthpass data only through these ------------------------

def participation_organisation_ids_query(*, user) -> QuerySet:
    """The organisations whose projects the person took part in with their account, as a subquery
    (`organisation_id__in=...`), read by the query that uses it."""
    return Participant.objects.filter(user=user).order_by().values("organisation_id")


def participation_list_for_person(*, user, emails) -> QuerySet[Participant]:
    """The person's participations: linked to their account, or addressed to one of `emails` (their confirmed
    addresses), with what a data export shows of them."""
    query = Q(user=user) | email_q("email", emails)  # stored normalised (services.participants, imports)
    return (Participant.objects.filter(query).select_related("project", "organisation", "certificate")
            .prefetch_related("outcomes", "activities", "learning_goals", "reflection_notes"))

