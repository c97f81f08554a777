"""Uploads of a Youthpass project's team are bounded per account and hour like every other upload
(`AGNITIO_UPLOAD_RATE_LIMIT`, 60/h by default): participant tables (the page and the API share one budget) and the
project's logo. The 61st is refused with the translated 429 page or 429 JSON and Retry-After; nothing is stored."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from agnitio.apikeys.services import api_token_create
from agnitio.core.spreadsheets import xlsx_bytes
from agnitio.core.testing import spend_upload_budget
from agnitio.youthpass.models import ParticipantImport

API = "/api/v1/youthpass"


def _table():
    return SimpleUploadedFile("t.xlsx", xlsx_bytes(["Vārds", "Uzvārds"], [["Anna", "Bērziņa"]]))


def test_participant_tables_share_one_budget_on_the_page_and_in_the_api(client, owner, project):
    client.force_login(owner)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=owner, name='t')[1]}"}
    page = reverse("youthpass:import_upload", args=[project.public_id])
    api = f"{API}/projects/{project.public_id}/participants/import"
    spend_upload_budget(owner, group="youthpass.import", uses=58)
    assert client.post(page, {"file": _table()}).status_code == 302  # the 59th
    assert client.post(api, {"file": _table(), "dry_run": "true"}, **auth).status_code == 200  # the 60th
    stored = ParticipantImport.objects.count()
    response = client.post(page, {"file": _table()})
    assert response.status_code == 429 and 0 < int(response["Retry-After"]) <= 3600
    assert "uploaded too many files" in response.content.decode()
    response = client.post(api, {"file": _table()}, **auth)
    assert response.status_code == 429 and response["Retry-After"]
    assert response.json()["code"] == "throttled" and "uploaded too many files" in response.json()["detail"]
    response = client.post(api, {"file": _table()}, HTTP_ACCEPT_LANGUAGE="lv", **auth)
    assert response.json()["detail"].startswith("Jūs īsā laikā augšupielādējāt pārāk daudz failu.")
    assert ParticipantImport.objects.count() == stored and not project.participants.exists()


def image_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 100), "green").save(out, format="PNG")
    return out.getvalue()


def _project_form(project, **extra):
    return {"grant_number": project.grant_number, "programme": project.programme,
            "project_type": project.project_type, "title": "Jaunieši un daba", "description": "", "aims": "",
            "start_date": "2026-05-01", "end_date": "2026-05-31", "venue": "", **extra}


def test_the_61st_project_logo_in_an_hour_is_refused(client, owner, project):
    client.force_login(owner)
    url = reverse("youthpass:project_edit", args=[project.public_id])
    spend_upload_budget(owner, group="youthpass.logo", uses=59)
    logo = SimpleUploadedFile("l.png", image_bytes(), "image/png")
    assert client.post(url, _project_form(project, logo_upload=logo)).status_code == 302  # the 60th
    project.refresh_from_db()
    stored = project.logo.name
    assert stored
    logo = SimpleUploadedFile("l.png", image_bytes(), "image/png")
    response = client.post(url, _project_form(project, title="Cits", logo_upload=logo))
    assert response.status_code == 429 and "uploaded too many files" in response.content.decode()
    project.refresh_from_db()
    assert project.logo.name == stored and project.title == "Jaunieši un daba"
    # the project saved without a file is not an upload
    assert client.post(url, _project_form(project, title="Cits")).status_code == 302
