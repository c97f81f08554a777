"""API of recognition: a learner submits a micro-credential from another provider (signed credential or EDC file
as JSON, or our sealed PDF, as a bounded upload) to a provider with a recognition policy; the learner lists their
requests, the provider's members list theirs and decide with a reason."""

from __future__ import annotations

import datetime
from typing import ClassVar

from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from agnitio.api_schemas import CursorPageOut, InputSchema, cursor_page_out, error_responses
from agnitio.core.pagination import DEFAULT_SIZE, MAX_SIZE, keyset_page
from agnitio.core.throttle import account_throttle
from agnitio.organisations.selectors import organisation_get

from .. import selectors
from ..services import recognition as services

router = Router()


class CheckOut(Schema):
    ok: bool
    text: str


class RecognitionOut(Schema):
    public_id: str
    provider: str
    kind: str = Field(..., description="vc (signed credential), edc (unsigned EDC: structure only), pdf (ours)")
    title: str
    issuer_name: str = Field(..., description="As the document says; vouched for only when `verified`")
    issuer_id: str
    verified: bool = Field(..., description="Authenticity verified (never for an unsigned EDC file)")
    checks: list[CheckOut]
    status: str
    decision_reason: str
    counts_as: str = Field("", description="The provider's own specification it counts as for stacking")
    decided_at: datetime.datetime | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_provider(obj) -> str:
        return obj.organisation.public_id

    @staticmethod
    def resolve_checks(obj) -> list[dict]:
        return obj.checks_shown

    @staticmethod
    def resolve_counts_as(obj) -> str:
        return obj.counts_as.public_id if obj.counts_as_id else ""


class RecognitionPage(CursorPageOut):
    items: list[RecognitionOut]


class SubmitForm(Schema):
    provider: str = Field(..., min_length=1, max_length=32, description="Public id of the receiving provider")
    note: str = Field("", max_length=services.NOTE_MAX)


class DecisionIn(InputSchema):
    decision: str = Field(..., max_length=12, examples=["recognised", "partly", "refused"])
    reason: str = Field(..., min_length=1, max_length=services.REASON_MAX)
    counts_as: str = Field("", max_length=32, description="Only with \"recognised\": public id of one of the "
                           "provider's own published specifications the micro-credential counts as (stacking)")
    multiline_fields: ClassVar[frozenset[str]] = frozenset({"reason"})


@router.post("/recognitions", response={201: RecognitionOut, **error_responses(400, 404, 413, 422, 429)},
             summary="Submit a micro-credential from another provider for recognition (per account and hour, "
                     "with the pages: AGNITIO_RECOGNITION_RATE_LIMIT; at most "
                     f"{services.OPEN_PER_PROVIDER_MAX} undecided at one provider)")
def recognition_submit_api(request, data: Form[SubmitForm], file: File[UploadedFile]):
    account_throttle(request, actor=request.auth, group=services.RATE_GROUP, rate=services.recognition_rate(),
                     message=services.recognition_rate_message())
    if file.size and file.size > services.UPLOAD_MAX_BYTES:
        return Status(413, {"detail": "The file is too large (at most 2 MB).", "code": "too_large"})
    submitted = services.recognition_submit(actor=request.auth, provider_public_id=data.provider,
                                            raw=file.read(services.UPLOAD_MAX_BYTES + 1), note=data.note)
    return Status(201, submitted)


@router.get("/recognitions", response={200: RecognitionPage, **error_responses(400, 404, 422)},
            summary="Your recognition requests, or (with `provider`) those sent to your organisation")
def recognition_list_api(request, provider: str | None = Query(None, max_length=32),
                         cursor: str | None = Query(None, max_length=1000),
                         size: int = Query(DEFAULT_SIZE, ge=1, le=MAX_SIZE)):
    organisation = organisation_get(actor=request.auth, public_id=provider) if provider else None
    page = keyset_page(selectors.recognition_list(actor=request.auth, organisation=organisation),
                       ordering=selectors.RECOGNITION_ORDER, cursor=cursor or None, size=size, invalid="raise")
    return cursor_page_out(page)


@router.post("/recognitions/{recognition_id}/decision",
             response={200: RecognitionOut, **error_responses(400, 404, 422)},
             summary="The receiving provider's decision (recognised, partly, refused) with its reason")
def recognition_decide_api(request, recognition_id: str, payload: DecisionIn):
    return services.recognition_decide(actor=request.auth, public_id=recognition_id, decision=payload.decision,
                                       reason=payload.reason, counts_as=payload.counts_as)
