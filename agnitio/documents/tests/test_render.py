import json
import re

import pytest
import segno
from django.utils import translation
from django.utils.translation import trans_real

from agnitio.core.errors import ApplicationError
from agnitio.documents import render
from agnitio.documents.sample import HOSTILE, LATVIAN, OTHER_EU, youthpass_sample
from agnitio.documents.services import document_labels, document_render

from .conftest import pdf_info, pdf_text

# pdftotext keeps left-to-right runs intact; right-to-left and emoji runs are checked word by word.
LTR_HOSTILE = [s for s in HOSTILE if not re.search("[\u0590-\u06ff\U0001f300-\U0001faff]", s)]
RTL_AND_EMOJI_WORDS = ["שלום", "עולם", "مرحبا", "بالعالم", "😀", "🎉"]


@pytest.fixture(scope="module")
def bilingual_pdf():
    return document_render(kind="youthpass", data=youthpass_sample(), languages=["lv", "en"])


def test_hostile_strings_print_literally(bilingual_pdf):
    text = pdf_text(bilingual_pdf)
    for s in LTR_HOSTILE:
        assert s in text, s
    for word in RTL_AND_EMOJI_WORDS:
        assert word in text, word
    # the markup was not interpreted: no bold run swallowed the asterisks, no maths ate the dollars
    assert text.count("*bold*") >= 5 and text.count("$x$") >= 5


def test_user_text_is_never_typst_markup(monkeypatch):
    """The data travel as one JSON input; the template source is the same whatever the data say."""
    seen = {}
    original = render.compile_pdf

    def spy(*, template, payload, **kw):
        seen["payload"] = payload
        return original(template=template, payload=payload, **kw)

    monkeypatch.setattr(render, "compile_pdf", spy)
    data = youthpass_sample()
    document_render(kind="youthpass", data=data, languages=["en"])
    assert seen["payload"]["data"]["holder"]["name"] == data["holder"]["name"]
    template = (render.TEMPLATES_DIR / "youthpass.typ").read_text() + (render.TEMPLATES_DIR / "lib.typ").read_text()
    assert "eval(" not in template
    assert "sys.inputs.data" in template


def test_latvian_diacritics_and_other_eu_scripts_extract_back(bilingual_pdf):
    text = pdf_text(bilingual_pdf)
    for ch in "āčēģīķļņšūž":
        assert ch in text, ch
    assert LATVIAN in text
    for word in OTHER_EU.split():
        assert word in text, word


def test_fonts_are_embedded_and_no_system_font_is_used(bilingual_pdf):
    import subprocess

    fonts = subprocess.run(["pdffonts", "-"], input=bilingual_pdf, capture_output=True, check=True).stdout.decode()
    lines = fonts.splitlines()[2:]
    assert lines, fonts
    assert all(" yes " in line for line in lines), fonts  # every font embedded
    used = {line.split()[0].split("+")[-1] for line in lines}
    import typst

    # only the fonts inside the typst package or shipped in documents/fonts, never the machine's
    available = typst.Fonts(include_system_fonts=False, font_paths=[str(render.FONTS_DIR)]).families()
    prefixes = tuple(f.replace(" ", "") for f in available)
    assert all(name.startswith(prefixes) for name in used), (used, available)
    assert any(name.startswith("LibertinusSerif") for name in used)


def test_a4_metadata_and_selectable_text(bilingual_pdf):
    info = pdf_info(bilingual_pdf)
    assert "A4" in info
    # The title is in the document's first language (lv), from the Latvian catalogue.
    assert re.search(r"Title:\s+Youthpass sertifikāts — Ģirts Ķēniņš-Šūmane", info)
    assert re.search(r"Author:\s+Biedrība “Jaunatnes Tilts”", info)
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    assert PdfFileReader(BytesIO(bilingual_pdf)).root["/Lang"] == "lv"


def test_document_number_page_numbers_and_verification_address_on_every_page():
    data = youthpass_sample(holder="Anna Bērziņa")
    pdf = document_render(kind="youthpass", data=data, languages=["en"])
    pages = int(re.search(r"Pages:\s+(\d+)", pdf_info(pdf)).group(1))
    assert pages >= 3
    for page in range(1, pages + 1):
        text = pdf_text(pdf, page=page)
        assert "YP-2026-LV-000042" in text
        assert f"Page {page} of {pages}" in text
        assert f"https://agnitio.example/verify/{data['code']}" in text  # the random code, not the number
        assert data["code"] in text


def test_qr_code_encodes_the_verification_address(monkeypatch):
    seen = {}
    original = render.compile_pdf
    monkeypatch.setattr(render, "compile_pdf", lambda **kw: seen.update(kw) or original(**kw))
    data = youthpass_sample()
    document_render(kind="youthpass", data=data, languages=["en"])
    expected = segno.make(data["verification_url"], error="m", micro=False, mask=0, boost_error=False)
    assert seen["payload"]["data"]["qr"] == expected.svg_inline(dark="#1b2a4a", border=0, omitsize=True)
    assert expected.designator.endswith("-M")  # a real QR symbol for exactly that address


def test_logo_and_signature_images_are_placed():
    import subprocess

    pdf = document_render(kind="youthpass", data=youthpass_sample(holder="Anna"), languages=["en"])
    listing = subprocess.run(["pdfimages", "-list", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    images = [line for line in listing.splitlines()[2:] if " image " in line]
    assert any(" 240   240 " in line for line in images)  # the logo
    assert sum(" 360   120 " in line for line in images) >= 2  # two signatures
    text = pdf_text(pdf)
    assert "Līga Bērziņa" in text and "Valdes priekšsēdētāja / Chair of the board" in text


def test_images_must_be_bytes_never_a_path():
    data = youthpass_sample(images=False)
    data["organisation"]["logo"] = "/etc/passwd"
    with pytest.raises(ApplicationError):
        document_render(kind="youthpass", data=data, languages=["en"])


def test_one_language_does_not_leak_the_interface_language():
    data = youthpass_sample(holder="Anna")
    with translation.override("lv"):
        text = pdf_text(document_render(kind="youthpass", data=data, languages=["en"]))
    assert "Youthpass certificate" in text
    assert "1 July 2026" in text and "01.07.2026" not in text  # one form per language (agnitio/formats)
    assert "Jauniešu apmaiņa" not in text  # the Latvian value of a bilingual field is not shown
    assert "Youth exchange" in text


def test_bilingual_shows_both_languages():
    text = pdf_text(document_render(kind="youthpass", data=youthpass_sample(holder="Anna"), languages=["lv", "en"]))
    assert "1 July 2026" in text and "01.07.2026" in text
    assert "Jauniešu apmaiņa / Youth exchange" in text
    assert "Desmit dienu darbnīcas" in text and "Ten days of workshops" in text


def test_template_strings_come_from_the_gettext_catalogue():
    """Put a translation in the Latvian catalogue and see it in a Latvian document, whatever the UI language."""
    catalog = trans_real.translation("lv")._catalog
    marker = "Youthpass apliecība (tulkojums)"
    previous = catalog.get("Youthpass certificate")
    catalog["Youthpass certificate"] = marker
    try:
        assert document_labels(kind="youthpass", language="lv")["doc_title"] == marker
        with translation.override("en"):
            text = pdf_text(document_render(kind="youthpass", data=youthpass_sample(holder="A"), languages=["lv"]))
        assert marker in text
        assert document_labels(kind="youthpass", language="en")["doc_title"] == "Youthpass certificate"
    finally:
        if previous is None:
            catalog._catalogs[0].pop("Youthpass certificate", None)  # where TranslationCatalog.__setitem__ put it
        else:
            catalog["Youthpass certificate"] = previous


@pytest.mark.parametrize("languages", [[], ["de"], ["lv", "en", "lv2"], "xx+yy"])
def test_bad_languages_are_refused(languages):
    with pytest.raises(ApplicationError):
        document_render(kind="youthpass", data=youthpass_sample(), languages=languages)


def test_unknown_kind_is_refused():
    with pytest.raises(ApplicationError):
        document_render(kind="nope", data={}, languages=["en"])


def test_payload_is_plain_json():
    data = youthpass_sample(images=False)
    payload_json = json.dumps(data, ensure_ascii=False)
    assert '#import \\"x\\"' in payload_json


def test_organisation_logo_from_storage_and_a_stamp(organisation):
    import subprocess

    from django.core.files.base import ContentFile

    from agnitio.documents.sample import _png, sample_logo
    from agnitio.documents.services import document_organisation_data

    organisation.logo.save("logo.png", ContentFile(sample_logo()))
    data = youthpass_sample(holder="Anna", images=False)
    data["organisation"] = document_organisation_data(organisation=organisation)
    data["stamp"] = _png("STAMP", size=(200, 200))
    pdf = document_render(kind="youthpass", data=data, languages=["lv"])
    listing = subprocess.run(["pdfimages", "-list", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    images = [line for line in listing.splitlines()[2:] if " image " in line]
    assert any(" 240   240 " in line for line in images)  # the organisation's stored logo
    assert any(" 200   200 " in line for line in images)  # the stamp
    assert "Biedrība Jaunatnes Tilts" in pdf_text(pdf)


def test_dialogue_partner_signs_part_three_only():
    data = youthpass_sample(holder="Anna Bērziņa", images=False)
    data["signatories"] = [
        {"name": "Ilze Legālā", "position": "Valdes priekšsēdētāja", "signature": None},
        {"name": "Didzis Sarunbiedrs", "position": "Mentors", "signature": None, "part3": True},
    ]
    pdf = document_render(kind="youthpass", data=data, languages=["en"])
    pages = int(re.search(r"Pages:\s+(\d+)", pdf_info(pdf)).group(1))
    assert "Ilze Legālā" in pdf_text(pdf, page=1)
    assert "Didzis Sarunbiedrs" not in pdf_text(pdf, page=1)
    assert any("Didzis Sarunbiedrs" in pdf_text(pdf, page=p) for p in range(2, pages + 1))


def _summary_data(**changes) -> dict:
    return {"title": "Team award", "organisation": {"name": "Biedrība “Jaunatnes Tilts”"},
            "holder": {"name": "Anna Bērziņa"}, "issued_on": "2026-11-20", "valid_until": "2029-11-20",
            "number": "MC-2026-000001", "code": "7K3M-Q9TZ-2HWA-XR4F",
            "verification_url": "https://agnitio.example/verify/7K3M-Q9TZ-2HWA-XR4F", **changes}


def test_credential_summary_prints_markup_in_names_literally(monkeypatch):
    """The credential summary (EDC display of a credential without a document): a title, holder and issuer full of
    Typst markup print as written, and travel only as JSON data, never in the template's source."""
    seen = {}
    original = render.compile_pdf

    def spy(*, template, payload, **kw):
        seen["template"], seen["payload"] = template, payload
        return original(template=template, payload=payload, **kw)

    monkeypatch.setattr(render, "compile_pdf", spy)
    name = 'Anna #import "x" $x$ *bold* ] [ _under_ \\ Bērziņa'
    title = "#eval(\"1+1\") *Award* $y$ ]"
    issuer = "Org #strong[no] ]]"
    pdf = document_render(kind="credential_summary", languages=["lv", "en"],
                          data=_summary_data(title=title, holder={"name": name}, organisation={"name": issuer}))
    text = " ".join(pdf_text(pdf).split())
    for value in (name, title, issuer, "MC-2026-000001", "7K3M-Q9TZ-2HWA-XR4F",
                  "https://agnitio.example/verify/7K3M-Q9TZ-2HWA-XR4F"):
        assert value in text, value
    assert seen["template"] == "credential_summary.typ" and seen["payload"]["data"]["holder"]["name"] == name
    source = (render.TEMPLATES_DIR / "credential_summary.typ").read_text()
    assert "eval(" not in source and name not in source
    assert re.search(r"^Pages:\s+1$", pdf_info(pdf), re.M)


def test_credential_summary_is_one_page_with_the_longest_values():
    """Bounded: the longest title, holder and issuer names the records hold still make one page (one image)."""
    long_words = " ".join(["Starptautiskās"] * 40)
    pdf = document_render(kind="credential_summary", languages=["lv", "en"], data=_summary_data(
        title=long_words[:500], holder={"name": long_words[:255]}, organisation={"name": long_words[:255]}))
    assert re.search(r"^Pages:\s+1$", pdf_info(pdf), re.M)


def test_credential_summary_is_in_its_languages_not_the_interface_one():
    with translation.override("en"):
        latvian = pdf_text(document_render(kind="credential_summary", data=_summary_data(), languages=["lv"]))
    assert "Izdošanas datums" in latvian and "Date of issue" not in latvian
    assert "20. novembris" in latvian or "2026" in latvian
    with translation.override("lv"):
        english = pdf_text(document_render(kind="credential_summary", data=_summary_data(), languages=["en"]))
    assert "Date of issue" in english and "Izdošanas datums" not in english
    # a display, never a sealed document: the footer says so instead of the seal note
    assert "carries no seal" in " ".join(english.split())
    assert "sealed electronically" not in english


@pytest.mark.django_db
def test_credential_summary_is_never_sealed_by_any_path(organisation):
    """A display, not a document: its keywords say so, pdf_seal refuses it and document_issue_pdf never seals it."""
    from agnitio.documents.seal import DisplaySealRefused, pdf_is_display, pdf_seal, pdf_seal_verify
    from agnitio.documents.services import document_issue_pdf

    pdf = document_render(kind="credential_summary", data=_summary_data(), languages=["en"])
    assert pdf_is_display(pdf) and "agnitio:display" in pdf_info(pdf)
    with pytest.raises(DisplaySealRefused):
        pdf_seal(organisation=organisation, pdf_bytes=pdf)
    unsealed = document_issue_pdf(organisation=organisation, kind="credential_summary", data=_summary_data(),
                                  languages=["en"], seal=True)
    assert pdf_is_display(unsealed) and not pdf_seal_verify(pdf_bytes=unsealed).intact
    assert not pdf_is_display(document_render(kind="youthpass", data=youthpass_sample(), languages=["en"]))
