"""API of Europass mobility documents: list, one document with what is still missing (section by section), a
section's update, and the certificate made from an agreement."""

from __future__ import annotations

import datetime
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from agnitio.api_schemas import CursorPageOut, InputSchema, Omittable, cursor_page_out, error_responses
from agnitio.core.errors import ApplicationError
from agnitio.core.pagination import DEFAULT_SIZE, MAX_SIZE, keyset_page

from .. import sections, selectors, services

router = Router()

SectionKey = Literal["personal", "host", "project", "outcomes", "activities", "mentoring", "evaluation",
                     "additional_terms", "contact", "signatures"]


class MobilityOutcomeOut(Schema):
    framework: str
    framework_name: str
    text: str
    esco_uris: list[str]


class MobilityMissingFieldOut(Schema):
    field: str
    label: str


class MobilityMissingSectionOut(Schema):
    section: str
    label: str
    fields: list[MobilityMissingFieldOut]


class MobilitySectionRuleOut(Schema):
    section: str
    rule: str


class MobilityDocumentOut(Schema):
    public_id: str
    kind: str
    language: str
    number: str
    europass_number: str | None = Field(description="The Europass number (EA-/EM-YEAR-NNNNNN-C); none for a Try Out "
                                                    "or an Erasmus+ KA1 document.")
    mobility_id: str | None = Field(
        description="Erasmus+ KA1 (from call year 2024): the Beneficiary Module's Unique Erasmus+ Mobility ID the "
                    "document is numbered with, [call year]-[activity type 5-letter code]-[4-digit number]-[end of "
                    "the project code], e.g. 2024-LONGT-0012-KA121-SCH-000005151.")
    project_number: str = Field(description="Erasmus+ KA1: the project code the mobility ID belongs to, when given "
                                            "(e.g. 2024-1-FR01-KA121-SCH-000005151); otherwise empty.")
    try_out: bool
    application: str | None
    agreement: str | None
    group_programme: str | None
    position: int
    first_name: str
    last_name: str
    date_of_birth: datetime.date | None
    nationality: str
    email: str
    address: str
    has_photo: bool
    host_name: str
    host_type: str
    host_type_other: str
    host_country: str
    host_address: str
    mentor_name: str
    mentor_position: str
    mentor_phone: str
    mentor_email: str
    programme: str
    activity_type: str
    activity_type_other: str
    stay_mode: str
    purpose: str
    purpose_other: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    participant_status: str
    activities_tasks: str
    mentoring: str
    evaluation: str
    additional_terms: str
    contact_information: str
    signing_parties: list[str]
    outcomes: list[MobilityOutcomeOut]
    sections: list[MobilitySectionRuleOut]
    missing: list[MobilityMissingSectionOut]

    @staticmethod
    def resolve_application(obj) -> str | None:
        return obj.application.public_id if obj.application_id else None

    @staticmethod
    def resolve_agreement(obj) -> str | None:
        return obj.agreement.public_id if obj.agreement_id else None

    @staticmethod
    def resolve_group_programme(obj) -> str | None:
        return obj.group_programme.public_id if obj.group_programme_id else None

    @staticmethod
    def resolve_nationality(obj) -> str:
        return obj.nationality.code or ""

    @staticmethod
    def resolve_host_country(obj) -> str:
        return obj.host_country.code or ""

    @staticmethod
    def resolve_mentor_phone(obj) -> str:
        return str(obj.mentor_phone) if obj.mentor_phone else ""

    @staticmethod
    def resolve_has_photo(obj) -> bool:
        return bool(obj.photo)

    @staticmethod
    def resolve_outcomes(obj) -> list:
        return list(obj.outcomes.all())

    @staticmethod
    def resolve_sections(obj) -> list[dict]:
        return [{"section": s.key, "rule": str(sections.rule(s.key, obj.kind))} for s in sections.SECTIONS]

    @staticmethod
    def resolve_missing(obj) -> list[dict]:
        return [{"section": m.key, "label": m.label, "fields": [{"field": f, "label": label} for f, label in m.fields]}
                for m in selectors.document_missing_fields(document=obj)]


class MobilityDocumentSummaryOut(Schema):
    public_id: str
    kind: str
    language: str
    number: str
    try_out: bool
    first_name: str
    last_name: str


class MobilityDocumentPage(CursorPageOut):
    items: list[MobilityDocumentSummaryOut]


class MobilityOutcomeIn(InputSchema):
    framework: Literal["A", "B", "C"]
    framework_name: str = Field("", max_length=200)
    text: str = Field(..., min_length=1, max_length=10_000)
    esco_uris: list[str] = Field(default_factory=list, max_length=50)


class MobilitySectionIn(InputSchema):
    """The fields of one section (only those of the section named in the path; others are refused)."""

    multiline_fields = frozenset({"address", "host_address", "participant_status", "activities_tasks", "mentoring",
                                  "evaluation", "additional_terms", "contact_information"})
    language: Omittable[Literal["lv", "en"]] = None
    first_name: Omittable[str] = Field(None, max_length=200)
    last_name: Omittable[str] = Field(None, max_length=200)
    date_of_birth: datetime.date | None = None
    nationality: Omittable[str] = Field(None, max_length=2)
    email: Omittable[str] = Field(None, max_length=254)
    address: Omittable[str] = Field(None, max_length=1000)
    host_name: Omittable[str] = Field(None, max_length=255)
    host_type: Omittable[str] = Field(None, max_length=32)
    host_type_other: Omittable[str] = Field(None, max_length=200)
    host_country: Omittable[str] = Field(None, max_length=2)
    host_address: Omittable[str] = Field(None, max_length=1000)
    mentor_name: Omittable[str] = Field(None, max_length=200)
    mentor_position: Omittable[str] = Field(None, max_length=200)
    mentor_phone: Omittable[str] = Field(None, max_length=40)
    mentor_email: Omittable[str] = Field(None, max_length=254)
    programme: Omittable[str] = Field(None, max_length=200)
    activity_type: Omittable[str] = Field(None, max_length=32)
    activity_type_other: Omittable[str] = Field(None, max_length=200)
    stay_mode: Omittable[str] = Field(None, max_length=16)
    purpose: Omittable[str] = Field(None, max_length=32)
    purpose_other: Omittable[str] = Field(None, max_length=200)
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    participant_status: Omittable[str] = Field(None, max_length=1000)
    activities_tasks: Omittable[str] = Field(None, max_length=10_000)
    mentoring: Omittable[str] = Field(None, max_length=10_000)
    evaluation: Omittable[str] = Field(None, max_length=10_000)
    additional_terms: Omittable[str] = Field(None, max_length=10_000)
    contact_information: Omittable[str] = Field(None, max_length=10_000)
    signing_parties: Omittable[list[Literal["participant", "sending", "host", "legal_representative"]]] = Field(
        None, max_length=4)
    outcomes: Omittable[list[MobilityOutcomeIn]] = Field(None, max_length=50)


@router.get("/documents", response={200: MobilityDocumentPage, **error_responses(400, 422)},
            summary="Your Europass mobility documents, newest first")
def document_list_api(request, cursor: str | None = Query(None, max_length=1000),
                      size: int = Query(DEFAULT_SIZE, ge=1, le=MAX_SIZE)):
    page = keyset_page(selectors.document_list(actor=request.auth), ordering=selectors.DOCUMENT_ORDER,
                       cursor=cursor or None, size=size, invalid="raise")
    return cursor_page_out(page)


@router.get("/documents/{document_id}", response={200: MobilityDocumentOut, **error_responses(404)},
            summary="One document, its sections' rules for its kind and what is still missing, section by section")
def document_get_api(request, document_id: str):
    return selectors.document_get(actor=request.auth, public_id=document_id)


@router.patch("/documents/{document_id}/sections/{section}",
              response={200: MobilityDocumentOut, **error_responses(400, 404, 422)},
              summary="Save one section (a section the document's kind removes is refused with code `removed`)")
def document_section_api(request, document_id: str, section: SectionKey, payload: MobilitySectionIn):
    document = selectors.document_get(actor=request.auth, public_id=document_id)
    data = payload.model_dump(exclude_unset=True)
    allowed_fields = set(sections.SECTIONS_BY_KEY[section].fields) | ({"language"} if section == "personal" else set())
    stray = sorted(set(data) - allowed_fields)
    if stray:
        raise ApplicationError(_("These are not fields of the section “%(section)s”: %(fields)s. Send each field "
                                 "with its own section.") % {"section": section, "fields": ", ".join(stray)},
                               code="fields")
    services.document_section_update(actor=request.auth, document=document, section=section, data=data)
    return selectors.document_get(actor=request.auth, public_id=document_id)


@router.post("/documents/{document_id}/certificate", response={201: MobilityDocumentOut, **error_responses(400, 404)},
             summary="After the mobility: the mobility certificate made from this learning agreement")
def certificate_create_api(request, document_id: str):
    agreement = selectors.document_get(actor=request.auth, public_id=document_id)
    return Status(201, services.certificate_create_from_agreement(actor=request.auth, agreement=agreement))
