"""Bulk generation for a whole application (issue 12 point 11): a job of the documents engine
(`agnitio.documents.jobs`) with the "europass.documents" handler, one item per complete document. A mobility
certificate is issued through the Trust layer (the item's outcome is the credential's public id); a learning
agreement (or a Try Out document) is rendered and stored as the item's file. Incomplete documents are skipped and
listed, with what each one misses; certificates already issued are skipped too."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.models import AuditEvent
from agnitio.core.permissions import require
from agnitio.core.services import audit_record

from .. import selectors
from ..choices import DocumentKind
from ..models import Application, MobilityDocument
from .issue import document_certificate_credential, document_certificate_issue, document_pdf_render

DOCUMENTS_JOB = selectors.DOCUMENTS_JOB


@dataclass
class BulkStart:
    job: object
    skipped: list[dict] = field(default_factory=list)  # {"document", "label", "reason", "missing"}


def documents_job_may_manage(actor, organisation, scope: str) -> bool:
    """Who may start and follow a bulk job: a member of the institution whose application (`scope`) it is.
    The NEC that approved it may not."""
    from agnitio.core.permissions import allowed

    application = selectors.application_list(actor=actor).filter(public_id=scope).first()
    return (application is not None and application.institution is not None
            and application.institution.organisation_id == organisation.pk
            and allowed(actor, "europass.apply_for_mobility", application.institution))


def documents_job_item_process(*, job, item, done) -> None:
    """One document of the job, as the job's starter: issue a certificate, or render an agreement's PDF."""
    document = (MobilityDocument.objects.select_related("institution__organisation", "application")
                .filter(pk=item.data.get("document"), application__public_id=job.scope).first())
    if document is None:
        raise ApplicationError(_("This document no longer exists."), code="missing")
    if document.kind == DocumentKind.CERTIFICATE and not document.try_out:
        document_certificate_issue(actor=job.owner, document=document,
                                   on_record=lambda credential: done(outcome=credential.public_id))
        return
    pdf = document_pdf_render(actor=job.owner, document=document)
    path = f"europass/jobs/{job.public_id}/{item.index + 1:04d}-{document.public_id}.pdf"
    if default_storage.exists(path):
        default_storage.delete(path)
    done(outcome=document.public_id, file=default_storage.save(path, ContentFile(pdf)))


def application_documents_generate(*, actor, application: Application) -> BulkStart:
    """Start making every complete document of the application in the background; returns the job (whose
    progress the page polls) and the documents skipped, each with why."""
    from agnitio.documents.services import JobItemIn, job_create

    if application.institution is None:
        raise NotFound()
    require(actor, "europass.apply_for_mobility", application.institution)
    items: list = []
    skipped: list[dict] = []
    for document in application.documents.select_related("institution__organisation").order_by("position", "id"):
        label = f"{document.position}. {document.participant_name or '—'} ({document.get_kind_display()})"
        missing = selectors.document_missing_fields(document=document)
        if missing:
            from .issue import missing_as_data

            skipped.append({"document": document.public_id, "label": label, "reason": "incomplete",
                            "missing": missing_as_data(missing)})
            continue
        if (document.kind == DocumentKind.CERTIFICATE and not document.try_out
                and document_certificate_credential(document=document) is not None):
            skipped.append({"document": document.public_id, "label": label, "reason": "already_issued",
                            "missing": []})
            continue
        items.append(JobItemIn(data={"document": document.pk}, label=label))
    if not items:
        raise ApplicationError(_("No document of this application is complete yet: fill in what each one misses "
                                 "first."), code="empty", extra={"skipped": skipped})
    organisation = application.institution.organisation
    job = job_create(actor=actor, organisation=organisation, handler=DOCUMENTS_JOB, scope=application.public_id,
                     kind="europass", title=f"Europass — {application}", items=items,
                     verb="europass documents started")
    if skipped:
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=job, organisation=organisation,
                     verb="europass documents skipped", changes={"skipped": [None, [s["document"] for s in skipped]]})
    return BulkStart(job=job, skipped=skipped)
