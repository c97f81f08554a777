"""Writes for Youthpass, one module per resource. Every function checks the actor's right through the
selectors/rules, runs in a transaction and writes an audit event; messages are translatable and say how to fix the
problem.

The certificates (`services.certificates`) and the spreadsheet import (`services.imports`) are used as modules; the
writes of the other resources are also importable from here."""

from __future__ import annotations

from .activities import (
    ACTIVITY_FIELDS,
    activity_create,
    activity_delete,
    activity_update,
)
from .journal import (
    JOURNAL_KINDS,
    journal_entry_delete,
    journal_entry_share,
    learning_goal_add,
    reflection_note_add,
)
from .learner import (
    LEARNER_FIELDS,
    outcome_field_name,
    outcomes_page_version,
    outcomes_reopen,
    outcomes_save,
    outcomes_save_on_behalf,
    outcomes_version,
    participant_personal_data_confirm,
    participant_personal_data_confirm_on_behalf,
)
from .participants import (
    PARTICIPANT_FIELDS,
    participant_create,
    participant_delete,
    participant_export_xlsx,
    participant_invitation_withdraw,
    participant_invite,
    participant_message_send,
    participant_update,
    participations_erase,
)
from .projects import (
    PROJECT_FIELDS,
    grant_number_clean,
    project_create,
    project_delete,
    project_editor_invite,
    project_editor_revoke,
    project_finalise,
    project_partner_add,
    project_partner_remove,
    project_update,
)
from .supervisors import (
    SUPERVISOR_FIELDS,
    supervisor_assessment_update,
    supervisor_assessment_write,
    supervisor_invite,
)

__all__ = [
    "ACTIVITY_FIELDS",
    "LEARNER_FIELDS",
    "PARTICIPANT_FIELDS",
    "PROJECT_FIELDS",
    "SUPERVISOR_FIELDS",
    "activity_create",
    "activity_delete",
    "activity_update",
    "JOURNAL_KINDS",
    "grant_number_clean",
    "journal_entry_delete",
    "journal_entry_share",
    "learning_goal_add",
    "reflection_note_add",
    "outcome_field_name",
    "outcomes_reopen",
    "outcomes_save",
    "outcomes_save_on_behalf",
    "outcomes_page_version",
    "outcomes_version",
    "participant_create",
    "participant_delete",
    "participant_export_xlsx",
    "participant_invitation_withdraw",
    "participant_invite",
    "participant_message_send",
    "participant_personal_data_confirm",
    "participant_personal_data_confirm_on_behalf",
    "participant_update",
    "participations_erase",
    "project_create",
    "project_delete",
    "project_editor_invite",
    "project_editor_revoke",
    "project_finalise",
    "project_partner_add",
    "project_partner_remove",
    "project_update",
    "supervisor_assessment_update",
    "supervisor_assessment_write",
    "supervisor_invite",
]
