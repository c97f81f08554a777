"""Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite (W3C Data Integrity EdDSA Cryptosuites v1.0).

hashData = SHA-256(RDFC-1.0(proof options + document @context)) || SHA-256(RDFC-1.0(document without proof));
proofValue = multibase base58btc(Ed25519 signature of hashData)."""

from __future__ import annotations

import copy
import datetime
import hashlib

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .loader import canonize

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"


class ProofError(Exception):
    """The proof is missing, malformed or does not match the document."""


def _hash_data(document: dict, proof_options: dict) -> bytes:
    config = {k: v for k, v in proof_options.items() if k != "proofValue"}
    config["@context"] = document["@context"]
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    return hashlib.sha256(canonize(config).encode()).digest() + hashlib.sha256(canonize(unsigned).encode()).digest()


def proof_add(
    *, document: dict, private_key: Ed25519PrivateKey, verification_method: str,
    proof_purpose: str = "assertionMethod", created: datetime.datetime | None = None,
) -> dict:
    """Return a copy of `document` with a DataIntegrityProof."""
    created = (created or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC).replace(microsecond=0)
    options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    signature = private_key.sign(_hash_data(document, options))
    signed = copy.deepcopy({k: v for k, v in document.items() if k != "proof"})
    signed["proof"] = {**options, "proofValue": "z" + base58.b58encode(signature).decode()}
    return signed


def proof_options(document: dict) -> dict:
    """The single eddsa-rdfc-2022 proof of `document`, checked for shape (not yet for the signature)."""
    proof = document.get("proof")
    if isinstance(proof, list):
        if len(proof) != 1:
            raise ProofError("Exactly one proof is expected.")
        proof = proof[0]
    if not isinstance(proof, dict):
        raise ProofError("The credential has no proof.")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError("Unsupported proof type or cryptosuite.")
    for key in ("verificationMethod", "proofPurpose", "proofValue"):
        if not isinstance(proof.get(key), str):
            raise ProofError(f"The proof has no {key}.")
    if "@context" not in document:
        raise ProofError("The document has no @context.")
    return proof


def proof_verify(*, document: dict, public_key: Ed25519PublicKey) -> bool:
    """True when the proof's signature matches the canonicalised document and options."""
    proof = proof_options(document)
    value = proof["proofValue"]
    if not value.startswith("z"):
        raise ProofError("proofValue must be multibase base58btc.")
    try:
        signature = base58.b58decode(value[1:])
    except ValueError as exc:
        raise ProofError("proofValue is not valid base58btc.") from exc
    try:
        public_key.verify(signature, _hash_data(document, proof))
    except InvalidSignature:
        return False
    return True
