"""Verifying credentials, numbers and PDFs (read only; anyone may call these).

Safe caches: JSON-LD contexts (shipped files), public keys of DID verification methods (a key id never changes
its key) and the proof result for the exact bytes of a credential (signature checks are deterministic). Status
(revoked / superseded) is always read from the database, so a revocation shows on the next request."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pyld import jsonld

from .dids import organisation_public_id_from_did
from .formats.status import bit_get, decode_list
from .models import IssuedCredential, IssuerKey, StatusList
from .numbering import number_is_valid, number_normalise
from .signing.keys import public_key_from_multibase
from .signing.loader import VC_V1, VC_V2
from .signing.proofs import DATA_LOSS_DETECTION_ERROR, ProofError, all_verified, proof_options, proofs_verify


class IssuerNotResolvable(Exception):
    pass


@dataclass
class VerificationResult:
    verified: bool = False
    checks: list[str] = field(default_factory=list)
    errors: list = field(default_factory=list)
    error_codes: list[str] = field(default_factory=list)  # Data Integrity error types, e.g. DATA_LOSS_DETECTION_ERROR
    warnings: list = field(default_factory=list)
    credential: IssuedCredential | None = None
    issuer_id: str = ""
    issuer_name: str = ""
    status: str = ""  # valid / revoked / superseded / expired / not_yet_valid
    seal_intact: bool | None = None
    seal_signer: str = ""

    def to_dict(self) -> dict:
        data = {
            "verified": self.verified, "checks": self.checks,
            "errors": [str(e) for e in self.errors], "warnings": [str(w) for w in self.warnings],
            "issuer": {"id": self.issuer_id, "name": self.issuer_name}, "status": self.status,
        }
        if self.seal_intact is not None:
            data["seal"] = {"intact": self.seal_intact, "signer": self.seal_signer}
        if self.credential is not None:
            data["document"] = credential_public_dict(self.credential)
        return data


def credential_public_dict(credential: IssuedCredential) -> dict:
    """What the verification page/API shows for an issued document (the visitor holds its number or file)."""
    data = {
        "number": credential.number, "kind": credential.kind, "kind_label": str(credential.get_kind_display()),
        "title": credential.achievement.get("name", ""), "holder_name": credential.holder_name,
        "issuer": {"name": credential.organisation.legal_name, "country": str(credential.organisation.country)},
        "issued_on": credential.issued_on.isoformat(), "place": credential.place, "languages": credential.languages,
        "valid_until": credential.valid_until.isoformat() if credential.valid_until else None,
        "status": credential_status(credential),
        "revoked_at": credential.revoked_at.isoformat() if credential.revoked_at else None,
        "revocation_reason": credential.revocation_reason or None,
    }
    if credential.status == IssuedCredential.Status.SUPERSEDED:
        replacement = IssuedCredential.objects.filter(supersedes=credential).values_list("number", flat=True).first()
        data["superseded_by"] = replacement
        data["superseded_at"] = credential.superseded_at.isoformat() if credential.superseded_at else None
    return data


def credential_status(credential: IssuedCredential) -> str:
    if credential.status != IssuedCredential.Status.VALID:
        return credential.status
    if credential.valid_until and credential.valid_until < timezone.localdate():
        return "expired"
    return "valid"


# ------------------------------------------------------------------------------------------ keys


_KEYS: dict[tuple[str | None, str], str] = {}


def _our_key(org_public_id: str | None, key_id: str) -> str | None:
    """Public key of one of our verification methods. Only hits are cached: a key id never changes its key."""
    cached = _KEYS.get((org_public_id, key_id))
    if cached is not None:
        return cached
    row = IssuerKey.objects.filter(key_id=key_id)
    row = row.filter(organisation__isnull=True) if org_public_id is None else row.filter(
        organisation__public_id=org_public_id)
    multibase = row.values_list("public_key_multibase", flat=True).first()
    if multibase is not None and len(_KEYS) < 10000:
        _KEYS[(org_public_id, key_id)] = multibase
    return multibase


def resolve_verification_method(vm_id: str):
    """(controller DID, public key) for a verification method we can resolve offline."""
    did, _sep, fragment = vm_id.partition("#")
    if did.startswith("did:key:"):
        key = did[len("did:key:"):]
        if fragment and fragment != key:
            raise IssuerNotResolvable(vm_id)
        return did, public_key_from_multibase(key)
    if did.startswith("did:web:"):
        org_public_id = organisation_public_id_from_did(did)
        if org_public_id is not False and fragment:
            multibase = _our_key(org_public_id, fragment)
            if multibase:
                return did, public_key_from_multibase(multibase)
    raise IssuerNotResolvable(vm_id)


@lru_cache(maxsize=1024)
def _proof_ok(canonical_json: str, vm_id: str) -> tuple:
    """Every proof of the document checked (`signing.proofs.proofs_verify`); `vm_id` is the issuer's."""
    return tuple(proofs_verify(document=json.loads(canonical_json), resolve=resolve_verification_method))


def _missing_context(exc: BaseException) -> str:
    """The URL of a context our offline loader refused, found along pyld's chain of errors."""
    seen = 0
    while exc is not None and seen < 20:
        details = getattr(exc, "details", None)
        if isinstance(details, dict) and details.get("url") and getattr(exc, "type", "") == "jsonld.LoadDocumentError":
            return str(details["url"])
        cause = getattr(exc, "cause", None) or exc.__cause__
        exc, seen = cause, seen + 1
    return ""


def _parse_dt(value) -> datetime.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------- credentials


def credential_verify_json(document) -> VerificationResult:
    """Verify a VC 2.0 or 1.1 credential with eddsa-rdfc-2022 or Ed25519Signature2020 proofs (one, a set or a
    chain; every proof must verify): signatures, issuer = key controller, validity period, and status (from our
    status lists; other issuers' lists can't be fetched offline)."""
    result = VerificationResult()
    if not isinstance(document, dict) or "@context" not in document:
        result.errors.append(_("This is not a verifiable credential (JSON-LD with a proof) we can read."))
        return result
    contexts = document["@context"] if isinstance(document["@context"], list) else [document["@context"]]
    if not contexts or contexts[0] not in (VC_V2, VC_V1):
        result.errors.append(_("Only credentials in the W3C VC 2.0 or 1.1 data model can be verified here."))
        return result
    issuer = document.get("issuer")
    result.issuer_id = issuer.get("id", "") if isinstance(issuer, dict) else str(issuer or "")
    result.issuer_name = str(issuer.get("name", "")) if isinstance(issuer, dict) else ""
    try:
        proof = proof_options(document, controller=result.issuer_id)
        vm_id = proof["verificationMethod"]
        if proof["proofPurpose"] != "assertionMethod":
            raise ProofError("proofPurpose must be assertionMethod.", "PROOF_VERIFICATION_ERROR")
        controller, _key = resolve_verification_method(vm_id)
        if controller != result.issuer_id:
            raise ProofError("The signing key does not belong to the issuer.", "PROOF_VERIFICATION_ERROR")
        checked = _proof_ok(json.dumps(document, sort_keys=True, ensure_ascii=False), vm_id)
    except IssuerNotResolvable:
        result.errors.append(_("The issuer's identifier (%(did)s) cannot be resolved offline, so its signature "
                               "cannot be checked here.") % {"did": result.issuer_id or "?"})
        return result
    except jsonld.JsonLdError as exc:
        url = _missing_context(exc)
        if url:
            result.errors.append(_("The credential uses a JSON-LD context that is not available offline (%(url)s), "
                                   "so it cannot be checked here.") % {"url": url})
        else:
            result.errors.append(_("The credential is not valid JSON-LD, so its proof cannot be checked."))
        return result
    except (ProofError, ValueError) as exc:
        result.error_codes.append(getattr(exc, "code", "MALFORMED_PROOF_ERROR"))
        result.errors.append(_("The credential's proof cannot be checked: %(error)s") % {"error": exc})
        return result
    result.checks.append("proof")
    if any(check.code == DATA_LOSS_DETECTION_ERROR for check in checked):
        result.error_codes.append(DATA_LOSS_DETECTION_ERROR)
        result.errors.append(_("The credential contains data that its JSON-LD contexts do not define, so that data "
                               "is not covered by the signature: %(error)s") % {
            "error": next(c.error for c in checked if c.code == DATA_LOSS_DETECTION_ERROR)})
        return result
    if not all_verified(checked):
        result.error_codes.append("PROOF_VERIFICATION_ERROR")
        result.errors.append(_("The signature does not match: the credential was altered after it was issued, "
                               "or it was not issued by %(issuer)s.") % {"issuer": result.issuer_name or
                                                                          result.issuer_id})
        return result

    now = timezone.now()
    valid_from = _parse_dt(document.get("validFrom") or document.get("issuanceDate"))  # VC 2.0 or 1.1
    valid_until = _parse_dt(document.get("validUntil") or document.get("expirationDate"))
    result.status = "valid"
    if valid_from and valid_from > now:
        result.errors.append(_("The credential is not valid yet."))
        result.status = "not_yet_valid"
    if valid_until and valid_until < now:
        result.errors.append(_("The credential has expired."))
        result.status = "expired"
    result.checks.append("validity")

    uid = document.get("id")
    if isinstance(uid, str) and uid.startswith("urn:uuid:"):
        result.credential = (IssuedCredential.objects.select_related("organisation")
                             .filter(credential_uid=uid).first())
    _status_check(document, result)
    result.verified = not result.errors
    return result


def _status_check(document: dict, result: VerificationResult) -> None:
    entries = document.get("credentialStatus")
    if not entries:
        return
    for entry in entries if isinstance(entries, list) else [entries]:
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            result.warnings.append(_("A status entry of an unknown type was not checked."))
            continue
        status_list = _our_status_list(entry.get("statusListCredential", ""))
        if status_list is None:
            result.warnings.append(_("The issuer's status list cannot be fetched offline; revocation not checked."))
            continue
        try:
            index = int(entry.get("statusListIndex"))
            listed = status_list.credential["credentialSubject"]
            bits = decode_list(listed["encodedList"])
            revoked = bit_get(bits, index)
        except (TypeError, ValueError, KeyError, IndexError, OSError):
            result.errors.append(_("The credential's status entry is invalid."))
            continue
        result.checks.append("status")
        if revoked and listed.get("statusPurpose") == "revocation":
            result.status = "revoked"
            result.errors.append(_("The credential has been revoked by its issuer."))
    if result.credential is not None and result.credential.status == IssuedCredential.Status.SUPERSEDED \
            and result.status == "valid":
        result.status = "superseded"
        result.warnings.append(_("A newer document replaces this one."))


def _our_status_list(url: str) -> StatusList | None:
    from django.urls import Resolver404, resolve

    from .dids import site_url

    base = site_url("")
    if not url.startswith(base):
        return None
    try:
        match = resolve(url[len(base):])
    except Resolver404:
        return None
    if match.view_name != "credentials:status_list":
        return None
    return StatusList.objects.filter(organisation__public_id=match.kwargs["org"],
                                     purpose=match.kwargs["purpose"]).first()


# -------------------------------------------------------------------------------------------- numbers


def credential_verify_number(number: str) -> VerificationResult:
    result = VerificationResult()
    number = number_normalise(number)
    if not number_is_valid(number):
        result.errors.append(_("“%(number)s” is not a valid document number. Check it for typing errors: a number "
                               "looks like YP-2026-000123-7.") % {"number": number})
        return result
    credential = (IssuedCredential.objects.select_related("organisation").filter(number=number).first())
    if credential is None:
        result.errors.append(_("No document with the number %(number)s was issued here.") % {"number": number})
        return result
    return _from_record(credential, result, check="number")


def _from_record(credential: IssuedCredential, result: VerificationResult, *, check: str) -> VerificationResult:
    result.credential = credential
    result.checks.append(check)
    result.issuer_name = credential.organisation.legal_name
    result.issuer_id = credential.credential.get("issuer", {}).get("id", "")
    result.status = credential_status(credential)
    if result.status == "revoked":
        result.errors.append(_("This document has been revoked by its issuer."))
    elif result.status == "expired":
        result.errors.append(_("This document has expired."))
    elif result.status == "superseded":
        result.warnings.append(_("A newer document replaces this one."))
    result.verified = not result.errors
    return result


# ----------------------------------------------------------------------------------------------- PDFs


def pdf_verify(pdf_bytes: bytes) -> VerificationResult:
    """A PDF is ours when its seal is intact AND its exact bytes are those of a document we issued."""
    result = VerificationResult()
    digest = hashlib.sha256(pdf_bytes).hexdigest()
    credential = IssuedCredential.objects.select_related("organisation").filter(pdf_sha256=digest).first()
    try:
        from agnitio.documents.seal import pdf_seal_verify
    except ImportError:  # the documents engine is not installed
        pdf_seal_verify = None
    if pdf_seal_verify is not None:
        seal = pdf_seal_verify(pdf_bytes=pdf_bytes)
        result.seal_intact, result.seal_signer = bool(seal.intact), seal.signer or ""
        result.checks.append("seal")
    if credential is None:
        if result.seal_intact:
            result.errors.append(_("The PDF's seal is intact, but it is not a document issued here, or it was "
                                   "changed and sealed again."))
        else:
            result.errors.append(_("This PDF is not a document issued here, or it was altered after it was "
                                   "issued."))
        return result
    if result.seal_intact is False:
        result.errors.append(_("The PDF's seal is broken: the file was altered."))
    return _from_record(credential, result, check="pdf")
