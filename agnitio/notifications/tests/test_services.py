import datetime

import pytest
from django.core import mail
from django.utils import timezone

from agnitio.core.errors import ApplicationError
from agnitio.core.models import AuditEvent
from agnitio.notifications import services
from agnitio.notifications.models import OutboxEmail
from agnitio.notifications.tasks import deliver_email, requeue_lost_emails

FAILING = "agnitio.notifications.tests.conftest.FailingBackend"


def _queue(**kwargs):
    return services.email_queue(
        to=kwargs.pop("to", "anna@example.org"),
        template=kwargs.pop("template", "notifications_test/email/greeting"),
        context=kwargs.pop("context", {"name": "Anna <b>"}),
        language=kwargs.pop("language", "lv"),
        **kwargs,
    )


def test_queue_renders_in_the_given_language_and_delivers_after_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = _queue(language="lv")
    email.refresh_from_db()
    # Rendered in Latvian although the active language is English; nothing sent before the commit.
    assert email.subject == "Hello Anna <b> — Jā"
    assert email.body_text.startswith("Jā, Anna <b> & co.\nhttp://")
    assert email.body_html.strip() == "<p>Jā, Anna &lt;b&gt;</p>"
    assert (email.status, email.attempts, email.language) == ("queued", 0, "lv")
    assert mail.outbox == []
    assert len(callbacks) == 1

    callbacks[0]()
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 1)
    assert email.sent_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@example.org"]
    assert message.subject == "Hello Anna <b> — Jā"
    assert message.alternatives[0][1] == "text/html"
    assert message.extra_headers["Message-ID"].startswith(f"<{email.public_id}@")
    assert message.reply_to == []


def test_messages_on_behalf_of_an_organisation_are_answered_to_it(db, organisation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(organisation=organisation)
    assert email.reply_to == "info@tilts.example"
    assert mail.outbox[0].reply_to == ["info@tilts.example"]


def test_queue_in_english_and_without_html(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(language="en")
        plain = _queue(template="notifications_test/email/plain", language="xx")
    email.refresh_from_db()
    plain.refresh_from_db()
    assert email.subject == "Hello Anna <b> — Yes"
    assert plain.body_html == ""
    assert plain.language == "en"  # unknown language falls back to the default
    assert [m.subject for m in mail.outbox] == ["Hello Anna <b> — Yes", "Plain subject"]
    assert mail.outbox[1].alternatives == []


def test_delivering_twice_sends_once(db):
    email = _queue()
    assert deliver_email.delay(email.pk).get() == "sent"
    assert deliver_email.delay(email.pk).get() == "sent"
    assert services.outbox_deliver(outbox_id=email.pk).status == "sent"
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.attempts == 1


def test_a_row_being_sent_by_another_worker_is_left_alone(db):
    email = _queue()
    OutboxEmail.objects.filter(pk=email.pk).update(status="sending", attempts=1)
    assert services.outbox_deliver(outbox_id=email.pk).status == "sending"
    assert mail.outbox == []
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sending", 1)


def test_failure_records_the_error_and_backs_off(db, settings):
    settings.EMAIL_BACKEND = FAILING
    email = _queue()
    before = timezone.now()
    result = services.outbox_deliver(outbox_id=email.pk)
    email.refresh_from_db()
    assert result.retry_in == services.BACKOFF_BASE
    assert (email.status, email.attempts) == ("queued", 1)
    assert "ConnectionRefusedError" in email.last_error
    assert email.next_attempt_at >= before + datetime.timedelta(seconds=services.BACKOFF_BASE)

    result = services.outbox_deliver(outbox_id=email.pk)
    assert result.retry_in == 2 * services.BACKOFF_BASE
    assert [services.backoff_seconds(n) for n in (1, 2, 3, 8, 20)] == [30, 60, 120, 3600, 3600]


@pytest.fixture
def errors_not_propagated():
    """Run tasks in-process the way a worker does: a Retry is handled by Celery, not raised to the caller."""
    from agnitio.celery import app

    before = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = before


def test_task_retries_until_the_last_attempt_then_fails(db, settings, errors_not_propagated):
    settings.EMAIL_BACKEND = FAILING
    email = _queue()
    # Run in-process as a worker would (errors not propagated): Celery applies each retry at once,
    # so the whole round of attempts happens here.
    assert deliver_email.apply(args=[email.pk]).get() == "failed"
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("failed", services.MAX_ATTEMPTS)
    assert "Connection refused" in email.last_error
    assert email.next_attempt_at is None and email.sent_at is None
    # A failed message is not sent by a stray task either.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver_email.delay(email.pk).get() == "failed"
    assert mail.outbox == []


def test_a_retry_that_succeeds_clears_the_queue(db, settings, monkeypatch, errors_not_propagated):
    calls = []

    class FlakyBackend:
        def __init__(self, *a, **k):
            pass

        def send_messages(self, messages):
            calls.append(1)
            if len(calls) < 3:
                raise TimeoutError("timed out")
            return len(messages)

    monkeypatch.setattr("agnitio.notifications.tests.conftest.FailingBackend", FlakyBackend)
    settings.EMAIL_BACKEND = FAILING
    email = _queue()
    assert deliver_email.apply(args=[email.pk]).get() == "sent"
    email.refresh_from_db()
    assert (email.status, email.attempts, len(calls)) == ("sent", 3, 3)
    assert "TimeoutError" in email.last_error  # the history of the last problem stays visible


def test_admin_retry_of_a_failed_message_is_audited(db, owner, organisation, django_capture_on_commit_callbacks):
    email = _queue(organisation=organisation)
    OutboxEmail.objects.filter(pk=email.pk).update(status="failed", attempts=8, last_error="boom")
    with django_capture_on_commit_callbacks(execute=True):
        services.outbox_retry(actor=owner, email=email)
    email.refresh_from_db()
    assert email.status == "sent"
    assert len(mail.outbox) == 1
    event = AuditEvent.objects.get(object_id=email.public_id)
    assert (event.actor, event.organisation, event.verb) == (owner, organisation, "email_retry")
    assert event.changes["status"] == ["failed", "queued"]


def test_retry_of_a_message_that_did_not_fail_is_refused(db, owner, organisation):
    email = _queue(organisation=organisation)
    OutboxEmail.objects.filter(pk=email.pk).update(status="sent", attempts=1)
    with pytest.raises(ApplicationError):
        services.outbox_retry(actor=owner, email=email)
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 1)
    assert not AuditEvent.objects.exists()


def test_history_of_communication_with_an_object(db, organisation, other_organisation):
    first = _queue(related=organisation)
    second = _queue(related=organisation, template="notifications_test/email/plain")
    _queue(related=other_organisation)
    _queue()
    assert list(services.outbox_list_for(related=organisation)) == [second, first]
    assert first.related_type == "organisations.Organisation"
    assert first.related_id == organisation.public_id


def test_sweeper_requeues_lost_messages_only(db, django_capture_on_commit_callbacks):
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    lost = _queue(to="lost@example.org")
    stuck = _queue(to="stuck@example.org")
    fresh = _queue(to="fresh@example.org")
    waiting = _queue(to="waiting@example.org")
    OutboxEmail.objects.filter(pk=lost.pk).update(next_attempt_at=long_ago)
    OutboxEmail.objects.filter(pk=stuck.pk).update(status="sending", attempts=1)
    OutboxEmail.objects.filter(pk=stuck.pk).update(updated_at=long_ago)  # auto_now bypassed by update()
    OutboxEmail.objects.filter(pk=waiting.pk).update(next_attempt_at=timezone.now() + datetime.timedelta(minutes=9))
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_lost_emails.delay().get() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["lost@example.org", "stuck@example.org"]
    for email, status in ((lost, "sent"), (stuck, "sent"), (fresh, "queued"), (waiting, "queued")):
        email.refresh_from_db()
        assert email.status == status


def test_a_second_delivery_while_the_first_is_sending_does_not_send(db, settings, monkeypatch):
    """Two workers with the same message: the one that comes while the first is talking to the server stops."""
    inner = []

    class SlowBackend:
        def __init__(self, *a, **k):
            pass

        def send_messages(self, messages):
            # Another worker picks the same message up right now.
            inner.append(services.outbox_deliver(outbox_id=email.pk))
            mail.outbox.extend(messages)
            return len(messages)

    monkeypatch.setattr("agnitio.notifications.tests.conftest.FailingBackend", SlowBackend)
    settings.EMAIL_BACKEND = FAILING
    email = _queue()
    assert services.outbox_deliver(outbox_id=email.pk).status == "sent"
    assert inner == [services.Delivery(status="sending")]
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 1)


def test_django_admin_action_sends_failed_messages_again(client, make_user, organisation, staff_login,
                                                         django_capture_on_commit_callbacks):
    staff = make_user("staff@agnitio.example", is_staff=True, is_superuser=True)
    failed = _queue(organisation=organisation)
    sent = _queue(template="notifications_test/email/plain")
    OutboxEmail.objects.filter(pk=failed.pk).update(status="failed", attempts=8)
    OutboxEmail.objects.filter(pk=sent.pk).update(status="sent", attempts=1)
    staff_login(client, staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/notifications/outboxemail/", {
            "action": "retry_failed", "_selected_action": [failed.pk, sent.pk]})
    assert response.status_code == 302
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.attempts) == ("sent", 1)
    assert (sent.status, sent.attempts) == ("sent", 1)
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.get().actor == staff


def test_history_partial_lists_the_messages_about_an_object(db, organisation):
    from django.template.loader import render_to_string

    _queue(related=organisation, to="first@example.org")
    OutboxEmail.objects.filter(to="first@example.org").update(status="failed", last_error="550 no such user")
    html = render_to_string("notifications/_history.html", {"emails": services.outbox_list_for(related=organisation)})
    assert "first@example.org" in html and "550 no such user" in html
    assert "No e-mails yet." in render_to_string("notifications/_history.html", {"emails": []})


def test_a_broker_that_is_down_does_not_lose_the_message(db, monkeypatch, django_capture_on_commit_callbacks):
    from kombu.exceptions import OperationalError

    from agnitio.notifications import tasks

    class DownBroker:
        name = tasks.deliver_email.name

        def delay(self, *args):
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks, "deliver_email", DownBroker())
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()  # no exception for the caller
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("queued", 0)
    assert mail.outbox == []
    monkeypatch.undo()
    # Later the sweeper finds it and it goes out.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.outbox_requeue_lost(now=timezone.now() + datetime.timedelta(minutes=10)) == 1
    email.refresh_from_db()
    assert email.status == "sent"
    assert len(mail.outbox) == 1


def test_nothing_is_sent_when_the_transaction_is_rolled_back(db, django_capture_on_commit_callbacks):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _queue()
        raise RuntimeError("the invitation could not be saved")
    assert callbacks == []
    assert not OutboxEmail.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("address", ["", "not-an-address", "a@b@example.org", "anna@example.org\nBcc: x@example.org"])
def test_an_invalid_address_is_refused_before_anything_is_stored(db, address):
    with pytest.raises(ApplicationError):
        _queue(to=address)
    assert not OutboxEmail.objects.exists()


@pytest.mark.parametrize("who", ["editor", "stranger", "admin_of_another_organisation"])
def test_retry_by_anyone_but_an_admin_of_the_emails_organisation_is_not_found(
        db, who, owner, editor, organisation, other_organisation, make_user):
    from agnitio.core.errors import NotFound
    from agnitio.organisations.models import Membership

    actor = {"editor": editor, "stranger": make_user("stranger@example.org")}.get(who)
    if actor is None:
        actor = make_user("admin@autre.example")
        Membership.objects.create(organisation=other_organisation, user=actor, role="admin")
    email = _queue(organisation=organisation)
    OutboxEmail.objects.filter(pk=email.pk).update(status="failed", attempts=8)
    with pytest.raises(NotFound):
        services.outbox_retry(actor=actor, email=email)
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("failed", 8)
    assert not AuditEvent.objects.filter(verb="email_retry").exists()


def test_retry_of_a_platform_email_is_for_staff_only(db, owner, make_user):
    from agnitio.core.errors import NotFound

    email = _queue()  # no organisation: e.g. a sign-up message
    OutboxEmail.objects.filter(pk=email.pk).update(status="failed", attempts=8)
    with pytest.raises(NotFound):
        services.outbox_retry(actor=owner, email=email)
    staff = make_user("staff@example.org", is_staff=True)
    assert services.outbox_retry(actor=staff, email=email).status == "queued"
