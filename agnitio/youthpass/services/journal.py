"""The participant's learning journal through the project (issue 11 point 8, seed 001, DOMAIN D1–D2): learning
goals set at the start and dated reflection notes kept during the project, each private or shared with their
supervisor/mentor. Only the participant writes it (`youthpass.keep_learning_journal`); who reads what is in
rules.py and the selectors. Audit entries name the goal or note and whether it is shared, never its text."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.permissions import require
from agnitio.core.services import audit_record
from agnitio.core.validators import TEXT_MAX_LENGTH, text_problem

from ..models import GOAL_MAX_LENGTH, LearningGoal, Participant, ReflectionNote

GOALS_MAX = 30  # learning goals per participant
NOTES_MAX = 1_000  # reflection notes per participant (more than one a day through a year-long project)
NOTE_DATE_MIN = datetime.date(2000, 1, 1)


def _require_own(actor, participant: Participant) -> Participant:
    require(actor, "youthpass.keep_learning_journal", participant)
    return Participant.objects.select_for_update().get(pk=participant.pk)


def _clean_text(text: str, *, label, max_length: int) -> str:
    text = (text or "").strip()
    if not text:
        raise ApplicationError(_("Write something first."), code="empty")
    problem = text_problem(text, label=label, multiline=True, max_length=max_length)
    if problem is not None:
        raise ApplicationError(problem[0], code=problem[1])
    return text


@transaction.atomic
def learning_goal_add(*, actor, participant: Participant, text: str, shared: bool = False) -> LearningGoal:
    """The participant writes down a learning goal (at most GOALS_MAX, each at most GOAL_MAX_LENGTH characters)."""
    participant = _require_own(actor, participant)
    text = _clean_text(text, label=_("Learning goal"), max_length=GOAL_MAX_LENGTH)
    if participant.learning_goals.count() >= GOALS_MAX:
        raise ApplicationError(_("You have %(n)d learning goals already, the most there can be. Remove one you no "
                                 "longer need first.") % {"n": GOALS_MAX}, code="too_many")
    goal = LearningGoal.objects.create(organisation=participant.organisation, participant=participant, text=text,
                                       shared=bool(shared))
    audit_record(actor=actor, action="create", target=goal, organisation=goal.organisation,
                 verb="learning goal added", changes={"shared": [None, goal.shared]})
    return goal


@transaction.atomic
def reflection_note_add(*, actor, participant: Participant, text: str, written_on: datetime.date | None = None,
                        shared: bool = False) -> ReflectionNote:
    """The participant keeps a dated reflection note (today unless another day is given; never a future day)."""
    participant = _require_own(actor, participant)
    text = _clean_text(text, label=_("Reflection"), max_length=TEXT_MAX_LENGTH)
    today = timezone.localdate()
    written_on = written_on or today
    if written_on > today or written_on < NOTE_DATE_MIN:
        raise ApplicationError(_("Choose a date that is not in the future."), code="date")
    if participant.reflection_notes.count() >= NOTES_MAX:
        raise ApplicationError(_("You have %(n)d reflection notes already, the most there can be.")
                               % {"n": NOTES_MAX}, code="too_many")
    note = ReflectionNote.objects.create(organisation=participant.organisation, participant=participant,
                                         written_on=written_on, text=text, shared=bool(shared))
    audit_record(actor=actor, action="create", target=note, organisation=note.organisation,
                 verb="reflection note added", changes={"shared": [None, note.shared]})
    return note


def _entry_of(model, *, participant: Participant, public_id: str):
    entry = model.objects.select_for_update().filter(participant=participant, public_id=public_id).first()
    if entry is None:
        raise NotFound()
    return entry


@transaction.atomic
def journal_entry_share(*, actor, participant: Participant, kind: str, public_id: str, shared: bool):
    """Share a goal or note with the supervisor/mentor, or make it private again (`kind`: "goal" or "note")."""
    _require_own(actor, participant)
    entry = _entry_of(_MODELS[kind], participant=participant, public_id=public_id)
    if entry.shared != bool(shared):
        old, entry.shared = entry.shared, bool(shared)
        entry.save(update_fields=["shared", "updated_at"])
        audit_record(actor=actor, action="update", target=entry, organisation=entry.organisation,
                     verb=f"{_VERB[kind]} shared" if entry.shared else f"{_VERB[kind]} made private",
                     changes={"shared": [old, entry.shared]})
    return entry


@transaction.atomic
def journal_entry_delete(*, actor, participant: Participant, kind: str, public_id: str) -> None:
    """The participant removes one of their goals or notes."""
    _require_own(actor, participant)
    entry = _entry_of(_MODELS[kind], participant=participant, public_id=public_id)
    audit_record(actor=actor, action="delete", target=entry, organisation=entry.organisation,
                 verb=f"{_VERB[kind]} removed", changes={"shared": [entry.shared, None]})
    entry.delete()


_MODELS: dict[str, type[LearningGoal] | type[ReflectionNote]] = {"goal": LearningGoal, "note": ReflectionNote}
_VERB = {"goal": "learning goal", "note": "reflection note"}
JOURNAL_KINDS = tuple(_MODELS)
