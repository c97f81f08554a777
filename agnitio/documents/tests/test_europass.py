"""Issue 12 points 4, 5, 11, 12: Europass Mobility documents rendered from the documents/europass.py shape — the D4
sections per kind, one language per document (the document's own), the Try Out watermark and no seal, literal user
text, the ESCO attribution, and the sample commands."""

import json
import re
import subprocess

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from agnitio.core.errors import ApplicationError
from agnitio.documents import render
from agnitio.documents.europass import (
    SECTION_RULES,
    europass_check,
    europass_issue_inputs,
    europass_pdf_data,
    europass_render_pdf,
    section_rule,
)
from agnitio.documents.sample import HOSTILE, europass_sample
from agnitio.documents.seal import TryOutSealRefused, pdf_is_try_out, pdf_seal, pdf_seal_verify
from agnitio.documents.services import document_issue_pdf, document_labels, document_render

from .conftest import pdf_info, pdf_text

KINDS = ["europass_agreement", "europass_certificate"]
LTR_HOSTILE = [s for s in HOSTILE if not re.search("[\u0590-\u06ff\U0001f300-\U0001faff]", s)]


def _render(**sample) -> bytes:
    inputs = europass_issue_inputs(europass_sample(**sample))
    return document_render(kind=inputs["kind"], data=inputs["pdf_data"], languages=inputs["languages"])


def _pages(pdf: bytes) -> int:
    return int(re.search(r"Pages:\s+(\d+)", pdf_info(pdf)).group(1))


def _flat(text: str) -> str:
    return " ".join(text.split())


# Section headings in each document language, and which kind prints them (D4).
HEADINGS = {
    "en": {"activities": "Activities and tasks", "mentoring": "Mentoring and monitoring",
           "evaluation": "Evaluation and recognition", "additional_terms": "Additional terms",
           "contact": "Contact information", "signatures": "Signatures", "sending": "Sending organisation",
           "host": "Host organisation", "expected": "Expected learning outcomes",
           "achieved": "Achieved learning outcomes"},
    "lv": {"activities": "Aktivitātes un uzdevumi", "mentoring": "Mentoringa un uzraudzības kārtība",
           "evaluation": "Vērtēšana un atzīšana", "additional_terms": "Papildu noteikumi",
           "contact": "Kontaktinformācija", "signatures": "Paraksti", "sending": "Nosūtītājorganizācija",
           "host": "Uzņēmējorganizācija", "expected": "Sagaidāmie mācīšanās rezultāti",
           "achieved": "Sasniegtie mācīšanās rezultāti"},
}
TITLES = {"en": {"europass_agreement": "Europass Learning Agreement",
                 "europass_certificate": "Europass Mobility certificate", "doc": "Europass Mobility document"},
          "lv": {"europass_agreement": "Europass mācību līgums",
                 "europass_certificate": "Europass mobilitātes apliecinājums", "doc": "Europass mobilitātes dokuments"}}


@pytest.fixture(scope="module")
def pdfs():
    return {(kind, lang): _render(kind=kind, language=lang) for kind in KINDS for lang in ("lv", "en")}


@pytest.mark.parametrize("lang", ["lv", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_sections_per_kind_follow_d4(pdfs, kind, lang):
    text = _flat(pdf_text(pdfs[kind, lang]))
    h = HEADINGS[lang]
    assert TITLES[lang][kind] in text and TITLES[lang]["doc"] in text
    for key in ("activities", "mentoring", "evaluation", "signatures", "sending", "host"):
        assert h[key] in text, key
    agreement = kind == "europass_agreement"
    assert (h["expected"] in text) == agreement and (h["achieved"] in text) == (not agreement)
    # kept before, removed after (the sample certificate's data are an agreement's, so removal is not by omission)
    assert (h["additional_terms"] in text) == agreement and (h["contact"] in text) == agreement
    # never the other language's headings: the document has its own language, not the interface's
    other = HEADINGS["en" if lang == "lv" else "lv"]
    for key in ("activities", "mentoring", "signatures", "sending", "host", "evaluation"):
        assert other[key] not in text, key
    number = "LV/2027/0001234"
    assert number in text
    assert _pages(pdfs[kind, lang]) <= 4


def test_a_certificate_drops_what_d4_removes_even_when_the_data_carry_it():
    doc = europass_sample(kind="europass_certificate", language="en")
    doc["additional_terms"] = "Home by ten every evening"
    doc["contact"] = [{"role": "Host organisation", "name": "Contact Person Zeta", "email": "zeta@example.org"}]
    assert "additional_terms" not in europass_pdf_data(doc) and "contact" not in europass_pdf_data(doc)
    pdf = document_render(kind="europass_certificate", data=doc | {"organisation": {"name": "x"}}, languages=["en"])
    text = pdf_text(pdf)
    assert "Home by ten" not in text and "Contact Person Zeta" not in text and "Contact information" not in text


def test_the_d4_table_as_data():
    assert section_rule("europass_agreement", "mentoring") == "mandatory"
    assert section_rule("europass_certificate", "mentoring") == "optional"
    assert section_rule("europass_certificate", "contact") == "removed"
    assert section_rule("europass_certificate", "additional_terms") == "removed"
    assert section_rule("europass_agreement", "additional_terms") == "optional"
    assert all(section_rule(k, "outcomes") == "mandatory" for k in KINDS)
    assert set(SECTION_RULES) >= {"activities", "evaluation", "signatures", "contact"}


@pytest.mark.parametrize("kind", KINDS)
def test_participant_host_project_and_outcomes_with_esco(pdfs, kind):
    doc = europass_sample(kind=kind, language="en")
    text = _flat(pdf_text(pdfs[kind, "en"]))
    for value in ("Elīna", "Kalniņa", "12 April 2008", "Valmieras tehnikums", "Tartu Noortekeskus", "Estonia",
                  "Kadri Tamm", "kadri.tamm@noortekeskus.example", "Youth centre", "Erasmus+ Learning mobility",
                  "Physical stay", "Catering services, 2nd year", "4 January 2027", "29 January 2027",
                  "GLP-2027-VT-01"):
        assert value in text, value
    for outcome in doc["outcomes"]:
        assert _flat(outcome["text"]) in text
    assert "plan menus" in text and "comply with food safety and hygiene" in text
    assert "This service uses the ESCO classification of the European Commission." in text


def test_no_esco_no_attribution():
    text = _flat(pdf_text(_render(kind="europass_certificate", language="en", esco=False)))
    assert "ESCO classification" not in text and "ESCO skills" not in text


def test_latvian_document_in_an_english_interface():
    with translation.override("en"):
        text = _flat(pdf_text(_render(kind="europass_agreement", language="lv")))
    assert "Nosūtītājorganizācija" in text and "Uzņēmējorganizācija" in text and "mācīšanās rezultāti" in text
    assert "Igaunija" in text and "04.01.2027" in text  # country and dates in Latvian too
    assert "Sending organisation" not in text and "learning outcomes" not in text and "Signatures" not in text


def test_the_document_language_is_its_own():
    data = europass_pdf_data(europass_sample(kind="europass_agreement", language="lv"))
    with pytest.raises(ApplicationError):
        document_render(kind="europass_agreement", data=data, languages=["en"])
    with pytest.raises(ApplicationError):
        document_render(kind="europass_agreement", data=data, languages=["lv", "en"])
    with pytest.raises(ApplicationError):  # a certificate's data are not an agreement
        document_render(kind="europass_certificate", data=data, languages=["lv"])


def test_signature_parties_per_kind():
    agreement = europass_sample(kind="europass_agreement")
    europass_check(agreement)
    with pytest.raises(ValueError, match="3 or 4"):
        europass_check({**agreement, "signatures": agreement["signatures"][:2]})
    certificate = europass_sample(kind="europass_certificate")
    with pytest.raises(ValueError, match="one party"):
        europass_check({**certificate, "signatures": agreement["signatures"][:2]})
    with pytest.raises(ValueError, match="one party"):
        europass_check({**certificate, "signatures": [{"party": "participant", "name": "x"}]})
    host_signs = {**certificate, "signatures": [{"party": "host", "name": "Kadri Tamm"}]}
    text = pdf_text(document_render(kind="europass_certificate", data=europass_pdf_data(host_signs),
                                    languages=["en"]))
    assert "Kadri Tamm" in text and "Inese Liepiņa" not in text
    with pytest.raises(ValueError, match="outcomes"):
        europass_check({**certificate, "outcomes": []})
    with pytest.raises(ValueError, match="activity type"):
        europass_check({**certificate, "project": {**certificate["project"], "activity_type": ""}})
    with pytest.raises(ValueError, match="mentoring"):
        europass_check({**agreement, "mentoring": ""})


def test_agreement_signatures_and_certificate_signature(pdfs):
    agreement = _flat(pdf_text(pdfs["europass_agreement", "en"]))
    for party in ("Sending organisation", "Host organisation", "Participant", "Legal representative"):
        assert party in agreement
    assert "Dace Kalniņa" in agreement and "Inese Liepiņa" in agreement
    certificate = _flat(pdf_text(pdfs["europass_certificate", "en"]))
    assert "Inese Liepiņa" in certificate and "Dace Kalniņa" not in certificate
    assert "Legal representative" not in certificate


def test_mobility_id_instead_of_europass_number():
    text = _flat(pdf_text(_render(kind="europass_certificate", language="en", mobility_id=True)))
    assert "Mobility ID" in text and "2026-SHORT-0042-KA121-VET-000123456" in text
    assert "Europass number" not in text


@pytest.mark.parametrize("kind", KINDS)
def test_user_text_prints_literally(kind):
    pdf = _render(kind=kind, language="en", hostile=True)
    text = pdf_text(pdf)
    for s in LTR_HOSTILE:
        assert s in text, s
    for word in ("שלום", "مرحبا", "😀", "🎉"):
        assert word in text
    assert text.count("*bold*") >= 5 and text.count("$x$") >= 5
    assert _pages(pdf) <= 5


def test_templates_take_data_only_as_json():
    source = "".join((render.TEMPLATES_DIR / f).read_text()
                     for f in ("europass_agreement.typ", "europass_certificate.typ", "europass_lib.typ"))
    # the data come only through lib.typ's `D` (json(sys.inputs.data)); nothing is evaluated
    assert "eval(" not in source and "sys.inputs" not in source and "read(" not in source
    assert '#import "europass_lib.typ"' in source and '#import "lib.typ"' in source


def test_labels_are_translated_for_both_languages():
    lv = document_labels(kind="europass_agreement", language="lv")
    en = document_labels(kind="europass_agreement", language="en")
    assert lv["doc_title"] == "Europass mobilitātes dokuments"
    assert lv["sending"] == "Nosūtītājorganizācija" and lv["host"] == "Uzņēmējorganizācija"
    assert lv["expected_outcomes"] == "Sagaidāmie mācīšanās rezultāti"
    untranslated = [k for k in en if lv[k] == en[k] and k not in ("try_out", "page", "doc_title")]
    assert untranslated == [], untranslated


# --- Try Out ---------------------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["lv", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_try_out_is_watermarked_on_every_page_and_never_sealed(kind, lang, organisation, tmp_path):
    doc = europass_sample(kind=kind, language=lang, try_out=True, hostile=True)
    pdf = europass_render_pdf(organisation=organisation, doc=doc)  # asks for the seal: a Try Out skips it
    pages = _pages(pdf)
    assert pages >= 2
    for page in range(1, pages + 1):
        text = _flat(pdf_text(pdf, page=page))
        assert "Try Out" in text, page
        assert "Europass Try Out" in text  # the footer note, next to the watermark
    assert pdf_is_try_out(pdf) and "agnitio:try-out" in pdf_info(pdf)
    assert "TRY-OUT-2027-0001" in pdf_text(pdf)
    path = tmp_path / "try-out.pdf"
    path.write_bytes(pdf)
    sig = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True)
    assert "does not contain any signatures" in sig.stdout + sig.stderr
    assert not pdf_seal_verify(pdf_bytes=pdf).intact


@pytest.mark.django_db
def test_a_try_out_pdf_cannot_be_sealed_by_any_path(organisation):
    doc = europass_sample(kind="europass_certificate", language="en", try_out=True)
    inputs = europass_issue_inputs(doc)
    pdf = document_render(kind=inputs["kind"], data=inputs["pdf_data"], languages=inputs["languages"])
    with pytest.raises(TryOutSealRefused):
        pdf_seal(organisation=organisation, pdf_bytes=pdf)
    # the generic path: seal=True is ignored for Try Out data, and try_out=True marks any data as Try Out
    unsealed = document_issue_pdf(organisation=organisation, kind=inputs["kind"], data=inputs["pdf_data"],
                                  languages=inputs["languages"], seal=True)
    assert pdf_is_try_out(unsealed) and not pdf_seal_verify(pdf_bytes=unsealed).intact
    real = europass_pdf_data(europass_sample(kind="europass_certificate", language="en"))
    forced = document_issue_pdf(organisation=organisation, kind="europass_certificate", data=real,
                                languages=["en"], try_out=True)
    assert pdf_is_try_out(forced) and "Try Out" in pdf_text(forced, page=1)
    assert inputs["achievement"] is None  # and it is never issued as a credential


@pytest.mark.django_db
def test_a_real_certificate_is_sealed(organisation, tmp_path):
    doc = europass_sample(kind="europass_certificate", language="lv")
    pdf = europass_render_pdf(organisation=organisation, doc=doc)
    assert not pdf_is_try_out(pdf)
    check = pdf_seal_verify(pdf_bytes=pdf)
    assert check.intact, check.errors
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    sig = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature Validation: Signature is Valid." in sig
    text = _flat(pdf_text(pdf))
    assert "Try Out" not in text and "ar elektronisko zīmogu" in text  # the seal note, in Latvian


# --- commands ----------------------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("language", ["lv", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_document_sample_writes_a_europass_pdf(tmp_path, capsys, kind, language):
    out = tmp_path / "sample.pdf"
    call_command("document_sample", "--kind", kind, "--out", str(out), "--language", language)
    pdf = out.read_bytes()
    assert pdf_seal_verify(pdf_bytes=pdf).intact
    text = _flat(pdf_text(pdf))
    assert TITLES[language][kind] in text and HOSTILE[0] in text
    last = capsys.readouterr().out.strip().splitlines()[-1]
    if kind == "europass_certificate":
        code = last.removeprefix("number: ")
        assert code in text and f"verify/{code}" in text
    else:
        assert last == "number: LV/2027/0001234"


@pytest.mark.django_db
def test_document_sample_try_out_is_not_sealed(tmp_path):
    out = tmp_path / "try.pdf"
    call_command("document_sample", "--kind", "europass_certificate", "--out", str(out), "--language", "lv",
                 "--try-out")
    pdf = out.read_bytes()
    assert pdf_is_try_out(pdf) and not pdf_seal_verify(pdf_bytes=pdf).intact
    assert "Try Out" in pdf_text(pdf, page=1)


@pytest.mark.django_db
def test_document_sample_refuses_a_bilingual_europass_document(tmp_path):
    with pytest.raises(CommandError, match="one language"):
        call_command("document_sample", "--kind", "europass_agreement", "--out", str(tmp_path / "x.pdf"),
                     "--language", "lv+en")
    assert not (tmp_path / "x.pdf").exists()


def test_the_issue_inputs_carry_everything():
    inputs = europass_issue_inputs(europass_sample(kind="europass_certificate", language="lv"))
    assert inputs["languages"] == ["lv"] and inputs["holder_name"] == "Elīna Kalniņa"
    assert inputs["achievement"]["name"].startswith("Europass Mobility")
    assert inputs["achievement"]["europass"]["host"]["country"] == "EE"
    json.dumps(inputs["achievement"])  # stored as JSON on the IssuedCredential
    agreement = europass_issue_inputs(europass_sample(kind="europass_agreement", language="lv"))
    assert agreement["achievement"] is None and agreement["pdf_data"]["contact"]


@pytest.mark.django_db
def test_a_bulk_job_seals_real_documents_and_never_try_out_ones(organisation, editor,
                                                                 django_capture_on_commit_callbacks):
    """Bulk generation for an application goes through the same render path: a Try Out item is not sealed."""
    from django.core.files.storage import default_storage

    from agnitio.documents.services import job_start

    real = europass_issue_inputs(europass_sample(kind="europass_agreement", language="lv", images=False))
    trial = europass_issue_inputs(europass_sample(kind="europass_agreement", language="lv", images=False,
                                                  try_out=True))
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=editor, organisation=organisation, kind="europass_agreement",
                        items=[real["pdf_data"], trial["pdf_data"]], languages=["lv"], title="Europass")
    job.refresh_from_db()
    assert (job.total, job.done, job.failed) == (2, 2, 0)
    pdfs = []
    for item in job.items.order_by("index"):
        with default_storage.open(item.file.name, "rb") as fh:
            pdfs.append(fh.read())
    assert pdf_seal_verify(pdf_bytes=pdfs[0]).intact and not pdf_is_try_out(pdfs[0])
    assert pdf_is_try_out(pdfs[1]) and not pdf_seal_verify(pdf_bytes=pdfs[1]).intact
    assert "Try Out" in pdf_text(pdfs[1], page=1)
