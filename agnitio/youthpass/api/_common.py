"""What the Youthpass API endpoints share: the project, participant and activities named in the request, read
through the actor's selectors (a bound API token's organisation scope holds inside them)."""

from __future__ import annotations

from agnitio.core.errors import ApplicationError, NotFound

from .. import selectors
from ..models import Activity


def project_of(request, pid: str):
    return selectors.project_get(actor=request.auth, public_id=pid)


def participant_of(request, pid: str, ppid: str):
    project = project_of(request, pid)
    return project, selectors.participant_get(actor=request.auth, project=project, public_id=ppid)


def activities_of(project, ids: list[str]) -> list[Activity]:
    found = list(project.activities.filter(public_id__in=ids))
    if len(found) != len(set(ids)):
        raise ApplicationError("Unknown activity id.", code="activities")
    return found


def participants_chosen(request, pid: str, ids: list[str]):
    """The project's participants with these public ids (404 when one is not among them)."""
    project = project_of(request, pid)
    chosen = list(selectors.participant_list(actor=request.auth, project=project, public_ids=ids))
    if len(chosen) != len(set(ids)):
        raise NotFound()
    return chosen
