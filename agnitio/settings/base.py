"""Shared settings. Everything that differs between machines comes from environment variables."""

import hashlib
from pathlib import Path

import environ
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("AGNITIO_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Absolute address of the site, used in e-mails, QR codes and credentials.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "agnitio.accounts.admin_apps.AgnitioAdminConfig",  # django.contrib.admin behind allauth + TOTP
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "django_countries",
    "phonenumber_field",
    "ninja",  # so the API docs use its bundled static files, not a CDN
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "agnitio.core",
    "agnitio.accounts",
    "agnitio.organisations",
    "agnitio.invitations",
    "agnitio.notifications",
    "agnitio.apikeys",
    "agnitio.frameworks",
    "agnitio.youthpass",
    "agnitio.microcredentials",
    "agnitio.europass",
    "agnitio.documents",
    "agnitio.credentials",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "agnitio.core.middleware.CSPMiddleware",  # django-csp's, with the settings' policy text built once
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # An anonymous GET /api/v1/verify/<code> answered without the middleware after it (ADR 0019): keep it here,
    # after those whose headers every answer carries; the list after it is pinned (credentials.middleware).
    "agnitio.credentials.middleware.VerifyApiMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "agnitio.accounts.middleware.RenamedBackendMiddleware",  # sessions signed in before the backends were renamed
    "django.middleware.locale.LocaleMiddleware",
    "agnitio.core.middleware.InputGuardMiddleware",  # 413 for JSON over 1 MB, 400 for NUL, before any parsing
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "agnitio.accounts.middleware.FormDraftMiddleware",
    "agnitio.accounts.middleware.IdleSessionMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "agnitio.organisations.middleware.CurrentOrganisationMiddleware",
]

ROOT_URLCONF = "agnitio.urls"
WSGI_APPLICATION = "agnitio.wsgi.application"
ASGI_APPLICATION = "agnitio.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "agnitio" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "agnitio.core.context_processors.site",
                "csp.context_processors.nonce",
            ],
            # After Django's own builtins, so its `url` tag is replaced by the memoised one (agnitio_urls).
            "builtins": ["agnitio.core.templatetags.agnitio_urls"],
        },
    },
]

# Django's renderer, with <select> written in Python rather than one template per option (agnitio/core/renderers.py).
FORM_RENDERER = "agnitio.core.renderers.FormRenderer"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'agnitio.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20,
         "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # Django's and allauth's, loading the session's user with a prepared query (accounts/backends.py, ADR 0019).
    "agnitio.accounts.backends.ModelBackend",
    "agnitio.accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"

# --- allauth -----------------------------------------------------------------
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 2  # 48 hours (D3)
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Failed sign-ins (issue 8 point 11, issue 14 point 4; docs/decisions/0010-accounts-hardening.md;
# agnitio/accounts/throttle.py). A school shares one address, so the address alone must never lock everyone out: per
# (account, address) strict, per account moderate (a guesser spread over many addresses), per address generous (a
# guesser trying many accounts). Only failures count, recorded after the password check failed — a correct password
# reserves nothing, so a class signing in at once all get in. Counted in the shared cache (CACHE_URL: Redis).
AGNITIO_SIGNIN_FAILURE_LIMITS = {"account_address": "5/5m", "account": "20/5m", "address": "100/5m"}
# Every password check from one address (hashing costs CPU): far above a school signing in at 9:00.
AGNITIO_SIGNIN_ATTEMPTS_PER_ADDRESS = env.str("AGNITIO_SIGNIN_ATTEMPTS_PER_ADDRESS", default="300/m")
ACCOUNT_RATE_LIMITS = {
    # allauth's own per-address limit of sign-in POSTs (30/m by default) is replaced by the one above; its
    # "login_failed" now counts only two-factor codes (allauth.mfa), per account and per address.
    "login": None,
    "login_failed": "100/5m/ip,20/5m/key",
    # Sign-ups: AGNITIO_SIGNUP_LIMITS below (an invited group on one Wi-Fi is not held up by its address).
    "signup": None,
    "reset_password": "5/h/ip,3/h/key",
    "confirm_email": "3/3m/key",
}
# Sign-ups (issue 11 point 9; agnitio/accounts/throttle.py signup_refused): per address, except sign-ups through a
# personal invitation (the link page opened in that browser, the invitation open, its address used), which count only
# on the invitation's own small budget — a group of 50 invited to a project signs up at once from one venue's Wi-Fi.
AGNITIO_SIGNUP_LIMITS = {
    "address": env.str("AGNITIO_SIGNUP_LIMIT_PER_ADDRESS", default="20/h"),
    "invitation": "10/h",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Agnitio] "
# E-mails through the notifications outbox in the recipient's language; sign-in switches to the user's language.
ACCOUNT_ADAPTER = "agnitio.accounts.adapter.AccountAdapter"
# Sign-up also asks for the full name and the preferred language.
ACCOUNT_SIGNUP_FORM_CLASS = "agnitio.accounts.forms.SignupForm"
# No "remember me": a session ends when the browser closes or after SESSION_IDLE_SECONDS idle (D3).
ACCOUNT_SESSION_REMEMBER = False
# Tell the user by e-mail when their password, e-mail addresses or two-factor settings change.
ACCOUNT_EMAIL_NOTIFICATIONS = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Agnitio"

# Idle session (D3): ends after SESSION_IDLE_SECONDS without a request.
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=20 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
# Not on every request: IdleSessionMiddleware writes a signed-in session when it changed or at most every
# SESSION_RENEW_SECONDS (≤ a tenth of the idle time), so reading pages do not write (SQLite under writes).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = env.int("SESSION_RENEW_SECONDS", default=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = False

# --- i18n --------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("lv", _("Latvian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]  # first, so our messages override the same msgids of Django and allauth
FORMAT_MODULE_PATH = ["agnitio.formats"]  # one date form per language on every page
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Riga")
USE_I18N = True
USE_TZ = True

# --- static and media --------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Two storages (agnitio/core/storage.py): "default" is private — personal files, served only by views that check
# permission; "public" holds logos under random names, served under MEDIA_URL + "public/". Nothing else of
# MEDIA_ROOT is ever served by path.
STORAGES = {
    "default": {"BACKEND": "agnitio.core.storage.MediaSubdirectoryStorage", "OPTIONS": {"subdirectory": "private"}},
    "public": {"BACKEND": "agnitio.core.storage.MediaSubdirectoryStorage",
               "OPTIONS": {"subdirectory": "public", "base_url": f"{MEDIA_URL}public/"}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def s3_storages(*, bucket: str, endpoint_url: str | None = None, region: str | None = None,
                public_bucket: str | None = None, public_location: str = "public",
                public_custom_domain: str | None = None, public_acl: str | None = "public-read") -> dict:
    """The two storages on S3-compatible storage (django-storages). Private files stay private (ACL private,
    reached only through signed URLs of at most 5 minutes handed out by views that check permission); public
    ones (logos) go to `public_location` of the same bucket or of `public_bucket`. `public_acl` None when the
    bucket refuses ACLs (then let a bucket policy make that prefix readable)."""
    common = {"bucket_name": bucket, "endpoint_url": endpoint_url, "region_name": region, "file_overwrite": False,
              "signature_version": "s3v4"}  # signed URLs say how long they live (X-Amz-Expires)
    return {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            **common, "querystring_auth": True, "querystring_expire": 300, "default_acl": "private"}},
        "public": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            **common, "bucket_name": public_bucket or bucket, "location": public_location,
            "custom_domain": public_custom_domain, "querystring_auth": False, "default_acl": public_acl}},
    }


if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    # Credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (boto3). AWS_PUBLIC_DEFAULT_ACL="" for buckets
    # that refuse ACLs.
    STORAGES.update(s3_storages(
        bucket=env.str("AWS_STORAGE_BUCKET_NAME"), endpoint_url=env.str("AWS_S3_ENDPOINT_URL", default=None),
        region=env.str("AWS_S3_REGION_NAME", default=None),
        public_bucket=env.str("AWS_PUBLIC_STORAGE_BUCKET_NAME", default=None),
        public_location=env.str("AWS_PUBLIC_LOCATION", default="public"),
        public_custom_domain=env.str("AWS_PUBLIC_CUSTOM_DOMAIN", default=None),
        public_acl=env.str("AWS_PUBLIC_DEFAULT_ACL", default="public-read") or None,
    ))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- e-mail ------------------------------------------------------------------
# EMAIL_URL, e.g. smtp+tls://user:password@mail.example.org:587 ; default: files in var/mail.
_email = env.email_url("EMAIL_URL", default="filemail://")
if _email.get("EMAIL_BACKEND") == "django.core.mail.backends.filebased.EmailBackend" and not _email.get(
    "EMAIL_FILE_PATH"
):
    _email["EMAIL_FILE_PATH"] = str(VAR_DIR / "mail")
vars().update(_email)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Agnitio <no-reply@agnitio.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)  # seconds: a hung SMTP server must not block a worker

# --- cache -------------------------------------------------------------------
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "agnitio.core.cache.RedisCache"  # one client per process, not one per call
    # Sessions read from the shared cache (written to both): no database query per signed-in request. Only with a
    # shared cache — with one per process, a session ended in one process would live on in another's copy.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Celery ------------------------------------------------------------------
# No broker configured: kombu's filesystem transport, so `make run` needs no other service.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://localhost/")  # a host, or kombu warns on stderr
_queue_dir = VAR_DIR / "celery"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {"visibility_timeout": 3600}
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE: dict = {
    "notifications-requeue-lost-emails": {
        "task": "agnitio.notifications.tasks.requeue_lost_emails",
        "schedule": 300.0,
    },
    "youthpass-send-due-reminders": {
        "task": "agnitio.youthpass.tasks.send_due_reminders",
        "schedule": 3600.0,
    },
    "organisations-purge-pending-logos": {
        "task": "agnitio.organisations.tasks.pending_logos_purge",
        "schedule": 6 * 3600.0,
    },
    "documents-resume-stalled-jobs": {
        "task": "documents.job_resume_stalled",
        "schedule": 900.0,
    },
}
# Retention (docs/retention.md): abandoned participant uploads go after 24 h, outbox bodies after this many days.
AGNITIO_OUTBOX_RETENTION_DAYS = env.int("AGNITIO_OUTBOX_RETENTION_DAYS", default=90)
CELERY_BEAT_SCHEDULE["youthpass-purge-abandoned-imports"] = {
    "task": "agnitio.youthpass.tasks.participant_imports_purge", "schedule": 3600.0,
}
CELERY_BEAT_SCHEDULE["microcredentials-purge-abandoned-imports"] = {
    "task": "agnitio.microcredentials.tasks.award_imports_purge", "schedule": 3600.0,
}
CELERY_BEAT_SCHEDULE["notifications-prune-outbox-bodies"] = {
    "task": "agnitio.notifications.tasks.outbox_bodies_prune", "schedule": 24 * 3600.0,
}
CELERY_BEAT_SCHEDULE["credentials-delete-orphan-pdfs"] = {"task": "credentials.pdf_orphans_delete",
                                                          "schedule": 24 * 3600.0}
# Finished bulk document jobs (their PDFs and ZIP) are deleted this many days after they finished.
AGNITIO_DOCUMENT_JOB_RETENTION_DAYS = env.int("AGNITIO_DOCUMENT_JOB_RETENTION_DAYS", default=30)
CELERY_BEAT_SCHEDULE["documents-purge-old-job-outputs"] = {"task": "documents.job_outputs_purge",
                                                           "schedule": 24 * 3600.0}
# Europass Try Out: everything made under it is deleted 24 hours later (checked every 10 minutes).
CELERY_BEAT_SCHEDULE["europass-purge-try-out"] = {"task": "agnitio.europass.tasks.tryout_purge", "schedule": 600.0}
CELERY_BEAT_SCHEDULE_FILENAME = str(_queue_dir / "beat-schedule")

# --- security ----------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): this site's own files only, no third-party origin. Inline <script> and
# <style> need nonce="{{ CSP_NONCE }}"; inline event handlers (onclick=…), style="…" attributes and eval are
# refused. CSP_EXTRA_IMG_SRC adds origins for images (e.g. the S3 endpoint media files are served from).
_csp_images = ["'self'", "data:", "blob:", *env.list("CSP_EXTRA_IMG_SRC", default=[])]
if env.str("AWS_S3_ENDPOINT_URL", default=""):
    from urllib.parse import urlsplit as _urlsplit

    _endpoint = _urlsplit(env.str("AWS_S3_ENDPOINT_URL"))
    _csp_images.append(f"{_endpoint.scheme}://{_endpoint.netloc}")
if env.str("AWS_PUBLIC_CUSTOM_DOMAIN", default=""):  # public logos served from their own domain
    _csp_images.append(f"https://{env.str('AWS_PUBLIC_CUSTOM_DOMAIN')}")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": _csp_images,
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}

# Secrets that encrypt private keys (issuer keys, seals, the seal CA) at rest (agnitio/core/keystore.py). Required in
# production. May list several, comma-separated: the first encrypts, all decrypt (rotation: README.md).
AGNITIO_KEY_ENCRYPTION_KEY = env.str("AGNITIO_KEY_ENCRYPTION_KEY", default="")
AGNITIO_KEY_ENCRYPTION_OLD_KEYS = env.list("AGNITIO_KEY_ENCRYPTION_OLD_KEYS", default=[])  # older way: decrypt-only
# Public verification per client IP: look-ups by code and checks of posted or uploaded documents. Empty = off.
AGNITIO_VERIFY_RATE_LIMIT = env.str("AGNITIO_VERIFY_RATE_LIMIT", default="120/m")
# django-ratelimit's settings (its budgets: verification, ESCO search, the catalogue, core.throttle), at its own
# defaults. Named here because the library reads each one on every throttled request with getattr(settings, name,
# default): an unset setting is a miss that Django's settings do not remember, about 3 µs each, six per look-up.
RATELIMIT_ENABLE = True
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = None  # REMOTE_ADDR: behind a proxy, make it the client's address (README)
RATELIMIT_IPV4_MASK = 32
RATELIMIT_IPV6_MASK = 64
RATELIMIT_CACHE_PREFIX = "rl:"
RATELIMIT_HASH_ALGORITHM = hashlib.sha256
# ESCO search (`/esco/search/`, `GET /api/v1/esco/search`; agnitio/frameworks/throttle.py): per client IP for people
# not signed in, per person for signed-in ones (a side panel searching as they type). Empty = off.
AGNITIO_ESCO_SEARCH_RATE_LIMIT = env.str("AGNITIO_ESCO_SEARCH_RATE_LIMIT", default="120/m")
AGNITIO_ESCO_SEARCH_USER_RATE_LIMIT = env.str("AGNITIO_ESCO_SEARCH_USER_RATE_LIMIT", default="600/m")
# The public micro-credential catalogue (pages and API) for anonymous clients, per address; empty = off.
MICROCREDENTIAL_CATALOGUE_RATE_LIMIT = env.str("MICROCREDENTIAL_CATALOGUE_RATE_LIMIT", default="120/m")
# What one signed-in account may send per hour, page and API together (core.throttle.account_throttle; empty = off):
# recognition requests (each a verified upload of up to 2 MB, kept), and each kind of upload on its own (a Europass
# photo, a host's signature image, an award's evidence file, a learner or participant spreadsheet, an organisation's
# or project's logo, a signature or stamp image, a seal file, a credential stored in the wallet).
AGNITIO_RECOGNITION_RATE_LIMIT = env.str("AGNITIO_RECOGNITION_RATE_LIMIT", default="20/h")
AGNITIO_UPLOAD_RATE_LIMIT = env.str("AGNITIO_UPLOAD_RATE_LIMIT", default="60/h")
# Evidence files attached to a micro-credential award (PDF, PNG, JPEG), checked by content.
MICROCREDENTIAL_EVIDENCE_MAX_BYTES = env.int("MICROCREDENTIAL_EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
# Proof-check results kept per process (SHA-256 keys, bounded in bytes).
AGNITIO_PROOF_CACHE_BYTES = env.int("AGNITIO_PROOF_CACHE_BYTES", default=1024 * 1024)

# --- documents -----------------------------------------------------------------
# RFC 3161 timestamp authority for PAdES B-T seals (empty: B-B, no network).
AGNITIO_SEAL_TSA_URL = env.str("AGNITIO_SEAL_TSA_URL", default="")
AGNITIO_SEAL_TRUST_ROOTS_PEM: list[str] = []  # extra trusted roots (PEM text) for checking uploaded seals
AGNITIO_DOCUMENT_JOB_CHUNK = env.int("AGNITIO_DOCUMENT_JOB_CHUNK", default=20)  # documents per bulk-job task

PHONENUMBER_DEFAULT_REGION = "LV"

# --- organisations -------------------------------------------------------------
ORGANISATION_INVITATION_DAYS = env.int("ORGANISATION_INVITATION_DAYS", default=7)
ORGANISATION_LOGO_MAX_BYTES = env.int("ORGANISATION_LOGO_MAX_BYTES", default=2 * 1024 * 1024)
ORGANISATION_LOGO_MAX_PIXELS = env.int("ORGANISATION_LOGO_MAX_PIXELS", default=16_000_000)
ORGANISATION_LOGO_MAX_SIDE = 1200  # stored logos are scaled down to this (pixels, longest side)
SIGNATURE_IMAGE_MAX_BYTES = env.int("SIGNATURE_IMAGE_MAX_BYTES", default=5 * 1024 * 1024)
SIGNATURE_IMAGE_MAX_PIXELS = env.int("SIGNATURE_IMAGE_MAX_PIXELS", default=25_000_000)
COUNTRIES_FIRST = ["LV"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
