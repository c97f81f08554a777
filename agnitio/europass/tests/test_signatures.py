"""Issue 12, point 10: several stored signatures/stamps, chosen per document; a stored default of the sending
institution or of the host is placed automatically; the host's upload → crop → variant → activate flow."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.europass import selectors_access, services
from agnitio.europass.models import DocumentSignatureChoice, HostSignature
from agnitio.europass.services import access, signatures
from agnitio.invitations.services import invitation_accept, invitation_send

HOST = "ana@escola.example"


def _png(colour=(30, 30, 160), size=(120, 60)) -> bytes:
    image = Image.new("RGB", size, (255, 255, 255))
    for x in range(20, 100):
        image.putpixel((x, 30), colour)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _org_signature(owner, organisation, label, *, default=False):
    from agnitio.organisations import images
    from agnitio.organisations import services as org

    checked = images.process_upload(SimpleUploadedFile("s.png", _png(), "image/png"), purpose="signature")
    signature = org.signature_upload(actor=owner, organisation=organisation, kind="signature", label=label,
                                     checked=checked)
    org.signature_crop(actor=owner, signature=signature, box=(10, 10, 100, 40), remove_background=True)
    org.signature_update(actor=owner, signature=signature, label=label, signatory=None, is_active=True,
                         is_default=default)
    signature.refresh_from_db()
    return signature


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


def test_sending_default_is_placed_automatically_and_a_chosen_variant_replaces_it(sender, organisation, document):
    assert selectors_access.document_signature_images(document) == {
        "sending": {"signature": None, "stamp": None}, "host": {"signature": None, "stamp": None}}
    default = _org_signature(sender, organisation, "Director", default=True)
    other = _org_signature(sender, organisation, "Deputy")
    images = selectors_access.document_signature_images(document)
    assert images["sending"]["signature"] == {"storage": default.image_cropped.name}
    assert [s.pk for s in selectors_access.sending_signature_choices(actor=sender, document=document)] == [
        default.pk, other.pk]
    signatures.document_signature_choose(actor=sender, document=document, signature_id=other.public_id)
    assert selectors_access.document_signature_images(document)["sending"]["signature"] == {
        "storage": other.image_cropped.name}


def test_only_the_sender_chooses_and_only_active_own_signatures(sender, organisation, document, outsider,
                                                                other_organisation):
    signature = _org_signature(sender, organisation, "Director")
    with pytest.raises(NotFound):
        signatures.document_signature_choose(actor=outsider, document=document, signature_id=signature.public_id)
    assert not DocumentSignatureChoice.objects.exists()
    from agnitio.organisations import services as org

    org.signature_update(actor=sender, signature=signature, label="Director", signatory=None, is_active=False,
                         is_default=False)
    with pytest.raises(ApplicationError):
        signatures.document_signature_choose(actor=sender, document=document, signature_id=signature.public_id)
    assert DocumentSignatureChoice.objects.filter(sending_signature__isnull=False).count() == 0


def test_host_uploads_crops_chooses_a_variant_and_it_is_placed_on_its_documents(host, document, sender):
    stored = signatures.host_signature_upload(actor=host, kind="signature", label="Ana Silva",
                                              upload=SimpleUploadedFile("a.png", _png(), "image/png"))
    with stored.original.open("rb") as fh:
        original = fh.read()
    variants = {v: signatures.signature_variant(original, box=(10, 10, 100, 40), variant=v)
                for v in signatures.VARIANTS}
    assert len(set(variants.values())) == 4
    with Image.open(io.BytesIO(variants["blue"])) as blue:
        assert blue.mode == "RGBA" and blue.size == (100, 40)
    signatures.host_signature_activate(actor=host, signature=stored, box=(10, 10, 100, 40), variant="blue")
    stored.refresh_from_db()
    assert stored.is_default and stored.variant == "blue"
    assert selectors_access.document_signature_images(document)["host"]["signature"] == {
        "storage": stored.image.name}
    second = signatures.host_signature_upload(actor=host, kind="signature", label="Ana (2)",
                                              upload=SimpleUploadedFile("b.png", _png(), "image/png"))
    second = signatures.host_signature_activate(actor=host, signature=second, box=None, variant="black",
                                                is_default=False)
    signatures.document_host_signature_choose(actor=host, document=document, signature=second)
    assert selectors_access.document_signature_images(document)["host"]["signature"] == {
        "storage": HostSignature.objects.get(pk=second.pk).image.name}
    # the sender cannot pick the host's images, and an unrelated person cannot upload as a host
    with pytest.raises(NotFound):
        signatures.document_host_signature_choose(actor=sender, document=document, signature=None)


def test_no_host_signature_without_host_access(make_user, outsider):
    with pytest.raises(NotFound):
        signatures.host_signature_upload(actor=outsider, kind="signature", label="X",
                                         upload=SimpleUploadedFile("a.png", _png(), "image/png"))
    assert not HostSignature.objects.exists()


def test_a_crop_outside_the_image_is_refused(host):
    stored = signatures.host_signature_upload(actor=host, kind="stamp", label="Stamp",
                                              upload=SimpleUploadedFile("a.png", _png(), "image/png"))
    with pytest.raises(ApplicationError):
        signatures.host_signature_activate(actor=host, signature=stored, box=(100, 10, 100, 40), variant="blue")
    stored.refresh_from_db()
    assert not stored.image and not stored.is_default
