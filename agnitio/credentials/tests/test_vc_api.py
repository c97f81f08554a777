"""W3C VC API: POST /credentials/issue (token) issues any VC 2.0 credential as posted, /credentials/verify,
/presentations/verify, and 405 with a JSON body for other methods."""

import base64
import copy
import datetime
import hashlib
import io
import json

import base58
import pytest

from agnitio.apikeys.services import api_token_create
from agnitio.core.models import AuditEvent
from agnitio.credentials.dids import did_for
from agnitio.credentials.models import IssuedCredential
from agnitio.credentials.signing.keys import new_key, public_key_multibase
from agnitio.credentials.signing.loader import OB_V3, VC_EXAMPLES_V2, VC_V1, VC_V2, canonize

from .interop import edc_shapes_check
from .node_check import node_available, node_verify

OB3 = {
    "@context": [VC_V2, OB_V3],
    "type": ["VerifiableCredential", "AchievementCredential"],
    "name": "Digital skills for youth workers",
    "validFrom": "2026-11-21T00:00:00Z",
    "credentialSubject": {
        "type": ["AchievementSubject"],
        "identifier": [
            {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": "Jānis Ozols"},
        ],
        "achievement": {
            "id": "urn:uuid:5b1c9c5e-0e47-4d8e-9d53-1b8c1a6f0e11",
            "type": ["Achievement"], "name": "Digital skills for youth workers",
            "description": "A 2 ECTS course.", "criteria": {"narrative": "Passed the final project."},
            "alignment": [{"type": ["Alignment"], "targetName": "Digital competence",
                           "targetUrl": "http://data.europa.eu/esco/skill/x"}],
        },
    },
}

# A general VC 2.0 credential: language maps, two subjects, schema, evidence, terms of use, related resource.
GENERAL = {
    "@context": [VC_V2, VC_EXAMPLES_V2],
    "id": "urn:uuid:0f5a0b3e-8c1d-4b55-a7f3-2d9e6c4b1a90",
    "type": ["VerifiableCredential", "TeamAwardCredential"],
    "name": [{"@value": "Team award", "@language": "en"}, {"@value": "Komandas balva", "@language": "lv"}],
    "description": "Awarded to the team that organised the best local event.",
    "validFrom": "2026-01-01T00:00:00Z",
    "validUntil": "2036-01-01T00:00:00Z",
    "credentialSubject": [
        {"id": "did:example:anna", "name": "Anna Bērziņa", "role": "Coordinator"},
        {"id": "did:example:peteris", "name": "Pēteris Kalniņš", "role": "Volunteer"},
    ],
    "credentialSchema": {"id": "https://agnitio.example/schemas/team-award.json", "type": "JsonSchema"},
    "evidence": [{"id": "https://agnitio.example/evidence/42", "type": ["Evidence"], "name": "Event report",
                  "description": "Report reviewed by the jury."}],
    "termsOfUse": {"type": "TrustFrameworkPolicy", "trustFramework": "Youth awards", "policyId": "P-1"},
    "relatedResource": [{"id": "https://agnitio.example/award.png", "mediaType": "image/png",
                         "digestSRI": "sha384-S57yQDg1MTzF56Oi9DbSQ14u7jBy0RDdx0YbeV7shwhCS88G8SCXeFq82PafhCrW"}],
}


def _post(client, path, body, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(path, data=json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def token(owner, organisation):
    _token, raw = api_token_create(actor=owner, name="VC API", organisation=organisation)
    return raw


def _with_issuer(document, organisation):
    document = copy.deepcopy(document)
    document["issuer"] = did_for(organisation)
    return document


def _node_ok(credential, organisation):
    assert node_available() == "", node_available()  # a missing Node checker fails, never skips
    output = node_verify(credential, organisation=organisation)
    assert output["verified"], output
    return output


# ------------------------------------------------------------------------------------------- issuing


def test_general_credential_is_issued_as_posted_and_verifies_here_and_with_node(client, token, organisation):
    posted = _with_issuer(GENERAL, organisation)
    response = _post(client, "/credentials/issue", {"credential": posted, "options": {}}, token)
    assert response.status_code == 201, response.content
    vc = response.json()["verifiableCredential"]
    # Everything posted is kept exactly; only the proof and the status entry are added.
    assert {k: v for k, v in vc.items() if k not in ("proof", "credentialStatus")} == posted
    assert vc["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert vc["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert vc["proof"]["verificationMethod"].startswith(did_for(organisation) + "#")
    record = IssuedCredential.objects.get(credential_uid=GENERAL["id"])
    assert record.organisation == organisation and record.credential == vc
    assert record.holder_name == "Anna Bērziņa" and record.achievement["name"] == "Team award"
    assert record.issued_on == datetime.date(2026, 1, 1) and record.valid_until == datetime.date(2036, 1, 1)
    assert AuditEvent.objects.filter(verb="credential_issue").count() == 1
    verify = _post(client, "/credentials/verify", {"verifiableCredential": vc, "options": {}})
    assert verify.status_code == 200, verify.content
    assert "proof" in verify.json()["checks"] and "status" in verify.json()["checks"]
    assert verify.json()["errors"] == []
    _node_ok(vc, organisation)


def test_issued_credential_tampered_in_evidence_or_subject_fails(client, token, organisation):
    vc = _post(client, "/credentials/issue", {"credential": _with_issuer(GENERAL, organisation)},
               token).json()["verifiableCredential"]
    for change in (lambda d: d["evidence"][0].update(description="Forged."),
                   lambda d: d["credentialSubject"][1].update(role="Coordinator"),
                   lambda d: d["termsOfUse"].update(policyId="P-2")):
        tampered = copy.deepcopy(vc)
        change(tampered)
        response = _post(client, "/credentials/verify", {"verifiableCredential": tampered})
        assert response.status_code == 400 and response.json()["errors"]


def test_open_badges_credential_keeps_what_was_posted(client, token, organisation):
    posted = _with_issuer(OB3, organisation)
    response = _post(client, "/credentials/issue",
                     {"credential": posted, "options": {"holderEmail": "janis@example.org"}}, token)
    assert response.status_code == 201, response.content
    vc = response.json()["verifiableCredential"]
    assert vc["credentialSubject"] == OB3["credentialSubject"] and vc["name"] == OB3["name"]
    assert vc["issuer"] == did_for(organisation) and vc["id"].startswith("urn:uuid:")
    assert "janis@example.org" not in json.dumps(vc)  # the wallet address is not written into the credential
    record = IssuedCredential.objects.get(credential_uid=vc["id"])
    assert record.kind == "microcredential" and record.holder_name == "Jānis Ozols"
    assert record.holder_email == "janis@example.org" and record.issued_on == datetime.date(2026, 11, 21)
    assert _post(client, "/credentials/verify", {"verifiableCredential": vc}).json()["errors"] == []
    _node_ok(vc, organisation)


def test_issuer_object_is_kept_as_posted(client, token, organisation):
    posted = copy.deepcopy(OB3)
    posted["issuer"] = {"id": did_for(organisation), "type": ["Profile"],
                        "name": [{"@value": "JIC", "@language": "en"}, "Jauniešu centrs"]}
    response = _post(client, "/credentials/issue", {"credential": posted}, token)
    assert response.status_code == 201, response.content
    vc = response.json()["verifiableCredential"]
    assert vc["issuer"] == posted["issuer"]
    _node_ok(vc, organisation)


def test_own_status_entry_is_kept_beside_ours(client, token, organisation):
    posted = _with_issuer(GENERAL, organisation)
    posted["@context"] = [*posted["@context"], {"CredentialStatusList2017": "https://example.org/#List2017"}]
    posted["credentialStatus"] = {"id": "https://status.example/lists/1#9", "type": "CredentialStatusList2017"}
    response = _post(client, "/credentials/issue", {"credential": posted}, token)
    assert response.status_code == 201, response.content
    vc = response.json()["verifiableCredential"]
    assert vc["credentialStatus"][0] == posted["credentialStatus"]
    assert vc["credentialStatus"][1]["type"] == "BitstringStatusListEntry"
    verify = _post(client, "/credentials/verify", {"verifiableCredential": vc}).json()
    assert "status" in verify["checks"] and verify["errors"] == [] and verify["warnings"]  # theirs: not checked


def test_status_entry_on_our_lists_is_refused(client, token, organisation, issue):
    taken = issue().credential["credentialStatus"]
    posted = _with_issuer(GENERAL, organisation)
    posted["credentialStatus"] = taken
    response = _post(client, "/credentials/issue", {"credential": posted}, token)
    assert response.status_code == 400 and "status list" in response.json()["errors"][0]


def test_credential_without_id_or_validity_gets_them(client, token, organisation):
    posted = {"@context": [VC_V2, VC_EXAMPLES_V2], "type": ["VerifiableCredential"],
              "issuer": did_for(organisation), "credentialSubject": {"id": "did:example:subject"}}
    response = _post(client, "/credentials/issue", {"credential": posted}, token)
    assert response.status_code == 201, response.content
    vc = response.json()["verifiableCredential"]
    assert vc["id"].startswith("urn:uuid:") and vc["validFrom"] and "validUntil" not in vc
    assert IssuedCredential.objects.get(credential_uid=vc["id"]).holder_name == "did:example:subject"


@pytest.mark.parametrize(("issuer", "reason"), [
    ("did:web:elsewhere.example", "issues for"),
    ({"id": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "name": "Someone"}, "issues for"),
    ({"name": "No id"}, "issuer"),
    ("not a url", "issuer"),
    (None, "issuer"),
    ([], "issuer"),
    ({"id": "DID", "name": {"@value": "X", "url": "https://x.example"}}, "issuer.name"),
    ({"id": "DID", "description": 5}, "issuer.description"),
])
def test_issuer_it_will_not_honour_is_refused_with_a_reason(client, token, organisation, issuer, reason):
    posted = copy.deepcopy(GENERAL)
    posted["issuer"] = {**issuer, "id": did_for(organisation)} if isinstance(issuer, dict) and \
        issuer.get("id") == "DID" else issuer
    response = _post(client, "/credentials/issue", {"credential": posted}, token)
    assert response.status_code == 400
    assert reason in response.json()["errors"][0]
    assert IssuedCredential.objects.count() == 0


def test_missing_issuer_is_refused_not_filled_in(client, token, organisation):
    response = _post(client, "/credentials/issue", {"credential": GENERAL}, token)
    assert response.status_code == 400 and did_for(organisation) in response.json()["errors"][0]
    assert IssuedCredential.objects.count() == 0


def test_id_it_will_not_honour_is_refused(client, token, organisation):
    for bad in (None, 42, ["urn:uuid:1", "urn:uuid:2"], "not a url", "urn:uuid:" + "a" * 200):
        posted = _with_issuer(GENERAL, organisation)
        posted["id"] = bad
        response = _post(client, "/credentials/issue", {"credential": posted}, token)
        assert response.status_code == 400 and "id" in response.json()["errors"][0], bad
    posted = _with_issuer(GENERAL, organisation)
    assert _post(client, "/credentials/issue", {"credential": posted}, token).status_code == 201
    again = _post(client, "/credentials/issue", {"credential": posted}, token)
    assert again.status_code == 400 and "already issued" in again.json()["errors"][0]
    assert IssuedCredential.objects.count() == 1


@pytest.mark.parametrize("change", [
    lambda d: d.pop("@context"),
    lambda d: d.update({"@context": 4}),
    lambda d: d.update({"@context": [VC_EXAMPLES_V2, VC_V2]}),
    lambda d: d.update({"@context": [VC_V2, None]}),
    lambda d: d.update({"@context": [VC_V2, "https://example.org/not-shipped.jsonld"]}),
    lambda d: d.update({"@context": [VC_V1]}),
    lambda d: d.pop("type"),
    lambda d: d.update({"type": 4}),
    lambda d: d.update({"type": ["TeamAwardCredential"]}),
    lambda d: d.update({"type": [None]}),
    lambda d: d.pop("credentialSubject"),
    lambda d: d.update({"credentialSubject": "did:example:1234"}),
    lambda d: d.update({"credentialSubject": []}),
    lambda d: d.update({"credentialSubject": [{}]}),
    lambda d: d.update({"credentialSubject": {"id": ["did:example:a", "did:example:b"]}}),
    lambda d: d.update({"validFrom": "yesterday"}),
    lambda d: d.update({"validUntil": "2025-01-01T00:00:00Z"}),
    lambda d: d.update({"proof": {"type": "DataIntegrityProof"}}),
    lambda d: d.update({"credentialStatus": {"id": "did:example:status"}}),
    lambda d: d.update({"credentialStatus": {"id": "did:example:status", "type": 2}}),
    lambda d: d.update({"name": {"@value": "Award", "@language": "en", "url": "did:example:x"}}),
    lambda d: d.update({"description": [{"@language": "en"}]}),
    lambda d: d.update({"credentialSchema": {"id": "https://example.org/s.json"}}),
    lambda d: d.update({"credentialSchema": {"type": "JsonSchema"}}),
    lambda d: d.update({"credentialSchema": {"id": "not a url", "type": "JsonSchema"}}),
    lambda d: d.update({"evidence": [{"id": "https://example.org/e/1"}]}),
    lambda d: d.update({"termsOfUse": {"id": "did:example:terms/1"}}),
    lambda d: d.update({"refreshService": {"id": "did:example:refresh/1"}}),
    lambda d: d.update({"relatedResource": ["https://example.org/a.png"]}),
    lambda d: d.update({"relatedResource": {"digestSRI": "sha384-abc"}}),
    lambda d: d.update({"relatedResource": {"id": "https://example.org/a.png"}}),
    lambda d: d.update({"relatedResource": [{"id": "https://example.org/a", "digestSRI": "sha384-a"},
                                            {"id": "https://example.org/a", "digestSRI": "sha384-b"}]}),
])
def test_malformed_credential_is_refused_with_a_reason(client, token, organisation, change):
    posted = _with_issuer(GENERAL, organisation)
    change(posted)
    response = _post(client, "/credentials/issue", {"credential": posted}, token)
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]
    assert IssuedCredential.objects.count() == 0


def test_malformed_request_is_refused(client, token, organisation):
    good = _with_issuer(GENERAL, organisation)
    for body in ({"verifiableCredential": good}, {"credential": "x"}, [good],
                 {"credential": good, "options": []}, {"credential": good, "options": {"kind": "x"}},
                 {"credential": good, "options": {"languages": "en"}}):
        response = _post(client, "/credentials/issue", body, token)
        assert response.status_code == 400 and response.json()["errors"], body
    response = client.post("/credentials/issue", data=b"{not json", content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 400 and response.json()["errors"]
    assert IssuedCredential.objects.count() == 0


def test_issue_without_or_with_bad_token_changes_nothing(client, db):
    assert _post(client, "/credentials/issue", {"credential": GENERAL}).status_code == 401
    assert _post(client, "/credentials/issue", {"credential": GENERAL}, "agn_wrong").status_code == 401
    assert IssuedCredential.objects.count() == 0


def test_token_of_another_organisation_cannot_issue_for_ours(client, outsider, organisation):
    _token, raw = api_token_create(actor=outsider, name="theirs")
    response = _post(client, "/credentials/issue",
                     {"credential": _with_issuer(GENERAL, organisation),
                      "options": {"organisation": organisation.public_id}}, raw)
    assert response.status_code == 404
    assert IssuedCredential.objects.count() == 0
    assert not AuditEvent.objects.filter(verb="credential_issue").exists()


@pytest.mark.parametrize("path", ["/credentials/issue", "/credentials/verify", "/presentations/verify"])
@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_other_methods_get_405_with_json(client, db, path, method):
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json") and response["Allow"] == "POST"
    assert response.json()["errors"]


# ------------------------------------------------------------------------------------------ verifying


def test_verify_rejects_tampered_with_400(client, issue):
    vc = copy.deepcopy(issue().credential)
    vc["credentialSubject"]["achievement"]["name"] = "Something else"
    response = _post(client, "/credentials/verify", {"verifiableCredential": vc})
    assert response.status_code == 400
    body = response.json()
    assert body["checks"] == ["proof"] and body["errors"] and body["warnings"] == []
    assert _post(client, "/credentials/verify", {"nothing": 1}).status_code == 400


# ----------------------------------------------------------------------------------------- presentations


def _holder_key():
    private = new_key()
    multikey = public_key_multibase(private.public_key())
    return private, f"did:key:{multikey}", f"did:key:{multikey}#{multikey}"


def _sign_presentation(document, private, vm, **extra):
    """A DataIntegrityProof (eddsa-rdfc-2022, purpose authentication) over `document`, with challenge/domain."""
    options = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2026-11-30T10:00:00Z",
               "verificationMethod": vm, "proofPurpose": "authentication", **extra}
    config = {**options, "@context": document["@context"]}
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    digest = hashlib.sha256(canonize(config).encode()).digest() + hashlib.sha256(canonize(unsigned).encode()).digest()
    return {**unsigned, "proof": {**options, "proofValue": "z" + base58.b58encode(private.sign(digest)).decode()}}


def _presentation(credentials, holder=None):
    document = {"@context": [VC_V2], "type": ["VerifiablePresentation"], "verifiableCredential": credentials}
    if holder:
        document["holder"] = holder
    return document


@pytest.fixture
def issued(client, token, organisation):
    return _post(client, "/credentials/issue", {"credential": _with_issuer(GENERAL, organisation)},
                 token).json()["verifiableCredential"]


def test_presentation_with_proof_challenge_and_domain_verifies(client, issued, issue):
    private, did, vm = _holder_key()
    vp = _sign_presentation(_presentation([issued, issue().credential], holder=did), private, vm,
                            challenge="c-123", domain="verifier.example")
    response = _post(client, "/presentations/verify",
                     {"verifiablePresentation": vp, "options": {"challenge": "c-123", "domain": "verifier.example"}})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["verified"] is True and body["errors"] == []
    assert body["presentationResult"] == {"verified": True, "checks": ["proof", "challenge", "domain"], "errors": []}
    assert [r["verified"] for r in body["credentialResults"]] == [True, True]
    assert body["credentialResults"][0]["credentialId"] == GENERAL["id"]
    assert "status" in body["credentialResults"][0]["checks"]


def test_presentation_without_proof_verifies_its_credentials(client, issued):
    response = _post(client, "/presentations/verify", {"verifiablePresentation": _presentation(issued)})
    assert response.status_code == 200, response.content
    assert response.json()["verified"] is True and response.json()["presentationResult"]["checks"] == []
    prooflessly = _post(client, "/presentations/verify", {"presentation": _presentation([issued])})
    assert prooflessly.status_code == 200


def test_presentation_with_wrong_challenge_domain_or_purpose_fails(client, issued):
    private, did, vm = _holder_key()
    vp = _sign_presentation(_presentation([issued], holder=did), private, vm, challenge="c-1", domain="a.example")
    for options in ({"challenge": "c-2"}, {"domain": "b.example"}, {"challenge": "c-1", "domain": "b.example"}):
        response = _post(client, "/presentations/verify", {"verifiablePresentation": vp, "options": options})
        assert response.status_code == 400 and response.json()["verified"] is False, options
    unsigned = _presentation([issued])
    response = _post(client, "/presentations/verify",
                     {"verifiablePresentation": unsigned, "options": {"challenge": "c-1"}})
    assert response.status_code == 400 and "no proof" in response.json()["errors"][0]
    assertion = _sign_presentation(_presentation([issued], holder=did), private, vm, challenge="c-1")
    assertion["proof"]["proofPurpose"] = "assertionMethod"
    response = _post(client, "/presentations/verify",
                     {"verifiablePresentation": assertion, "options": {"challenge": "c-1"}})
    assert response.status_code == 400


def test_tampered_presentation_or_credential_fails(client, issued):
    private, did, vm = _holder_key()
    vp = _sign_presentation(_presentation([issued], holder=did), private, vm, challenge="c-1")
    tampered = copy.deepcopy(vp)
    tampered["verifiableCredential"][0]["credentialSubject"][0]["role"] = "Chair"
    response = _post(client, "/presentations/verify", {"verifiablePresentation": tampered,
                                                      "options": {"challenge": "c-1"}})
    body = response.json()
    assert response.status_code == 400 and body["verified"] is False
    assert body["presentationResult"]["verified"] is False  # the holder's signature covers the credential too
    resigned = _sign_presentation(tampered, private, vm, challenge="c-1")
    body = _post(client, "/presentations/verify", {"verifiablePresentation": resigned,
                                                   "options": {"challenge": "c-1"}}).json()
    assert body["presentationResult"]["verified"] is True
    assert body["credentialResults"][0]["verified"] is False and body["verified"] is False
    unsigned = _presentation([tampered["verifiableCredential"][0]])
    assert _post(client, "/presentations/verify", {"verifiablePresentation": unsigned}).status_code == 400


def test_presentation_signed_by_someone_else_than_its_holder_fails(client, issued):
    private, _did, vm = _holder_key()
    _other, other_did, _vm = _holder_key()
    vp = _sign_presentation(_presentation([issued], holder=other_did), private, vm)
    response = _post(client, "/presentations/verify", {"verifiablePresentation": vp})
    assert response.status_code == 400 and "not by its holder" in response.json()["errors"][0]


def test_revoked_credential_in_presentation_fails(client, issued, owner):
    from agnitio.credentials.services import credential_revoke

    credential_revoke(actor=owner, credential=IssuedCredential.objects.get(credential_uid=issued["id"]),
                      reason="Issued in error.")
    body = _post(client, "/presentations/verify", {"verifiablePresentation": _presentation([issued])}).json()
    assert body["verified"] is False and body["credentialResults"][0]["verified"] is False
    assert any("revoked" in e for e in body["errors"])


@pytest.mark.parametrize("body", [
    {"verifiablePresentation": "x"},
    {"nothing": 1},
    {"verifiablePresentation": {"@context": [VC_V2], "type": ["VerifiableCredential"]}},
    {"verifiablePresentation": {"type": ["VerifiablePresentation"]}},
    {"verifiablePresentation": {"@context": [VC_EXAMPLES_V2, VC_V2], "type": ["VerifiablePresentation"]}},
    {"verifiablePresentation": {"@context": [VC_V2], "type": ["VerifiablePresentation"],
                                "verifiableCredential": ["x"]}},
    {"verifiablePresentation": {"@context": [VC_V2], "type": ["VerifiablePresentation"]}},
    {"verifiablePresentation": {"@context": [VC_V2], "type": ["VerifiablePresentation"], "proof": "x"}},
    {"verifiablePresentation": {"@context": [VC_V2], "type": ["VerifiablePresentation"]},
     "options": {"challenge": 5}},
])
def test_malformed_presentation_is_400(client, db, body):
    response = _post(client, "/presentations/verify", body)
    assert response.status_code == 400 and response.json()["errors"] and response.json()["verified"] is False


def test_vc_1_1_presentation_with_proof_verifies(client, db):
    """A VC 1.1 presentation (DID authentication: a proof and no credential) signed with a DataIntegrityProof."""
    from agnitio.credentials.signing.loader import DATA_INTEGRITY_V2

    private, did, vm = _holder_key()
    vp = _sign_presentation({"@context": [VC_V1, DATA_INTEGRITY_V2], "type": ["VerifiablePresentation"],
                             "holder": did}, private, vm, challenge="c-11", domain="verifier.example")
    options = {"challenge": "c-11", "domain": "verifier.example"}
    response = _post(client, "/presentations/verify", {"verifiablePresentation": vp, "options": options})
    assert response.status_code == 200, response.content
    assert response.json()["verified"] is True and response.json()["credentialResults"] == []
    vp["holder"] = _holder_key()[1]
    response = _post(client, "/presentations/verify", {"verifiablePresentation": vp, "options": options})
    assert response.status_code == 400 and response.json()["verified"] is False


def test_pages_of_a_vc_api_record_work(client, token, organisation, owner, make_user):
    """A record issued through the VC API (string issuer, several subjects, no PDF) opens like any other: the
    public page by number, the organisation's list and downloads, and the holder's wallet."""
    holder = make_user("anna@example.org")
    response = _post(client, "/credentials/issue", {"credential": _with_issuer(GENERAL, organisation),
                                                    "options": {"holderEmail": "anna@example.org"}}, token)
    record = IssuedCredential.objects.get(credential_uid=response.json()["verifiableCredential"]["id"])
    page = client.get(f"/verify/{record.code}")
    assert page.status_code == 200 and "Team award" in page.content.decode()
    api = client.get(f"/api/v1/verify/{record.code}")
    assert api.status_code == 200 and api.json()["verified"] is True
    client.force_login(owner)
    assert client.get(f"/credentials/organisation/{organisation.public_id}/").status_code == 200
    download = client.get(f"/credentials/{record.public_id}/credential.json")
    assert download.status_code == 200 and json.loads(download.content) == record.credential
    assert client.get(f"/credentials/{record.public_id}/edc.jsonld").status_code == 200
    client.force_login(holder)
    # the holder has no relation with the organisation: the credential is offered until they accept it
    assert client.get(f"/wallet/{record.public_id}/").status_code == 404
    assert client.post(f"/wallet/offer/{record.public_id}/accept").status_code == 302
    assert client.get(f"/wallet/{record.public_id}/").status_code == 200
    assert "Team award" in client.get("/wallet/").content.decode()


@pytest.mark.parametrize(("kind", "languages"), [("youthpass", ["lv", "en"]), ("microcredential", ["lv"])])
def test_edc_export_of_a_vc_api_record_conforms_with_a_credential_summary_as_display(client, token, organisation,
                                                                                   owner, kind, languages):
    """A record issued through the VC API has no PDF: its EDC export shows the credential summary the documents
    engine makes on demand in the record's languages (never the interface's), so each display has its page image
    and the export passes the EDC shapes an outside checker runs."""
    from django.utils import translation
    from PIL import Image

    from agnitio.credentials.formats.elm import _page_images, summary_pdf
    from agnitio.documents.tests.conftest import pdf_text

    response = _post(client, "/credentials/issue", {"credential": _with_issuer(GENERAL, organisation),
                                                    "options": {"kind": kind, "languages": languages}}, token)
    assert response.status_code == 201, response.content
    record = IssuedCredential.objects.get(credential_uid=GENERAL["id"])
    assert record.kind == kind and not record.pdf
    edc_shapes_check(record)

    client.force_login(owner)
    served = client.get(f"/credentials/{record.public_id}/edc.jsonld", HTTP_ACCEPT_LANGUAGE="en")
    assert served.status_code == 200
    displays = json.loads(served.content)["displayParameter"]["individualDisplay"]
    assert len(displays) == len(languages)
    with translation.override("en"):
        summary = summary_pdf(record)
    for display in displays:
        [detail] = display["displayDetail"]
        jpeg = base64.b64decode(detail["image"]["content"])
        picture = Image.open(io.BytesIO(jpeg))
        assert picture.format == "JPEG" and picture.size[1] > picture.size[0]  # an A4 page, upright
        assert jpeg == base64.b64decode(_page_images(summary)[0])  # the summary's page
    assert not IssuedCredential.objects.get(pk=record.pk).pdf  # rendered for the answer, never stored

    text = " ".join(pdf_text(summary).split())
    for value in ("Team award", "Anna Bērziņa", organisation.legal_name, record.number, record.code,
                  record.verification_url, "Izdošanas datums", "Digitālā apliecinājuma kopsavilkums"):
        assert value in text, value
    assert ("Date of issue" in text) == ("en" in languages)


def test_presentation_verification_is_throttled_per_client(client, issued, settings):
    settings.AGNITIO_VERIFY_RATE_LIMIT = "2/m"
    body = {"verifiablePresentation": _presentation([issued])}
    assert [_post(client, "/presentations/verify", body).status_code for _ in range(2)] == [200, 200]
    response = _post(client, "/presentations/verify", body)
    assert response.status_code == 429 and response["Retry-After"] == "60" and response.json()["errors"]


def test_a_credential_with_a_posted_url_id_is_bound_to_its_record(client, token, organisation, owner):
    """The VC API honours any URL as `id`: verification must still find our record by it (signed by our key)."""
    from agnitio.credentials.services import credential_revoke
    from agnitio.credentials.verification import credential_verify_json

    posted = {**_with_issuer(GENERAL, organisation), "id": "https://credentials.example.org/awards/1"}
    vc = _post(client, "/credentials/issue", {"credential": posted}, token).json()["verifiableCredential"]
    record = IssuedCredential.objects.get(credential_uid=posted["id"])
    result = credential_verify_json(vc)
    assert result.verified and result.issuer_known and result.credential == record
    credential_revoke(actor=owner, credential=record, reason="Issued in error.")
    result = credential_verify_json(vc)
    assert not result.verified and result.credential == record and result.status == "revoked"


def test_a_presentation_with_too_many_credentials_is_refused_before_any_check(client, issued, monkeypatch):
    from agnitio.credentials import verification

    checked = []
    monkeypatch.setattr(verification, "credential_verify_json", lambda c: checked.append(c))
    response = _post(client, "/presentations/verify",
                     {"presentation": _presentation([issued] * (verification.MAX_PRESENTATION_CREDENTIALS + 1))})
    assert response.status_code == 400 and "at most 20 credentials" in response.json()["errors"][0]
    assert checked == []


def test_a_credential_with_too_many_proofs_is_refused_before_any_signature_check(client, issued, monkeypatch):
    from agnitio.credentials.signing import proofs

    hashed = []
    monkeypatch.setattr(proofs, "_verify_one", lambda *args: hashed.append(1) or True)
    many = {**issued, "proof": [issued["proof"]] * (proofs.MAX_PROOFS + 1)}
    response = _post(client, "/credentials/verify", {"verifiableCredential": many})
    assert response.status_code == 400 and "at most 8 proofs" in json.dumps(response.json())
    assert hashed == []
