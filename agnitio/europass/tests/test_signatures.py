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
from agnitio.organisations import images as org_images

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
    org.signature_crop(actor=owner, signature=signature, box=(10, 10, 100, 40), variant="transparent")
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
    variants = {v: org_images.signature_render(stored.original, box=(10, 10, 100, 40), variant=v)
                for v in org_images.VARIANTS}
    assert len(set(variants.values())) == 4
    with Image.open(io.BytesIO(variants["blue"])) as blue:
        assert blue.mode == "RGBA" and blue.size == (100, 40)
    signatures.host_signature_crop(actor=host, signature=stored, box=(10, 10, 100, 40))
    signatures.host_signature_activate(actor=host, signature=stored, variant="blue")
    stored.refresh_from_db()
    assert stored.is_default and stored.variant == "blue"
    assert selectors_access.document_signature_images(document)["host"]["signature"] == {
        "storage": stored.image.name}
    second = signatures.host_signature_upload(actor=host, kind="signature", label="Ana (2)",
                                              upload=SimpleUploadedFile("b.png", _png(), "image/png"))
    second = signatures.host_signature_activate(actor=host, signature=second, variant="black", is_default=False)
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
        signatures.host_signature_crop(actor=host, signature=stored, box=(100, 10, 100, 40))
    stored.refresh_from_db()
    assert stored.crop_box is None and not stored.image and not stored.is_default


# --- the stored images on the PDF -------------------------------------------------------------------------------------

def _pdf_image_sizes(pdf: bytes) -> list[tuple[int, int]]:
    """The (width, height) of every raster image in the PDF, as poppler's pdfimages lists them (masks left out)."""
    import shutil
    import subprocess

    tool = shutil.which("pdfimages")
    if tool is None:  # failing loudly beats a silent skip
        pytest.fail("pdfimages is missing: install Debian's poppler-utils (make system-deps)")
    listing = subprocess.run([tool, "-list", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    rows = [line.split() for line in listing.splitlines()[2:]]
    return [(int(row[3]), int(row[4])) for row in rows if len(row) > 4 and row[2] == "image"]


def _size(field) -> tuple[int, int]:
    with field.open("rb") as fh, Image.open(fh) as image:
        return image.size


def _host_of_filled(sender, document, make_user):
    """The host (the mentor's e-mail of the filled document) with its account, having accepted the access."""
    user = make_user(document.mentor_email)
    grant = access.host_access_send(actor=sender, document=document)
    _invitation, token = invitation_send(actor=sender, kind=access.HOST_KIND, organisation=document.institution
                                         .organisation, target=grant, email=document.mentor_email,
                                         full_name=document.mentor_name, language="en")
    invitation_accept(user=user, token=token)
    return user


def _host_default(user, *, box=(5, 5, 110, 50)):
    stored = signatures.host_signature_upload(actor=user, kind="signature", label="Mentor",
                                              upload=SimpleUploadedFile("h.png", _png(size=(140, 70)), "image/png"))
    signatures.host_signature_crop(actor=user, signature=stored, box=box)
    signatures.host_signature_activate(actor=user, signature=stored, variant="blue")
    return HostSignature.objects.get(pk=stored.pk)


def test_the_pdf_carries_the_institutions_default_and_the_hosts_signature(sender, organisation, document, make_user):
    from agnitio.europass import selectors

    from .test_documents import fill

    fill(sender, document)
    before = _pdf_image_sizes(services.document_pdf_render(actor=sender, document=document))
    default = _org_signature(sender, organisation, "Director", default=True)
    host_signature = _host_default(_host_of_filled(sender, document, make_user))

    data = selectors.mobility_document_data(document)
    by_party = {s["party"]: s for s in data["signatures"]}
    assert by_party["sending"]["signature"] == {"storage": default.image_cropped.name}
    assert by_party["host"]["signature"] == {"storage": host_signature.image.name}
    assert by_party["sending"]["stamp"] is None and by_party["host"]["stamp"] is None
    assert "signature" not in by_party["participant"]  # a participant has no stored image

    pdf = services.document_pdf_render(actor=sender, document=document)
    after = _pdf_image_sizes(pdf)
    placed = list(after)
    for image in before:
        placed.remove(image)
    assert sorted(placed) == sorted([_size(default.image_cropped), _size(host_signature.image)])


def test_a_certificate_carries_only_its_signing_partys_images(sender, organisation, document, make_user):
    from agnitio.europass import selectors

    from .test_documents import fill

    fill(sender, document)
    _org_signature(sender, organisation, "Director", default=True)
    host_signature = _host_default(_host_of_filled(sender, document, make_user))
    certificate = services.certificate_create_from_agreement(actor=sender, agreement=document)
    fill(sender, certificate, skip=("signatures",))
    services.document_section_update(actor=sender, document=certificate, section="signatures",
                                     data={"signing_parties": ["host"]})
    certificate.refresh_from_db()
    # the host's access is per document: the certificate's host gets it too before its default is placed
    grant = access.host_access_send(actor=sender, document=certificate)
    _invitation, token = invitation_send(actor=sender, kind=access.HOST_KIND, organisation=certificate.institution
                                         .organisation, target=grant, email=certificate.mentor_email,
                                         full_name="João Silva", language="en")
    invitation_accept(user=host_signature.user, token=token)

    data = selectors.mobility_document_data(certificate)
    assert data["signatures"] == [{"party": "host", "name": certificate.mentor_name,
                                   "position": certificate.mentor_position, "organisation": certificate.host_name,
                                   "signature": {"storage": host_signature.image.name}, "stamp": None}]


def test_a_signature_chosen_for_the_document_wins_over_the_default(sender, organisation, document):
    from agnitio.europass import selectors

    from .test_documents import fill

    fill(sender, document)
    _org_signature(sender, organisation, "Director", default=True)
    chosen = _org_signature(sender, organisation, "Deputy")
    signatures.document_signature_choose(actor=sender, document=document, signature_id=chosen.public_id)
    data = selectors.mobility_document_data(document)
    sending = next(s for s in data["signatures"] if s["party"] == "sending")
    assert sending["signature"] == {"storage": chosen.image_cropped.name}


def test_another_institutions_signature_is_never_chosen_nor_placed(sender, organisation, document, outsider,
                                                                   other_organisation):
    from agnitio.core.models import AuditEvent
    from agnitio.organisations.models import Membership

    own = _org_signature(sender, organisation, "Director", default=True)
    foreign = _org_signature(outsider, other_organisation, "Autre", default=True)
    # even a sender who also belongs to the other organisation cannot put its signature on this document
    Membership.objects.create(organisation=other_organisation, user=sender, role="owner")
    images_before = selectors_access.document_signature_images(document)
    audit_before = AuditEvent.objects.count()
    with pytest.raises(NotFound):
        signatures.document_signature_choose(actor=sender, document=document, signature_id=foreign.public_id)
    assert not DocumentSignatureChoice.objects.exists() and AuditEvent.objects.count() == audit_before
    assert selectors_access.document_signature_images(document) == images_before
    assert images_before["sending"]["signature"] == {"storage": own.image_cropped.name}
    # and a choice that names it anyway (written past the service) is ignored when rendering: the default is placed
    DocumentSignatureChoice.objects.create(document=document, sending_signature=foreign)
    assert selectors_access.document_signature_images(document)["sending"]["signature"] == {
        "storage": own.image_cropped.name}


# --- one flow for an institution and a host: crop → one of four variants → activate (issue 12, point 10) -------------

# A 400 × 200 scan with a dark red stroke (x 100-299, y 66-69); in the part (50, 40, 300, 100) at x 50-249, y 26-29.
BOX = (50, 40, 300, 100)
STROKE_AT, PAPER_AT = (150, 28), (5, 5)


def _scan():
    from agnitio.organisations.tests.conftest import STROKE, image_bytes

    return SimpleUploadedFile("scan.png", image_bytes(400, 200, color=STROKE), "image/png")


def _placed(reference):
    """The file the PDF places ({"storage": name}), from the storage."""
    from django.core.files.storage import default_storage

    with default_storage.open(reference["storage"], "rb") as handle:
        return handle.read()


def _another_host(sender, approved, make_user):
    """The host of the application's second document: a host account too, but not the owner of the first host's
    images."""
    second = approved.documents.order_by("position")[1]
    services.document_section_update(actor=sender, document=second, section="host", data={
        "host_name": "Escuela", "host_type": "school", "host_country": "ES", "mentor_name": "Juan Pérez",
        "mentor_position": "Teacher", "mentor_phone": "+34 912 345 678", "mentor_email": "juan@escuela.example"})
    second.refresh_from_db()
    user = make_user("juan@escuela.example")
    grant = access.host_access_send(actor=sender, document=second)
    _invitation, token = invitation_send(actor=sender, kind=access.HOST_KIND, organisation=second.institution
                                         .organisation, target=grant, email="juan@escuela.example",
                                         full_name="Juan", language="en")
    invitation_accept(user=user, token=token)
    assert selectors_access.is_host_account(actor=user)
    return user


@pytest.mark.parametrize("variant", org_images.VARIANTS)
def test_the_variants_chosen_are_what_the_europass_document_places(host, document, sender, organisation, variant):
    from agnitio.organisations import services as org
    from agnitio.organisations.tests.conftest import assert_variant

    checked = org_images.process_upload(_scan(), purpose="signature")
    sending = org.signature_upload(actor=sender, organisation=organisation, kind="stamp", label="Stamp",
                                   checked=checked)
    org.signature_crop(actor=sender, signature=sending, box=BOX)
    org.signature_activate(actor=sender, signature=sending, variant=variant, is_default=True)
    own = signatures.host_signature_upload(actor=host, kind="signature", label="Ana", upload=_scan())
    signatures.host_signature_crop(actor=host, signature=own, box=BOX)
    signatures.host_signature_activate(actor=host, signature=own, variant=variant)
    placed = selectors_access.document_signature_images(document)
    assert_variant(_placed(placed["sending"]["stamp"]), variant, stroke=STROKE_AT, paper=PAPER_AT)
    assert_variant(_placed(placed["host"]["signature"]), variant, stroke=STROKE_AT, paper=PAPER_AT)
    assert HostSignature.objects.get(pk=own.pk).variant == variant


def test_the_hosts_crop_variant_activation_and_deletion_are_audited(host, document,
                                                                    django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    from agnitio.core.models import AuditEvent

    stored = signatures.host_signature_upload(actor=host, kind="signature", label="Ana", upload=_scan())
    signatures.host_signature_crop(actor=host, signature=stored, box=BOX)
    with django_capture_on_commit_callbacks(execute=True):
        signatures.host_signature_activate(actor=host, signature=stored, variant="transparent")
    first = HostSignature.objects.get(pk=stored.pk).image.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        signatures.host_signature_activate(actor=host, signature=stored, variant="black")
    assert default_storage.exists(first)  # not before the commit
    for callback in callbacks:
        callback()
    assert not default_storage.exists(first)
    stored = HostSignature.objects.get(pk=stored.pk)
    files = [stored.original.name, stored.image.name]
    with django_capture_on_commit_callbacks(execute=True):
        signatures.host_signature_delete(actor=host, signature=stored)
    assert not HostSignature.objects.exists() and not any(default_storage.exists(name) for name in files)
    assert selectors_access.document_signature_images(document)["host"]["signature"] is None
    verbs = list(AuditEvent.objects.filter(object_type="europass.HostSignature", object_id=stored.public_id)
                 .order_by("id").values_list("verb", flat=True))
    assert verbs == ["host signature uploaded", "host signature cropped", "host signature activated",
                     "host signature activated", "host signature deleted"]
    activation = AuditEvent.objects.filter(verb="host signature activated").order_by("id").last()
    assert activation.changes["variant"] == ["transparent", "black"] and activation.changes["crop"][1] == str(list(BOX))


@pytest.mark.parametrize("box", [(0, 0, 7, 50), (0, 0, 50, 7), (390, 0, 20, 20), (0, 190, 20, 20)])
def test_a_hosts_part_outside_the_image_or_smaller_than_8_pixels_is_refused(host, box):
    from agnitio.core.models import AuditEvent

    stored = signatures.host_signature_upload(actor=host, kind="signature", label="Ana", upload=_scan())
    audit = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as exc:
        signatures.host_signature_crop(actor=host, signature=stored, box=box)
    assert exc.value.code == "bad_crop"
    stored.refresh_from_db()
    assert stored.crop_box is None and not stored.image and AuditEvent.objects.count() == audit


def test_a_host_never_touches_another_hosts_images(host, sender, approved, document, make_user, client):
    from agnitio.core.models import AuditEvent

    stored = signatures.host_signature_upload(actor=host, kind="signature", label="Ana", upload=_scan())
    signatures.host_signature_crop(actor=host, signature=stored, box=BOX)
    signatures.host_signature_activate(actor=host, signature=stored, variant="blue")
    other = _another_host(sender, approved, make_user)
    before, audit = HostSignature.objects.values().get(pk=stored.pk), AuditEvent.objects.count()
    for attempt in (lambda: signatures.host_signature_crop(actor=other, signature=stored, box=(0, 0, 20, 20)),
                    lambda: signatures.host_signature_activate(actor=other, signature=stored, variant="black"),
                    lambda: signatures.host_signature_delete(actor=other, signature=stored)):
        with pytest.raises(NotFound):
            attempt()
    client.force_login(other)
    base = f"/europass/shared/signatures/{stored.public_id}/"
    for name in ("original", "image", "variant-black"):
        assert client.get(f"{base}{name}.png").status_code == 404
    assert client.get(base).status_code == 404
    assert client.post(base, {"action": "crop", "x": "0", "y": "0", "width": "20", "height": "20"}).status_code == 404
    assert client.post(base, {"action": "activate", "variant": "black", "is_default": "on"}).status_code == 404
    assert client.post(f"{base}delete/").status_code == 404
    assert HostSignature.objects.values().get(pk=stored.pk) == before and AuditEvent.objects.count() == audit


def test_the_host_page_crops_by_numbers_and_activates_a_variant_without_javascript(host, client):
    from agnitio.organisations.tests.conftest import assert_variant

    client.force_login(host)
    response = client.post("/europass/shared/signatures/", {"kind": "stamp", "label": "Carimbo", "image": _scan()})
    stored = HostSignature.objects.get()
    url = f"/europass/shared/signatures/{stored.public_id}/"
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    # the institution's page parts: drag-to-crop over the numbers, then the variants
    assert "organisations/crop.js" in page and 'data-crop="x"' in page and 'data-crop-stage' in page
    assert 'name="variant"' not in page
    response = client.post(url, {"action": "crop", "x": "50", "y": "40", "width": "300", "height": "100"})
    assert response.status_code == 302 and response["Location"] == url + "#variants"
    assert HostSignature.objects.get().crop_box == BOX
    page = client.get(url).content.decode()
    assert "<legend>Choose one of the four variants</legend>" in page
    assert page.count('type="radio" name="variant"') == 4
    for variant in org_images.VARIANTS:
        preview = client.get(f"{url}variant-{variant}.png")
        assert preview.status_code == 200 and preview["Content-Type"] == "image/png"
        assert_variant(preview.content, variant, stroke=STROKE_AT, paper=PAPER_AT)
    response = client.post(url, {"action": "activate", "variant": "blue", "is_default": "on"})
    assert response.status_code == 302 and response["Location"] == "/europass/shared/signatures/"
    stored = HostSignature.objects.get()
    assert stored.variant == "blue" and stored.is_default
    image = client.get(f"{url}image.png")
    assert_variant(b"".join(image.streaming_content), "blue", stroke=STROKE_AT, paper=PAPER_AT)
    assert client.post(f"{url}delete/").status_code == 302 and not HostSignature.objects.exists()
