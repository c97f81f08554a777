"""Schemas every API router shares: the error bodies, and the responses to declare on each operation."""

import datetime
import typing
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias, TypeVar

from django.utils.translation import gettext
from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from agnitio.core.validators import LINE_MAX_LENGTH, TEXT_MAX_LENGTH, text_problem

# Request fields holding multi-line text (tab and line breaks allowed); every other string is one line.
MULTILINE_FIELDS = frozenset({"description", "aims", "methods", "results", "text", "personal_message", "assessment",
                              "supervisor_assessment", "body", "address", "reason", "message", "criteria"})


def _strings(value: Any, depth: int = 0):
    if isinstance(value, str):
        yield value
    elif depth < 8 and isinstance(value, (list, tuple, set)):
        for item in value:
            yield from _strings(item, depth + 1)
    elif depth < 8 and isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, depth + 1)
            yield from _strings(item, depth + 1)


def _is_date(annotation) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, datetime.date | datetime.time):
        return True
    return any(_is_date(arg) for arg in typing.get_args(annotation))
# A public id in a path (core.ids.new_public_id: 22 URL-safe characters): no NUL either, and it tells clients that a
# word such as `participants/invite` is an operation, never an id.
PUBLIC_ID_PATTERN = "^[A-Za-z0-9_-]{22}$"
SINGLE_LINE_PATTERN = "^[^\\u0000-\\u001f\\u007f]*$"
MULTI_LINE_PATTERN = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"


def _document_string(schema: dict, *, multiline: bool) -> None:
    """Say in the OpenAPI document what the text policy accepts (so clients and schemathesis know it)."""
    if schema.get("type") == "string" and "format" not in schema and "enum" not in schema:
        schema.setdefault("pattern", MULTI_LINE_PATTERN if multiline else SINGLE_LINE_PATTERN)
        schema.setdefault("maxLength", TEXT_MAX_LENGTH if multiline else LINE_MAX_LENGTH)
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            _document_string(option, multiline=multiline)
    if isinstance(schema.get("items"), dict):
        _document_string(schema["items"], multiline=multiline)


def _document_text_policy(schema: dict, model: type) -> None:
    extra = getattr(model, "multiline_fields", frozenset())
    for name, prop in (schema.get("properties") or {}).items():
        _document_string(prop, multiline=name in MULTILINE_FIELDS or name in extra)


T = TypeVar("T")
if TYPE_CHECKING:
    # A field of a partial update (PATCH), `name: Omittable[str] = Field(None, ...)`: it may be left out (then it
    # is None, and not in `model_dump(exclude_unset=True)`), but a value sent must be a T — null is refused and the
    # OpenAPI document says T only. For pydantic the annotation is T itself (the default None is never validated);
    # for the type checker it is T | None, which is what the attribute holds.
    Omittable: TypeAlias = T | None
else:
    class Omittable:
        def __class_getitem__(cls, item):
            return item


class InputSchema(BaseModel):
    """Base for request bodies: a JSON object with only the declared fields.

    (ninja's `Schema` reads attributes of any object, so it would take `[null, null]` for an empty object.)
    Every string follows the text policy of `agnitio.core.validators`: no control characters (multi-line fields,
    `MULTILINE_FIELDS` or the schema's `multiline_fields`, keep tab and line breaks) and at most
    `LINE_MAX_LENGTH` / `TEXT_MAX_LENGTH` characters where the field declares no `max_length` of its own.
    Dates and times are ISO 8601 strings, as the OpenAPI document says: pydantic would otherwise read a number as
    a Unix timestamp (0 → 1970-01-01).
    """

    model_config = ConfigDict(extra="forbid", json_schema_extra=_document_text_policy)
    multiline_fields: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def _text_policy(cls, value: Any, info: ValidationInfo) -> Any:
        name = info.field_name or ""
        multiline = name in MULTILINE_FIELDS or name in cls.multiline_fields
        default = TEXT_MAX_LENGTH if multiline else LINE_MAX_LENGTH
        limit = default
        if isinstance(value, str) and name in cls.model_fields:  # a string's own max_length (lists: their length)
            limit = next((m.max_length for m in cls.model_fields[name].metadata
                          if getattr(m, "max_length", None) is not None), default)
        for text in _strings(value):
            problem = text_problem(text, label=name.replace("_", " "), multiline=multiline, max_length=limit)
            if problem is not None:
                raise PydanticCustomError(problem[1], problem[0])
        return value

    @model_validator(mode="before")
    @classmethod
    def _dates_are_strings(cls, data):
        if isinstance(data, dict):
            for name, field in cls.model_fields.items():
                value = data.get(field.alias or name)
                if isinstance(value, int | float) and _is_date(field.annotation):
                    raise ValueError(gettext("%(field)s: a date must be a string such as 2026-01-31, not a number")
                                     % {"field": name})
        return data


class CursorPageOut(Schema):
    """One page of a list (`core.pagination.keyset_page`): a subclass declares `items`; `cursor_page_out` fills it."""

    next: str | None = Field(None, description="Cursor of the next page (pass it as `cursor`); null on the last page.")
    previous: str | None = Field(None, description="Cursor of the previous page; null on the first page.")


def cursor_page_out(page) -> dict[str, Any]:
    return {"items": page.items, "next": page.next_cursor, "previous": page.previous_cursor}


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
