"""What the Youthpass pages share: the project from the URL, errors shown on a form, the ticked rows."""

from __future__ import annotations

from agnitio.core.errors import ApplicationError

from .. import selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 100


def project_of(request, pid):
    return selectors.project_get(actor=request.user, public_id=pid)


def form_error(form, error: ApplicationError, field: str | None = None):
    form.add_error(field if field in form.fields else None, str(error))


def ids_chosen(request) -> list[str]:
    return request.POST.getlist("selected")
