import datetime

import pytest

from agnitio.core.errors import NotFound
from agnitio.notifications.models import OutboxEmail
from agnitio.notifications.services import outbox_list_for
from agnitio.youthpass import reminders, services
from agnitio.youthpass.models import Reminder
from agnitio.youthpass.tasks import send_due_reminders


@pytest.fixture
def planned(owner, project, participant):
    reminders.project_reminders_opt(actor=owner, project=project, opt_in=True)
    return list(project.reminders.order_by("send_on"))


def test_opt_in_plans_the_four_stages_from_the_dates(planned, activity):
    assert [r.stage for r in planned] == ["before", "during", "end", "after"]
    assert planned[0].send_on == datetime.date(2026, 4, 24)  # a week before the project starts
    assert planned[2].send_on == datetime.date(2026, 5, 31) and planned[3].send_on == datetime.date(2026, 6, 14)
    assert all(r.subject and r.body for r in planned)


def test_due_reminder_is_sent_once_and_logged_in_the_history(owner, planned, participant, project):
    nomail = services.participant_create(actor=owner, project=project, first_name="Bez", last_name="Pasta")
    reminders.reminder_update(actor=owner, reminder=planned[0], data={"subject": "Mērķi!", "body": "Uzraksti mērķus."})
    day = planned[0].send_on
    assert reminders.reminders_send_due(today=day - datetime.timedelta(days=1)) == 0
    assert reminders.reminders_send_due(today=day) == 1
    assert reminders.reminders_send_due(today=day) == 0  # never twice
    mail = OutboxEmail.objects.get()
    assert mail.subject == "Mērķi!" and "Uzraksti mērķus." in mail.body_text and mail.to == participant.email
    assert list(outbox_list_for(related=participant)) == [mail]
    assert not outbox_list_for(related=nomail).exists()
    planned[0].refresh_from_db()
    assert planned[0].sent_at is not None


def test_nothing_is_sent_after_opt_out(owner, planned, project):
    reminders.project_reminders_opt(actor=owner, project=project, opt_in=False)
    assert reminders.reminders_send_due(today=planned[2].send_on) == 0
    assert not OutboxEmail.objects.exists()
    assert not Reminder.objects.filter(sent_at__isnull=False).exists()


def test_stale_reminders_are_not_sent_after_a_late_opt_in(planned):
    assert reminders.reminders_send_due(today=planned[0].send_on + datetime.timedelta(days=10)) == 0
    assert not OutboxEmail.objects.exists()


def test_scheduled_task_sends_due_reminders(planned, settings, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: planned[1].send_on)
    assert send_due_reminders.delay().get() == 1
    assert settings.CELERY_BEAT_SCHEDULE["youthpass-send-due-reminders"]["task"] == send_due_reminders.name


def test_sent_reminder_cannot_be_edited_and_outsiders_cannot_edit(owner, outsider, planned):
    with pytest.raises(NotFound):
        reminders.reminder_update(actor=outsider, reminder=planned[1], data={"subject": "Spam"})
    planned[1].refresh_from_db()
    assert planned[1].subject != "Spam"
