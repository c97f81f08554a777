"""Holder addresses are compared normalised (agnitio.core.emails): trimmed and lower case. `credential_issue` has
always written them so; any row written otherwise (an import, a manual fix in the database) is normalised here, so
the wallet's plain `IN` on the holder's normalised addresses (served by credential_holder_issued_idx) finds it, and
0011 can guard the rule with a check constraint."""

from django.db import migrations
from django.db.models import Q
from django.db.models.functions import Lower

BATCH = 1000


def normalise(apps, schema_editor):
    IssuedCredential = apps.get_model("credentials", "IssuedCredential")
    manager = IssuedCredential.objects.using(schema_editor.connection.alias)
    # The ids first (none, usually): rows are not rewritten while a cursor still reads the table.
    untidy = ~Q(holder_email=Lower("holder_email")) | Q(holder_email__startswith=" ") | Q(holder_email__endswith=" ")
    ids = list(manager.filter(untidy).values_list("id", flat=True))
    for start in range(0, len(ids), BATCH):
        rows = list(manager.filter(id__in=ids[start:start + BATCH]).only("id", "holder_email"))
        for row in rows:
            row.holder_email = (row.holder_email or "").strip().lower()  # core.emails.email_normalise, frozen here
        manager.bulk_update(rows, ["holder_email"])


class Migration(migrations.Migration):

    dependencies = [
        ("credentials", "0009_issued_list_keyset_and_search"),
    ]

    operations = [
        migrations.RunPython(normalise, migrations.RunPython.noop, elidable=True),
    ]
