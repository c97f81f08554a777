"""The public-media reproduction of issue 8 (point 3), against the server `make run` starts.

Before: `make run` (local settings, DEBUG) served MEDIA_ROOT under /media/, so
/media/credentials/pdf/<year>/<number>.pdf gave anyone any certificate — name, birth date, self-assessment —
revoked ones included. Here the real `manage.py serve` runs on this test run's database and media folder with
the local settings and DEBUG on; the certificate is issued and revoked through the services, and a copy is also
left where the old layout kept it. Nothing of it is served by path; the public logo is.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from agnitio.credentials.services import credential_revoke
from agnitio.organisations import images
from agnitio.organisations import services as org_services
from agnitio.youthpass.services import certificates
from agnitio.youthpass.tests.conftest import accepted, activity, learner, participant
from agnitio.youthpass.tests.test_certificates import ready, signatories
from tests.fixtures.worker import database_url

# the Youthpass fixtures this module uses
__all__ = ["accepted", "activity", "learner", "participant", "ready", "signatories"]

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def make_run_server(tmp_path):
    """`manage.py serve` as `make run` starts it (local settings, DEBUG), on this run's database and media."""
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "agnitio.settings.local", "DEBUG": "true",
           "DATABASE_URL": database_url(), "MEDIA_ROOT": str(settings.MEDIA_ROOT),
           "AGNITIO_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    log = open(tmp_path / "server.log", "w+b")  # noqa: SIM115 - closed below
    process = subprocess.Popen([sys.executable, "manage.py", "serve", "--no-worker", "--port", str(port)],
                               cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base}/healthz", timeout=2)
                break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"the server did not start:\n{log.read().decode(errors='replace')}")
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.mark.django_db(transaction=True)
def test_make_run_serves_no_certificate_by_path(owner, organisation, ready, make_run_server):
    credential = certificates.certificate_issue(actor=owner, participant=ready)
    credential_revoke(actor=owner, credential=credential, reason="Kļūda dzimšanas datumā")
    name = credential.pdf.name
    assert name.startswith("credentials/pdf/") and default_storage.exists(name)
    # the same file where the old layout kept it (MEDIA_ROOT itself), as an upgraded installation might have it
    legacy = Path(settings.MEDIA_ROOT) / name
    legacy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(default_storage.path(name), legacy)
    logo = io.BytesIO()
    Image.new("RGB", (40, 20), (0, 90, 160)).save(logo, format="PNG")
    org_services.organisation_update(actor=owner, organisation=organisation, data={}, logo=images.process_upload(
        SimpleUploadedFile("logo.png", logo.getvalue()), purpose="logo"))
    organisation.refresh_from_db()

    for path in (f"/media/{name}", f"/media/private/{name}", f"/media/public/{name}",
                 f"/media/public/../{name}", f"/media/public/%2e%2e/private/{name}"):
        response = requests.get(make_run_server + path, timeout=10, allow_redirects=False)
        assert response.status_code == 404, path
        assert b"%PDF" not in response.content and credential.holder_name.encode() not in response.content
    # the verification page still tells anyone it was revoked, without handing out the document
    page = requests.get(f"{make_run_server}/verify/{credential.code}", timeout=10)
    assert page.status_code == 200 and "revoked" in page.text.lower()
    # the logo, a public asset, is served under /media/public/ as an image that no browser sniffs
    response = requests.get(make_run_server + organisation.logo.url, timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db(transaction=True)
def test_make_run_serves_no_europass_or_micro_credential_file_by_path(make_run_server):
    """The newest apps' personal files — a participant's photo, a host's signature, evidence of an award, a bulk
    job's PDF, a recognition upload's storage if any — saved where their fields keep them: none is served by path
    (they are served only by views that check permission)."""
    from django.core.files.base import ContentFile

    from agnitio.europass.models import HostSignature, MobilityDocument
    from agnitio.microcredentials.models import Evidence

    secret = b"%PDF-1.7 Anna Berzina 140501-12345"
    names = [
        MobilityDocument._meta.get_field("photo").storage.save("europass/photos/photo-of-anna.png",
                                                               ContentFile(secret)),
        HostSignature._meta.get_field("original").storage.save("europass/signatures/host.png", ContentFile(secret)),
        Evidence._meta.get_field("file").storage.save("microcredentials/evidence/anna.pdf", ContentFile(secret)),
        default_storage.save("europass/jobs/job/0001-document.pdf", ContentFile(secret)),
    ]
    for name in names:
        for path in (f"/media/{name}", f"/media/private/{name}", f"/media/public/{name}",
                     f"/media/public/../private/{name}", f"/media/public/%2e%2e/private/{name}"):
            response = requests.get(make_run_server + path, timeout=10, allow_redirects=False)
            assert response.status_code == 404, path
            assert secret not in response.content
