"""Messages kept untranslated until someone reads them: the source text (msgid, marked for the catalogues with
`gettext_noop` where it is written) and its parameters, rendered in the language active when shown.

A message that is stored and read later by someone else — the "rows to fix" an import keeps, read by a colleague
who works in another language — must not be translated when it is made. `Problem(gettext_noop("…%(value)s…"),
{"value": …})` renders with `str()` in the reader's language; `as_json()` / `Problem.from_json()` keep it in a
JSONField. Parameters are text, numbers or other problems (a label such as "Row 7, column “E-pasts”" that is
translated too).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext


@dataclass(frozen=True)
class Problem:
    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        values = {name: str(value) if isinstance(value, Problem) else value for name, value in self.params.items()}
        text = gettext(self.msgid)
        if not values:
            return text
        for template in (text, self.msgid):  # a translation that lost a placeholder falls back to the source
            try:
                return template % values
            except (KeyError, TypeError, ValueError):
                continue
        return self.msgid

    def as_json(self) -> dict:
        return {"msgid": self.msgid,
                "params": {name: value.as_json() if isinstance(value, Problem) else value
                           for name, value in self.params.items()}}

    @classmethod
    def from_json(cls, value: Any) -> Problem | str:
        """A stored problem; text stored by older versions (already translated when it was stored) stays text."""
        if isinstance(value, dict) and isinstance(value.get("msgid"), str):
            params = value.get("params") if isinstance(value.get("params"), dict) else {}
            return cls(value["msgid"], {name: cls.from_json(v) if isinstance(v, dict) else v
                                        for name, v in params.items()})
        return str(value)


def problem_text(value: Any) -> str:
    """What a reader sees of a stored problem, in the active language. Older rows kept translated text: shown as
    stored, or translated again when it is a message of the catalogue without parameters (stored in English)."""
    problem = Problem.from_json(value)
    return str(problem) if isinstance(problem, Problem) else gettext(problem) if problem else ""
