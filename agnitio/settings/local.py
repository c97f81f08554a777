"""Laptop defaults: embedded SQLite, files under var/, mail written to var/mail, tasks on the filesystem queue."""

from pathlib import Path

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="local-development-key-not-for-production-use-0123456789")
AGNITIO_KEY_ENCRYPTION_KEY = env.str(
    "AGNITIO_KEY_ENCRYPTION_KEY", default="local-development-key-encryption-key-not-for-production"
)
VAR_DIR.mkdir(parents=True, exist_ok=True)
# The embedded queue's folders exist before anything enqueues (demo_data runs before `serve` starts the worker).
for _key, _folder in CELERY_BROKER_TRANSPORT_OPTIONS.items():  # noqa: F405
    if _key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        Path(_folder).mkdir(parents=True, exist_ok=True)
