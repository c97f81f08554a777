"""Periodic housekeeping for organisations."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.core.files.storage import default_storage
from django.utils import timezone

from .forms import PENDING_LOGO_MAX_AGE

PENDING_DIR = "organisations/pending"


@shared_task(ignore_result=True)
def pending_logos_purge() -> int:
    """Delete logos kept for failed form submissions once their signed reference has expired. Idempotent."""
    if not default_storage.exists(PENDING_DIR):
        return 0
    limit = timezone.now() - datetime.timedelta(seconds=PENDING_LOGO_MAX_AGE)
    removed = 0
    _dirs, files = default_storage.listdir(PENDING_DIR)
    for name in files:
        path = f"{PENDING_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
                removed += 1
        except FileNotFoundError:
            continue
    return removed
