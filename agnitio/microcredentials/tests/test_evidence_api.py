"""Evidence files through the JSON API (issue 13, point 3): a multipart upload checked by the same service as the
award's page (type by content, size, pixels, count per award), the same permission rules (another organisation's
member, the learner, a stranger: 404 and nothing stored), an audit event, and the file listed on the award with a
download address in the API behind the same check (never a storage path)."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agnitio.apikeys.services import api_token_create
from agnitio.core.models import AuditEvent
from agnitio.microcredentials.models import Evidence
from agnitio.microcredentials.services import awards as award_services
from agnitio.microcredentials.services import evidence as evidence_services

API = "/api/v1/microcredentials"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png(size=(20, 10)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 200, 10)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims `width` × `height` pixels (a decompression bomb's shape)."""
    data = bytearray(_png())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr) & 0xFFFFFFFF)
    return bytes(data)


@pytest.fixture
def award(owner, published):
    return award_services.award_issue(actor=owner, specification=published, learner=award_services.LearnerIn(
        name="Anna Bērziņa", email="anna@example.org", evidence_links=["https://portfolio.example/anna"]))


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=user, name='t')[1]}"}


def _upload(client, award, data: bytes, name="plan.pdf", title="", auth=None):
    return client.post(f"{API}/awards/{award.public_id}/evidence/files",
                       {"file": SimpleUploadedFile(name, data), "title": title}, **(auth or {}))


def _page_upload(client, award, data: bytes, name="plan.pdf"):
    return client.post(reverse("microcredentials:award_detail", args=[award.public_id]),
                       {"add_file": "1", "file-file": SimpleUploadedFile(name, data), "file-title": ""})


def _stored() -> set[str]:
    root = Path(django_settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and "evidence" in p.parts}


def _state(award):
    return list(Evidence.objects.filter(award=award).values_list("public_id", flat=True)), _stored()


def test_upload_lists_and_downloads_an_evidence_file(client, owner, award):
    auth = _auth(owner)
    response = _upload(client, award, PDF, name="plan.exe", title="Facilitation plan", auth=auth)
    assert response.status_code == 201, response.content
    body = response.json()
    evidence = Evidence.objects.get(public_id=body["public_id"])
    assert body["kind"] == "file" and body["title"] == "Facilitation plan" and body["url"] == ""
    assert body["content_type"] == "application/pdf" and body["size"] == len(PDF)
    assert evidence.file.name.endswith(".pdf") and evidence.file.name not in body["download_url"]
    assert body["download_url"].startswith(django_settings.SITE_URL.rstrip("/") + "/api/v1/")
    event = AuditEvent.objects.filter(verb="micro-credential evidence added").latest("id")
    assert event.object_id in (str(evidence.pk), evidence.public_id) and event.actor_id == owner.pk
    # the award's representation lists it (and the link given when issuing), with the download address
    listed = client.get(f"{API}/awards/{award.public_id}", **auth).json()["evidence"]
    assert [(e["kind"], e["download_url"]) for e in listed] == [("link", None), ("file", body["download_url"])]
    assert client.get(f"{API}/awards/{award.public_id}/evidence", **auth).json()[1] == body
    path = body["download_url"].removeprefix(django_settings.SITE_URL.rstrip("/"))
    download = client.get(path, **auth)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf" and download["X-Content-Type-Options"] == "nosniff"
    link = award.evidence.get(kind="link")
    assert client.get(f"{API}/awards/{award.public_id}/evidence/{link.public_id}/file", **auth).status_code == 404


def test_images_are_re_encoded_as_on_the_page(client, owner, award):
    auth = _auth(owner)
    png = _upload(client, award, _png() + b"<script>hidden</script>", name="photo.png", auth=auth).json()
    jpeg = _upload(client, award, _jpeg(), name="photo.pdf", auth=auth).json()  # the name lies: the content rules
    assert (png["content_type"], jpeg["content_type"]) == ("image/png", "image/jpeg")
    with Evidence.objects.get(public_id=png["public_id"]).file.open("rb") as handle:
        assert b"<script>" not in handle.read()


@pytest.mark.parametrize("name, data, code", [
    ("report.pdf", b"<html><script>alert(1)</script></html>", "file"),  # a lying extension
    ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "file"),  # a program
    ("report.pdf", b"PK\x03\x04" + b"\x00" * 100, "file"),  # a zip archive
    ("report.pdf", b"%PDF-1.4 cut off before its end", "file"),
    ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "file"),  # a PNG signature and nothing readable
    ("bomb.png", None, "file"),  # a header claiming 100000 × 100000 pixels
])
def test_hostile_files_get_the_pages_answer_and_nothing_is_stored(client, owner, award, name, data, code):
    data = _png_claiming(100_000, 100_000) if data is None else data
    before = _state(award)
    with pytest.raises(Exception) as service:
        evidence_services.evidence_file_add(actor=owner, award=award, upload=SimpleUploadedFile(name, data))
    response = _upload(client, award, data, name=name, auth=_auth(owner))
    assert response.status_code == 400 and response.json() == {"detail": str(service.value), "code": code}
    client.force_login(owner)
    page = _page_upload(client, award, data, name=name)
    assert page.status_code == 200 and str(service.value) in page.content.decode().replace("&quot;", '"').replace(
        "&#x27;", "'")
    assert _state(award) == before


def test_too_large_gets_the_pages_answer(client, owner, award, settings):
    settings.MICROCREDENTIAL_EVIDENCE_MAX_BYTES = 1024 * 1024
    data = b"%PDF-1.4\n" + b"0" * (1024 * 1024) + b"\n%%EOF\n"
    before = _state(award)
    response = _upload(client, award, data, auth=_auth(owner))
    assert response.status_code == 413
    assert response.json() == {"detail": "The file is too large (at most 1 MB).", "code": "too_large"}
    client.force_login(owner)
    assert "The file is too large (at most 1 MB)." in _page_upload(client, award, data).content.decode()
    assert _state(award) == before


def test_at_most_twenty_pieces_per_award(client, owner, award):
    Evidence.objects.bulk_create([Evidence(organisation=award.organisation, award=award, kind="link", title=f"{i}",
                                           url=f"https://x.example/{i}") for i in range(19)])  # 20 with the first
    before = _state(award)
    response = _upload(client, award, PDF, auth=_auth(owner))
    assert response.status_code == 400 and response.json()["code"] == "too_many"
    assert response.json()["detail"] == "An award can have at most 20 pieces of evidence."
    assert _state(award) == before


def test_only_the_providers_members_upload_or_download(client, owner, editor, outsider, make_user, award):
    from agnitio.microcredentials.models import Award

    learner = make_user("anna@example.org")  # the award's own learner: not the provider's staff
    stranger = make_user("stranger@example.org")
    kept = _upload(client, award, PDF, auth=_auth(owner)).json()
    before = _state(award)
    for actor in (outsider, learner, stranger):
        response = _upload(client, award, PDF, auth=_auth(actor))
        assert response.status_code == 404, (actor, response.content)
        assert client.get(f"{API}/awards/{award.public_id}/evidence/{kept['public_id']}/file",
                          **_auth(actor)).status_code == 404
        assert client.get(f"{API}/awards/{award.public_id}", **_auth(actor)).status_code == 404
    assert _upload(client, award, PDF).status_code == 401
    assert client.get(f"{API}/awards/{award.public_id}/evidence/{kept['public_id']}/file").status_code == 401
    assert _state(award) == before
    # a member with the editor role may (as on the page)
    assert _upload(client, award, _png(), name="x.png", auth=_auth(editor)).status_code == 201
    # another award's evidence id under this award: not found
    other = award_services.award_issue(actor=owner, specification=award.specification,
                                       learner=award_services.LearnerIn(name="Jānis", email="janis@example.org"))
    assert isinstance(other, Award)
    assert client.get(f"{API}/awards/{other.public_id}/evidence/{kept['public_id']}/file",
                      **_auth(owner)).status_code == 404


def test_the_title_follows_the_text_policy(client, owner, award):
    before = _state(award)
    response = _upload(client, award, PDF, title="Plan\x07", auth=_auth(owner))
    assert response.status_code == 422 and _state(award) == before
    assert _upload(client, award, PDF, title="x" * 256, auth=_auth(owner)).status_code == 422
    assert _state(award) == before


def test_openapi_documents_the_upload_and_the_download(client):
    document = client.get("/api/v1/openapi.json").json()
    upload = document["paths"][f"{API}/awards/{{award_id}}/evidence/files"]["post"]
    form = upload["requestBody"]["content"]["multipart/form-data"]["schema"]
    properties = form.get("properties") or {}
    if not properties:  # ninja may put the form's schema in components
        ref = form["$ref"].rsplit("/", 1)[-1]
        properties = document["components"]["schemas"][ref]["properties"]
    assert properties["file"]["format"] == "binary" and "title" in properties
    assert {"201", "404", "413"} <= set(upload["responses"])
    download = document["paths"][f"{API}/awards/{{award_id}}/evidence/{{evidence_id}}/file"]["get"]
    assert set(download["responses"]["200"]["content"]) == {"application/pdf", "image/png", "image/jpeg"}
    schemas = document["components"]["schemas"]
    assert "download_url" in schemas["EvidenceOut"]["properties"]
    assert "evidence" in schemas["AwardOut"]["properties"]


def test_a_raw_multipart_body_as_the_authorisation_matrix_sends_it(client, owner, award):
    """The matrix (tests/test_authorisation_matrix.py) encodes the upload itself: for an allowed role it must be
    a real upload (201), not an input error that would also count as "passed the check"."""
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    response = client.generic("POST", f"{API}/awards/{award.public_id}/evidence/files",
                              data=encode_multipart(BOUNDARY, {"title": "Plan", "file": SimpleUploadedFile(
                                  "evidence.pdf", PDF)}), content_type=MULTIPART_CONTENT, **_auth(owner))
    assert response.status_code == 201, response.content
