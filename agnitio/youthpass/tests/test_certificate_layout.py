"""Issue 11 point 3: the certificate as the seed describes it (DOMAIN D1) — three parts, each with its signatures,
three pages for a typical certificate, no page holding only a notice, the online format printed, places in the
document language."""

import datetime
import re

import pytest

from agnitio.documents.seal import pdf_seal_verify
from agnitio.documents.tests.conftest import pdf_info, pdf_text
from agnitio.organisations.models import Signatory
from agnitio.youthpass import services
from agnitio.youthpass.models import Activity
from agnitio.youthpass.services import certificates

OUTCOMES = {
    ("key_competences_2018", "multilingual", "lv"):
        "Katru dienu runāju angliski ar dalībniekiem no piecām valstīm un iemācījos skaidrot savas domas arī tad, "
        "kad pietrūka vārdu. Tagad bez bailēm vadu sarunu tiešsaistē svešvalodā.",
    ("key_competences_2018", "multilingual", "en"):
        "Every day I spoke English with participants from five countries and learned to explain my thoughts even "
        "when I lacked the words. Now I lead an online conversation in a foreign language without fear.",
    ("key_competences_2018", "digital", "lv"):
        "Iemācījos plānot un vadīt tiešsaistes darbnīcu: sagatavoju interaktīvu tāfeli, sadalīju dalībniekus "
        "grupās un sekoju, lai visi tiek uzklausīti.",
    ("key_competences_2018", "digital", "en"):
        "I learned to plan and run an online workshop: I prepared an interactive board, split the participants "
        "into groups and made sure everyone was heard.",
    ("key_competences_2018", "personal_social_learning", "lv"):
        "Katru vakaru rakstīju mācīšanās dienasgrāmatu un kopā ar mentoru pārrunāju, ko esmu iemācījusies.",
    ("key_competences_2018", "personal_social_learning", "en"):
        "Every evening I kept a learning diary and discussed with my mentor what I had learned.",
    ("other", "", "lv"): "Kopā ar komandu sagatavoju noslēguma prezentāciju vietējai jauniešu padomei.",
    ("other", "", "en"): "Together with my team I prepared the closing presentation for the local youth council.",
}
NOTICE = "This document is sealed electronically by the issuing organisation."


@pytest.fixture
def people(organisation):
    legal = Signatory.objects.create(organisation=organisation, full_name="Līga Vadītāja",
                                     position="Valdes priekšsēdētāja", pages=["legal_representative"])
    responsible = Signatory.objects.create(organisation=organisation, full_name="Jānis Projekts",
                                           position="Projekta vadītājs", pages=["project_responsible"])
    return legal, responsible


def _ready(owner, project, accepted, learner, people, *, language: str, extra: bool = True):
    Activity.objects.filter(project=project).update(format=Activity.Format.ONLINE)
    services.outcomes_save(actor=learner, participant=accepted, submit=True, texts=OUTCOMES)
    services.project_finalise(actor=owner, project=project, signing_place="Valmiera",
                              signing_date=datetime.date(2026, 6, 1), certificate_language=language,
                              signatory_page1=people[0], signatory_part2=people[1],
                              extra_signatory_name="Andris Mērs" if extra else "",
                              extra_signatory_position="Valmieras novada domes priekšsēdētājs" if extra else "")
    services.supervisor_assessment_update(actor=owner, participant=accepted, data={
        "dialogue_partner_name": "Ilze Mentore", "dialogue_partner_position": "Mentore"})
    accepted.refresh_from_db()
    return accepted


def _issued_pdf(owner, participant) -> tuple:
    credential = certificates.certificate_issue(actor=owner, participant=participant)
    with credential.pdf.open("rb") as handle:
        return credential, handle.read()


def _pages(pdf: bytes) -> int:
    return int(re.search(r"Pages:\s+(\d+)", pdf_info(pdf)).group(1))


def _body(page_text: str, credential) -> str:
    """A page's text without the running header and footer."""
    lines = [line for line in page_text.splitlines() if line.strip()]
    footer = (credential.number, credential.code, "Check this document", "sealed electronically",
              "Youthpass certificate")
    return "\n".join(line for line in lines if not any(f in line for f in footer)
                     and line.strip() != "JT" and "Jaunatnes Tilts" not in line)


@pytest.mark.parametrize("language", ["en", "lv+en"])
def test_a_typical_sealed_certificate_has_three_pages_each_part_with_its_signatures(
        owner, project, accepted, learner, people, language):
    participant = _ready(owner, project, accepted, learner, people, language=language)
    credential, pdf = _issued_pdf(owner, participant)
    assert pdf_seal_verify(pdf_bytes=pdf).intact
    assert _pages(pdf) == 3
    part1, part2, part3 = (pdf_text(pdf, page=n) for n in (1, 2, 3))
    # part 1: the legal representative and the additional official signatory (who replaces the project's
    # responsible person there); the QR code's verification code under it
    assert "Anna Bērziņa" in part1 and credential.code in part1
    assert "Legal representative" in part1 and "Līga Vadītāja" in part1
    assert "Additional official signatory" in part1 and "Andris Mērs" in part1
    assert "Jānis Projekts" not in part1 and "Ilze Mentore" not in part1
    # part 2: its own signature, the person responsible for the project
    assert "Part 2: Description of the project and activities" in part2
    assert "Person responsible for the project" in part2 and "Jānis Projekts" in part2
    assert "Līga Vadītāja" not in part2 and "Ilze Mentore" not in part2
    # part 3: the person who supported the learning
    assert "Part 3: Learning outcomes" in part3 and "Multilingual competence" in part3
    assert "Person who supported the learning" in part3 and "Ilze Mentore" in part3 and "Mentore" in part3
    assert "Jānis Projekts" not in part3
    # the seal note is in the footer of every page, and no page holds only a notice
    for page in (part1, part2, part3):
        assert NOTICE in page
        body = _body(page, credential)
        assert len(body) > 200, body


def test_without_an_additional_signatory_the_responsible_person_signs_part_one(
        owner, project, accepted, learner, people):
    participant = _ready(owner, project, accepted, learner, people, language="en", extra=False)
    _credential, pdf = _issued_pdf(owner, participant)
    part1 = pdf_text(pdf, page=1)
    assert "Līga Vadītāja" in part1 and "Jānis Projekts" in part1 and "Person responsible for the project" in part1
    assert "Jānis Projekts" in pdf_text(pdf, page=2)


def test_online_format_and_english_places_on_an_english_certificate(owner, project, accepted, learner, people):
    participant = _ready(owner, project, accepted, learner, people, language="en")
    _credential, pdf = _issued_pdf(owner, participant)
    text = pdf_text(pdf)
    assert "online" in pdf_text(pdf, page=1)  # the single activity stands for the project: "… · online"
    assert re.search(r"Format\s+online", pdf_text(pdf, page=2))
    # the organisation's place: the city as entered, the country in English
    assert "Valmiera, Latvia" in text and "Latvija" not in text
    assert "Cēsis, Latvia" in text  # the activity's venue


def test_bilingual_certificate_prints_the_format_and_places_in_both_languages(
        owner, project, accepted, learner, people):
    participant = _ready(owner, project, accepted, learner, people, language="lv+en")
    data = certificates.certificate_data(participant=participant)
    assert data["place"] == {"lv": "Valmiera, Latvija", "en": "Valmiera, Latvia"}
    assert data["project"]["format"] == {"lv": "tiešsaistē", "en": "online"} and data["project"]["online"] is True
    text = pdf_text(certificates.certificate_preview(actor=owner, participant=participant))
    assert "tiešsaistē / online" in text and "Valmiera, Latvija / Valmiera, Latvia" in text


def test_a_place_typed_with_its_country_is_read_in_the_document_language():
    assert certificates._place("Valmiera, Latvija", country="LV", languages=["en"]) == {"en": "Valmiera, Latvia"}
    assert certificates._place("Tallinn, Estonia", country="LV", languages=["lv"]) == {"lv": "Tallinn, Igaunija"}
    assert certificates._place("Valmiera", country=None, languages=["en"]) == "Valmiera"
    assert certificates._place("", country="LV", languages=["en"]) == {"en": "Latvia"}


@pytest.mark.parametrize(("language", "present", "absent"), [
    ("lv", "Pārliecināta, kritiska un atbildīga digitālo tehnoloģiju", "Confident, critical and responsible"),
    ("en", "Confident, critical and responsible use of digital", "Pārliecināta, kritiska"),
])
def test_competence_descriptions_in_the_certificates_language(owner, project, accepted, learner, people, language,
                                                               present, absent):
    # Issue 11 point 11: each written competence is printed with its description from the competence data, in the
    # certificate's language (the free sections too).
    participant = _ready(owner, project, accepted, learner, people, language=language)
    credential, pdf = _issued_pdf(owner, participant)
    text = " ".join(pdf_text(pdf).split())
    assert present in text and absent not in text
    other = "Mācīšanās rezultāti, kas neiekļaujas" if language == "lv" else "Learning outcomes that fit no competence"
    assert other in text
    assert _pages(pdf) == 3


@pytest.mark.parametrize(("language", "mark", "other"), [("en", "PREVIEW", "PRIEKŠSKATĪJUMS"),
                                                          ("lv", "PRIEKŠSKATĪJUMS", "PREVIEW")])
def test_preview_is_marked_in_the_certificates_language_not_the_pages(owner, project, accepted, learner, people,
                                                                      language, mark, other):
    from django.utils import translation

    participant = _ready(owner, project, accepted, learner, people, language=language)
    with translation.override("en" if language == "lv" else "lv"):  # the organiser's page is in the other language
        text = pdf_text(certificates.certificate_preview(actor=owner, participant=participant))
    assert mark in text and other not in text
