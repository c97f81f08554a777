"""Copy the open organisation-member invitations into the one invitations table, keeping their public ids and
token hashes so links already e-mailed keep working (the old address redirects to /invitations/<token>/)."""

from django.db import migrations


def copy_pending(apps, schema_editor):
    Old = apps.get_model("organisations", "Invitation")
    New = apps.get_model("invitations", "Invitation")
    ContentType = apps.get_model("contenttypes", "ContentType")
    organisation_type, _ = ContentType.objects.get_or_create(app_label="organisations", model="organisation")
    New.objects.bulk_create([
        New(public_id=old.public_id, created_at=old.created_at, updated_at=old.updated_at,
            kind="organisation_member", organisation_id=old.organisation_id, target_type=organisation_type,
            target_id=old.organisation_id, mailed_to=old.email.strip().lower(), full_name=old.full_name,
            language=old.language, token_hash=old.token_hash, status="pending", expires_at=old.expires_at,
            sent_at=old.sent_at, send_count=1, payload={"role": old.role}, invited_by_id=old.invited_by_id)
        for old in Old.objects.filter(status="pending").iterator()
    ], batch_size=500)


def copy_back(apps, schema_editor):
    Old = apps.get_model("organisations", "Invitation")
    New = apps.get_model("invitations", "Invitation")
    Old.objects.bulk_create([
        Old(public_id=new.public_id, created_at=new.created_at, updated_at=new.updated_at,
            organisation_id=new.organisation_id, email=new.mailed_to, full_name=new.full_name,
            role=new.payload.get("role", "editor"), language=new.language, token_hash=new.token_hash,
            status="pending", expires_at=new.expires_at, sent_at=new.sent_at, invited_by_id=new.invited_by_id)
        for new in New.objects.filter(kind="organisation_member", status="pending").iterator()
    ], batch_size=500)
    New.objects.filter(kind="organisation_member").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("invitations", "0001_initial"),
        ("organisations", "0004_merge_ops"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(copy_pending, copy_back)]
