"""Issue 8 point 13: the files of finished bulk document jobs are deleted after AGNITIO_DOCUMENT_JOB_RETENTION_DAYS
by a daily, idempotent beat task; the job row stays and its pages say the files were deleted (410 on download)."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from agnitio.core.models import AuditEvent
from agnitio.core.storage import is_local
from agnitio.core.tests.test_private_files import backend, moto_s3  # local folders and S3 (moto)
from agnitio.documents import tasks
from agnitio.documents.models import DocumentJob
from agnitio.documents.sample import youthpass_sample
from agnitio.documents.services import job_start

pytestmark = pytest.mark.django_db
__all__ = ["backend", "moto_s3"]


@pytest.fixture
def make_job(django_capture_on_commit_callbacks, organisation, editor):
    def _make(title: str, *, finished_days_ago: int) -> DocumentJob:
        items = [youthpass_sample(number=f"YP-R-{title}-{i}", holder=f"Dalībniece {i} Ozoliņa", images=False)
                 for i in range(2)]
        with django_capture_on_commit_callbacks(execute=True):
            job = job_start(actor=editor, organisation=organisation, kind="youthpass", items=items,
                            languages=["en"], title=title)
        job.refresh_from_db()
        assert job.status == DocumentJob.Status.FINISHED and job.result
        DocumentJob.objects.filter(pk=job.pk).update(
            finished_at=timezone.now() - datetime.timedelta(days=finished_days_ago))
        job.refresh_from_db()
        return job
    return _make


def _files(job):
    return [job.result.name, *job.items.exclude(file="").values_list("file", flat=True)]


def _run_task(django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return tasks.job_outputs_purge.delay().get()


def test_the_beat_schedule_runs_the_purge_daily():
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "documents.job_outputs_purge"]
    assert entries and entries[0]["schedule"] <= 24 * 3600
    assert settings.AGNITIO_DOCUMENT_JOB_RETENTION_DAYS == 30
    from agnitio.celery import app

    app.loader.import_default_modules()
    assert "documents.job_outputs_purge" in app.tasks


def test_old_outputs_are_deleted_recent_ones_kept_and_a_second_run_does_nothing(
        backend, make_job, organisation, django_capture_on_commit_callbacks):
    old = make_job("old", finished_days_ago=31)
    recent = make_job("recent", finished_days_ago=29)
    storage = old.result.storage
    assert is_local(storage) == (backend == "local")
    old_files, recent_files = _files(old), _files(recent)
    assert len(old_files) == 3 and all(storage.exists(n) for n in old_files + recent_files)

    assert _run_task(django_capture_on_commit_callbacks) == 1
    assert not any(storage.exists(n) for n in old_files)
    assert all(storage.exists(n) for n in recent_files)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.files_removed_at is not None and not old.result
    assert (old.status, old.total, old.done) == (DocumentJob.Status.FINISHED, 2, 2)  # the record stays
    items = list(old.items.order_by("index"))
    assert [i.label for i in items] == ["YP-R-old-0", "YP-R-old-1"] and all(i.data == {} and not i.file for i in items)
    assert recent.files_removed_at is None and recent.result
    assert all(i.data for i in recent.items.all())
    event = AuditEvent.objects.get(verb="document job files expired")
    assert event.actor is None and event.organisation == organisation and event.object_id == old.public_id

    stamp = old.files_removed_at
    assert _run_task(django_capture_on_commit_callbacks) == 0  # idempotent
    old.refresh_from_db()
    assert old.files_removed_at == stamp and AuditEvent.objects.filter(verb="document job files expired").count() == 1
    assert all(storage.exists(n) for n in recent_files)


def test_the_period_is_configurable_and_active_jobs_are_left_alone(make_job, settings,
                                                                  django_capture_on_commit_callbacks):
    job = make_job("short", finished_days_ago=8)
    running = make_job("running", finished_days_ago=100)
    DocumentJob.objects.filter(pk=running.pk).update(status=DocumentJob.Status.RUNNING)
    assert _run_task(django_capture_on_commit_callbacks) == 0
    settings.AGNITIO_DOCUMENT_JOB_RETENTION_DAYS = 7
    assert _run_task(django_capture_on_commit_callbacks) == 1
    job.refresh_from_db()
    running.refresh_from_db()
    assert job.files_removed_at and running.files_removed_at is None and running.result


def test_a_run_that_died_half_way_is_finished_by_the_next(make_job, django_capture_on_commit_callbacks):
    job = make_job("half", finished_days_ago=40)
    storage = job.result.storage
    names = _files(job)
    storage.delete(names[0])  # the ZIP went, then the worker died before recording anything
    assert _run_task(django_capture_on_commit_callbacks) == 1
    assert not any(storage.exists(n) for n in names)


def test_downloads_answer_410_with_a_clear_page_and_the_job_page_says_why(
        backend, client, editor, make_job, django_capture_on_commit_callbacks):
    old = make_job("gone", finished_days_ago=31)
    recent = make_job("kept", finished_days_ago=1)
    client.force_login(editor)
    ok = 200 if backend == "local" else 302
    assert client.get(reverse("documents:job_download", args=[old.public_id])).status_code == ok  # S3: a signed URL
    _run_task(django_capture_on_commit_callbacks)

    for url in (reverse("documents:job_download", args=[old.public_id]),
                reverse("documents:job_item_download", args=[old.public_id, 1])):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 410
        assert response["Content-Type"].startswith("text/html")
        page = response.content.decode()
        assert 'id="job-files-removed"' in page and "gone" in page
        with translation.override(response.wsgi_request.LANGUAGE_CODE):
            assert translation.gettext("Start a new job if you need them again.") in page
    detail = client.get(reverse("documents:job_detail", args=[old.public_id]))
    assert detail.status_code == 200 and 'id="job-files-removed"' in detail.content.decode()
    assert reverse("documents:job_download", args=[old.public_id]) not in detail.content.decode()
    # the recent job still downloads; someone else's or a made-up job is still 404
    assert client.get(reverse("documents:job_download", args=[recent.public_id])).status_code == ok
    assert client.get(reverse("documents:job_download", args=["nosuchjob"])).status_code == 404
