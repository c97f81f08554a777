"""A host's image activated before its selected part was stored keeps that part (issue 12, point 10): the part is
taken from the audit event of its activation (the whole image when none was selected), so choosing another variant
later remakes the same part."""

import pytest
from django.core.files.base import ContentFile

from agnitio.credentials.tests.migrating import before_migration
from agnitio.europass.models import HostSignature

MIGRATION = ("europass", "0003_hostsignature_crop")


@pytest.mark.django_db(transaction=True)
def test_an_activated_host_image_keeps_the_part_recorded_at_its_activation(make_user):
    from agnitio.core.ids import new_public_id

    user = make_user("ana@escola.example")
    made = {}
    with before_migration(MIGRATION) as old_state:
        OldHostSignature = old_state.get_model("europass", "HostSignature")  # noqa: N806
        OldAuditEvent = old_state.get_model("core", "AuditEvent")  # noqa: N806
        for label, recorded, activated in (("cropped", "[10, 10, 100, 40]", True), ("whole", None, True),
                                           ("outside", "[100, 10, 100, 40]", True), ("new", None, False)):
            row = OldHostSignature(public_id=new_public_id(), user_id=user.pk, kind="signature", label=label,
                                   original_width=120, original_height=60, variant="blue" if activated else "")
            row.original.save("original.png", ContentFile(b"png"), save=False)
            if activated:
                row.image.save("image.png", ContentFile(b"png"), save=False)
            row.save()
            if activated:
                OldAuditEvent.objects.create(action="update", verb="host signature activated",
                                             object_type="europass.HostSignature", object_id=row.public_id,
                                             object_repr=label, changes={"variant": [None, "blue"],
                                                                         "crop": [None, recorded]})
            made[label] = row.pk
    boxes = {label: HostSignature.objects.get(pk=pk).crop_box for label, pk in made.items()}
    assert boxes == {"cropped": (10, 10, 100, 40), "whole": (0, 0, 120, 60), "outside": (0, 0, 120, 60),
                     "new": None}
