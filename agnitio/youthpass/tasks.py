"""Background work for Youthpass. Tasks take ids (or nothing), call a service and are idempotent."""

from celery import shared_task


@shared_task(name="agnitio.youthpass.tasks.send_due_reminders", ignore_result=True)
def send_due_reminders() -> int:
    """Hourly (beat schedule): send the YANS-like reminders that are due (a reminder goes to a participant once)
    and the organisers' milestone reminders (once per milestone and person)."""
    from .organiser_reminders import organiser_reminders_send_due
    from .reminders import reminders_send_due

    return reminders_send_due() + organiser_reminders_send_due()


@shared_task(name="agnitio.youthpass.tasks.participant_imports_purge", ignore_result=True)
def participant_imports_purge() -> int:
    """Hourly (beat): delete participant tables uploaded more than 24 hours ago and never imported. Idempotent."""
    from .services.imports import participant_imports_purge_abandoned

    return participant_imports_purge_abandoned()
