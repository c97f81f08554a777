import datetime

import pytest

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.credentials.models import IssuedCredential
from agnitio.documents.services import job_item_process
from agnitio.organisations.models import Signatory
from agnitio.youthpass import services
from agnitio.youthpass.services import certificates


@pytest.fixture
def signatories(organisation):
    legal = Signatory.objects.create(organisation=organisation, full_name="Līga Vadītāja",
                                     position="Valdes priekšsēdētāja",
                                     pages=["legal_representative", "project_responsible"])
    responsible = Signatory.objects.create(organisation=organisation, full_name="Jānis Projekts",
                                           position="Projekta vadītājs", pages=["project_responsible"])
    return legal, responsible


@pytest.fixture
def ready(owner, project, accepted, learner, signatories):
    services.outcomes_save(actor=learner, participant=accepted, submit=True, texts={
        ("key_competences_2018", "multilingual", "lv"): "Iemācījos runāt angliski par sarežģītām tēmām.",
        ("key_competences_2018", "multilingual", "en"): "I learned to speak English about difficult topics.",
        ("other", "", "lv"): "Ēdiena gatavošana 30 cilvēkiem."})
    services.project_finalise(actor=owner, project=project, signing_place="Cēsis",
                              signing_date=datetime.date(2026, 6, 1), certificate_language="lv+en",
                              signatory_page1=signatories[0], signatory_part2=signatories[1],
                              extra_signatory_name="Jānis Mērs", extra_signatory_position="Cēsu novada mērs")
    services.supervisor_assessment_update(actor=owner, participant=accepted, data={
        "supervisor_name": "Ilze Mentore", "supervisor_assessment": "Ļoti patstāvīga.",
        "dialogue_partner_name": "Ilze Mentore", "dialogue_partner_position": "Mentore"})
    accepted.refresh_from_db()
    return accepted


def test_data_follow_the_contract_and_the_single_activity_rule(ready, activity):
    data = certificates.certificate_data(participant=ready, languages=["lv", "en"])
    assert data["project"]["title"] == activity.title  # one activity: its title replaces the project's
    assert data["holder"]["name"] == "Anna Bērziņa"
    assert data["place"] == {"lv": "Cēsis, Latvija", "en": "Cēsis, Latvia"}  # the organisation's country added
    headings = [o["competence"]["en"] for o in data["outcomes"]]
    assert headings == ["Multilingual competence", "Other competences", "Assessment by the supervisor: Ilze Mentore"]
    assert data["outcomes"][0]["text"] == {"lv": "Iemācījos runāt angliski par sarežģītām tēmām.",
                                           "en": "I learned to speak English about difficult topics."}
    assert data["outcomes"][0]["competence"]["lv"] == "Daudzvalodu kompetence"
    names = [(s["part"], s["name"], s["role"]) for s in data["signatories"]]
    assert names == [(1, "Līga Vadītāja", "legal_representative"), (1, "Jānis Mērs", "extra_signatory"),
                     (2, "Jānis Projekts", "project_responsible"), (3, "Ilze Mentore", "learning_supporter")]


def test_english_only_certificate_shows_latvian_text_when_nothing_in_english(ready):
    data = certificates.certificate_data(participant=ready, languages=["en"])
    other = next(o for o in data["outcomes"] if o["competence"]["en"] == "Other competences")
    assert other["text"] == "Ēdiena gatavošana 30 cilvēkiem."


def test_preview_is_a_pdf_and_stores_nothing(owner, ready):
    pdf = certificates.certificate_preview(actor=owner, participant=ready)
    assert pdf.startswith(b"%PDF")
    assert not IssuedCredential.objects.exists()


def test_issue_then_reissue_supersedes(owner, ready, client):
    first = certificates.certificate_issue(actor=owner, participant=ready)
    ready.refresh_from_db()
    assert ready.status == "certificate_issued" and ready.certificate == first
    assert first.pdf and first.holder_email == "anna@example.org" and first.kind == "youthpass"
    assert first.languages == ["lv", "en"]
    second = certificates.certificate_issue(actor=owner, participant=ready, replace=first.public_id)
    first.refresh_from_db()
    assert first.status == "superseded" and second.supersedes == first and second.number != first.number
    ready.refresh_from_db()
    assert certificates.certificate_history(participant=ready) == [second, first]
    old_page = client.get(f"/verify/{first.code}")
    assert old_page.status_code == 200 and b"superseded" in old_page.content.lower()
    assert client.get(f"/verify/{second.code}").status_code == 200
    assert second.code in old_page.content.decode()  # "replaced by <code>"
    assert zip_names(certificates.certificates_zip(actor=owner, project=ready.project)) == [
        f"{second.number}_Anna_Bērziņa.pdf"]


def test_the_certificate_is_checkable_by_digital_bazaar_and_the_standards(owner, ready, client):
    """Issued through the Youthpass service: Digital Bazaar's verifier accepts it with only what the app serves (the
    issuer's did:web document, the status list), the canonical N-Quads of the credential, its proof configuration,
    the status list and the EDC export are Digital Bazaar's byte for byte with every term defined, the EDC export
    conforms to the EDC shapes. Replaced by a re-issue, then the new one revoked: both verifiers refuse each by its
    status entry (`credentials.tests.interop`)."""
    from agnitio.credentials.tests.interop import issued_interop_check, revoked_interop_check, status_refused_check

    first = certificates.certificate_issue(actor=owner, participant=ready)
    issued_interop_check(first, client=client)
    second = certificates.certificate_issue(actor=owner, participant=ready, replace=first.public_id)
    first.refresh_from_db()
    status_refused_check(first, client=client, status="superseded")
    revoked_interop_check(second, client=client, actor=owner)


def zip_names(data):
    import io
    import zipfile

    return zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_not_ready_participant_is_refused(owner, participant, signatories):
    with pytest.raises(ApplicationError) as info:
        certificates.certificate_issue(actor=owner, participant=participant)
    assert info.value.code == "not_ready"
    assert not IssuedCredential.objects.exists()


def test_outsider_cannot_issue_or_preview(outsider, ready):
    with pytest.raises(NotFound):
        certificates.certificate_issue(actor=outsider, participant=ready)
    with pytest.raises(NotFound):
        certificates.certificate_preview(actor=outsider, participant=ready)
    ready.refresh_from_db()
    assert ready.status == "outcomes_submitted" and not IssuedCredential.objects.exists()


def test_finalisation_needs_signatories_of_the_organisation(owner, project, other_organisation, signatories):
    foreign = Signatory.objects.create(organisation=other_organisation, full_name="X", position="Y")
    with pytest.raises(ApplicationError):
        services.project_finalise(actor=owner, project=project, signing_place="Rīga",
                                  signing_date=datetime.date(2026, 6, 1), certificate_language="lv",
                                  signatory_page1=foreign, signatory_part2=signatories[1])
    with pytest.raises(ApplicationError):  # may sign part 2 only
        services.project_finalise(actor=owner, project=project, signing_place="Rīga",
                                  signing_date=datetime.date(2026, 6, 1), certificate_language="lv",
                                  signatory_page1=signatories[1], signatory_part2=signatories[1])
    project.refresh_from_db()
    assert project.finalised_at is None and project.signatory_page1 is None


def test_the_participant_finds_the_certificate_in_their_wallet(owner, ready, learner, make_user):
    from agnitio.credentials.selectors import wallet_credential_list

    credential = certificates.certificate_issue(actor=owner, participant=ready)
    assert list(wallet_credential_list(actor=learner)) == [credential]
    assert not wallet_credential_list(actor=make_user("someone@example.org")).exists()


# --- issuing in parallel (issue 9, point 8): no transaction while the PDF is made, no double certificate ----------

def _pause_rendering(monkeypatch, thread_name: str):
    """Make the thread called `thread_name` stop in the middle of making its PDF until `release` is set."""
    import threading

    from agnitio.credentials import services as credential_services

    rendering, release = threading.Event(), threading.Event()
    real_render = credential_services._render_pdf

    def render(**kwargs):
        from django.db import transaction

        assert not transaction.get_connection().in_atomic_block, "a transaction is open while the PDF is made"
        if threading.current_thread().name == thread_name:
            rendering.set()
            assert release.wait(timeout=120)
        return real_render(**kwargs)

    monkeypatch.setattr(credential_services, "_render_pdf", render)
    return rendering, release


def _in_thread(name: str, fn) -> tuple:
    import threading

    from django.db import connection

    result: dict = {}

    def run():
        try:
            result["value"] = fn()
        except Exception as exc:  # noqa: BLE001 - the test looks at it
            result["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread, result


def _pdf_files() -> set[str]:
    from agnitio.credentials.tests.test_parallel_issuing import stored_pdfs

    return stored_pdfs()


@pytest.mark.django_db(transaction=True)
def test_two_people_issuing_the_same_certificate_at_once_make_one(owner, ready, monkeypatch):
    """A second issue that started before the first was recorded is refused when it records; its PDF is removed."""
    rendering, release = _pause_rendering(monkeypatch, "slow")
    files_before = _pdf_files()
    thread, result = _in_thread("slow", lambda: certificates.certificate_issue(actor=owner, participant=ready))
    try:
        assert rendering.wait(timeout=120)
        fast = certificates.certificate_issue(actor=owner, participant=ready)  # not blocked by the slow one
    finally:
        release.set()
        thread.join(timeout=120)
    assert isinstance(result.get("error"), ApplicationError) and result["error"].code == "conflict", result
    ready.refresh_from_db()
    assert ready.certificate == fast and ready.status == "certificate_issued"
    assert list(IssuedCredential.objects.all()) == [fast]
    assert _pdf_files() - files_before == {fast.pdf.name}


def _batch_item(owner, participant):
    """A certificate batch of one whose task was not run (each test runs the item itself), and its item."""
    from unittest import mock

    from agnitio.documents import tasks
    from agnitio.documents.models import DocumentJobItem

    with mock.patch.object(tasks.job_process_chunk, "delay") as delay:
        job = certificates.certificate_batch_start(actor=owner, project=participant.project,
                                                   participants=[participant])
    assert delay.call_count <= 1  # queued on commit (a transactional test) or not yet (a test inside a transaction)
    return DocumentJobItem.objects.get(job=job)
    return DocumentJobItem.objects.get(job=job)


@pytest.mark.django_db(transaction=True)
def test_a_batch_item_processed_twice_at_once_issues_once(owner, ready, monkeypatch):
    """A re-delivered task running beside the first one: one certificate, the item done, no stray file."""
    item = _batch_item(owner, ready)
    rendering, release = _pause_rendering(monkeypatch, "first delivery")
    files_before = _pdf_files()
    thread, result = _in_thread("first delivery",
                                lambda: job_item_process(item_id=item.pk))
    try:
        assert rendering.wait(timeout=120)
        assert job_item_process(item_id=item.pk) == "done"
    finally:
        release.set()
        thread.join(timeout=120)
    assert result == {"value": "done"}
    item.refresh_from_db()
    credential = IssuedCredential.objects.get()
    assert item.status == "done" and item.outcome == credential.public_id and item.error == ""
    ready.refresh_from_db()
    assert ready.certificate == credential
    assert _pdf_files() - files_before == {credential.pdf.name}


def test_a_batch_item_that_fails_after_allocation_leaves_nothing(owner, ready, monkeypatch):
    from agnitio.credentials import services as credential_services
    item = _batch_item(owner, ready)
    files_before = _pdf_files()

    def broken(**kwargs):
        raise RuntimeError("typst crashed")

    monkeypatch.setattr(credential_services, "_render_pdf", broken)
    assert job_item_process(item_id=item.pk) == "failed"
    item.refresh_from_db()
    ready.refresh_from_db()
    assert item.error.endswith("RuntimeError") and item.outcome == ""
    assert ready.certificate is None and ready.status == "outcomes_submitted"
    assert not IssuedCredential.objects.exists() and _pdf_files() == files_before


def test_the_certificate_carries_the_variants_chosen_for_the_signature_and_the_stamp(owner, organisation, ready,
                                                                                     signatories):
    """Issue 12, point 10: whatever the document places is the variant chosen after cropping (black ink for the
    signature, blue ink for the stamp here)."""
    from agnitio.organisations import images
    from agnitio.organisations import services as org
    from agnitio.organisations.tests.conftest import STROKE, assert_variant, image_bytes, upload

    stored = {}
    for kind, variant, signatory in (("signature", "black", signatories[0]), ("stamp", "blue", None)):
        checked = images.process_upload(upload(data=image_bytes(400, 200, color=STROKE)), purpose="signature")
        image = org.signature_upload(actor=owner, organisation=organisation, kind=kind, label=kind, checked=checked,
                                     signatory=signatory)
        org.signature_crop(actor=owner, signature=image, box=(50, 40, 300, 100))
        stored[kind] = org.signature_activate(actor=owner, signature=image, variant=variant, is_default=True)
    data = certificates.certificate_data(participant=ready, languages=["lv", "en"])
    legal = next(s for s in data["signatories"] if s["role"] == "legal_representative")
    assert legal["signature"].name == stored["signature"].image_cropped.name
    assert data["stamp"].name == stored["stamp"].image_cropped.name
    assert_variant(legal["signature"], "black", stroke=(150, 28), paper=(5, 5))
    assert_variant(data["stamp"], "blue", stroke=(150, 28), paper=(5, 5))
