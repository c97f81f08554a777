"""Proof suites, sets and chains (issue 9, point 10), against credentials signed by Digital Bazaar's libraries
(tests/node/sign.mjs), an implementation we did not write: VC 2.0 and 1.1 credentials with eddsa-rdfc-2022 and
Ed25519Signature2020 proofs, proof sets (every proof must verify) and proof chains (`previousProof`)."""

from __future__ import annotations

import copy
import json

import pytest

from agnitio.credentials.signing.loader import ED25519_2020, OB_V3, VC_V1, VC_V2
from agnitio.credentials.signing.proofs import SUITES, ProofError, proofs_of, proofs_verify, suite_for
from agnitio.credentials.verification import credential_verify_json, resolve_verification_method

from .node_check import node_sign

V2 = {
    "@context": [VC_V2, OB_V3],
    "id": "urn:uuid:0c0c4a5e-1c1f-4b8e-9f39-6f1e0d8c2b11",
    "type": ["VerifiableCredential", "AchievementCredential"],
    "name": "Facilitating intercultural learning",
    "issuer": {"id": "", "type": ["Profile"], "name": "Independent Issuer"},
    "validFrom": "2026-01-01T00:00:00Z",
    "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
        "id": "urn:uuid:5b9d7c1e-2f4a-4d6b-8c0e-3a5f7b9d1e2f", "type": ["Achievement"],
        "name": "Facilitation", "description": "Ran a session.", "criteria": {"narrative": "Observed."}}},
}
V1 = {
    "@context": [VC_V1],
    "id": "urn:uuid:8e2f4a6c-0b1d-4e3f-a5c7-9d1b3f5e7a9c",
    "type": ["VerifiableCredential"],
    "issuer": "",
    "issuanceDate": "2026-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:holder"},
}


def _post(client, document):
    return client.post("/credentials/verify", data=json.dumps({"verifiableCredential": document}),
                       content_type="application/json")


@pytest.mark.parametrize("unsigned", [V2, V1], ids=["vc2", "vc1.1"])
@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "Ed25519Signature2020"])
def test_single_proofs_of_both_suites_on_both_data_models_verify(db, client, unsigned, suite):
    signed = node_sign(copy.deepcopy(unsigned), suite=suite)
    proof = signed["proof"]
    assert (proof["type"], proof.get("cryptosuite")) == (
        ("DataIntegrityProof", "eddsa-rdfc-2022") if suite == "eddsa-rdfc-2022" else ("Ed25519Signature2020", None))
    if suite == "Ed25519Signature2020":
        assert ED25519_2020 in signed["@context"]  # added by Digital Bazaar's vc.issue; shipped offline here
    result = credential_verify_json(signed)
    assert result.verified, result.errors
    assert _post(client, signed).status_code == 200
    tampered = copy.deepcopy(signed)
    tampered["id"] = "urn:uuid:00000000-0000-4000-8000-000000000000"
    result = credential_verify_json(tampered)
    assert not result.verified and result.error_codes == ["PROOF_VERIFICATION_ERROR"]
    assert _post(client, tampered).status_code == 400


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "Ed25519Signature2020"])
def test_a_proof_set_verifies_only_when_every_proof_does(db, client, suite):
    signed = node_sign(copy.deepcopy(V2), suite=suite, proofs=3)
    assert isinstance(signed["proof"], list) and len(signed["proof"]) == 3
    assert len({p["verificationMethod"] for p in signed["proof"]}) == 3
    checks = proofs_verify(document=signed, resolve=resolve_verification_method)
    assert [c.verified for c in checks] == [True, True, True]
    assert credential_verify_json(signed).verified
    assert _post(client, signed).status_code == 200
    for index in range(3):  # one broken proof spoils the set
        broken = copy.deepcopy(signed)
        broken["proof"][index]["created"] = "2020-01-01T00:00:00Z"
        assert [c.verified for c in proofs_verify(document=broken, resolve=resolve_verification_method)] == [
            i != index for i in range(3)]
        assert not credential_verify_json(broken).verified
        assert _post(client, broken).status_code == 400


def test_a_proof_chain_verifies_with_the_previous_proofs_bound(db, client):
    signed = node_sign(copy.deepcopy(V2), proofs=3, chain=True)
    proofs = signed["proof"]
    assert [p.get("previousProof") for p in proofs] == [None, proofs[0]["id"], proofs[1]["id"]]
    assert all(c.verified for c in proofs_verify(document=signed, resolve=resolve_verification_method))
    assert credential_verify_json(signed).verified
    assert _post(client, signed).status_code == 200

    # The second proof signed the first: altering the first (even re-pointing its id) breaks the chain.
    altered = copy.deepcopy(signed)
    altered["proof"][0]["created"] = "2020-01-01T00:00:00Z"
    assert [c.verified for c in proofs_verify(document=altered, resolve=resolve_verification_method)] == [
        False, False, True]
    # Dropping a proof the chain names is an error, not a silent pass.
    dropped = copy.deepcopy(signed)
    del dropped["proof"][1]
    checks = proofs_verify(document=dropped, resolve=resolve_verification_method)
    assert not checks[1].verified and checks[1].code == "PROOF_VERIFICATION_ERROR"
    assert "previousProof" in checks[1].error
    assert not credential_verify_json(dropped).verified
    # A chained proof is not valid on the bare document (what a verifier ignoring previousProof would check).
    unchained = copy.deepcopy(signed)
    del unchained["proof"][1]["previousProof"]
    assert not proofs_verify(document=unchained, resolve=resolve_verification_method)[1].verified


def test_ed25519signature2020_cannot_chain(db):
    """Its context does not define `previousProof` (Digital Bazaar's signer refuses in safe mode too): a proof
    that names one is data loss, not a silently unbound chain."""
    signed = node_sign(copy.deepcopy(V2), suite="Ed25519Signature2020", proofs=2)
    signed["proof"][1]["previousProof"] = signed["proof"][0]["id"]
    checks = proofs_verify(document=signed, resolve=resolve_verification_method)
    assert checks[0].verified and not checks[1].verified and checks[1].code == "DATA_LOSS_DETECTION_ERROR"
    result = credential_verify_json(signed)
    assert not result.verified and result.error_codes == ["DATA_LOSS_DETECTION_ERROR"]


def test_the_registry_refuses_unknown_suites_and_shapes():
    assert [s.name for s in SUITES] == ["eddsa-rdfc-2022", "Ed25519Signature2020"]
    with pytest.raises(ProofError):
        suite_for({"type": "DataIntegrityProof", "cryptosuite": "ecdsa-rdfc-2019"})
    with pytest.raises(ProofError):
        suite_for({"type": "RsaSignature2018"})
    with pytest.raises(ProofError):
        proofs_of({"@context": VC_V2})
    with pytest.raises(ProofError):
        proofs_of({"@context": VC_V2, "proof": [{"type": "Ed25519Signature2020", "verificationMethod": "x",
                                                "proofPurpose": "assertionMethod"}]})


CONTROLS = "".join(chr(i) for i in range(32)) + "\x7f"


def test_control_characters_interoperate_both_ways(db, organisation):
    """Issue 9, point 1: a credential whose text holds every C0 control and DEL, signed by us, verifies with
    Digital Bazaar's verifier (it answered "Invalid signature" when pyld wrote them raw), and one signed by
    Digital Bazaar verifies here."""
    from agnitio.credentials.dids import did_for
    from agnitio.credentials.services import _sign

    from .node_check import node_verify

    unsigned = copy.deepcopy(V2)
    unsigned["issuer"]["id"] = did_for(organisation)
    unsigned["name"] = f"Controls: {CONTROLS} end"
    unsigned["credentialSubject"]["achievement"]["description"] = f"a{CONTROLS}b"
    ours = _sign(unsigned, organisation=organisation)
    assert credential_verify_json(ours).verified
    node = node_verify(ours, organisation=organisation)
    assert node["verified"], node

    theirs = node_sign(copy.deepcopy({**V2, "name": f"Controls: {CONTROLS} end"}))
    assert credential_verify_json(theirs).verified
    tampered = copy.deepcopy(theirs)
    tampered["name"] = tampered["name"].replace("\x07", "\x08")
    assert not credential_verify_json(tampered).verified


def test_proof_errors_carry_data_integrity_codes(db):
    signed = node_sign(copy.deepcopy(V2))
    other_issuer = copy.deepcopy(signed)
    other_issuer["issuer"]["id"] = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    result = credential_verify_json(other_issuer)
    assert not result.verified and result.error_codes == ["PROOF_VERIFICATION_ERROR"]
    unknown_suite = copy.deepcopy(signed)
    unknown_suite["proof"]["cryptosuite"] = "ecdsa-rdfc-2019"
    result = credential_verify_json(unknown_suite)
    assert not result.verified and result.error_codes == ["MALFORMED_PROOF_ERROR"]


def test_the_node_cross_check_fails_rather_than_skips_when_missing(monkeypatch, tmp_path):
    from . import node_check

    monkeypatch.setattr(node_check, "NODE_DIR", tmp_path)  # no node_modules there
    with pytest.raises(pytest.fail.Exception, match="node_modules"):
        node_check.node_require()
    with pytest.raises(pytest.fail.Exception):
        node_check.node_sign({"@context": VC_V2})
    monkeypatch.setattr(node_check.shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception, match="node is not installed"):
        node_check.node_require()
