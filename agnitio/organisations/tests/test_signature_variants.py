"""Issue 12, point 10: one upload → crop → variant → activate flow (seed 002 "Ievietot savu parakstu un/vai iestādes
zīmogu"): an institution's signature or stamp is offered in four variants after the part to use is selected; the
chosen one is what documents carry. (A host's images go through the same flow: europass/tests/test_signatures.py.)"""

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from agnitio.core.errors import ApplicationError, NotFound, PermissionDenied
from agnitio.core.models import AuditEvent
from agnitio.organisations import images, services
from agnitio.organisations.models import SignatureImage
from agnitio.organisations.selectors import signature_default

from .conftest import STROKE, assert_variant, image_bytes, upload

# In a 400 × 200 scan the stroke lies at x 100-299, y 66-69; in the part (50, 40, 300, 100) at x 50-249, y 26-29.
BOX = (50, 40, 300, 100)
STROKE_AT, PAPER_AT = (150, 28), (5, 5)


def _upload(actor, organisation, kind="signature"):
    checked = images.process_upload(upload(data=image_bytes(400, 200, color=STROKE)), purpose="signature")
    return services.signature_upload(actor=actor, organisation=organisation, kind=kind, label="Chair",
                                     checked=checked)


def _read(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("variant", images.VARIANTS)
def test_the_chosen_variant_is_the_image_documents_carry(admin, organisation, variant):
    signature = _upload(admin, organisation)
    services.signature_crop(actor=admin, signature=signature, box=BOX)
    services.signature_activate(actor=admin, signature=signature, variant=variant, is_default=True)
    signature.refresh_from_db()
    assert signature.variant == variant and signature.is_active and signature.is_default
    placed = signature_default(organisation=organisation, kind="signature")  # what Youthpass and Europass place
    assert placed == signature
    with placed.image_cropped.open("rb") as handle, Image.open(handle) as image:
        assert image.size == (300, 100)
    assert_variant(placed.image_cropped, variant, stroke=STROKE_AT, paper=PAPER_AT)
    verbs = list(AuditEvent.objects.filter(object_type="organisations.SignatureImage", object_id=signature.public_id)
                 .order_by("id").values_list("verb", flat=True))
    assert verbs == ["", "image cropped", "variant chosen and activated"]  # upload, crop, variant + activation
    activation = AuditEvent.objects.filter(verb="variant chosen and activated").get()
    assert activation.changes["variant"] == ["original", variant] and activation.changes["is_active"] == [False, True]


def test_a_new_crop_remakes_the_image_in_the_chosen_variant(admin, organisation):
    signature = _upload(admin, organisation)
    services.signature_activate(actor=admin, signature=signature, variant="blue")  # whole image: no part selected
    signature.refresh_from_db()
    assert signature.crop_box == (0, 0, 400, 200)
    services.signature_crop(actor=admin, signature=signature, box=BOX)
    signature.refresh_from_db()
    assert signature.variant == "blue" and signature.is_active
    assert_variant(signature.image_cropped, "blue", stroke=STROKE_AT, paper=PAPER_AT)


def test_the_previous_processed_file_is_deleted_once_committed(admin, organisation,
                                                                django_capture_on_commit_callbacks):
    signature = _upload(admin, organisation)
    with django_capture_on_commit_callbacks(execute=True):
        services.signature_crop(actor=admin, signature=signature, box=BOX)
    first = SignatureImage.objects.get(pk=signature.pk).image_cropped.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.signature_activate(actor=admin, signature=signature, variant="black")
    second = SignatureImage.objects.get(pk=signature.pk).image_cropped.name
    assert first != second and default_storage.exists(first)  # not before the commit
    for callback in callbacks:
        callback()
    assert not default_storage.exists(first) and default_storage.exists(second)


@pytest.mark.parametrize("box", [(0, 0, 7, 50), (0, 0, 50, 7), (390, 0, 20, 20), (0, 190, 20, 20)])
def test_a_part_outside_the_image_or_smaller_than_8_pixels_is_refused(admin, organisation, snapshot, box):
    signature = _upload(admin, organisation)
    before = snapshot()
    with pytest.raises(ApplicationError) as exc:
        services.signature_crop(actor=admin, signature=signature, box=box)
    assert exc.value.code == "bad_crop"
    assert snapshot() == before


def test_an_unknown_variant_is_refused(admin, organisation, snapshot):
    signature = _upload(admin, organisation)
    services.signature_crop(actor=admin, signature=signature, box=BOX)
    before = snapshot()
    with pytest.raises(ApplicationError) as exc:
        services.signature_activate(actor=admin, signature=signature, variant="purple")
    assert exc.value.code == "variant"
    assert snapshot() == before


def test_only_the_organisations_owners_and_admins_choose_a_variant(admin, editor, outsider, organisation, snapshot):
    signature = _upload(admin, organisation)
    services.signature_crop(actor=admin, signature=signature, box=BOX)
    before = snapshot()
    with pytest.raises(NotFound):  # another organisation's member: as if it did not exist
        services.signature_activate(actor=outsider, signature=signature, variant="black")
    with pytest.raises(NotFound):
        services.signature_crop(actor=outsider, signature=signature, box=(0, 0, 100, 100))
    with pytest.raises(PermissionDenied):  # a member who is no admin
        services.signature_activate(actor=editor, signature=signature, variant="black")
    assert snapshot() == before


# --- the pages: the same flow without JavaScript -------------------------------------------------------------------

def test_upload_crop_by_numbers_choose_a_variant_and_activate_without_javascript(client_for, admin, organisation):
    client = client_for(admin)
    response = client.post(reverse("organisations:signature_upload", args=[organisation.public_id]), {
        "kind": "signature", "label": "Chair", "image": upload("scan.png", image_bytes(400, 200, color=STROKE))})
    signature = SignatureImage.objects.get()
    url = reverse("organisations:signature", args=[organisation.public_id, signature.public_id])
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert "Step 2 of 3" in page and 'data-crop="x"' in page and "crop.js" in page
    assert 'name="variant"' not in page and "Select the part to use first." in page  # step 3 after step 2
    # step 2: the numbers typed in (what crop.js fills in when the rectangle is dragged)
    response = client.post(url, {"action": "crop", "x": "50", "y": "40", "width": "300", "height": "100"})
    assert response.status_code == 302 and response["Location"] == url + "#variants"
    signature.refresh_from_db()
    assert signature.crop_box == BOX
    # step 3: the four variants as one radio group with a legend, each with its preview
    page = client.get(url).content.decode()
    assert "<legend>Choose one of the four variants</legend>" in page
    assert page.count('type="radio" name="variant"') == 4
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)  # two forms, no id twice
    assert 'for="variant_is_default"' in page and 'for="id_is_default"' in page
    for variant, label in images.VARIANT_LABELS.items():
        preview = reverse("organisations:signature_file", args=[organisation.public_id, signature.public_id,
                                                                f"variant-{variant}"])
        assert f'src="{preview}?v=' in page and f'alt="{label}"' in page
        answer = client.get(preview)
        assert answer.status_code == 200 and answer["Content-Type"] == "image/png"
        assert answer["Cache-Control"].startswith("private")
        with Image.open(io.BytesIO(_read(answer))) as image:
            assert image.size == (300, 100)
            assert_variant(image, variant, stroke=STROKE_AT, paper=PAPER_AT)
    response = client.post(url, {"action": "activate", "variant": "black", "is_default": "on"})
    assert response.status_code == 302
    signature.refresh_from_db()
    assert signature.variant == "black" and signature.is_active and signature.is_default
    processed = client.get(reverse("organisations:signature_file", args=[organisation.public_id,
                                                                         signature.public_id, "cropped"]))
    assert_variant(_read(processed), "black", stroke=STROKE_AT, paper=PAPER_AT)


def test_activating_without_a_variant_says_what_to_do(client_for, admin, organisation, snapshot):
    signature = _upload(admin, organisation)
    services.signature_crop(actor=admin, signature=signature, box=BOX)
    client = client_for(admin)
    before = snapshot()
    page = client.post(reverse("organisations:signature", args=[organisation.public_id, signature.public_id]),
                       {"action": "activate"}).content.decode()
    assert "Choose one of the four variants." in page
    assert snapshot() == before


def test_another_organisations_member_neither_sees_nor_changes_the_variants(client_for, admin, editor, outsider,
                                                                            organisation, snapshot):
    signature = _upload(admin, organisation)
    services.signature_crop(actor=admin, signature=signature, box=BOX)
    url = reverse("organisations:signature", args=[organisation.public_id, signature.public_id])
    preview = reverse("organisations:signature_file", args=[organisation.public_id, signature.public_id,
                                                            "variant-black"])
    before = snapshot()
    client = client_for(outsider)
    assert client.get(url).status_code == 404
    assert client.get(preview).status_code == 404
    assert client.post(url, {"action": "activate", "variant": "black", "is_default": "on"}).status_code == 404
    assert client.post(url, {"action": "crop", "x": "0", "y": "0", "width": "20", "height": "20"}).status_code == 404
    client = client_for(editor)  # a member sees the previews, as it sees the images, but may not activate
    assert client.get(preview).status_code == 200
    assert client.post(url, {"action": "activate", "variant": "black"}).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("name", ["variant-purple", "variant-", "preview", "black"])
def test_no_other_file_name_is_served(client_for, admin, organisation, name):
    signature = _upload(admin, organisation)
    url = reverse("organisations:signature_file", args=[organisation.public_id, signature.public_id, name])
    assert client_for(admin).get(url).status_code == 404
