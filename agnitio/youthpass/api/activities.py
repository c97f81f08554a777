"""API of a project's activities."""

from __future__ import annotations

import datetime

from django.http import HttpResponse
from ninja import Field, Router, Schema, Status

from agnitio.api_schemas import InputSchema, Omittable, error_responses
from agnitio.core import versioning
from agnitio.core.validators import TEXT_MAX_LENGTH

from .. import selectors, services
from ..models import Activity
from ._common import project_of

router = Router()


class ActivityOut(Schema):
    public_id: str
    activity_type: str
    title: str
    description: str
    start_date: datetime.date
    end_date: datetime.date
    format: str
    venue_city: str
    venue_country: str
    methods: str
    results: str

    @staticmethod
    def resolve_venue_country(obj) -> str:
        return obj.venue_country.code or ""


class ActivityIn(InputSchema):
    activity_type: str
    title: str = Field(..., min_length=1, max_length=255)
    description: str = Field("", max_length=TEXT_MAX_LENGTH)
    start_date: datetime.date
    end_date: datetime.date
    format: str = Activity.Format.ONSITE
    venue_city: str = Field("", max_length=200)
    venue_country: str = Field("", pattern="^([A-Z]{2})?$")
    methods: str = Field("", max_length=TEXT_MAX_LENGTH)
    results: str = Field("", max_length=TEXT_MAX_LENGTH)


class ActivityPatch(InputSchema):
    activity_type: Omittable[str] = None
    title: Omittable[str] = Field(None, min_length=1, max_length=255)
    description: Omittable[str] = Field(None, max_length=TEXT_MAX_LENGTH)
    start_date: Omittable[datetime.date] = None
    end_date: Omittable[datetime.date] = None
    format: Omittable[str] = None
    venue_city: Omittable[str] = Field(None, max_length=200)
    venue_country: Omittable[str] = Field(None, pattern="^([A-Z]{2})?$")
    methods: Omittable[str] = Field(None, max_length=TEXT_MAX_LENGTH)
    results: Omittable[str] = Field(None, max_length=TEXT_MAX_LENGTH)


# --- activities --------------------------------------------------------------------------------------------------

@router.get("/projects/{pid}/activities", response={200: list[ActivityOut], **error_responses(404)})
def activity_list_api(request, pid: str):
    return list(selectors.activity_list(actor=request.auth, project=project_of(request, pid)))


@router.post("/projects/{pid}/activities", response={201: ActivityOut, **error_responses(400, 404, 422)},
             summary="Add an activity; its type must fit the project type")
def activity_create_api(request, pid: str, payload: ActivityIn):
    activity = services.activity_create(actor=request.auth, project=project_of(request, pid), **payload.model_dump())
    return Status(201, activity)


@router.patch("/projects/{pid}/activities/{aid}",
              response={200: ActivityOut, **error_responses(400, 404, 409, 422)},
              description="With `If-Match: <ETag>`, an activity changed since that version is not overwritten (409).")
def activity_update_api(request, pid: str, aid: str, payload: ActivityPatch, response: HttpResponse):
    project = project_of(request, pid)
    activity = selectors.activity_get(actor=request.auth, project=project, public_id=aid)
    data = payload.model_dump(exclude_unset=True)
    with versioning.check_if_match(request, activity, data=data):
        services.activity_update(actor=request.auth, activity=activity, data=data)
    activity = selectors.activity_get(actor=request.auth, project=project, public_id=aid)
    versioning.set_etag(response, activity)
    return activity


@router.delete("/projects/{pid}/activities/{aid}", response={204: None, **error_responses(404)})
def activity_delete_api(request, pid: str, aid: str):
    project = project_of(request, pid)
    services.activity_delete(actor=request.auth,
                             activity=selectors.activity_get(actor=request.auth, project=project, public_id=aid))
    return Status(204, None)
