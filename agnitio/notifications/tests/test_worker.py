"""Real Celery workers in a subprocess: against the local Redis, and the embedded filesystem broker of `make run`.

The worker opens the same test database (committed data: `transaction=True`), so it sees the queued row
and marks it sent; the test waits (bounded) for that.
"""

from pathlib import Path

import pytest
from celery import Celery

from agnitio.core.management.commands.serve import embedded_worker_command
from agnitio.notifications import services, tasks
from agnitio.notifications.models import OutboxEmail
from tests.fixtures.worker import Publisher, database_url, wait_until, worker_process

pytestmark = pytest.mark.django_db(transaction=True)

WAIT_SECONDS = 90
DELIVER = tasks.deliver_email.name


def wait_for_status(email: OutboxEmail, status: str, process) -> None:
    def reached() -> bool:
        email.refresh_from_db()
        return email.status == status

    wait_until(reached, seconds=WAIT_SECONDS, process=process, interval=0.2,
               what=lambda: f"the e-mail to be {status!r} (still {email.status!r}, last error: {email.last_error!r})")


@pytest.mark.services
def test_a_real_worker_on_redis_delivers_a_queued_email(real_worker, tmp_path):
    publisher = real_worker.publish(tasks, "deliver_email")
    mail_dir = tmp_path / "mail"
    process = real_worker.start(env={
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "AGNITIO_VAR_DIR": str(tmp_path),
    })
    email = services.email_queue(
        to="liga@example.lv", template="account/email/password_reset_key",
        context={"password_reset_url": "http://127.0.0.1/reset/abc/", "user": None}, language="lv",
    )
    assert publisher.sent == [(email.pk,)]  # enqueued on commit (autocommit: at once)
    wait_for_status(email, OutboxEmail.Status.SENT, process)
    assert email.attempts == 1
    files = list(mail_dir.glob("*.log"))
    assert len(files) == 1
    assert "To: liga@example.lv" in files[0].read_text()


def test_the_embedded_filesystem_broker_runs_jobs_with_no_other_service(monkeypatch, tmp_path):
    """What `make run` relies on: local settings, no broker configured, the worker `manage.py serve` starts."""
    queue_dir = tmp_path / "celery" / "queue"
    processed_dir = tmp_path / "celery" / "processed"
    for folder in (queue_dir, processed_dir):
        folder.mkdir(parents=True)
    publisher = Publisher(Celery("agnitio-test-publisher", broker="filesystem://", broker_transport_options={
        "data_folder_in": str(queue_dir), "data_folder_out": str(queue_dir),
        "processed_folder": str(processed_dir), "store_processed": False,
        "control_folder": str(tmp_path / "celery" / "control"),
    }, set_as_current=False), DELIVER, "celery")
    monkeypatch.setattr(tasks, "deliver_email", publisher)
    env = {
        "DJANGO_SETTINGS_MODULE": "agnitio.settings.local",  # the embedded default: no broker, mail to files
        "DATABASE_URL": database_url(),
        "AGNITIO_VAR_DIR": str(tmp_path),
    }
    command = embedded_worker_command(schedule_file=str(tmp_path / "celery" / "beat-schedule"))
    with worker_process(command, env) as process:
        email = services.email_queue(
            to="peteris@example.lv", template="account/email/password_reset_key",
            context={"password_reset_url": "http://127.0.0.1/reset/xyz/", "user": None}, language="en",
        )
        wait_for_status(email, OutboxEmail.Status.SENT, process)
    publisher.app.close()
    files = list((tmp_path / "mail").glob("*.log"))
    assert len(files) == 1
    text = files[0].read_text()
    assert "To: peteris@example.lv" in text
    assert "http://127.0.0.1/reset/xyz/" in text
    assert not list(queue_dir.iterdir())  # the message was consumed
    assert Path(tmp_path / "celery" / "beat-schedule").exists() or any((tmp_path / "celery").glob("beat-schedule*"))
