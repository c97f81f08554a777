"""Real Celery workers in a subprocess: against the local Redis, and the embedded filesystem broker of `make run`.

The worker opens the same test database (committed data: `transaction=True`), so it sees the queued row
and marks it sent; the test waits (bounded) for that.
"""

import os
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from agnitio.core.management.commands.serve import embedded_worker_command
from agnitio.notifications import services, tasks
from agnitio.notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = os.environ.get("AGNITIO_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
WAIT_SECONDS = 90
DELIVER = tasks.deliver_email.name


def database_url() -> str:
    """DATABASE_URL for a subprocess that must open this test run's database."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def worker_process(command: list[str], env: dict[str, str]):
    """Start a worker; stop it afterwards. Its output is shown if the test fails."""
    drop = {"CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER", "EMAIL_URL", "EMAIL_BACKEND", "AGNITIO_VAR_DIR"}
    base_env = {k: v for k, v in os.environ.items() if k not in drop}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, env={**base_env, **env}, cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.seek(0)
            sys.stdout.write(log.read().decode(errors="replace"))


def wait_for_status(email: OutboxEmail, status: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        email.refresh_from_db()
        if email.status == status:
            return
        assert process.poll() is None, f"the worker exited with {process.returncode}"
        time.sleep(0.2)
    pytest.fail(f"e-mail still {email.status!r} after {WAIT_SECONDS} s (last error: {email.last_error!r})")


class Publisher:
    """Stands in for `tasks.deliver_email` in this process: publishes the real task to the worker's broker.

    This process runs tasks eagerly (test settings); the worker is the real thing.
    """

    def __init__(self, app: Celery, queue: str):
        self.app, self.queue = app, queue
        self.sent: list[int] = []

    def delay(self, outbox_id: int):
        self.sent.append(outbox_id)
        return self.app.send_task(DELIVER, args=[outbox_id], queue=self.queue)


@pytest.mark.services
def test_a_real_worker_on_redis_delivers_a_queued_email(monkeypatch, tmp_path):
    queue = f"agnitio-test-{uuid.uuid4().hex}"
    publisher = Publisher(Celery("agnitio-test-publisher", broker=REDIS_URL, set_as_current=False), queue)
    monkeypatch.setattr(tasks, "deliver_email", publisher)
    mail_dir = tmp_path / "mail"
    env = {
        "DJANGO_SETTINGS_MODULE": "agnitio.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "AGNITIO_VAR_DIR": str(tmp_path),
    }
    command = [sys.executable, "-m", "celery", "-A", "agnitio", "worker", "--pool=solo", "--queues", queue,
               "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"]
    with worker_process(command, env) as process:
        email = services.email_queue(
            to="liga@example.lv", template="account/email/password_reset_key",
            context={"password_reset_url": "http://127.0.0.1/reset/abc/", "user": None}, language="lv",
        )
        assert publisher.sent == [email.pk]  # enqueued on commit (autocommit: at once)
        wait_for_status(email, OutboxEmail.Status.SENT, process)
    publisher.app.close()
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
    }, set_as_current=False), "celery")
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
