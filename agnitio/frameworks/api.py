"""API: ESCO search — public reference data (`GET /api/v1/esco/search`), throttled per address for anonymous
clients (frameworks/throttle.py). Parameters outside their bounds answer 400 with `{"detail", "code"}`."""

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from agnitio.api_schemas import error_responses

from . import selectors
from .throttle import esco_search_throttled

router = Router(tags=["esco"], auth=None)


class EscoConceptOut(Schema):
    uri: str = Field(description="The ESCO concept URI (stable; store this).")
    kind: str = Field(description="skill or occupation")
    language: str
    preferred_label: str
    alt_labels: list[str]
    description: str
    skill_type: str = Field(description="Skills: skill/competence or knowledge; empty for occupations.")
    reuse_level: str = Field(description="Skills: transversal, cross-sector, sector-specific or occupation-specific.")
    code: str = Field(description="Occupations: the ESCO code (ISCO group and position).")
    matched_label: str = Field(description="The alternative label the query matched, if not the preferred one.")


class EscoSearchOut(Schema):
    query: str
    language: str = Field(description="Language of the results.")
    requested_language: str
    fallback: bool = Field(description="True when the requested language has no ESCO data: English was searched.")
    items: list[EscoConceptOut]
    attribution: str = Field(description="Show it wherever the results are shown.")


# The parameters' bounds are checked by the selector (400 with `{"detail", "code"}`, as the API's other rule
# errors), so the document states them here rather than through pydantic (which would answer 422).
_PARAMETERS = [
    {"in": "query", "name": "q", "required": True, "description": "Words to look for (at most 100 characters).",
     "schema": {"type": "string", "maxLength": selectors.ESCO_QUERY_MAX}},
    {"in": "query", "name": "kind", "required": False,
     "description": "skill or occupation; empty or left out: both.",
     "schema": {"type": "string", "enum": ["", "skill", "occupation"]}},
    {"in": "query", "name": "language", "required": False,
     "description": "Language code such as lv or en; empty or left out: the request's language (English where "
                    "ESCO has not been imported in that language).",
     "schema": {"type": "string", "pattern": "^([a-z]{2,3}(-[a-z]{2,4})?)?$"}},
    {"in": "query", "name": "limit", "required": False, "description": "Number of results (1 to 50, default 20).",
     "schema": {"type": "integer", "minimum": 1, "maximum": selectors.ESCO_LIMIT_MAX, "default": 20}},
]


@router.get("/search", response={200: EscoSearchOut, **error_responses(422, 429)}, summary="Search ESCO",
            description="Skills and occupations of the ESCO classification, best match first; typos are tolerated. "
                        "This service uses the ESCO classification of the European Commission.",
            openapi_extra={"parameters": _PARAMETERS})
def esco_search(request, q: str, kind: str | None = None, language: str | None = None, limit: int = 20):
    if esco_search_throttled(request):
        raise HttpError(429, _("Too many searches from your network in a short time. Wait a minute and try again."))
    result = selectors.esco_search(query=q, kind=kind or None, language=language, limit=limit)
    return {"query": result.query, "language": result.language, "requested_language": result.requested_language,
            "fallback": result.fallback, "items": result.items, "attribution": str(selectors.ESCO_ATTRIBUTION)}
