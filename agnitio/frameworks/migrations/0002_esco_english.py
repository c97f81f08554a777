"""Load the English ESCO classification shipped in agnitio/frameworks/data/ (v1.1.1: 13,896 skills, 3,007
occupations), so every database — `make run`, production, the tests' — has it without a network or an extra step.
Other languages: `manage.py esco_import`. Written with bulk inserts in batches of 1,000 (about 1-2 s)."""

from django.db import migrations


def load_english(apps, schema_editor):
    from agnitio.frameworks.esco.importer import SHIPPED_ENGLISH, load

    load(SHIPPED_ENGLISH, language="en", concept_model=apps.get_model("frameworks", "EscoConcept"),
         relation_model=apps.get_model("frameworks", "EscoSkillRelation"),
         dataset_model=apps.get_model("frameworks", "EscoDataset"))


def unload_english(apps, schema_editor):
    apps.get_model("frameworks", "EscoConcept").objects.filter(language="en").delete()
    apps.get_model("frameworks", "EscoDataset").objects.filter(language="en").delete()


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0001_initial")]

    operations = [migrations.RunPython(load_english, unload_english)]
