"""Reminders to the organiser side (YANS for the organiser, DOMAIN D1): at three milestones of a project's life
the project page shows a notice and the project's admins and editors get one e-mail each, while the milestone's
work is not done. Each milestone can be switched off per project.

* before the start (from BEFORE_START_DAYS before it): participants still to add or to invite;
* at the end (from the last day): learning outcomes missing from N people;
* after the end (AFTER_END_DAYS later): the project still to finalise, or certificates still to issue.

Notices are computed from the data at request time (two aggregate queries); e-mails are sent by the periodic
task, at most once per milestone and person (OrganiserReminderDelivery's unique row), in each person's language.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from agnitio.core.services import audit_record, model_update

from .models import OrganiserReminderDelivery, Participant, Project, ProjectEditor
from .services._common import require_edit

Milestone = OrganiserReminderDelivery.Milestone

BEFORE_START_DAYS = 14
AFTER_END_DAYS = 7
# An e-mail is sent only this long after its milestone began (no mail about a project long past, e.g. after the
# switch is turned on late or a project is created afterwards); the on-screen notice stays while the work is due.
EMAIL_WINDOW = datetime.timedelta(days=14)

SWITCHES = {Milestone.BEFORE: "remind_before_start", Milestone.END: "remind_at_end",
            Milestone.AFTER: "remind_after_end"}
OUTCOMES_MISSING = (Participant.Status.NOT_INVITED, Participant.Status.INVITED, Participant.Status.DATA_COMPLETED)


@dataclasses.dataclass(frozen=True)
class Notice:
    milestone: str
    begins: datetime.date
    text: str
    action_label: str
    action_url: str


def project_dates(project: Project) -> tuple[datetime.date | None, datetime.date | None]:
    """The project's own dates, or the span of its activities (one query when the project has none)."""
    start, end = project.start_date, project.end_date
    if start is None or end is None:
        span = project.activities.aggregate(start=Min("start_date"), end=Max("end_date"))
        start, end = start or span["start"], end or span["end"]
    return start, end


def counts_of(numbers: dict[str, tuple[int, int]]) -> dict[str, int]:
    """What the notices count, from selectors.participant_status_numbers (a page that reads those anyway asks no
    other query)."""
    def of(*statuses: str, with_email: bool = False) -> int:
        return sum(numbers.get(status, (0, 0))[1 if with_email else 0] for status in statuses)

    return {"total": sum(n for n, _with_email in numbers.values()),
            "to_invite": of(Participant.Status.NOT_INVITED, with_email=True), "missing": of(*OUTCOMES_MISSING),
            "to_issue": of(Participant.Status.OUTCOMES_SUBMITTED)}


def _counts(project: Project) -> dict[str, int]:
    return project.participants.aggregate(
        total=Count("id"),
        to_invite=Count("id", filter=Q(status=Participant.Status.NOT_INVITED) & ~Q(email="")),
        missing=Count("id", filter=Q(status__in=OUTCOMES_MISSING)),
        to_issue=Count("id", filter=Q(status=Participant.Status.OUTCOMES_SUBMITTED)),
    )


def project_notices(*, project: Project, today: datetime.date | None = None,
                    counts: dict[str, int] | None = None) -> list[Notice]:
    """The milestones reached whose work is still due, with what to do (translated in the active language).
    `counts`: the participants' numbers (counts_of) when the caller has them."""
    today = today or timezone.localdate()
    if not any(getattr(project, field) for field in SWITCHES.values()):
        return []
    start, end = project_dates(project)
    if start is None or end is None:
        return []
    counts = counts if counts is not None else _counts(project)
    pid = project.public_id
    participants_url = reverse("youthpass:participant_list", args=[pid])
    notices = []
    before = start - datetime.timedelta(days=BEFORE_START_DAYS)
    if project.remind_before_start and before <= today < start and (counts["total"] == 0 or counts["to_invite"]):
        if counts["total"] == 0:
            text = gettext("The project starts on %(date)s and has no participants yet. Add the participants and "
                           "invite them, so that they can check their data and set their learning goals.")
        else:
            text = ngettext(
                "The project starts on %(date)s: %(count)d person with an e-mail address has not been invited yet.",
                "The project starts on %(date)s: %(count)d people with an e-mail address have not been invited yet.",
                counts["to_invite"])
        notices.append(Notice(Milestone.BEFORE, before,
                              text % {"date": _date(start), "count": counts["to_invite"]},
                              gettext("Add participants and invite them"), participants_url))
    if project.remind_at_end and today >= end and not project.finalised_at and counts["missing"]:
        text = ngettext("The project ended on %(date)s: learning outcomes are missing from %(count)d person.",
                        "The project ended on %(date)s: learning outcomes are missing from %(count)d people.",
                        counts["missing"])
        notices.append(Notice(Milestone.END, end, text % {"date": _date(end), "count": counts["missing"]},
                              gettext("See who has not written them"), participants_url))
    after = end + datetime.timedelta(days=AFTER_END_DAYS)
    if project.remind_after_end and today >= after:
        if not project.finalised_at:
            notices.append(Notice(Milestone.AFTER, after,
                                  gettext("The project ended on %(date)s and is not finalised yet. Enter the place "
                                          "and date of signing and the signatories, then issue the certificates.")
                                  % {"date": _date(end)},
                                  gettext("Finalise the project"), reverse("youthpass:project_finalise", args=[pid])))
        elif counts["to_issue"]:
            text = ngettext("%(count)d person has submitted their learning outcomes and has no certificate yet.",
                            "%(count)d people have submitted their learning outcomes and have no certificate yet.",
                            counts["to_issue"])
            notices.append(Notice(Milestone.AFTER, after, text % {"count": counts["to_issue"]},
                                  gettext("Issue the certificates"), participants_url))
    return notices


def _date(value: datetime.date) -> str:
    from django.utils.formats import date_format

    return date_format(value, "DATE_FORMAT")


@transaction.atomic
def organiser_reminders_set(*, actor, project: Project, data: dict) -> dict:
    """Switch the project's milestone reminders (notices and e-mails) on or off."""
    project = require_edit(actor, project)
    changes = model_update(instance=project, fields=list(SWITCHES.values()), data=data)
    if changes:
        audit_record(actor=actor, action="update", target=project, organisation=project.organisation,
                     changes=changes)
    return changes


def _recipients(project: Project):
    """The organisation's owners and admins and the project's active editors (each once, with an account)."""
    from django.contrib.auth import get_user_model

    from agnitio.organisations.selectors import organisation_admin_user_ids

    return (get_user_model().objects.filter(is_active=True).filter(
        Q(pk__in=organisation_admin_user_ids(organisation_id=project.organisation_id))
        | Q(youthpass_editor_roles__project=project, youthpass_editor_roles__status=ProjectEditor.Status.ACTIVE))
        .distinct().order_by("pk"))


def _send_project(project: Project, today: datetime.date) -> int:
    from agnitio.notifications.services import email_queue

    sent = 0
    for recipient in _recipients(project):
        language = recipient.language
        with translation.override(language):
            notices = [n for n in project_notices(project=project, today=today)
                       if today - n.begins < EMAIL_WINDOW]
        for notice in notices:
            try:
                with transaction.atomic():
                    OrganiserReminderDelivery.objects.create(project=project, milestone=notice.milestone,
                                                             user=recipient)
                    with translation.override(language):
                        email_queue(
                            to=recipient.email, template="youthpass/email/organiser_reminder", language=language,
                            organisation=project.organisation, user=recipient, related=project,
                            context={"project_name": project.display_name, "text": notice.text,
                                     "action_label": notice.action_label, "action_path": notice.action_url,
                                     "milestone": Milestone(notice.milestone).label,
                                     "settings_path": reverse("youthpass:project_detail",
                                                              args=[project.public_id])})
            except IntegrityError:
                continue  # sent already (a concurrent run or a retry)
            sent += 1
    if sent:
        audit_record(actor=None, action="other", target=project, organisation=project.organisation,
                     verb="organiser reminders sent", changes={"recipients": [None, sent]})
    return sent


def organiser_reminders_send_due(*, today: datetime.date | None = None) -> int:
    """Called by the scheduler: e-mail the milestones reached (within EMAIL_WINDOW) whose work is still due."""
    today = today or timezone.localdate()
    earliest_end = today - datetime.timedelta(days=AFTER_END_DAYS) - EMAIL_WINDOW
    latest_start = today + datetime.timedelta(days=BEFORE_START_DAYS)
    candidates = (Project.objects.filter(Q(remind_before_start=True) | Q(remind_at_end=True)
                                         | Q(remind_after_end=True))
                  .annotate(first=Min("activities__start_date"), last=Max("activities__end_date"))
                  .filter(Q(start_date__lte=latest_start) | Q(start_date__isnull=True, first__lte=latest_start))
                  .filter(Q(end_date__gte=earliest_end) | Q(end_date__isnull=True, last__gte=earliest_end))
                  .select_related("organisation"))
    return sum(_send_project(project, today) for project in candidates)

