"""A real Celery worker on Redis is killed (SIGKILL) in the middle of a bulk job; a second worker finishes it.

Asserted: the job completes with exactly one document per item, no gaps and no duplicates (files on disk,
rows, ZIP entries), and each document's seal is intact.
"""

import io
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from urllib.parse import quote

import pytest
from celery import Celery
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection

from agnitio.documents import services, tasks
from agnitio.documents.models import DocumentJob, DocumentJobItem
from agnitio.documents.sample import youthpass_sample
from agnitio.documents.seal import pdf_seal_verify

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = os.environ.get("AGNITIO_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
N = 40


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Publisher:
    """Stands in for a task in this (eager) process: publishes the real task to the worker's queue."""

    def __init__(self, app: Celery, name: str, queue: str):
        self.app, self.name, self.queue = app, name, queue

    def delay(self, *args):
        return self.app.send_task(self.name, args=list(args), queue=self.queue)


def _start_worker(queue: str, log) -> subprocess.Popen:
    drop = {"CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER", "AGNITIO_VAR_DIR"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update({
        "DJANGO_SETTINGS_MODULE": "agnitio.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "AGNITIO_TEST_QUEUE": queue,
        "AGNITIO_TEST_VISIBILITY": "4",
        "AGNITIO_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "AGNITIO_DOCUMENT_JOB_CHUNK": "5",
    })
    return subprocess.Popen([sys.executable, "-m", "agnitio.documents.tests.worker_main"], env=env,
                            cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait(predicate, seconds: float, what: str, process=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        if process is not None:
            assert process.poll() is None, f"the worker exited with {process.returncode}"
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def _done() -> int:
    return DocumentJobItem.objects.filter(status="done").count()


@pytest.mark.services
def test_killed_worker_mid_job_leaves_no_gap_and_no_duplicate(monkeypatch, organisation, editor):
    queue = f"agnitio-test-documents-{uuid.uuid4().hex}"
    app = Celery("agnitio-test-publisher", broker=REDIS_URL, set_as_current=False)
    monkeypatch.setattr(tasks, "job_process_chunk", Publisher(app, tasks.job_process_chunk.name, queue))
    monkeypatch.setattr(tasks, "job_finalise_task", Publisher(app, tasks.job_finalise_task.name, queue))
    monkeypatch.setattr(settings, "AGNITIO_DOCUMENT_JOB_CHUNK", 5)
    items = [youthpass_sample(number=f"YP-K-{i:04d}", holder=f"Dalībnieks {i}", images=False) for i in range(N)]
    with tempfile.TemporaryFile() as log:
        first = _start_worker(queue, log)
        second = None
        try:
            job = services.job_start(actor=editor, organisation=organisation, kind="youthpass", items=items,
                                     languages=["lv"])  # autocommit: tasks are published at once
            _wait(lambda: _done() >= 7, 120, "the first documents", first)
            os.kill(first.pid, signal.SIGKILL)  # mid-chunk (chunks of 5): no clean shutdown, no ack
            first.wait(timeout=10)
            killed_at = _done()
            assert 0 < killed_at < N, killed_at
            second = _start_worker(queue, log)
            print(f"killed with {killed_at} of {N} made; t={time.monotonic():.1f}")
            _wait(lambda: DocumentJob.objects.get(pk=job.pk).status == "finished", 180, "the job to finish", second)
            print(f"finished; t={time.monotonic():.1f}")
        except BaseException:
            log.seek(0)
            sys.stdout.write(log.read().decode(errors="replace"))
            raise
        finally:
            _stop(first)
            if second is not None:
                _stop(second)
            app.close()

    job.refresh_from_db()
    assert (job.total, job.done, job.failed) == (N, N, 0), job.errors
    items = list(job.items.order_by("index"))
    assert [i.status for i in items] == ["done"] * N
    expected = [f"{i:05d}.pdf" for i in range(1, N + 1)]
    assert sorted(i.file.name.rsplit("/", 1)[1] for i in items) == expected  # one file per item, none shared
    folder = f"documents/jobs/{job.public_id}"
    assert sorted(default_storage.listdir(folder)[1]) == [*expected, "documents.zip"]  # no stray duplicates
    with default_storage.open(job.result.name, "rb") as fh:
        archive = zipfile.ZipFile(io.BytesIO(fh.read()))
    assert archive.namelist() == expected
    for name in expected:
        assert pdf_seal_verify(pdf_bytes=archive.read(name)).intact
