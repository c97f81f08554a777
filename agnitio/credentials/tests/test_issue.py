"""Issuing (points 2, 3, 8): the record, the signed OB3 credential, independent verification, EDC export."""

import copy
import datetime
import json

import pytest

from agnitio.core.errors import ApplicationError, PermissionDenied
from agnitio.core.models import AuditEvent
from agnitio.credentials.formats.elm import edc_credential
from agnitio.credentials.models import IssuedCredential, StatusList
from agnitio.credentials.numbering import PREFIXES, number_last
from agnitio.credentials.signing.loader import canonize
from agnitio.credentials.verification import credential_verify_json

from .node_check import node_available, node_verify

KINDS = ["youthpass", "europass_agreement", "europass_certificate", "microcredential"]


def test_issue_creates_record_and_signed_credential(issue, owner, organisation):
    credential = issue(valid_until=datetime.date(2030, 1, 1))
    assert credential.number.startswith("YP-2026-")
    assert credential.holder_name == "Anna Bērziņa" and credential.holder_email == "holder@example.org"
    assert credential.organisation == organisation and credential.place == "Rīga"
    assert credential.languages == ["en", "lv"] and credential.status == "valid"
    document = credential.credential
    assert document["@context"] == ["https://www.w3.org/ns/credentials/v2",
                                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert document["type"] == ["VerifiableCredential", "AchievementCredential"]
    assert document["id"] == credential.credential_uid
    # Start and end of the days in the site time zone (Europe/Riga, UTC+2 in winter).
    assert document["validFrom"] == "2026-11-19T22:00:00Z" and document["validUntil"] == "2030-01-01T21:59:59Z"
    assert document["issuer"]["id"] == f"did:web:127.0.0.1%3A8000:issuers:{organisation.public_id}"
    assert document["issuer"]["type"] == ["Profile"] and document["issuer"]["name"] == organisation.legal_name
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["name"] == "Youthpass in Youth Exchanges"
    assert achievement["criteria"]["narrative"].startswith("Participated")
    assert [a["targetName"] for a in achievement["alignment"]][:2] == ["Multilingual competence",
                                                                        "Citizenship competence"]
    email_id = document["credentialSubject"]["identifier"][0]
    assert email_id["identityType"] == "emailAddress" and email_id["hashed"] is True
    assert "holder@example.org" not in json.dumps(document)
    status = document["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry" and status["statusPurpose"] == "revocation"
    assert status["statusListCredential"].endswith(f"/issuers/{organisation.public_id}/status/revocation")
    proof = document["proof"]
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod" and proof["proofValue"].startswith("z")
    event = AuditEvent.objects.get(verb="credential_issue")
    assert event.actor == owner and event.object_id == credential.public_id and event.organisation == organisation


def test_every_term_is_defined_by_the_shipped_contexts(issue):
    """Nothing falls back to the VC 2.0 @vocab (issuer-dependent terms) and nothing is fetched."""
    nquads = canonize({k: v for k, v in issue(kind="microcredential").credential.items() if k != "proof"})
    assert "issuer-dependent" not in nquads
    assert "purl.imsglobal.org/spec/vc/ob/vocab.html#AchievementSubject" in nquads


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_verifies_here_and_independently(issue, organisation, kind):
    credential = issue(kind=kind)
    assert credential_verify_json(credential.credential).verified
    if reason := node_available():
        pytest.fail(reason, pytrace=False)
    result = node_verify(credential.credential, organisation=organisation)
    assert result["verified"] and result["returncode"] == 0, result


@pytest.mark.parametrize("change", ["holder", "issuer", "outcome", "date", "proof"])
def test_tampered_credential_fails_here_and_independently(issue, organisation, change):
    document = copy.deepcopy(issue().credential)
    if change == "holder":
        document["credentialSubject"]["identifier"][1]["identityHash"] = "Mallory"
    elif change == "issuer":
        document["issuer"]["name"] = "Another Organisation"
    elif change == "outcome":
        document["credentialSubject"]["achievement"]["alignment"][0]["targetDescription"] = "Invented"
    elif change == "date":
        document["validFrom"] = "2020-01-01T00:00:00Z"
    else:
        document["proof"]["created"] = "2020-01-01T00:00:00Z"
    result = credential_verify_json(document)
    assert not result.verified and "altered" in str(result.errors[0])
    if reason := node_available():
        pytest.fail(reason, pytrace=False)
    node = node_verify(document, organisation=organisation)
    assert not node["verified"] and node["returncode"] == 1


def test_key_of_another_issuer_is_refused(issue, organisation, other_organisation, outsider):
    mine = issue()
    theirs = issue(actor=outsider, org=other_organisation)
    forged = copy.deepcopy(mine.credential)
    forged["proof"] = theirs.credential["proof"]
    result = credential_verify_json(forged)
    assert not result.verified and "does not belong" in str(result.errors[0])


def test_issue_validation_errors_change_nothing(issue):
    with pytest.raises(ApplicationError):
        issue(holder_name="  ")
    with pytest.raises(ApplicationError):
        issue(achievement={"description": "no name"})
    with pytest.raises(ApplicationError):
        issue(kind="diploma")
    with pytest.raises(ApplicationError):
        issue(languages=[])
    assert IssuedCredential.objects.count() == 0
    assert not any(number_last(kind=kind, year=2026) for kind in PREFIXES)


def test_outsider_cannot_issue_and_nothing_changes(issue, outsider):
    with pytest.raises(PermissionDenied):
        issue(actor=outsider)
    assert IssuedCredential.objects.count() == 0 and StatusList.objects.count() == 0
    assert not AuditEvent.objects.filter(verb="credential_issue").exists()


def test_supersede_marks_the_earlier_document(issue, owner):
    first = issue()
    second = issue(supersedes=first)
    first.refresh_from_db()
    assert first.status == "superseded" and first.superseded_at is not None
    assert first.superseded_by == second
    assert AuditEvent.objects.filter(verb="credential_supersede", object_id=first.public_id).exists()
    with pytest.raises(ApplicationError):
        issue(supersedes=first)  # already replaced
    # Its status bit is set (every verifier sees it is no longer the valid document); ours says it was replaced.
    result = credential_verify_json(first.credential)
    assert not result.verified and result.status == "superseded" and result.credential == first


def test_edc_export(issue):
    credential = issue(kind="microcredential")
    document = edc_credential(credential)
    assert document["@context"] == ["https://www.w3.org/2018/credentials/v1",
                                    "http://data.europa.eu/snb/model/context/edc-ap"]
    assert document["type"] == ["VerifiableCredential", "EuropeanDigitalCredential"]
    assert document["identifier"]["notation"] == credential.number
    claim = document["credentialSubject"]["hasClaim"]
    assert claim["type"] == "LearningAchievement"
    assert claim["awardedBy"]["awardingBody"][0]["legalName"] == {"en": credential.organisation.legal_name}
    assert claim["specifiedBy"]["creditPoint"]["point"] == "2"
    assert [o["title"]["en"] for o in claim["specifiedBy"]["learningOutcome"]] == [
        "Multilingual competence", "Citizenship competence"]
    nquads = canonize(document)  # expands with the shipped EDC context, offline
    assert "http://data.europa.eu/snb/model/elm/LearningAchievement" in nquads


def test_edc_export_conforms_to_the_edc_shapes(issue):
    """The EDC application profile's SHACL shapes (shared data, EUPL) accept the export of a sealed document."""
    import pyshacl  # a dev dependency: missing, the test fails
    from django.conf import settings
    from rdflib import Graph

    from agnitio.documents.sample import youthpass_sample

    credential = issue(pdf_data=youthpass_sample(images=False))
    graph = Graph().parse(data=canonize(edc_credential(credential)), format="nt")
    shapes = Graph().parse(settings.BASE_DIR / "agnitio" / "credentials" / "shapes" / "EDC-generic-no-cv.ttl",
                           format="turtle")
    conforms, _graph, report = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    assert conforms, report
    # Without the legal identifier (what sealing adds) the shapes say what is missing.
    credential.organisation.identifier = ""
    graph = Graph().parse(data=canonize(edc_credential(credential)), format="nt")
    conforms, _graph, report = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    assert not conforms and "eidasLegalIdentifier" in report


def test_results_and_holder_did(issue, organisation, achievement):
    did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    credential = issue(kind="microcredential", achievement={
        **achievement, "holder_did": did,
        "results": [{"name": "Final assessment", "value": "Pass", "result_type": "Status"}]})
    subject = credential.credential["credentialSubject"]
    assert subject["id"] == did
    description = subject["achievement"]["resultDescription"][0]
    assert description["name"] == "Final assessment" and description["resultType"] == "Status"
    assert subject["result"] == [{"type": ["Result"], "resultDescription": description["id"], "value": "Pass"}]
    assert credential_verify_json(credential.credential).verified
    if reason := node_available():
        pytest.fail(reason, pytrace=False)
    assert node_verify(credential.credential, organisation=organisation)["verified"]
