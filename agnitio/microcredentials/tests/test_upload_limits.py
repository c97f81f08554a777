"""Authenticated uploads of micro-credentials are bounded per account and hour (`AGNITIO_UPLOAD_RATE_LIMIT`, each
kind of upload its own budget): evidence files on an award's page, learner spreadsheets (page and API share one
budget). Beyond it: the styled 429 page or 429 JSON, with Retry-After; nothing stored."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from agnitio.apikeys.services import api_token_create
from agnitio.core.spreadsheets import xlsx_bytes
from agnitio.core.testing import spend_upload_budget
from agnitio.microcredentials.models import AwardImport, Evidence

API = "/api/v1/microcredentials"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, format="PNG")
    return out.getvalue()


def _evidence(client, award):
    return client.post(reverse("microcredentials:award_detail", args=[award.public_id]), {
        "add_file": "1", "file-title": "Photo", "file-file": SimpleUploadedFile("e.png", _png(), "image/png")})


def test_evidence_files_are_limited_per_account_and_hour(client, settings, owner, admin, award):
    settings.AGNITIO_UPLOAD_RATE_LIMIT = "2/h"
    client.force_login(owner)
    assert _evidence(client, award).status_code == 302
    assert _evidence(client, award).status_code == 302
    response = _evidence(client, award)
    assert response.status_code == 429 and 0 < int(response["Retry-After"]) <= 3600
    assert "uploaded too many files" in response.content.decode()
    assert Evidence.objects.filter(award=award).exclude(file="").count() == 2
    # links are not uploads; another member has a budget of their own
    response = client.post(reverse("microcredentials:award_detail", args=[award.public_id]),
                           {"add_link": "1", "link-url": "https://portfolio.example/a", "link-title": "A"})
    assert response.status_code == 302
    client.force_login(admin)
    assert _evidence(client, award).status_code == 302


def _sheet() -> bytes:
    return xlsx_bytes(["Vārds", "Uzvārds", "E-pasts"], [["Anna", "Bērziņa", "anna@example.org"]])


def test_learner_spreadsheets_share_one_budget_on_the_page_and_in_the_api(client, settings, owner, published):
    settings.AGNITIO_UPLOAD_RATE_LIMIT = "2/h"
    client.force_login(owner)
    url = reverse("microcredentials:import_upload", args=[published.public_id])
    assert client.post(url, {"file": SimpleUploadedFile("l.xlsx", _sheet()), "languages": "lv+en"}).status_code == 302
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=owner, name='t')[1]}"}
    api = f"{API}/specifications/{published.public_id}/awards/import"
    assert client.post(api, {"file": SimpleUploadedFile("l.xlsx", _sheet()), "dry_run": "true"},
                       **auth).status_code == 202
    stored = AwardImport.objects.count()
    response = client.post(url, {"file": SimpleUploadedFile("l.xlsx", _sheet()), "languages": "lv+en"})
    assert response.status_code == 429 and 0 < int(response["Retry-After"]) <= 3600
    response = client.post(api, {"file": SimpleUploadedFile("l.xlsx", _sheet())}, **auth)
    assert response.status_code == 429 and response.json()["code"] == "throttled" and response["Retry-After"]
    assert AwardImport.objects.count() == stored


def test_evidence_files_share_one_budget_on_the_page_and_in_the_api(client, owner, award):
    client.force_login(owner)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=owner, name='t')[1]}"}
    api = f"{API}/awards/{award.public_id}/evidence/files"
    spend_upload_budget(owner, group="microcredentials.evidence", uses=58)
    assert _evidence(client, award).status_code == 302  # the 59th
    response = client.post(api, {"file": SimpleUploadedFile("e.png", _png(), "image/png"), "title": "A"}, **auth)
    assert response.status_code == 201  # the 60th
    assert _evidence(client, award).status_code == 429
    response = client.post(api, {"file": SimpleUploadedFile("e.png", _png(), "image/png"), "title": "B"}, **auth)
    assert response.status_code == 429 and response["Retry-After"]
    assert response.json()["code"] == "throttled" and "uploaded too many files" in response.json()["detail"]
    assert Evidence.objects.filter(award=award).exclude(file="").count() == 2
