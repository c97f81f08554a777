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
    public_id: str  # what `replace` names when re-issuing
    number: str
    code: str  # the random verification code printed on the document (`verification_url` ends with it)
    status: str
    issued_on: datetime.date
    languages: list[str]
    verification_url: str
    supersedes: str | None


def _certificate_out(credential) -> dict:
    return {"public_id": credential.public_id, "number": credential.number, "code": credential.code,
            "status": credential.status,
            "issued_on": credential.issued_on, "languages": credential.languages,
            "verification_url": credential.verification_url,
            "supersedes": credential.supersedes.number if credential.supersedes_id else None}


# --- certificates ------------------------------------------------------------------------------------------------

class IssueIn(InputSchema):
    replace: str | None = Field(None, max_length=40, description=(
        "To re-issue: the public id of the person's current certificate, which the new one supersedes. Required "
        "while they hold a current certificate (else 400, code `already_issued`, also when it names an older "
        "one); not needed for a first issue or after a revocation."))


@router.post("/projects/{pid}/participants/{ppid}/certificate", response={201: CertificateOut,
                                                                         **error_responses(400, 404, 422)},
             summary="Issue the person's certificate, or re-issue it (superseding the current one, named in "
                     "`replace`)")
def certificate_issue_api(request, pid: str, ppid: str, payload: IssueIn | None = None):
    credential = certificates.certificate_issue(actor=request.auth, participant=participant_of(request, pid, ppid)[1],
                                                replace=payload.replace if payload else None)
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
    reissue: bool = Field(False, description=(
        "With `participants`: also re-issue for the chosen people who hold a current certificate (superseding "
        "it). Without it they are skipped; everyone ready never includes them."))


class BatchOut(Schema):
    public_id: str
    status: str
    total: int
    done: int
    failed: list[dict]
    skipped: int = Field(0, description=(
        "How many people were left out when the batch started because they already hold a current certificate "
        "(in the answer that starts the batch; 0 when a batch is read back)."))


def _batch_out(progress: dict, skipped: int = 0) -> dict:
    batch = progress["batch"]
    return {"public_id": batch.public_id, "status": progress["status"], "total": batch.total, "done": progress["done"],
            "failed": [{"participant": i.participant.public_id, "reason": i.error} for i in progress["failed"]],
            "skipped": skipped}


@router.post("/projects/{pid}/certificates/batches", response={201: BatchOut, **error_responses(400, 404, 422)},
             summary="Issue certificates for a selection or everyone ready, in the background")
def batch_start_api(request, pid: str, payload: BatchIn):
    project = project_of(request, pid)
    chosen = participants_chosen(request, pid, payload.participants) if payload.participants else None
    batch = certificates.certificate_batch_start(actor=request.auth, project=project, participants=chosen,
                                                 reissue=payload.reissue)
    return Status(201, _batch_out(certificates.certificate_batch_progress(actor=request.auth, project=project,
                                                                          public_id=batch.public_id),
                                  skipped=batch.skipped))


@router.get("/projects/{pid}/certificates/batches/{bid}", response={200: BatchOut, **error_responses(404)},
            summary="Progress of a certificate batch")
def batch_get_api(request, pid: str, bid: str):
    project = project_of(request, pid)
    return _batch_out(certificates.certificate_batch_progress(actor=request.auth, project=project, public_id=bid))
