"""The W3C vc-di-eddsa specification's test vectors (data in `data/vc-di-eddsa/`): its eddsa-rdfc-2022 and
Ed25519Signature2020 examples, a proof set and a proof chain verify with our cryptosuite registry — so our reading
of "Verify Proof Sets and Chains" is the specification's, not only our Node signer's."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from pyld import jsonld

from agnitio.credentials.signing import loader
from agnitio.credentials.signing.proofs import proofs_verify
from agnitio.credentials.verification import resolve_verification_method

DATA = Path(__file__).parent / "data" / "vc-di-eddsa"
EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"


@pytest.fixture(autouse=True)
def examples_context(monkeypatch):
    shipped = loader.context_document

    def context_document(url):
        if url == EXAMPLES_V2:
            return {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}
        return shipped(url)

    monkeypatch.setattr(loader, "context_document", context_document)
    yield
    jsonld._resolved_context_cache.pop(EXAMPLES_V2, None)  # not shipped: forget it after these tests


def _load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def test_canonical_document_is_the_specifications():
    document = _load("eddsa-rdfc-2022_signedDataInt.json")
    del document["proof"]
    assert loader.canonize(document) == (DATA / "eddsa-rdfc-2022_canonDocDataInt.txt").read_text().strip() + "\n"


@pytest.mark.parametrize("name, count", [
    ("eddsa-rdfc-2022_signedDataInt.json", 1),
    ("Ed25519Signature2020_signedEdSig.json", 1),
    ("proof-set-chain_signedProofSet2.json", 2),
    ("proof-set-chain_signedProofChain2.json", 4),
])
def test_vectors_verify_and_tampering_fails(name, count):
    document = _load(name)
    checks = proofs_verify(document=document, resolve=resolve_verification_method)
    assert len(checks) == count and all(c.verified for c in checks), checks
    tampered = copy.deepcopy(document)
    tampered["credentialSubject"]["alumniOf"] = "Another School"
    assert not any(c.verified for c in proofs_verify(document=tampered, resolve=resolve_verification_method))


def test_chain_binds_the_previous_proofs_as_the_specification_shows():
    """What the chain's last proof signs is exactly the temporary document the specification prints (the
    credential with `proof` = the proof it names); the third proof, naming two, fails with only one of them."""
    from agnitio.credentials.signing.proofs import _chain_input

    chain = _load("proof-set-chain_signedProofChain2.json")
    temporary = _load("proof-set-chain_proofChainTempDoc2.json")
    assert _chain_input(chain, chain["proof"][3], chain["proof"]) == temporary
    third = chain["proof"][2]
    reordered = copy.deepcopy(chain)
    reordered["proof"][2]["previousProof"] = third["previousProof"][:1]
    assert not proofs_verify(document=reordered, resolve=resolve_verification_method)[2].verified
