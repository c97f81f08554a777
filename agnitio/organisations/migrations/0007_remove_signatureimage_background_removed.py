# The variant (0006) says what "background removed" said, and more: one field, not two that could disagree.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("organisations", "0006_signatureimage_variant"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="signatureimage",
            name="background_removed",
        ),
    ]
