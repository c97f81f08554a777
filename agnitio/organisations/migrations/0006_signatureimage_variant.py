# The variant of a signature or stamp (issue 12, point 10: one upload → crop → variant → activate flow for an
# institution and a host). An image stored before has the variant its processed image already is: "transparent" when
# its white background was made transparent, else "original" — so documents carrying it look the same.

from django.db import migrations, models


def variant_from_background(apps, schema_editor):
    SignatureImage = apps.get_model("organisations", "SignatureImage")
    SignatureImage.objects.filter(background_removed=True).update(variant="transparent")
    SignatureImage.objects.filter(background_removed=False).update(variant="original")


def background_from_variant(apps, schema_editor):
    SignatureImage = apps.get_model("organisations", "SignatureImage")
    SignatureImage.objects.exclude(variant="original").update(background_removed=True)
    SignatureImage.objects.filter(variant="original").update(background_removed=False)


class Migration(migrations.Migration):

    dependencies = [
        ("organisations", "0005_invitation_moved_to_invitations_app"),
    ]

    operations = [
        migrations.AddField(
            model_name="signatureimage",
            name="variant",
            field=models.CharField(default="original", max_length=16, verbose_name="variant"),
        ),
        migrations.RunPython(variant_from_background, background_from_variant),
    ]
