"""The public catalogue (no account): published micro-credentials, filterable, one page at a time, each also as
ELM JSON-LD. Anonymous clients are throttled per address like the catalogue pages."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status

from agnitio.api_schemas import CursorPageOut, ErrorOut, ValidationErrorOut, cursor_page_out
from agnitio.core.pagination import MAX_SIZE, keyset_page

from .. import elm, selectors
from ..throttle import catalogue_throttled

router = Router(tags=["micro-credential catalogue"], auth=None)
PAGE_SIZE = 20
ECTS_QUERY = Query(None, ge=0, le=999)  # a number (float): the filter compares with one decimal place


def _throttled(request) -> bool:
    return catalogue_throttled(request)


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


class EntryOut(Schema):
    public_id: str
    title: str
    description: str
    provider: str
    provider_name: str
    version: int
    published_at: datetime.datetime | None
    languages: list[str]
    issuer_countries: list[str]
    credits_ects: Decimal | None
    workload_hours: int | None
    eqf_level: int | None
    participation: str
    esco_skills: list[dict]
    url: str
    jsonld: str

    @staticmethod
    def resolve_provider(obj) -> str:
        return obj.organisation.public_id

    @staticmethod
    def resolve_provider_name(obj) -> str:
        return obj.organisation.legal_name

    @staticmethod
    def resolve_url(obj) -> str:
        from ..urls_public import catalogue_entry_url

        return catalogue_entry_url(obj)

    @staticmethod
    def resolve_jsonld(obj) -> str:
        return elm.entry_jsonld_url(obj)


class EntryPage(CursorPageOut):
    items: list[EntryOut]


@router.get("/", response={200: EntryPage, 400: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut},
            url_name="mc_catalogue",
            summary="Published micro-credentials, newest first, filtered; one page at a time (follow `next`)")
def catalogue_list_api(request, q: str = Query("", max_length=100), eqf_level: int | None = Query(None, ge=1, le=8),
                       ects_min: float | None = ECTS_QUERY, ects_max: float | None = ECTS_QUERY,
                       participation: str = Query("", max_length=8), language: str = Query("", max_length=3),
                       provider: str = Query("", max_length=32), country: str = Query("", max_length=2),
                       esco_skill: str = Query("", max_length=200), cursor: str | None = Query(None, max_length=1000),
                       size: int = Query(PAGE_SIZE, ge=1, le=MAX_SIZE)):
    if _throttled(request):
        return Status(429, {"detail": "Too many requests. Wait a moment and try again.", "code": "throttled"})
    filters = selectors.CatalogueFilters(q=q, eqf_level=eqf_level, ects_min=_decimal(ects_min),
                                         ects_max=_decimal(ects_max),
                                         participation=participation, language=language, provider=provider,
                                         country=country.upper(), esco_skill=esco_skill)
    page = keyset_page(selectors.catalogue_list(filters=filters), ordering=selectors.CATALOGUE_ORDER,
                       cursor=cursor or None, size=size, invalid="raise")
    return cursor_page_out(page)


@router.get("/{spec_id}", response={200: dict, 404: ErrorOut, 429: ErrorOut}, url_name="mc_catalogue_entry",
            summary="One entry as European Learning Model JSON-LD (a LearningOpportunity with its "
                    "LearningAchievementSpecification, LOQ application profile)")
def catalogue_entry_api(request, spec_id: str):
    if _throttled(request):
        return Status(429, {"detail": "Too many requests. Wait a moment and try again.", "code": "throttled"})
    return elm.learning_opportunity_document(selectors.catalogue_get(public_id=spec_id))


class ProviderOut(Schema):
    public_id: str
    legal_name: str
    country: str
    quality_assurance: str = Field("", description="The provider's quality assurance")
    recognition_policy: str = Field("", description="How it recognises micro-credentials of other providers")
    dataset: str = Field(..., description="The provider's harvestable JSON-LD dataset")


@router.get("/providers/{provider_id}", response={200: ProviderOut, 404: ErrorOut, 429: ErrorOut},
            url_name="mc_catalogue_provider", summary="A provider's public page data")
def provider_api(request, provider_id: str):
    if _throttled(request):
        return Status(429, {"detail": "Too many requests. Wait a moment and try again.", "code": "throttled"})
    from ..urls_public import provider_dataset_url

    organisation, profile = selectors.provider_public_get(public_id=provider_id)
    return {"public_id": organisation.public_id, "legal_name": organisation.legal_name,
            "country": organisation.country.code,
            "quality_assurance": profile.quality_assurance if profile else "",
            "recognition_policy": profile.recognition_policy if profile else "",
            "dataset": provider_dataset_url(organisation)}
