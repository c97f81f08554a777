import datetime

import pytest
from django.urls import reverse

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.credentials.models import IssuedCredential
from agnitio.invitations.services import invitation_accept
from agnitio.organisations.models import Signatory
from agnitio.youthpass import services
from agnitio.youthpass.models import CertificateBatch, CertificateBatchItem
from agnitio.youthpass.services import certificates


@pytest.fixture
def finalised(owner, organisation, project):
    signatory = Signatory.objects.create(organisation=organisation, full_name="Līga", position="Valde")
    services.project_finalise(actor=owner, project=project, signing_place="Rīga",
                              signing_date=datetime.date(2026, 6, 1), certificate_language="lv",
                              signatory_page1=signatory, signatory_part2=signatory)
    return project


def _ready_person(owner, project, activity, make_user, n):
    person = services.participant_create(actor=owner, project=project, activities=[activity], first_name=f"P{n}",
                                         last_name="Dalībnieks", email=f"p{n}@example.org")
    services.participant_invite(actor=owner, participants=[person])
    user = make_user(f"p{n}@example.org")
    invitation_accept(user=user, token=person._token)
    person.refresh_from_db()
    services.outcomes_save(actor=user, participant=person, submit=True,
                           texts={("key_competences_2018", "digital", "lv"): f"Teksts {n}"})
    person.refresh_from_db()
    return person


def test_batch_issues_everyone_ready_and_records_failures(owner, finalised, activity, participant, make_user,
                                                         django_capture_on_commit_callbacks):
    ready = [_ready_person(owner, finalised, activity, make_user, n) for n in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        batch = certificates.certificate_batch_start(actor=owner, project=finalised,
                                                     participants=[*ready, participant])
    batch.refresh_from_db()
    assert batch.status == "finished" and batch.total == 4
    progress = certificates.certificate_batch_progress(actor=owner, project=finalised, public_id=batch.public_id)
    assert progress["done"] == 3 and progress["failed_count"] == 1
    assert progress["failed"][0].participant == participant and "submitted" in progress["failed"][0].error
    assert IssuedCredential.objects.count() == 3


def test_processing_again_issues_nothing_twice(owner, finalised, activity, make_user,
                                               django_capture_on_commit_callbacks):
    ready = [_ready_person(owner, finalised, activity, make_user, n) for n in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        batch = certificates.certificate_batch_start(actor=owner, project=finalised)
    ids = list(batch.items.values_list("id", flat=True))
    certificates.certificate_batch_process(batch_id=batch.pk, item_ids=ids)  # a re-delivered task
    with django_capture_on_commit_callbacks(execute=True):
        certificates.certificate_batch_resume(actor=owner, batch=batch)
    assert IssuedCredential.objects.count() == 2
    assert {p.certificate.number for p in ready if p.refresh_from_db() is None} == set(
        IssuedCredential.objects.values_list("number", flat=True))


def test_waiting_items_survive_a_lost_worker(owner, finalised, activity, make_user,
                                             django_capture_on_commit_callbacks):
    _ready_person(owner, finalised, activity, make_user, 1)
    with django_capture_on_commit_callbacks(execute=False):  # the tasks never ran (broker down)
        batch = certificates.certificate_batch_start(actor=owner, project=finalised)
    assert batch.items.get().status == "pending" and not IssuedCredential.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        certificates.certificate_batch_resume(actor=owner, batch=batch)
    batch.refresh_from_db()
    assert batch.status == "finished" and IssuedCredential.objects.count() == 1


def test_nobody_ready_and_outsider(owner, outsider, finalised, participant):
    with pytest.raises(ApplicationError):
        certificates.certificate_batch_start(actor=owner, project=finalised)
    with pytest.raises(NotFound):
        certificates.certificate_batch_start(actor=outsider, project=finalised, participants=[participant])
    assert not CertificateBatch.objects.exists() and not CertificateBatchItem.objects.exists()


def test_batch_pages(client, owner, finalised, activity, make_user, django_capture_on_commit_callbacks):
    _ready_person(owner, finalised, activity, make_user, 1)
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("youthpass:batch_start", args=[finalised.public_id]))
    batch = CertificateBatch.objects.get()
    assert response["Location"] == reverse("youthpass:batch_detail", args=[finalised.public_id, batch.public_id])
    page = client.get(response["Location"]).content.decode()
    assert "1 of 1 certificates issued" in page
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith("<section") and "hx-trigger" not in partial  # finished: polling stops
