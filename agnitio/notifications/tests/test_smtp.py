"""Delivery through a real SMTP server (aiosmtpd) on the loopback interface."""

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller

from agnitio.notifications import services
from agnitio.notifications.models import OutboxEmail
from agnitio.notifications.tasks import deliver_email


class Recorder:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    yield recorder
    controller.stop()


def test_delivers_through_a_real_smtp_server(db, smtp_server, settings):
    settings.DEFAULT_FROM_EMAIL = "Agnitio <no-reply@agnitio.example>"
    queued = services.email_queue(
        to="janis@example.lv", template="notifications_test/email/greeting",
        context={"name": "Jānis"}, language="lv",
    )
    assert deliver_email.delay(queued.pk).get() == "sent"

    queued.refresh_from_db()
    assert queued.status == OutboxEmail.Status.SENT
    assert len(smtp_server.envelopes) == 1
    envelope = smtp_server.envelopes[0]
    assert envelope.mail_from == "no-reply@agnitio.example"
    assert envelope.rcpt_tos == ["janis@example.lv"]
    message = email.message_from_bytes(envelope.content, policy=policy.default)
    assert message["Subject"] == "Hello Jānis — Jā"
    assert message["Message-ID"] == f"<{queued.public_id}@agnitio.example>"
    assert message["Content-Language"] == "lv"
    assert "Jā, Jānis & co." in message.get_body(("plain",)).get_content()
    assert "<p>Jā, Jānis</p>" in message.get_body(("html",)).get_content()


def test_a_server_that_is_down_is_recorded_and_retried(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _free_port()  # nothing listens here
    settings.EMAIL_TIMEOUT = 5
    queued = services.email_queue(
        to="janis@example.lv", template="notifications_test/email/plain", context={}, language="en",
    )
    result = services.outbox_deliver(outbox_id=queued.pk)
    queued.refresh_from_db()
    assert result.retry_in == services.BACKOFF_BASE
    assert (queued.status, queued.attempts) == (OutboxEmail.Status.QUEUED, 1)
    assert "ConnectionRefusedError" in queued.last_error
