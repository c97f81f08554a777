"""The supervisor's or mentor's assessment (D2): entered by the organiser, or written by the supervisor after an
invitation."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.services import audit_record, model_update
from agnitio.core.validators import text_problem
from agnitio.invitations.addresses import normalise_address
from agnitio.invitations.services import invitation_send

from ..invitation_kinds import SUPERVISOR
from ..models import Participant
from ._common import require_edit

SUPERVISOR_FIELDS = ["supervisor_name", "supervisor_position", "supervisor_assessment", "dialogue_partner_name",
                     "dialogue_partner_position"]


@transaction.atomic
def supervisor_assessment_update(*, actor, participant: Participant, data: dict) -> dict:
    """The supervisor's / mentor's separate assessment and the dialogue partner who may sign part 3 (D2),
    entered by the organiser."""
    require_edit(actor, participant.project)
    changes = model_update(instance=participant, fields=SUPERVISOR_FIELDS, data=data)
    if changes:
        audit_record(actor=actor, action="update", target=participant, organisation=participant.organisation,
                     verb="supervisor assessment", changes=changes)
    return changes


# --- supervisor / mentor (D2) ----------------------------------------------------------------------------------

@transaction.atomic
def supervisor_invite(*, actor, participant: Participant, full_name: str, email: str, position: str = "",
                      language: str = "lv") -> Participant:
    """Ask the supervisor or mentor by e-mail to write their assessment of the person's learning (D2); the link
    (invitations app) is theirs to accept with this address only."""
    require_edit(actor, participant.project)
    email = normalise_address(email)
    try:
        validate_email(email)
    except ValidationError as error:
        raise ApplicationError(_("Enter a valid e-mail address."), code="email") from error
    if not full_name.strip():
        raise ApplicationError(_("Enter the supervisor's name."), code="full_name")
    for value, label in ((full_name, _("Supervisor's or mentor's name")), (position, _("Their position"))):
        problem = text_problem(value, label=label, max_length=200)
        if problem is not None:
            raise ApplicationError(problem[0], code=problem[1])
    if language not in dict(settings.LANGUAGES):
        raise ApplicationError(_("Choose a language."), code="language")
    old = {"supervisor_email": participant.supervisor_email, "supervisor_name": participant.supervisor_name}
    participant.supervisor_name, participant.supervisor_position = full_name.strip(), position.strip()
    participant.supervisor_email, participant.supervisor_user = email, None
    participant.save(update_fields=["supervisor_name", "supervisor_position", "supervisor_email", "supervisor_user",
                                    "updated_at"])
    audit_record(actor=actor, action="grant", target=participant, organisation=participant.organisation,
                 verb="supervisor invited", changes={k: [v, getattr(participant, k)] for k, v in old.items()})
    # One open link per participant: a new supervisor (or address) revokes the link mailed before.
    _invitation, token = invitation_send(actor=actor, kind=SUPERVISOR, organisation=participant.organisation,
                                         target=participant, email=email, full_name=participant.supervisor_name,
                                         language=language)
    participant._supervisor_token = token  # for the caller (tests, API); never stored
    return participant


@transaction.atomic
def supervisor_assessment_write(*, actor, participant: Participant, assessment: str, position: str = "") -> dict:
    """The supervisor writes (or corrects) their own assessment, until the certificate is issued."""
    if not getattr(actor, "is_authenticated", False) or participant.supervisor_user_id != actor.pk:
        raise NotFound()
    if participant.status == Participant.Status.CERTIFICATE_ISSUED:
        raise ApplicationError(_("The certificate was issued already. Ask the organiser if something must change."),
                               code="issued")
    changes = model_update(instance=participant, fields=["supervisor_assessment", "supervisor_position"],
                           data={"supervisor_assessment": assessment.strip(),
                                 **({"supervisor_position": position.strip()} if position.strip() else {})})
    if changes:
        audit_record(actor=actor, action="update", target=participant, organisation=participant.organisation,
                     verb="supervisor assessment written", changes=changes)
    return changes
