import io
import zipfile

import pytest
from django.core.files.storage import default_storage

from agnitio.core.errors import ApplicationError, PermissionDenied
from agnitio.core.models import AuditEvent
from agnitio.documents import services
from agnitio.documents.models import DocumentJob, DocumentJobItem
from agnitio.documents.sample import youthpass_sample
from agnitio.documents.seal import pdf_seal_verify

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


def _items(n, *, broken=()):
    items = []
    for i in range(n):
        data = youthpass_sample(number=f"YP-T-{i:04d}", holder=f"Dalībnieks Nr. {i} Ķēniņš", images=False)
        if i in broken:
            data["organisation"]["logo"] = "not an image"
        items.append(data)
    return items


@pytest.fixture
def run_job(django_capture_on_commit_callbacks, settings):
    settings.AGNITIO_DOCUMENT_JOB_CHUNK = 3

    def _run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            job = services.job_start(**kwargs)
        job.refresh_from_db()
        return job

    return _run


def _zip_names(job):
    with default_storage.open(job.result.name, "rb") as fh:
        return zipfile.ZipFile(io.BytesIO(fh.read())).namelist()


def test_a_job_makes_every_document_and_a_zip(run_job, organisation, editor):
    job = run_job(actor=editor, organisation=organisation, kind="youthpass", items=_items(7), languages="lv+en",
                  title="Vasaras apmaiņa")
    assert job.status == DocumentJob.Status.FINISHED
    assert (job.total, job.done, job.failed) == (7, 7, 0)
    assert _zip_names(job) == [f"{i:05d}.pdf" for i in range(1, 8)]
    item = job.items.get(index=4)
    with default_storage.open(item.file.name, "rb") as fh:
        pdf = fh.read()
    assert pdf_seal_verify(pdf_bytes=pdf).intact
    assert "YP-T-0004" in pdf_text(pdf) and "Dalībnieks Nr. 4 Ķēniņš" in pdf_text(pdf)
    assert AuditEvent.objects.filter(object_id=job.public_id, action="create").exists()


def test_failed_documents_are_listed_and_the_rest_complete(run_job, organisation, editor):
    job = run_job(actor=editor, organisation=organisation, kind="youthpass", items=_items(5, broken={1, 3}),
                  languages=["en"])
    assert job.status == DocumentJob.Status.FINISHED
    assert (job.done, job.failed) == (3, 2)
    assert [e["index"] for e in job.errors] == [2, 4]
    assert all("Images must be given as bytes" in e["reason"] for e in job.errors)
    assert _zip_names(job) == ["00001.pdf", "00003.pdf", "00005.pdf"]


def test_running_a_chunk_again_makes_no_duplicate(run_job, organisation, editor):
    job = run_job(actor=editor, organisation=organisation, kind="youthpass", items=_items(4), languages=["en"])
    files_before = sorted(default_storage.listdir(f"documents/jobs/{job.public_id}")[1])
    names_before = list(job.items.values_list("file", flat=True))
    ids = list(job.items.values_list("id", flat=True))
    services.job_process_chunk(job_id=job.pk, item_ids=ids)  # a re-delivered task
    services.job_finalise(job_id=job.pk)
    job.refresh_from_db()
    assert (job.done, job.failed) == (4, 0)
    assert list(job.items.values_list("file", flat=True)) == names_before
    assert sorted(default_storage.listdir(f"documents/jobs/{job.public_id}")[1]) == files_before
    assert set(job.items.values_list("attempts", flat=True)) == {1}


def test_a_pending_item_left_by_a_dead_worker_is_made_once(organisation, editor, django_capture_on_commit_callbacks):
    """A worker saved the PDF but died before recording it: the resumed task replaces the file, no duplicate."""
    job = services.job_start(actor=editor, organisation=organisation, kind="youthpass", items=_items(2),
                             languages=["en"])  # callbacks not run: nothing processed yet
    item = job.items.get(index=0)
    stale = services._item_path(job, item)
    default_storage.save(stale, io.BytesIO(b"half-written"))
    with django_capture_on_commit_callbacks(execute=True):
        services.job_resume(actor=editor, job=job)
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.FINISHED and job.done == 2
    assert sorted(default_storage.listdir(f"documents/jobs/{job.public_id}")[1]) == [
        "00001.pdf", "00002.pdf", "documents.zip"]
    with default_storage.open(stale, "rb") as fh:
        assert fh.read().startswith(b"%PDF")


def test_outsider_may_not_start_a_job_and_nothing_is_created(organisation, outsider):
    with pytest.raises(PermissionDenied):
        services.job_start(actor=outsider, organisation=organisation, kind="youthpass", items=_items(1),
                           languages=["en"])
    assert not DocumentJob.objects.exists() and not DocumentJobItem.objects.exists()


@pytest.mark.parametrize("kwargs", [{"kind": "nope"}, {"items": []}, {"languages": ["de"]}])
def test_invalid_jobs_are_refused(organisation, editor, kwargs):
    args = {"kind": "youthpass", "items": _items(1), "languages": ["en"], **kwargs}
    with pytest.raises(ApplicationError):
        services.job_start(actor=editor, organisation=organisation, **args)
    assert not DocumentJob.objects.exists()


# --- pages ------------------------------------------------------------------------------------------------------

@pytest.fixture
def finished_job(run_job, organisation, editor):
    return run_job(actor=editor, organisation=organisation, kind="youthpass", items=_items(2), languages=["en"])


def test_progress_page_and_partial(client, organisation, editor):
    job = services.job_start(actor=editor, organisation=organisation, kind="youthpass", items=_items(2),
                             languages=["en"])  # not processed: still waiting
    client.force_login(editor)
    page = client.get(f"/documents/jobs/{job.public_id}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert f'hx-get="/documents/jobs/{job.public_id}/progress/"' in body and 'hx-trigger="every 1s"' in body
    assert '<meta http-equiv="refresh"' in body  # without JavaScript the page reloads itself
    assert '<progress id="job-progress-bar" max="2" value="0">' in body
    partial = client.get(f"/documents/jobs/{job.public_id}/progress/", HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()


def test_finished_job_offers_the_zip_and_stops_polling(client, finished_job, editor):
    client.force_login(editor)
    partial = client.get(f"/documents/jobs/{finished_job.public_id}/progress/", HTTP_HX_REQUEST="true")
    assert partial.status_code == 286  # htmx stops polling
    body = partial.content.decode()
    assert "hx-trigger" not in body and f"/documents/jobs/{finished_job.public_id}/download/" in body
    r = client.get(f"/documents/jobs/{finished_job.public_id}/download/")
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    assert r["Cache-Control"] == "private, no-store"
    assert zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content))).namelist() == ["00001.pdf", "00002.pdf"]
    one = client.get(f"/documents/jobs/{finished_job.public_id}/documents/2/")
    assert one.status_code == 200 and b"".join(one.streaming_content).startswith(b"%PDF")


def test_outsiders_and_anonymous_get_nothing(client, finished_job, outsider):
    urls = [f"/documents/jobs/{finished_job.public_id}/{p}" for p in ("", "progress/", "download/", "documents/1/")]
    client.force_login(outsider)
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/documents/jobs/{finished_job.public_id}/resume/").status_code == 404
    assert finished_job.public_id not in client.get("/documents/jobs/").content.decode()
    client.logout()
    for url in urls:
        assert client.get(url).status_code == 302, url  # to the sign-in page
    media = client.get("/media/" + finished_job.result.name)
    assert media.status_code == 404  # generated files have no public address


def test_job_list_shows_own_organisation_jobs(client, finished_job, editor):
    client.force_login(editor)
    assert finished_job.public_id in client.get("/documents/jobs/").content.decode()


def test_stalled_jobs_are_resumed_by_the_periodic_task(organisation, editor, django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    from agnitio.documents.tasks import job_resume_stalled

    job = services.job_start(actor=editor, organisation=organisation, kind="youthpass", items=_items(2),
                             languages=["en"])  # its tasks were lost: callbacks never ran
    fresh = services.job_start(actor=editor, organisation=organisation, kind="youthpass", items=_items(1),
                               languages=["en"])
    DocumentJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert job_resume_stalled() == 1
    job.refresh_from_db()
    fresh.refresh_from_db()
    assert job.status == DocumentJob.Status.FINISHED and job.done == 2
    assert fresh.status == DocumentJob.Status.PENDING and fresh.done == 0  # not stalled: left alone


@pytest.mark.django_db(transaction=True)
def test_no_transaction_is_open_while_a_job_renders_or_seals(organisation, editor, monkeypatch):
    """SQLite has one writer: a bulk job must not hold a write transaction while it makes a PDF (issue 8 point 9,
    issue 9 point 8). Tasks run eagerly after the job's commit, as a worker would run them."""
    from django.db import transaction

    seen = []
    real_render, real_seal = services.document_render, services.pdf_seal

    def render(**kwargs):
        seen.append(("render", transaction.get_connection().in_atomic_block))
        return real_render(**kwargs)

    def seal(**kwargs):
        seen.append(("seal", transaction.get_connection().in_atomic_block))
        return real_seal(**kwargs)

    monkeypatch.setattr(services, "document_render", render)
    monkeypatch.setattr(services, "pdf_seal", seal)
    job = services.job_start(actor=editor, organisation=organisation, kind="youthpass", items=_items(2),
                             languages=["lv"])
    job.refresh_from_db()
    assert job.status == "finished" and job.done == 2
    assert seen == [("render", False), ("seal", False)] * 2


# --- the broker is down, handlers -------------------------------------------------------------------------------

def test_a_job_whose_tasks_cannot_be_queued_waits_for_the_sweeper(organisation, editor, monkeypatch,
                                                                    django_capture_on_commit_callbacks):
    """The broker refuses the chunks, then (after the sweeper queued them) the ZIP task: each time the job stays
    flagged for the sweeper, whose next run carries on; nothing raises after the commit."""
    from kombu.exceptions import OperationalError

    from agnitio.documents import tasks

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as broker:
        broker.setattr(tasks.job_process_chunk, "apply_async", down)
        with django_capture_on_commit_callbacks(execute=True):
            job = services.job_start(actor=editor, organisation=organisation, kind="youthpass", items=_items(2),
                                     languages=["en"])
    job.refresh_from_db()
    assert (job.status, job.requeue, job.done) == ("pending", True, 0)
    with monkeypatch.context() as broker:
        broker.setattr(tasks.job_finalise_task, "apply_async", down)
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.job_resume_stalled() == 1
    job.refresh_from_db()
    assert (job.status, job.requeue, job.done) == ("finalising", True, 2) and not job.result
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.job_resume_stalled() == 0  # no chunk left: only the ZIP task is queued
    job.refresh_from_db()
    assert (job.status, job.requeue) == ("finished", False)
    assert _zip_names(job) == ["00001.pdf", "00002.pdf"]


@pytest.fixture
def counting_handler():
    """A handler without files that records each item's data as its outcome; "fail" items fail, "skip" items are
    left unfinished (a handler bug), and only members whose e-mail starts with "editor" may manage its jobs."""
    from agnitio.documents import jobs

    def process(*, job, item, done):
        if item.data.get("fail"):
            raise ApplicationError("no", code="no")
        if not item.data.get("skip"):
            done(outcome=str(item.data["n"]))

    handler = jobs.JobHandler(name="test.count", process=process,
                              may_manage=lambda actor, organisation, scope: actor.email.startswith("editor"))
    jobs.job_handler_register(handler)
    yield handler
    jobs._HANDLERS.pop(handler.name)


def test_a_registered_handler_runs_through_the_engine_without_a_zip(organisation, editor, owner, counting_handler,
                                                                     django_capture_on_commit_callbacks, settings):
    settings.AGNITIO_DOCUMENT_JOB_CHUNK = 2
    items = [services.JobItemIn(data={"n": n, "fail": n == 3, "skip": n == 4}, label=f"n{n}") for n in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_create(actor=editor, organisation=organisation, handler="test.count", items=items,
                                  scope="s")
    job.refresh_from_db()
    assert (job.status, job.done, job.failed, job.result.name) == ("finished", 3, 2, "")
    assert [(i.status, i.outcome) for i in job.items.all()] == [
        ("done", "0"), ("done", "1"), ("done", "2"), ("failed", ""), ("failed", "")]
    assert [e["label"] for e in job.errors] == ["n3", "n4"]
    assert services.job_process_chunk(job_id=job.pk, item_ids=[job.items.get(index=0).pk]) is None
    assert job.items.get(index=0).attempts == 1  # done: not done again
    with pytest.raises(PermissionDenied):  # the handler decides who may
        services.job_create(actor=owner, organisation=organisation, handler="test.count", items=items)
    with pytest.raises(PermissionDenied):
        services.job_resume(actor=owner, job=job)
    with pytest.raises(LookupError):
        services.job_create(actor=editor, organisation=organisation, handler="nope", items=items)
    from agnitio.documents import selectors

    assert not selectors.job_list(actor=editor).filter(pk=job.pk).exists()  # shown by the handler's app
