from django.db import migrations


def forwards(apps, schema_editor):
    """Link every certificate already issued to its project (current, superseded and batch-issued ones), so
    access to it follows access to the project."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    IssuedCredential = apps.get_model("credentials", "IssuedCredential")
    Participant = apps.get_model("youthpass", "Participant")
    CertificateBatchItem = apps.get_model("youthpass", "CertificateBatchItem")
    project_type, _ = ContentType.objects.get_or_create(app_label="youthpass", model="project")
    links = dict(Participant.objects.filter(certificate__isnull=False).values_list("certificate_id", "project_id"))
    for credential_id, project_id in CertificateBatchItem.objects.filter(credential__isnull=False).values_list(
            "credential_id", "batch__project_id"):
        links.setdefault(credential_id, project_id)
    pending = list(links.items())
    while pending:  # the chain of certificates each one replaced belongs to the same project
        credential_id, project_id = pending.pop()
        IssuedCredential.objects.filter(pk=credential_id).update(source_type=project_type, source_id=project_id)
        older = IssuedCredential.objects.filter(pk=credential_id).values_list("supersedes_id", flat=True).first()
        if older and older not in links:
            links[older] = project_id
            pending.append((older, project_id))


class Migration(migrations.Migration):
    dependencies = [
        ("youthpass", "0005_logo_public_storage"),
        ("credentials", "0002_issued_credential_source"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
