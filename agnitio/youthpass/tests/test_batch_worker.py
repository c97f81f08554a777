"""A certificate batch started while the broker is unreachable (a real publish to a closed port, kombu's
OperationalError) is finished by a real Celery worker once the periodic sweep queues it (issue 10, point 2)."""

import tempfile
import uuid

import pytest
from celery import Celery

from agnitio.credentials.models import IssuedCredential
from agnitio.documents import tasks
from agnitio.documents.models import DocumentJob
from agnitio.documents.services import job_resume_stalled
from agnitio.documents.tests.test_worker_kill import REDIS_URL, Publisher, _start_worker, _stop, _wait
from agnitio.youthpass import certificates

from .test_batches import _ready_person, finalised  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.services
def test_a_batch_started_while_the_broker_is_down_is_issued_by_a_real_worker_after_the_sweep(
        monkeypatch, owner, finalised, activity, make_user):  # noqa: F811
    people = [_ready_person(owner, finalised, activity, make_user, n) for n in range(3)]
    queue = f"agnitio-test-certificates-{uuid.uuid4().hex}"
    down = Celery("agnitio-test-broker-down", broker="redis://127.0.0.1:1/0", set_as_current=False)
    up = Celery("agnitio-test-publisher", broker=REDIS_URL, set_as_current=False)
    try:
        monkeypatch.setattr(tasks, "job_process_chunk", Publisher(down, tasks.job_process_chunk.name, queue))
        batch = certificates.certificate_batch_start(actor=owner, project=finalised)  # autocommit: published at once
        batch.refresh_from_db()
        assert (batch.status, batch.requeue, batch.total) == ("pending", True, 3)
        assert not IssuedCredential.objects.exists()

        monkeypatch.setattr(tasks, "job_process_chunk", Publisher(up, tasks.job_process_chunk.name, queue))
        with tempfile.TemporaryFile() as log:
            worker = _start_worker(queue, log)
            try:
                assert job_resume_stalled() == 1  # the broker is back: the flagged batch is queued
                _wait(lambda: DocumentJob.objects.get(pk=batch.pk).status == "finished", 180, "the batch", worker)
            except BaseException:
                log.seek(0)
                print(log.read().decode(errors="replace"))
                raise
            finally:
                _stop(worker)
    finally:
        down.close()
        up.close()
    batch.refresh_from_db()
    assert (batch.done, batch.failed, batch.requeue) == (3, 0, False)
    assert IssuedCredential.objects.count() == 3
    for person in people:
        person.refresh_from_db()
        assert person.status == "certificate_issued"
        assert batch.items.get(data__participant=person.pk).outcome == person.certificate.public_id
