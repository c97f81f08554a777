"""Share links: drop the plain tokens (0002 stored their hashes) and make the hash required and unique.

Undoing it works only while there are no share links: the plain tokens are gone, and the earlier schema requires
one per link."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("credentials", "0002_share_link_token_hash"),
    ]

    operations = [
        migrations.AlterField(  # nullable first, so that undoing the removal can add the column back
            model_name="sharelink",
            name="token",
            field=models.CharField(max_length=64, null=True, unique=True),
        ),
        migrations.RemoveField(model_name="sharelink", name="token"),
        migrations.AlterField(
            model_name="sharelink",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
