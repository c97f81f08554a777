"""Production: everything from the environment; refuses to start without the secrets it needs."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env

DEBUG = False
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY (at least 50 random characters).")
if not env.str("AGNITIO_KEY_ENCRYPTION_KEY", default=""):
    raise ImproperlyConfigured("Set AGNITIO_KEY_ENCRYPTION_KEY: it encrypts signing keys at rest.")
if not env.str("EMAIL_URL", default=""):
    # Without it mail would silently go to files on the server and invitations would never arrive.
    raise ImproperlyConfigured(
        "Set EMAIL_URL, e.g. smtp+tls://user:password@mail.example.org:587 (or consolemail:// to log mail)."
    )

STORAGES = {**STORAGES, "staticfiles": {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers and container probes often ask over plain HTTP: answer them rather than redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
