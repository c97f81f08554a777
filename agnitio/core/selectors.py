"""Shared reads: service health, several counts in one query."""

import os
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import QuerySet


def counts(**querysets: QuerySet) -> dict[str, int]:
    """`{name: queryset.count()}` in one query — each count a subquery of one SELECT — instead of one query per
    count (a page's "at a glance" numbers). An empty queryset (`.none()`, e.g. a selector's answer to an actor who
    may not see) counts 0 without asking. All querysets must read the same database."""
    result: dict[str, int] = {}
    parts: list[str] = []
    params: list = []
    names: list[str] = []
    using = None
    for name, queryset in querysets.items():
        if using is not None and queryset.db != using:
            raise ValueError("counts(): the querysets read different databases")
        using = queryset.db
        try:
            unordered = queryset if queryset.query.is_sliced else queryset.order_by()  # a slice keeps its order
            sql, own_params = unordered.values("pk").query.get_compiler(using=using).as_sql()
        except EmptyResultSet:
            result[name] = 0
            continue
        alias = connections[using].ops.quote_name(f"_count{len(parts)}")
        # Django's compiled SQL; every value is in own_params, passed as parameters.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) {alias})")  # noqa: S608
        params.extend(own_params)
        names.append(name)
    if parts:
        assert using is not None
        with connections[using].cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            row = cursor.fetchone()
        result.update(zip(names, (int(value) for value in row), strict=True))
    return {name: result[name] for name in querysets}


def _redacted(message: str, url: str) -> str:
    """The error message, short, and never with the broker's password in it (the page is public)."""
    password = urlsplit(url).password
    if password:
        message = message.replace(password, "***")
    return message[:200]


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
    if broker_url.startswith("memory"):
        result["broker_transport"] = "memory"
    elif broker_url.startswith("filesystem"):
        # The embedded default: the queue is a folder the web process must be able to write into.
        result["broker_transport"] = "filesystem"
        folder = str(settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("data_folder_in") or "")
        if not (folder and os.path.isdir(folder) and os.access(folder, os.W_OK)):
            result["broker"] = "error: the queue folder is missing or not writable"
            result["status"] = "degraded"
    else:
        from agnitio.celery import app

        result["broker_transport"] = broker_url.split(":", 1)[0]
        try:
            # The URL from settings (not the one Celery read at start-up), and a short bound on waiting.
            with app.connection_for_write(url=broker_url, connect_timeout=2) as conn:
                conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=3)
        except Exception as exc:  # noqa: BLE001
            result["broker"] = f"error: {exc.__class__.__name__}: {_redacted(str(exc), broker_url)}"
            result["status"] = "degraded"
    return result
