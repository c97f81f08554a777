"""What the Europass services share."""

from __future__ import annotations

from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError
from agnitio.core.validators import text_problem


def clean_text(value: Any, *, label: Any, max_length: int, multiline: bool = False) -> str:
    """The text policy (bounded, no control characters) as an ApplicationError; returns the trimmed text."""
    value = "" if value is None else value
    if not isinstance(value, str):
        raise ApplicationError(_("%(field)s: enter text.") % {"field": capfirst(str(label))}, code="text")
    value = value.strip() if multiline else " ".join(value.split())
    problem = text_problem(value, label=label, multiline=multiline, max_length=max_length)
    if problem is not None:
        raise ApplicationError(problem[0], code=problem[1])
    return value


def validation_messages(exc: Exception) -> str:
    return "; ".join(getattr(exc, "messages", None) or [str(exc)])
