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
