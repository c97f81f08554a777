"""Celery tasks: they take ids, call a service and are idempotent (a re-delivered task skips finished items)."""

from celery import shared_task

from . import services


@shared_task(name="documents.job_process_chunk", acks_late=True, reject_on_worker_lost=True)
def job_process_chunk(job_id: int, item_ids: list[int]) -> None:
    services.job_process_chunk(job_id=job_id, item_ids=item_ids)


@shared_task(name="documents.job_finalise", acks_late=True, reject_on_worker_lost=True)
def job_finalise_task(job_id: int) -> None:
    services.job_finalise(job_id=job_id)


@shared_task(name="documents.job_resume_stalled")
def job_resume_stalled() -> int:
    return services.job_resume_stalled()


@shared_task(name="documents.job_outputs_purge")
def job_outputs_purge() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): the files of jobs older than AGNITIO_DOCUMENT_JOB_RETENTION_DAYS go."""
    return services.job_outputs_purge()
