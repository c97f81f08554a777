"""Point 13 (data protection): a person downloads all their data and can ask for erasure; erasure keeps issued
documents verifiable without showing personal data on the public lookup."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agnitio.accounts.models import User
from agnitio.accounts.privacy import account_erase, personal_data_export
from agnitio.core.errors import ApplicationError
from agnitio.core.models import AuditEvent
from agnitio.core.tokens import token_hash
from agnitio.credentials.models import ShareLink
from agnitio.notifications.models import OutboxEmail
from agnitio.youthpass import services as yp
from agnitio.youthpass.models import LearningOutcome, Participant

PASSWORD = "correct-horse-battery"


@pytest.fixture
def learner(make_user):
    return make_user("anna@example.org", language="lv", full_name="Anna Bērziņa")


@pytest.fixture
def participation(owner, organisation, learner):
    project = yp.project_create(
        actor=owner, organisation=organisation, grant_number="2022-1-LV01-KA153-YOU-000000001",
        programme="erasmus_youth", project_type="youth_workers_mobility",
        start_date=datetime.date(2026, 5, 1), end_date=datetime.date(2026, 5, 31))
    participant = yp.participant_create(actor=owner, project=project, first_name="Anna", last_name="Bērziņa",
                                        email="anna@example.org", country="LV", language="lv")
    Participant.objects.filter(pk=participant.pk).update(user=learner, date_of_birth=datetime.date(2005, 4, 1),
                                                         place_of_birth="Cēsis")
    LearningOutcome.objects.create(organisation=organisation, participant=participant, framework_id="key2018",
                                   competence_id="citizenship", language="lv", text="Es organizēju talku.")
    participant.refresh_from_db()
    return participant


@pytest.fixture
def certificate(owner, organisation, participation):
    from agnitio.credentials.services import credential_issue
    from agnitio.documents.sample import youthpass_sample

    credential = credential_issue(
        actor=owner, organisation=organisation, kind="youthpass", holder_name="Anna Bērziņa",
        holder_email="anna@example.org", achievement={"name": "Youthpass — Bridges"}, languages=["lv", "en"],
        issued_on=datetime.date(2026, 11, 20), place="Rīga", pdf_data=youthpass_sample(images=False))
    Participant.objects.filter(pk=participation.pk).update(certificate=credential)
    return credential


def _zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def test_download_my_data_from_my_account(client, learner, participation, certificate, make_user):
    OutboxEmail.objects.create(to="anna@example.org", subject="Welcome", body_text="Sveika, Anna!", language="lv",
                               template="t", user=learner)
    client.force_login(learner)
    page = client.get(reverse("accounts:detail")).content.decode()
    assert reverse("accounts:data_export") in page and reverse("accounts:erase") in page
    assert client.get(reverse("accounts:data_export")).status_code == 405  # a POST, so no prefetch triggers it
    response = client.post(reverse("accounts:data_export"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response.streaming and "my-agnitio-data.zip" in response["Content-Disposition"]
    archive = _zip(b"".join(response.streaming_content))
    data = json.loads(archive.read("personal-data.json"))
    assert data["account"]["email"] == "anna@example.org" and data["account"]["full_name"] == "Anna Bērziņa"
    [p] = data["participations"]
    assert p["date_of_birth"] == "2005-04-01" and p["place_of_birth"] == "Cēsis"
    assert p["self_assessment"][0]["text"] == "Es organizēju talku."
    assert p["certificate"] == certificate.number
    [doc] = data["documents"]
    assert doc["number"] == certificate.number
    pdf = archive.read(doc["pdf"])
    assert pdf == certificate.pdf.open("rb").read() and pdf.startswith(b"%PDF-")
    assert json.loads(archive.read(doc["credential"]))["id"] == certificate.credential_uid
    assert data["emails_sent_to_you"][0]["text"] == "Sveika, Anna!"
    assert any(e["object_type"] == "youthpass.Participant" for e in data["audit_entries"])
    assert AuditEvent.objects.filter(verb="personal_data_export", actor=learner).exists()


def test_export_finds_the_person_whatever_the_case_of_the_addresses(owner, organisation, make_user):
    """A participation and a document addressed with capitals, an e-mail sent to such an address: a person whose
    confirmed address has other capitals gets them all (agnitio.core.emails)."""
    from agnitio.credentials.services import credential_issue

    project = yp.project_create(
        actor=owner, organisation=organisation, grant_number="2022-1-LV01-KA153-YOU-000000002",
        programme="erasmus_youth", project_type="youth_workers_mobility",
        start_date=datetime.date(2026, 5, 1), end_date=datetime.date(2026, 5, 31))
    participant = yp.participant_create(actor=owner, project=project, first_name="Līga", last_name="Kalniņa",
                                        email="Liga.Kalnina@Example.lv", country="LV", language="lv")
    assert participant.email == "liga.kalnina@example.lv"
    document = credential_issue(
        actor=owner, organisation=organisation, kind="youthpass", holder_name="Līga Kalniņa",
        holder_email="LIGA.KALNINA@example.lv", achievement={"name": "Youthpass — Bridges"}, languages=["lv"],
        issued_on=datetime.date(2026, 11, 20), place="Rīga")
    OutboxEmail.objects.create(to="Liga.Kalnina@EXAMPLE.lv", subject="Sveika", body_text="Sveika, Līga!",
                               language="lv", template="t")
    liga = make_user("liga.KALNINA@example.LV")
    data = json.loads(_zip(personal_data_export(actor=liga)).read("personal-data.json"))
    assert [p["project"] for p in data["participations"]] and [d["number"] for d in data["documents"]] == [
        document.number]
    assert [e["text"] for e in data["emails_sent_to_you"]] == ["Sveika, Līga!"]


def test_export_holds_nothing_of_other_people(client, learner, participation, owner, organisation, make_user):
    other = make_user("other@example.org")
    yp.participant_create(actor=owner, project=participation.project, first_name="Other", last_name="Person",
                          email="other@example.org", country="LV", language="lv")
    data = json.loads(_zip(personal_data_export(actor=learner)).read("personal-data.json"))
    assert "Other" not in json.dumps(data) and "other@example.org" not in json.dumps(data)
    data = json.loads(_zip(personal_data_export(actor=other)).read("personal-data.json"))
    assert "Bērziņa" not in json.dumps(data, ensure_ascii=False)


def test_export_is_throttled_per_person(client, learner, make_user):
    """Each archive reads every document the person holds: five an hour, then the styled 429 page."""
    client.force_login(learner)
    for _ in range(5):
        response = client.post(reverse("accounts:data_export"))
        assert response.status_code == 200
        b"".join(response.streaming_content)
    refused = client.post(reverse("accounts:data_export"))
    assert refused.status_code == 429 and b"<main" in refused.content
    assert AuditEvent.objects.filter(verb="personal_data_export", actor=learner).count() == 5
    other = make_user("other@example.org")  # per person, not per address
    client.force_login(other)
    assert client.post(reverse("accounts:data_export")).status_code == 200


def test_large_export_spills_to_disk_and_streams(monkeypatch, learner, participation, certificate):
    """Beyond the in-memory budget the archive moves to a temporary file; PDFs are copied in chunks."""
    from agnitio.accounts import privacy

    monkeypatch.setattr(privacy, "EXPORT_IN_MEMORY_BYTES", 1024)
    with privacy.personal_data_export_file(actor=learner) as archive:
        assert archive._rolled and archive.tell() == 0  # on disk, rewound for the response
        zipped = zipfile.ZipFile(archive)
        [doc] = json.loads(zipped.read("personal-data.json"))["documents"]
        assert zipped.read(doc["pdf"]) == certificate.pdf.open("rb").read()


def test_export_needs_sign_in(client):
    response = client.post(reverse("accounts:data_export"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_erasure_keeps_documents_verifiable_without_personal_data(client, learner, participation, certificate):
    pdf = certificate.pdf.open("rb").read()
    vc = certificate.credential
    ShareLink.objects.create(credential=certificate, created_by=learner, token_hash=token_hash("t" * 40),
                             expires_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC))
    client.force_login(learner)
    assert client.get(reverse("accounts:erase")).status_code == 200
    response = client.post(reverse("accounts:erase"), {"password": PASSWORD, "confirm": "on"})
    # no recent sign-in in this session: allauth's reauthentication first, nothing erased yet
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    assert User.objects.filter(pk=learner.pk).exists()
    refused = client.post(response["Location"], {"password": "wrong-one"})
    assert refused.status_code == 200 and User.objects.filter(pk=learner.pk).exists()
    response = client.post(response["Location"], {"password": PASSWORD})  # allauth replays the suspended erase
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert not User.objects.filter(email="anna@example.org").exists()
    # signed out
    assert client.get(reverse("accounts:detail")).status_code == 302

    certificate.refresh_from_db()
    assert certificate.holder_name == "" and certificate.holder_email == "" and certificate.holder_erased_at
    assert not certificate.pdf and len(certificate.pdf_sha256) == 64
    assert "Bērziņa" not in json.dumps(certificate.credential, ensure_ascii=False)
    assert not ShareLink.objects.exists()

    # The public number lookup: still valid, no personal data.
    html = client.get(reverse("credentials:verify_code", args=[certificate.code])).content.decode()
    assert "Authentic" in html and "Bērziņa" not in html and "Anna" not in html
    assert "erased at their request" in html
    api = client.get(f"/api/v1/verify/{certificate.code}").json()
    assert api["verified"] and api["document"]["holder_name"] == "" and api["document"]["holder_erased"]
    # The person shows their PDF: it verifies (the name is on the PDF itself).
    html = client.post("/verify/", {"file": SimpleUploadedFile("d.pdf", pdf)}).content.decode()
    assert "Authentic" in html and "seal is intact" in html
    # ...or their signed credential: it verifies by its signature and status entry.
    html = client.post("/verify/", {"credential_json": json.dumps(vc)}).content.decode()
    assert "Authentic" in html

    participation.refresh_from_db()
    assert participation.first_name == "" and participation.last_name.startswith("erased-")
    assert participation.email == "" and participation.date_of_birth is None and participation.place_of_birth == ""
    assert participation.user is None and participation.country == "LV"
    assert not LearningOutcome.objects.filter(participant=participation).exists()
    # The audit log keeps a pseudonymised record and no longer names her.
    record = AuditEvent.objects.get(verb="account_erased")
    assert record.object_id == learner.public_id and record.object_repr == participation.last_name
    for event in AuditEvent.objects.all():
        assert "Bērziņa" not in json.dumps([event.object_repr, event.changes, event.actor_label], ensure_ascii=False)
        assert "anna@example.org" not in event.actor_label


def test_erasure_clears_outbox_contents(learner, participation):
    OutboxEmail.objects.create(to="anna@example.org", subject="Your certificate", body_text="Sveika, Anna!",
                               language="lv", template="t", status="sent")
    account_erase(actor=learner)
    message = OutboxEmail.objects.get()
    assert message.to == "" and message.body_text == "" and message.subject == "" and message.status == "sent"


def test_erasure_removes_the_person_from_invitations(owner, organisation, learner, participation):
    """Invitations name the person (and their supervisor): the rows and their audit entries lose the names and
    addresses, an open link stops working; invitations about other people stay as they are."""
    from agnitio.invitations.models import Invitation
    from agnitio.invitations.services import invitation_send

    yp.participant_invite(actor=owner, participants=[participation])
    yp.supervisor_invite(actor=owner, participant=participation, full_name="Ilze Mentore", email="ilze@example.org")
    member, _token = invitation_send(actor=owner, kind="organisation_member", organisation=organisation,
                                     target=organisation, email="Anna@Example.org", full_name="Anna",
                                     language="lv", payload={"role": "editor"})
    other, _token = invitation_send(actor=owner, kind="organisation_member", organisation=organisation,
                                    target=organisation, email="juris@example.org", full_name="Juris",
                                    language="lv", payload={"role": "editor"})
    account_erase(actor=learner)
    erased = Invitation.objects.exclude(pk=other.pk)
    assert erased.count() == 3 and member in erased
    assert all(i.mailed_to == "" and i.full_name == "" and i.status == "revoked" for i in erased)
    events = AuditEvent.objects.filter(object_type="invitations.Invitation",
                                       object_id__in=[i.public_id for i in erased])
    assert events.exists()
    for event in events:
        assert "anna" not in f"{event.object_repr}{event.changes}".lower()
        assert "ilze" not in f"{event.object_repr}{event.changes}".lower()
    other.refresh_from_db()
    assert other.mailed_to == "juris@example.org" and other.status == "pending" and other.full_name == "Juris"


def test_last_owner_cannot_erase_until_someone_else_owns(client, owner, organisation, make_user):
    from agnitio.organisations.models import Membership

    client.force_login(owner)
    html = client.get(reverse("accounts:erase")).content.decode()
    assert "only owner" in html
    with pytest.raises(ApplicationError):
        account_erase(actor=owner)
    assert User.objects.filter(pk=owner.pk).exists()
    second = make_user("second@tilts.example")
    Membership.objects.create(organisation=organisation, user=second, role="owner")
    account_erase(actor=owner)
    assert not User.objects.filter(pk=owner.pk).exists()
    assert Membership.objects.filter(organisation=organisation, role="owner").count() == 1


def test_other_sessions_of_an_erased_person_are_signed_out(learner, participation):
    from django.test import Client

    elsewhere = Client()
    elsewhere.force_login(learner)
    assert elsewhere.get(reverse("accounts:detail")).status_code == 200
    account_erase(actor=learner)
    response = elsewhere.get(reverse("accounts:detail"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_an_unconfirmed_address_reaches_no_one_elses_mail_and_others_audit_changes_stay(learner, owner, organisation):
    """Anyone can add an address without confirming it: the export and the erasure ignore it. Audit entries the
    person made about other people's records keep their changes; the export lists them without those changes."""
    from allauth.account.models import EmailAddress

    from agnitio.core.services import audit_record

    EmailAddress.objects.create(user=learner, email="victim@example.org", verified=False)
    mail = OutboxEmail.objects.create(to="victim@example.org", subject="Invitation", body_text="secret-link-123",
                                      language="en", template="x")
    audit_record(actor=learner, action=AuditEvent.Action.UPDATE, target=organisation, organisation=organisation,
                 verb="organisation_update", changes={"phone": ["+371 1", "+371 2"]})
    data = json.loads(_zip(personal_data_export(actor=learner)).read("personal-data.json"))
    text = json.dumps(data, ensure_ascii=False)
    assert "secret-link-123" not in text and "+371 2" not in text
    assert [e["what"] for e in data["audit_entries_by_you"]] == ["organisation_update"]
    account_erase(actor=learner)
    mail.refresh_from_db()
    assert mail.body_text == "secret-link-123" and mail.to == "victim@example.org"
    event = AuditEvent.objects.get(verb="organisation_update")
    assert event.changes == {"phone": ["+371 1", "+371 2"]} and event.actor_label.startswith("erased-")


def test_registered_apps_export_and_erase_within_the_erasure(monkeypatch, learner, participation, certificate):
    """Apps reach the download and the erasure through agnitio.core.privacy_registry: an app's section and files
    are in the archive; its eraser runs in the erasure's transaction, so when it fails nothing is erased."""
    from agnitio.core import privacy_registry

    handlers = dict(privacy_registry._HANDLERS)
    assert {"europass", "microcredentials"} <= set(handlers)  # registered by their AppConfig.ready
    monkeypatch.setattr(privacy_registry, "_HANDLERS", handlers)

    def export(user):
        return "probe", {"email": user.email}, [("probe/note.txt", b"hello"), ("probe/data.json", {"a": 1})]

    def erase(user, pseudonym, now):
        raise RuntimeError("the app failed")

    privacy_registry.privacy_handler_register(name="probe", export=export, erase=erase)
    archive = _zip(personal_data_export(actor=learner))
    assert json.loads(archive.read("personal-data.json"))["probe"] == {"email": "anna@example.org"}
    assert archive.read("probe/note.txt") == b"hello" and json.loads(archive.read("probe/data.json")) == {"a": 1}
    with pytest.raises(RuntimeError):
        account_erase(actor=learner)
    assert User.objects.filter(pk=learner.pk).exists()
    participation.refresh_from_db()
    certificate.refresh_from_db()
    assert participation.last_name == "Bērziņa" and certificate.holder_name == "Anna Bērziņa" and certificate.pdf
