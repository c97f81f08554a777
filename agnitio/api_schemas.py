"""Schemas every API router shares: the error bodies, and the responses to declare on each operation."""

from typing import Any

from ninja import Schema
from pydantic import BaseModel, ConfigDict


class InputSchema(BaseModel):
    """Base for request bodies: a JSON object with only the declared fields.

    (ninja's `Schema` reads attributes of any object, so it would take `[null, null]` for an empty object.)
    """

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    """An error: `detail` is a message for people (in the request's language), `code` is for programs."""

    detail: str
    code: str


class ValidationErrorItem(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    """Invalid input (HTTP 422): one item per problem, `loc` says where (e.g. ["body", "email"])."""

    detail: list[ValidationErrorItem]


def error_responses(*statuses: int) -> dict[int, Any]:
    """`responses=` entries for the error statuses an operation can answer with (401 is always possible)."""
    result: dict[int, Any] = {401: ErrorOut}
    for status in statuses:
        result[status] = ValidationErrorOut if status == 422 else ErrorOut
    return result
