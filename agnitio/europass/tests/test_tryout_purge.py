"""Europass Try Out: everything made under it is deleted 24 hours later by a scheduled task (controlled clock)."""

import datetime

import pytest
from django.conf import settings

from agnitio.europass import services, tasks
from agnitio.europass.models import Application, GroupLearningProgramme, LearningOutcome, MobilityDocument

from .conftest import NOW

pytestmark = pytest.mark.django_db


def test_the_purge_is_scheduled():
    assert settings.CELERY_BEAT_SCHEDULE["europass-purge-try-out"]["task"] == tasks.tryout_purge.name


def test_try_out_records_go_after_24_hours_and_real_ones_stay(make_application, sender, institution, approved):
    try_out = make_application(issuing_body="try_out")
    document = try_out.documents.first()
    services.document_section_update(actor=sender, document=document, section="outcomes", data={"outcomes": [
        {"framework": "A", "text": "Komunikācija svešvalodās"}]})
    services.group_programme_create(actor=sender, institution=institution, data={"title": "Try", "application":
                                                                                  try_out}, documents=[document])
    assert services.tryout_purge(now=NOW + datetime.timedelta(hours=23, minutes=59)) == 0
    assert Application.objects.filter(pk=try_out.pk).exists()
    assert services.tryout_purge(now=NOW + datetime.timedelta(hours=24)) == 1
    assert not Application.objects.filter(pk=try_out.pk).exists()
    assert not MobilityDocument.objects.filter(try_out=True).exists()
    assert not LearningOutcome.objects.exists()
    assert not GroupLearningProgramme.objects.exists()
    # the approved (NEC) application and its documents are untouched
    assert Application.objects.filter(pk=approved.pk).exists() and approved.documents.count() == 2
    assert services.tryout_purge(now=NOW + datetime.timedelta(days=3)) == 0  # idempotent


def test_the_task_purges_with_the_real_clock(make_application, monkeypatch):
    from django.utils import timezone

    try_out = make_application(issuing_body="try_out")
    monkeypatch.setattr(timezone, "now", lambda: NOW + datetime.timedelta(hours=25))
    assert tasks.tryout_purge() == 1
    assert not Application.objects.filter(pk=try_out.pk).exists()


def test_the_purge_deletes_try_out_photos(make_application, sender, django_capture_on_commit_callbacks):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 20), "green").save(out, format="PNG")
    document = make_application(issuing_body="try_out").documents.first()
    document = services.document_photo_set(actor=sender, document=document,
                                           upload=SimpleUploadedFile("p.png", out.getvalue()))
    storage, name = document.photo.storage, document.photo.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.tryout_purge(now=NOW + datetime.timedelta(hours=25))
    assert not storage.exists(name)


# --- a dead broker and an interrupted purge (controlled clock) ----------------------------------------------------

def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 20), "green").save(out, format="PNG")
    return out.getvalue()


def _try_out_with_everything(make_application, sender, institution, *, at=NOW):
    """A Try Out application at `at`: its documents with a photo, learning outcomes, a certificate made from the
    first agreement, a group programme and the host's access sent (an open invitation). Returns it and its photos."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from agnitio.europass.services import access

    application = services.application_create(actor=sender, institution=institution, data={
        **_data(), "issuing_body": "try_out"}, now=at)
    photos = []
    for document in application.documents.order_by("position"):
        services.document_section_update(actor=sender, document=document, section="outcomes", data={"outcomes": [
            {"framework": "A", "text": "Komunikācija svešvalodās"}]})
        document = services.document_photo_set(actor=sender, document=document,
                                               upload=SimpleUploadedFile("p.png", _png()))
        photos.append(document.photo.name)
    first = application.documents.order_by("position").first()
    services.document_section_update(actor=sender, document=first, section="host", data={
        "host_name": "Escola", "host_type": "school", "host_country": "PT", "mentor_name": "Ana Silva",
        "mentor_position": "Teacher", "mentor_phone": "+351 212 345 678", "mentor_email": "ana@escola.example"})
    access.host_access_send(actor=sender, document=first)
    services.group_programme_create(actor=sender, institution=institution, data={"title": "Try", "application":
                                                                                  application}, documents=[first])
    return application, photos


def _data():
    from .conftest import application_data

    return application_data()


def _left_of(application_pk: int) -> dict:
    """What is left in the database of one Try Out application's records."""
    from agnitio.europass.models import DocumentAccess

    documents = MobilityDocument.objects.filter(application_id=application_pk)
    return {"application": Application.objects.filter(pk=application_pk).count(), "documents": documents.count(),
            "outcomes": LearningOutcome.objects.filter(document__application_id=application_pk).count(),
            "accesses": DocumentAccess.objects.filter(document__application_id=application_pk).count(),
            "programmes": GroupLearningProgramme.objects.filter(application_id=application_pk).count()}


def _open_invitations() -> int:
    from agnitio.invitations.models import Invitation

    return Invitation.objects.filter(status="pending").count()


def _task_at(monkeypatch, moment) -> int:
    """The beat's task as the worker runs it, at `moment` (the controlled clock)."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: moment)
    return tasks.tryout_purge()


def test_a_run_after_the_broker_was_down_catches_up(make_application, sender, institution, monkeypatch,
                                                     django_capture_on_commit_callbacks):
    """The beat could not send the task for two days (broker down): the first run after that purges every Try Out
    whose 24 hours are over — whenever they ended — and the next run finds nothing; a newer one waits its turn."""
    first, first_photos = _try_out_with_everything(make_application, sender, institution, at=NOW)
    second, second_photos = _try_out_with_everything(make_application, sender, institution,
                                                     at=NOW + datetime.timedelta(hours=5))
    fresh, fresh_photos = _try_out_with_everything(make_application, sender, institution,
                                                   at=NOW + datetime.timedelta(days=2, hours=12))
    storage = MobilityDocument._meta.get_field("photo").storage
    with django_capture_on_commit_callbacks(execute=True):
        assert _task_at(monkeypatch, NOW + datetime.timedelta(days=2, hours=13)) == 2
    for application in (first, second):
        assert set(_left_of(application.pk).values()) == {0}
    assert not any(storage.exists(name) for name in first_photos + second_photos)
    assert all(storage.exists(name) for name in fresh_photos) and _left_of(fresh.pk)["documents"] == 2
    assert _open_invitations() == 1  # the fresh one's host access; the purged ones' links went with them
    with django_capture_on_commit_callbacks(execute=True):
        assert _task_at(monkeypatch, NOW + datetime.timedelta(days=2, hours=13, minutes=10)) == 0
        assert _task_at(monkeypatch, NOW + datetime.timedelta(days=3, hours=12)) == 1
    assert set(_left_of(fresh.pk).values()) == {0} and _open_invitations() == 0
    assert not any(storage.exists(name) for name in fresh_photos)


def test_a_purge_interrupted_midway_leaves_no_half_deleted_application(make_application, sender, institution,
                                                                        monkeypatch,
                                                                        django_capture_on_commit_callbacks):
    """The worker dies while deleting the second application (here: an error in its transaction): the first is
    gone whole, the second is whole — rows and files — and the next run deletes it whole."""
    from agnitio.europass.services import applications as module

    first, first_photos = _try_out_with_everything(make_application, sender, institution, at=NOW)
    second, second_photos = _try_out_with_everything(make_application, sender, institution,
                                                     at=NOW + datetime.timedelta(minutes=5))
    storage = MobilityDocument._meta.get_field("photo").storage
    whole = _left_of(second.pk)
    real_delete, calls = Application.delete, []

    def dies_on_the_second(self, *args, **kwargs):
        calls.append(self.pk)
        result = real_delete(self, *args, **kwargs)
        if len(calls) == 2:
            raise SystemExit("worker lost")  # after the rows went, before the transaction ends
        return result

    monkeypatch.setattr(module.Application, "delete", dies_on_the_second)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(SystemExit):
        _task_at(monkeypatch, NOW + datetime.timedelta(days=1, hours=1))
    assert set(_left_of(first.pk).values()) == {0}
    assert not any(storage.exists(name) for name in first_photos)
    assert _left_of(second.pk) == whole and all(storage.exists(name) for name in second_photos)
    monkeypatch.setattr(module.Application, "delete", real_delete)
    with django_capture_on_commit_callbacks(execute=True):
        assert _task_at(monkeypatch, NOW + datetime.timedelta(days=1, hours=1, minutes=10)) == 1
    assert set(_left_of(second.pk).values()) == {0}
    assert not any(storage.exists(name) for name in second_photos)


def test_photos_left_by_a_worker_lost_after_the_commit_go_with_the_next_run(make_application, sender, institution,
                                                                           approved, monkeypatch):
    """The rows went (committed) but the worker died before it deleted the files (the after-commit step never
    ran): the next run deletes the photos that no document names any more, and only those."""
    import os

    first, first_photos = _try_out_with_everything(make_application, sender, institution, at=NOW)
    from django.core.files.uploadedfile import SimpleUploadedFile

    # a real (approved) application's document with a photo stays untouched
    kept_document = services.document_photo_set(actor=sender, document=approved.documents.first(),
                                                 upload=SimpleUploadedFile("p.png", _png()))
    storage = MobilityDocument._meta.get_field("photo").storage
    # the after-commit callbacks are not run here: as if the worker died right after the commit
    assert _task_at(monkeypatch, NOW + datetime.timedelta(days=1, hours=1)) == 1
    assert set(_left_of(first.pk).values()) == {0} and all(storage.exists(name) for name in first_photos)
    old = (NOW - datetime.timedelta(hours=2)).timestamp()
    for name in [*first_photos, kept_document.photo.name]:
        os.utime(storage.path(name), (old, old))  # left over from before
    assert _task_at(monkeypatch, NOW + datetime.timedelta(days=1, hours=1, minutes=10)) == 0
    assert not any(storage.exists(name) for name in first_photos)
    assert storage.exists(kept_document.photo.name)
