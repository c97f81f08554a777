"""Bulk generation of an application's documents when the broker is down or a worker dies (killed worker / dead
broker): the page answers (no error after the job was saved), the job waits flagged for the sweeper and nothing is
lost; a task delivered again after a worker died mid-job issues nothing twice."""

import pytest
from django.urls import reverse
from kombu.exceptions import OperationalError

from agnitio.credentials.models import IssuedCredential
from agnitio.documents import tasks
from agnitio.documents.models import DocumentJob
from agnitio.documents.services import job_resume_stalled
from agnitio.europass import services

from .test_documents import fill

pytestmark = pytest.mark.django_db


def _broker_down(*args, **kwargs):
    raise OperationalError("[Errno 111] Connection refused")


@pytest.fixture
def certificates(approved, sender):
    made = []
    for document in approved.documents.order_by("position"):
        fill(sender, document)
        certificate = services.certificate_create_from_agreement(actor=sender, agreement=document)
        fill(sender, certificate, skip=("signatures",))
        services.document_section_update(actor=sender, document=certificate, section="signatures",
                                         data={"signing_parties": ["sending"]})
        made.append(certificate)
    return made


def test_generation_started_while_the_broker_is_down_is_finished_by_the_sweeper(
        client, approved, sender, certificates, monkeypatch, django_capture_on_commit_callbacks):
    client.force_login(sender)
    url = reverse("europass:application_generate", args=[approved.public_id])
    with monkeypatch.context() as down:
        down.setattr(tasks.job_process_chunk, "apply_async", _broker_down)
        with django_capture_on_commit_callbacks(execute=True) as published:
            response = client.post(url)
        assert len(published) == 1  # publishing was attempted after the commit, and failed
        job = DocumentJob.objects.get(handler="europass.documents")
        assert response.status_code == 302
        assert response["Location"] == reverse("europass:application_job", args=[approved.public_id, job.public_id])
        assert job.status == "pending" and job.requeue and not IssuedCredential.objects.exists()
        assert client.get(response["Location"]).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            assert job_resume_stalled() == 1  # still down: flagged again, nothing lost
        job.refresh_from_db()
        assert job.status == "pending" and job.requeue
    with django_capture_on_commit_callbacks(execute=True):
        assert job_resume_stalled() == 1  # the broker is back
    job.refresh_from_db()
    assert job.status == "finished" and job.done == job.total == 4 and not job.requeue
    assert IssuedCredential.objects.count() == len(certificates)


def test_a_task_delivered_again_after_a_lost_worker_issues_nothing_twice(
        approved, sender, certificates, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the worker took the tasks and died
        started = services.application_documents_generate(actor=sender, application=approved)
    job = DocumentJob.objects.get(pk=started.job.pk)
    items = list(job.items.order_by("index").values_list("id", flat=True))
    tasks.job_process_chunk(job.pk, items[:1])  # the first item was done before the worker died
    with django_capture_on_commit_callbacks(execute=True):
        DocumentJob.objects.filter(pk=job.pk).update(requeue=True)
        assert job_resume_stalled() == 1
    tasks.job_process_chunk(job.pk, items)  # the broker delivers the lost task again (acks late)
    job.refresh_from_db()
    assert job.status == "finished" and job.done == job.total == 4
    assert IssuedCredential.objects.count() == len(certificates)
    assert sorted(IssuedCredential.objects.values_list("source_id", flat=True)) == sorted(c.pk for c in certificates)
