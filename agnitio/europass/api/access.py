"""API of issue 12, points 7-9: copying data to other documents (preview, then apply with the preview's versions;
409 `conflict` when a target changed in between), the accesses a sending institution gives to the host and the
participants (send, list, block), and the documents shared with the caller as a host or a participant."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from agnitio.api_schemas import CursorPageOut, InputSchema, cursor_page_out, error_responses
from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.pagination import DEFAULT_SIZE, MAX_SIZE, keyset_page

from .. import selectors, selectors_access, services
from ..services import access
from ..services.copy import document_copy_apply, document_copy_preview
from .documents import MobilityDocumentOut, MobilityDocumentSummaryOut, MobilitySectionIn

router = Router()

CopySection = Literal["host", "project", "outcomes"]


class AccessOut(Schema):
    public_id: str
    role: Literal["host", "participant"]
    email: str = Field(..., description="The address the sender typed (the host's or the participant's e-mail).")
    registered: bool
    write_until: datetime.date | None
    blocked_at: datetime.datetime | None

    @staticmethod
    def resolve_registered(obj) -> bool:
        return obj.accepted_at is not None


class AccessList(Schema):
    items: list[AccessOut]


class ParticipantAccessIn(InputSchema):
    write_until: datetime.date = Field(..., description="The last day the participant may write (inclusive).")
    language: Literal["lv", "en"] = "en"


class GroupAccessOut(Schema):
    granted: list[AccessOut]
    without_email: list[str] = Field(..., description="Documents left out: no participant e-mail yet.")


class HostAccessIn(InputSchema):
    language: Literal["lv", "en"] = "en"


FieldName = Annotated[str, Field(pattern=r"^[a-z_]{1,40}$")]
PublicId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


class CopyIn(InputSchema):
    section: CopySection
    fields: list[FieldName] = Field(..., min_length=1, max_length=20)
    targets: list[PublicId] = Field(..., min_length=1, max_length=500,
                                    description="Public ids of the target documents.")


class TargetVersionIn(InputSchema):
    document: PublicId
    version: str = Field(..., pattern=r"^[0-9a-f]{0,64}$", description="`version` from the preview.")


class CopyApplyIn(CopyIn):
    versions: list[TargetVersionIn] = Field(..., max_length=500,
                                            description="For each target, the version its preview showed.")


class FieldChangeOut(Schema):
    field: str
    label: str
    old: str
    new: str


class TargetPreviewOut(Schema):
    document: str
    version: str
    changes: list[FieldChangeOut]


class CopyPreviewOut(Schema):
    targets: list[TargetPreviewOut]


class CopyAppliedOut(Schema):
    changed: dict[str, list[str]] = Field(..., description="Target public id → the fields that changed.")


class SharedDocumentOut(Schema):
    role: Literal["host", "participant"]
    may_write: bool
    editable_sections: list[str]
    document: MobilityDocumentOut


class SharedPage(CursorPageOut):
    items: list[MobilityDocumentSummaryOut]


def _targets(actor, source, ids: list[str]):
    found = {d.public_id: d for d in selectors_access.copy_targets(actor=actor, source=source).filter(
        public_id__in=ids)}
    if len(found) != len(set(ids)):
        raise NotFound()
    return [found[i] for i in dict.fromkeys(ids)]


def _preview_out(previews) -> dict:
    return {"targets": [{"document": p.document.public_id, "version": p.version,
                         "changes": [{"field": c.name, "label": c.label, "old": c.old, "new": c.new}
                                     for c in p.changes]} for p in previews]}


@router.post("/documents/{document_id}/copy/preview", response={200: CopyPreviewOut, **error_responses(400, 404, 422)},
             summary="Copy data to other documents: what would change in each target (nothing is written)")
def copy_preview_api(request, document_id: str, payload: CopyIn):
    source = selectors.document_get(actor=request.auth, public_id=document_id)
    previews = document_copy_preview(actor=request.auth, source=source, section=payload.section,
                                     fields=payload.fields, targets=_targets(request.auth, source, payload.targets))
    return _preview_out(previews)


@router.post("/documents/{document_id}/copy", response={200: CopyAppliedOut, **error_responses(400, 404, 409, 422)},
             summary="Copy data to other documents in one transaction (409 `conflict` if a target changed after "
                     "the preview; nothing is written then)")
def copy_apply_api(request, document_id: str, payload: CopyApplyIn):
    source = selectors.document_get(actor=request.auth, public_id=document_id)
    result = document_copy_apply(actor=request.auth, source=source, section=payload.section, fields=payload.fields,
                                 targets=_targets(request.auth, source, payload.targets),
                                 versions={v.document: v.version for v in payload.versions})
    return {"changed": {key: sorted(changes) for key, changes in result.items()}}


@router.get("/documents/{document_id}/access", response={200: AccessList, **error_responses(404)},
            summary="The accesses given for a document (host, participant)")
def access_list_api(request, document_id: str):
    document = selectors.document_get(actor=request.auth, public_id=document_id)
    return {"items": list(selectors_access.document_access_list(actor=request.auth, document=document))}


@router.post("/documents/{document_id}/access/host", response={201: AccessOut, **error_responses(400, 404, 422)},
             summary="Send access to the host: a personal link to the host e-mail of the document")
def host_access_api(request, document_id: str, payload: HostAccessIn):
    document = selectors.document_get(actor=request.auth, public_id=document_id)
    return Status(201, access.host_access_send(actor=request.auth, document=document, language=payload.language))


@router.post("/documents/{document_id}/access/participant",
             response={201: AccessOut, **error_responses(400, 404, 422)},
             summary="Give the participant access to their own personal data and learning outcomes until a date")
def participant_access_api(request, document_id: str, payload: ParticipantAccessIn):
    document = selectors.document_get(actor=request.auth, public_id=document_id)
    grants = access.participant_access_grant(actor=request.auth, documents=[document],
                                             write_until=payload.write_until, language=payload.language)
    return Status(201, grants[0])


@router.post("/applications/{application_id}/access/participants",
             response={201: GroupAccessOut, **error_responses(400, 404, 422)},
             summary="Give the whole group of an application access (every document with a participant e-mail)")
def group_access_api(request, application_id: str, payload: ParticipantAccessIn):
    application = selectors.application_get(actor=request.auth, public_id=application_id)
    grants, left_out = access.participant_access_grant_group(
        actor=request.auth, application=application, write_until=payload.write_until, language=payload.language)
    return Status(201, {"granted": grants, "without_email": [d.public_id for d in left_out]})


@router.post("/documents/{document_id}/access/{access_id}/block", response={200: AccessOut, **error_responses(404)},
             summary="Block an access early (a participant then only reads; a host no longer opens the document)")
def access_block_api(request, document_id: str, access_id: str):
    document = selectors.document_get(actor=request.auth, public_id=document_id)
    grant = selectors_access.document_access_get(actor=request.auth, document=document, public_id=access_id)
    return access.document_access_block(actor=request.auth, grant=grant)


@router.get("/shared-documents", response={200: SharedPage, **error_responses(400, 422)},
            summary="The documents shared with you as a host organisation or as a participant")
def shared_list_api(request, cursor: str | None = Query(None, max_length=1000),
                    size: int = Query(DEFAULT_SIZE, ge=1, le=MAX_SIZE)):
    page = keyset_page(selectors_access.shared_document_list(actor=request.auth),
                       ordering=selectors_access.SHARED_ORDER, cursor=cursor or None, size=size, invalid="raise")
    return cursor_page_out(page)


def _shared_out(shared) -> dict:
    return {"role": shared.role, "may_write": shared.may_write, "editable_sections": sorted(shared.sections),
            "document": shared.document}


@router.get("/shared-documents/{document_id}", response={200: SharedDocumentOut, **error_responses(404)},
            summary="A document shared with you, and the sections you may edit now")
def shared_get_api(request, document_id: str):
    return _shared_out(selectors_access.shared_document_get(actor=request.auth, public_id=document_id))


@router.patch("/shared-documents/{document_id}/sections/{section}",
              response={200: SharedDocumentOut, **error_responses(400, 404, 422)},
              summary="As the host or the participant: save a section you may edit")
def shared_section_api(request, document_id: str,
                       section: Literal["personal", "host", "outcomes", "activities", "mentoring", "evaluation"],
                       payload: MobilitySectionIn):
    from .. import sections

    shared = selectors_access.shared_document_get(actor=request.auth, public_id=document_id)
    data = payload.model_dump(exclude_unset=True)
    stray = sorted(set(data) - set(sections.SECTIONS_BY_KEY[section].fields))
    if stray:
        raise ApplicationError(_("These are not fields of the section “%(section)s”: %(fields)s. Send each field "
                                 "with its own section.") % {"section": section, "fields": ", ".join(stray)},
                               code="fields")
    services.document_section_update(actor=request.auth, document=shared.document, section=section, data=data)
    return _shared_out(selectors_access.shared_document_get(actor=request.auth, public_id=document_id))
