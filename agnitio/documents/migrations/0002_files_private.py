from django.db import migrations


def forwards(apps, schema_editor):
    from agnitio.core.storage import move_rows_to_private

    move_rows_to_private(apps.get_model("documents", "DocumentJob"), "result")
    move_rows_to_private(apps.get_model("documents", "DocumentJobItem"), "file")


class Migration(migrations.Migration):
    """Document jobs' PDFs and ZIPs move from MEDIA_ROOT into the private folder, which is never served by path."""

    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
