"""Shared reads: service health."""

from django.conf import settings
from django.db import connection


def health_check() -> dict:
    """State of the database and the task broker, as plain strings."""
    result = {"status": "ok", "database": "ok", "broker": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "not ok"
        result["database"] = f"error: {exc.__class__.__name__}"
        result["status"] = "error"
    broker_url = settings.CELERY_BROKER_URL
    if broker_url.startswith(("filesystem", "memory")):
        result["broker"] = "ok"
        result["broker_transport"] = broker_url.split(":", 1)[0]
    else:
        from agnitio.celery import app

        try:
            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            result["broker_transport"] = broker_url.split(":", 1)[0]
        except Exception as exc:  # noqa: BLE001
            result["broker"] = f"error: {exc.__class__.__name__}"
            result["status"] = "degraded"
    return result
