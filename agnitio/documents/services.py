"""Documents services: render a document, seal it, and run bulk document jobs."""

from __future__ import annotations

import base64
import datetime
import logging
import tempfile
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from kombu.exceptions import OperationalError as BrokerError

from agnitio.core.errors import ApplicationError, PermissionDenied
from agnitio.core.permissions import allowed, require
from agnitio.core.services import audit_record

from . import render
from .jobs import RENDER, JobItemFinishedElsewhere, job_handler_get
from .kinds import KINDS
from .models import DocumentJob, DocumentJobItem, OrganisationSeal
from .seal import DISPLAY_KEYWORD, TRY_OUT_KEYWORD, pdf_seal, seal_build_uploaded

logger = logging.getLogger(__name__)


def _language_codes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def document_languages_clean(languages: list[str] | str) -> list[str]:
    """Accept ["lv"], ["lv", "en"] or "lv+en"; raise ApplicationError on anything else."""
    if isinstance(languages, str):
        languages = [x for x in languages.replace(",", "+").split("+") if x]
    languages = list(dict.fromkeys(languages))
    if not 1 <= len(languages) <= 2 or not set(languages) <= _language_codes():
        raise ApplicationError(gettext_lazy("Choose one document language or two (for a bilingual document)."),
                               code="languages")
    return languages


def document_labels(*, kind: str, language: str) -> dict[str, str]:
    """The kind's template strings translated into `language` (the interface language does not matter)."""
    with translation.override(language):
        return {k: str(v) for k, v in KINDS[kind].labels().items()}


def document_render(*, kind: str, data: dict, languages: list[str]) -> bytes:
    """Render a document of `kind` from `data` (see README.md for each kind's contract) as PDF bytes."""
    if kind not in KINDS:
        raise ApplicationError(gettext_lazy("Unknown document kind."), code="kind")
    languages = document_languages_clean(languages)
    spec = KINDS[kind]
    labels = [document_labels(kind=kind, language=lang) for lang in languages]
    try:
        prepared = spec.prepare(data, languages)
    except (ValueError, KeyError, TypeError) as exc:
        raise ApplicationError(gettext_lazy("The document data are incomplete: %(reason)s") % {"reason": exc},
                               code="data") from exc
    org = data.get("organisation") or {}
    payload = {
        "lang": languages,
        "labels": labels,
        "title": spec.title(data, labels[0]),
        "author": str(org.get("name") or ""),
        # a Try Out document says so in its metadata: seal.pdf_seal refuses to seal it
        "keywords": [kind, str(data.get("number") or "")] + ([TRY_OUT_KEYWORD] if data.get("try_out") else [])
        + ([] if spec.sealed else [DISPLAY_KEYWORD]),  # a display (never sealed): pdf_seal refuses it too
        "data": prepared,
    }
    try:
        return render.compile_pdf(template=spec.template, payload=payload)
    except render.RenderError as exc:
        raise ApplicationError(gettext_lazy("The document could not be made: %(reason)s") % {"reason": exc},
                               code="render") from exc


def document_organisation_data(*, organisation) -> dict:
    """The `organisation` block of a document's data from the Organisation row (logo as its stored file)."""
    return {
        "name": organisation.legal_name,
        "address": organisation.address,
        "website": organisation.website,
        "email": organisation.email,
        "logo": organisation.logo if organisation.logo else None,
    }


def document_issue_pdf(*, organisation, kind: str, data: dict, languages: list[str], seal: bool = True,
                       try_out: bool = False) -> bytes:
    """Render and (by default) seal one document for `organisation`. A Try Out document (`try_out=True`, or data
    saying `try_out`) is never sealed: it is rendered with its watermark and returned as it is; nor is a kind that
    is a display (`sealed=False`, the credential summary)."""
    try_out = try_out or bool(data.get("try_out"))
    pdf = document_render(kind=kind, data={**data, "try_out": True} if try_out else data, languages=languages)
    sealed = seal and KINDS[kind].sealed and not try_out  # document_render refused an unknown kind
    return pdf_seal(organisation=organisation, pdf_bytes=pdf) if sealed else pdf


# --- seals -------------------------------------------------------------------------------------------------------

def _require_admin(actor, organisation) -> None:
    require(actor, "documents.manage_seal", organisation, hide=False)


@transaction.atomic
def seal_upload(*, actor, organisation, pkcs12: bytes, password: str) -> OrganisationSeal:
    """Replace the organisation's seal with an uploaded PKCS#12 (checked: password, key matches, valid today)."""
    _require_admin(actor, organisation)
    if len(pkcs12) > 1024 * 1024:
        raise ApplicationError(gettext_lazy("The seal file is too large (at most 1 MB)."), code="too_large")
    try:
        row = seal_build_uploaded(organisation=organisation, data=pkcs12, password=password)
    except ValueError as exc:
        raise ApplicationError(
            gettext_lazy("The seal file was not accepted: %(reason)s. Check the file and its password.")
            % {"reason": exc}, code="pkcs12") from exc
    OrganisationSeal.objects.select_for_update().filter(organisation=organisation, is_active=True).update(
        is_active=False)
    row.save()
    audit_record(actor=actor, action="grant", target=row, organisation=organisation, verb="seal uploaded",
                 changes={"subject": [None, row.subject], "issuer": [None, row.issuer]})
    return row


@transaction.atomic
def seal_reset(*, actor, organisation) -> OrganisationSeal:
    """Stop using the current seal; a new platform-issued one is made and used from now on."""
    from .seal import platform_seal_build

    _require_admin(actor, organisation)
    old = list(OrganisationSeal.objects.select_for_update().filter(organisation=organisation, is_active=True))
    OrganisationSeal.objects.filter(pk__in=[s.pk for s in old]).update(is_active=False)
    row = platform_seal_build(organisation=organisation)
    row.save()
    audit_record(actor=actor, action="revoke", target=row, organisation=organisation, verb="seal replaced",
                 changes={"subject": [old[0].subject if old else None, row.subject]})
    return row


# --- bulk jobs -----------------------------------------------------------------------------------------------------

def document_data_jsonable(data):
    """Document data made storable as JSON: bytes (images) become {"$bytes": base64}, dates ISO strings."""
    if isinstance(data, dict):
        return {str(k): document_data_jsonable(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [document_data_jsonable(v) for v in data]
    if isinstance(data, bytes | bytearray):
        return {"$bytes": base64.b64encode(bytes(data)).decode()}
    if isinstance(data, datetime.date):
        return data.isoformat()
    return data


def _item_label(kind: str, data: dict, index: int) -> str:
    holder = data.get("holder") or {}
    name = holder.get("name") if isinstance(holder, dict) else None
    number = data.get("number")
    return " — ".join(str(x) for x in (number, name) if x)[:255] or f"#{index + 1}"


def _chunks(ids: list[int], size: int) -> list[list[int]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def _publish(job_id: int, send) -> None:
    """Hand tasks to the broker after the commit. If the broker is unreachable the job stays as it is (waiting,
    nothing lost: its items are rows) and is flagged for the sweeper, which queues it at its next run; the
    request or task that started it does not fail after its data were committed."""

    def publish() -> None:
        try:
            send()
        except BrokerError:
            logger.warning("Could not queue the tasks of document job %s (broker unreachable); the sweeper will retry",
                           job_id, exc_info=True)
            DocumentJob.objects.filter(pk=job_id).update(requeue=True)

    transaction.on_commit(publish)


def job_enqueue_pending(*, job: DocumentJob) -> int:
    """Enqueue (on commit) tasks for every item not yet finished. Safe to call again: tasks skip done items."""
    from . import tasks

    ids = list(job.items.filter(status=DocumentJobItem.Status.PENDING).values_list("id", flat=True))
    size = max(1, int(getattr(settings, "AGNITIO_DOCUMENT_JOB_CHUNK", 20)))
    chunks = _chunks(ids, size)

    def send() -> None:
        for chunk in chunks:  # the first failure stops: the sweeper queues all the job's waiting items again
            tasks.job_process_chunk.delay(job.pk, chunk)

    if chunks:
        _publish(job.pk, send)
    else:
        _job_claim_finalise(job.pk, force=True)
    return len(chunks)


def _job_claim_finalise(job_id: int, *, force: bool = False) -> bool:
    """Move the job to "finalising" once, and finish it: through the one task that writes the ZIP when its handler
    makes files, at once otherwise."""
    from . import tasks

    active = [DocumentJob.Status.PENDING, DocumentJob.Status.RUNNING]
    if force:
        active.append(DocumentJob.Status.FINALISING)
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().filter(pk=job_id, status__in=active).first()
        if job is None:
            return False
        DocumentJob.objects.filter(pk=job_id).update(status=DocumentJob.Status.FINALISING, updated_at=timezone.now())
        if job_handler_get(job.handler).makes_files:
            _publish(job_id, lambda: tasks.job_finalise_task.delay(job_id))
        else:
            transaction.on_commit(lambda: job_finalise(job_id=job_id))
    return True


@dataclass(frozen=True)
class JobItemIn:
    """One item of a new job: what its handler needs, and how the item is shown (a name, a number)."""

    data: dict
    label: str = ""


@transaction.atomic
def job_create(*, actor, organisation, handler: str, items: list[JobItemIn], scope: str = "", kind: str = "",
               languages: list[str] | None = None, title: str = "", seal: bool = True,
               verb: str = "document job started") -> DocumentJob:
    """Create a bulk job of `handler` with one item per entry and enqueue it (on commit). The handler decides who
    may (`may_manage`); an empty list is refused."""
    spec = job_handler_get(handler)
    if not spec.may_manage(actor, organisation, scope):
        raise PermissionDenied()
    if not items:
        raise ApplicationError(gettext_lazy("There is nothing to make: the list of documents is empty."),
                               code="empty")
    job = DocumentJob.objects.create(organisation=organisation, owner=actor, handler=handler, scope=scope, kind=kind,
                                     title=title[:200], languages=languages or [], seal=seal, total=len(items))
    DocumentJobItem.objects.bulk_create(
        [DocumentJobItem(job=job, index=i, label=(item.label or f"#{i + 1}")[:255], data=item.data)
         for i, item in enumerate(items)],
        batch_size=500,
    )
    audit_record(actor=actor, action="create", target=job, organisation=organisation, verb=verb,
                 changes={"handler": [None, handler], "kind": [None, kind], "total": [None, len(items)]})
    job_enqueue_pending(job=job)
    return job


def job_start(*, actor, organisation, kind: str, items: list[dict], languages: list[str] | str,
              title: str = "", seal: bool = True) -> DocumentJob:
    """Start a bulk job making one document of `kind` per item (each item is that kind's document data)."""
    require(actor, "documents.start_job", organisation, hide=False)
    if kind not in KINDS:
        raise ApplicationError(gettext_lazy("Unknown document kind."), code="kind")
    languages = document_languages_clean(languages)
    return job_create(actor=actor, organisation=organisation, handler=RENDER, kind=kind, languages=languages,
                      title=title, seal=seal,
                      items=[JobItemIn(data=document_data_jsonable(d), label=_item_label(kind, d, i))
                             for i, d in enumerate(items)])


def _item_path(job: DocumentJob, item: DocumentJobItem) -> str:
    return f"documents/jobs/{job.public_id}/{item.index + 1:05d}.pdf"


def job_item_render(*, job: DocumentJob, item: DocumentJobItem, done) -> None:
    """The "render" handler: render and seal the item's document, store it, record it."""
    pdf = document_issue_pdf(organisation=job.organisation, kind=job.kind, data=item.data, languages=job.languages,
                             seal=job.seal)
    path = _item_path(job, item)
    if default_storage.exists(path):  # left by a worker that died before recording it
        default_storage.delete(path)
    done(file=default_storage.save(path, ContentFile(pdf)))


def render_job_may_manage(actor, organisation, scope: str) -> bool:
    return allowed(actor, "documents.start_job", organisation)


def _item_done(item: DocumentJobItem, *, outcome: str = "", file: str = "") -> None:
    """Mark a waiting item done (the handler calls this inside the transaction that records its work)."""
    claimed = DocumentJobItem.objects.filter(pk=item.pk, status=DocumentJobItem.Status.PENDING).update(
        status=DocumentJobItem.Status.DONE, outcome=outcome[:64], file=file, error="", finished_at=timezone.now())
    if not claimed:
        if file and file != DocumentJobItem.objects.values_list("file", flat=True).get(pk=item.pk):
            default_storage.delete(file)  # ours was a duplicate of the recorded one
        raise JobItemFinishedElsewhere


def job_item_process(*, item_id: int) -> str:
    """Do one item's work through its job's handler. Idempotent.

    Returns the item's status. A finished item is left alone; a failure is recorded with its reason.
    """
    item = DocumentJobItem.objects.select_related("job", "job__organisation", "job__owner").filter(pk=item_id).first()
    if item is None:
        return "missing"
    if item.status != DocumentJobItem.Status.PENDING:
        return item.status
    job = item.job
    DocumentJobItem.objects.filter(pk=item.pk).update(attempts=F("attempts") + 1)
    finished = []

    def done(*, outcome: str = "", file: str = "") -> None:
        _item_done(item, outcome=outcome, file=file)
        finished.append(True)

    try:
        job_handler_get(job.handler).process(job=job, item=item, done=done)
    except JobItemFinishedElsewhere:
        pass
    except ApplicationError as exc:
        _item_failed(item, str(exc))
    except Exception as exc:  # a single broken item must not stop the job
        logger.exception("Document job %s item %s failed", job.public_id, item.index)
        _item_failed(item, _("Unexpected error: %(error)s") % {"error": exc.__class__.__name__})
    else:
        if not finished:
            logger.error("Handler %s left item %s of job %s unfinished", job.handler, item.index, job.public_id)
            _item_failed(item, _("Unexpected error: %(error)s") % {"error": "unfinished"})
    return DocumentJobItem.objects.values_list("status", flat=True).get(pk=item.pk)


def _item_failed(item: DocumentJobItem, error: str) -> None:
    DocumentJobItem.objects.filter(pk=item.pk, status=DocumentJobItem.Status.PENDING).update(
        status=DocumentJobItem.Status.FAILED, error=error[:2000], finished_at=timezone.now())


def job_progress_update(*, job_id: int) -> DocumentJob:
    """Recount the job's progress from its items (so a re-run task never double-counts)."""
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().get(pk=job_id)
        counts = job.items.aggregate(done=Count("id", filter=Q(status="done")),
                                     failed=Count("id", filter=Q(status="failed")))
        job.done, job.failed = counts["done"], counts["failed"]
        job.errors = [
            {"index": i.index + 1, "label": i.label, "reason": i.error}
            for i in job.items.filter(status="failed").only("index", "label", "error")[:500]
        ]
        if job.status == DocumentJob.Status.PENDING:
            job.status = DocumentJob.Status.RUNNING
        job.save(update_fields=["done", "failed", "errors", "status", "updated_at"])
    return job


def job_process_chunk(*, job_id: int, item_ids: list[int]) -> None:
    """Process a chunk of items (the Celery task's body), update progress; the chunk that completes the job
    finishes it (enqueues the ZIP)."""
    DocumentJob.objects.filter(pk=job_id, status=DocumentJob.Status.PENDING).update(status=DocumentJob.Status.RUNNING)
    for item_id in item_ids:
        job_item_process(item_id=item_id)
    job = job_progress_update(job_id=job_id)
    if job.processed >= job.total:
        _job_claim_finalise(job_id)


def _job_zip(job: DocumentJob, done: list[DocumentJobItem]) -> str:
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as zf:
            for item in done:
                with item.file.open("rb") as fh, \
                        zf.open(f"{item.index + 1:05d}.pdf", "w") as out:
                    while chunk := fh.read(256 * 1024):
                        out.write(chunk)
        tmp.seek(0)
        path = f"documents/jobs/{job.public_id}/documents.zip"
        if default_storage.exists(path):  # a finalisation that died half-way
            default_storage.delete(path)
        return default_storage.save(path, File(tmp))


def job_finalise(*, job_id: int) -> DocumentJob:
    """Mark the job finished (failed when no item succeeded), with a ZIP of its files when its handler makes files.
    Idempotent (a re-run rewrites the ZIP)."""
    job = job_progress_update(job_id=job_id)
    if job.status in (DocumentJob.Status.FINISHED, DocumentJob.Status.FAILED) or job.processed < job.total:
        return job
    name = ""
    if job_handler_get(job.handler).makes_files:
        files = list(job.items.filter(status="done").exclude(file="").only("index", "label", "file"))
        name = _job_zip(job, files) if files else ""
    with transaction.atomic():
        locked = DocumentJob.objects.select_for_update().get(pk=job.pk)
        if locked.status in (DocumentJob.Status.FINISHED, DocumentJob.Status.FAILED):
            return locked
        locked.result.name = name
        locked.status = DocumentJob.Status.FINISHED if locked.done else DocumentJob.Status.FAILED
        locked.finished_at = timezone.now()
        locked.save(update_fields=["result", "status", "finished_at", "updated_at"])
    return locked


def job_resume(*, actor, job: DocumentJob) -> int:
    """Re-enqueue a job's unfinished items (after an outage). Tasks skip what is already done."""
    if not job_handler_get(job.handler).may_manage(actor, job.organisation, job.scope):
        raise PermissionDenied()
    with transaction.atomic():
        DocumentJob.objects.filter(pk=job.pk).update(requeue=False)
        return job_enqueue_pending(job=job)


def job_resume_stalled(*, older_than: datetime.timedelta = datetime.timedelta(minutes=30)) -> int:
    """Re-enqueue the pending items of jobs that made no progress for a while, or whose tasks could not be handed
    to the broker (a periodic safety net). Returns how many chunks were queued."""
    cutoff = timezone.now() - older_than
    count = 0
    active = [DocumentJob.Status.PENDING, DocumentJob.Status.RUNNING, DocumentJob.Status.FINALISING]
    for job in DocumentJob.objects.filter(Q(updated_at__lt=cutoff) | Q(requeue=True), status__in=active):
        with transaction.atomic():
            DocumentJob.objects.filter(pk=job.pk).update(updated_at=timezone.now(), requeue=False)
            count += job_enqueue_pending(job=job)
    return count


def job_outputs_purge(*, now: datetime.datetime | None = None, days: int | None = None) -> int:
    """Delete the PDFs and the ZIP of jobs that finished more than `days` (AGNITIO_DOCUMENT_JOB_RETENTION_DAYS) ago,
    through the storage API, and the personal data they were made from (each item keeps its number as its label).
    The job row stays with `files_removed_at`, so its page says the files were deleted. Idempotent: a job is done
    once; a run that died half-way is finished by the next (deleting a file that is gone is harmless).
    Returns how many jobs were purged."""
    now = now or timezone.now()
    days = settings.AGNITIO_DOCUMENT_JOB_RETENTION_DAYS if days is None else days
    cutoff = now - datetime.timedelta(days=days)
    ended = [DocumentJob.Status.FINISHED, DocumentJob.Status.FAILED]
    purged = 0
    for job in DocumentJob.objects.filter(status__in=ended, finished_at__lt=cutoff, files_removed_at__isnull=True):
        storage = job.result.storage
        names = list(job.items.exclude(file="").values_list("file", flat=True).iterator())
        if job.result.name:
            names.append(job.result.name)
        for name in names:
            storage.delete(name)
        with transaction.atomic():
            locked = DocumentJob.objects.select_for_update().get(pk=job.pk)
            if locked.files_removed_at is not None:
                continue
            items = list(locked.items.only("pk", "index", "data"))
            for item in items:
                number = item.data.get("number") if isinstance(item.data, dict) else None
                item.label, item.data, item.file = (str(number)[:255] if number else f"#{item.index + 1}"), {}, ""
            DocumentJobItem.objects.bulk_update(items, ["label", "data", "file"], batch_size=500)
            locked.result, locked.files_removed_at = "", now
            locked.save(update_fields=["result", "files_removed_at", "updated_at"])
            audit_record(actor=None, action="delete", target=locked, organisation=locked.organisation,
                         verb="document job files expired", changes={"files": [len(names), 0]})
        purged += 1
    return purged
