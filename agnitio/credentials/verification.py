"""Verifying credentials, numbers and PDFs (read only; anyone may call these).

Safe caches: JSON-LD contexts (shipped files), public keys of DID verification methods (a key id never changes
its key) and the proof result for the exact bytes of a credential (signature checks are deterministic). Status
(revoked / superseded) is always read from the database, so a revocation shows on the next request."""

from __future__ import annotations

import datetime
import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models.fields.json import KeyTransform
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pyld import jsonld

from agnitio.core.prepared import PreparedQuery
from agnitio.core.validators import JSON_MAX_DEPTH, json_too_deep

from .dids import organisation_public_id_from_did
from .formats.status import bit_get, decode_list
from .models import IssuedCredential, IssuerKey, StatusList
from .numbering import code_normalise, looks_like_number
from .signing.keys import public_key_from_multibase
from .signing.loader import VC_V1, VC_V2, DataLossError
from .signing.proofs import (
    DATA_LOSS_DETECTION_ERROR,
    ProofError,
    all_verified,
    proof_options,
    proof_verify,
    proofs_verify,
)

# Credentials checked in one presentation: each costs a full verification, and the throttle counts the request once.
MAX_PRESENTATION_CREDENTIALS = 20


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
    issuer_name: str = ""  # only a name this service vouches for (the organisation of a bound record)
    claimed_issuer_name: str = ""  # what the document itself says; never shown as the issuer
    issuer_known: bool = False  # the document is one of ours: signed by a key of the organisation that issued it
    status: str = ""  # valid / revoked / superseded / expired / not_yet_valid
    legacy_number: bool = False  # a register number was looked up (old QR codes): no look-up, ask for the code
    seal_intact: bool | None = None
    seal_signer: str = ""

    def to_dict(self) -> dict:
        data = {
            "verified": self.verified, "checks": self.checks,
            "errors": [str(e) for e in self.errors], "warnings": [str(w) for w in self.warnings],
            "issuer": {"id": self.issuer_id, "name": self.issuer_name, "known": self.issuer_known},
            "status": self.status,
        }
        data["issuer"]["identity_verified"] = _issuer_identity_verified(self)
        if self.seal_intact is not None:
            data["seal"] = {"intact": self.seal_intact, "signer": self.seal_signer}
        if self.credential is not None:
            data["document"] = credential_public_dict(self.credential)
        return data


def _issuer_identity_verified(result: VerificationResult) -> bool:
    """Whether the platform's staff verified the issuer's identity (point 12; see selectors.issuer_identity)."""
    from .selectors import issuer_identity

    organisation = result.credential.organisation if result.credential is not None else None
    return issuer_identity(organisation=organisation, issuer_id=result.issuer_id).verified


# The labels of the kinds (what get_kind_display looks up, without hashing every lazy label on each call).
_KIND_LABELS = dict(IssuedCredential._meta.get_field("kind").flatchoices)


def credential_public_dict(credential: IssuedCredential) -> dict:
    """What the verification page/API shows for an issued document (the visitor holds its number or file)."""
    data = {
        "code": credential.code, "number": credential.number, "kind": credential.kind,
        "kind_label": str(_KIND_LABELS.get(credential.kind, credential.kind)),  # = get_kind_display()
        "title": credential.achievement.get("name", ""), "holder_name": credential.holder_name,
        "holder_erased": credential.holder_erased_at is not None,
        "issuer": {"name": credential.organisation.legal_name, "country": str(credential.organisation.country)},
        "issued_on": credential.issued_on.isoformat(), "place": credential.place, "languages": credential.languages,
        "valid_until": credential.valid_until.isoformat() if credential.valid_until else None,
        "status": credential_status(credential),
        "revoked_at": credential.revoked_at.isoformat() if credential.revoked_at else None,
        "revocation_reason": credential.revocation_reason or None,
    }
    if credential.status == IssuedCredential.Status.SUPERSEDED:
        replacement = IssuedCredential.objects.filter(supersedes=credential).values_list("code", flat=True).first()
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


class _ProofCache:
    """Results of proof checks, keyed by the SHA-256 of the exact document and key id (never the document itself),
    least recently used first out, bounded in bytes (`AGNITIO_PROOF_CACHE_BYTES`, default 1 MiB) rather than in
    entries, so large posted documents cannot make it grow. A result depends only on those bytes and the key."""

    ENTRY_OVERHEAD = 120  # the dict slot, the 32-byte digest as a bytes object and the result tuple

    def __init__(self) -> None:
        self._items: OrderedDict[bytes, tuple] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @classmethod
    def _cost(cls, value: tuple) -> int:
        # each proof's result carries a short code and possibly an error message
        return cls.ENTRY_OVERHEAD + sum(64 + len(str(getattr(c, "error", "") or "")) for c in value)

    @staticmethod
    def limit() -> int:
        return int(getattr(settings, "AGNITIO_PROOF_CACHE_BYTES", 1024 * 1024))

    def size(self) -> int:
        return self._bytes

    def get(self, key: bytes) -> tuple | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: bytes, value: tuple) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= self._cost(old)
            self._items[key] = value
            self._bytes += self._cost(value)
            while self._items and self._bytes > self.limit():
                _key, dropped = self._items.popitem(last=False)
                self._bytes -= self._cost(dropped)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


PROOF_CACHE = _ProofCache()


def _proof_ok(canonical_json: str, vm_id: str) -> tuple:
    """Every proof of the document checked (`signing.proofs.proofs_verify`); `vm_id` is the issuer's."""
    key = hashlib.sha256(canonical_json.encode() + b"\0" + vm_id.encode()).digest()
    cached = PROOF_CACHE.get(key)
    if cached is not None:
        return cached
    checked = tuple(proofs_verify(document=json.loads(canonical_json), resolve=resolve_verification_method))
    PROOF_CACHE.put(key, checked)
    return checked


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


def _too_deep():
    return _("The document is nested more than %(n)d levels deep, so it cannot be checked.") % {"n": JSON_MAX_DEPTH}


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
    if json_too_deep(document):  # JSON-LD expansion and canonicalisation recurse: refuse before they run
        result.errors.append(_too_deep())
        return result
    contexts = document["@context"] if isinstance(document["@context"], list) else [document["@context"]]
    if not contexts or contexts[0] not in (VC_V2, VC_V1):
        result.errors.append(_("Only credentials in the W3C VC 2.0 or 1.1 data model can be verified here."))
        return result
    issuer = document.get("issuer")
    result.issuer_id = issuer.get("id", "") if isinstance(issuer, dict) else str(issuer or "")
    result.claimed_issuer_name = str(issuer.get("name", "")) if isinstance(issuer, dict) else ""
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
                               "or it was not issued by %(issuer)s.") % {"issuer": result.issuer_id or "?"})
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

    _bind_record(document, vm_id, result)
    revoked_by_list = _status_check(document, result)
    if result.credential is not None:
        _record_state(result, revoked_by_list=revoked_by_list)
    elif revoked_by_list:
        result.status = "revoked"
        result.errors.append(_("The credential has been revoked by its issuer."))
    if not result.issuer_known:
        result.warnings.append(_("The signature is valid. It was made by %(did)s, an issuer not known to this "
                                 "service: who that is has not been checked here.") % {"did": result.issuer_id})
    result.verified = not result.errors
    return result


def _bind_record(document: dict, vm_id: str, result: VerificationResult) -> None:
    """Link the credential to one of our records only when the proof's key is a key (active or retired) of the
    organisation that issued that record. Anyone can copy a record's `id` into a document and sign it with their
    own key; such a document is not ours and must never show our organisation or the record's holder."""
    uid = document.get("id")
    if not isinstance(uid, str):  # any id the VC API honoured (urn:uuid: or a posted URL); the signer decides below
        return
    record = IssuedCredential.objects.select_related("organisation").filter(credential_uid=uid).first()
    if record is None:
        return
    did, _sep, key_id = vm_id.partition("#")
    signer = organisation_public_id_from_did(did)
    if signer is False or signer is None or signer != record.organisation.public_id or not key_id or \
            not IssuerKey.objects.filter(organisation_id=record.organisation_id, key_id=key_id).exists():
        result.warnings.append(_("This credential carries the identifier of a document issued here, but it was not "
                                 "signed by that document's issuer: it is not that document."))
        return
    result.credential = record
    result.issuer_known = True
    result.issuer_name = record.organisation.legal_name


def _record_state(result: VerificationResult, *, revoked_by_list: bool) -> None:
    """Our record's state always applies to a bound credential, whether or not it carries a `credentialStatus`."""
    state = credential_status(result.credential)
    if state == IssuedCredential.Status.SUPERSEDED:
        result.status = "superseded"
        result.errors.append(_("A newer document replaces this one."))
    elif state == IssuedCredential.Status.REVOKED or revoked_by_list:
        result.status = "revoked"
        result.errors.append(_("The credential has been revoked by its issuer."))


def _status_check(document: dict, result: VerificationResult) -> bool:
    """Check the credential's status entries in our lists; True when a revocation bit is set."""
    revoked_any = False
    entries = document.get("credentialStatus")
    if not entries:
        return False
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
            revoked_any = True
    return revoked_any


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


def credential_verify_code(code: str) -> VerificationResult:
    """Look up a document by the random code printed on it. A register number (what old QR codes held) is never
    looked up: the answer is the same whether or not such a number was issued, and names nobody."""
    result = VerificationResult()
    normalised = code_normalise(code)
    if normalised is None:
        if looks_like_number(code):
            result.legacy_number = True
            result.errors.append(_("Document numbers no longer open a verification page. Enter the verification "
                                   "code printed on the document (e.g. 7K3M-Q9TZ-2HWA-XR4F), or upload the PDF or "
                                   "the credential file below: documents issued earlier are verified that way."))
        else:
            result.errors.append(_("This is not a valid verification code. Check it for typing errors: a code "
                                   "has 16 letters and digits in groups of four, e.g. 7K3M-Q9TZ-2HWA-XR4F."))
        return result
    credential = _BY_CODE.one(code=normalised)
    if credential is None:
        result.errors.append(_("No document with the verification code %(code)s was issued here.")
                             % {"code": normalised})
        return result
    return _from_record(credential, result, check="code")


# What a look-up by code reads (credential_public_dict, _from_record, the page's _result.html and its cache key):
# every column but these, which neither shows. The signed JSON body — the largest column by far — is not decoded:
# only its issuer is read, as ISSUER_CLAIM (a JSON key transform; `_issuer_claim`). Columns added to the model later
# are read unless listed here.
VERIFY_DEFERRED = ("credential", "holder_name_search", "holder_email", "pdf", "pdf_sha256", "credential_uid",
                   "status_list", "status_index", "issued_by", "source_type", "source_id", "offered_via_api",
                   "holder_decision", "holder_decision_at", "supersedes")
ISSUER_CLAIM = "verify_issuer_claim"


def _credential_by_code(code: str):
    # The code is unique; no ORDER BY (get() asks without one too), at most two rows.
    return (IssuedCredential.objects.select_related("organisation").defer(*VERIFY_DEFERRED)
            .annotate(**{ISSUER_CLAIM: KeyTransform("issuer", "credential")}).filter(code=code).order_by()[:2])


# Every look-up by code (the public page and API): compiled once per connection (core.prepared, ADR 0019); the row
# is read from the database each time, so a revocation shows on the next request.
_BY_CODE = PreparedQuery(_credential_by_code, markers={"code": "\u2063verification-code\u2063"},
                         name="credentials.verify_by_code")


def _issuer_claim(credential: IssuedCredential):
    """The `issuer` of the signed credential: from the annotation when the look-up read only that (an object, or a
    DID as a string — what our services write), otherwise from the whole body (read now if it was deferred: a
    value of another type could have been reshaped by the database's JSON extraction, e.g. on SQLite)."""
    claim = credential.__dict__.get(ISSUER_CLAIM)
    if isinstance(claim, dict) or (isinstance(claim, str) and claim.startswith("did:")):
        return claim
    return credential.credential.get("issuer")


def _from_record(credential: IssuedCredential, result: VerificationResult, *, check: str) -> VerificationResult:
    result.credential = credential
    result.checks.append(check)
    result.issuer_known = True
    result.issuer_name = credential.organisation.legal_name
    issuer = _issuer_claim(credential)  # an object, or (VC API) the DID as a string
    result.issuer_id = issuer.get("id", "") if isinstance(issuer, dict) else str(issuer or "")
    result.status = credential_status(credential)
    if result.status == "revoked":
        result.errors.append(_("This document has been revoked by its issuer."))
    elif result.status == "expired":
        result.errors.append(_("This document has expired."))
    elif result.status == "superseded":
        result.errors.append(_("A newer document replaces this one."))
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


# --------------------------------------------------------------------------------------- presentations


@dataclass
class PresentationResult:
    """The outcome of verifying a presentation: its own proof (when it has one) and each credential it holds."""

    verified: bool = False
    checks: list[str] = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    holder: str = ""
    credentials: list[VerificationResult] = field(default_factory=list)
    credential_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """VC API shape: `verified`, `checks`/`warnings`/`errors` over everything, `presentationResult` for the
        presentation's own proof and `credentialResults` (one per embedded credential, in order)."""
        credential_results = []
        for uid, result in zip(self.credential_ids, self.credentials, strict=True):
            item = {"verified": result.verified, "checks": result.checks,
                    "warnings": [str(w) for w in result.warnings], "errors": [str(e) for e in result.errors]}
            if uid:
                item["credentialId"] = uid
            credential_results.append(item)
        errors = [str(e) for e in self.errors]
        warnings = [str(w) for w in self.warnings]
        for i, result in enumerate(self.credentials):
            errors += [_("Credential %(n)d: %(error)s") % {"n": i + 1, "error": e} for e in result.errors]
            warnings += [_("Credential %(n)d: %(warning)s") % {"n": i + 1, "warning": w} for w in result.warnings]
        return {
            "verified": self.verified,
            "checks": self.checks + (["credentials"] if self.credentials else []),
            "warnings": warnings, "errors": errors,
            "presentationResult": {"verified": not self.errors, "checks": self.checks,
                                   "errors": [str(e) for e in self.errors]},
            "credentialResults": credential_results,
            "problemDetails": [{"type": "https://www.w3.org/TR/vc-data-model#PRESENTATION_VERIFICATION_ERROR",
                                "title": "PRESENTATION_VERIFICATION_ERROR", "detail": e} for e in errors],
        }


def _id_of(value) -> str:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else ""


def _presentation_shape(document) -> str:
    """An error message when `document` is not shaped as a verifiable presentation, else ''."""
    from .signing.loader import VC_V1

    if not isinstance(document, dict):
        return _("The presentation must be a JSON object.")
    contexts = document.get("@context")
    if not isinstance(contexts, list) or not contexts or any(not isinstance(c, str | dict) for c in contexts):
        return _("The presentation's @context must be a list of URLs and objects.")
    if contexts[0] not in (VC_V2, VC_V1):
        return _("The first @context of a presentation must be %(v2)s (VC 2.0) or %(v1)s (VC 1.1).") % {
            "v2": VC_V2, "v1": VC_V1}
    types = document.get("type")
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or "VerifiablePresentation" not in types or any(
            not isinstance(t, str) for t in types):
        return _("The presentation's type must include VerifiablePresentation.")
    if "holder" in document and not _id_of(document["holder"]):
        return _("The presentation's holder must be a URL or an object with an id.")
    credentials = document.get("verifiableCredential", [])
    credentials = credentials if isinstance(credentials, list) else [credentials]
    if any(not isinstance(c, dict) for c in credentials):
        return _("Each verifiableCredential of the presentation must be a credential object.")
    if len(credentials) > MAX_PRESENTATION_CREDENTIALS:
        return _("A presentation may hold at most %(count)d credentials here; send the others in another "
                 "presentation.") % {"count": MAX_PRESENTATION_CREDENTIALS}
    proof = document.get("proof")
    if "proof" in document and not isinstance(proof, dict | list):
        return _("The presentation's proof must be an object.")
    return ""


def _presentation_proof_check(document: dict, result: PresentationResult, *, challenge, domain) -> None:
    """The presentation's own proof: signature by a key of the holder, purpose `authentication`, and the
    challenge / domain the verifier asked for."""
    try:
        proof = proof_options(document)
        if proof.get("proofPurpose") != "authentication":
            raise ProofError("proofPurpose must be authentication.")
        controller, public_key = resolve_verification_method(proof["verificationMethod"])
    except IssuerNotResolvable:
        result.errors.append(_("The presentation was signed with a key (%(vm)s) that cannot be resolved offline, so "
                               "its proof cannot be checked here.") % {"vm": document["proof"].get(
                                   "verificationMethod", "?") if isinstance(document["proof"], dict) else "?"})
        return
    except (ProofError, ValueError) as exc:
        result.errors.append(_("The presentation's proof cannot be checked: %(error)s") % {"error": exc})
        return
    if result.holder and controller != result.holder:
        result.errors.append(_("The presentation was signed by %(signer)s, not by its holder %(holder)s.")
                             % {"signer": controller, "holder": result.holder})
        return
    if challenge is not None and proof.get("challenge") != challenge:
        result.errors.append(_("The presentation's proof does not carry the challenge that was asked for."))
        return
    if domain is not None:
        proof_domain = proof.get("domain")
        domains = proof_domain if isinstance(proof_domain, list) else [proof_domain]
        if domain not in domains:
            result.errors.append(_("The presentation's proof is not for the domain that was asked for."))
            return
    if challenge is None and proof.get("challenge"):
        result.warnings.append(_("The presentation's proof carries a challenge, but none was given to compare it "
                                 "with; it may be a replay."))
    expires = _parse_dt(proof.get("expires"))
    if expires and expires < timezone.now():
        result.errors.append(_("The presentation's proof has expired."))
        return
    try:
        ok = proof_verify(document=document, public_key=public_key)
    except DataLossError as exc:
        result.errors.append(_("The presentation contains data that its JSON-LD contexts do not define, so that data "
                               "is not covered by the signature: %(error)s") % {"error": exc})
        return
    except jsonld.JsonLdError as exc:
        url = _missing_context(exc)
        result.errors.append(_("The presentation uses a JSON-LD context that is not available offline (%(url)s), "
                               "so it cannot be checked here.") % {"url": url} if url else
                             _("The presentation is not valid JSON-LD, so its proof cannot be checked."))
        return
    except (ProofError, ValueError) as exc:
        result.errors.append(_("The presentation's proof cannot be checked: %(error)s") % {"error": exc})
        return
    result.checks.append("proof")
    if not ok:
        result.errors.append(_("The presentation's signature does not match: it was altered after it was signed."))
        return
    if challenge is not None:
        result.checks.append("challenge")
    if domain is not None:
        result.checks.append("domain")


def presentation_verify_json(document, *, challenge: str | None = None,
                             domain: str | None = None) -> PresentationResult:
    """Verify a W3C Verifiable Presentation (VC 2.0 or 1.1): its proof when it has one (or when a challenge or
    domain is asked for), and every embedded credential with `credential_verify_json`."""
    result = PresentationResult()
    problem = _too_deep() if json_too_deep(document) else _presentation_shape(document)
    if problem:
        result.errors.append(problem)
        return result
    result.holder = _id_of(document.get("holder"))
    if "proof" in document:
        _presentation_proof_check(document, result, challenge=challenge, domain=domain)
    elif challenge is not None or domain is not None:
        result.errors.append(_("A challenge or domain was given, but the presentation has no proof to carry it."))
    credentials = document.get("verifiableCredential", [])
    credentials = credentials if isinstance(credentials, list) else [credentials]
    if not credentials and "proof" not in document:
        result.errors.append(_("The presentation holds no credential and has no proof: there is nothing to verify."))
    for credential in credentials:
        result.credential_ids.append(credential.get("id") if isinstance(credential.get("id"), str) else "")
        result.credentials.append(credential_verify_json(credential))
    result.verified = not result.errors and all(c.verified for c in result.credentials)
    return result
