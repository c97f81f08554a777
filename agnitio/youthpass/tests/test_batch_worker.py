"""A certificate batch started while the broker is unreachable (a real publish to a closed port, kombu's
OperationalError) is finished by a real Celery worker once the periodic sweep queues it (issue 10, point 2)."""

import pytest
from celery import Celery

from agnitio.credentials.models import IssuedCredential
from agnitio.documents import tasks
from agnitio.documents.models import DocumentJob
from agnitio.documents.services import job_resume_stalled
from agnitio.youthpass.services import certificates
from tests.fixtures.worker import Publisher

from .test_batches import _ready_person, finalised  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.services
def test_a_batch_started_while_the_broker_is_down_is_issued_by_a_real_worker_after_the_sweep(
        real_worker, monkeypatch, owner, finalised, activity, make_user):  # noqa: F811
    people = [_ready_person(owner, finalised, activity, make_user, n) for n in range(3)]
    down = Celery("agnitio-test-broker-down", broker="redis://127.0.0.1:1/0", set_as_current=False)
    try:
        with monkeypatch.context() as patch:
            patch.setattr(tasks, "job_process_chunk",
                          Publisher(down, tasks.job_process_chunk.name, real_worker.queue))
            batch = certificates.certificate_batch_start(actor=owner, project=finalised)  # autocommit: published
        batch.refresh_from_db()
        assert (batch.status, batch.requeue, batch.total) == ("pending", True, 3)
        assert not IssuedCredential.objects.exists()
    finally:
        down.close()

    real_worker.publish(tasks, "job_process_chunk")  # the broker is back
    worker = real_worker.start()
    assert job_resume_stalled() == 1  # the flagged batch is queued
    real_worker.wait_until(lambda: DocumentJob.objects.get(pk=batch.pk).status == "finished", seconds=180,
                           what="the batch", process=worker)
    batch.refresh_from_db()
    assert (batch.done, batch.failed, batch.requeue) == (3, 0, False)
    assert IssuedCredential.objects.count() == 3
    for person in people:
        person.refresh_from_db()
        assert person.status == "certificate_issued"
        assert batch.items.get(data__participant=person.pk).outcome == person.certificate.public_id
