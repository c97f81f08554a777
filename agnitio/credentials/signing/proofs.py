"""Data Integrity proofs: a small registry of cryptosuites and one verify entry point, `proofs_verify`.

Cryptosuites (both Ed25519 over RDFC-1.0 in JSON-LD safe mode; see `loader.canonize`):
- `eddsa-rdfc-2022` (`DataIntegrityProof`, W3C Data Integrity EdDSA Cryptosuites v1.0) — what we issue;
- `Ed25519Signature2020` (W3C CCG; what many wallets still hold, mostly with VC 1.1 credentials).
Both sign hashData = SHA-256(RDFC-1.0(proof options with the document's @context, without proofValue)) ||
SHA-256(RDFC-1.0(document without proof)); proofValue = multibase base58btc of the Ed25519 signature.

A `proof` may be one proof or a list: a proof set (every proof must verify) or a proof chain — a proof whose
`previousProof` names other proofs' `id`s signs the document *with those proofs* in `proof` (W3C Data Integrity
1.0, "Verify Proof Sets and Chains"); a `previousProof` naming no proof of the document is an error."""

from __future__ import annotations

import copy
import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .loader import DATA_INTEGRITY_V2, ED25519_2020, VC_V2, DataLossError, canonize
from .rdfc import CanonicalizationError

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"

PROOF_VERIFICATION_ERROR = "PROOF_VERIFICATION_ERROR"
DATA_LOSS_DETECTION_ERROR = DataLossError.code
MALFORMED_PROOF_ERROR = "MALFORMED_PROOF_ERROR"
MAX_PROOFS = 8  # proofs checked in one document (a set or a chain)


class ProofError(Exception):
    """The proof is missing, malformed or does not match the document."""

    def __init__(self, message: str, code: str = MALFORMED_PROOF_ERROR):
        super().__init__(message)
        self.code = code


# ------------------------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class Cryptosuite:
    name: str
    proof_type: str
    cryptosuite: str | None  # the `cryptosuite` property a DataIntegrityProof names; None for legacy suites
    suite_context: str  # added to the proof options' @context when the document lacks it (as Digital Bazaar does)

    def matches(self, proof: dict) -> bool:
        return proof.get("type") == self.proof_type and proof.get("cryptosuite") == self.cryptosuite

    def proof_config(self, document: dict, proof: dict) -> dict:
        config = {"@context": document["@context"], **proof}
        config.pop("proofValue", None)
        if self.cryptosuite is not None:  # DataIntegrityProof: the document's context; VC 2.0 includes DI terms
            contexts = config["@context"] if isinstance(config["@context"], list) else [config["@context"]]
            if self.suite_context not in contexts and VC_V2 not in contexts:
                config["@context"] = [*contexts, self.suite_context]
        return config

    def hash_data(self, document: dict, proof: dict) -> bytes:
        """The bytes signed: `document` is the unsecured document (with `proof` set only for a chain)."""
        return (hashlib.sha256(canonize(self.proof_config(document, proof)).encode()).digest()
                + hashlib.sha256(canonize(document).encode()).digest())


SUITES = (
    Cryptosuite("eddsa-rdfc-2022", PROOF_TYPE, CRYPTOSUITE, DATA_INTEGRITY_V2),
    Cryptosuite("Ed25519Signature2020", "Ed25519Signature2020", None, ED25519_2020),
)


def suite_for(proof: dict) -> Cryptosuite:
    for suite in SUITES:
        if suite.matches(proof):
            return suite
    raise ProofError(f"Unsupported proof type or cryptosuite: {proof.get('type')!r} {proof.get('cryptosuite')!r}.")


# --------------------------------------------------------------------------------------------- signing


def _unsecured(document: dict) -> dict:
    return {k: v for k, v in document.items() if k != "proof"}


def proof_add(
    *, document: dict, private_key: Ed25519PrivateKey, verification_method: str,
    proof_purpose: str = "assertionMethod", created: datetime.datetime | None = None,
) -> dict:
    """Return a copy of `document` with an eddsa-rdfc-2022 DataIntegrityProof (replacing any proof).
    Raises `DataLossError` when the document has data its contexts do not define: we never sign it."""
    created = (created or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC).replace(microsecond=0)
    options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    unsecured = _unsecured(document)
    signature = private_key.sign(SUITES[0].hash_data(unsecured, options))
    signed = copy.deepcopy(unsecured)
    signed["proof"] = {**options, "proofValue": "z" + base58.b58encode(signature).decode()}
    return signed


# -------------------------------------------------------------------------------------------- verifying


def proofs_of(document: dict) -> list[dict]:
    """The proofs of `document` (one, a set or a chain), each checked for shape (not yet for the signature)."""
    if not isinstance(document, dict) or "@context" not in document:
        raise ProofError("The document has no @context.")
    proofs = document.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs]
    if not proofs or proofs == [None]:
        raise ProofError("The credential has no proof.")
    if len(proofs) > MAX_PROOFS:  # each proof canonicalises the whole document again: bound the work per request
        raise ProofError(f"A document may carry at most {MAX_PROOFS} proofs.")
    for proof in proofs:
        if not isinstance(proof, dict):
            raise ProofError("A proof is not an object.")
        suite_for(proof)
        for key in ("verificationMethod", "proofPurpose", "proofValue"):
            if not isinstance(proof.get(key), str):
                raise ProofError(f"The proof has no {key}.")
    return proofs


def proof_options(document: dict, *, controller: str | None = None) -> dict:
    """The document's proof made by `controller` (a DID: the verification method's DID), or its first proof;
    every proof is checked for shape."""
    proofs = proofs_of(document)
    if controller:
        for proof in proofs:
            if proof["verificationMethod"].partition("#")[0] == controller:
                return proof
    return proofs[0]


def _signature(proof: dict) -> bytes:
    value = proof["proofValue"]
    if not value.startswith("z"):
        raise ProofError("proofValue must be multibase base58btc.")
    try:
        return base58.b58decode(value[1:])
    except ValueError as exc:
        raise ProofError("proofValue is not valid base58btc.") from exc


def _chain_input(document: dict, proof: dict, proofs: list[dict]) -> dict:
    """What `proof` signed: the unsecured document, plus the proofs its `previousProof` names (a chain)."""
    unsecured = _unsecured(document)
    previous = proof.get("previousProof")
    if previous is None:
        return unsecured
    wanted = [previous] if isinstance(previous, str) else previous
    if not isinstance(wanted, list) or not all(isinstance(p, str) for p in wanted):
        raise ProofError("previousProof must be a proof id or a list of them.")
    by_id = {p.get("id"): p for p in proofs if isinstance(p.get("id"), str)}
    missing = [p for p in wanted if p not in by_id]
    if missing:
        raise ProofError(f"previousProof names no proof of this document: {', '.join(missing)}.",
                         PROOF_VERIFICATION_ERROR)
    unsecured["proof"] = [by_id[p] for p in wanted]
    return unsecured


def _verify_one(document: dict, proof: dict, proofs: list[dict], public_key: Ed25519PublicKey) -> bool:
    suite = suite_for(proof)
    try:
        public_key.verify(_signature(proof), suite.hash_data(_chain_input(document, proof, proofs), proof))
    except InvalidSignature:
        return False
    return True


@dataclass(frozen=True)
class ProofCheck:
    """The result for one proof of a document."""

    verification_method: str
    controller: str
    proof_purpose: str
    suite: str
    verified: bool
    error: str = ""
    code: str = ""


def proofs_verify(*, document: dict, resolve: Callable[[str], tuple[str, Ed25519PublicKey]]) -> list[ProofCheck]:
    """THE verify entry point: check every proof of `document` (single proof, proof set, proof chain).

    `resolve(verification method id) -> (controller DID, Ed25519 public key)` finds keys (it may raise; that
    propagates). Shape errors raise `ProofError`; everything else is reported per proof: a document with data
    its contexts do not define gives `DATA_LOSS_DETECTION_ERROR`, a bad signature `PROOF_VERIFICATION_ERROR`.
    The document is valid when the list is non-empty and every `verified` is true (`all_verified`)."""
    proofs = proofs_of(document)
    checks = []
    for proof in proofs:
        controller, public_key = resolve(proof["verificationMethod"])
        suite = suite_for(proof)
        fields = {"verification_method": proof["verificationMethod"], "controller": controller,
                  "proof_purpose": proof["proofPurpose"], "suite": suite.name}
        try:
            ok = _verify_one(document, proof, proofs, public_key)
        except DataLossError as exc:
            checks.append(ProofCheck(**fields, verified=False, error=str(exc), code=DATA_LOSS_DETECTION_ERROR))
            continue
        except CanonicalizationError as exc:
            checks.append(ProofCheck(**fields, verified=False, error=str(exc), code=PROOF_VERIFICATION_ERROR))
            continue
        except ProofError as exc:
            checks.append(ProofCheck(**fields, verified=False, error=str(exc), code=exc.code))
            continue
        checks.append(ProofCheck(**fields, verified=ok, error="" if ok else "The signature does not match.",
                                 code="" if ok else PROOF_VERIFICATION_ERROR))
    return checks


def all_verified(checks: list[ProofCheck]) -> bool:
    return bool(checks) and all(check.verified for check in checks)


def proof_verify(*, document: dict, public_key: Ed25519PublicKey) -> bool:
    """True when the document's proof (every proof of a set or chain) verifies with `public_key`.
    Raises `DataLossError` when the document has data its contexts do not define."""
    proofs = proofs_of(document)
    return all(_verify_one(document, proof, proofs, public_key) for proof in proofs)
