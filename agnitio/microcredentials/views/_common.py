"""What the micro-credential pages share."""

from __future__ import annotations

from agnitio.core.errors import ApplicationError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def form_error(form, error: ApplicationError, field: str | None = None) -> None:
    form.add_error(field if field in form.fields else None, str(error))


def form_errors(form, error: ApplicationError, field: str | None = None, *, rename: dict | None = None) -> None:
    """A service error beside the fields it is about: `extra["fields"]` ({service field: [messages]}, named as the
    form names them through `rename`), else the whole message beside `field` (above the form when it has none).
    The form stays bound: what was typed is kept."""
    by_field = error.extra.get("fields") or {}
    if not by_field:
        form_error(form, error, field)
        return
    for name, problems in by_field.items():
        name = (rename or {}).get(name, name)
        form.add_error(name if name in form.fields else None, [str(p) for p in problems])
