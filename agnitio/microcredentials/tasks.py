"""Background tasks of micro-credentials (bulk issuing runs as documents-engine jobs, see services.awards)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="agnitio.microcredentials.tasks.award_imports_purge", ignore_result=True)
def award_imports_purge() -> int:
    """Hourly (beat): delete learner tables never imported within 24 hours and clear rows left out. Idempotent."""
    from .services.imports import award_imports_purge as purge

    return purge()
