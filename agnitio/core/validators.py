"""The input policy for text, in one place: forms, models, the JSON API, the VC API and imports all use it.

* One-line text (names, titles, places, positions…) refuses every C0 control character (U+0000–U+001F, so also
  tab and line breaks) and DEL (U+007F).
* Multi-line text (descriptions, self-assessments, messages…) keeps tab, line feed and carriage return and
  refuses the other C0 controls and DEL.
* Every free text has a maximum length: the field's own, or `LINE_MAX_LENGTH` / `TEXT_MAX_LENGTH`.

Such characters cannot be typed, they arrive by copying from other programs; PostgreSQL refuses U+0000 in text,
PDF metadata (XMP is XML 1.0) refuses most of them, and they would make documents unreadable. Messages name the
field and the character, so a person knows what to remove.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .problems import Problem

LINE_MAX_LENGTH = 1_000  # one-line text without a limit of its own
EMAIL_MAX_LENGTH = 254  # what an EmailField column holds (Django's form EmailField would take 320)
TEXT_MAX_LENGTH = 10_000  # multi-line text (e.g. one competence of the self-assessment)
JSON_BODY_MAX_BYTES = 1024 * 1024  # any JSON request body (API, VC API): 413 above
JSON_MAX_DEPTH = 64  # nesting of an uploaded or posted JSON document (ours are about 6 deep; EDC files about 15)

_SINGLE_LINE = re.compile("[\x00-\x1f\x7f]")
_MULTI_LINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAKS = "\t\n\r"


def forbidden_character(value: str, *, multiline: bool = False) -> str | None:
    """The first character the policy refuses in `value`, or None."""
    if not isinstance(value, str):
        return None
    match = (_MULTI_LINE if multiline else _SINGLE_LINE).search(value)
    return match.group() if match else None


def text_problem(value: Any, *, label: Any = None, multiline: bool = False, max_length: int | None = None,
                 ) -> tuple[str, str] | None:
    """(message, code) when `value` breaks the policy, else None. The message names the field (`label`)."""
    problem = text_problem_kept(value, label=capfirst(str(label)) if label else None, multiline=multiline,
                                max_length=max_length)
    return (str(problem[0]), problem[1]) if problem is not None else None


def text_problem_kept(value: Any, *, label: Any = None, multiline: bool = False, max_length: int | None = None,
                      ) -> tuple[Problem, str] | None:
    """As `text_problem`, the message kept untranslated (core.problems) for whoever reads it later: `label` is text
    or a Problem, written as it starts a sentence."""
    if not isinstance(value, str):
        return None
    field = label if label else Problem(gettext_noop("This text"))
    character = forbidden_character(value, multiline=multiline)
    if character is not None:
        if character in _LINE_BREAKS:
            return (Problem(gettext_noop("%(field)s must be a single line: remove the line break or tab."),
                            {"field": field}), "line_break")
        return (Problem(gettext_noop("%(field)s contains an invisible control character (U+%(code)04X) that cannot "
                                     "be saved. Remove it (it usually comes with text copied from another program) "
                                     "and try again."), {"field": field, "code": ord(character)}),
                "control_character")
    limit = max_length if max_length is not None else (TEXT_MAX_LENGTH if multiline else LINE_MAX_LENGTH)
    if len(value) > limit:
        return (Problem(gettext_noop("%(field)s is too long: %(length)d characters, at most %(max)d are allowed."),
                        {"field": field, "length": len(value), "max": limit}), "max_length")
    return None


def validate_text(value: Any, *, label: Any = None, multiline: bool = False, max_length: int | None = None) -> None:
    """Raise ValidationError when `value` breaks the policy."""
    problem = text_problem(value, label=label, multiline=multiline, max_length=max_length)
    if problem is not None:
        raise ValidationError(problem[0], code=problem[1])


@deconstructible
class TextValidator:
    """A field validator: `TextValidator(label=..., multiline=...)` (length is left to the field's max_length,
    unless `max_length` is given)."""

    def __init__(self, *, label: Any = None, multiline: bool = False, max_length: int | None = None):
        self.label, self.multiline, self.max_length = label, multiline, max_length

    def __call__(self, value: Any) -> None:
        validate_text(value, label=self.label, multiline=self.multiline,
                      max_length=self.max_length if self.max_length is not None else 10**9)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, TextValidator) and (self.label, self.multiline, self.max_length)
                == (other.label, other.multiline, other.max_length))


# --- models ---------------------------------------------------------------------------------------------------

def model_text_errors(instance, *, exclude=None) -> dict[str, list[ValidationError]]:
    """The policy for a model's own text fields: CharField one-line (unless named in the model's
    `MULTILINE_TEXT_FIELDS`), TextField multi-line, each named by its verbose name.
    Called from `clean_fields` (so every `full_clean()` in a service applies it)."""
    from django.db import models

    errors: dict[str, list[ValidationError]] = {}
    multiline_fields = getattr(instance, "MULTILINE_TEXT_FIELDS", ())
    for field in instance._meta.concrete_fields:
        if (exclude and field.name in exclude) or not field.editable or field.choices:
            continue
        if not isinstance(field, (models.CharField, models.TextField)):
            continue
        multiline = isinstance(field, models.TextField) or field.name in multiline_fields
        limit = field.max_length or (TEXT_MAX_LENGTH if multiline else LINE_MAX_LENGTH)
        problem = text_problem(getattr(instance, field.attname), label=field.verbose_name, multiline=multiline,
                               max_length=limit)
        if problem is not None:
            errors[field.name] = [ValidationError(problem[0], code=problem[1])]
    return errors


def clean_fields_with_text_policy(instance, base_clean_fields, exclude=None) -> None:
    """`Model.clean_fields` plus the text policy (see BaseModel.clean_fields)."""
    errors: dict = {}
    try:
        base_clean_fields(exclude=exclude)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    for name, messages in model_text_errors(instance, exclude=exclude).items():
        errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)


# --- forms ----------------------------------------------------------------------------------------------------

@deconstructible
class ImageSizeValidator:
    """An image upload's size bound on a form's file field, checked before the file is read (its content, format
    and pixels are checked by the service, organisations.images): `max_bytes` is a number or a callable that gives
    it (a limit in settings)."""

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes

    def __call__(self, upload: Any) -> None:
        from django.template.defaultfilters import filesizeformat

        limit = self.max_bytes() if callable(self.max_bytes) else self.max_bytes
        size = getattr(upload, "size", None)
        if size is not None and size > limit:
            raise ValidationError(
                _("The file is %(size)s; the limit is %(limit)s. Save it smaller (e.g. at a lower resolution) "
                  "and upload it again.") % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
                code="file_too_large")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ImageSizeValidator) and self.max_bytes == other.max_bytes


class TextPolicyFormMixin:
    """Every text field of the form follows the policy: a Textarea is multi-line, anything else one line; a field
    without a limit gets `TEXT_MAX_LENGTH` (Textarea) or `LINE_MAX_LENGTH`, and `maxlength`, which the character
    counter shows under a textarea.
    Password fields are left alone (any character may be part of a password)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django import forms
        from django.core.validators import MaxLengthValidator

        for field in self.fields.values():
            if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
                continue
            multiline = isinstance(field.widget, forms.Textarea)
            if field.max_length is None:
                field.max_length = TEXT_MAX_LENGTH if multiline else LINE_MAX_LENGTH
                field.validators.append(MaxLengthValidator(field.max_length))
                if not field.widget.is_hidden:
                    field.widget.attrs.setdefault("maxlength", str(field.max_length))
            field.validators.append(TextValidator(label=field.label, multiline=multiline))


# --- JSON -----------------------------------------------------------------------------------------------------

def json_text_problem(data: Any, *, path: str = "", multiline_keys: frozenset[str] = frozenset(),
                      max_length: int = TEXT_MAX_LENGTH, _depth: int = 0) -> tuple[str, str] | None:
    """The first string in a JSON document (keys included) that breaks the policy, as (message, code) naming its
    path (e.g. `credentialSubject.name`). Strings under a key in `multiline_keys` may hold tab and line breaks;
    all others are one line."""
    if _depth > 64:
        return str(_("The document is nested too deeply.")), "too_deep"
    if isinstance(data, dict):
        for key, value in data.items():
            where = f"{path}.{key}" if path else str(key)
            problem = text_problem(key, label=where, max_length=max_length)
            if problem is None:
                problem = json_text_problem(value, path=where, multiline_keys=multiline_keys,
                                            max_length=max_length, _depth=_depth + 1)
                if problem is None and isinstance(value, str):
                    problem = text_problem(value, label=where, multiline=key in multiline_keys,
                                           max_length=max_length)
            if problem is not None:
                return problem
    elif isinstance(data, list):
        for index, value in enumerate(data):
            where = f"{path}[{index}]"
            if isinstance(value, str):
                problem = text_problem(value, label=where, multiline=path.rsplit(".", 1)[-1] in multiline_keys,
                                       max_length=max_length)
            else:
                problem = json_text_problem(value, path=where, multiline_keys=multiline_keys,
                                            max_length=max_length, _depth=_depth + 1)
            if problem is not None:
                return problem
    return None


class JsonTooDeep(ValueError):
    """A JSON document nested deeper than `JSON_MAX_DEPTH` (or deeper than Python's parser can go)."""


def json_too_deep(data: Any, *, limit: int = JSON_MAX_DEPTH) -> bool:
    """Whether a decoded JSON document nests objects/arrays more than `limit` levels (walked without recursion, so
    any depth is measured safely). Recursive code (JSON-LD expansion, canonicalisation, text checks) runs out of
    stack a few hundred levels down; documents are refused before they reach it."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = list(value.values())
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def json_parse(raw: bytes | str) -> Any:
    """`json.loads` bounded in nesting: JsonTooDeep (a ValueError) for a document nested deeper than
    `JSON_MAX_DEPTH`, including one so deep that Python's own parser gives up (RecursionError); ValueError or
    UnicodeDecodeError for text that is not JSON, as json.loads."""
    try:
        data = json.loads(raw)
    except RecursionError as exc:
        raise JsonTooDeep("The JSON document is nested too deeply.") from exc
    if json_too_deep(data):
        raise JsonTooDeep("The JSON document is nested too deeply.")
    return data


def contains_nul(data: Any, _depth: int = 0) -> bool:
    """Whether any string (or key) in a decoded JSON document holds U+0000. Deeper than 200 levels it cannot be
    looked through, so it counts as holding one (refused) rather than slipping past the guard."""
    if isinstance(data, str):
        return "\x00" in data
    if _depth > 200:
        return True
    if isinstance(data, dict):
        return any(contains_nul(k, _depth + 1) or contains_nul(v, _depth + 1) for k, v in data.items())
    if isinstance(data, list):
        return any(contains_nul(v, _depth + 1) for v in data)
    return False
