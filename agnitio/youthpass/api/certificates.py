"""API of certificates: issue one, read it, issue many in the background."""

from __future__ import annotations

import datetime

from ninja import Field, Router, Schema, Status

from agnitio.api_schemas import InputSchema, error_responses
from agnitio.core.errors import NotFound

from ..services import certificates
from ._common import participant_of, participants_chosen, project_of

router = Router()


class CertificateOut(Schema):
    number: str
    code: str  # the random verification code printed on the document (`verification_url` ends with it)
    status: str
    issued_on: datetime.date
    languages: list[str]
    verification_url: str
    supersedes: str | None


def _certificate_out(credential) -> dict:
    return {"number": credential.number, "code": credential.code, "status": credential.status,
            "issued_on": credential.issued_on, "languages": credential.languages,
            "verification_url": credential.verification_url,
            "supersedes": credential.supersedes.number if credential.supersedes_id else None}


# --- certificates ------------------------------------------------------------------------------------------------

@router.post("/projects/{pid}/participants/{ppid}/certificate", response={201: CertificateOut,
                                                                         **error_responses(400, 404, 422)},
             summary="Issue (or re-issue, superseding the current one) the person's certificate")
def certificate_issue_api(request, pid: str, ppid: str):
    credential = certificates.certificate_issue(actor=request.auth, participant=participant_of(request, pid, ppid)[1])
    return Status(201, _certificate_out(credential))


@router.get("/projects/{pid}/participants/{ppid}/certificate", response={200: CertificateOut,
                                                                        **error_responses(404)})
def certificate_get_api(request, pid: str, ppid: str):
    participant = participant_of(request, pid, ppid)[1]
    if participant.certificate is None:
        raise NotFound()
    return _certificate_out(participant.certificate)


class BatchIn(InputSchema):
    participants: list[str] | None = Field(None, description="Public ids; omitted: everyone ready")


class BatchOut(Schema):
    public_id: str
    status: str
    total: int
    done: int
    failed: list[dict]


def _batch_out(progress: dict) -> dict:
    batch = progress["batch"]
    return {"public_id": batch.public_id, "status": progress["status"], "total": batch.total, "done": progress["done"],
            "failed": [{"participant": i.participant.public_id, "reason": i.error} for i in progress["failed"]]}


@router.post("/projects/{pid}/certificates/batches", response={201: BatchOut, **error_responses(400, 404, 422)},
             summary="Issue certificates for a selection or everyone ready, in the background")
def batch_start_api(request, pid: str, payload: BatchIn):
    project = project_of(request, pid)
    chosen = participants_chosen(request, pid, payload.participants) if payload.participants else None
    batch = certificates.certificate_batch_start(actor=request.auth, project=project, participants=chosen)
    return Status(201, _batch_out(certificates.certificate_batch_progress(actor=request.auth, project=project,
                                                                          public_id=batch.public_id)))


@router.get("/projects/{pid}/certificates/batches/{bid}", response={200: BatchOut, **error_responses(404)},
            summary="Progress of a certificate batch")
def batch_get_api(request, pid: str, bid: str):
    project = project_of(request, pid)
    return _batch_out(certificates.certificate_batch_progress(actor=request.auth, project=project, public_id=bid))
