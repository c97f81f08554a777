"""Background tasks: deliver one outbox message; sweep up messages whose task was lost."""

from celery import shared_task

from . import services


@shared_task(bind=True, max_retries=None, acks_late=True)
def deliver_email(self, outbox_id: int) -> str:
    """Deliver outbox message `outbox_id`. Idempotent: a message already sent (or being sent) is left alone.

    Attempts are counted on the row, not by Celery, so re-enqueued and retried tasks share one budget.
    """
    result = services.outbox_deliver(outbox_id=outbox_id)
    if result.retry_in is not None:
        raise self.retry(countdown=result.retry_in)
    return result.status


@shared_task
def requeue_lost_emails() -> int:
    """Periodic (beat): re-enqueue queued messages whose delivery task never ran."""
    return services.outbox_requeue_lost()


@shared_task(ignore_result=True)
def outbox_bodies_prune() -> int:
    """Daily (beat): drop the bodies of old sent/failed messages (retention, docs/retention.md). Idempotent."""
    return services.outbox_bodies_prune()
