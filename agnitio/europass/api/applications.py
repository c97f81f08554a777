"""API of applications for Europass mobility documents and the NEC's decisions."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from agnitio.api_schemas import CursorPageOut, InputSchema, cursor_page_out, error_responses
from agnitio.core.errors import NotFound
from agnitio.core.pagination import DEFAULT_SIZE, MAX_SIZE, keyset_page

from .. import selectors, services

router = Router()


class ApplicationOut(Schema):
    public_id: str
    institution: str | None
    individual: bool
    procedure: str
    issuing_body: str
    try_out: bool
    status: str
    programme: str
    programme_name: str
    project_number: str
    document_number: str
    description: str
    participants_count: int
    start_date: datetime.date
    end_date: datetime.date
    folders_by_post: bool
    folders_address: str
    folders_sent_at: datetime.datetime | None
    submitted_at: datetime.datetime
    decided_at: datetime.datetime | None
    rejection_reason: str
    purge_at: datetime.datetime | None
    waiting_too_long: bool

    @staticmethod
    def resolve_institution(obj) -> str | None:
        return obj.institution.public_id if obj.institution_id else None

    @staticmethod
    def resolve_individual(obj) -> bool:
        return obj.institution_id is None

    @staticmethod
    def resolve_try_out(obj) -> bool:
        return obj.is_try_out

    @staticmethod
    def resolve_waiting_too_long(obj) -> bool:
        return selectors.waiting_too_long(obj)


class ApplicationPage(CursorPageOut):
    items: list[ApplicationOut]


class ApplicationIn(InputSchema):
    multiline_fields = frozenset({"description", "folders_address"})
    individual: bool = Field(False, description="Apply as a person without a sending institution (procedure C)")
    conditions_accepted: Literal[True] = Field(..., description="The conditions must be accepted (true) first")
    procedure: Literal["A", "B", "C"]
    issuing_body: Literal["nec", "try_out"]
    national_centre: str = Field("", max_length=32, description="Public id of the NEC (when there is more than one)")
    participants_count: int = Field(..., ge=1, le=500)
    start_date: datetime.date
    end_date: datetime.date
    folders_by_post: bool = False
    folders_address: str = Field("", max_length=1000)
    programme: Literal["", "erasmus_plus", "nordplus", "bilateral"] = ""
    programme_name: str = Field("", max_length=200)
    project_number: str = Field("", max_length=80)
    document_number: str = Field("", max_length=80)
    description: str = Field("", max_length=2000)
    criterion_written_agreement: bool = False
    criterion_language_preparation: bool = False
    criterion_mentor: bool = False
    criterion_geographic_scope: bool = False
    language: Literal["lv", "en"] = "lv"


class RejectIn(InputSchema):
    reason: str = Field(..., min_length=1, max_length=2000)


@router.get("/applications", response={200: ApplicationPage, **error_responses(400, 422)},
            summary="Your applications (your institution's, or your own as an individual), newest first")
def application_list_api(request, cursor: str | None = Query(None, max_length=1000),
                         size: int = Query(DEFAULT_SIZE, ge=1, le=MAX_SIZE)):
    page = keyset_page(selectors.application_list(actor=request.auth), ordering=selectors.APPLICATION_ORDER,
                       cursor=cursor or None, size=size, invalid="raise")
    return cursor_page_out(page)


@router.post("/applications", response={201: ApplicationOut, **error_responses(400, 404, 422)},
             summary="Apply: not earlier than 10 weeks before the start (the error's detail gives the first allowed "
                     "date); procedure A or B for your institution, C as an individual")
def application_create_api(request, payload: ApplicationIn):
    data = payload.model_dump()
    institution = None if data.pop("individual") else selectors.institution_for(actor=request.auth)
    if institution is None and data["procedure"] != "C":
        raise NotFound()
    application = services.application_create(actor=request.auth, institution=institution, data=data)
    return Status(201, application)


@router.get("/applications/{application_id}", response={200: ApplicationOut, **error_responses(404)})
def application_get_api(request, application_id: str):
    return selectors.application_get(actor=request.auth, public_id=application_id)


def _nec_application(request, application_id: str):
    application = selectors.nec_application_list(actor=request.auth).filter(public_id=application_id).first()
    if application is None:
        raise NotFound()
    return application


@router.post("/applications/{application_id}/approve", response={200: ApplicationOut,
                                                                 **error_responses(400, 403, 404)},
             summary="NEC: approve; one document per participant is made, each with its own Europass number")
def application_approve_api(request, application_id: str):
    return services.application_approve(actor=request.auth, application=_nec_application(request, application_id))


@router.post("/applications/{application_id}/reject", response={200: ApplicationOut,
                                                                **error_responses(400, 403, 404, 422)},
             summary="NEC: reject with a reason (the applicant is told by e-mail, in their language)")
def application_reject_api(request, application_id: str, payload: RejectIn):
    return services.application_reject(actor=request.auth, application=_nec_application(request, application_id),
                                       reason=payload.reason)


@router.post("/applications/{application_id}/folders-sent", response={200: ApplicationOut,
                                                                      **error_responses(400, 404)},
             summary="NEC: the application's document folders were posted")
def application_folders_sent_api(request, application_id: str):
    return services.application_folders_mark_sent(actor=request.auth,
                                                  application=_nec_application(request, application_id))


@router.get("/nec/applications", response={200: ApplicationPage, **error_responses(400, 422)},
            summary="NEC: applications waiting for a decision, oldest first (`waiting_too_long` after 48 hours)")
def nec_queue_api(request, cursor: str | None = Query(None, max_length=1000),
                  size: int = Query(DEFAULT_SIZE, ge=1, le=MAX_SIZE)):
    page = keyset_page(selectors.nec_application_queue(actor=request.auth), ordering=selectors.NEC_QUEUE_ORDER,
                       cursor=cursor or None, size=size, invalid="raise")
    return cursor_page_out(page)


@router.get("/nec/folders", response={200: ApplicationPage, **error_responses(400, 422)},
            summary="NEC: approved applications whose document folders are still to be posted")
def nec_folders_api(request, cursor: str | None = Query(None, max_length=1000),
                    size: int = Query(DEFAULT_SIZE, ge=1, le=MAX_SIZE)):
    page = keyset_page(selectors.nec_folder_queue(actor=request.auth), ordering=selectors.FOLDER_QUEUE_ORDER,
                       cursor=cursor or None, size=size, invalid="raise")
    return cursor_page_out(page)
