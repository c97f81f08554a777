"""Copy the open Youthpass invitations (project editors, participants, supervisors) into the one invitations table,
keeping their token hashes, so links already e-mailed keep working: the old addresses redirect to
/invitations/<token>/ and the token finds the copied row. 0009 then drops the token columns.

Backwards, the still-open invitations of the three kinds go back into the columns (0009 backwards re-adds them)
and the kinds' rows are deleted: a link e-mailed after the move keeps working on the old page too."""

from django.db import migrations
from django.utils import timezone

EDITOR, PARTICIPANT, SUPERVISOR = "youthpass_project_editor", "youthpass_participant", "youthpass_supervisor"


def _address(value):
    return (value or "").strip().lower()


def copy_open(apps, schema_editor):
    ProjectEditor = apps.get_model("youthpass", "ProjectEditor")
    Participant = apps.get_model("youthpass", "Participant")
    Invitation = apps.get_model("invitations", "Invitation")
    ContentType = apps.get_model("contenttypes", "ContentType")
    editor_type, _ = ContentType.objects.get_or_create(app_label="youthpass", model="projecteditor")
    participant_type, _ = ContentType.objects.get_or_create(app_label="youthpass", model="participant")
    now = timezone.now()
    rows = []
    for editor in ProjectEditor.objects.filter(status="pending").exclude(token_hash=None).iterator():
        rows.append(Invitation(
            kind=EDITOR, organisation_id=editor.organisation_id, target_type=editor_type, target_id=editor.pk,
            mailed_to=_address(editor.email), full_name=editor.full_name, language=editor.language,
            token_hash=editor.token_hash, expires_at=editor.expires_at or now, sent_at=editor.updated_at,
            invited_by_id=editor.invited_by_id))
    # Links mailed before the address binding (0005) were voided there; an empty address can accept nothing.
    for person in Participant.objects.exclude(invitation_token_hash=None).exclude(invitation_email="").iterator():
        rows.append(Invitation(
            kind=PARTICIPANT, organisation_id=person.organisation_id, target_type=participant_type,
            target_id=person.pk, mailed_to=_address(person.invitation_email),
            full_name=f"{person.first_name} {person.last_name}".strip()[:200], language=person.language,
            token_hash=person.invitation_token_hash, expires_at=person.invitation_expires_at or now,
            sent_at=person.invited_at or person.updated_at))
    for person in Participant.objects.exclude(supervisor_token_hash=None).exclude(
            supervisor_invitation_email="").iterator():
        rows.append(Invitation(
            kind=SUPERVISOR, organisation_id=person.organisation_id, target_type=participant_type,
            target_id=person.pk, mailed_to=_address(person.supervisor_invitation_email),
            full_name=person.supervisor_name[:200], language=person.language,
            token_hash=person.supervisor_token_hash, expires_at=person.supervisor_token_expires_at or now,
            sent_at=person.updated_at))
    Invitation.objects.bulk_create(rows, batch_size=500)


def copy_back(apps, schema_editor):
    ProjectEditor = apps.get_model("youthpass", "ProjectEditor")
    Participant = apps.get_model("youthpass", "Participant")
    Invitation = apps.get_model("invitations", "Invitation")
    for invitation in Invitation.objects.filter(kind__in=[EDITOR, PARTICIPANT, SUPERVISOR],
                                                status="pending").iterator():
        if invitation.kind == EDITOR:
            ProjectEditor.objects.filter(pk=invitation.target_id, status="pending").update(
                token_hash=invitation.token_hash, expires_at=invitation.expires_at)
        elif invitation.kind == PARTICIPANT:
            Participant.objects.filter(pk=invitation.target_id).update(
                invitation_token_hash=invitation.token_hash, invitation_expires_at=invitation.expires_at,
                invitation_email=invitation.mailed_to)
        else:
            Participant.objects.filter(pk=invitation.target_id).update(
                supervisor_token_hash=invitation.token_hash, supervisor_token_expires_at=invitation.expires_at,
                supervisor_invitation_email=invitation.mailed_to)
    Invitation.objects.filter(kind__in=[EDITOR, PARTICIPANT, SUPERVISOR]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("youthpass", "0009_organiser_milestone_reminders"),
        ("invitations", "0002_copy_organisation_invitations"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(copy_open, copy_back)]
