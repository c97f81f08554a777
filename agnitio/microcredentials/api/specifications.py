"""API of micro-credential specifications: create and change drafts, publish (refused with the list of missing
elements), new versions, withdraw, and the provider page."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool

from agnitio.api_schemas import CursorPageOut, ErrorOut, InputSchema, Omittable, cursor_page_out, error_responses
from agnitio.core.errors import ApplicationError
from agnitio.core.pagination import DEFAULT_SIZE, MAX_SIZE, keyset_page
from agnitio.core.validators import TEXT_MAX_LENGTH

from .. import selectors
from ..services import specifications as services

router = Router()


class EscoSkill(Schema):
    uri: str = Field(..., max_length=200, examples=["http://data.europa.eu/esco/skill/ccdf3597-5c80-410f-896d-e1bdfa223de9"])
    label: str = Field("", max_length=255)


class AwardingBody(Schema):
    name: str = Field(..., max_length=services.AWARDING_BODY_NAME_MAX)
    legal_identifier: str = Field(..., max_length=services.AWARDING_BODY_IDENTIFIER_MAX)
    country: str = Field("", max_length=2, description="ISO 3166-1 alpha-2")


class SpecificationOut(Schema):
    public_id: str
    organisation: str
    lineage: str
    version: int
    status: str
    published_at: datetime.datetime | None
    title: str
    description: str
    languages: list[str]
    issuer_countries: list[str]
    issuer_regions: str
    co_awarding_bodies: list[AwardingBody]
    isced_field: str
    learning_outcomes: str
    esco_skills: list[EscoSkill]
    credits_ects: Decimal | None
    workload_hours: int | None
    eqf_level: int | None
    qf_ehea_cycle: str
    national_level: str
    level_not_applicable: bool
    assessment_type: str
    assessment_description: str
    participation: str
    quality_assurance_type: str
    quality_assurance_description: str
    prerequisites: str
    supervision: str
    grading_scheme: str
    grading_description: str
    stackability: str
    stackability_description: str
    further_information: str
    further_information_url: str
    validity_months: int | None
    renewal: str
    missing: list[str] = Field(..., description="Mandatory elements still missing (empty: it can be published)")

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.public_id

    @staticmethod
    def resolve_missing(obj) -> list[str]:
        return services.specification_missing(specification=obj) if obj.status == "draft" else []


_MULTILINE = frozenset({"learning_outcomes", "assessment_description", "quality_assurance_description",
                        "prerequisites", "grading_description", "stackability_description", "further_information",
                        "renewal"})


class SpecificationIn(InputSchema):
    multiline_fields = _MULTILINE
    organisation: str = Field(..., max_length=32, description="Public id of the provider organisation")
    title: str = Field(..., min_length=1, max_length=255)
    description: str = Field("", max_length=TEXT_MAX_LENGTH)
    languages: list[str] = Field([], max_length=24, description="Languages of instruction (ISO 639-1, e.g. lv)")
    issuer_countries: list[str] = Field([], max_length=30, description="ISO 3166-1 alpha-2 codes")
    issuer_regions: str = Field("", max_length=255)
    co_awarding_bodies: list[AwardingBody] = Field([], max_length=10)
    isced_field: str = Field("", max_length=4, description="ISCED-F 2013 narrow field, e.g. 011")
    learning_outcomes: str = Field("", max_length=TEXT_MAX_LENGTH, description="One learning outcome a line")
    esco_skills: list[EscoSkill] = Field([], max_length=50)
    credits_ects: float | None = Field(None, ge=float(services.ECTS_MIN), le=float(services.ECTS_MAX), strict=True,
                                        description="ECTS credits (one decimal place)")
    workload_hours: int | None = Field(None, ge=1, le=services.WORKLOAD_HOURS_MAX)
    eqf_level: int | None = Field(None, ge=1, le=8)
    qf_ehea_cycle: str = Field("", max_length=8, examples=["short", "first", "second", "third"])
    national_level: str = Field("", max_length=100)
    level_not_applicable: StrictBool = False
    assessment_type: str = Field("", max_length=16)
    assessment_description: str = Field("", max_length=TEXT_MAX_LENGTH)
    participation: str = Field("", max_length=8, examples=["online", "onsite", "blended"])
    quality_assurance_type: str = Field("", max_length=20, examples=["internal", "external", "internal_external"])
    quality_assurance_description: str = Field("", max_length=TEXT_MAX_LENGTH)
    prerequisites: str = Field("", max_length=TEXT_MAX_LENGTH)
    supervision: str = Field("", max_length=24, examples=["unsupervised_no_id", "supervised_no_id",
                                                          "supervised_online_id", "supervised_onsite_id"])
    grading_scheme: str = Field("", max_length=12)
    grading_description: str = Field("", max_length=TEXT_MAX_LENGTH)
    stackability: str = Field("", max_length=12, examples=["standalone", "stackable"])
    stackability_description: str = Field("", max_length=TEXT_MAX_LENGTH)
    further_information: str = Field("", max_length=TEXT_MAX_LENGTH)
    further_information_url: str = Field("", max_length=500)
    validity_months: int | None = Field(None, ge=1, le=services.VALIDITY_MONTHS_MAX)
    renewal: str = Field("", max_length=TEXT_MAX_LENGTH)


class SpecificationPatch(InputSchema):
    multiline_fields = _MULTILINE
    title: Omittable[str] = Field(None, min_length=1, max_length=255)
    description: Omittable[str] = Field(None, max_length=TEXT_MAX_LENGTH)
    languages: Omittable[list[str]] = Field(None, max_length=24)
    issuer_countries: Omittable[list[str]] = Field(None, max_length=30)
    issuer_regions: Omittable[str] = Field(None, max_length=255)
    co_awarding_bodies: Omittable[list[AwardingBody]] = Field(None, max_length=10)
    isced_field: Omittable[str] = Field(None, max_length=4)
    learning_outcomes: Omittable[str] = Field(None, max_length=TEXT_MAX_LENGTH)
    esco_skills: Omittable[list[EscoSkill]] = Field(None, max_length=50)
    credits_ects: float | None = Field(None, ge=float(services.ECTS_MIN), le=float(services.ECTS_MAX), strict=True,
                                        description="ECTS credits (one decimal place)")
    workload_hours: int | None = Field(None, ge=1, le=services.WORKLOAD_HOURS_MAX)
    eqf_level: int | None = Field(None, ge=1, le=8)
    qf_ehea_cycle: Omittable[str] = Field(None, max_length=8)
    national_level: Omittable[str] = Field(None, max_length=100)
    level_not_applicable: Omittable[StrictBool] = None
    assessment_type: Omittable[str] = Field(None, max_length=16)
    assessment_description: Omittable[str] = Field(None, max_length=TEXT_MAX_LENGTH)
    participation: Omittable[str] = Field(None, max_length=8)
    quality_assurance_type: Omittable[str] = Field(None, max_length=20)
    quality_assurance_description: Omittable[str] = Field(None, max_length=TEXT_MAX_LENGTH)
    prerequisites: Omittable[str] = Field(None, max_length=TEXT_MAX_LENGTH)
    supervision: Omittable[str] = Field(None, max_length=24)
    grading_scheme: Omittable[str] = Field(None, max_length=12)
    grading_description: Omittable[str] = Field(None, max_length=TEXT_MAX_LENGTH)
    stackability: Omittable[str] = Field(None, max_length=12)
    stackability_description: Omittable[str] = Field(None, max_length=TEXT_MAX_LENGTH)
    further_information: Omittable[str] = Field(None, max_length=TEXT_MAX_LENGTH)
    further_information_url: Omittable[str] = Field(None, max_length=500)
    validity_months: int | None = Field(None, ge=1, le=services.VALIDITY_MONTHS_MAX)
    renewal: Omittable[str] = Field(None, max_length=TEXT_MAX_LENGTH)


class IncompleteOut(ErrorOut):
    missing: list[str] = Field([], description="With code `incomplete`: the mandatory elements still missing")


class ProviderPageIn(InputSchema):
    multiline_fields = frozenset({"quality_assurance", "recognition_policy"})
    quality_assurance: Omittable[str] = Field(None, max_length=TEXT_MAX_LENGTH)
    recognition_policy: Omittable[str] = Field(None, max_length=TEXT_MAX_LENGTH)
    listed: Omittable[StrictBool] = None


class ProviderPageOut(Schema):
    organisation: str
    quality_assurance: str
    recognition_policy: str
    listed: bool

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.public_id


class SpecificationPage(CursorPageOut):
    items: list[SpecificationOut]


def _data(payload) -> dict:
    data = payload.model_dump(exclude_unset=True)
    data.pop("organisation", None)
    if data.get("credits_ects") is not None:  # one decimal place, at least 0.1
        data["credits_ects"] = str(max(Decimal("0.1"), round(Decimal(str(data["credits_ects"])), 1)))
    return data


@router.get("/specifications", response={200: SpecificationPage, **error_responses(400, 422)},
            summary="Micro-credential specifications of your organisations (every version), newest first")
def specification_list_api(request, status: str = Query("", max_length=16),
                           cursor: str | None = Query(None, max_length=1000),
                           size: int = Query(DEFAULT_SIZE, ge=1, le=MAX_SIZE)):
    page = keyset_page(selectors.specification_list(actor=request.auth, status=status or None),
                       ordering=selectors.SPECIFICATION_ORDER, cursor=cursor or None, size=size, invalid="raise")
    return cursor_page_out(page)


@router.post("/specifications", response={201: SpecificationOut, **error_responses(400, 403, 404, 422)},
             summary="Describe a micro-credential (a draft; it may be incomplete until it is published)")
def specification_create_api(request, payload: SpecificationIn):
    from agnitio.organisations.selectors import organisation_get

    organisation = organisation_get(actor=request.auth, public_id=payload.organisation)
    specification = services.specification_create(actor=request.auth, organisation=organisation,
                                                  data=_data(payload))
    return Status(201, specification)


@router.get("/specifications/{spec_id}", response={200: SpecificationOut, **error_responses(404)})
def specification_get_api(request, spec_id: str):
    return selectors.specification_get(actor=request.auth, public_id=spec_id)


@router.patch("/specifications/{spec_id}", response={200: SpecificationOut, **error_responses(400, 403, 404, 422)},
              summary="Change a draft (a published version never changes: make a new version)")
def specification_update_api(request, spec_id: str, payload: SpecificationPatch):
    specification = selectors.specification_get(actor=request.auth, public_id=spec_id)
    return services.specification_update(actor=request.auth, specification=specification, data=_data(payload))


@router.delete("/specifications/{spec_id}", response={204: None, **error_responses(400, 403, 404)},
               summary="Delete a draft")
def specification_delete_api(request, spec_id: str):
    specification = selectors.specification_get(actor=request.auth, public_id=spec_id)
    services.specification_delete(actor=request.auth, specification=specification)
    return Status(204, None)


@router.post("/specifications/{spec_id}/publish",
             response={200: SpecificationOut, 400: IncompleteOut, **error_responses(403, 404)},
             summary="Publish a draft: refused (code `incomplete`, `missing` lists what) unless every mandatory "
                     "element is present; the lineage's earlier published version becomes `superseded`")
def specification_publish_api(request, spec_id: str):
    specification = selectors.specification_get(actor=request.auth, public_id=spec_id)
    try:
        return services.specification_publish(actor=request.auth, specification=specification)
    except ApplicationError as error:
        if error.code == "incomplete":
            return Status(400, {"detail": str(error.message), "code": error.code,
                                "missing": list(getattr(error, "missing", []))})
        raise


@router.post("/specifications/{spec_id}/versions", response={201: SpecificationOut, **error_responses(400, 403, 404)},
             summary="Make a new draft version of a published micro-credential (a copy to change and publish)")
def specification_new_version_api(request, spec_id: str):
    specification = selectors.specification_get(actor=request.auth, public_id=spec_id)
    return Status(201, services.specification_new_version(actor=request.auth, specification=specification))


@router.get("/specifications/{spec_id}/versions", response={200: list[SpecificationOut], **error_responses(404)},
            summary="Every version of the micro-credential, newest first")
def specification_versions_api(request, spec_id: str):
    specification = selectors.specification_get(actor=request.auth, public_id=spec_id)
    return list(selectors.specification_versions(actor=request.auth, specification=specification)
                .select_related("organisation")[:200])


@router.post("/specifications/{spec_id}/withdraw", response={200: SpecificationOut, **error_responses(400, 403, 404)},
             summary="Take a published version out of the catalogue (issued credentials stay valid)")
def specification_withdraw_api(request, spec_id: str):
    specification = selectors.specification_get(actor=request.auth, public_id=spec_id)
    return services.specification_withdraw(actor=request.auth, specification=specification)


@router.put("/providers/{provider_id}", response={200: ProviderPageOut, **error_responses(400, 403, 404, 422)},
            summary="Your provider page: quality assurance and recognition policy (owners and admins)")
def provider_page_update_api(request, provider_id: str, payload: ProviderPageIn):
    from agnitio.organisations.selectors import organisation_get

    organisation = organisation_get(actor=request.auth, public_id=provider_id)
    return services.provider_profile_update(actor=request.auth, organisation=organisation,
                                            data=payload.model_dump(exclude_unset=True))
