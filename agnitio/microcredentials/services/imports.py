"""Learners from a spreadsheet: upload, column mapping, preview with per-row errors, then awards for the rows
without problems, issued in the background (a documents-engine job). Rows with problems are kept on the upload
(to download, fix and upload again): good rows are never held back by bad ones."""

from __future__ import annotations

import datetime
import functools
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from agnitio.core.errors import ApplicationError
from agnitio.core.problems import Problem
from agnitio.core.services import audit_record
from agnitio.core.spreadsheets import Table, guess_mapping, read_table, rejected_row, rejected_rows_xlsx, xlsx_bytes
from agnitio.core.validators import text_problem_kept

from ..models import Award, AwardImport, Specification
from .awards import LearnerIn, _require_issue, award_batch_start, award_create, learner_clean

PREVIEW_ROWS = 50
RATE_GROUP = "microcredentials.import"  # per account and hour, page and API together (AGNITIO_UPLOAD_RATE_LIMIT)
FIELD_LABELS = {
    "name": _("Name"),
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "email": _("E-mail"),
    "date_of_birth": _("Date of birth"),
    "national_id": _("National identifier"),
    "grade": _("Grade"),
    "assessed_on": _("Date of assessment"),
    "evidence": _("Evidence links"),
}
HEADINGS = {
    "name": ["vārds, uzvārds", "vārds uzvārds", "pilns vārds", "name", "full name", "learner", "izglītojamais"],
    "first_name": ["vārds", "vards", "first name", "given name", "given names", "firstname"],
    "last_name": ["uzvārds", "uzvards", "last name", "surname", "family name", "lastname"],
    "email": ["e-pasts", "epasts", "e-pasta adrese", "e-mail", "email", "email address", "e-mail address"],
    "date_of_birth": ["dzimšanas datums", "date of birth", "birth date", "dob"],
    "national_id": ["personas kods", "national identifier", "national id", "personal code", "identifier"],
    "grade": ["vērtējums", "atzīme", "grade", "result", "sasniegtais līmenis", "grade achieved"],
    "assessed_on": ["novērtēšanas datums", "vērtēšanas datums", "date of assessment", "assessment date",
                    "assessed on"],
    "evidence": ["pierādījumi", "pierādījums", "evidence", "evidence link", "evidence links", "links"],
}
FIELD_MAX_LENGTH = {"name": 200, "first_name": 150, "last_name": 150, "email": 254, "date_of_birth": 40,
                    "national_id": 64, "grade": 100, "assessed_on": 40, "evidence": 5000}
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%Y.%m.%d", "%d.%m.%y", "%Y/%m/%d"]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date_from(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = re.sub(r"\s+", "", str(value)).rstrip(".")
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


@dataclass
class ImportRow:
    line: int
    learner: LearnerIn | None = None
    errors: list[Problem] = field(default_factory=list)  # shown in the reader's language (core.problems)


@dataclass
class ImportPreview:
    headers: list[str]
    mapping: dict[int, str]
    rows: list[ImportRow]

    @property
    def error_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if r.errors]

    @property
    def valid_count(self) -> int:
        return sum(1 for r in self.rows if not r.errors)

    def as_dict(self) -> dict:
        return {"headers": self.headers, "mapping": {str(k): v for k, v in self.mapping.items()},
                "row_count": len(self.rows), "valid_count": self.valid_count,
                "error_count": len(self.error_rows),
                "errors": [{"line": r.line, "errors": [str(e) for e in r.errors]} for r in self.error_rows[:1000]]}


def import_mapping_guess(headers: list[str]) -> dict[int, str]:
    mapping = guess_mapping(headers, HEADINGS)
    if "name" in mapping.values():  # a full-name column wins over separate ones
        mapping = {i: f for i, f in mapping.items() if f not in ("first_name", "last_name")}
    return mapping


def _check_mapping(mapping: dict[int, str], width: int) -> None:
    values = list(mapping.values())
    if any(v not in FIELD_LABELS for v in values) or any(i < 0 or i >= width for i in mapping):
        raise ApplicationError(_("The column choice does not fit the table. Choose the columns again."),
                               code="mapping")
    doubled = {v for v in values if values.count(v) > 1}
    if doubled:
        raise ApplicationError(_("Each field can come from one column only: %(fields)s")
                               % {"fields": ", ".join(str(FIELD_LABELS[v]) for v in sorted(doubled))},
                               code="mapping")
    if "email" not in values or not ("name" in values or {"first_name", "last_name"} <= set(values)):
        raise ApplicationError(_("Choose the columns with the learner's name (one column, or first and last name) "
                                 "and e-mail."), code="mapping")


def preview_table(*, specification: Specification, table: Table,
                  mapping: dict[int, str] | None = None) -> ImportPreview:
    """Check every row (nothing saved); each error names its row. A learner already holding an issued award of
    this version, or the same e-mail twice in the table, is an error of that row."""
    mapping = import_mapping_guess(table.headers) if mapping is None else {int(k): v for k, v in mapping.items()}
    _check_mapping(mapping, len(table.headers))
    holders = set(Award.objects.filter(specification=specification, status=Award.Status.ISSUED)
                  .values_list("learner_email", flat=True))
    seen: dict[str, int] = {}
    rows: list[ImportRow] = []
    for offset, values in enumerate(table.rows):
        row = ImportRow(line=offset + 2)
        raw = {f: (values[i] if i < len(values) else "") for i, f in mapping.items()}
        for index, name in mapping.items():
            problem = text_problem_kept(_text(raw.get(name)), max_length=FIELD_MAX_LENGTH[name],
                                        label=Problem(gettext_noop("Row %(line)d, column “%(column)s”"), {
                                            "line": row.line, "column": table.headers[index] or index + 1}))
            if problem is not None:
                row.errors.append(problem[0])
                raw[name] = ""
        name = _text(raw.get("name"))
        if "name" not in mapping.values():  # separate columns: both parts are needed
            first, last = _text(raw.get("first_name")), _text(raw.get("last_name"))
            if not first:
                row.errors.append(Problem(gettext_noop("First name is missing.")))
            if not last:
                row.errors.append(Problem(gettext_noop("Last name is missing.")))
            name = " ".join(p for p in (first, last) if p)
        dates: dict[str, datetime.date | None] = {}
        for key, message in (("date_of_birth", gettext_noop("“%(value)s” is not a date of birth (write it as "
                                                            "31.12.2005 or 2005-12-31).")),
                             ("assessed_on", gettext_noop("“%(value)s” is not a date of assessment (write it as "
                                                          "31.12.2025 or 2025-12-31)."))):
            dates[key] = None
            if _text(raw.get(key)):
                dates[key] = _date_from(raw.get(key))
                if dates[key] is None:
                    row.errors.append(Problem(message, {"value": _text(raw.get(key))[:40]}))
        links = [x for x in re.split(r"[\s,;]+", _text(raw.get("evidence"))) if x]
        learner = LearnerIn(name=name, email=_text(raw.get("email")), date_of_birth=dates["date_of_birth"],
                            national_id=_text(raw.get("national_id")), grade=_text(raw.get("grade")),
                            assessed_on=dates["assessed_on"], evidence_links=links)
        try:
            learner = learner_clean(learner)
        except ApplicationError as error:
            row.errors.extend(error.extra.get("problems") or [Problem(str(error.message))])
        else:
            if learner.email in holders:
                row.errors.append(Problem(gettext_noop("%(email)s already holds this micro-credential."),
                                          {"email": learner.email}))
            elif learner.email in seen:
                row.errors.append(Problem(gettext_noop("The e-mail %(email)s is also on row %(line)d."),
                                          {"email": learner.email, "line": seen[learner.email]}))
            else:
                seen[learner.email] = row.line
        row.learner = learner
        rows.append(row)
    return ImportPreview(list(table.headers), mapping, rows)


def _cell_json(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, bool | int | float) or value is None:
        return value
    return str(value)


@transaction.atomic
def award_import_upload(*, actor, specification: Specification, data: bytes, filename: str,
                        languages: str = Award.DocumentLanguage.BOTH) -> AwardImport:
    """Keep an uploaded table for the mapping and preview steps, after checking that it can be read."""
    specification = _require_issue(actor, specification)
    if languages not in Award.DocumentLanguage.values:
        raise ApplicationError(_("Choose the language of the documents."), code="languages")
    table = read_table(data, filename)
    upload = AwardImport(organisation=specification.organisation, specification=specification,
                         original_name=filename[:255], file_format=table.file_format, row_count=len(table.rows),
                         languages=languages, created_by=actor)
    upload.file.save(f"{secrets.token_urlsafe(24)}.upload", ContentFile(data), save=False)
    upload.save()
    audit_record(actor=actor, action="create", target=upload, organisation=specification.organisation,
                 verb="learner table uploaded", changes={"rows": [None, len(table.rows)]})
    return upload


@dataclass
class ImportResult:
    awards: list[Award]
    rejected: list[dict]
    job: Any


def award_import_run(*, actor, upload: AwardImport, mapping: dict[int, str] | None = None,
                     data: bytes | None = None) -> ImportResult:
    """Make an award for every row without problems and start issuing them (one job); keep the other rows on the
    upload to fix. When no row is without problems nothing is saved (code "rows", the preview in `extra`). An
    upload is imported once."""
    with transaction.atomic():
        specification = _require_issue(actor, upload.specification)
        upload = AwardImport.objects.select_for_update().get(pk=upload.pk, specification=specification)
        if upload.status != AwardImport.Status.UPLOADED:
            raise ApplicationError(_("This table was already imported."), code="imported")
        if data is None:
            with upload.file.open("rb") as handle:
                data = handle.read()
        table = read_table(data, upload.original_name)
        preview = preview_table(specification=specification, table=table, mapping=mapping)
        if not preview.rows:
            raise ApplicationError(_("The table has no rows."), code="empty")
        if not preview.valid_count:
            raise ApplicationError(_("%(count)d rows have errors and no row is without problems. Correct them in the "
                                     "table and upload it again; nothing was saved.")
                                   % {"count": len(preview.error_rows)}, code="rows",
                                   extra={"preview": preview.as_dict()})
        awards = []
        for row in preview.rows:
            if row.errors or row.learner is None:
                continue
            awards.append(award_create(actor=actor, specification=specification, learner=row.learner,
                                       languages=upload.languages, award_import=upload, checked=True))
        width = len(table.headers)
        rejected = [rejected_row(line=row.line, problems=row.errors,
                                 cells=[_cell_json(v) for v in (list(table.rows[row.line - 2]) + [""] * width)[:width]])
                    for row in preview.error_rows]
        upload.status = AwardImport.Status.PARTIAL if rejected else AwardImport.Status.IMPORTED
        upload.row_count, upload.imported_count = len(preview.rows), len(awards)
        upload.rejected_rows, upload.headers = rejected, list(table.headers)
        upload.mapping = {str(k): v for k, v in preview.mapping.items()}
        upload.save(update_fields=["status", "row_count", "imported_count", "rejected_rows", "headers", "mapping",
                                   "updated_at"])
        audit_record(actor=actor, action="update", target=upload, organisation=specification.organisation,
                     verb="learners imported", changes={"awards": [None, len(awards)],
                                                        "rows not imported": [None, len(rejected)]})
        job = award_batch_start(actor=actor, specification=specification, awards=awards)
        name = upload.file.name
        if name:  # the table is not kept once its rows are saved (the rows to fix are on the record)
            transaction.on_commit(functools.partial(upload.file.storage.delete, name))
    return ImportResult(awards, rejected, job)


def award_import_rejected_xlsx(*, actor, upload: AwardImport) -> bytes:
    """The rows an import left out, with their problems (in the requester's language), as a table to fix and upload
    again."""
    _require_issue(actor, upload.specification)
    if not upload.rejected_rows:
        raise ApplicationError(_("No rows are waiting to be fixed."), code="none")
    return rejected_rows_xlsx(headers=upload.headers, rows=upload.rejected_rows)


EXAMPLE_HEADINGS = {
    "lv": ["Vārds", "Uzvārds", "E-pasts", "Dzimšanas datums", "Vērtējums", "Novērtēšanas datums", "Pierādījumi"],
    "en": ["First name", "Last name", "E-mail", "Date of birth", "Grade", "Date of assessment", "Evidence links"],
}
EXAMPLE_ROWS = [["Anna", "Bērziņa", "anna.berzina@example.org", "2001-05-14", "9", "2026-06-10",
                 "https://example.org/portfolio/anna"],
                ["Jonas", "Petraitis", "jonas@example.org", "", "8", "2026-06-10", ""]]


def example_table(language: str) -> bytes:
    language = language if language in EXAMPLE_HEADINGS else "en"
    return xlsx_bytes(EXAMPLE_HEADINGS[language], EXAMPLE_ROWS,
                      title="Izglītojamie" if language == "lv" else "Learners")



IMPORT_UPLOAD_MAX_AGE = datetime.timedelta(hours=24)


def award_imports_purge(*, now: datetime.datetime | None = None) -> int:
    """Retention: a learner table uploaded more than 24 hours ago and never imported is deleted with its file, and
    the rows an import left out (personal data) are cleared 24 hours after the import; the import stays on record.
    Idempotent; returns how many uploads were changed."""
    from django.utils import timezone

    from agnitio.core.models import AuditEvent

    now = now or timezone.now()
    changed = 0
    stale = AwardImport.objects.filter(status=AwardImport.Status.UPLOADED,
                                       created_at__lt=now - IMPORT_UPLOAD_MAX_AGE).select_related("organisation")
    for upload in stale.iterator():
        name = upload.file.name
        with transaction.atomic():
            deleted, _per_model = AwardImport.objects.filter(pk=upload.pk, status=AwardImport.Status.UPLOADED).delete()
            if not deleted:
                continue
            audit_record(actor=None, action=AuditEvent.Action.DELETE, target=upload, organisation=upload.organisation,
                         verb="learner table expired", changes={"rows": [upload.row_count, None]})
            if name:
                transaction.on_commit(functools.partial(upload.file.storage.delete, name))
        changed += 1
    kept = (AwardImport.objects.filter(status=AwardImport.Status.PARTIAL, updated_at__lt=now - IMPORT_UPLOAD_MAX_AGE)
            .exclude(rejected_rows=[]).select_related("organisation"))
    for upload in kept.iterator():
        with transaction.atomic():
            if not AwardImport.objects.filter(pk=upload.pk, updated_at=upload.updated_at).update(rejected_rows=[],
                                                                                                headers=[]):
                continue
            audit_record(actor=None, action=AuditEvent.Action.DELETE, target=upload, organisation=upload.organisation,
                         verb="rows not imported expired",
                         changes={"rows not imported": [len(upload.rejected_rows), None]})
        changed += 1
    return changed
