"""Recognition of micro-credentials from other providers (issue 13, point 6; Annex II). A signed-in learner
submits one to a provider that publishes a recognition policy:

* a signed credential (JSON): verified with the platform's verifier — signature, issuer (the key's controller),
  validity and status;
* a PDF: verified only when it is a document sealed by this platform (seal intact, exact bytes of a document we
  issued, looked up by its hash), with that document's status;
* a European Digital Credential file (JSON-LD) without a proof: only its structure is checked; it proves nothing
  about who issued it, and the pages say so — it is never called verified.

Uploads are bounded (UPLOAD_MAX_BYTES; per account and hour by the pages and the API, `RATE_GROUP`; at most
OPEN_PER_PROVIDER_MAX undecided requests of one learner at one provider) and read by content (a PDF by its
signature, JSON by parsing), never by the file's name. The provider decides — recognised, partly recognised,
refused — with a reason; the decision is audited and e-mailed to the learner (notifications outbox) and shown on
the learner's page."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from agnitio.core.emails import email_normalise, verified_emails
from agnitio.core.errors import ApplicationError
from agnitio.core.permissions import require
from agnitio.core.services import audit_record
from agnitio.core.validators import JSON_MAX_DEPTH

from ..models import RecognitionRequest, Specification
from ..selectors import recognition_get, recognition_provider_get

UPLOAD_MAX_BYTES = 2 * 1024 * 1024
OPEN_PER_PROVIDER_MAX = 10  # undecided requests of one learner at one provider
RATE_GROUP = "microcredentials.recognition"  # per account, page and API together (AGNITIO_RECOGNITION_RATE_LIMIT)
NOTE_MAX = 1000
REASON_MAX = 2000
DECIDED_TEMPLATE = "microcredentials/email/recognition_decided"


def _texts(values) -> list[str]:
    return [str(v) for v in values or []]


def _name_of(value: Any) -> str:
    if isinstance(value, dict):
        for key in ("en", "lv", *value.keys()):
            if isinstance(value.get(key), str):
                return value[key]
        return ""
    return value if isinstance(value, str) else ""


def _country(organisation) -> str:
    return str(getattr(organisation.country, "code", organisation.country) or "")[:2]


def _edc_country(issuer: Any) -> str:
    """The issuer's country as an ELM issuer states it (location → address → countryCode), or ""."""
    from django_countries import countries

    try:
        location = issuer["location"]
        location = location[0] if isinstance(location, list) else location
        code = location["address"]["countryCode"]
        code = code.get("id", "") if isinstance(code, dict) else code
    except (KeyError, IndexError, TypeError):
        return ""
    if not isinstance(code, str) or not code:  # whatever else a hostile file puts there
        return ""
    return str(countries.alpha2(code.rsplit("/", 1)[-1]) or "")[:2]


def _subject_emails(subject: dict) -> tuple[set[str], list[tuple[str, str]]]:
    """The e-mail addresses a credential's subject names: plain ones (`email`, an EDC `contactPoint`'s
    `emailAddress`, an unhashed Open Badges identity) and Open Badges hashed identities as (hash, salt)."""
    plain: set[str] = set()
    hashed: list[tuple[str, str]] = []

    def add(value: Any) -> None:
        if isinstance(value, str) and value:
            plain.add(email_normalise(value.removeprefix("mailto:")))

    def items(value: Any) -> list:
        return value[:50] if isinstance(value, list) else [value]

    add(subject.get("email"))
    for point in items(subject.get("contactPoint")):
        for address in items(point.get("emailAddress") if isinstance(point, dict) else None):
            add(address.get("id") if isinstance(address, dict) else address)
    for identity in items(subject.get("identifier")):
        if not isinstance(identity, dict) or identity.get("identityType") != "emailAddress":
            continue
        value = identity.get("identityHash")
        if identity.get("hashed") and isinstance(value, str) and value.startswith("sha256$"):
            hashed.append((value[len("sha256$"):].lower(), str(identity.get("salt") or "")))
        else:
            add(value)
    return plain, hashed


def _names_one_of(subject: dict, emails: set[str]) -> bool:
    import hashlib

    plain, hashed = _subject_emails(subject)
    if plain & emails:
        return True
    return any(hashlib.sha256((email + salt).encode()).hexdigest() == digest
               for digest, salt in hashed[:20] for email in emails)


def _holder_check(credential, subject: dict, emails: set[str]) -> dict[str, Any]:
    """Whose credential this is (issue: replay of someone else's credential). One of our records is refused unless
    it was issued to one of the learner's confirmed e-mail addresses; for other files the check says whether the
    subject names one of them — the provider decides. The texts are kept untranslated (core.problems) and shown in
    the reader's language."""
    if credential is not None:
        holder = email_normalise(credential.holder_email)
        if not holder:
            return {"ok": False, "text": gettext_noop(
                "The document names no e-mail address, so this platform cannot tell that it is yours.")}
        if holder not in emails:
            raise ApplicationError(_("This credential was issued to another person (another e-mail address than the "
                                     "confirmed addresses of your account): only its holder can ask for its "
                                     "recognition. If it is yours, add and confirm that address in your account, "
                                     "then submit it again."), code="not_holder")
        return {"ok": True, "text": gettext_noop(
            "Issued to you: the holder's e-mail address is a confirmed address of your account.")}
    if subject and _names_one_of(subject, emails):
        return {"ok": True, "text": gettext_noop(
            "The credential names your e-mail address (a confirmed address of your account).")}
    return {"ok": False, "text": gettext_noop(
        "The credential does not name the e-mail address of your account: the provider cannot tell from the file "
        "that it is yours.")}


def document_check(raw: bytes, *, emails: set[str]) -> dict[str, Any]:
    """What the platform can say about the submitted bytes: kind, title, claimed issuer, verified and the checks
    ([{"ok", "text"}]); ApplicationError when the file is none of the three kinds, is nested too deeply, or is one
    of our credentials issued to someone else (`emails`: the learner's confirmed addresses, lower case).

    "Verified" means this platform vouches for the issuer: one of our records (a sealed PDF, or a credential signed
    with a key of the organisation that issued it), valid. A signature by a key nobody here knows (e.g. a fresh
    did:key) proves only that whoever holds that key signed it, whatever name the document gives its issuer."""
    from agnitio.core.validators import JsonTooDeep, json_parse
    from agnitio.credentials.verification import credential_verify_json, pdf_verify

    if not raw:
        raise ApplicationError(_("Choose a file."), code="empty")
    if len(raw) > UPLOAD_MAX_BYTES:
        raise ApplicationError(_("The file is too large (at most %(mb)d MB).") % {"mb": UPLOAD_MAX_BYTES // 2**20},
                               code="too_large")
    if raw.startswith(b"%PDF-"):
        result = pdf_verify(raw)
        checks = [{"ok": True, "text": str(c)} for c in result.checks]
        checks += [{"ok": False, "text": str(e)} for e in result.errors]
        credential = result.credential
        verified = bool(result.verified and credential is not None and not result.errors)
        if credential is not None:
            checks.append(_holder_check(credential, {}, emails))
        return {"kind": RecognitionRequest.Kind.PDF, "document": {}, "verified": verified, "checks": checks,
                "title": str((credential.achievement or {}).get("name", "")) if credential else "",
                "issuer_name": credential.organisation.legal_name if credential else "",
                "issuer_id": credential.organisation.public_id if credential else "",
                "reference": credential.number if credential else "",
                "issuer_country": _country(credential.organisation) if credential else "",
                "verification_url": credential.verification_url if credential else "",
                "organisation_id": credential.organisation_id if credential else None}
    try:
        document = json_parse(raw.decode("utf-8"))
    except JsonTooDeep as exc:
        raise ApplicationError(_("The file is nested more than %(n)d levels deep: no credential is, so it cannot be "
                                 "checked.") % {"n": JSON_MAX_DEPTH}, code="too_deep") from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise ApplicationError(_("This file is neither a PDF nor a JSON credential."), code="format") from exc
    if not isinstance(document, dict):
        raise ApplicationError(_("This file is neither a PDF nor a JSON credential."), code="format")
    types = document.get("type") or []
    types = [types] if isinstance(types, str) else list(types) if isinstance(types, list) else []
    subject: dict = document["credentialSubject"] if isinstance(document.get("credentialSubject"), dict) else {}
    achievement = (subject.get("achievement") or subject.get("hasClaim") or {}) if subject else {}
    title = _name_of(achievement.get("name") or achievement.get("title")) if isinstance(achievement, dict) else ""
    issuer = document.get("issuer")
    issuer_id = issuer.get("id", "") if isinstance(issuer, dict) else str(issuer or "")
    issuer_name = _name_of(issuer.get("name") or issuer.get("legalName")) if isinstance(issuer, dict) else ""
    if document.get("proof"):
        result = credential_verify_json(document)
        checks = [{"ok": True, "text": str(c)} for c in result.checks]
        checks += [{"ok": False, "text": str(e)} for e in result.errors]
        checks += [{"ok": False, "text": str(w)} for w in result.warnings]  # what could not be checked
        credential = result.credential
        checks.append(_holder_check(credential, subject, emails))
        return {"kind": RecognitionRequest.Kind.VC, "document": document,
                "verified": bool(result.verified and not result.errors and result.issuer_known), "checks": checks,
                "title": title[:500], "issuer_name": (result.issuer_name or issuer_name)[:500],
                "issuer_id": str(result.issuer_id or issuer_id)[:500],
                "reference": str(document.get("id") or "")[:500],
                "verification_url": credential.verification_url[:500] if credential else "",
                "issuer_country": _country(credential.organisation) if credential else _edc_country(issuer),
                "organisation_id": credential.organisation_id if credential else None}
    if "EuropeanDigitalCredential" in types or "europeanDigitalCredential" in str(document.get("@context", "")):
        problems = []
        if not subject:
            problems.append(str(_("It has no credential subject.")))
        if not title:
            problems.append(str(_("It names no learning achievement.")))
        if not issuer_id:
            problems.append(str(_("It names no issuer.")))
        checks = [{"ok": not problems, "text": str(_("Structure of a European Digital Credential"))}]
        checks += [{"ok": False, "text": p} for p in problems]
        checks.append({"ok": False, "text": str(_("Not signed: an unsigned EDC file proves nothing about who issued "
                                                  "it. Ask the issuer for the sealed or signed credential."))})
        checks.append(_holder_check(None, subject, emails))
        return {"kind": RecognitionRequest.Kind.EDC, "document": document, "verified": False, "checks": checks,
                "title": title[:500], "issuer_name": issuer_name[:500], "issuer_id": issuer_id[:500],
                "reference": str(document.get("id") or "")[:500], "verification_url": "",
                "issuer_country": _edc_country(issuer), "organisation_id": None}
    raise ApplicationError(_("This JSON is neither a signed credential nor a European Digital Credential."),
                           code="format")


def recognition_rate() -> str:
    from django.conf import settings

    return getattr(settings, "AGNITIO_RECOGNITION_RATE_LIMIT", "20/h")


def recognition_rate_message():
    return _("You have sent too many recognition requests in a short while.")


def _room(*, actor, organisation) -> None:
    open_count = RecognitionRequest.objects.filter(organisation=organisation, learner=actor,
                                                   status=RecognitionRequest.Status.SUBMITTED).count()
    if open_count >= OPEN_PER_PROVIDER_MAX:
        raise ApplicationError(
            _("You already have %(n)d open recognition requests at %(provider)s. Wait for the provider's decision "
              "on one of them before you send another.") % {"n": OPEN_PER_PROVIDER_MAX,
                                                             "provider": organisation.legal_name},
            code="too_many_open")


def recognition_submit(*, actor, provider_public_id: str, raw: bytes, note: str = "") -> RecognitionRequest:
    """The learner's request to the provider (which must publish a recognition policy); at most
    OPEN_PER_PROVIDER_MAX of the learner's requests wait there for a decision."""
    if not getattr(actor, "is_authenticated", False):
        raise ApplicationError(_("Sign in to ask for recognition."), code="anonymous")
    organisation = recognition_provider_get(public_id=provider_public_id)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ApplicationError(_("The note is too long (at most %(n)d characters).") % {"n": NOTE_MAX}, code="note")
    from django.contrib.auth import get_user_model

    _room(actor=actor, organisation=organisation)  # before the (costly) check of the file
    checked = document_check(raw, emails=verified_emails(actor))
    if checked.pop("organisation_id") == organisation.pk:
        raise ApplicationError(_("This micro-credential was issued by this provider itself: there is nothing to "
                                 "recognise."), code="own")
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()  # one learner's count at a time
        _room(actor=actor, organisation=organisation)
        request = RecognitionRequest.objects.create(organisation=organisation, learner=actor, learner_note=note,
                                                    **checked)
        audit_record(actor=actor, action="create", target=request, organisation=organisation,
                     verb="recognition requested",
                     changes={"kind": [None, request.kind], "verified": [None, request.verified]})
    return request


def recognition_decide(*, actor, public_id: str, decision: str, reason: str,
                       counts_as: str = "") -> RecognitionRequest:
    """The provider's decision, once, with a reason; audited and e-mailed to the learner.

    `counts_as` (public id of one of the provider's own published specifications) maps a micro-credential decided
    "recognised" to one of the provider's own: it then counts as that part for stacking (the learner's account
    e-mail is the learner identity, as for awards). Only "recognised" may count: "partly recognised" says the
    other micro-credential does not cover a whole one of ours, so it never stands for a part (the reason says what
    was recognised); "refused" counts for nothing."""
    from agnitio.notifications.services import email_queue

    request = recognition_get(actor=actor, public_id=public_id)
    require(actor, "microcredentials.decide_recognition", request.organisation)  # the learner: 404
    if decision not in (RecognitionRequest.Status.RECOGNISED, RecognitionRequest.Status.PARTLY,
                        RecognitionRequest.Status.REFUSED):
        raise ApplicationError(_("Choose: recognised, partly recognised or refused."), code="decision")
    specification = None
    if counts_as:
        if decision != RecognitionRequest.Status.RECOGNISED:
            raise ApplicationError(_("Only a micro-credential recognised in full can count as one of yours."),
                                   code="counts_as")
        specification = Specification.objects.filter(public_id=counts_as, organisation=request.organisation,
                                                      status=Specification.Status.PUBLISHED).first()
        if specification is None:
            raise ApplicationError(_("Choose one of your own published micro-credentials."), code="counts_as")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Give the reason under your recognition policy."), code="reason")
    if len(reason) > REASON_MAX:
        raise ApplicationError(_("The reason is too long (at most %(n)d characters).") % {"n": REASON_MAX},
                               code="reason")
    with transaction.atomic():
        request = RecognitionRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != RecognitionRequest.Status.SUBMITTED:
            raise ApplicationError(_("This request has already been decided."), code="decided")
        request.status, request.decision_reason = decision, reason
        request.decided_by, request.decided_at = actor, timezone.now()
        request.counts_as = specification
        request.save(update_fields=["status", "decision_reason", "decided_by", "decided_at", "counts_as",
                                    "updated_at"])
        changes: dict[str, list[str | None]] = {"status": ["submitted", decision]}
        if specification is not None:
            changes["counts_as"] = [None, specification.public_id]
        audit_record(actor=actor, action="update", target=request, organisation=request.organisation,
                     verb="recognition decided", changes=changes)
        from django.conf import settings
        from django.urls import reverse

        email_queue(to=request.learner.email, template=DECIDED_TEMPLATE,
                    language=getattr(request.learner, "language", "") or "lv", organisation=request.organisation,
                    related=request, context={
                        "title": request.title, "provider": request.organisation.legal_name,
                        "decision": request.get_status_display(), "reason": reason,
                        "first_name": (getattr(request.learner, "full_name", "") or "").split(" ")[0],
                        "url": settings.SITE_URL.rstrip("/") + reverse("microcredentials:recognition_detail",
                                                                       args=[request.public_id])})
    return request
