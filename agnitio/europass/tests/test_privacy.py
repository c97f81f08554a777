"""The personal-data download and the account erasure reach Europass Mobility through the privacy registry: the
documents naming the person (as participant, with every section and the photo; as host, the host section), their
access rows and host signatures; erasure pseudonymises the institution's documents, deletes the person's access,
host signatures and files (after commit), and an issued certificate still verifies (docs/retention.md)."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agnitio.accounts.privacy import account_erase, personal_data_export
from agnitio.core.models import AuditEvent
from agnitio.europass import services
from agnitio.europass.models import DocumentAccess, HostSignature, MobilityDocument
from agnitio.europass.services import signatures

from .test_access import _clock, _token_for
from .test_documents import fill
from .test_signatures import HOST, _png

pytestmark = pytest.mark.django_db

PARTICIPANT = "anna@skola.example"


@pytest.fixture
def participant(make_user):
    return make_user(PARTICIPANT, full_name="Anna Bērziņa")


@pytest.fixture
def documents(approved):
    return list(approved.documents.order_by("position"))


@pytest.fixture
def mine(sender, documents, participant):
    """Document 1 names Anna (with a photo and participant access she accepted); document 2 names someone else."""
    import datetime

    from agnitio.invitations.services import invitation_accept

    first, second = documents[0], documents[1]
    fill(sender, first)
    services.document_section_update(actor=sender, document=first, section="personal", data={
        "first_name": "Anna", "last_name": "Bērziņa", "email": PARTICIPANT, "nationality": "LV"})
    services.document_photo_set(actor=sender, document=first,
                                upload=SimpleUploadedFile("me.png", _png(), content_type="image/png"))
    services.document_section_update(actor=sender, document=second, section="personal", data={
        "first_name": "Pēteris", "last_name": "Ozols", "email": "peteris@skola.example"})
    with _clock(datetime.datetime(2026, 4, 1, 9, 0, tzinfo=datetime.UTC)):
        grant = services.access.participant_access_grant(actor=sender, documents=[first],
                                                         write_until=datetime.date(2026, 4, 10))[0]
    invitation_accept(user=participant, token=_token_for(grant))
    first.refresh_from_db()
    return first


@pytest.fixture
def host(make_user, sender, documents):
    """Both documents name the host's mentor address; the host accepted access to the second and uploaded a
    signature."""
    from agnitio.invitations.services import invitation_accept, invitation_send

    second = documents[1]
    user = make_user(HOST, full_name="Ana Silva")
    for document in documents:
        services.document_section_update(actor=sender, document=document, section="host", data={
            "host_name": "Escola", "host_type": "school", "host_country": "PT", "mentor_name": "Ana Silva",
            "mentor_position": "Teacher", "mentor_phone": "+351 212 345 678", "mentor_email": HOST})
    grant = services.access.host_access_send(actor=sender, document=second)
    _invitation, token = invitation_send(actor=sender, kind=services.access.HOST_KIND,
                                         organisation=second.institution.organisation, target=grant, email=HOST,
                                         full_name="Ana", language="en")
    invitation_accept(user=user, token=token)
    signatures.host_signature_upload(actor=user, kind="signature", label="Ana Silva",
                                     upload=SimpleUploadedFile("s.png", _png(), content_type="image/png"))
    return user


def _export(user) -> tuple[dict, zipfile.ZipFile]:
    archive = zipfile.ZipFile(io.BytesIO(personal_data_export(actor=user)))
    return json.loads(archive.read("personal-data.json"))["europass"], archive


def test_export_holds_the_participants_documents_with_sections_and_photo_and_nothing_of_others(mine, participant,
                                                                                                host):
    data, archive = _export(participant)
    [document] = data["documents"]
    assert document["role"] == "participant" and document["institution"]
    personal = document["sections"]["personal"]
    assert personal["first_name"] == "Anna" and personal["email"] == PARTICIPANT and personal["nationality"] == "LV"
    assert document["sections"]["outcomes"]["outcomes"][0]["text"] == "Prepares dishes"
    assert document["sections"]["activities"]["activities_tasks"] == "Work in the kitchen"
    with mine.photo.open("rb") as photo:
        assert archive.read(personal["photo"]) == photo.read()
    assert [a["role"] for a in data["document_access"]] == ["participant"]
    text = json.dumps(data, ensure_ascii=False)
    assert "Ozols" not in text and "peteris@" not in text and data["host_signatures"] == []


def test_export_for_the_host_holds_the_host_section_and_signatures_not_the_participant(mine, host):
    data, archive = _export(host)
    [document] = data["documents"]
    assert document["role"] == "host" and list(document["sections"]) == ["host"]
    assert document["sections"]["host"]["mentor_email"] == HOST
    text = json.dumps(data, ensure_ascii=False)
    assert "Ozols" not in text and "Bērziņa" not in text and "Anna" not in text
    [signature] = data["host_signatures"]
    stored = HostSignature.objects.get(user=host)
    with stored.original.open("rb") as original:
        assert archive.read(signature["original"]) == original.read()


def test_erasure_pseudonymises_the_document_and_deletes_access_and_files_after_commit(
        mine, participant, documents, django_capture_on_commit_callbacks):
    photo_storage, photo_name = mine.photo.storage, mine.photo.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pseudonym = account_erase(actor=participant)
    assert photo_storage.exists(photo_name)  # a rollback would still find its file
    for callback in callbacks:
        callback()
    assert not photo_storage.exists(photo_name)
    mine.refresh_from_db()
    assert (mine.first_name, mine.last_name, mine.email, mine.date_of_birth, mine.address) == (
        "", pseudonym, "", None, "")
    assert not mine.photo and mine.activities_tasks == "Work in the kitchen"  # the institution's record stays
    assert not DocumentAccess.objects.filter(document=mine).exists()
    other = MobilityDocument.objects.get(pk=documents[1].pk)
    assert other.last_name == "Ozols" and other.email == "peteris@skola.example"
    for event in AuditEvent.objects.filter(object_id=mine.public_id):
        assert "Bērziņa" not in json.dumps([event.object_repr, event.changes], ensure_ascii=False)
    assert AuditEvent.objects.filter(verb="europass_participant_erased", object_id=mine.public_id).exists()


def test_erasure_of_the_host_deletes_its_access_and_signatures(mine, host, documents,
                                                               django_capture_on_commit_callbacks):
    stored = HostSignature.objects.get(user=host)
    files = [(stored.original.storage, stored.original.name)]
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(actor=host)
    assert not HostSignature.objects.exists()
    assert all(not storage.exists(name) for storage, name in files)
    assert not DocumentAccess.objects.filter(role="host").exists()
    assert DocumentAccess.objects.filter(role="participant").count() == 1  # Anna's access stays
    mine.refresh_from_db()
    assert mine.first_name == "Anna"


def test_an_issued_certificate_still_verifies_after_erasure(mine, participant, sender):
    from agnitio.credentials.verification import credential_verify_code

    certificate = services.certificate_create_from_agreement(actor=sender, agreement=mine)
    fill(sender, certificate, skip=("signatures", "personal"))
    services.document_section_update(actor=sender, document=certificate, section="signatures",
                                     data={"signing_parties": ["sending"]})
    certificate.refresh_from_db()
    assert certificate.email == PARTICIPANT
    credential = services.document_certificate_issue(actor=sender, document=certificate)
    pseudonym = account_erase(actor=participant)
    credential.refresh_from_db()
    certificate.refresh_from_db()
    assert credential.holder_name == "" and credential.holder_email == "" and credential.holder_erased_at
    assert certificate.last_name == pseudonym and certificate.email == ""
    result = credential_verify_code(credential.code)
    assert result.verified and result.credential == credential


def test_an_individual_applicants_own_documents_are_exported_and_go_with_the_account(
        make_user, nec_staff, django_capture_on_commit_callbacks):
    from agnitio.europass.models import Application

    from .conftest import NOW, application_data

    person = make_user("person@example.org")
    application = services.application_create(
        actor=person, institution=None, now=NOW,
        data=application_data(procedure="C", programme="erasmus_plus", project_number="2026-1-LV01-KA122-ADU-01",
                              participants_count=1))
    services.application_approve(actor=nec_staff, application=application, now=NOW)
    [document] = MobilityDocument.objects.filter(application=application)
    services.document_photo_set(actor=person, document=document,
                                upload=SimpleUploadedFile("me.png", _png(), content_type="image/png"))
    document.refresh_from_db()
    data, archive = _export(person)
    [entry] = data["documents"]
    assert entry["number"] == document.number and entry["institution"] is None
    with document.photo.open("rb") as photo:
        assert archive.read(entry["sections"]["personal"]["photo"]) == photo.read()
    storage, name = document.photo.storage, document.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(actor=person)
    assert not Application.objects.filter(pk=application.pk).exists()
    assert not MobilityDocument.objects.filter(pk=document.pk).exists() and not storage.exists(name)
