"""Issue 12 point 11: the EDC export of a Europass Mobility certificate conforms to EDC-generic-no-cv.ttl (pySHACL,
contexts served locally): a LearningAchievement awarded by the sending institution, influenced by a LearningActivity
for the stay, directed by the host, with outcomes linked to ESCO skills."""

import copy

import pytest
from django.conf import settings

from agnitio.core.errors import ApplicationError
from agnitio.credentials.formats.elm import COUNTRY
from agnitio.credentials.formats.elm_mobility import edc_mobility_credential
from agnitio.credentials.models import IssuedCredential
from agnitio.credentials.signing.loader import canonize
from agnitio.documents.europass import (
    europass_certificate_achievement,
    europass_holder_name,
    europass_languages,
    europass_pdf_data,
)
from agnitio.documents.sample import europass_sample

SHAPES = settings.BASE_DIR / "agnitio" / "credentials" / "shapes" / "EDC-generic-no-cv.ttl"
SHARED_SHAPES = settings.BASE_DIR.parent / "shared" / "data" / "elm" / "EDC-generic-no-cv.ttl"


def _validate(document: dict) -> tuple[bool, str]:
    import pyshacl  # a dev dependency: missing, the test fails
    from rdflib import Graph

    graph = Graph().parse(data=canonize(document), format="nt")  # expands with the shipped contexts, offline
    shapes = Graph().parse(SHAPES, format="turtle")
    conforms, _graph, report = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    return conforms, report


def _issue_mobility(issue, *, pdf: bool = True, **sample):
    """Issue the certificate as the mobility app will: with its sealed PDF (EDC displays need its pages)."""
    doc = europass_sample(kind="europass_certificate", images=False, **sample)
    return doc, issue(kind="europass_certificate", holder_name=europass_holder_name(doc),
                      achievement=europass_certificate_achievement(doc), languages=europass_languages(doc),
                      pdf_data=europass_pdf_data(doc) if pdf else None)


def test_the_shipped_shapes_are_the_shared_reference_shapes():
    if SHARED_SHAPES.exists():  # in a checkout beside ../shared; the shipped copy is what the tests load
        assert SHAPES.read_bytes() == SHARED_SHAPES.read_bytes()
    assert SHAPES.stat().st_size > 100_000


VARIANTS = {
    "en with ESCO": {"language": "en"},
    "lv without ESCO": {"language": "lv", "esco": False},
    "virtual stay": {"language": "en", "virtual": True},
    "host in Finland, KA1 mobility ID": {"language": "lv", "host_country": "FI", "mobility_id": True},
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_mobility_certificate_export_conforms_to_the_edc_shapes(issue, organisation, variant):
    options = VARIANTS[variant]
    doc, credential = _issue_mobility(issue, **options)
    lang = doc["language"]
    document = edc_mobility_credential(credential)
    conforms, report = _validate(document)
    assert conforms, report

    claim = document["credentialSubject"]["hasClaim"]
    assert claim["type"] == "LearningAchievement"
    body = claim["awardedBy"]["awardingBody"][0]
    assert body["legalName"] == {lang: organisation.legal_name}  # the sending institution awards it
    assert document["credentialSubject"]["fullName"] == {lang: "Elīna Kalniņa"}
    [activity] = claim["influencedBy"]
    assert activity["type"] == "LearningActivity"
    assert activity["title"] == {lang: doc["project"]["activity_type"]}
    [host] = activity["directedBy"]
    assert host["legalName"] == {lang: doc["host"]["name"]}
    alpha3 = {"EE": "EST", "FI": "FIN"}[doc["host"]["country"]]
    assert host["location"]["address"]["countryCode"]["id"] == COUNTRY.format(alpha3=alpha3)
    assert activity["temporal"]["startDate"] == "2027-01-04T00:00:00Z"
    assert activity["temporal"]["endDate"] == "2027-01-29T23:59:59Z"
    assert activity["workload"] == "PT140H"
    notation = activity["identifier"][0]["notation"]
    assert notation == (doc.get("mobility_id") or doc["europass_number"])
    if doc["project"]["stay"] == "virtual":
        assert "location" not in activity
        assert activity["additionalNote"][0]["noteLiteral"] == {lang: "Virtual stay"}
    else:
        assert activity["location"][0]["address"]["countryCode"]["id"] == COUNTRY.format(alpha3=alpha3)
    outcomes = claim["specifiedBy"]["learningOutcome"]
    assert [o["title"][lang] for o in outcomes] == [o["text"] for o in doc["outcomes"]]
    esco = [c["id"] for o in outcomes for c in o.get("relatedESCOSkill", [])]
    expected = [r["uri"] for o in doc["outcomes"] for r in o.get("esco") or []]
    assert esco == expected and (bool(esco) == options.get("esco", True))
    nquads = canonize(document)
    assert "http://data.europa.eu/snb/model/elm/influencedBy" in nquads
    if expected:
        assert "http://data.europa.eu/snb/model/elm/relatedESCOSkill" in nquads
    # the display carries the pages of the sealed certificate, in the document's one language
    [display] = document["displayParameter"]["individualDisplay"]
    assert display["language"]["prefLabel"] == {"en": lang} and display["displayDetail"]


def test_the_shapes_catch_a_broken_activity(issue):
    """The validation is real: an activity without its title or awarding process does not conform."""
    _doc, credential = _issue_mobility(issue, language="en")
    document = edc_mobility_credential(credential)
    assert _validate(document)[0]
    for key in ("title", "awardedBy"):
        broken = copy.deepcopy(document)
        del broken["credentialSubject"]["hasClaim"]["influencedBy"][0][key]
        conforms, report = _validate(broken)
        assert not conforms
        assert f"Source Shape: edc:LearningActivity-{'dc_title' if key == 'title' else 'elm_awardedBy'}" in report


def test_the_issued_record_carries_the_mobility_for_the_export(issue):
    doc, credential = _issue_mobility(issue, language="lv", pdf=False)
    stored = IssuedCredential.objects.get(pk=credential.pk).achievement["europass"]
    assert stored["host"]["country"] == "EE" and stored["stay"] == "physical"
    assert stored["outcomes"][1]["esco"][0]["uri"].startswith("http://data.europa.eu/esco/skill/")
    # the signed OB3 credential aligns the outcomes with their ESCO skills too
    alignment = credential.credential["credentialSubject"]["achievement"]["alignment"]
    assert {a["targetUrl"] for a in alignment} >= {r["uri"] for r in doc["outcomes"][1]["esco"]}


def test_a_non_mobility_credential_is_refused(issue):
    with pytest.raises(ValueError, match="Europass"):
        edc_mobility_credential(issue(kind="microcredential"))


def test_a_try_out_certificate_is_never_issued(issue):
    doc = europass_sample(kind="europass_certificate", try_out=True, images=False)
    with pytest.raises(ValueError, match="Try Out"):
        europass_certificate_achievement(doc)
    before = IssuedCredential.objects.count()
    with pytest.raises(ApplicationError) as info:  # the data of a Try Out document are refused by the Trust layer
        issue(kind="europass_certificate", holder_name="Elīna Kalniņa",
              achievement={"name": "Europass Mobility"}, languages=["en"], pdf_data=europass_pdf_data(doc))
    assert info.value.code == "try_out" and IssuedCredential.objects.count() == before


@pytest.mark.parametrize("language", ["lv", "en"])
def test_credential_sample_writes_the_signed_credential_and_the_edc_export(db, tmp_path, capsys, language):
    import json

    from django.core.management import call_command

    from agnitio.credentials.verification import credential_verify_json
    from agnitio.documents.seal import pdf_seal_verify

    call_command("demo_data")
    out, edc = tmp_path / "c.json", tmp_path / "c.jsonld"
    call_command("credential_sample", "--kind", "europass_certificate", "--out", str(out), "--edc-out", str(edc),
                 "--language", language)
    code = capsys.readouterr().out.strip().splitlines()[-1].removeprefix("number: ")
    record = IssuedCredential.objects.get(code=code)
    assert record.kind == "europass_certificate" and record.languages == [language]
    assert record.holder_name == "Elīna Kalniņa" and record.achievement["europass"]["language"] == language
    assert credential_verify_json(json.loads(out.read_text())).verified
    with record.pdf.open("rb") as handle:
        assert pdf_seal_verify(pdf_bytes=handle.read()).intact
    document = json.loads(edc.read_text())
    conforms, report = _validate(document)
    assert conforms, report
    activity = document["credentialSubject"]["hasClaim"]["influencedBy"][0]
    assert activity["directedBy"][0]["legalName"] == {language: "Tartu Noortekeskus"}


def test_the_issued_certificate_pdf_carries_number_code_and_qr(issue):
    """Issued through the Trust layer: the sealed PDF shows the Europass number, the register number and the
    verification code (under the QR code and in the footer's address)."""
    from agnitio.documents.seal import pdf_seal_verify
    from agnitio.documents.tests.conftest import pdf_text

    doc, credential = _issue_mobility(issue, language="en")
    with credential.pdf.open("rb") as handle:
        pdf = handle.read()
    assert pdf_seal_verify(pdf_bytes=pdf).intact
    text = " ".join(pdf_text(pdf).split())
    assert doc["europass_number"] in text and credential.number in text
    assert credential.code in text and f"/verify/{credential.code}" in text
    assert "Achieved learning outcomes" in text and "Contact information" not in text


def test_no_mentor_or_participant_contact_details_travel_into_the_export(issue):
    doc, credential = _issue_mobility(issue, language="en", pdf=False)
    exported = str(edc_mobility_credential(credential)) + str(credential.achievement)
    for private in (doc["host"]["mentor"]["email"], doc["host"]["mentor"]["phone"], doc["participant"]["address"],
                    "2008-04-12"):
        assert private not in exported, private


def test_the_edc_export_is_picked_by_kind(issue):
    """The issued document's EDC download (`issued_edc`) goes through `edc_export`: a Europass Mobility certificate
    as a mobility, any other kind (Youthpass) through the generic export, unchanged."""
    from agnitio.credentials.formats.elm import edc_credential
    from agnitio.credentials.formats.elm_mobility import edc_export

    youthpass = issue(kind="youthpass")
    assert edc_export(youthpass) == edc_credential(youthpass)
    _doc, mobility = _issue_mobility(issue, pdf=False, language="en")
    assert edc_export(mobility) == edc_mobility_credential(mobility) != edc_credential(mobility)
