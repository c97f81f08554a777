"""A real Celery worker on Redis is killed (SIGKILL) in the middle of a bulk job; a second worker finishes it.

Asserted: the job completes with exactly one document per item, no gaps and no duplicates (files on disk,
rows, ZIP entries), and each document's seal is intact.
"""

import io
import time
import zipfile

import pytest
from django.conf import settings
from django.core.files.storage import default_storage

from agnitio.documents import services, tasks
from agnitio.documents.models import DocumentJob, DocumentJobItem
from agnitio.documents.sample import youthpass_sample
from agnitio.documents.seal import pdf_seal_verify

pytestmark = pytest.mark.django_db(transaction=True)

N = 40
WORKER_ENV = {"AGNITIO_DOCUMENT_JOB_CHUNK": "5"}
VISIBILITY = 4  # seconds before the killed worker's unacknowledged chunk is delivered again


def _done() -> int:
    return DocumentJobItem.objects.filter(status="done").count()


@pytest.mark.services
def test_killed_worker_mid_job_leaves_no_gap_and_no_duplicate(real_worker, monkeypatch, organisation, editor):
    real_worker.publish(tasks, "job_process_chunk")
    real_worker.publish(tasks, "job_finalise_task")
    monkeypatch.setattr(settings, "AGNITIO_DOCUMENT_JOB_CHUNK", 5)
    items = [youthpass_sample(number=f"YP-K-{i:04d}", holder=f"Dalībnieks {i}", images=False) for i in range(N)]
    first = real_worker.start(env=WORKER_ENV, visibility_timeout=VISIBILITY)
    job = services.job_start(actor=editor, organisation=organisation, kind="youthpass", items=items,
                             languages=["lv"])  # autocommit: tasks are published at once
    real_worker.wait_until(lambda: _done() >= 7, seconds=120, what="the first documents", process=first)
    real_worker.kill(first)  # mid-chunk (chunks of 5): no clean shutdown, no ack
    killed_at = _done()
    assert 0 < killed_at < N, killed_at
    second = real_worker.start(env=WORKER_ENV, visibility_timeout=VISIBILITY)
    print(f"killed with {killed_at} of {N} made; t={time.monotonic():.1f}")
    real_worker.wait_until(lambda: DocumentJob.objects.get(pk=job.pk).status == "finished", seconds=180,
                           what="the job to finish", process=second)
    print(f"finished; t={time.monotonic():.1f}")

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
