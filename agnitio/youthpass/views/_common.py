"""What the Youthpass pages share: the project from the URL, errors shown on a form, the ticked rows."""

from __future__ import annotations

from django.contrib import messages
from django.utils.translation import ngettext

from agnitio.core.errors import ApplicationError
from agnitio.core.pagination import keyset_page

from .. import selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = selectors.PARTICIPANT_PAGE_SIZE  # the list of individuals (a prepared first page)


def project_of(request, pid):
    return selectors.project_get(actor=request.user, public_id=pid)


def form_error(form, error: ApplicationError, field: str | None = None):
    form.add_error(field if field in form.fields else None, str(error))


def ids_chosen(request) -> list[str]:
    return request.POST.getlist("selected")


def skipped_message(request, skipped: int) -> None:
    """Say how many people a certificate batch left out because they hold a current certificate."""
    if skipped:
        messages.info(request, ngettext("%(n)d person already holds a current certificate and was skipped.",
                                        "%(n)d people already hold a current certificate and were skipped.",
                                        skipped) % {"n": skipped})


NOTES_PAGE_SIZE = 20


def journal_context(request, *, actor, participant, size: int = NOTES_PAGE_SIZE) -> dict:
    """The goals and a page of the reflection notes the actor may read (all for the participant, the shared ones
    for their supervisor/mentor), for the journal, outcomes and supervisor pages."""
    notes = keyset_page(selectors.reflection_note_list(actor=actor, participant=participant),
                        ordering=selectors.NOTE_ORDER, request=request, default_size=size,
                        cursor_param="notes")
    return {"goals": list(selectors.learning_goal_list(actor=actor, participant=participant)), "notes": notes}
