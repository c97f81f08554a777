"""Reminders through the project's life (YANS-like, DOMAIN D1): opt-in per project, a planned series with
editable texts and dates, sent by the scheduler, each e-mail logged in the participant's communication history.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError
from agnitio.core.services import audit_record, model_update

from .models import Project, Reminder, ReminderDelivery
from .services._common import require_edit

# A reminder whose date passed more than this long ago is not sent any more (e.g. after a late opt-in).
STALE_AFTER = datetime.timedelta(days=3)

DEFAULT_TEXTS = {
    Reminder.Stage.BEFORE: (
        _("Before the project: set your learning goals"),
        _("The project starts soon. Think about what you want to learn and how: write down two or three learning "
          "goals and who could help you reach them. Youthpass will help you describe what you learned at the end."),
    ),
    Reminder.Stage.DURING: (
        _("During the project: take a moment to reflect"),
        _("What have you learned so far? Write a few lines in a diary, record a short video or talk with your "
          "mentor or group. These notes will help you describe your learning outcomes later."),
    ),
    Reminder.Stage.END: (
        _("At the end: describe your learning outcomes"),
        _("The project is ending. Open your Youthpass invitation and describe what you learned, by competence: "
          "knowledge, skills and attitudes. Write as much as you like; you need not cover every competence."),
    ),
    Reminder.Stage.AFTER: (
        _("After the project: your certificate"),
        _("Thank you for taking part. Your organiser is preparing the Youthpass certificates; once issued, you "
          "find yours in your wallet and can share it with anyone who wants to check it."),
    ),
}


def _project_dates(project: Project) -> tuple[datetime.date, datetime.date]:
    starts = [a.start_date for a in project.activities.all()] + ([project.start_date] if project.start_date else [])
    ends = [a.end_date for a in project.activities.all()] + ([project.end_date] if project.end_date else [])
    if not starts or not ends:
        raise ApplicationError(_("Enter the project's dates (or add an activity) before planning reminders."),
                               code="dates")
    return min(starts), max(ends)


@transaction.atomic
def reminder_plan_create(*, actor, project: Project, language: str = "") -> list[Reminder]:
    """The default series of four reminders, dated from the project's (or its activities') dates."""
    project = require_edit(actor, project)
    if project.reminders.exists():
        return list(project.reminders.all())
    start, end = _project_dates(project)
    dates = {
        Reminder.Stage.BEFORE: start - datetime.timedelta(days=7),
        Reminder.Stage.DURING: start + (end - start) / 2,
        Reminder.Stage.END: end,
        Reminder.Stage.AFTER: end + datetime.timedelta(days=14),
    }
    created = []
    with translation.override(language or getattr(actor, "language", "") or "en"):
        for stage, (subject, body) in DEFAULT_TEXTS.items():
            reminder = Reminder.objects.create(organisation=project.organisation, project=project, stage=stage,
                                               send_on=dates[stage], subject=str(subject), body=str(body))
            audit_record(actor=actor, action="create", target=reminder, organisation=project.organisation)
            created.append(reminder)
    return created


@transaction.atomic
def reminder_update(*, actor, reminder: Reminder, data: dict) -> dict:
    require_edit(actor, reminder.project)
    if reminder.sent_at:
        raise ApplicationError(_("This reminder was sent already; it cannot be changed."), code="sent")
    changes = model_update(instance=reminder, fields=["send_on", "subject", "body"], data=data)
    if changes:
        audit_record(actor=actor, action="update", target=reminder, organisation=reminder.organisation,
                     changes=changes)
    return changes


@transaction.atomic
def project_reminders_opt(*, actor, project: Project, opt_in: bool) -> Project:
    """Opt in (the default series is planned when there is none) or out (nothing more is sent)."""
    from .services import project_update

    project_update(actor=actor, project=project, data={"yans_opt_in": opt_in})
    project.refresh_from_db()
    if opt_in:
        reminder_plan_create(actor=actor, project=project)
    return project


def _standard_text(reminder: Reminder, language: str) -> tuple[str, str]:
    """The reminder's subject and body for a recipient writing `language`: the standard text in that language when
    the organiser kept it (in whatever language it was planned), the organiser's own text when they changed it."""
    standard = DEFAULT_TEXTS.get(reminder.stage)
    if standard is None:
        return reminder.subject, reminder.body
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            kept_subject = reminder.subject == str(standard[0])
            kept_body = reminder.body == str(standard[1])
        if kept_subject or kept_body:
            with translation.override(language):
                return (str(standard[0]) if kept_subject else reminder.subject,
                        str(standard[1]) if kept_body else reminder.body)
    return reminder.subject, reminder.body


def _send_one(reminder_id: int, today: datetime.date) -> int:
    """Send one due reminder to every participant with an e-mail address who has not had it; idempotent."""
    from agnitio.notifications.services import email_queue

    with transaction.atomic():
        reminder = (Reminder.objects.select_for_update().select_related("project", "organisation")
                    .filter(pk=reminder_id, sent_at__isnull=True).first())
        if reminder is None or not reminder.project.yans_opt_in:
            return 0
        done = set(reminder.deliveries.values_list("participant_id", flat=True))
        sent = 0
        people = reminder.project.participants.exclude(email="").exclude(pk__in=done)
        for participant in people.select_related("user"):
            ReminderDelivery.objects.create(reminder=reminder, participant=participant)
            # rendered now, in the recipient's language (the record's e-mail language, else their account's)
            language = participant.language or getattr(participant.user, "language", "") or "lv"
            subject, body = _standard_text(reminder, language)
            email_queue(to=participant.email, template="youthpass/email/reminder", language=language,
                        organisation=reminder.organisation, user=participant.user, related=participant,
                        context={"subject": subject, "body": body,
                                 "first_name": participant.first_name, "project_name": reminder.project.display_name,
                                 "organisation_name": str(reminder.organisation)})
            sent += 1
        reminder.sent_at = timezone.now()
        reminder.save(update_fields=["sent_at", "updated_at"])
        audit_record(actor=None, action="other", target=reminder, organisation=reminder.organisation,
                     verb="reminder sent", changes={"recipients": [None, sent]})
        return sent


def reminders_send_due(*, today: datetime.date | None = None) -> int:
    """Called by the scheduler: every due, unsent reminder of an opted-in project. Returns e-mails queued."""
    today = today or timezone.localdate()
    due = (Reminder.objects.filter(sent_at__isnull=True, send_on__lte=today, send_on__gte=today - STALE_AFTER,
                                   project__yans_opt_in=True).values_list("pk", flat=True))
    return sum(_send_one(pk, today) for pk in list(due))


def reminder_status(reminder: Reminder, today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    if reminder.sent_at:
        return gettext("sent")
    if reminder.send_on < today - STALE_AFTER:
        return gettext("not sent: the date passed")
    return gettext("planned")
