# A host's selected part is stored, as an institution's is (issue 12, point 10: one upload → crop → variant →
# activate flow). A host image activated before kept its part only in the audit event of its activation: it is
# copied from there (or, failing that, the whole image), so choosing another variant later keeps the same part.

import json

from django.db import migrations, models


def _part(value, width, height):
    """The part recorded by the activation (the audit keeps a list as its text, "[x, y, w, h]"), if it is one that
    lies inside the image; else None."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if not (isinstance(value, list) and len(value) == 4 and all(type(v) is int and v >= 0 for v in value)):
        return None
    x, y, w, h = value
    return value if w >= 8 and h >= 8 and x + w <= width and y + h <= height else None


def crop_from_activation(apps, schema_editor):
    HostSignature = apps.get_model("europass", "HostSignature")
    AuditEvent = apps.get_model("core", "AuditEvent")
    for signature in HostSignature.objects.exclude(image="").filter(crop_width__isnull=True):
        event = (AuditEvent.objects.filter(object_type="europass.HostSignature", object_id=signature.public_id,
                                           verb="host signature activated").order_by("-created_at", "-id").first())
        recorded = ((event.changes or {}).get("crop") or [None, None])[-1] if event else None
        crop = (_part(recorded, signature.original_width, signature.original_height)
                or [0, 0, signature.original_width, signature.original_height])
        signature.crop_x, signature.crop_y, signature.crop_width, signature.crop_height = crop
        signature.save(update_fields=["crop_x", "crop_y", "crop_width", "crop_height"])


class Migration(migrations.Migration):

    dependencies = [
        ("europass", "0002_access_signatures"),
        ("core", "0002_clean_control_characters"),
    ]

    operations = [
        migrations.AddField(
            model_name="hostsignature",
            name="crop_height",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="hostsignature",
            name="crop_width",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="hostsignature",
            name="crop_x",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="hostsignature",
            name="crop_y",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(crop_from_activation, migrations.RunPython.noop),
    ]
