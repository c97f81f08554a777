"""What the Youthpass services share: the actor checks, validation messages and voiding a stale invitation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError
from agnitio.core.permissions import require
from agnitio.invitations.addresses import address_changed

from ..models import Participant, Project
from ..selectors import project_get


def validation_message(error: ValidationError) -> str:
    return " ".join(error.messages)


def require_edit(actor, project: Project) -> Project:
    """The project re-read through the actor's selector (404 when the actor may not see it)."""
    return project_get(actor=actor, public_id=project.public_id)


class ProjectCheck:
    """Checks each distinct project once in a bulk operation (one query per project, not per person)."""

    def __init__(self, actor):
        self.actor, self.seen = actor, set()

    def __call__(self, project: Project) -> None:
        if project.pk not in self.seen:
            require_edit(self.actor, project)
            self.seen.add(project.pk)


def require_admin(actor, project: Project) -> Project:
    project = require_edit(actor, project)
    require(actor, "youthpass.manage_project", project, visible="youthpass.view_project",
            message=_("Only the organisation's owners and admins may do this."))
    return project


def check_dates(start, end) -> None:
    if start and end and end < start:
        raise ApplicationError(_("The end date must be on or after the start date."), code="dates")


def invitation_void_on_new_address(*, actor, participant: Participant) -> dict:
    """The e-mail changed: an open invitation mailed to the old address stops working (send a new one)."""
    from agnitio.invitations.selectors import invitation_open_for
    from agnitio.invitations.services import invitation_void

    from ..invitation_kinds import PARTICIPANT

    invitation = invitation_open_for(target=participant, kind=PARTICIPANT)
    if invitation is None or not address_changed(invitation.mailed_to, participant.email):
        return {}
    invitation_void(actor=actor, target=participant, kind=PARTICIPANT)
    changes = {"invitation": ["open", "voided"]}
    if participant.status == Participant.Status.INVITED and participant.user_id is None:
        changes["status"] = [participant.status, Participant.Status.NOT_INVITED]
        participant.status = Participant.Status.NOT_INVITED
        participant.save(update_fields=["status", "updated_at"])
    return changes
