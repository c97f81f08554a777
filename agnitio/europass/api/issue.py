"""API of making Europass mobility documents: the PDF of a learning agreement (or of a Try Out document), issuing
a mobility certificate through the Trust layer, and bulk generation for a whole application with its progress.
An incomplete document is refused (400, code `incomplete`) with the list of what is missing, section by section."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from ninja import Router, Schema, Status

from agnitio.api_schemas import error_responses
from agnitio.core.errors import ApplicationError

from .. import selectors, services
from .documents import MobilityMissingSectionOut

router = Router()


def site_url(path: str) -> str:
    return settings.SITE_URL + path


class RefusedOut(Schema):
    """A refusal: `detail` for people, `code` for programs; `missing` lists, section by section, what an
    incomplete document (code `incomplete`) still needs."""

    detail: str
    code: str
    missing: list[MobilityMissingSectionOut] = []


class IssuedOut(Schema):
    credential: str
    number: str
    code: str
    verification_url: str
    pdf_url: str
    edc_url: str


class SkippedOut(Schema):
    document: str
    label: str
    reason: str
    missing: list[MobilityMissingSectionOut] = []


class JobItemOut(Schema):
    label: str
    status: str
    outcome: str
    error: str


class MobilityJobOut(Schema):
    public_id: str
    status: str
    total: int
    done: int
    failed: int
    items: list[JobItemOut]
    skipped: list[SkippedOut]


def _refused(error: ApplicationError):
    return Status(400, {"detail": str(error.message), "code": error.code,
                        "missing": error.extra.get("missing", [])})


PDF_RESPONSE = {"responses": {200: {"description": "The PDF, in the document's own language",
                                    "content": {"application/pdf": {"schema": {"type": "string",
                                                                               "format": "binary"}}}}}}


@router.post("/documents/{document_id}/pdf", response={400: RefusedOut, **error_responses(404)},
            openapi_extra=PDF_RESPONSE,
            summary="The PDF of a complete learning agreement (sealed) or Try Out document (watermarked, not sealed)")
def document_pdf_api(request, document_id: str):
    document = selectors.document_get(actor=request.auth, public_id=document_id)
    try:
        pdf = services.document_pdf_render(actor=request.auth, document=document)
    except ApplicationError as error:
        if error.code == "not_found":
            raise
        return _refused(error)
    return HttpResponse(pdf, content_type="application/pdf")


@router.post("/documents/{document_id}/issue", response={201: IssuedOut, 400: RefusedOut, **error_responses(404)},
             summary="Issue a complete mobility certificate: sealed PDF, verification code and QR, wallet offer to "
                     "the participant's e-mail, EDC export")
def document_issue_api(request, document_id: str):
    document = selectors.document_get(actor=request.auth, public_id=document_id)
    try:
        credential = services.document_certificate_issue(actor=request.auth, document=document)
    except ApplicationError as error:
        if error.code == "not_found":
            raise
        return _refused(error)
    return Status(201, {
        "credential": credential.public_id, "number": credential.number, "code": credential.code,
        "verification_url": site_url(reverse("credentials:verify_code", args=[credential.code])),
        "pdf_url": site_url(reverse("credentials:issued_pdf", args=[credential.public_id])),
        "edc_url": site_url(reverse("credentials:issued_edc", args=[credential.public_id]))})


def _job_out(job, application, skipped: list[dict] | None = None) -> dict:
    from ..services import missing_as_data

    items, left_out = selectors.application_job_rows(job=job, application=application)
    if skipped is None:
        skipped = [{"document": d.public_id, "label": f"{d.position}. {d.participant_name or '—'}",
                    "reason": "incomplete" if missing else "already_issued", "missing": missing_as_data(missing)}
                   for d, missing in left_out]
    return {"public_id": job.public_id, "status": job.status, "total": job.total, "done": job.done,
            "failed": job.failed, "skipped": skipped,
            "items": [{"label": i.label, "status": i.status, "outcome": i.outcome, "error": i.error} for i in items]}


@router.post("/applications/{application_id}/generate",
             response={202: MobilityJobOut, 400: RefusedOut, **error_responses(403, 404)},
             summary="Make every complete document of an application in the background (incomplete ones are "
                     "skipped and listed); follow the job's progress")
def application_generate_api(request, application_id: str):
    application = selectors.application_get(actor=request.auth, public_id=application_id)
    try:
        started = services.application_documents_generate(actor=request.auth, application=application)
    except ApplicationError as error:
        if error.code in ("not_found", "permission_denied"):
            raise
        return _refused(error)
    return Status(202, _job_out(started.job, application, started.skipped))


@router.get("/applications/{application_id}/generate/{generation_id}",
            response={200: MobilityJobOut, **error_responses(404)},
            summary="Progress of a bulk generation: items made or failed, documents skipped")
def application_job_api(request, application_id: str, generation_id: str):
    application = selectors.application_get(actor=request.auth, public_id=application_id)
    job = selectors.application_job_get(actor=request.auth, application=application, public_id=generation_id)
    return _job_out(job, application)
