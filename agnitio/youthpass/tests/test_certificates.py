import datetime

import pytest

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.credentials.models import IssuedCredential
from agnitio.organisations.models import Signatory
from agnitio.youthpass import certificates, services


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
    assert data["holder"]["name"] == "Anna Bērziņa" and data["place"] == "Cēsis"
    headings = [o["competence"]["en"] for o in data["outcomes"]]
    assert headings == ["Multilingual competence", "Other competences", "Assessment by the supervisor: Ilze Mentore"]
    assert data["outcomes"][0]["text"] == {"lv": "Iemācījos runāt angliski par sarežģītām tēmām.",
                                           "en": "I learned to speak English about difficult topics."}
    assert data["outcomes"][0]["competence"]["lv"] == "Daudzvalodu kompetence"
    names = [(s["name"], s.get("part3", False)) for s in data["signatories"]]
    assert names == [("Līga Vadītāja", False), ("Jānis Projekts", False), ("Jānis Mērs", False),
                     ("Ilze Mentore", True)]


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
    second = certificates.certificate_issue(actor=owner, participant=ready)
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


def zip_names(data):
    import io
    import zipfile

    return zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_not_ready_participant_is_refused(owner, participant, signatories):
    with pytest.raises(ApplicationError) as info:
        certificates.certificate_issue(actor=owner, participant=participant)
    assert info.value.code == "not_ready"
    assert not IssuedCredential.objects.exists()
    issued, skipped = certificates.certificate_issue_many(actor=owner, participants=[participant])
    assert issued == [] and skipped[0][0] == "Anna Bērziņa"


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
