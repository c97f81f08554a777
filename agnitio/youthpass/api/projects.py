"""API of Youthpass projects."""

from __future__ import annotations

import datetime

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from agnitio.api_schemas import CursorPageOut, InputSchema, Omittable, cursor_page_out, error_responses
from agnitio.core import versioning
from agnitio.core.pagination import DEFAULT_SIZE, MAX_SIZE, keyset_page
from agnitio.core.validators import TEXT_MAX_LENGTH

from .. import selectors, services
from ._common import project_of

router = Router()


# --- schemas -----------------------------------------------------------------------------------------------------


class PartnerOut(Schema):
    name: str
    country: str

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.country.code


class ProjectOut(Schema):
    public_id: str
    organisation: str
    grant_number: str
    display_name: str
    programme: str
    project_type: str
    title: str
    description: str
    aims: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    venue: str
    yans_opt_in: bool
    certificate_language: str
    signing_place: str
    signing_date: datetime.date | None
    finalised_at: datetime.datetime | None
    partners: list[PartnerOut]

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.public_id

    @staticmethod
    def resolve_partners(obj) -> list:
        return list(obj.partners.all())


class ProjectIn(InputSchema):
    organisation: str = Field(..., description="Public id of the organisation the project belongs to")
    grant_number: str = Field(..., max_length=60, examples=["2022-1-LV01-KA153-YOU-000000000"],
                              description="Its action code must fit the programme and project type (KA153: mobility "
                                          "of youth workers); a mismatch is refused with the error code `action`.")
    programme: str = Field(..., examples=["erasmus_youth", "esc"])
    project_type: str = Field(..., examples=["youth_workers_mobility"])
    title: str = Field("", max_length=255)
    description: str = Field("", max_length=TEXT_MAX_LENGTH)
    aims: str = Field("", max_length=TEXT_MAX_LENGTH)
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    venue: str = Field("", max_length=255)


class ProjectPatch(InputSchema):
    grant_number: Omittable[str] = Field(None, max_length=60)
    programme: Omittable[str] = None
    project_type: Omittable[str] = None
    title: Omittable[str] = Field(None, max_length=255)
    description: Omittable[str] = Field(None, max_length=TEXT_MAX_LENGTH)
    aims: Omittable[str] = Field(None, max_length=TEXT_MAX_LENGTH)
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    venue: Omittable[str] = Field(None, max_length=255)
    yans_opt_in: Omittable[bool] = None


# --- projects ----------------------------------------------------------------------------------------------------

class ProjectPage(CursorPageOut):
    items: list[ProjectOut]


@router.get("/projects", response={200: ProjectPage, **error_responses(400, 422)},
            summary="Projects you may see, newest first, one page at a time (follow `next`)")
def project_list_api(request, cursor: str | None = Query(None, max_length=1000),
                     size: int = Query(DEFAULT_SIZE, ge=1, le=MAX_SIZE)):
    page = keyset_page(selectors.project_list(actor=request.auth).prefetch_related("partners"),
                       ordering=selectors.PROJECT_ORDER, cursor=cursor or None, size=size, invalid="raise")
    return cursor_page_out(page)


@router.post("/projects", response={201: ProjectOut, **error_responses(400, 404, 422)},
             summary="Start a project: the grant agreement number is validated (YYYY-R-CCNN-ACTION-FIELD-NNNNNNNNN)")
def project_create_api(request, payload: ProjectIn):
    from agnitio.organisations.selectors import organisation_get

    data = payload.model_dump()
    organisation = organisation_get(actor=request.auth, public_id=data.pop("organisation"))
    project = services.project_create(actor=request.auth, organisation=organisation, **data)
    return Status(201, project)


@router.get("/projects/{pid}", response={200: ProjectOut, **error_responses(404)},
            description="The `ETag` header is the project's version: send it back as `If-Match` when you change it.")
def project_get_api(request, pid: str, response: HttpResponse):
    project = project_of(request, pid)
    versioning.set_etag(response, project)
    return project


@router.patch("/projects/{pid}", response={200: ProjectOut, **error_responses(400, 404, 409, 422)},
              description="With `If-Match: <ETag>`, a project changed since that version is not overwritten (409).")
def project_update_api(request, pid: str, payload: ProjectPatch, response: HttpResponse):
    project = project_of(request, pid)
    data = payload.model_dump(exclude_unset=True)
    with versioning.check_if_match(request, project, data=data):
        services.project_update(actor=request.auth, project=project, data=data)
    project = project_of(request, pid)
    versioning.set_etag(response, project)
    return project


@router.delete("/projects/{pid}", response={204: None, **error_responses(403, 404)},
               summary="Delete a project (organisation owners and admins)")
def project_delete_api(request, pid: str):
    services.project_delete(actor=request.auth, project=project_of(request, pid))
    return Status(204, None)
