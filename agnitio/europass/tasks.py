"""Background work for Europass mobility. Tasks take ids (or nothing), call a service and are idempotent."""

from celery import shared_task


@shared_task(name="agnitio.europass.tasks.tryout_purge", ignore_result=True)
def tryout_purge() -> int:
    """Every 10 minutes (beat): delete Europass Try Out applications, and everything made under them, 24 hours
    after they were made. Idempotent."""
    from .services.applications import tryout_purge as purge

    return purge()
