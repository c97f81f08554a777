"""API of learning outcomes: the organiser reads and reopens them, the participant writes their own; and the
participant's own learning journal (goals and reflection notes; the organiser has no endpoint for it)."""

from __future__ import annotations

import datetime

from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool

from agnitio.api_schemas import CursorPageOut, InputSchema, cursor_page_out, error_responses
from agnitio.core.pagination import DEFAULT_SIZE, MAX_SIZE, keyset_page
from agnitio.core.validators import TEXT_MAX_LENGTH

from .. import selectors, services
from ..models import GOAL_MAX_LENGTH
from ._common import participant_of

router = Router()


class OutcomeOut(Schema):
    framework: str
    competence: str
    language: str
    text: str


class OutcomeIn(InputSchema):
    framework: str
    competence: str = Field("", description="Empty for the free sections (professional, other)")
    language: str
    text: str = Field(..., max_length=TEXT_MAX_LENGTH,
                      description="Tab and line breaks allowed; an empty text removes the entry")


class OutcomesIn(InputSchema):
    outcomes: list[OutcomeIn]
    submit: bool = False


class LearnerRecordOut(Schema):
    public_id: str
    project: str
    status: str
    role: str
    submitted: bool

    @staticmethod
    def resolve_project(obj) -> str:
        return obj.project.display_name

    @staticmethod
    def resolve_submitted(obj) -> bool:
        return obj.outcomes_locked


# --- learning outcomes -------------------------------------------------------------------------------------------

@router.get("/projects/{pid}/participants/{ppid}/outcomes", response={200: list[OutcomeOut], **error_responses(404)},
            summary="What the person wrote (drafts until submitted)")
def participant_outcomes_api(request, pid: str, ppid: str):
    participant = participant_of(request, pid, ppid)[1]
    return [{"framework": f, "competence": c, "language": lang, "text": t}
            for (f, c, lang), t in selectors.outcome_texts(participant=participant).items()]


@router.post("/projects/{pid}/participants/{ppid}/outcomes/reopen",
             response={204: None, **error_responses(400, 404, 422)})
def participant_outcomes_reopen_api(request, pid: str, ppid: str):
    services.outcomes_reopen(actor=request.auth, participant=participant_of(request, pid, ppid)[1])
    return Status(204, None)


@router.get("/me/youthpass", response={200: list[LearnerRecordOut], **error_responses()},
            summary="Your own Youthpass records as a learner")
def learner_list_api(request):
    return list(selectors.participant_list_for_learner(actor=request.auth))


@router.get("/me/youthpass/{ppid}/outcomes", response={200: list[OutcomeOut], **error_responses(404)})
def learner_outcomes_api(request, ppid: str):
    participant = selectors.participant_get_for_learner(actor=request.auth, public_id=ppid)
    return [{"framework": f, "competence": c, "language": lang, "text": t}
            for (f, c, lang), t in selectors.outcome_texts(participant=participant).items()]


@router.put("/me/youthpass/{ppid}/outcomes", response={200: list[OutcomeOut], **error_responses(400, 404, 422)},
            summary="Save your learning outcomes (a draft), and with submit=true hand them to the organiser")
def learner_outcomes_save_api(request, ppid: str, payload: OutcomesIn):
    participant = selectors.participant_get_for_learner(actor=request.auth, public_id=ppid)
    texts = {(o.framework, o.competence, o.language): o.text for o in payload.outcomes}
    services.outcomes_save(actor=request.auth, participant=participant, texts=texts, submit=payload.submit)
    return learner_outcomes_api(request, ppid)


# --- the learning journal (the participant's own; services.journal) ---------------------------------------------

class GoalOut(Schema):
    public_id: str
    text: str
    shared: bool = Field(..., description="Shared with the participant's supervisor or mentor")
    created_at: datetime.datetime


class GoalIn(InputSchema):
    text: str = Field(..., max_length=GOAL_MAX_LENGTH, description="Tab and line breaks allowed")
    shared: StrictBool = False  # true or false, not 0 or "yes"


class NoteOut(Schema):
    public_id: str
    written_on: datetime.date
    text: str
    shared: bool = Field(..., description="Shared with the participant's supervisor or mentor")


class NoteIn(InputSchema):
    text: str = Field(..., max_length=TEXT_MAX_LENGTH, description="Tab and line breaks allowed")
    written_on: datetime.date | None = Field(None, description="Today when left out; never a future day")
    shared: StrictBool = False  # true or false, not 0 or "yes"


class NotePage(CursorPageOut):
    items: list[NoteOut]


class SharedIn(InputSchema):
    shared: StrictBool


def _own(request, ppid: str):
    return selectors.participant_get_for_learner(actor=request.auth, public_id=ppid)


@router.get("/me/youthpass/{ppid}/goals", response={200: list[GoalOut], **error_responses(404)},
            summary="Your learning goals in the project")
def learner_goal_list_api(request, ppid: str):
    participant = _own(request, ppid)
    return list(selectors.learning_goal_list(actor=request.auth, participant=participant))


@router.post("/me/youthpass/{ppid}/goals", response={201: GoalOut, **error_responses(400, 404, 422)})
def learner_goal_add_api(request, ppid: str, payload: GoalIn):
    goal = services.learning_goal_add(actor=request.auth, participant=_own(request, ppid), text=payload.text,
                                      shared=payload.shared)
    return Status(201, goal)


@router.get("/me/youthpass/{ppid}/notes", response={200: NotePage, **error_responses(400, 404, 422)},
            summary="Your reflection notes, newest first, one page at a time (follow `next`)")
def learner_note_list_api(request, ppid: str, cursor: str | None = Query(None, max_length=1000),
                          size: int = Query(DEFAULT_SIZE, ge=1, le=MAX_SIZE)):
    participant = _own(request, ppid)
    page = keyset_page(selectors.reflection_note_list(actor=request.auth, participant=participant),
                       ordering=selectors.NOTE_ORDER, cursor=cursor or None, size=size, invalid="raise")
    return cursor_page_out(page)


@router.post("/me/youthpass/{ppid}/notes", response={201: NoteOut, **error_responses(400, 404, 422)})
def learner_note_add_api(request, ppid: str, payload: NoteIn):
    note = services.reflection_note_add(actor=request.auth, participant=_own(request, ppid), text=payload.text,
                                        written_on=payload.written_on, shared=payload.shared)
    return Status(201, note)


@router.patch("/me/youthpass/{ppid}/goals/{gid}", response={200: GoalOut, **error_responses(400, 404, 422)},
              summary="Share a goal with your supervisor or mentor, or make it private again")
def learner_goal_share_api(request, ppid: str, gid: str, payload: SharedIn):
    return services.journal_entry_share(actor=request.auth, participant=_own(request, ppid), kind="goal",
                                        public_id=gid, shared=payload.shared)


@router.patch("/me/youthpass/{ppid}/notes/{nid}", response={200: NoteOut, **error_responses(400, 404, 422)},
              summary="Share a note with your supervisor or mentor, or make it private again")
def learner_note_share_api(request, ppid: str, nid: str, payload: SharedIn):
    return services.journal_entry_share(actor=request.auth, participant=_own(request, ppid), kind="note",
                                        public_id=nid, shared=payload.shared)


@router.delete("/me/youthpass/{ppid}/goals/{gid}", response={204: None, **error_responses(404)})
def learner_goal_delete_api(request, ppid: str, gid: str):
    services.journal_entry_delete(actor=request.auth, participant=_own(request, ppid), kind="goal", public_id=gid)
    return Status(204, None)


@router.delete("/me/youthpass/{ppid}/notes/{nid}", response={204: None, **error_responses(404)})
def learner_note_delete_api(request, ppid: str, nid: str):
    services.journal_entry_delete(actor=request.auth, participant=_own(request, ppid), kind="note", public_id=nid)
    return Status(204, None)
