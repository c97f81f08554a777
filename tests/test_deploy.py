"""Production settings: `check --deploy` is clean, static files are served by WhiteNoise, nothing from a CDN."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parent.parent


def _production_env(tmp_path: Path) -> dict:
    """A realistic production environment: long random secrets, a host name, SQLite, a fresh STATIC_ROOT."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "agnitio.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "AGNITIO_KEY_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "agnitio.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://agnitio.example.org",
        "SITE_URL": "https://agnitio.example.org",
        "EMAIL_URL": "smtp+tls://agnitio:secret@mail.example.org:587",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "AGNITIO_VAR_DIR": str(tmp_path / "var"),
        "PYTHONWARNINGS": "default",
    })
    return env


@pytest.fixture
def production_env(tmp_path):
    return _production_env(tmp_path)


def _run(args, env, timeout=300):
    return subprocess.run(args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout)


def test_check_deploy_has_no_warnings(production_env):
    result = _run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced).", result.stdout
    assert "warning" not in result.stderr.lower(), result.stderr


def test_production_refuses_a_short_secret_key(production_env):
    production_env["SECRET_KEY"] = "too-short"
    result = _run([sys.executable, "manage.py", "check"], production_env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_a_mail_server(production_env):
    del production_env["EMAIL_URL"]
    result = _run([sys.executable, "manage.py", "check"], production_env)
    assert result.returncode != 0
    assert "EMAIL_URL" in result.stderr


# Runs inside the production process: collect static files, then request pages and a hashed file through
# the real WSGI application (as a server would call it) and report what came back.
_SERVE_SCRIPT = r"""
import gzip, io, json, sys, wsgiref.util
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.wsgi import get_wsgi_application

app = get_wsgi_application()

def fetch(path, **headers):
    environ = {"PATH_INFO": path, "HTTP_HOST": "agnitio.example.org", "HTTP_X_FORWARDED_PROTO": "https"}
    environ.update(headers)
    wsgiref.util.setup_testing_defaults(environ)
    environ["wsgi.url_scheme"] = "https"
    seen = {}
    def start_response(status, response_headers, exc_info=None):
        seen["status"] = int(status.split()[0])
        seen["headers"] = dict(response_headers)
    body = b"".join(app(environ, start_response))
    return {"status": seen["status"], "headers": seen["headers"], "body": body.decode("latin-1")}

htmx_url = staticfiles_storage.url("agnitio/vendor/htmx-2.0.11.min.js")
plain = fetch(htmx_url)
gzipped = fetch(htmx_url, HTTP_ACCEPT_ENCODING="gzip")
gzipped["body"] = gzip.decompress(gzipped["body"].encode("latin-1")).decode("latin-1")
json.dump({
    "htmx_url": htmx_url,
    "htmx": plain,
    "htmx_gzip": gzipped,
    "home": fetch("/"),
    "docs": fetch("/api/v1/docs"),
    "plain_http": fetch("/", **{"HTTP_X_FORWARDED_PROTO": "http"}),
    "healthz_plain_http": fetch("/healthz", **{"HTTP_X_FORWARDED_PROTO": "http"}),
}, sys.stdout)
"""

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("production")
    env = _production_env(tmp_path)
    result = _run([sys.executable, "-c", _SERVE_SCRIPT], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_hashed_static_file_is_served_by_whitenoise(served):
    source = (BASE_DIR / "agnitio/core/static/agnitio/vendor/htmx-2.0.11.min.js").read_text(encoding="latin-1")
    assert re.fullmatch(r"/static/agnitio/vendor/htmx-2\.0\.11\.min\.[0-9a-f]{12}\.js", served["htmx_url"])
    htmx = served["htmx"]
    assert htmx["status"] == 200
    assert htmx["body"] == source
    assert "immutable" in htmx["headers"]["Cache-Control"]
    assert "max-age=315360000" in htmx["headers"]["Cache-Control"]
    gzipped = served["htmx_gzip"]
    assert gzipped["headers"].get("Content-Encoding") == "gzip"
    assert gzipped["body"] == source


def test_pages_load_nothing_from_other_origins(served):
    for name in ("home", "docs"):
        page = served[name]
        assert page["status"] == 200, (name, page["status"])
        assert not EXTERNAL.search(page["body"]), f"{name} refers to another origin"
        assert re.search(r"/static/[^\"']+\.[0-9a-f]{12}\.(?:js|css)", page["body"]), name
    assert "/static/ninja/swagger-ui-bundle." in served["docs"]["body"]


def test_production_redirects_plain_http_and_sets_security_headers(served):
    assert served["plain_http"]["status"] == 301
    assert served["plain_http"]["headers"]["Location"].startswith("https://agnitio.example.org/")
    probe = served["healthz_plain_http"]
    assert probe["status"] == 200, probe
    assert json.loads(probe["body"])["database"] == "ok"
    headers = served["home"]["headers"]
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp
    assert re.search(r"script-src 'self'(?: 'nonce-[A-Za-z0-9+/=]+')?(?:;|$)", csp), csp
