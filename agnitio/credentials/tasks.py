"""Celery tasks of the trust layer: they take ids (or nothing), call a service and are idempotent."""

from celery import shared_task


@shared_task(name="credentials.pdf_orphans_delete", ignore_result=True)
def pdf_orphans_delete() -> int:
    """Daily: delete PDFs of issues that were never recorded (a process killed mid-issue)."""
    from .services import credential_pdf_orphans_delete

    return len(credential_pdf_orphans_delete())
