"""API of a project's participants: records, invitations, messages and the spreadsheet import."""

from __future__ import annotations

import datetime
from typing import Annotated

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile

from agnitio.api_schemas import (
    PUBLIC_ID_PATTERN,
    CursorPageOut,
    InputSchema,
    Omittable,
    cursor_page_out,
    error_responses,
)
from agnitio.core import versioning
from agnitio.core.errors import ApplicationError
from agnitio.core.pagination import DEFAULT_SIZE, MAX_SIZE, keyset_page
from agnitio.core.spreadsheets import rejected_rows_shown
from agnitio.core.throttle import upload_throttle
from agnitio.core.validators import TEXT_MAX_LENGTH, json_parse

from .. import selectors, services
from ..models import Participant
from ..services import imports
from ..spreadsheets import MAX_BYTES
from ._common import activities_of, participant_of, participants_chosen, project_of

router = Router()


class ParticipantOut(Schema):
    public_id: str
    first_name: str
    last_name: str
    email: str
    country: str
    date_of_birth: datetime.date | None
    place_of_birth: str
    language: str
    role: str
    status: str
    activities: list[str]
    certificate_number: str | None

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.country.code or ""

    @staticmethod
    def resolve_activities(obj) -> list[str]:
        return [a.public_id for a in obj.activities.all()]

    @staticmethod
    def resolve_certificate_number(obj) -> str | None:
        return obj.certificate.number if obj.certificate_id else None


class ParticipantIn(InputSchema):
    first_name: str = Field(..., min_length=1, max_length=150)
    last_name: str = Field(..., min_length=1, max_length=150)
    email: str = Field("", max_length=254)
    country: str = Field("", pattern="^([A-Z]{2})?$")
    date_of_birth: datetime.date | None = None
    place_of_birth: str = Field("", max_length=200)
    language: str = "lv"
    role: str = Participant.Role.PARTICIPANT
    activities: list[str] = Field(default_factory=list, description="Public ids of the project's activities")


class ParticipantPatch(InputSchema):
    first_name: Omittable[str] = Field(None, min_length=1, max_length=150)
    last_name: Omittable[str] = Field(None, min_length=1, max_length=150)
    email: Omittable[str] = Field(None, max_length=254)
    country: Omittable[str] = Field(None, pattern="^([A-Z]{2})?$")
    date_of_birth: datetime.date | None = None
    place_of_birth: Omittable[str] = Field(None, max_length=200)
    language: Omittable[str] = None
    role: Omittable[str] = None
    activities: Omittable[list[str]] = None


class SelectionIn(InputSchema):
    participants: list[str] = Field(..., min_length=1, description="Public ids of participants of the project")
    personal_message: str = Field("", max_length=TEXT_MAX_LENGTH)


class SelectionOut(Schema):
    done: int
    skipped: list[str]


class ImportForm(Schema):
    dry_run: bool = Field(False, description="Only check: answer with the preview and its row errors")
    mapping: str = Field("", description='JSON object column index → field, e.g. {"0": "first_name", '
                         '"1": "last_name"}; empty: the headings are recognised')
    default_role: str = Field(Participant.Role.PARTICIPANT, description="Role where the table has no role column")
    activities: str = Field("", description="Comma-separated public ids of the activities everyone took part in")
    encoding: str = Field("", description="Text encoding of a csv file; empty: detected")
    partial: bool = Field(False, description="Import the rows without problems and answer with the others in "
                          "`rejected` (row number, cells, problems) to fix and send again; false: all rows or none "
                          "(400 when any row has a problem)")


class RejectedRowOut(Schema):
    line: int = Field(description="Row number in the file (the headings are row 1)")
    cells: list = Field(description="The row's cells as read, in the order of `headers`")
    errors: list[str]


class ImportOut(Schema):
    imported: int = 0
    preview: dict | None = None
    headers: list[str] = Field(default_factory=list, description="The table's headings (with `partial`)")
    rejected: list[RejectedRowOut] = Field(default_factory=list,
                                           description="With `partial`: the rows not imported, to fix")


# --- participants ------------------------------------------------------------------------------------------------

class ParticipantPage(CursorPageOut):
    items: list[ParticipantOut]


@router.get("/projects/{pid}/participants", response={200: ParticipantPage, **error_responses(400, 404, 422)},
            summary="Individuals of the project by name, optionally filtered, one page at a time (follow `next`)")
def participant_list_api(request, pid: str, status: str = "", role: str = "", activity: str = "",
                         cursor: str | None = Query(None, max_length=1000),
                         size: int = Query(DEFAULT_SIZE, ge=1, le=MAX_SIZE)):
    project = project_of(request, pid)
    chosen = selectors.activity_get(actor=request.auth, project=project, public_id=activity) if activity else None
    page = keyset_page(selectors.participant_list(actor=request.auth, project=project, status=status, role=role,
                                                  activity=chosen).select_related("certificate"),
                       ordering=selectors.PARTICIPANT_ORDER, cursor=cursor or None, size=size, invalid="raise")
    return cursor_page_out(page)


@router.post("/projects/{pid}/participants", response={201: ParticipantOut, **error_responses(400, 404, 422)})
def participant_create_api(request, pid: str, payload: ParticipantIn):
    project = project_of(request, pid)
    data = payload.model_dump()
    activities = activities_of(project, data.pop("activities"))
    participant = services.participant_create(actor=request.auth, project=project, activities=activities, **data)
    return Status(201, participant)


@router.post("/projects/{pid}/participants/invite", response={200: SelectionOut, **error_responses(400, 404, 422)},
             summary="Invite to complete personal data and learning outcomes (personal, expiring links by e-mail)")
def participant_invite_api(request, pid: str, payload: SelectionIn):
    chosen = participants_chosen(request, pid, payload.participants)
    skipped = services.participant_invite(actor=request.auth, participants=chosen,
                                          personal_message=payload.personal_message)
    return {"done": len(chosen) - len(skipped), "skipped": skipped}


@router.post("/projects/{pid}/participants/withdraw", response={200: SelectionOut, **error_responses(400, 404, 422)})
def participant_withdraw_api(request, pid: str, payload: SelectionIn):
    chosen = participants_chosen(request, pid, payload.participants)
    skipped = services.participant_invitation_withdraw(actor=request.auth, participants=chosen)
    return {"done": len(chosen) - len(skipped), "skipped": skipped}


@router.post("/projects/{pid}/participants/message", response={200: SelectionOut, **error_responses(400, 404, 422)},
             summary="Send the standard text with a personal message")
def participant_message_api(request, pid: str, payload: SelectionIn):
    chosen = participants_chosen(request, pid, payload.participants)
    skipped = services.participant_message_send(actor=request.auth, participants=chosen,
                                                personal_message=payload.personal_message)
    return {"done": len(chosen) - len(skipped), "skipped": skipped}


@router.post("/projects/{pid}/participants/import",
             response={200: ImportOut, **error_responses(400, 404, 422, 429)},
             summary="Import individuals from xlsx/xls/ods/csv; with dry_run only the preview (row errors)")
def participant_import_api(request, pid: str, file: File[UploadedFile], form: Form[ImportForm]):
    dry_run, mapping, default_role = form.dry_run, form.mapping, form.default_role
    activities, encoding = form.activities, form.encoding
    project = project_of(request, pid)
    upload_throttle(request, actor=request.auth, group=imports.RATE_GROUP)  # one budget with the page
    if (file.size or 0) > MAX_BYTES:
        raise ApplicationError(_("The file is larger than %(mb)d MB. Split it into smaller files.")
                               % {"mb": MAX_BYTES // (1024 * 1024)}, code="too_large")
    try:
        columns = {int(k): str(v) for k, v in json_parse(mapping).items()} if mapping else None
    except (ValueError, AttributeError, TypeError) as error:
        raise ApplicationError(_("“mapping” must be a JSON object of column number → field, such as "
                                 "{\"0\": \"first_name\"}."), code="mapping") from error
    ids = [x.strip() for x in activities.split(",") if x.strip()]
    chosen = activities_of(project, ids)
    data = file.read()
    if dry_run:
        preview = imports.participants_import_preview(actor=request.auth, project=project, data=data,
                                                      filename=file.name or "", mapping=columns, encoding=encoding,
                                                      default_role=default_role)
        return {"imported": 0, "preview": preview.as_dict()}
    try:
        result = imports.participants_import_run(actor=request.auth, project=project, data=data,
                                                 filename=file.name or "", mapping=columns, encoding=encoding,
                                                 activities=chosen, default_role=default_role, partial=form.partial)
    except ApplicationError as error:
        if error.extra.get("preview"):
            return Status(400, {"detail": str(error), "code": error.code})
        raise
    return {"imported": len(result.people), "rejected": rejected_rows_shown(result.rejected),
            "headers": result.headers if result.rejected else []}


# Declared so the OpenAPI document tells clients what a participant id looks like:
# `participants/invite|withdraw|message|import` are operations (POST), never a participant.
ParticipantId = Annotated[str, Path(pattern=PUBLIC_ID_PATTERN)]


@router.get("/projects/{pid}/participants/{ppid}", response={200: ParticipantOut, **error_responses(404, 422)},
            description="The `ETag` header is the participant's version: send it back as `If-Match` when you change "
                        "the participant.")
def participant_get_api(request, pid: str, ppid: ParticipantId, response: HttpResponse):
    participant = participant_of(request, pid, ppid)[1]
    versioning.set_etag(response, participant)
    return participant


@router.patch("/projects/{pid}/participants/{ppid}",
              response={200: ParticipantOut, **error_responses(400, 404, 409, 422)},
              description="With `If-Match: <ETag>`, a participant changed since that version is not overwritten "
                          "(409).")
def participant_update_api(request, pid: str, ppid: ParticipantId, payload: ParticipantPatch,
                           response: HttpResponse):
    project, participant = participant_of(request, pid, ppid)
    data = payload.model_dump(exclude_unset=True)
    ids = data.pop("activities", None)
    activities = activities_of(project, ids) if ids is not None else None
    with versioning.check_if_match(request, participant, data={**data, **({"activities": activities}
                                                                          if activities is not None else {})}):
        services.participant_update(actor=request.auth, participant=participant, data=data, activities=activities)
    participant = participant_of(request, pid, ppid)[1]
    versioning.set_etag(response, participant)
    return participant


@router.delete("/projects/{pid}/participants/{ppid}", response={204: None, **error_responses(404, 422)})
def participant_delete_api(request, pid: str, ppid: ParticipantId):
    services.participant_delete(actor=request.auth, participants=[participant_of(request, pid, ppid)[1]])
    return Status(204, None)
