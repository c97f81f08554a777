"""API of stacking: compose a draft micro-credential of others, list the learners who qualify for the combined
one (keyset pages), issue it to one of them (its credential references the parts)."""

from __future__ import annotations

import datetime

from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool

from agnitio.api_schemas import CursorPageOut, InputSchema, cursor_page_out, error_responses
from agnitio.core.pagination import DEFAULT_SIZE, MAX_SIZE

from .. import selectors
from ..models import Award, Composition
from ..services import stacking as services
from .awards import AwardOut
from .feedback import WholeNumber

router = Router()


class CompositionIn(InputSchema):
    parts: list[str] = Field(..., min_length=2, max_length=services.PARTS_MAX,
                             description="Public ids of published micro-credentials of the same provider, in order")
    rule: str = Field(Composition.Rule.ALL, max_length=10, examples=["all", "at_least"])
    required: WholeNumber = Field(0, ge=0, le=services.PARTS_MAX, description="For `at_least`: how many parts")
    ordered: StrictBool = False


class CompositionOut(Schema):
    parts: list[str] = Field(..., description="Lineages of the parts, in order")
    rule: str
    required: int
    ordered: bool


class QualifierPartOut(Schema):
    source: str = Field(..., description="`award`: an award of this provider; `recognition`: a micro-credential of "
                        "another provider that this provider recognised in full as the part")
    public_id: str = Field(..., description="Public id of the award, or of the recognition request")
    part: str = Field(..., description="Public id of the part (this provider's specification) it counts as")
    title: str = Field(..., description="The part's title; for a recognition, the other micro-credential's title")
    held_on: datetime.date = Field(..., description="Assessed (or issued) on; for a recognition, the decision date "
                                   "(the order rule uses these dates)")
    issuer: str = Field(..., description="Who awarded it: this provider's name, or the other provider's as its "
                        "credential names it")

    @staticmethod
    def resolve_source(obj) -> str:
        return "award" if isinstance(obj, Award) else "recognition"

    @staticmethod
    def resolve_part(obj) -> str:
        return obj.specification.public_id if isinstance(obj, Award) else obj.counts_as.public_id

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.specification.title if isinstance(obj, Award) else (obj.title or obj.counts_as.title)

    @staticmethod
    def resolve_held_on(obj) -> datetime.date:
        return selectors.stack_held_on(obj)

    @staticmethod
    def resolve_issuer(obj) -> str:
        return obj.organisation.legal_name if isinstance(obj, Award) else obj.issuer_name


class QualifierOut(Schema):
    learner_name: str
    learner_email: str
    latest_part: str | None = Field(None, description="Public id of the learner's latest own part award (its "
                                    "learner data go on the combined award); null when every part is recognised")
    parts: list[QualifierPartOut] = Field(..., description="The parts that count, in the composition's order")

    @staticmethod
    def resolve_latest_part(obj) -> str | None:
        return obj.latest_award.public_id if obj.latest_award is not None else None


class QualifierPage(CursorPageOut):
    items: list[QualifierOut]


class StackIssueIn(InputSchema):
    learner_email: str = Field(..., max_length=254)
    languages: str = Field(Award.DocumentLanguage.BOTH, max_length=8)


@router.put("/specifications/{spec_id}/composition", response={200: CompositionOut,
                                                               **error_responses(400, 403, 404, 422)},
            summary="Compose the draft micro-credential of others (all, or at least N, optionally in order)")
def composition_set_api(request, spec_id: str, payload: CompositionIn):
    specification = selectors.specification_get(actor=request.auth, public_id=spec_id)
    return services.composition_set(actor=request.auth, specification=specification, parts=list(payload.parts),
                                    rule=payload.rule, required=payload.required, ordered=payload.ordered)


@router.get("/specifications/{spec_id}/qualifiers", response={200: QualifierPage, **error_responses(400, 404, 422)},
            summary="Learners who qualify (own awards and recognitions of other providers' micro-credentials "
                    "counted together, the order rule applied) and do not hold the combined micro-credential yet, "
                    "by e-mail address; a page may hold fewer than `size` when the order rule leaves learners out")
def stack_qualifiers_api(request, spec_id: str, cursor: str | None = Query(None, max_length=1000),
                         size: int = Query(DEFAULT_SIZE, ge=1, le=MAX_SIZE)):
    specification = selectors.specification_get(actor=request.auth, public_id=spec_id)
    page = selectors.stack_qualifier_page(actor=request.auth, specification=specification, cursor=cursor or None,
                                          size=size, invalid="raise")
    return cursor_page_out(page)


@router.post("/specifications/{spec_id}/stacked-awards", response={201: AwardOut,
                                                                   **error_responses(400, 403, 404, 422)},
             summary="Issue the combined micro-credential to a learner who holds its parts")
def stack_issue_api(request, spec_id: str, payload: StackIssueIn):
    specification = selectors.specification_get(actor=request.auth, public_id=spec_id)
    award = services.stack_award_issue(actor=request.auth, specification=specification,
                                       learner_email=payload.learner_email, languages=payload.languages)
    return Status(201, award)
