"""JSON API for Youthpass: projects, activities, participants (incl. the spreadsheet import), learning outcomes
and certificates. Authentication and error bodies come from `agnitio.api` (API token or session)."""

from __future__ import annotations

import datetime
import json

from django.http import HttpResponse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from agnitio.api_schemas import InputSchema, error_responses
from agnitio.apikeys.auth import check_token_organisation
from agnitio.core import versioning
from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.validators import TEXT_MAX_LENGTH

from . import certificates, imports, selectors, services
from .models import Activity, Participant
from .spreadsheets import MAX_BYTES

router = Router(tags=["youthpass"])


# --- schemas -----------------------------------------------------------------------------------------------------

class PartnerOut(Schema):
    name: str
    country: str

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.country.code


class ProjectOut(Schema):
    public_id: str
    organisation: str
    grant_number: str
    display_name: str
    programme: str
    project_type: str
    title: str
    description: str
    aims: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    venue: str
    yans_opt_in: bool
    certificate_language: str
    signing_place: str
    signing_date: datetime.date | None
    finalised_at: datetime.datetime | None
    partners: list[PartnerOut]

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.public_id

    @staticmethod
    def resolve_partners(obj) -> list:
        return list(obj.partners.all())


class ProjectIn(InputSchema):
    organisation: str = Field(..., description="Public id of the organisation the project belongs to")
    grant_number: str = Field(..., max_length=60, examples=["2022-1-LV01-KA153-YOU-000000000"])
    programme: str = Field(..., examples=["erasmus_youth", "esc"])
    project_type: str = Field(..., examples=["youth_exchange"])
    title: str = Field("", max_length=255)
    description: str = Field("", max_length=TEXT_MAX_LENGTH)
    aims: str = Field("", max_length=TEXT_MAX_LENGTH)
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    venue: str = Field("", max_length=255)


class ProjectPatch(InputSchema):
    grant_number: str = Field(None, max_length=60)
    programme: str = None
    project_type: str = None
    title: str = Field(None, max_length=255)
    description: str = Field(None, max_length=TEXT_MAX_LENGTH)
    aims: str = Field(None, max_length=TEXT_MAX_LENGTH)
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    venue: str = Field(None, max_length=255)
    yans_opt_in: bool = None


class ActivityOut(Schema):
    public_id: str
    activity_type: str
    title: str
    description: str
    start_date: datetime.date
    end_date: datetime.date
    format: str
    venue_city: str
    venue_country: str
    methods: str
    results: str

    @staticmethod
    def resolve_venue_country(obj) -> str:
        return obj.venue_country.code or ""


class ActivityIn(InputSchema):
    activity_type: str
    title: str = Field(..., min_length=1, max_length=255)
    description: str = Field("", max_length=TEXT_MAX_LENGTH)
    start_date: datetime.date
    end_date: datetime.date
    format: str = Activity.Format.ONSITE
    venue_city: str = Field("", max_length=200)
    venue_country: str = Field("", pattern="^([A-Z]{2})?$")
    methods: str = Field("", max_length=TEXT_MAX_LENGTH)
    results: str = Field("", max_length=TEXT_MAX_LENGTH)


class ActivityPatch(InputSchema):
    activity_type: str = None
    title: str = Field(None, min_length=1, max_length=255)
    description: str = Field(None, max_length=TEXT_MAX_LENGTH)
    start_date: datetime.date = None
    end_date: datetime.date = None
    format: str = None
    venue_city: str = Field(None, max_length=200)
    venue_country: str = Field(None, pattern="^([A-Z]{2})?$")
    methods: str = Field(None, max_length=TEXT_MAX_LENGTH)
    results: str = Field(None, max_length=TEXT_MAX_LENGTH)


class ParticipantOut(Schema):
    public_id: str
    first_name: str
    last_name: str
    email: str
    country: str
    date_of_birth: datetime.date | None
    place_of_birth: str
    language: str
    role: str
    status: str
    activities: list[str]
    certificate_number: str | None

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.country.code or ""

    @staticmethod
    def resolve_activities(obj) -> list[str]:
        return [a.public_id for a in obj.activities.all()]

    @staticmethod
    def resolve_certificate_number(obj) -> str | None:
        return obj.certificate.number if obj.certificate_id else None


class ParticipantIn(InputSchema):
    first_name: str = Field(..., min_length=1, max_length=150)
    last_name: str = Field(..., min_length=1, max_length=150)
    email: str = Field("", max_length=254)
    country: str = Field("", pattern="^([A-Z]{2})?$")
    date_of_birth: datetime.date | None = None
    place_of_birth: str = Field("", max_length=200)
    language: str = "lv"
    role: str = Participant.Role.PARTICIPANT
    activities: list[str] = Field(default_factory=list, description="Public ids of the project's activities")


class ParticipantPatch(InputSchema):
    first_name: str = Field(None, min_length=1, max_length=150)
    last_name: str = Field(None, min_length=1, max_length=150)
    email: str = Field(None, max_length=254)
    country: str = Field(None, pattern="^([A-Z]{2})?$")
    date_of_birth: datetime.date | None = None
    place_of_birth: str = Field(None, max_length=200)
    language: str = None
    role: str = None
    activities: list[str] = None


class SelectionIn(InputSchema):
    participants: list[str] = Field(..., min_length=1, description="Public ids of participants of the project")
    personal_message: str = Field("", max_length=TEXT_MAX_LENGTH)


class SelectionOut(Schema):
    done: int
    skipped: list[str]


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


class CertificateOut(Schema):
    number: str
    code: str  # the random verification code printed on the document (`verification_url` ends with it)
    status: str
    issued_on: datetime.date
    languages: list[str]
    verification_url: str
    supersedes: str | None


class ImportForm(Schema):
    dry_run: bool = Field(False, description="Only check: answer with the preview and its row errors")
    mapping: str = Field("", description='JSON object column index → field, e.g. {"0": "first_name", '
                         '"1": "last_name"}; empty: the headings are recognised')
    default_role: str = Field(Participant.Role.PARTICIPANT, description="Role where the table has no role column")
    activities: str = Field("", description="Comma-separated public ids of the activities everyone took part in")
    encoding: str = Field("", description="Text encoding of a csv file; empty: detected")


class ImportOut(Schema):
    imported: int = 0
    preview: dict | None = None


# --- helpers -----------------------------------------------------------------------------------------------------

def _project(request, pid: str):
    project = selectors.project_get(actor=request.auth, public_id=pid)
    check_token_organisation(request, project.organisation)
    return project


def _participant(request, pid: str, ppid: str):
    project = _project(request, pid)
    return project, selectors.participant_get(actor=request.auth, project=project, public_id=ppid)


def _activities(project, ids: list[str]) -> list[Activity]:
    found = list(project.activities.filter(public_id__in=ids))
    if len(found) != len(set(ids)):
        raise ApplicationError("Unknown activity id.", code="activities")
    return found


def _certificate_out(credential) -> dict:
    return {"number": credential.number, "code": credential.code, "status": credential.status,
            "issued_on": credential.issued_on, "languages": credential.languages,
            "verification_url": credential.verification_url,
            "supersedes": credential.supersedes.number if credential.supersedes_id else None}


# --- projects ----------------------------------------------------------------------------------------------------

@router.get("/projects", response={200: list[ProjectOut], **error_responses()}, summary="Projects you may see")
def project_list_api(request):
    projects = selectors.project_list(actor=request.auth).prefetch_related("partners").order_by("-created_at")
    token = getattr(request, "api_token", None)
    if token is not None and token.organisation_id:
        projects = projects.filter(organisation_id=token.organisation_id)
    return list(projects)


@router.post("/projects", response={201: ProjectOut, **error_responses(400, 404, 422)},
             summary="Start a project: the grant agreement number is validated (YYYY-R-CCNN-ACTION-FIELD-NNNNNNNNN)")
def project_create_api(request, payload: ProjectIn):
    from agnitio.organisations.selectors import organisation_get

    data = payload.model_dump()
    organisation = organisation_get(actor=request.auth, public_id=data.pop("organisation"))
    check_token_organisation(request, organisation)
    project = services.project_create(actor=request.auth, organisation=organisation, **data)
    return Status(201, project)


@router.get("/projects/{pid}", response={200: ProjectOut, **error_responses(404)},
            description="The `ETag` header is the project's version: send it back as `If-Match` when you change it.")
def project_get_api(request, pid: str, response: HttpResponse):
    project = _project(request, pid)
    versioning.set_etag(response, project)
    return project


@router.patch("/projects/{pid}", response={200: ProjectOut, **error_responses(400, 404, 409, 422)},
              description="With `If-Match: <ETag>`, a project changed since that version is not overwritten (409).")
def project_update_api(request, pid: str, payload: ProjectPatch, response: HttpResponse):
    project = _project(request, pid)
    data = payload.model_dump(exclude_unset=True)
    with versioning.check_if_match(request, project, data=data):
        services.project_update(actor=request.auth, project=project, data=data)
    project = _project(request, pid)
    versioning.set_etag(response, project)
    return project


@router.delete("/projects/{pid}", response={204: None, **error_responses(403, 404)},
               summary="Delete a project (organisation owners and admins)")
def project_delete_api(request, pid: str):
    services.project_delete(actor=request.auth, project=_project(request, pid))
    return Status(204, None)


# --- activities --------------------------------------------------------------------------------------------------

@router.get("/projects/{pid}/activities", response={200: list[ActivityOut], **error_responses(404)})
def activity_list_api(request, pid: str):
    return list(selectors.activity_list(actor=request.auth, project=_project(request, pid)))


@router.post("/projects/{pid}/activities", response={201: ActivityOut, **error_responses(400, 404, 422)},
             summary="Add an activity; its type must fit the project type")
def activity_create_api(request, pid: str, payload: ActivityIn):
    activity = services.activity_create(actor=request.auth, project=_project(request, pid), **payload.model_dump())
    return Status(201, activity)


@router.patch("/projects/{pid}/activities/{aid}",
              response={200: ActivityOut, **error_responses(400, 404, 409, 422)},
              description="With `If-Match: <ETag>`, an activity changed since that version is not overwritten (409).")
def activity_update_api(request, pid: str, aid: str, payload: ActivityPatch, response: HttpResponse):
    project = _project(request, pid)
    activity = selectors.activity_get(actor=request.auth, project=project, public_id=aid)
    data = payload.model_dump(exclude_unset=True)
    with versioning.check_if_match(request, activity, data=data):
        services.activity_update(actor=request.auth, activity=activity, data=data)
    activity = selectors.activity_get(actor=request.auth, project=project, public_id=aid)
    versioning.set_etag(response, activity)
    return activity


@router.delete("/projects/{pid}/activities/{aid}", response={204: None, **error_responses(404)})
def activity_delete_api(request, pid: str, aid: str):
    project = _project(request, pid)
    services.activity_delete(actor=request.auth,
                             activity=selectors.activity_get(actor=request.auth, project=project, public_id=aid))
    return Status(204, None)


# --- participants ------------------------------------------------------------------------------------------------

@router.get("/projects/{pid}/participants", response={200: list[ParticipantOut], **error_responses(404)},
            summary="Individuals of the project, optionally filtered")
def participant_list_api(request, pid: str, status: str = "", role: str = "", activity: str = ""):
    project = _project(request, pid)
    chosen = selectors.activity_get(actor=request.auth, project=project, public_id=activity) if activity else None
    return list(selectors.participant_list(actor=request.auth, project=project, status=status, role=role,
                                           activity=chosen).select_related("certificate"))


@router.post("/projects/{pid}/participants", response={201: ParticipantOut, **error_responses(400, 404, 422)})
def participant_create_api(request, pid: str, payload: ParticipantIn):
    project = _project(request, pid)
    data = payload.model_dump()
    activities = _activities(project, data.pop("activities"))
    participant = services.participant_create(actor=request.auth, project=project, activities=activities, **data)
    return Status(201, participant)


def _selection(request, pid: str, ids: list[str]):
    project = _project(request, pid)
    chosen = list(selectors.participant_list(actor=request.auth, project=project).filter(public_id__in=ids))
    if len(chosen) != len(set(ids)):
        raise NotFound()
    return chosen


@router.post("/projects/{pid}/participants/invite", response={200: SelectionOut, **error_responses(400, 404, 422)},
             summary="Invite to complete personal data and learning outcomes (personal, expiring links by e-mail)")
def participant_invite_api(request, pid: str, payload: SelectionIn):
    chosen = _selection(request, pid, payload.participants)
    skipped = services.participant_invite(actor=request.auth, participants=chosen,
                                          personal_message=payload.personal_message)
    return {"done": len(chosen) - len(skipped), "skipped": skipped}


@router.post("/projects/{pid}/participants/withdraw", response={200: SelectionOut, **error_responses(400, 404, 422)})
def participant_withdraw_api(request, pid: str, payload: SelectionIn):
    chosen = _selection(request, pid, payload.participants)
    skipped = services.participant_invitation_withdraw(actor=request.auth, participants=chosen)
    return {"done": len(chosen) - len(skipped), "skipped": skipped}


@router.post("/projects/{pid}/participants/message", response={200: SelectionOut, **error_responses(400, 404, 422)},
             summary="Send the standard text with a personal message")
def participant_message_api(request, pid: str, payload: SelectionIn):
    chosen = _selection(request, pid, payload.participants)
    skipped = services.participant_message_send(actor=request.auth, participants=chosen,
                                                personal_message=payload.personal_message)
    return {"done": len(chosen) - len(skipped), "skipped": skipped}


@router.post("/projects/{pid}/participants/import", response={200: ImportOut, **error_responses(400, 404, 422)},
             summary="Import individuals from xlsx/xls/ods/csv; with dry_run only the preview (row errors)")
def participant_import_api(request, pid: str, file: File[UploadedFile], form: Form[ImportForm]):
    dry_run, mapping, default_role = form.dry_run, form.mapping, form.default_role
    activities, encoding = form.activities, form.encoding
    project = _project(request, pid)
    if file.size > MAX_BYTES:
        raise ApplicationError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.", code="too_large")
    try:
        columns = {int(k): str(v) for k, v in json.loads(mapping).items()} if mapping else None
    except (ValueError, AttributeError) as error:
        raise ApplicationError("mapping must be a JSON object of column index → field.", code="mapping") from error
    ids = [x.strip() for x in activities.split(",") if x.strip()]
    chosen = _activities(project, ids)
    data = file.read()
    if dry_run:
        preview = imports.participants_import_preview(actor=request.auth, project=project, data=data,
                                                      filename=file.name or "", mapping=columns, encoding=encoding,
                                                      default_role=default_role)
        return {"imported": 0, "preview": preview.as_dict()}
    try:
        people = imports.participants_import_commit(actor=request.auth, project=project, data=data,
                                                    filename=file.name or "", mapping=columns, encoding=encoding,
                                                    activities=chosen, default_role=default_role)
    except ApplicationError as error:
        if error.extra.get("preview"):
            return Status(400, {"detail": str(error), "code": error.code})
        raise
    return {"imported": len(people)}


@router.get("/projects/{pid}/participants/{ppid}", response={200: ParticipantOut, **error_responses(404)},
            description="The `ETag` header is the participant's version: send it back as `If-Match` when you change "
                        "the participant.")
def participant_get_api(request, pid: str, ppid: str, response: HttpResponse):
    participant = _participant(request, pid, ppid)[1]
    versioning.set_etag(response, participant)
    return participant


@router.patch("/projects/{pid}/participants/{ppid}",
              response={200: ParticipantOut, **error_responses(400, 404, 409, 422)},
              description="With `If-Match: <ETag>`, a participant changed since that version is not overwritten "
                          "(409).")
def participant_update_api(request, pid: str, ppid: str, payload: ParticipantPatch, response: HttpResponse):
    project, participant = _participant(request, pid, ppid)
    data = payload.model_dump(exclude_unset=True)
    ids = data.pop("activities", None)
    activities = _activities(project, ids) if ids is not None else None
    with versioning.check_if_match(request, participant, data={**data, **({"activities": activities}
                                                                          if activities is not None else {})}):
        services.participant_update(actor=request.auth, participant=participant, data=data, activities=activities)
    participant = _participant(request, pid, ppid)[1]
    versioning.set_etag(response, participant)
    return participant


@router.delete("/projects/{pid}/participants/{ppid}", response={204: None, **error_responses(404)})
def participant_delete_api(request, pid: str, ppid: str):
    services.participant_delete(actor=request.auth, participants=[_participant(request, pid, ppid)[1]])
    return Status(204, None)


# --- learning outcomes -------------------------------------------------------------------------------------------

@router.get("/projects/{pid}/participants/{ppid}/outcomes", response={200: list[OutcomeOut], **error_responses(404)},
            summary="What the person wrote (drafts until submitted)")
def participant_outcomes_api(request, pid: str, ppid: str):
    participant = _participant(request, pid, ppid)[1]
    return [{"framework": f, "competence": c, "language": lang, "text": t}
            for (f, c, lang), t in selectors.outcome_texts(participant=participant).items()]


@router.post("/projects/{pid}/participants/{ppid}/outcomes/reopen",
             response={204: None, **error_responses(400, 404, 422)})
def participant_outcomes_reopen_api(request, pid: str, ppid: str):
    services.outcomes_reopen(actor=request.auth, participant=_participant(request, pid, ppid)[1])
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


# --- certificates ------------------------------------------------------------------------------------------------

@router.post("/projects/{pid}/participants/{ppid}/certificate", response={201: CertificateOut,
                                                                         **error_responses(400, 404, 422)},
             summary="Issue (or re-issue, superseding the current one) the person's certificate")
def certificate_issue_api(request, pid: str, ppid: str):
    credential = certificates.certificate_issue(actor=request.auth, participant=_participant(request, pid, ppid)[1])
    return Status(201, _certificate_out(credential))


@router.get("/projects/{pid}/participants/{ppid}/certificate", response={200: CertificateOut,
                                                                        **error_responses(404)})
def certificate_get_api(request, pid: str, ppid: str):
    participant = _participant(request, pid, ppid)[1]
    if participant.certificate is None:
        raise NotFound()
    return _certificate_out(participant.certificate)


class BatchIn(InputSchema):
    participants: list[str] | None = Field(None, description="Public ids; omitted: everyone ready")


class BatchOut(Schema):
    public_id: str
    status: str
    total: int
    done: int
    failed: list[dict]


def _batch_out(progress: dict) -> dict:
    batch = progress["batch"]
    return {"public_id": batch.public_id, "status": progress["status"], "total": batch.total, "done": progress["done"],
            "failed": [{"participant": i.participant.public_id, "reason": i.error} for i in progress["failed"]]}


@router.post("/projects/{pid}/certificates/batches", response={201: BatchOut, **error_responses(400, 404, 422)},
             summary="Issue certificates for a selection or everyone ready, in the background")
def batch_start_api(request, pid: str, payload: BatchIn):
    project = _project(request, pid)
    chosen = _selection(request, pid, payload.participants) if payload.participants else None
    batch = certificates.certificate_batch_start(actor=request.auth, project=project, participants=chosen)
    return Status(201, _batch_out(certificates.certificate_batch_progress(actor=request.auth, project=project,
                                                                          public_id=batch.public_id)))


@router.get("/projects/{pid}/certificates/batches/{bid}", response={200: BatchOut, **error_responses(404)},
            summary="Progress of a certificate batch")
def batch_get_api(request, pid: str, bid: str):
    project = _project(request, pid)
    return _batch_out(certificates.certificate_batch_progress(actor=request.auth, project=project, public_id=bid))
