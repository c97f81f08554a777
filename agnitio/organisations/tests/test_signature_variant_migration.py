"""Signatures and stamps stored before variants existed keep their look (issue 12, point 10): a row whose white
background was made transparent gets the "transparent" variant, any other the "original" one — exactly what its
processed image already is, so documents carrying it render the same, and remaking it in its variant changes nothing."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from PIL import Image

from agnitio.credentials.tests.migrating import before_migration
from agnitio.organisations import images
from agnitio.organisations.models import SignatureImage

from .conftest import STROKE, image_bytes, upload

MIGRATION = ("organisations", "0006_signatureimage_variant")
BOX = (50, 40, 300, 100)


@pytest.mark.django_db(transaction=True)
def test_an_image_stored_before_keeps_its_look_as_its_variant(organisation):
    checked = images.process_upload(upload(data=image_bytes(400, 200, color=STROKE)), purpose="signature")
    stored = {}
    with before_migration(MIGRATION) as old_state:  # the schema with `background_removed`; afterwards the latest
        OldSignatureImage = old_state.get_model("organisations", "SignatureImage")  # noqa: N806
        for label, removed in (("Scan on paper", True), ("As it was", False)):
            row = OldSignatureImage(organisation_id=organisation.pk, kind="signature", label=label,
                                    original_width=400, original_height=200, crop_x=BOX[0], crop_y=BOX[1],
                                    crop_width=BOX[2], crop_height=BOX[3], background_removed=removed,
                                    is_active=True)
            row.original.save("old-original.png", ContentFile(checked.content), save=False)
            # the processed image as the code before variants made it
            processed = images.signature_crop(checked.image, box=BOX, remove_background=removed)
            row.image_cropped.save("old-processed.png", ContentFile(processed), save=False)
            row.save()
            stored[label] = (row.pk, row.image_cropped.name, processed)
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor,
                                                                                  SignatureImage._meta.db_table)}
    assert "variant" in columns and "background_removed" not in columns
    expected = {"Scan on paper": "transparent", "As it was": "original"}
    for label, (pk, name, processed) in stored.items():
        signature = SignatureImage.objects.get(pk=pk)
        assert signature.variant == expected[label]
        assert signature.image_cropped.name == name and signature.is_active  # the same file is placed
        with signature.image_cropped.open("rb") as handle:
            assert handle.read() == processed
        # choosing its variant again (a new crop of the same part, an activation) gives the same pixels
        remade = images.signature_render(signature.original, box=signature.crop_box, variant=signature.variant)
        assert remade == processed
    with SignatureImage.objects.get(pk=stored["Scan on paper"][0]).image_cropped.open("rb") as handle, \
            Image.open(handle) as image:
        assert image.getpixel((5, 5))[3] == 0  # still transparent where the paper was
