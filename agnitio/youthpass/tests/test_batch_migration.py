"""Certificate batches made by the second engine become jobs of the documents engine (issue 10, point 2): same public
id (the page and API addresses keep working), same items and outcomes; a batch left running is finished by the
sweeper."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from agnitio.credentials.models import IssuedCredential
from agnitio.credentials.tests.migrating import before_migration
from agnitio.documents.models import DocumentJob
from agnitio.documents.tasks import job_resume_stalled
from agnitio.organisations.models import Signatory
from agnitio.youthpass import services
from agnitio.youthpass.services import certificates

from .test_batches import _ready_person

MIGRATION = ("youthpass", "0008_certificate_batches_to_document_jobs")


@pytest.mark.django_db(transaction=True)
def test_old_batches_become_jobs_and_a_running_one_is_finished(client, owner, organisation, project, activity,
                                                               participant, make_user):
    signatory = Signatory.objects.create(organisation=organisation, full_name="Līga", position="Valde")
    services.project_finalise(actor=owner, project=project, signing_place="Rīga",
                              signing_date=datetime.date(2026, 6, 1), certificate_language="lv",
                              signatory_page1=signatory, signatory_part2=signatory)
    issued, waiting = (_ready_person(owner, project, activity, make_user, n) for n in range(2))
    credential = certificates.certificate_issue(actor=owner, participant=issued)
    with before_migration(MIGRATION) as old:  # the old tables; afterwards the latest schema
        Batch = old.get_model("youthpass", "CertificateBatch")  # noqa: N806
        Item = old.get_model("youthpass", "CertificateBatchItem")  # noqa: N806
        running = Batch.objects.create(organisation_id=organisation.pk, project_id=project.pk, created_by_id=owner.pk,
                                       total=2, status="running")
        Item.objects.create(batch=running, participant_id=issued.pk, status="done", credential_id=credential.pk)
        Item.objects.create(batch=running, participant_id=waiting.pk)
        ended = Batch.objects.create(organisation_id=organisation.pk, project_id=project.pk, created_by_id=owner.pk,
                                     total=1, status="finished")
        Item.objects.create(batch=ended, participant_id=participant.pk, status="failed", error="Not submitted.")
        ids = running.public_id, ended.public_id
    with connection.cursor() as cursor:
        assert "youthpass_certificatebatch" not in connection.introspection.table_names(cursor)
    job = DocumentJob.objects.get(public_id=ids[0])
    assert (job.handler, job.scope, job.status, job.requeue) == ("youthpass.certificate", project.public_id,
                                                                 "running", True)
    assert (job.total, job.done, job.failed, job.owner) == (2, 1, 0, owner)
    assert [(i.label, i.data, i.status, i.outcome) for i in job.items.order_by("index")] == [
        (issued.full_name, {"participant": issued.pk}, "done", credential.public_id),
        (waiting.full_name, {"participant": waiting.pk}, "pending", "")]
    old_job = DocumentJob.objects.get(public_id=ids[1])
    assert (old_job.status, old_job.failed, old_job.requeue) == ("failed", 1, False)
    assert old_job.errors == [{"index": 1, "label": participant.full_name, "reason": "Not submitted."}]

    assert job_resume_stalled() == 1  # flagged by the migration: queued at the sweeper's next run
    job.refresh_from_db()
    assert job.status == "finished" and job.done == 2 and IssuedCredential.objects.count() == 2
    client.force_login(owner)
    page = client.get(reverse("youthpass:batch_detail", args=[project.public_id, ids[1]])).content.decode()
    assert "0 of 1 certificates issued, 1 not issued." in page and "Not submitted." in page
