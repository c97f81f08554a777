"""Settings of `bench_scale` (its child process and the gunicorn it starts): the test settings, but with what
production has where it matters for the figures — the shared Redis cache (`CACHE_URL`, here under a key prefix of
the run so concurrent runs and other users of that Redis are not disturbed) and Django's real password hasher
(PBKDF2: a class signing in costs what it costs in production). MD5 hashes still verify (the smoke test seeds
users under the test settings)."""

import os

from agnitio.settings.test import *  # noqa: F403

CACHES = {"default": {"BACKEND": "agnitio.core.cache.RedisCache",
                      "LOCATION": os.environ.get("BENCH_SCALE_CACHE_URL", "redis://127.0.0.1:6379/0"),
                      "KEY_PREFIX": os.environ.get("BENCH_SCALE_CACHE_PREFIX", "bench-scale")}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher",
                    "django.contrib.auth.hashers.MD5PasswordHasher"]
# As base.py does when CACHE_URL names Redis.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
