"""Compositions belong to one version of the combined micro-credential (a published version's never changes): each
existing composition, which applied to every version of its lineage, is copied onto every version."""

import django.db.models.deletion
from django.db import migrations, models


def per_version(apps, schema_editor):
    Composition = apps.get_model("microcredentials", "Composition")
    Specification = apps.get_model("microcredentials", "Specification")
    for composition in Composition.objects.filter(specification__isnull=True).order_by("id"):
        versions = list(Specification.objects.filter(lineage=composition.lineage).order_by("version", "id"))
        if not versions:
            composition.delete()
            continue
        composition.specification = versions[0]
        composition.save(update_fields=["specification"])
        for version in versions[1:]:
            Composition.objects.create(organisation_id=composition.organisation_id, specification=version,
                                       lineage=composition.lineage, rule=composition.rule,
                                       required=composition.required, ordered=composition.ordered,
                                       parts=list(composition.parts))


class Migration(migrations.Migration):
    # The copies are written, then the column made NOT NULL: separate transactions (PostgreSQL refuses to alter a
    # table with pending deferred-constraint checks from rows written in the same transaction).
    atomic = False

    dependencies = [
        ("microcredentials", "0005_recognised_parts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="composition",
            name="lineage",
            field=models.CharField(db_index=True, max_length=32,
                                   verbose_name="lineage of the combined micro-credential"),
        ),
        migrations.AddField(
            model_name="composition",
            name="specification",
            field=models.OneToOneField(null=True, on_delete=django.db.models.deletion.CASCADE,
                                       related_name="composition", to="microcredentials.specification",
                                       verbose_name="combined micro-credential"),
        ),
        migrations.RunPython(per_version, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="composition",
            name="specification",
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="composition",
                                       to="microcredentials.specification",
                                       verbose_name="combined micro-credential"),
        ),
    ]
