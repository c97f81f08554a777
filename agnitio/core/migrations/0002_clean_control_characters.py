"""Rows saved before the text policy (agnitio.core.validators) may hold control characters that break issuing
(PDF metadata is XML 1.0). Clean them the way the policy reads text: in one-line fields each control character
becomes a space; in multi-line fields tab and line breaks stay and the others are removed. Issued documents are
not touched (they are signed)."""

import re

from django.db import migrations, models
from django.db.models import Q

APPS = ["accounts", "organisations", "youthpass"]
MULTILINE_CHARFIELDS = {("organisations", "organisation", "address")}
# \x00 cannot be in a PostgreSQL text at all, so the database patterns start at \x01 (SQLite: see NUL below)
SINGLE_DB = "[\x01-\x1f\x7f]"
MULTI_DB = "[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]"
SINGLE = re.compile("[\x00-\x1f\x7f]")
MULTI = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text_fields(model):
    for field in model._meta.concrete_fields:
        if field.choices or not field.editable or not isinstance(field, (models.CharField, models.TextField)):
            continue
        key = (model._meta.app_label, model._meta.model_name, field.name)
        yield field, isinstance(field, models.TextField) or key in MULTILINE_CHARFIELDS


def clean(apps, schema_editor):
    sqlite = schema_editor.connection.vendor == "sqlite"
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            fields = list(_text_fields(model))
            if not fields:
                continue
            query = Q()
            for field, multiline in fields:
                query |= Q(**{f"{field.attname}__regex": MULTI_DB if multiline else SINGLE_DB})
                if sqlite:
                    query |= Q(**{f"{field.attname}__contains": "\x00"})
            for row in model._default_manager.filter(query).iterator(chunk_size=500):
                changed = []
                for field, multiline in fields:
                    value = getattr(row, field.attname)
                    if not isinstance(value, str):
                        continue
                    cleaned = MULTI.sub("", value) if multiline else SINGLE.sub(" ", value).strip()
                    if cleaned != value:
                        setattr(row, field.attname, cleaned)
                        changed.append(field.attname)
                if changed:
                    row.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("accounts", "0001_initial"),
        ("organisations", "0002_signatory_invitation_signatureimage"),
        ("youthpass", "0005_bounded_free_text"),
    ]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
