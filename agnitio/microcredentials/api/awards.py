"""API of awards: issue a published micro-credential to one learner now, or to many (as data or as a spreadsheet)
in the background with per-row errors; follow a bulk job; list awards; attach evidence (links, and files checked
by the same service as the award's page) and download evidence files behind the same permission check."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from agnitio.api_schemas import CursorPageOut, InputSchema, cursor_page_out, error_responses
from agnitio.core import spreadsheets
from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.pagination import DEFAULT_SIZE, MAX_SIZE, keyset_page
from agnitio.core.storage import private_file_response
from agnitio.core.throttle import upload_throttle
from agnitio.core.validators import json_parse

from .. import selectors
from ..models import Award
from ..services import awards as services
from ..services import evidence as evidence_services
from ..services import imports
from ..urls_public import absolute

router = Router()


class EvidenceOut(Schema):
    public_id: str
    kind: str = Field(..., description="`file` or `link`")
    title: str
    url: str = Field(..., description="A link's address (empty for a file)")
    content_type: str = Field(..., description="A file's type, read from its content: application/pdf, image/png "
                              "or image/jpeg (empty for a link)")
    size: int = Field(..., description="A file's size in bytes (0 for a link)")
    download_url: str | None = Field(None, description="A file's address in this API (the same permission check as "
                                     "the award: the provider's members); null for a link")

    @staticmethod
    def resolve_download_url(obj) -> str | None:
        if obj.kind != "file":
            return None
        return absolute(reverse("api:microcredentials_evidence_file",
                                kwargs={"award_id": obj.award.public_id, "evidence_id": obj.public_id}))


class AwardOut(Schema):
    public_id: str
    specification: str
    specification_version: int
    learner_name: str
    learner_email: str
    learner_date_of_birth: datetime.date | None
    learner_national_id: str
    grade: str
    assessed_on: datetime.date | None
    issued_on: datetime.date
    valid_until: datetime.date | None
    languages: str
    status: str
    failure: str
    credential: str | None = Field(None, description="Public id of the issued credential")
    credential_number: str | None = None
    evidence: list[EvidenceOut] = Field(..., description="Evidence attached to the award: links, and files with "
                                        "their download address")

    @staticmethod
    def resolve_specification(obj) -> str:
        return obj.specification.public_id

    @staticmethod
    def resolve_specification_version(obj) -> int:
        return obj.specification.version

    @staticmethod
    def resolve_credential(obj) -> str | None:
        return obj.credential.public_id if obj.credential_id else None

    @staticmethod
    def resolve_credential_number(obj) -> str | None:
        return obj.credential.number if obj.credential_id else None

    @staticmethod
    def resolve_evidence(obj) -> list:
        return list(obj.evidence.all())  # prefetched where many awards are answered (`with_evidence`)


class LearnerIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=200)
    email: str = Field(..., max_length=254)
    date_of_birth: datetime.date | None = None
    national_id: str = Field("", max_length=64)
    grade: str = Field("", max_length=100)
    assessed_on: datetime.date | None = None
    evidence_links: list[str] = Field([], max_length=10)


class AwardIn(LearnerIn):
    languages: str = Field(Award.DocumentLanguage.BOTH, max_length=8, examples=["lv", "en", "lv+en"])


class BulkIn(InputSchema):
    learners: list[LearnerIn] = Field(..., min_length=1, max_length=services.BULK_MAX)
    languages: str = Field(Award.DocumentLanguage.BOTH, max_length=8)


class RowErrorOut(Schema):
    index: int | None = Field(None, description="Position in `learners` (JSON bulk)")
    line: int | None = Field(None, description="Row in the spreadsheet (headings are row 1)")
    errors: list[str]


class BulkOut(Schema):
    awarded: list[AwardOut]
    errors: list[RowErrorOut]
    job: str | None = Field(None, description="Public id of the bulk job issuing the awards (see /jobs/{id})")


class JobOut(Schema):
    public_id: str
    status: str
    total: int
    done: int
    failed: int
    finished: bool
    not_issued: list[AwardOut]


class AwardPage(CursorPageOut):
    items: list[AwardOut]


class EvidenceLinkIn(InputSchema):
    url: str = Field(..., max_length=1000)
    title: str = Field("", max_length=255)


class EvidenceFileIn(InputSchema):
    title: str = Field("", max_length=255, description="Shown for the file (default: the file's name)")


EVIDENCE_FILE_RESPONSE = {"responses": {
    200: {"description": "The evidence file, as checked and stored (a PNG or JPEG image re-encoded)",
          "content": {media: {"schema": {"type": "string", "format": "binary"}}
                      for media in ("application/pdf", "image/png", "image/jpeg")}},
    302: {"description": "Where files are kept in S3: a redirect to a signed address of the file, valid for a few "
                         "minutes"}}}


def with_evidence(awards):
    """The awards with their evidence loaded in one query (AwardOut lists it)."""
    from django.db.models import prefetch_related_objects

    awards = list(awards)
    prefetch_related_objects(awards, "evidence")
    return awards


def _learner(payload: LearnerIn) -> services.LearnerIn:
    return services.LearnerIn(name=payload.name, email=payload.email, date_of_birth=payload.date_of_birth,
                              national_id=payload.national_id, grade=payload.grade, assessed_on=payload.assessed_on,
                              evidence_links=list(payload.evidence_links))


@router.get("/specifications/{spec_id}/awards", response={200: AwardPage, **error_responses(400, 404, 422)},
            summary="Learners awarded this version, newest first")
def award_list_api(request, spec_id: str, cursor: str | None = Query(None, max_length=1000),
                   size: int = Query(DEFAULT_SIZE, ge=1, le=MAX_SIZE)):
    specification = selectors.specification_get(actor=request.auth, public_id=spec_id)
    page = keyset_page(selectors.award_list(actor=request.auth, specification=specification).prefetch_related(
        "evidence"), ordering=selectors.AWARD_ORDER, cursor=cursor or None, size=size, invalid="raise")
    return cursor_page_out(page)


@router.post("/specifications/{spec_id}/awards", response={201: AwardOut, **error_responses(400, 403, 404, 422)},
             summary="Award to one learner now: signed credential, wallet offer, sealed PDF")
def award_issue_api(request, spec_id: str, payload: AwardIn):
    specification = selectors.specification_get(actor=request.auth, public_id=spec_id)
    award = services.award_issue(actor=request.auth, specification=specification, learner=_learner(payload),
                                 languages=payload.languages)
    return Status(201, award)


@router.post("/specifications/{spec_id}/awards/bulk", response={202: BulkOut, **error_responses(400, 403, 404, 422)},
             summary="Award to many learners: the good ones are issued in the background (one job), the others "
                     "come back in `errors` with what is wrong")
def award_bulk_api(request, spec_id: str, payload: BulkIn):
    specification = selectors.specification_get(actor=request.auth, public_id=spec_id)
    awards, errors, job = services.awards_bulk_start(actor=request.auth, specification=specification,
                                                     learners=[_learner(x) for x in payload.learners],
                                                     languages=payload.languages)
    return Status(202, {"awarded": with_evidence(awards), "errors": errors, "job": job.public_id if job else None})


class ImportForm(Schema):
    dry_run: bool = Field(False, description="Only check: answer with the row errors, save nothing")
    mapping: str = Field("", max_length=2000, description='JSON object column index → field, e.g. {"0": "name", '
                         '"1": "email"}; empty: the headings are recognised')
    languages: str = Field(Award.DocumentLanguage.BOTH, max_length=8)


@router.post("/specifications/{spec_id}/awards/import",
             response={202: BulkOut, **error_responses(400, 403, 404, 422, 429)},
             summary="Award to the learners of a spreadsheet (xlsx/xls/ods/csv; name, e-mail, optional date of "
                     "birth, national identifier, grade, date of assessment, evidence links): rows without problems "
                     "are issued in the background, the others come back in `errors`")
def award_import_api(request, spec_id: str, file: File[UploadedFile], form: Form[ImportForm]):
    specification = selectors.specification_get(actor=request.auth, public_id=spec_id)
    upload_throttle(request, actor=request.auth, group=imports.RATE_GROUP)  # one budget with the page
    if (file.size or 0) > spreadsheets.MAX_BYTES:
        raise ApplicationError(_("The file is larger than %(mb)d MB. Split it into smaller files.")
                               % {"mb": spreadsheets.MAX_BYTES // (1024 * 1024)}, code="too_large")
    try:
        mapping = {int(k): str(v) for k, v in json_parse(form.mapping).items()} if form.mapping else None
    except (ValueError, AttributeError, TypeError) as error:
        raise ApplicationError(_("“mapping” must be a JSON object of column number → field, such as "
                                 "{\"0\": \"name\"}."), code="mapping") from error
    data = file.read()
    if form.dry_run:
        table = spreadsheets.read_table(data, file.name or "")
        preview = imports.preview_table(specification=specification, table=table, mapping=mapping)
        return Status(202, {"awarded": [], "job": None,
                            "errors": [{"line": r.line, "errors": [str(e) for e in r.errors]}
                                       for r in preview.error_rows[:1000]]})
    upload = imports.award_import_upload(actor=request.auth, specification=specification, data=data,
                                         filename=file.name or "", languages=form.languages)
    result = imports.award_import_run(actor=request.auth, upload=upload, mapping=mapping, data=data)
    return Status(202, {"awarded": with_evidence(result.awards), "job": result.job.public_id if result.job else None,
                        "errors": [{"line": r["line"], "errors": r["errors"]}
                                   for r in spreadsheets.rejected_rows_shown(result.rejected)]})


@router.get("/specifications/{spec_id}/jobs/{job_id}", response={200: JobOut, **error_responses(404)},
            summary="Progress of a bulk issue and who was not issued, with why")
def award_job_api(request, spec_id: str, job_id: str):
    specification = selectors.specification_get(actor=request.auth, public_id=spec_id)
    progress = services.award_batch_progress(actor=request.auth, specification=specification, public_id=job_id)
    job = progress["job"]
    return {"public_id": job.public_id, "status": job.status, "total": job.total, "done": job.done,
            "failed": job.failed, "finished": progress["finished"], "not_issued": with_evidence(progress["failed"])}


@router.get("/awards/{award_id}", response={200: AwardOut, **error_responses(404)})
def award_get_api(request, award_id: str):
    return selectors.award_get(actor=request.auth, public_id=award_id)


@router.get("/awards/{award_id}/evidence", response={200: list[EvidenceOut], **error_responses(404)})
def evidence_list_api(request, award_id: str):
    award = selectors.award_get(actor=request.auth, public_id=award_id)
    return list(selectors.evidence_list(actor=request.auth, award=award)[:100])


@router.post("/awards/{award_id}/evidence", response={201: EvidenceOut, **error_responses(400, 403, 404, 422)},
             summary="Attach a link as evidence (files: POST /awards/{award_id}/evidence/files)")
def evidence_link_api(request, award_id: str, payload: EvidenceLinkIn):
    award = selectors.award_get(actor=request.auth, public_id=award_id)
    return Status(201, evidence_services.evidence_link_add(actor=request.auth, award=award, url=payload.url,
                                                           title=payload.title))


@router.post("/awards/{award_id}/evidence/files",
             response={201: EvidenceOut, **error_responses(400, 403, 404, 413, 422, 429)},
             summary="Attach a file as evidence (multipart `file`, optional `title`): a PDF, PNG or JPEG as its "
                     "content shows (not its name), at most 10 MB by default, at most 20 pieces of evidence per "
                     "award; images are re-encoded. The same checks as the award's page")
def evidence_file_api(request, award_id: str, file: File[UploadedFile], form: Form[EvidenceFileIn]):
    award = selectors.award_get(actor=request.auth, public_id=award_id)  # another organisation's: 404, nothing read
    upload_throttle(request, actor=request.auth, group=evidence_services.RATE_GROUP)  # one budget with the page
    try:
        evidence = evidence_services.evidence_file_add(actor=request.auth, award=award, upload=file,
                                                       title=form.title)
    except ApplicationError as error:
        if error.code == "too_large":
            return Status(413, {"detail": str(error.message), "code": error.code})
        raise
    return Status(201, evidence)


@router.get("/awards/{award_id}/evidence/{evidence_id}/file", response={**error_responses(404)},
            openapi_extra=EVIDENCE_FILE_RESPONSE, url_name="microcredentials_evidence_file",
            summary="Download an evidence file of an award (the provider's members)")
def evidence_file_download_api(request, award_id: str, evidence_id: str):
    award = selectors.award_get(actor=request.auth, public_id=award_id)
    evidence = selectors.evidence_get(actor=request.auth, award=award, public_id=evidence_id)
    if evidence.kind != evidence.Kind.FILE or not evidence.file:
        raise NotFound()  # a link: its address is in `url`
    extension = (evidence.file.name or "").rsplit(".", 1)[-1]
    return private_file_response(evidence.file, filename=f"evidence-{evidence.public_id}.{extension}",
                                 content_type=evidence.content_type or "application/octet-stream")
