"""Writes of the trust layer: issuing, revoking and superseding credentials, issuer keys and status lists,
share links and the learner wallet."""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agnitio.core.emails import email_normalise
from agnitio.core.errors import ApplicationError, NotFound, PermissionDenied
from agnitio.core.models import AuditEvent
from agnitio.core.permissions import require
from agnitio.core.search import search_key
from agnitio.core.services import audit_record
from agnitio.core.storage import orphan_files_delete
from agnitio.core.tokens import token_hash

from .dids import did_for, site_url
from .formats import ob3
from .formats import vc as vc_format
from .formats.status import MIN_BITS, bit_get, bit_set, status_entry, status_list_credential
from .models import CredentialKind, IssuedCredential, IssuerKey, ShareLink, StatusList, WalletItem
from .numbering import code_generate, number_allocate
from .signing.keys import decrypt_private_key, encrypt_private_key, new_key, public_key_multibase
from .signing.loader import DataLossError
from .signing.proofs import proof_add

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------- keys


def _key_create(*, organisation, key_id: str) -> IssuerKey:
    private = new_key()
    return IssuerKey.objects.create(
        organisation=organisation, key_id=key_id, public_key_multibase=public_key_multibase(private.public_key()),
        private_key_encrypted=encrypt_private_key(private),
    )


def issuer_key_create_first(*, actor, organisation) -> IssuerKey:
    """The first signing key of a new organisation, made with it (`organisation_create`), so that reading its DID
    document never has to create anything."""
    existing = IssuerKey.objects.filter(organisation=organisation, is_active=True).first()
    if existing is not None:
        return existing
    if actor is not None:  # None: the system (a migration, the platform key)
        require(actor, "credentials.rotate_issuer_key", organisation, hide=False,
                message=_("Only an owner or admin of the organisation may rotate its keys."))
    with transaction.atomic():
        key = _key_create(organisation=organisation, key_id="key-1")
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=key, organisation=organisation,
                     verb="issuer_key_create")
    return key


def issuer_key_active(*, organisation) -> IssuerKey:
    """The key that signs new credentials of `organisation` (None = platform). Organisations get theirs when they
    are created (and existing ones from a migration); one made some other way gets it here, when it first issues."""
    key = IssuerKey.objects.filter(organisation=organisation, is_active=True).first()
    if key is not None:
        return key
    try:
        with transaction.atomic():
            key = _key_create(organisation=organisation, key_id="key-1")
    except IntegrityError:  # another issuer created it at the same moment
        return IssuerKey.objects.get(organisation=organisation, is_active=True)
    audit_record(actor=None, action=AuditEvent.Action.CREATE, target=key, organisation=organisation,
                 verb="issuer_key_create")
    return key


@transaction.atomic
def issuer_key_rotate(*, actor, organisation) -> IssuerKey:
    """Add a new signing key; the old one stays in the DID document so earlier credentials still verify."""
    if organisation is None:
        if not getattr(actor, "is_superuser", False):
            raise PermissionDenied(_("Only a site administrator may rotate the platform key."))
    else:
        require(actor, "credentials.rotate_issuer_key", organisation, hide=False,
                message=_("Only an owner or admin of the organisation may rotate its keys."))
    keys = list(IssuerKey.objects.select_for_update().filter(organisation=organisation))
    now = timezone.now()
    old = [k for k in keys if k.is_active]
    for key in old:
        key.is_active = False
        key.retired_at = now
        key.save(update_fields=["is_active", "retired_at", "updated_at"])
    numbers = [int(k.key_id.rsplit("-", 1)[1]) for k in keys if k.key_id.startswith("key-")]
    key = _key_create(organisation=organisation, key_id=f"key-{max(numbers, default=0) + 1}")
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=key, organisation=organisation,
                 verb="issuer_key_rotate", changes={"active_key": [old[0].key_id if old else None, key.key_id]})
    if organisation is not None:
        for status_list in StatusList.objects.select_for_update().filter(organisation=organisation):
            _status_list_sign(status_list, key=key)
            status_list.save(update_fields=["credential", "updated_at"])
    return key


def _sign(document: dict, *, organisation, key: IssuerKey | None = None) -> dict:
    """Sign with the organisation's active key. Refuses (ApplicationError, code DATA_LOSS_DETECTION_ERROR) a
    document with data its JSON-LD contexts do not define: that data would not be covered by the signature."""
    key = key or issuer_key_active(organisation=organisation)
    try:
        return proof_add(
            document=document, private_key=decrypt_private_key(key.private_key_encrypted,
                                            expected_public_key=key.public_key_multibase),
            verification_method=f"{did_for(organisation)}#{key.key_id}",
        )
    except DataLossError as exc:
        raise ApplicationError(_("The credential contains data that its JSON-LD contexts do not define, so it is "
                                 "not signed: %(error)s") % {"error": exc}, code=DataLossError.code) from exc


# --------------------------------------------------------------------------------------- status lists


def status_list_url(*, organisation, purpose: str) -> str:
    return site_url(reverse("credentials:status_list", args=[organisation.public_id, purpose]))


def _status_list_sign(status_list: StatusList, *, key: IssuerKey | None = None) -> None:
    unsigned = status_list_credential(
        url=status_list_url(organisation=status_list.organisation, purpose=status_list.purpose),
        issuer=did_for(status_list.organisation), purpose=status_list.purpose, bits=bytes(status_list.bits),
        valid_from=timezone.now().astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    status_list.credential = _sign(unsigned, organisation=status_list.organisation, key=key)


def status_list_for_update(*, organisation, purpose: str = "revocation") -> StatusList:
    """The organisation's status list, locked for this transaction; created (and signed) on first use."""
    if not StatusList.objects.filter(organisation=organisation, purpose=purpose).exists():
        try:
            with transaction.atomic():
                status_list = StatusList(organisation=organisation, purpose=purpose, length=MIN_BITS,
                                         bits=bytes(MIN_BITS // 8), allocated=bytes(MIN_BITS // 8))
                _status_list_sign(status_list)
                status_list.save()
        except IntegrityError:
            pass
    return StatusList.objects.select_for_update().get(organisation=organisation, purpose=purpose)


def status_index_allocate(*, status_list: StatusList) -> int:
    """Reserve a random free position of `status_list` (the caller holds its row lock: `status_list_for_update`).

    Random rather than in order, as the Bitstring Status List recommends (herd privacy: a position says nothing
    about when, or after whom, a credential was issued). The position is marked in `allocated` at once, so it is
    never handed out twice, even while the credential that uses it is still being rendered."""
    if status_list.next_index >= status_list.length:
        raise ApplicationError(_("The organisation's status list is full."), code="status_full")
    allocated = bytearray(bytes(status_list.allocated or b"").ljust(status_list.length // 8, b"\0"))
    index = None
    for _attempt in range(64):  # a list far from full: a few random draws find a free position
        candidate = secrets.randbelow(status_list.length)
        if not bit_get(allocated, candidate):
            index = candidate
            break
    if index is None:  # crowded: choose uniformly among the free positions
        free = [i for i in range(status_list.length) if not bit_get(allocated, i)]
        if not free:
            raise ApplicationError(_("The organisation's status list is full."), code="status_full")
        index = secrets.choice(free)
    status_list.allocated = bit_set(bytes(allocated), index, True)
    status_list.next_index += 1
    status_list.save(update_fields=["allocated", "next_index", "updated_at"])
    return index


def status_bit_set(*, status_list: StatusList, index: int) -> None:
    """Set one status bit (revoked or superseded) and re-sign the list at once (the caller holds its row lock)."""
    status_list.bits = bit_set(bytes(status_list.bits), index, True)
    _status_list_sign(status_list)
    status_list.save(update_fields=["bits", "credential", "updated_at"])


def code_allocate() -> str:
    """A fresh random look-up code (75 bits; a clash is practically impossible, but is checked anyway)."""
    while True:
        code = code_generate()
        if not IssuedCredential.objects.filter(code=code).exists():
            return code


# ------------------------------------------------------------------------------------------- issuing
#
# Issuing runs in three steps so that issuers never wait for each other while a PDF is made
# (docs/decisions/0007-parallel-issuing-and-one-key-store.md):
#   1. `credential_allocate`: a number and a status-list index, in one short transaction of its own;
#   2. signing, rendering, sealing and storing the PDF, outside any transaction or lock;
#   3. one short transaction that writes the record (and whatever the caller must change with it).
# A failure after step 1 deletes the stored PDF and writes nothing: the number and the index are simply never
# used (a gap in the register, which is allowed; numbers are unique, not gapless).


@dataclass(frozen=True)
class IssueAllocation:
    """What `credential_allocate` handed out for one document."""

    number: str
    status_list: StatusList
    status_index: int


def credential_allocate(*, organisation, kind: str, year: int) -> IssueAllocation:
    """Step 1 of issuing: the next number of kind/year (a sequence's `nextval()` on PostgreSQL, the counter row on
    SQLite: `numbering`) and a free index in the organisation's status list, taken under its row lock in a short
    transaction that commits at once (when called outside any transaction)."""
    with transaction.atomic():
        status_list = status_list_for_update(organisation=organisation)
        index = status_index_allocate(status_list=status_list)
        number = number_allocate(kind=kind, year=year)
    return IssueAllocation(number=number, status_list=status_list, status_index=index)


def _render_pdf(*, organisation, kind: str, pdf_data: dict, languages: list[str], number: str, code: str,
                verify_url: str) -> bytes:
    from agnitio.documents.seal import pdf_seal
    from agnitio.documents.services import document_render

    pdf = document_render(kind=kind, data={**pdf_data, "number": number, "code": code, "verification_url": verify_url},
                          languages=languages)
    return pdf_seal(organisation=organisation, pdf_bytes=pdf)


def _pdf_discard(credential: IssuedCredential) -> None:
    """Remove a PDF stored for a record that is not going to be written (no orphan files)."""
    name = credential.pdf.name
    if name:
        try:
            credential.pdf.storage.delete(name)
        except Exception:  # noqa: BLE001 - the original error matters more; log this one
            logger.exception("Could not delete the PDF %s of an issue that failed", name)


def credential_issue(
    *, actor, organisation, kind: str, holder_name: str, holder_email: str, achievement: dict,
    languages: list[str], issued_on: datetime.date, place: str, pdf_data: dict | None = None,
    supersedes: IssuedCredential | None = None, valid_until: datetime.date | None = None, source=None,
    on_record: Callable[[IssuedCredential], None] | None = None,
    document: dict | None = None, credential_id: str | None = None, via_api: bool = False,
) -> IssuedCredential:
    """Issue one document: number, signed OB3 credential with a status entry, and (given `pdf_data`) the sealed
    PDF from the documents engine. `actor` None means the system (a task acting for a service that checked).

    Call it outside a transaction: it commits its own short ones (see above) and holds no lock while the PDF is
    made. `on_record(credential)` runs inside the final transaction, after the record is written: a caller's own
    change that must happen together with the issue (e.g. the participant's current certificate); whatever it
    raises undoes the record and deletes the PDF.

    Given `document` (a VC 2.0 credential posted to the VC API, checked by `vc_api`), that credential is signed as
    posted, with `credential_id` (or a new urn:uuid) and the status entry added, instead of an OB3 credential built
    from `achievement`; the holder's name may then be empty (a subject known only by its claims).
    `source` is what it was issued for (e.g. a Youthpass project): who may see it follows who may open that."""
    if actor is not None:  # None: the system, for a caller that has checked (e.g. a Youthpass batch task)
        require(actor, "credentials.issue_credential", organisation, hide=False,
                message=_("Only members of the organisation may issue its documents."))
    if kind not in CredentialKind.values:
        raise ApplicationError(_("Unknown kind of document."), code="kind")
    holder_name = (holder_name or "").strip()
    if not holder_name and document is None:
        raise ApplicationError(_("Enter the holder's name."), code="holder_name")
    if (pdf_data or {}).get("try_out"):  # Europass Try Out: never numbered from the real series, never sealed
        raise ApplicationError(_("A Try Out document is a trial: it is not issued."), code="try_out")
    if not (achievement or {}).get("name"):
        raise ApplicationError(_("Enter the name of the achievement."), code="achievement")
    if not languages:
        raise ApplicationError(_("Choose at least one language for the document."), code="languages")
    if valid_until and valid_until < issued_on:
        raise ApplicationError(_("The end of validity cannot be before the date of issue."), code="valid_until")
    if supersedes is not None:
        _supersedes_check(organisation=organisation, supersedes=supersedes)

    allocation = credential_allocate(organisation=organisation, kind=kind, year=issued_on.year)  # step 1
    number = allocation.number
    code = code_allocate()
    credential_uid = credential_id or f"urn:uuid:{uuid.uuid4()}"
    verify_url = site_url(reverse("credentials:verify_code", args=[code]))
    list_url = status_list_url(organisation=organisation, purpose=allocation.status_list.purpose)
    status = status_entry(url=list_url, purpose=allocation.status_list.purpose, index=allocation.status_index)
    if document is not None:
        unsigned = vc_format.credential_complete(document=document, credential_id=credential_uid, status=status)
    else:
        unsigned = ob3.achievement_credential(
            credential_id=credential_uid, kind=kind, organisation=organisation, number=number,
            holder_name=holder_name, holder_email=holder_email or "", salt=secrets.token_hex(8),
            achievement=achievement, languages=languages, issued_on=issued_on, valid_until=valid_until,
            verify_url=verify_url, status=status,
        )
    credential = IssuedCredential(
        organisation=organisation, kind=kind, number=number, code=code, holder_name=holder_name,
        holder_name_search=search_key(holder_name), holder_email=email_normalise(holder_email),
        issued_on=issued_on, place=place, languages=languages,
        valid_until=valid_until, achievement=achievement, supersedes=supersedes, credential_uid=credential_uid,
        status_list=allocation.status_list, status_index=allocation.status_index,
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        source=source, offered_via_api=via_api,
    )
    try:
        credential.credential = _sign(unsigned, organisation=organisation)  # step 2: no transaction, no lock
        if pdf_data is not None:
            pdf = _render_pdf(organisation=organisation, kind=kind, pdf_data=pdf_data, languages=languages,
                              number=number, code=code, verify_url=verify_url)
            credential.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
            credential.pdf.save(f"{number}.pdf", ContentFile(pdf), save=False)
        _credential_record(actor=actor, credential=credential, on_record=on_record)  # step 3
    except BaseException:
        _pdf_discard(credential)
        raise
    return credential


def credential_pdf_orphans_delete(*, older_than: datetime.timedelta = datetime.timedelta(hours=6)) -> list[str]:
    """Delete stored PDFs that no record names and that are older than `older_than`: left by an issuing process
    killed between storing the PDF and recording it (errors clean up at once; a hard kill cannot). The age keeps
    the PDF of an issue still on its way to the record. Returns the deleted names. Daily (beat schedule)."""
    deleted = orphan_files_delete(model=IssuedCredential, field="pdf", folder="credentials/pdf",
                                  cutoff=timezone.now() - older_than, recursive=True)
    if deleted:
        logger.warning("Deleted %d PDF(s) of issues that were never recorded: %s", len(deleted), deleted[:20])
    return deleted


def _supersedes_check(*, organisation, supersedes: IssuedCredential) -> IssuedCredential:
    if supersedes.organisation_id != organisation.pk:
        raise NotFound()
    if supersedes.status != IssuedCredential.Status.VALID:
        raise ApplicationError(_("Only a valid document can be replaced; this one is already %(status)s.")
                               % {"status": supersedes.get_status_display()}, code="supersedes")
    return supersedes


@transaction.atomic
def _credential_record(*, actor, credential: IssuedCredential, on_record=None) -> None:
    """Step 3 of issuing: write the record, mark what it replaces as superseded, audit; one short transaction."""
    organisation, supersedes = credential.organisation, credential.supersedes
    if supersedes is not None:  # checked again under the lock: someone may have replaced or revoked it meanwhile
        supersedes = _supersedes_check(organisation=organisation,
                                       supersedes=IssuedCredential.objects.select_for_update().get(pk=supersedes.pk))
    credential.save()
    audit_record(actor=actor, action=AuditEvent.Action.ISSUE, target=credential, organisation=organisation,
                 verb="credential_issue",
                 changes={"number": [None, credential.number], "kind": [None, credential.kind],
                          "holder_name": [None, credential.holder_name]})
    if supersedes is not None:
        # Every verifier must see that the old document is no longer the valid one: its bit in the revocation list
        # is set (our own pages still say "replaced by <code>", from the record).
        old_list = StatusList.objects.select_for_update().get(pk=supersedes.status_list_id)
        status_bit_set(status_list=old_list, index=supersedes.status_index)
        supersedes.status = IssuedCredential.Status.SUPERSEDED
        supersedes.superseded_at = timezone.now()
        supersedes.save(update_fields=["status", "superseded_at", "updated_at"])
        credential.supersedes = supersedes
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=supersedes, organisation=organisation,
                     verb="credential_supersede", changes={"status": ["valid", "superseded"],
                                                            "superseded_by": [None, credential.number]})
    if on_record is not None:
        on_record(credential)


@transaction.atomic
def credential_revoke(*, actor, credential: IssuedCredential, reason: str) -> IssuedCredential:
    """Revoke with a reason: flips the bit in the status list and re-signs the list at once."""
    require(actor, "credentials.revoke_credential", credential.organisation, visible="credentials.view_credential",
            message=_("Only an owner or admin of the organisation may revoke its documents."))
    from agnitio.core.validators import text_problem

    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Give the reason for revoking; the verification page shows it."), code="reason")
    problem = text_problem(reason, label=_("Reason for revoking"), multiline=True, max_length=1000)
    if problem is not None:  # the same policy as the form: bounded, no control characters
        raise ApplicationError(problem[0], code="reason")
    credential = IssuedCredential.objects.select_for_update().get(pk=credential.pk)
    if credential.status == IssuedCredential.Status.REVOKED:
        raise ApplicationError(_("This document is already revoked."), code="revoked")
    status_list = StatusList.objects.select_for_update().get(pk=credential.status_list_id)
    status_bit_set(status_list=status_list, index=credential.status_index)
    old_status = credential.status
    credential.status = IssuedCredential.Status.REVOKED
    credential.revoked_at = timezone.now()
    credential.revocation_reason = reason
    credential.save(update_fields=["status", "revoked_at", "revocation_reason", "updated_at"])
    audit_record(actor=actor, action=AuditEvent.Action.REVOKE, target=credential,
                 organisation=credential.organisation, verb="credential_revoke",
                 changes={"status": [old_status, "revoked"], "revocation_reason": ["", reason]})
    return credential


# --------------------------------------------------------------------------------------------- wallet


def _holder_check(*, actor, credential: IssuedCredential) -> None:
    from .selectors import wallet_credential_list

    # the holder's own documents, not offers they have not accepted
    if not credential.holder_email or not wallet_credential_list(actor=actor).filter(pk=credential.pk).exists():
        raise NotFound()


@transaction.atomic
def _redact_credential(document: dict) -> dict:
    """Keep what identifies the document and its status entry; drop the subject (name, e-mail hash) and the proof
    (it no longer matches). The holder's own copy stays intact and verifies by its signature and status entry."""
    keep = ("@context", "id", "type", "issuer", "validFrom", "validUntil", "credentialStatus", "name")
    redacted = {k: v for k, v in document.items() if k in keep}
    subject = document.get("credentialSubject")
    if not isinstance(subject, dict):
        subject = {}
    redacted["credentialSubject"] = {k: v for k, v in subject.items() if k in ("type", "achievement")}
    return redacted


def credential_holder_erase(*, credential: IssuedCredential, pseudonym: str,
                            now: datetime.datetime) -> tuple[Any, str] | None:
    """Remove the holder from an issued document at their erasure request (inside the caller's transaction): the
    name, e-mail, stored PDF and the stored credential's subject go, the number, status, status-list entry and the
    PDF's fingerprint stay (a presented PDF or credential still verifies). Its share links are deleted. Returns the
    (storage, name) of the PDF to delete once the erasure is committed, or None."""
    pdf = None
    if credential.pdf and credential.pdf.name:
        pdf = (credential.pdf.storage, credential.pdf.name)
        credential.pdf = None  # the fingerprint (pdf_sha256) stays: a presented PDF still verifies
    credential.holder_name = ""
    credential.holder_name_search = ""
    credential.holder_email = ""
    credential.credential = _redact_credential(credential.credential)
    credential.holder_erased_at = now
    credential.save(update_fields=["pdf", "holder_name", "holder_name_search", "holder_email", "credential",
                                   "holder_erased_at", "updated_at"])
    ShareLink.objects.filter(credential=credential).delete()
    audit_record(actor=None, action=AuditEvent.Action.UPDATE, target=credential,
                 organisation=credential.organisation, verb="credential_holder_erased",
                 changes={"holder": ["…", pseudonym]})
    return pdf


def share_link_create(*, actor, credential: IssuedCredential, expires_on: datetime.date) -> tuple[ShareLink, str]:
    """A link that shows this credential to whoever has it, until the end of `expires_on` or revocation.
    Returns the link and its secret token, which is not stored (only its hash): show it to the holder now."""
    _holder_check(actor=actor, credential=credential)
    today = timezone.localdate()
    if expires_on < today:
        raise ApplicationError(_("The expiry date must be today or later."), code="expires_on")
    if expires_on > today + datetime.timedelta(days=366):
        raise ApplicationError(_("A share link can last at most one year."), code="expires_on")
    expires_at = timezone.make_aware(datetime.datetime.combine(expires_on, datetime.time.max))
    token = secrets.token_urlsafe(24)
    link = ShareLink.objects.create(credential=credential, created_by=actor, token_hash=token_hash(token),
                                    expires_at=expires_at)
    audit_record(actor=actor, action=AuditEvent.Action.GRANT, target=link, organisation=credential.organisation,
                 verb="share_link_create", changes={"expires_at": [None, expires_at]})
    return link, token


@transaction.atomic
def share_link_revoke(*, actor, link: ShareLink) -> ShareLink:
    if link.created_by_id != getattr(actor, "pk", None):
        raise NotFound()
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at", "updated_at"])
        audit_record(actor=actor, action=AuditEvent.Action.REVOKE, target=link,
                     organisation=link.credential.organisation, verb="share_link_revoke",
                     changes={"revoked_at": [None, link.revoked_at]})
    return link


@transaction.atomic
def wallet_item_store(*, actor, document: dict) -> WalletItem:
    """Store a credential from another issuer in the holder's wallet, only after it verifies."""
    from .verification import credential_verify_json

    if not getattr(actor, "is_authenticated", False):
        raise NotFound()
    from agnitio.core.validators import contains_nul

    if contains_nul(document):  # no text may hold U+0000 (PostgreSQL refuses it), signed or not
        raise ApplicationError(_("The credential contains a NUL character (U+0000) and cannot be stored."),
                               code="nul_character")
    result = credential_verify_json(document)
    if not result.verified:
        raise ApplicationError(" ".join(str(e) for e in result.errors) or _("The credential did not verify."),
                               code="not_verified")
    issuer = document.get("issuer")
    issuer_id = issuer.get("id", "") if isinstance(issuer, dict) else str(issuer)
    issuer_name = issuer.get("name", "") if isinstance(issuer, dict) else ""
    item = WalletItem.objects.create(
        user=actor, issuer_id=issuer_id[:500], issuer_name=str(issuer_name)[:255],
        name=str(document.get("name") or "")[:500], credential=document, verified_at=timezone.now(),
    )
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=item, verb="wallet_item_store")
    return item


@transaction.atomic
def wallet_item_delete(*, actor, item: WalletItem) -> None:
    """Remove a stored credential from the holder's own wallet."""
    if item.user_id != getattr(actor, "pk", None):
        raise NotFound()
    audit_record(actor=actor, action=AuditEvent.Action.DELETE, target=item, verb="wallet_item_delete",
                 changes={"name": [item.name, None], "issuer": [item.issuer_id, None]})
    item.delete()


@transaction.atomic
def wallet_offer_decide(*, actor, credential: IssuedCredential, accept: bool) -> IssuedCredential:
    """The holder accepts or declines a credential offered to them (pushed by the VC API by an organisation they
    have no relation with). Accepted: it joins their wallet; declined: it leaves the offers (it stays issued and
    verifiable, since the issuer signed it). Audited."""
    from .selectors import wallet_offer_get

    credential = wallet_offer_get(actor=actor, public_id=credential.public_id)
    credential = IssuedCredential.objects.select_for_update().get(pk=credential.pk)
    decision = "accepted" if accept else "declined"
    credential.holder_decision = decision
    credential.holder_decision_at = timezone.now()
    credential.save(update_fields=["holder_decision", "holder_decision_at", "updated_at"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=credential,
                 organisation=credential.organisation, verb=f"wallet_offer_{decision}",
                 changes={"holder_decision": ["", decision]})
    return credential
