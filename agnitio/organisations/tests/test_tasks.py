import os
import time

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from agnitio.organisations.tasks import PENDING_DIR, pending_logos_purge


def test_pending_logos_purge_removes_only_expired(settings):
    old = default_storage.save(f"{PENDING_DIR}/old.png", ContentFile(b"x"))
    fresh = default_storage.save(f"{PENDING_DIR}/fresh.png", ContentFile(b"y"))
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))
    assert pending_logos_purge() >= 1
    assert not default_storage.exists(old) and default_storage.exists(fresh)
    assert pending_logos_purge() == 0  # idempotent
    default_storage.delete(fresh)
