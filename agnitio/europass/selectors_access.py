"""Reads for the host's and the participant's access, copying data and signatures (issue 12, points 7-10).

A host sees a document only while (1) the sender sent the host access for it, not blocked, (2) the document still
names that e-mail as the host's (the mentor's e-mail), and (3) the account has that e-mail verified — never the
sender's other documents. A participant sees only the document whose access they accepted, with its e-mail verified,
until the sender blocks it.
Not found and not allowed are the same 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Lower

from agnitio.core.emails import email_normalise, email_q, verified_emails
from agnitio.core.errors import NotFound
from agnitio.core.permissions import allowed
from agnitio.organisations.access import within_scope

from .access_rules import participant_may_write
from .models import DocumentAccess, DocumentSignatureChoice, HostSignature, MobilityDocument

SHARED_ORDER = ("-created_at", "-id")


def _host_grants(emails: set[str]) -> QuerySet[DocumentAccess]:
    """Host accesses mailed to one of `emails` (a grant's address is stored normalised: services.access) whose
    document still names that address as the mentor's (typed on the document, in any case)."""
    return (DocumentAccess.objects.filter(email_q("email", emails), role=DocumentAccess.Role.HOST,
                                          blocked_at__isnull=True)
            .annotate(mentor=Lower("document__mentor_email")).filter(mentor=F("email")))


def shared_document_list(*, actor) -> QuerySet[MobilityDocument]:
    """The documents shared with the actor as a host or as a participant."""
    emails = verified_emails(actor)
    if not emails:
        return MobilityDocument.objects.none()
    host = _host_grants(emails).values("document_id")
    participant = (DocumentAccess.objects.filter(email_q("email", emails), role=DocumentAccess.Role.PARTICIPANT,
                                                 user=actor, blocked_at__isnull=True).values("document_id"))
    # Under an API token bound to an organisation, only that organisation's documents (as Youthpass records).
    return within_scope(MobilityDocument.objects.filter(Q(pk__in=host) | Q(pk__in=participant)),
                        "institution__organisation").select_related("institution__organisation", "application")


@dataclass
class SharedDocument:
    document: MobilityDocument
    role: str                # "host" or "participant"
    grant: DocumentAccess
    may_write: bool
    sections: frozenset[str]  # the sections the actor may edit now


def shared_document_get(*, actor, public_id: str) -> SharedDocument:
    from .access_rules import HOST_SECTIONS, PARTICIPANT_SECTIONS

    document = shared_document_list(actor=actor).filter(public_id=public_id).first()
    if document is None:
        raise NotFound()
    emails = verified_emails(actor)
    grant = _host_grants(emails).filter(document=document).first()
    if grant is not None:
        return SharedDocument(document, DocumentAccess.Role.HOST, grant, True, HOST_SECTIONS)
    grant = DocumentAccess.objects.get(document=document, role=DocumentAccess.Role.PARTICIPANT)
    writes = participant_may_write(grant)
    return SharedDocument(document, DocumentAccess.Role.PARTICIPANT, grant, writes,
                          PARTICIPANT_SECTIONS if writes else frozenset())


def is_host_account(*, actor) -> bool:
    """The actor is the host of at least one document (and so may store its own signatures)."""
    emails = verified_emails(actor)
    return bool(emails) and _host_grants(emails).exists()


def document_access_list(*, actor, document: MobilityDocument) -> QuerySet[DocumentAccess]:
    """The accesses given for a document: for its sending institution only."""
    if not allowed(actor, "europass.manage_document_access", document):
        return DocumentAccess.objects.none()
    return DocumentAccess.objects.filter(document=document).order_by("role", "id")


def document_access_get(*, actor, document: MobilityDocument, public_id: str) -> DocumentAccess:
    grant = document_access_list(actor=actor, document=document).filter(public_id=public_id).first()
    if grant is None:
        raise NotFound()
    return grant


def copy_targets(*, actor, source: MobilityDocument) -> QuerySet[MobilityDocument]:
    """The documents data of `source` may be copied into: the other participants' documents of the same
    application (or, for documents without an application, of the same institution), that the actor owns."""
    if not allowed(actor, "europass.copy_document_data", source) or source.institution_id is None:
        return MobilityDocument.objects.none()
    documents = MobilityDocument.objects.filter(institution_id=source.institution_id).exclude(pk=source.pk)
    if source.application_id:
        documents = documents.filter(application_id=source.application_id)
    else:
        documents = documents.filter(application__isnull=True)
    return documents.order_by("position", "id")


# --- signatures ------------------------------------------------------------------------------------------------------

def host_signature_list(*, actor) -> QuerySet[HostSignature]:
    if not getattr(actor, "is_authenticated", False):
        return HostSignature.objects.none()
    return HostSignature.objects.filter(user=actor).order_by("kind", "-is_default", "-created_at", "-id")


def host_signature_get(*, actor, public_id: str) -> HostSignature:
    signature = host_signature_list(actor=actor).filter(public_id=public_id).first()
    if signature is None:
        raise NotFound()
    return signature


def sending_signature_choices(*, actor, document: MobilityDocument) -> list:
    """The sending institution's active signatures and stamps (with their processed image) to choose from."""
    from agnitio.organisations.selectors import signature_list

    institution = document.institution
    if institution is None or not allowed(actor, "europass.choose_document_signature", document):
        return []
    return [s for s in signature_list(actor=actor, organisation=institution.organisation)
            if s.is_active and s.image_cropped]


def _image(field) -> dict[str, str] | None:
    return {"storage": field.name} if field and field.name else None


def _host_user(document: MobilityDocument):
    grant = (DocumentAccess.objects.filter(document=document, role=DocumentAccess.Role.HOST, blocked_at__isnull=True,
                                           user__isnull=False).select_related("user").first())
    if grant is None or email_normalise(document.mentor_email) != email_normalise(grant.email):
        return None
    return grant.user


def document_signature_images(document: MobilityDocument) -> dict[str, dict[str, Any]]:
    """What the PDF places (agnitio/documents/europass.py `Signature.signature`/`stamp`: {"storage": name} or None),
    per party: the signature/stamp chosen for this document, else the stored default of the sending institution
    (its organisation's) or of the host (the account that accepted the host access), placed automatically.

    For rendering: no actor, the caller has already checked access to the document."""
    from agnitio.organisations.selectors import signature_default

    choice = DocumentSignatureChoice.objects.filter(document=document).first()
    result: dict[str, dict[str, Any]] = {"sending": {"signature": None, "stamp": None},
                                         "host": {"signature": None, "stamp": None}}
    for kind in ("signature", "stamp"):
        chosen = getattr(choice, f"sending_{kind}", None) if choice else None
        if chosen is not None and not (chosen.is_active and chosen.image_cropped and document.institution is not None
                                       and chosen.organisation_id == document.institution.organisation_id):
            chosen = None  # inactive, not processed, or (never chosen so, but checked here too) another's image
        if chosen is None and document.institution is not None:
            chosen = signature_default(organisation=document.institution.organisation, kind=kind)
        result["sending"][kind] = _image(chosen.image_cropped) if chosen is not None else None
    host = _host_user(document)
    for kind in ("signature", "stamp"):
        host_chosen = getattr(choice, f"host_{kind}", None) if choice else None
        if host_chosen is not None and (host is None or host_chosen.user_id != host.pk or not host_chosen.image):
            host_chosen = None
        if host_chosen is None and host is not None:
            host_chosen = HostSignature.objects.filter(user=host, kind=kind, is_default=True).exclude(image="").first()
        result["host"][kind] = _image(host_chosen.image) if host_chosen is not None else None
    return result
