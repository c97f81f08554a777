"""Links that work locally (issue 11 point 10): every link the platform hands out — invitation e-mails, allauth's
confirmation and password-reset e-mails, verification URLs and the QR code printed on PDFs, share links, did:web
issuer ids — names settings.SITE_URL (what `make run PORT=N` sets), never the host a request came in through."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from agnitio.notifications.models import OutboxEmail

SITE = "http://127.0.0.1:8123"
ROOT = Path(__file__).resolve().parents[3]


def _links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", text)


@pytest.mark.django_db
@override_settings(SITE_URL=SITE)
def test_invitation_email_link_uses_site_url(admin, organisation):
    from agnitio.invitations import services

    services.invitation_send(actor=admin, kind="organisation_member", organisation=organisation,
                             target=organisation, email="guest@example.org", full_name="Guest", language="lv",
                             payload={"role": "editor"})
    body = OutboxEmail.objects.get(to="guest@example.org").body_text
    invitation_links = [url for url in _links(body) if "/invitations/" in url]
    assert invitation_links and all(url.startswith(SITE + "/invitations/") for url in invitation_links)


@pytest.mark.django_db
@override_settings(SITE_URL=SITE)
def test_allauth_email_links_use_site_url_not_the_request_host(client, make_user):
    client.post(reverse("account_signup"), {"email": "new@example.org", "password1": "a-long-passphrase-42",
                                            "password2": "a-long-passphrase-42", "language": "en"},
                HTTP_HOST="testserver")
    confirm = OutboxEmail.objects.get(to="new@example.org", template="account/email/email_confirmation_signup")
    assert [url for url in _links(confirm.body_text) if url.startswith(SITE + "/accounts/confirm-email/")]
    make_user("forgetful@example.org")
    client.post(reverse("account_reset_password"), {"email": "forgetful@example.org"}, HTTP_HOST="testserver")
    reset = OutboxEmail.objects.get(to="forgetful@example.org", template="account/email/password_reset_key")
    assert [url for url in _links(reset.body_text) if url.startswith(SITE + "/accounts/password/reset/key/")]
    assert not [url for url in _links(confirm.body_text + reset.body_text) if "testserver" in url]


@pytest.mark.django_db
@override_settings(SITE_URL=SITE)
def test_verification_url_qr_payload_and_issuer_id_use_site_url(issue, monkeypatch):
    from agnitio.documents import render
    from agnitio.documents.sample import youthpass_sample

    encoded = []
    real_qr = render.qr_svg
    monkeypatch.setattr(render, "qr_svg", lambda url: encoded.append(url) or real_qr(url))
    credential = issue(pdf_data=youthpass_sample(images=False))
    assert credential.verification_url == f"{SITE}/verify/{credential.code}"
    assert encoded == [credential.verification_url]  # what the QR code on the PDF holds
    issuer = credential.credential["issuer"]
    issuer_id = issuer["id"] if isinstance(issuer, dict) else issuer
    assert issuer_id.startswith("did:web:127.0.0.1%3A8123")  # did:web of the host and port, ':' percent-encoded


def test_demo_data_on_a_fresh_database_runs_twice_without_a_traceback(tmp_path):
    """`make run` on a fresh checkout: migrate, then demo_data (twice: a second `make run` loads it again)."""
    env = {
        "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "agnitio.settings.local",
        "AGNITIO_VAR_DIR": str(tmp_path / "var"), "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"), "SITE_URL": SITE,
    }
    commands = [["migrate", "--noinput"], ["demo_data"], ["demo_data"]]
    for command in commands:
        done = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=900)
        output = done.stdout + done.stderr
        assert done.returncode == 0, output
        assert "Traceback" not in output, output
        assert done.stderr.strip() == "", done.stderr
