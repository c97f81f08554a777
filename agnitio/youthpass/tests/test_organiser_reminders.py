"""Reminders for the organiser side (issue 11 point 7): notices on the project page and one e-mail per milestone
and person, in each person's language, switchable per project; and participant reminders in the recipient's
language. The project of the fixtures runs 2026-05-01 – 2026-05-31."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from agnitio.notifications.models import OutboxEmail
from agnitio.youthpass import organiser_reminders, reminders, services
from agnitio.youthpass.models import OrganiserReminderDelivery, Participant, ProjectEditor
from agnitio.youthpass.tasks import send_due_reminders

D = datetime.date
BEFORE_DAY, END_DAY, AFTER_DAY = D(2026, 4, 20), D(2026, 5, 31), D(2026, 6, 7)


@pytest.fixture
def latvian_editor(make_user, project, organisation):
    """A project editor (not an organisation admin) whose account is in Latvian."""
    user = make_user("redaktore@example.org", language="lv")
    ProjectEditor.objects.create(organisation=organisation, project=project, email=user.email, full_name="Redaktore",
                                 language="lv", user=user, status=ProjectEditor.Status.ACTIVE)
    return user


def milestones(project, today):
    project.refresh_from_db()
    return [n.milestone for n in organiser_reminders.project_notices(project=project, today=today)]


def test_notices_follow_the_milestones_and_the_work_still_to_do(owner, project):
    assert milestones(project, D(2026, 4, 10)) == []  # more than 14 days before the start
    assert milestones(project, BEFORE_DAY) == ["before"]  # no participants yet
    person = services.participant_create(actor=owner, project=project, first_name="Anna", last_name="Bērziņa",
                                         email="anna@example.org", language="lv")
    with translation.override("en"):
        [notice] = organiser_reminders.project_notices(project=project, today=BEFORE_DAY)
    assert "1 person with an e-mail address has not been invited yet" in notice.text
    services.participant_invite(actor=owner, participants=[person])
    assert milestones(project, BEFORE_DAY) == []  # everyone invited
    assert milestones(project, D(2026, 5, 15)) == []  # during the project
    with translation.override("en"):
        [notice] = organiser_reminders.project_notices(project=project, today=END_DAY)
    assert notice.milestone == "end" and "learning outcomes are missing from 1 person" in notice.text
    assert milestones(project, AFTER_DAY) == ["end", "after"]  # not finalised, outcomes still missing
    Participant.objects.filter(pk=person.pk).update(status=Participant.Status.OUTCOMES_SUBMITTED)
    assert milestones(project, AFTER_DAY) == ["after"]
    project.finalised_at = datetime.datetime(2026, 6, 8, tzinfo=datetime.UTC)
    project.save()
    with translation.override("en"):
        [notice] = organiser_reminders.project_notices(project=project, today=D(2026, 6, 9))
    assert "has no certificate yet" in notice.text and notice.action_label == "Issue the certificates"
    Participant.objects.filter(pk=person.pk).update(status=Participant.Status.CERTIFICATE_ISSUED)
    assert milestones(project, D(2026, 6, 9)) == []


def test_emails_once_per_milestone_and_person_in_their_language(owner, latvian_editor, project, editor):
    assert organiser_reminders.organiser_reminders_send_due(today=D(2026, 4, 10)) == 0
    assert organiser_reminders.organiser_reminders_send_due(today=BEFORE_DAY) == 2  # owner and project editor
    assert organiser_reminders.organiser_reminders_send_due(today=BEFORE_DAY) == 0  # never twice
    assert organiser_reminders.organiser_reminders_send_due(today=BEFORE_DAY + datetime.timedelta(days=1)) == 0
    english = OutboxEmail.objects.get(to=owner.email)
    latvian = OutboxEmail.objects.get(to=latvian_editor.email)
    assert not OutboxEmail.objects.filter(to=editor.email).exists()  # a member who is not on the project
    assert english.language == "en" and "has no participants yet" in english.body_text
    assert english.subject.startswith("Youthpass reminder:")
    assert latvian.language == "lv" and "vēl nav neviena dalībnieka" in latvian.body_text
    assert latvian.subject.startswith("Youthpass atgādinājums:")
    assert reverse("youthpass:participant_list", args=[project.public_id]) in english.body_text
    assert OrganiserReminderDelivery.objects.count() == 2
    # the next milestones, each once
    assert organiser_reminders.organiser_reminders_send_due(today=END_DAY) == 0  # nobody's outcomes are missing
    assert organiser_reminders.organiser_reminders_send_due(today=AFTER_DAY) == 2  # not finalised
    assert organiser_reminders.organiser_reminders_send_due(today=AFTER_DAY) == 0
    assert set(OrganiserReminderDelivery.objects.values_list("milestone", flat=True)) == {"before", "after"}


def test_end_milestone_names_the_missing_outcomes(owner, project, participant):
    assert organiser_reminders.organiser_reminders_send_due(today=END_DAY) == 1
    assert "learning outcomes are missing from 1 person" in OutboxEmail.objects.get().body_text


def test_no_email_about_a_milestone_long_past_but_the_notice_stays(owner, project):
    late = D(2026, 8, 1)
    assert organiser_reminders.organiser_reminders_send_due(today=late) == 0
    assert milestones(project, late) == ["after"]


def test_switched_off_milestone_has_no_notice_and_no_email(owner, project, participant, outsider):
    from agnitio.core.errors import NotFound

    with pytest.raises(NotFound):
        organiser_reminders.organiser_reminders_set(actor=outsider, project=project, data={"remind_at_end": False})
    organiser_reminders.organiser_reminders_set(actor=owner, project=project, data={"remind_at_end": False})
    assert milestones(project, END_DAY) == []
    assert organiser_reminders.organiser_reminders_send_due(today=END_DAY) == 0
    assert not OutboxEmail.objects.exists()
    organiser_reminders.organiser_reminders_set(actor=owner, project=project,
                                                data={"remind_before_start": False, "remind_after_end": False})
    assert milestones(project, BEFORE_DAY) == [] and milestones(project, AFTER_DAY) == []
    assert organiser_reminders.organiser_reminders_send_due(today=AFTER_DAY) == 0


def test_periodic_task_sends_them_with_a_controlled_clock(owner, project, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: BEFORE_DAY)
    assert send_due_reminders.delay().get() == 1
    assert send_due_reminders.delay().get() == 0
    assert OutboxEmail.objects.get().to == owner.email


def test_project_page_shows_notices_and_switches(client, owner, project, participant, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: END_DAY)
    client.force_login(owner)
    detail = reverse("youthpass:project_detail", args=[project.public_id])
    content = client.get(detail, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'aria-labelledby="notices-heading"' in content and "learning outcomes are missing from 1 person" in content
    assert 'name="remind_at_end"' in content
    response = client.post(reverse("youthpass:organiser_reminders", args=[project.public_id]),
                           {"remind_before_start": "on", "remind_after_end": "on"})
    assert response.status_code == 302 and response["Location"] == detail
    project.refresh_from_db()
    assert not project.remind_at_end and project.remind_before_start and project.remind_after_end
    content = client.get(detail, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "learning outcomes are missing" not in content


def test_project_page_queries_do_not_grow_with_the_participants(client, owner, project, activity, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: AFTER_DAY)
    client.force_login(owner)
    detail = reverse("youthpass:project_detail", args=[project.public_id])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(detail).status_code == 200
        return len(captured)

    services.participant_create(actor=owner, project=project, first_name="A", last_name="B", email="a@example.org")
    queries()  # the first request of the session does some one-off work
    few = queries()
    for i in range(6):
        services.participant_create(actor=owner, project=project, first_name=f"N{i}", last_name="M",
                                    email=f"n{i}@example.org")
    assert queries() == few


def test_participant_reminders_are_in_each_recipients_language(owner, project, activity):
    """The plan is made in the organiser's English; each participant gets the standard text in their language."""
    lv = services.participant_create(actor=owner, project=project, first_name="Anna", last_name="Bērziņa",
                                     email="anna@example.org", language="lv")
    en = services.participant_create(actor=owner, project=project, first_name="Tom", last_name="Smith",
                                     email="tom@example.org", language="en")
    reminders.project_reminders_opt(actor=owner, project=project, opt_in=True)
    before = project.reminders.get(stage="before")
    assert before.subject == "Before the project: set your learning goals"  # planned in the organiser's language
    assert reminders.reminders_send_due(today=before.send_on) == 2
    latvian = OutboxEmail.objects.get(to=lv.email)
    english = OutboxEmail.objects.get(to=en.email)
    with translation.override("lv"):
        assert latvian.subject == translation.gettext("Before the project: set your learning goals")
    assert latvian.language == "lv" and latvian.subject != before.subject
    assert "Projekts drīz sāksies" in latvian.body_text
    assert english.language == "en" and english.subject == before.subject and before.body in english.body_text


def test_counts_from_the_status_numbers_are_the_notices_own_counts(owner, project):
    # The project page reads the numbers per status once (selectors.participant_status_numbers) for its counts and
    # its notices: counts_of must give what the notices' own query gives.
    from agnitio.youthpass import selectors

    statuses = [Participant.Status.NOT_INVITED, Participant.Status.NOT_INVITED, Participant.Status.INVITED,
                Participant.Status.OUTCOMES_SUBMITTED, Participant.Status.OUTCOMES_SUBMITTED,
                Participant.Status.DATA_COMPLETED]
    Participant.objects.bulk_create([
        Participant(organisation=project.organisation, project=project, first_name=f"P{i}", last_name="X",
                    email="" if i == 1 else f"p{i}@example.org", role="participant", status=status)
        for i, status in enumerate(statuses)])
    numbers = selectors.participant_status_numbers(project=project)
    assert organiser_reminders.counts_of(numbers) == organiser_reminders._counts(project) == {
        "total": 6, "to_invite": 1, "missing": 4, "to_issue": 2}
    assert selectors.participant_status_counts(project=project, numbers=numbers) == \
        selectors.participant_status_counts(project=project)
