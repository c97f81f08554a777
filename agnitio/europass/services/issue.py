"""Making a Europass mobility document (D4, issue 12 point 11): the PDF only when every mandatory field of the
document's kind is filled; a learning agreement through the documents engine (sealed), a mobility certificate
through the Trust layer (`credentials.services.credential_issue`: register number, verification code and QR,
wallet offer to the participant's e-mail, sealed PDF, EDC export); a Try Out document only as a watermarked PDF,
never sealed, never issued, never numbered from the real series. Always in the document's own language."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError
from agnitio.core.models import AuditEvent
from agnitio.core.permissions import require
from agnitio.core.services import audit_record

from .. import selectors
from ..choices import DocumentKind
from ..models import MobilityDocument


class DocumentIncomplete(ApplicationError):
    """Something mandatory is missing; `extra["missing"]` lists it section by section."""


def missing_as_data(missing: list[selectors.MissingSection]) -> list[dict[str, Any]]:
    return [{"section": m.key, "label": m.label,
             "fields": [{"field": name, "label": label} for name, label in m.fields]} for m in missing]


def _fresh(document: MobilityDocument) -> MobilityDocument:
    """The document as saved now (a caller's copy may be older than its last edit)."""
    return MobilityDocument.objects.select_related("institution__organisation", "application", "applicant",
                                                   "group_programme").get(pk=document.pk)


def _require_complete(document: MobilityDocument) -> None:
    missing = selectors.document_missing_fields(document=document)
    if missing:
        raise DocumentIncomplete(_("The document is not complete: fill in what is listed first."),
                                 code="incomplete", extra={"missing": missing_as_data(missing)})


def _inputs(document: MobilityDocument, *, issued_on: datetime.date | None = None) -> dict:
    from agnitio.documents.europass import europass_issue_inputs

    try:
        return europass_issue_inputs(selectors.mobility_document_data(document, issued_on=issued_on))
    except ValueError as exc:  # a structural rule of documents.europass the missing-fields list did not catch
        raise DocumentIncomplete(_("The document is not complete: %(reason)s") % {"reason": exc},
                                 code="incomplete", extra={"missing": []}) from exc


def _organisation(document: MobilityDocument):
    if document.institution is None:
        raise ApplicationError(_("Only a sending institution's documents are sealed and issued here."),
                               code="no_institution")
    return document.institution.organisation


def document_certificate_credential(*, document: MobilityDocument):
    """The current credential issued for this certificate, or None."""
    from agnitio.credentials.selectors import issued_credential_for_source

    return issued_credential_for_source(source=document)


def document_pdf_render(*, actor, document: MobilityDocument) -> bytes:
    """The PDF of a learning agreement (sealed) or of any Try Out document (watermarked, never sealed), in the
    document's language. A (real) mobility certificate is issued instead: `document_certificate_issue`."""
    require(actor, "europass.change_document", document)
    document = _fresh(document)
    _require_complete(document)
    if document.kind == DocumentKind.CERTIFICATE and not document.try_out:
        raise ApplicationError(_("A mobility certificate is issued (with its verification code), not printed "
                                 "as a draft: use “Issue the certificate”."), code="issue_instead")
    from agnitio.documents.services import document_issue_pdf

    organisation = None if document.try_out else _organisation(document)
    inputs = _inputs(document, issued_on=timezone.localdate())
    # a Try Out document is rendered with its watermark and never sealed (document_issue_pdf skips the seal)
    pdf = document_issue_pdf(organisation=organisation, kind=inputs["kind"], data=inputs["pdf_data"],
                             languages=inputs["languages"], seal=not document.try_out, try_out=document.try_out)
    with transaction.atomic():
        audit_record(actor=actor, action=AuditEvent.Action.OTHER, target=document,
                     organisation=document.institution.organisation if document.institution else None,
                     changes={"pdf": [None, inputs["kind"]], "language": [None, document.language]}, verb="pdf")
    return pdf


def document_certificate_issue(*, actor, document: MobilityDocument,
                               on_record: Callable[[Any], None] | None = None):
    """Issue a complete mobility certificate through the Trust layer. Refused: an agreement, a Try Out document,
    an incomplete one (with the list of what is missing), one already issued. `on_record(credential)` runs in the
    transaction that records it (the bulk job marks its item done there)."""
    from agnitio.credentials.services import credential_issue

    require(actor, "europass.change_document", document)
    document = _fresh(document)
    if document.kind != DocumentKind.CERTIFICATE:
        raise ApplicationError(_("Only a mobility certificate is issued; a learning agreement is printed."),
                               code="not_certificate")
    if document.try_out:
        raise ApplicationError(_("A Try Out document is a trial: it is never sealed, numbered or issued."),
                               code="try_out")
    organisation = _organisation(document)
    _require_complete(document)
    if document_certificate_credential(document=document) is not None:
        raise ApplicationError(_("This certificate has already been issued."), code="already_issued")
    issued_on = timezone.localdate()
    inputs = _inputs(document, issued_on=issued_on)

    def record(credential) -> None:
        # the certificate row is locked with the record, so two concurrent issues never both succeed
        MobilityDocument.objects.select_for_update().get(pk=document.pk)
        if document_certificate_credential(document=document) not in (None, credential):
            raise ApplicationError(_("This certificate has already been issued."), code="already_issued")
        audit_record(actor=actor, action=AuditEvent.Action.ISSUE, target=document,
                     organisation=organisation, changes={"credential": [None, credential.number]}, verb="issue")
        if on_record is not None:
            on_record(credential)

    return credential_issue(
        actor=actor, organisation=organisation, kind=inputs["kind"],
        holder_name=inputs["holder_name"], holder_email=inputs["holder_email"], achievement=inputs["achievement"],
        languages=inputs["languages"], issued_on=issued_on, place=inputs["place"], pdf_data=inputs["pdf_data"],
        source=document, on_record=record,
    )
