"""Verification (point 4): page and API by verification code, credential JSON and PDF; tampered and forged inputs."""

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agnitio.credentials.numbering import code_check_symbol, code_format
from agnitio.credentials.services import credential_revoke


@pytest.fixture
def pdf_data():
    from agnitio.documents.sample import youthpass_sample

    return youthpass_sample(images=False)


def test_verify_page_without_account(client, db):
    response = client.get("/verify/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="code"' in html and 'type="file"' in html and 'enctype="multipart/form-data"' in html
    assert '<label for="id_code">' in html and '<label for="id_file">' in html


def test_code_entry_redirects_to_the_qr_address(client, issue):
    credential = issue()
    typed = credential.code.lower().replace("-", " ")
    response = client.get("/verify/", {"code": typed})
    assert response.status_code == 302 and response["Location"] == f"/verify/{credential.code}"


def test_valid_code_shows_issuer_date_holder_status(client, issue, organisation):
    credential = issue()
    html = client.get(f"/verify/{credential.code}").content.decode()
    assert "Authentic" in html and organisation.legal_name in html and "20 November 2026" in html
    assert "<bdi>Anna Bērziņa</bdi>" in html and "Valid" in html and credential.number in html


def test_api_same_answer_as_json(client, issue, organisation):
    credential = issue()
    response = client.get(f"/api/v1/verify/{credential.code}")
    assert response.status_code == 200
    data = response.json()
    assert data["verified"] is True and data["status"] == "valid"
    assert data["document"]["code"] == credential.code and data["document"]["number"] == credential.number
    assert data["document"]["holder_name"] == "Anna Bērziņa"
    assert data["document"]["issuer"]["name"] == organisation.legal_name
    assert data["document"]["issued_on"] == "2026-11-20"


def test_forged_and_mistyped_codes_say_so_plainly(client, issue):
    credential = issue()
    compact = credential.code.replace("-", "")
    other = "0" if compact[3] != "0" else "1"
    typo = code_format(compact[:3] + other + compact[4:])
    html = client.get(f"/verify/{typo}").content.decode()
    assert "Not verified" in html and "not a valid verification code" in html
    body = "ZZZZZZZZZZZZZZZ" if not compact.startswith("ZZZZ") else "YYYYYYYYYYYYYYY"
    forged = code_format(body + code_check_symbol(body))  # well-formed, never issued
    response = client.get(f"/verify/{forged}")
    assert response.status_code == 404 and "No document with the verification code" in response.content.decode()
    api = client.get(f"/api/v1/verify/{forged}")
    assert api.status_code == 404 and api.json()["verified"] is False
    assert "Anna" not in response.content.decode()


def test_revoked_shows_date_and_reason(client, issue, admin):
    credential = issue()
    credential_revoke(actor=admin, credential=credential, reason="Issued by mistake")
    html = client.get(f"/verify/{credential.code}").content.decode()
    assert "revoked" in html and "Issued by mistake" in html
    data = client.get(f"/api/v1/verify/{credential.code}").json()
    assert data["verified"] is False and data["status"] == "revoked"
    assert data["document"]["revocation_reason"] == "Issued by mistake" and data["document"]["revoked_at"]


def test_superseded_points_to_the_new_document(client, issue):
    old = issue()
    new = issue(supersedes=old)
    html = client.get(f"/verify/{old.code}").content.decode()
    assert "replaced by a newer document" in html and new.code in html and f'href="/verify/{new.code}"' in html
    data = client.get(f"/api/v1/verify/{old.code}").json()
    assert data["status"] == "superseded" and data["document"]["superseded_by"] == new.code
    assert data["verified"] is False


def test_expired(client, issue):
    import datetime

    credential = issue(issued_on=datetime.date(2020, 1, 1), valid_until=datetime.date(2021, 1, 1))
    data = client.get(f"/api/v1/verify/{credential.code}").json()
    assert data["status"] == "expired" and data["verified"] is False


def test_credential_json_upload_and_paste(client, issue):
    credential = issue()
    raw = json.dumps(credential.credential).encode()
    upload = SimpleUploadedFile("c.json", raw, content_type="application/json")
    html = client.post("/verify/", {"file": upload}).content.decode()
    assert "Authentic" in html and credential.code in html
    tampered = copy.deepcopy(credential.credential)
    tampered["credentialSubject"]["achievement"]["name"] = "Doctorate"
    html = client.post("/verify/", {"credential_json": json.dumps(tampered)}).content.decode()
    assert "Not verified" in html and "altered" in html
    html = client.post("/verify/", {"credential_json": "not json"}).content.decode()
    assert "neither a PDF nor a credential" in html
    assert client.post("/verify/", {}).status_code == 400


def test_pdf_issued_sealed_and_verified(client, issue, pdf_data, admin):
    credential = issue(pdf_data=pdf_data)
    assert credential.pdf and len(credential.pdf_sha256) == 64
    pdf = credential.pdf.open("rb").read()
    assert pdf.startswith(b"%PDF-")
    html = client.post("/verify/", {"file": SimpleUploadedFile("d.pdf", pdf)}).content.decode()
    assert "Authentic" in html and "seal is intact" in html and credential.code in html

    # One byte changed inside the signed range: the seal breaks and the hash is unknown.
    position = len(pdf) // 3
    altered = pdf[:position] + bytes([pdf[position] ^ 0x01]) + pdf[position + 1:]
    html = client.post("/verify/", {"file": SimpleUploadedFile("d.pdf", altered)}).content.decode()
    assert "Not verified" in html and "not a document issued here" in html

    # A PDF sealed by the same organisation but never issued (e.g. re-sealed after editing).
    from agnitio.documents.seal import pdf_seal
    from agnitio.documents.services import document_render

    other = pdf_seal(organisation=credential.organisation,
                     pdf_bytes=document_render(kind="youthpass", data=pdf_data, languages=["en"]))
    html = client.post("/verify/", {"file": SimpleUploadedFile("d.pdf", other)}).content.decode()
    assert "Not verified" in html and "seal is intact, but it is not a document issued here" in html

    credential_revoke(actor=admin, credential=credential, reason="Withdrawn")
    html = client.post("/verify/", {"file": SimpleUploadedFile("d.pdf", pdf)}).content.decode()
    assert "Authentic, but revoked" in html and "Withdrawn" in html


def test_revocation_shows_at_once_despite_the_page_cache(client, issue, admin, settings):
    credential = issue()
    assert "Authentic</h2>" in client.get(f"/verify/{credential.code}").content.decode()
    assert "Authentic</h2>" in client.get(f"/verify/{credential.code}").content.decode()  # served from cache
    credential_revoke(actor=admin, credential=credential, reason="Withdrawn today")
    html = client.get(f"/verify/{credential.code}").content.decode()
    assert "Authentic, but revoked" in html and "Withdrawn today" in html
    new = issue()
    replacement = issue(supersedes=new)
    client.get(f"/verify/{new.code}")
    html = client.get(f"/verify/{new.code}").content.decode()
    assert "replaced by a newer document" in html and replacement.code in html


def test_issuer_name_change_shows_despite_the_page_cache(client, issue, organisation):
    credential = issue()
    assert organisation.legal_name in client.get(f"/verify/{credential.code}").content.decode()
    organisation.legal_name = "Biedrība Jaunais Nosaukums"
    organisation.save()
    assert "Biedrība Jaunais Nosaukums" in client.get(f"/verify/{credential.code}").content.decode()


def test_bulk_lookups_from_one_address_are_throttled(client, issue, settings):
    settings.AGNITIO_VERIFY_RATE_LIMIT = "3/m"
    credential = issue()
    for _ in range(3):
        assert client.get(f"/verify/{credential.code}").status_code == 200
    page = client.get(f"/verify/{credential.code}")
    assert page.status_code == 429 and "Too many verifications" in page.content.decode()
    assert "Anna" not in page.content.decode()
    api = client.get(f"/api/v1/verify/{credential.code}")
    assert api.status_code == 429 and "document" not in api.json()
    other = client.get(f"/api/v1/verify/{credential.code}", REMOTE_ADDR="10.0.0.7")
    assert other.status_code == 200  # another address is not affected


def test_throttle_without_a_client_address(rf, issue, settings):
    from agnitio.credentials.throttle import verify_throttled

    settings.AGNITIO_VERIFY_RATE_LIMIT = "2/m"
    request = rf.get("/verify/x")
    del request.META["REMOTE_ADDR"]
    assert [verify_throttled(request) for _ in range(3)] == [False, False, True]
