"""Interoperability the other way round, and the offline rule: credentials signed by Digital Bazaar's
implementation verify with ours; nothing is ever fetched."""

import copy
import json
import socket

import pytest

from agnitio.credentials.signing.loader import OB_V3, VC_V2, canonize
from agnitio.credentials.verification import credential_verify_json

from .node_check import node_available, node_sign

UNSIGNED = {
    "@context": [VC_V2, OB_V3],
    "id": "urn:uuid:2d5a8c4e-6f1b-4e7a-9c3d-8b2f1a0e9d77",
    "type": ["VerifiableCredential", "AchievementCredential"],
    "name": "Mentoring in a youth exchange",
    "issuer": {"id": "", "type": ["Profile"], "name": "Independent Issuer"},
    "validFrom": "2026-01-01T00:00:00Z",
    "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
        "id": "urn:uuid:7a1e3b5c-9d2f-4c6a-8e0b-1f3d5a7c9e2b", "type": ["Achievement"],
        "name": "Mentoring", "description": "Supported 5 participants.", "criteria": {"narrative": "Observed."}}},
}


@pytest.fixture
def node_signed():
    if reason := node_available():
        pytest.fail(reason, pytrace=False)
    return node_sign(copy.deepcopy(UNSIGNED))


def test_credential_signed_by_digital_bazaar_verifies_here(db, node_signed, client):
    assert node_signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    result = credential_verify_json(node_signed)
    assert result.verified, result.errors
    # The name is the document's own claim: kept apart, never shown as a name this service vouches for.
    assert result.claimed_issuer_name == "Independent Issuer" and result.issuer_name == ""
    assert not result.issuer_known and result.credential is None
    response = client.post("/credentials/verify", data=json.dumps({"verifiableCredential": node_signed}),
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["errors"] == []


def test_tampered_digital_bazaar_credential_fails_here(db, node_signed):
    node_signed["credentialSubject"]["achievement"]["name"] = "Leadership"
    assert not credential_verify_json(node_signed).verified


def test_nothing_is_fetched(db, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("network access")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    document = copy.deepcopy(UNSIGNED)
    document["issuer"]["id"] = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    assert "Independent Issuer" in canonize(document)
    document["@context"] = [VC_V2, "https://example.org/unknown-context.jsonld"]
    document["proof"] = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
                         "verificationMethod": document["issuer"]["id"] + "#" + document["issuer"]["id"][8:],
                         "proofPurpose": "assertionMethod", "proofValue": "z3FXQ"}
    result = credential_verify_json(document)
    assert not result.verified and "not available offline" in str(result.errors[0])
