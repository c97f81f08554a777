"""API of learner feedback: the learner rates an award they hold (1–5, a comment, optionally their name for the
provider); the provider's members read the aggregate of a micro-credential (all versions)."""

from __future__ import annotations

import datetime
from typing import Annotated, ClassVar

from ninja import Field, Router, Schema
from pydantic import BeforeValidator, StrictBool

from agnitio.api_schemas import InputSchema, error_responses

from .. import selectors
from ..services import feedback as services

router = Router()


def _a_number(value):
    """A count or rating is a JSON number (3 or 3.0): not a boolean, not a string."""
    if isinstance(value, bool | str):
        raise ValueError("must be a number")
    return value


WholeNumber = Annotated[int, BeforeValidator(_a_number)]


class FeedbackIn(InputSchema):
    multiline_fields: ClassVar[frozenset[str]] = frozenset({"comment"})

    rating: WholeNumber = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=services.COMMENT_MAX)
    show_name: StrictBool = Field(False, description="Show the learner's name to the provider with the comment")


class FeedbackOut(Schema):
    award: str
    rating: int
    comment: str
    show_name: bool
    editable_until: datetime.datetime

    @staticmethod
    def resolve_award(obj) -> str:
        return obj.award.public_id


class CommentOut(Schema):
    rating: int
    comment: str
    date: datetime.date
    name: str = Field("", description="The learner's name, only when they chose to show it")


class FeedbackSummaryOut(Schema):
    count: int
    average: float | None
    distribution: dict[str, int] = Field(..., description="Number of ratings per value 1–5")
    recent: list[CommentOut]


@router.put("/mine/{award_id}/feedback", response={200: FeedbackOut, **error_responses(400, 404, 422)},
            summary="The learner's feedback on a micro-credential they hold (new, or changed while it may change)")
def feedback_give_api(request, award_id: str, payload: FeedbackIn):
    return services.feedback_give(actor=request.auth, award_public_id=award_id, rating=payload.rating,
                                  comment=payload.comment, show_name=payload.show_name)


@router.get("/specifications/{spec_id}/feedback", response={200: FeedbackSummaryOut, **error_responses(404)},
            summary="Aggregated learner feedback on the micro-credential (every version)")
def feedback_summary_api(request, spec_id: str):
    specification = selectors.specification_get(actor=request.auth, public_id=spec_id)
    summary = selectors.feedback_summary(actor=request.auth, specification=specification)
    return {**summary, "distribution": {str(k): v for k, v in summary["distribution"].items()}}
