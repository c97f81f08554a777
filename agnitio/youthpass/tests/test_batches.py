import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.credentials.models import IssuedCredential
from agnitio.documents import services as jobs
from agnitio.documents import tasks
from agnitio.documents.models import DocumentJob, DocumentJobItem
from agnitio.documents.tasks import job_resume_stalled
from agnitio.invitations.services import invitation_accept
from agnitio.organisations.models import Signatory
from agnitio.youthpass import services
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
    jobs.job_process_chunk(job_id=batch.pk, item_ids=ids)  # a re-delivered task
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
    assert not DocumentJob.objects.exists() and not DocumentJobItem.objects.exists()


def test_batch_pages(client, owner, finalised, activity, make_user, django_capture_on_commit_callbacks):
    _ready_person(owner, finalised, activity, make_user, 1)
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("youthpass:batch_start", args=[finalised.public_id]))
    batch = DocumentJob.objects.get(handler="youthpass.certificate")
    assert response["Location"] == reverse("youthpass:batch_detail", args=[finalised.public_id, batch.public_id])
    page = client.get(response["Location"]).content.decode()
    assert "1 of 1 certificates issued" in page
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith("<section") and "hx-trigger" not in partial  # finished: polling stops


def _broker_down(*args, **kwargs):
    raise OperationalError("[Errno 111] Connection refused")


def test_a_batch_started_while_the_broker_is_down_is_finished_by_the_sweeper(
        client, owner, finalised, activity, make_user, monkeypatch, django_capture_on_commit_callbacks):
    """Publishing the tasks fails after the commit: the page still opens (no error after the data were saved), the
    batch waits flagged for the sweeper, and the sweeper's next run issues every certificate."""
    people = [_ready_person(owner, finalised, activity, make_user, n) for n in range(2)]
    client.force_login(owner)
    with monkeypatch.context() as down:
        down.setattr(tasks.job_process_chunk, "apply_async", _broker_down)  # `.delay` calls it
        with django_capture_on_commit_callbacks(execute=True) as published:
            response = client.post(reverse("youthpass:batch_start", args=[finalised.public_id]))
        assert len(published) == 1  # the publication was attempted, and failed
        batch = DocumentJob.objects.get(handler="youthpass.certificate")
        assert response.status_code == 302
        assert response["Location"] == reverse("youthpass:batch_detail", args=[finalised.public_id, batch.public_id])
        assert batch.status == "pending" and batch.requeue and not IssuedCredential.objects.exists()
        page = client.get(response["Location"]).content.decode()
        assert "0 of 2 certificates issued" in page and 'hx-trigger="every 1s"' in page
        with django_capture_on_commit_callbacks(execute=True):
            assert job_resume_stalled() == 1  # still down: flagged again, nothing lost
        batch.refresh_from_db()
        assert batch.status == "pending" and batch.requeue
    with django_capture_on_commit_callbacks(execute=True):
        assert job_resume_stalled() == 1  # the broker is back
    batch.refresh_from_db()
    assert batch.status == "finished" and not batch.requeue and batch.done == 2
    assert IssuedCredential.objects.count() == 2
    for person in people:
        person.refresh_from_db()
        assert batch.items.get(data__participant=person.pk).outcome == person.certificate.public_id
    with django_capture_on_commit_callbacks(execute=True):
        assert job_resume_stalled() == 0  # finished: left alone
    assert "2 of 2 certificates issued" in client.get(response["Location"]).content.decode()


def test_a_stalled_certificate_batch_is_swept(owner, finalised, activity, make_user,
                                              django_capture_on_commit_callbacks):
    """The worker took the tasks and died (nothing recorded): after 30 minutes without progress the periodic sweep
    queues the waiting items again; a batch that is moving is left alone; nobody gets two certificates."""
    first = _ready_person(owner, finalised, activity, make_user, 1)
    second = _ready_person(owner, finalised, activity, make_user, 2)
    with django_capture_on_commit_callbacks(execute=False):  # the tasks were taken and lost
        stalled = certificates.certificate_batch_start(actor=owner, project=finalised, participants=[first, second])
        moving = certificates.certificate_batch_start(actor=owner, project=finalised, participants=[second])
    certificates.certificate_issue(actor=owner, participant=first,  # the lost worker had issued one, recorded
                                   on_record=lambda credential: DocumentJobItem.objects.filter(
                                       job=stalled, index=0).update(status="done", outcome=credential.public_id))
    DocumentJob.objects.filter(pk=stalled.pk).update(status="running",
                                                     updated_at=timezone.now() - datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert job_resume_stalled() == 1
    stalled.refresh_from_db()
    moving.refresh_from_db()
    assert stalled.status == "finished" and (stalled.done, stalled.failed) == (2, 0)
    assert moving.status == "pending" and moving.done == 0
    assert IssuedCredential.objects.count() == 2
    assert set(DocumentJobItem.objects.filter(job=stalled).values_list("attempts", flat=True)) == {0, 1}
    progress = certificates.certificate_batch_progress(actor=owner, project=finalised, public_id=stalled.public_id)
    assert (progress["status"], progress["done"], progress["percent"]) == ("finished", 2, 100)


def test_another_projects_batch_is_not_found(owner, finalised, organisation, activity, make_user,
                                             django_capture_on_commit_callbacks):
    _ready_person(owner, finalised, activity, make_user, 1)
    with django_capture_on_commit_callbacks(execute=True):
        batch = certificates.certificate_batch_start(actor=owner, project=finalised)
    other = services.project_create(actor=owner, organisation=organisation,
                                    grant_number="2022-1-LV01-KA153-YOU-000000002", programme="erasmus_youth",
                                    project_type="youth_workers_mobility")
    with pytest.raises(NotFound):
        certificates.certificate_batch_progress(actor=owner, project=other, public_id=batch.public_id)


# --- issue 11 point 2: no accidental re-issue ----------------------------------------------------------------------

def test_everyone_ready_skips_current_holders_and_says_how_many(owner, finalised, activity, make_user, client,
                                                                 django_capture_on_commit_callbacks):
    holder, newcomer = (_ready_person(owner, finalised, activity, make_user, n) for n in range(2))
    first = certificates.certificate_issue(actor=owner, participant=holder)
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("youthpass:batch_start", args=[finalised.public_id]), follow=True)
    assert "1 person already holds a current certificate and was skipped." in response.content.decode()
    batch = DocumentJob.objects.get()
    assert batch.total == 1 and batch.status == "finished"
    holder.refresh_from_db()
    newcomer.refresh_from_db()
    assert holder.certificate == first and newcomer.certificate is not None
    first.refresh_from_db()
    assert first.status == "valid"  # not superseded
    with pytest.raises(ApplicationError) as info:  # everyone holds one now: nothing to do, and it says so
        certificates.certificate_batch_start(actor=owner, project=finalised)
    assert info.value.code == "empty" and "2 people" in str(info.value.message)


def test_an_explicit_selection_skips_holders_unless_reissue_is_asked(owner, finalised, activity, make_user,
                                                                      django_capture_on_commit_callbacks):
    holder, newcomer = (_ready_person(owner, finalised, activity, make_user, n) for n in range(2))
    first = certificates.certificate_issue(actor=owner, participant=holder)
    with django_capture_on_commit_callbacks(execute=True):
        batch = certificates.certificate_batch_start(actor=owner, project=finalised, participants=[holder, newcomer])
    assert batch.skipped == 1 and batch.total == 1
    holder.refresh_from_db()
    assert holder.certificate == first
    with django_capture_on_commit_callbacks(execute=True):
        batch = certificates.certificate_batch_start(actor=owner, project=finalised, participants=[holder],
                                                     reissue=True)
    assert batch.skipped == 0 and batch.total == 1
    holder.refresh_from_db()
    first.refresh_from_db()
    assert holder.certificate != first and holder.certificate.supersedes == first and first.status == "superseded"


def test_api_batch_reports_skipped_and_issue_needs_replace(owner, finalised, activity, make_user, client,
                                                          django_capture_on_commit_callbacks):
    from agnitio.apikeys.services import api_token_create

    token = api_token_create(actor=owner, name="test")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    holder, newcomer = (_ready_person(owner, finalised, activity, make_user, n) for n in range(2))
    base = f"/api/v1/youthpass/projects/{finalised.public_id}"
    first = client.post(f"{base}/participants/{holder.public_id}/certificate", content_type="application/json",
                        **headers)
    assert first.status_code == 201  # a first issue needs no body
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"{base}/certificates/batches", {}, content_type="application/json", **headers)
    assert started.status_code == 201 and started.json()["skipped"] == 1 and started.json()["total"] == 1
    again = client.post(f"{base}/participants/{holder.public_id}/certificate", {}, content_type="application/json",
                        **headers)
    assert again.status_code == 400 and again.json()["code"] == "already_issued"
    replaced = client.post(f"{base}/participants/{holder.public_id}/certificate",
                           {"replace": first.json()["public_id"]}, content_type="application/json", **headers)
    assert replaced.status_code == 201 and replaced.json()["supersedes"] == first.json()["number"]


def test_single_reissue_needs_a_confirmation_naming_the_current_certificate(owner, finalised, activity, make_user,
                                                                           client):
    holder = _ready_person(owner, finalised, activity, make_user, 1)
    first = certificates.certificate_issue(actor=owner, participant=holder)
    with pytest.raises(ApplicationError) as info:  # service: refused without the confirmation
        certificates.certificate_issue(actor=owner, participant=holder)
    assert info.value.code == "already_issued"
    url = reverse("youthpass:certificate_issue", args=[finalised.public_id, holder.public_id])
    client.force_login(owner)
    page = client.post(url)  # the detail page's button: asks first, issues nothing
    body = page.content.decode()
    assert page.status_code == 200 and first.number in body and first.code in body and "1 June 2026" in body
    assert f'name="replace" value="{first.public_id}"' in body
    assert IssuedCredential.objects.count() == 1
    second = certificates.certificate_issue(actor=owner, participant=holder, replace=first.public_id)
    response = client.post(url, {"replace": first.public_id}, follow=True)  # a stale confirmation: refused
    assert "already holds the current certificate" in response.content.decode()
    assert IssuedCredential.objects.count() == 2
    response = client.post(url, {"replace": second.public_id}, follow=True)
    assert response.status_code == 200 and IssuedCredential.objects.count() == 3
    second.refresh_from_db()
    holder.refresh_from_db()
    assert second.status == "superseded" and holder.certificate.supersedes == second


def test_revoking_is_confirmed_with_a_required_reason(owner, finalised, activity, make_user, client):
    from agnitio.core.models import AuditEvent
    from agnitio.credentials.services import credential_revoke

    holder = _ready_person(owner, finalised, activity, make_user, 1)
    credential = certificates.certificate_issue(actor=owner, participant=holder)
    for bad in ("  ", "x" * 1001, "Kļūda\x07"):  # required, bounded, no control characters
        with pytest.raises(ApplicationError) as info:
            credential_revoke(actor=owner, credential=credential, reason=bad)
        assert info.value.code == "reason"
    url = reverse("credentials:issued_revoke", args=[credential.public_id])
    client.force_login(owner)
    page = client.get(url)
    assert page.status_code == 200 and credential.number in page.content.decode() and 'name="reason"' in \
        page.content.decode()
    for bad in ({}, {"reason": ""}, {"reason": "x" * 1001}, {"reason": "Kļūda\x07"}):
        assert client.post(url, bad).status_code == 400
        credential.refresh_from_db()
        assert credential.status == "valid"
    response = client.post(url, {"reason": "Nepareizs vārds"})
    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.status == "revoked" and credential.revocation_reason == "Nepareizs vārds"
    assert AuditEvent.objects.filter(verb="credential_revoke").exists()
    holder.refresh_from_db()  # a revoked certificate is not current: issuing again needs no confirmation
    assert certificates.certificate_issue(actor=owner, participant=holder).supersedes is None
