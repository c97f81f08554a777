"""Authenticated uploads of Europass are bounded: a participant's photo and a host's signature images per account
and hour (`AGNITIO_UPLOAD_RATE_LIMIT`; the styled 429 page with Retry-After, nothing stored), and a host keeps at
most HOST_SIGNATURES_MAX images."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from agnitio.core.errors import ApplicationError
from agnitio.europass import services
from agnitio.europass.models import HostSignature
from agnitio.europass.services import access, signatures
from agnitio.invitations.services import invitation_accept, invitation_send

HOST = "ana@escola.example"


def _png(size=(120, 60)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "blue").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def host(make_user, sender, document):
    services.document_section_update(actor=sender, document=document, section="host", data={
        "host_name": "Escola", "host_type": "school", "host_country": "PT", "mentor_name": "Ana Silva",
        "mentor_position": "Teacher", "mentor_phone": "+351 212 345 678", "mentor_email": HOST})
    document.refresh_from_db()
    user = make_user(HOST)
    grant = access.host_access_send(actor=sender, document=document)
    _invitation, token = invitation_send(actor=sender, kind=access.HOST_KIND, organisation=document.institution
                                         .organisation, target=grant, email=HOST, full_name="Ana", language="en")
    invitation_accept(user=user, token=token)
    return user


def _photo(client, document):
    return client.post(reverse("europass:document_section", args=[document.public_id, "personal"]), {
        "language": "lv", "first_name": "Anna", "last_name": "Ozola", "nationality": "LV",
        "photo": SimpleUploadedFile("p.png", _png((30, 40)), content_type="image/png")})


def test_photos_are_limited_per_account_and_hour(client, settings, sender, document):
    settings.AGNITIO_UPLOAD_RATE_LIMIT = "2/h"
    client.force_login(sender)
    assert _photo(client, document).status_code == 302
    assert _photo(client, document).status_code == 302
    document.refresh_from_db()
    photo = document.photo.name
    response = _photo(client, document)
    assert response.status_code == 429 and 0 < int(response["Retry-After"]) <= 3600
    assert "uploaded too many files" in response.content.decode()
    document.refresh_from_db()
    assert document.photo.name == photo
    # the same section without a photo is not an upload
    response = client.post(reverse("europass:document_section", args=[document.public_id, "personal"]), {
        "language": "lv", "first_name": "Anna", "last_name": "Ozoliņa", "nationality": "LV"})
    assert response.status_code == 302


def test_host_signature_uploads_are_limited_per_account_and_hour(client, settings, host):
    settings.AGNITIO_UPLOAD_RATE_LIMIT = "2/h"
    client.force_login(host)
    url = reverse("europass:host_signatures")
    for _ in range(2):
        response = client.post(url, {"kind": "signature", "label": "Ana",
                                     "image": SimpleUploadedFile("s.png", _png(), "image/png")})
        assert response.status_code == 302
    response = client.post(url, {"kind": "signature", "label": "Ana",
                                 "image": SimpleUploadedFile("s.png", _png(), "image/png")})
    assert response.status_code == 429 and response["Retry-After"]
    assert HostSignature.objects.filter(user=host).count() == 2


def test_a_host_keeps_a_bounded_number_of_images(host, monkeypatch):
    monkeypatch.setattr(signatures, "HOST_SIGNATURES_MAX", 2)
    for _ in range(2):
        signatures.host_signature_upload(actor=host, kind="signature", label="Ana",
                                         upload=SimpleUploadedFile("s.png", _png(), "image/png"))
    with pytest.raises(ApplicationError) as error:
        signatures.host_signature_upload(actor=host, kind="stamp", label="Stamp",
                                         upload=SimpleUploadedFile("s.png", _png(), "image/png"))
    assert error.value.code == "too_many" and "2" in str(error.value)
    assert HostSignature.objects.filter(user=host).count() == 2
    signatures.host_signature_delete(actor=host, signature=HostSignature.objects.filter(user=host).first())
    signatures.host_signature_upload(actor=host, kind="stamp", label="Stamp",
                                     upload=SimpleUploadedFile("s.png", _png(), "image/png"))
