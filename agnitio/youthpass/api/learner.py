"""API of learning outcomes: the organiser reads and reopens them, the participant writes their own."""

from __future__ import annotations

from ninja import Field, Router, Schema, Status

from agnitio.api_schemas import InputSchema, error_responses
from agnitio.core.validators import TEXT_MAX_LENGTH

from .. import selectors, services
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
