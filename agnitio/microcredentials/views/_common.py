"""What the micro-credential pages share."""

from __future__ import annotations

from agnitio.core.errors import ApplicationError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def form_error(form, error: ApplicationError, field: str | None = None) -> None:
    form.add_error(field if field in form.fields else None, str(error))
