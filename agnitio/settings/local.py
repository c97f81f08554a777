"""Laptop defaults: embedded SQLite, files under var/, mail written to var/mail, tasks on the filesystem queue."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="local-development-key-not-for-production-use-0123456789")
AGNITIO_KEY_ENCRYPTION_KEY = env.str(
    "AGNITIO_KEY_ENCRYPTION_KEY", default="local-development-key-encryption-key-not-for-production"
)
VAR_DIR.mkdir(parents=True, exist_ok=True)
