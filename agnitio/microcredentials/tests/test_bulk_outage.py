"""Bulk issuing of micro-credentials when the broker is down or a worker dies: the API answers 202 (no error after
the awards were saved), the job waits flagged for the sweeper and nothing is lost; a task delivered again after a
worker died mid-job issues nobody's credential twice. And a hostile column mapping is refused, not a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from kombu.exceptions import OperationalError

from agnitio.apikeys.services import api_token_create
from agnitio.credentials.models import IssuedCredential
from agnitio.documents import tasks
from agnitio.documents.models import DocumentJob
from agnitio.documents.services import job_resume_stalled
from agnitio.microcredentials.models import Award
from agnitio.microcredentials.services import awards as services

API = "/api/v1/microcredentials"
LEARNERS = [{"name": "Anna Bērziņa", "email": "anna@example.org"},
            {"name": "Jānis Ozols", "email": "janis@example.org"}]


def _broker_down(*args, **kwargs):
    raise OperationalError("[Errno 111] Connection refused")


@pytest.fixture
def token(owner, organisation):
    return api_token_create(actor=owner, name="bulk", organisation=organisation)[1]


def test_bulk_issue_while_the_broker_is_down_is_finished_by_the_sweeper(
        client, token, published, monkeypatch, django_capture_on_commit_callbacks):
    with monkeypatch.context() as down:
        down.setattr(tasks.job_process_chunk, "apply_async", _broker_down)
        with django_capture_on_commit_callbacks(execute=True) as published_tasks:
            response = client.post(f"{API}/specifications/{published.public_id}/awards/bulk",
                                   data={"learners": LEARNERS}, content_type="application/json",
                                   HTTP_AUTHORIZATION=f"Bearer {token}")
        assert len(published_tasks) == 1
        assert response.status_code == 202, response.content
        job = DocumentJob.objects.get(public_id=response.json()["job"])
        assert job.status == "pending" and job.requeue and not IssuedCredential.objects.exists()
        assert set(Award.objects.values_list("status", flat=True)) == {"pending"}
        progress = client.get(f"{API}/specifications/{published.public_id}/jobs/{job.public_id}",
                              HTTP_AUTHORIZATION=f"Bearer {token}")
        assert progress.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert job_resume_stalled() == 1
    job.refresh_from_db()
    assert job.status == "finished" and job.done == 2
    assert set(Award.objects.values_list("status", flat=True)) == {"issued"}
    assert IssuedCredential.objects.count() == 2


def test_a_task_delivered_again_after_a_lost_worker_issues_nothing_twice(
        owner, published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the worker took the tasks and died
        _awards, _errors, job = services.awards_bulk_start(
            actor=owner, specification=published, learners=[services.LearnerIn(**x) for x in LEARNERS])
    items = list(job.items.order_by("index").values_list("id", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.job_process_chunk(job.pk, items[:1])
        tasks.job_process_chunk(job.pk, items)  # delivered again (acks late), the first item included
        tasks.job_process_chunk(job.pk, items)
    job.refresh_from_db()
    assert job.status == "finished" and job.done == 2
    assert IssuedCredential.objects.count() == 2
    assert sorted(Award.objects.values_list("learner_email", flat=True)) == ["anna@example.org", "janis@example.org"]


@pytest.mark.parametrize("mapping", ["[" * 1999, '{"0": ' * 300 + "1" + "}" * 300, '{"x": "name"}', "[1]"])
def test_a_hostile_column_mapping_is_refused(client, token, published, mapping):
    csv = SimpleUploadedFile("learners.csv", b"name,email\nAnna,anna@example.org\n", content_type="text/csv")
    response = client.post(f"{API}/specifications/{published.public_id}/awards/import",
                           data={"file": csv, "mapping": mapping, "dry_run": "true"},
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code in (400, 422), response.content
    assert not Award.objects.exists()
