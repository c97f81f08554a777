"""Point 13 (retention): abandoned participant uploads go after 24 hours, outbox bodies after the configured period;
both run from the beat schedule and are idempotent."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from agnitio.core.models import AuditEvent
from agnitio.notifications import tasks as notification_tasks
from agnitio.notifications.models import OutboxEmail
from agnitio.youthpass import tasks as youthpass_tasks
from agnitio.youthpass.models import ParticipantImport
from agnitio.youthpass.services.imports import participant_import_upload

CSV = "first_name,last_name,email\nAnna,Bērziņa,anna@example.org\n".encode()


def test_beat_schedule_runs_the_retention_tasks():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "agnitio.youthpass.tasks.participant_imports_purge" in tasks
    assert "agnitio.notifications.tasks.outbox_bodies_prune" in tasks
    from agnitio.celery import app

    app.loader.import_default_modules()
    for name in ("agnitio.youthpass.tasks.participant_imports_purge",
                 "agnitio.notifications.tasks.outbox_bodies_prune"):
        assert name in app.tasks


@pytest.mark.django_db
def test_abandoned_uploads_are_deleted_after_24_hours(owner, project, django_capture_on_commit_callbacks):
    old = participant_import_upload(actor=owner, project=project, data=CSV, filename="old.csv")
    fresh = participant_import_upload(actor=owner, project=project, data=CSV, filename="fresh.csv")
    imported = participant_import_upload(actor=owner, project=project, data=CSV, filename="done.csv")
    past = timezone.now() - datetime.timedelta(hours=25)
    ParticipantImport.objects.filter(pk__in=[old.pk, imported.pk]).update(created_at=past)
    ParticipantImport.objects.filter(pk=imported.pk).update(status=ParticipantImport.Status.IMPORTED)
    storage, old_name, fresh_name = old.file.storage, old.file.name, fresh.file.name
    assert storage.exists(old_name)

    with django_capture_on_commit_callbacks(execute=True):
        assert youthpass_tasks.participant_imports_purge.delay().get() == 1
    assert not ParticipantImport.objects.filter(pk=old.pk).exists()
    assert not storage.exists(old_name)
    assert ParticipantImport.objects.filter(pk=fresh.pk).exists() and storage.exists(fresh_name)
    assert ParticipantImport.objects.filter(pk=imported.pk).exists()
    event = AuditEvent.objects.get(verb="participant table expired")
    assert event.actor is None and event.organisation == project.organisation
    # idempotent: a second run finds nothing
    with django_capture_on_commit_callbacks(execute=True):
        assert youthpass_tasks.participant_imports_purge.delay().get() == 0


@pytest.mark.django_db
def test_files_of_uploads_deleted_with_their_project_are_removed_too(owner, project, monkeypatch,
                                                                    django_capture_on_commit_callbacks):
    from agnitio.youthpass.services import project_delete

    first = participant_import_upload(actor=owner, project=project, data=CSV, filename="a.csv")
    second = participant_import_upload(actor=owner, project=project, data=CSV, filename="b.csv")
    storage, names = first.file.storage, [first.file.name, second.file.name]
    project_delete(actor=owner, project=project)  # deletes the upload rows (cascade), not their files
    assert not ParticipantImport.objects.exists() and all(storage.exists(n) for n in names)
    with django_capture_on_commit_callbacks(execute=True):
        youthpass_tasks.participant_imports_purge.delay().get()
    assert all(storage.exists(n) for n in names)  # younger than 24 hours: kept
    later = timezone.now() + datetime.timedelta(hours=25)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with django_capture_on_commit_callbacks(execute=True):
        # (≥: files of other tests' rolled-back uploads in the same media folder are orphans too)
        assert youthpass_tasks.participant_imports_purge.delay().get() >= 2
    assert not any(storage.exists(n) for n in names)


@pytest.mark.django_db
def test_outbox_bodies_are_pruned_after_the_retention_period(settings):
    settings.AGNITIO_OUTBOX_RETENTION_DAYS = 30

    def message(status, age_days):
        row = OutboxEmail.objects.create(to="a@example.org", subject=f"{status} {age_days}", body_text="Hello Anna",
                                         body_html="<p>Hello Anna</p>", language="en", template="t", status=status)
        OutboxEmail.objects.filter(pk=row.pk).update(updated_at=timezone.now() - datetime.timedelta(days=age_days))
        return row

    old_sent, old_failed, recent, old_queued = (message("sent", 31), message("failed", 40), message("sent", 5),
                                                 message("queued", 31))
    assert notification_tasks.outbox_bodies_prune.delay().get() == 2
    for row in (old_sent, old_failed):
        row.refresh_from_db()
        assert row.body_text == "" and row.body_html == "" and row.body_pruned_at is not None
        assert row.to == "a@example.org" and row.subject and row.status in ("sent", "failed")  # metadata kept
    for row in (recent, old_queued):
        row.refresh_from_db()
        assert row.body_text == "Hello Anna" and row.body_pruned_at is None
    assert notification_tasks.outbox_bodies_prune.delay().get() == 0  # idempotent
