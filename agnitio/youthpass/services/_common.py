"""What the Youthpass services share: the actor checks, tokens, links and the invitation expiry."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError
from agnitio.core.invitations import address_changed
from agnitio.core.permissions import require

from ..models import Participant, Project
from ..selectors import project_get, token_hash

INVITATION_DAYS = getattr(settings, "YOUTHPASS_INVITATION_DAYS", 30)
EDITOR_INVITATION_DAYS = getattr(settings, "YOUTHPASS_EDITOR_INVITATION_DAYS", 14)


def new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def site_url(path: str) -> str:
    return settings.SITE_URL + path


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


def invitation_void_on_new_address(participant: Participant) -> dict:
    """The e-mail changed: an open invitation mailed to the old address stops working (send a new one)."""
    if not participant.invitation_token_hash or not address_changed(participant.invitation_email, participant.email):
        return {}
    changes = {"invitation": ["open", "voided"]}
    participant.invitation_token_hash, participant.invitation_expires_at = None, None
    update = ["invitation_token_hash", "invitation_expires_at", "updated_at"]
    if participant.status == Participant.Status.INVITED and participant.user_id is None:
        changes["status"] = [participant.status, Participant.Status.NOT_INVITED]
        participant.status = Participant.Status.NOT_INVITED
        update.append("status")
    participant.save(update_fields=update)
    return changes
