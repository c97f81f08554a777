"""Schemas every API router shares: the error bodies, and the responses to declare on each operation."""

import datetime
import typing
from typing import Any

from ninja import Schema
from pydantic import BaseModel, ConfigDict, model_validator


def _is_date(annotation) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, datetime.date | datetime.time):
        return True
    return any(_is_date(arg) for arg in typing.get_args(annotation))


class InputSchema(BaseModel):
    """Base for request bodies: a JSON object with only the declared fields.

    (ninja's `Schema` reads attributes of any object, so it would take `[null, null]` for an empty object.)
    Dates and times are ISO 8601 strings, as the OpenAPI document says: pydantic would otherwise read a number as
    a Unix timestamp (0 → 1970-01-01).
    """

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _dates_are_strings(cls, data):
        if isinstance(data, dict):
            for name, field in cls.model_fields.items():
                value = data.get(field.alias or name)
                if isinstance(value, int | float) and _is_date(field.annotation):
                    raise ValueError(f"{name}: a date must be a string such as 2026-01-31, not a number")
        return data


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
