"""Share links keep only the SHA-256 of their secret: add `token_hash` and fill it from the stored tokens, so every
link already handed out keeps working. (0003 then drops the plain tokens.)"""

import hashlib

from django.db import migrations, models


def hash_tokens(apps, schema_editor):
    ShareLink = apps.get_model("credentials", "ShareLink")
    for link in ShareLink.objects.filter(token_hash__isnull=True).only("pk", "token").iterator():
        # the same function as agnitio.core.tokens.token_hash (copied: a migration must not change with the code)
        ShareLink.objects.filter(pk=link.pk).update(token_hash=hashlib.sha256(link.token.encode()).hexdigest())


class Migration(migrations.Migration):

    dependencies = [
        ("credentials", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="sharelink",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(hash_tokens, migrations.RunPython.noop, elidable=False),
    ]
