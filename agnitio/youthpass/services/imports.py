"""Participant import from a spreadsheet: column mapping, preview with per-row errors, then the commit.

Nothing is saved until `participants_import_commit`, which validates the whole table again and inserts every
row in one transaction (bulk inserts), or nothing when any row has an error. `participants_import_run` with
`partial=True` saves the rows without problems and hands back the others (kept on the upload, to download and fix)
so that good rows are never held back by bad ones.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_countries import countries

from agnitio.core.emails import email_normalise
from agnitio.core.errors import ApplicationError
from agnitio.core.models import AuditEvent
from agnitio.core.problems import Problem
from agnitio.core.services import audit_record
from agnitio.core.spreadsheets import rejected_row, rejected_rows_xlsx
from agnitio.core.storage import orphan_files_delete
from agnitio.core.validators import text_problem_kept

from ..models import Participant, ParticipantImport, Project
from ..spreadsheets import (
    FIELD_LABELS,
    Table,
    guess_mapping,
    language_from_text,
    normalise_heading,
    read_table,
    role_from_text,
)
from ._common import require_edit

RATE_GROUP = "youthpass.import"  # per account and hour, page and API together (AGNITIO_UPLOAD_RATE_LIMIT)
PREVIEW_ROWS = 50
# the longest text each field takes (the model's max_length); a longer cell is an error of its row
FIELD_MAX_LENGTH = {"first_name": 150, "last_name": 150, "email": 254, "country": 100, "date_of_birth": 40,
                    "place_of_birth": 200, "role": 100, "language": 40}
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%Y.%m.%d", "%d.%m.%y", "%Y/%m/%d"]


@cache
def _country_index() -> dict[str, str]:
    """Country names in English and Latvian, ISO alpha-2 and alpha-3 codes → alpha-2 code."""
    index: dict[str, str] = {}
    for language in ("en", "lv"):
        with translation.override(language):
            for code, name in countries:
                index[normalise_heading(name)] = code
    for code, _name in countries:
        index[normalise_heading(code)] = code
        alpha3 = countries.alpha3(code)
        if alpha3:
            index[normalise_heading(alpha3)] = code
    index.update({"uk": "GB", "el": "GR", "anglija": "GB", "england": "GB", "lielbritanija": "GB"})
    return index


def country_from_text(text: str) -> str | None:
    return _country_index().get(normalise_heading(text))


def _date_from(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    text = re.sub(r"\s+", "", text).rstrip(".")
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    return None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass
class ImportRow:
    line: int  # the row number in the spreadsheet (headings are row 1)
    data: dict = field(default_factory=dict)
    errors: list[Problem] = field(default_factory=list)  # shown in the reader's language (core.problems)


@dataclass
class ImportPreview:
    file_format: str
    headers: list[str]
    mapping: dict[int, str]
    rows: list[ImportRow]
    encoding: str = ""
    delimiter: str = ""

    @property
    def error_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if r.errors]

    @property
    def valid_count(self) -> int:
        return sum(1 for r in self.rows if not r.errors)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.error_rows

    def as_dict(self, *, limit: int = PREVIEW_ROWS) -> dict:
        return {
            "file_format": self.file_format, "encoding": self.encoding, "delimiter": self.delimiter,
            "headers": self.headers, "mapping": {str(k): v for k, v in self.mapping.items()},
            "row_count": len(self.rows), "valid_count": self.valid_count, "error_count": len(self.error_rows),
            "errors": [{"line": r.line, "errors": [str(e) for e in r.errors]} for r in self.error_rows[:1000]],
            "rows": [{"line": r.line, **{k: (v.isoformat() if isinstance(v, datetime.date) else v)
                                         for k, v in r.data.items()}} for r in self.rows[:limit]],
        }


def _check_mapping(mapping: dict[int, str], width: int) -> None:
    values = list(mapping.values())
    unknown = [v for v in values if v not in FIELD_LABELS]
    if unknown or any(i < 0 or i >= width for i in mapping):
        raise ApplicationError(_("The column choice does not fit the table. Choose the columns again."),
                               code="mapping")
    doubled = {v for v in values if values.count(v) > 1}
    if doubled:
        raise ApplicationError(_("Each field can come from one column only: %(fields)s")
                               % {"fields": ", ".join(str(FIELD_LABELS[v]) for v in sorted(doubled))},
                               code="mapping")
    missing = [f for f in ("first_name", "last_name") if f not in values]
    if missing:
        raise ApplicationError(_("Choose the columns with the first name and the last name (they must be separate "
                                 "columns)."), code="mapping")


def preview_table(*, project: Project, table: Table, mapping: dict[int, str] | None = None,
                  default_role: str = Participant.Role.PARTICIPANT) -> ImportPreview:
    """Validate every row; errors name the row and what is wrong. Reads existing participants once."""
    mapping = guess_mapping(table.headers) if mapping is None else {int(k): v for k, v in mapping.items()}
    _check_mapping(mapping, len(table.headers))
    existing_emails = set(project.participants.exclude(email="").values_list("email", flat=True))
    existing_people = {(normalise_heading(f), normalise_heading(la), d)
                       for f, la, d in project.participants.values_list("first_name", "last_name", "date_of_birth")}
    seen_emails: dict[str, int] = {}
    seen_people: dict[tuple, int] = {}
    languages = dict(settings.LANGUAGES)
    rows: list[ImportRow] = []
    for offset, values in enumerate(table.rows):
        row = ImportRow(line=offset + 2)
        raw = {f: (values[i] if i < len(values) else "") for i, f in mapping.items()}
        data = row.data
        refused: set[str] = set()
        for index, name in mapping.items():
            # every mapped cell: no control characters, no longer than its field (the row and column are named)
            problem = text_problem_kept(_text(raw.get(name)), max_length=FIELD_MAX_LENGTH.get(name, 200),
                                        label=Problem(gettext_noop("Row %(line)d, column “%(column)s”"), {
                                            "line": row.line, "column": table.headers[index] or index + 1}))
            if problem is not None:
                row.errors.append(problem[0])
                refused.add(name)
                raw[name] = ""
        data["first_name"] = _text(raw.get("first_name"))
        data["last_name"] = _text(raw.get("last_name"))
        if not data["first_name"] and "first_name" not in refused:
            row.errors.append(Problem(gettext_noop("First name is missing.")))
        if not data["last_name"] and "last_name" not in refused:
            row.errors.append(Problem(gettext_noop("Last name is missing.")))
        email = email_normalise(_text(raw.get("email")))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row.errors.append(Problem(gettext_noop("“%(value)s” is not a valid e-mail address."),
                                          {"value": email}))
        data["email"] = email
        country_text = _text(raw.get("country"))
        data["country"] = ""
        if country_text:
            code = country_from_text(country_text)
            if code is None:
                row.errors.append(Problem(gettext_noop("Unknown country “%(value)s”: write its name in Latvian or "
                                                       "English, or its ISO code (such as LV)."),
                                          {"value": country_text}))
            else:
                data["country"] = code
        dob_value = raw.get("date_of_birth")
        data["date_of_birth"] = None
        if _text(dob_value):
            dob = _date_from(dob_value)
            if dob is None or not datetime.date(1900, 1, 1) <= dob <= datetime.date.today():
                row.errors.append(Problem(gettext_noop("“%(value)s” is not a date of birth (write it as 31.12.2005 "
                                                       "or 2005-12-31)."), {"value": _text(dob_value)}))
            else:
                data["date_of_birth"] = dob
        data["place_of_birth"] = _text(raw.get("place_of_birth"))
        role_text = _text(raw.get("role"))
        data["role"] = default_role
        if role_text:
            role = role_from_text(role_text)
            if role is None:
                row.errors.append(Problem(gettext_noop("Unknown role “%(value)s”: write participant or team "
                                                       "member."), {"value": role_text}))
            else:
                data["role"] = role
        language_text = _text(raw.get("language"))
        data["language"] = "lv"
        if language_text:
            language = language_from_text(language_text)
            if language not in languages:
                row.errors.append(Problem(gettext_noop("Unknown language “%(value)s”: write lv or en."),
                                          {"value": language_text}))
            else:
                data["language"] = language
        if email:
            if email in existing_emails:
                row.errors.append(Problem(gettext_noop("A participant with the e-mail %(email)s is already in this "
                                                       "project."), {"email": email}))
            elif email in seen_emails:
                row.errors.append(Problem(gettext_noop("The e-mail %(email)s is also on row %(line)d."),
                                          {"email": email, "line": seen_emails[email]}))
            else:
                seen_emails[email] = row.line
        if data["first_name"] and data["last_name"]:
            person = (normalise_heading(data["first_name"]), normalise_heading(data["last_name"]),
                      data["date_of_birth"])
            if person in existing_people:
                row.errors.append(Problem(gettext_noop("%(name)s is already in this project."), {
                    "name": f"{data['first_name']} {data['last_name']}"}))
            elif person in seen_people and not email:
                row.errors.append(Problem(gettext_noop("The same person is also on row %(line)d."),
                                          {"line": seen_people[person]}))
            else:
                seen_people.setdefault(person, row.line)
        rows.append(row)
    return ImportPreview(table.file_format, table.headers, mapping, rows, table.encoding, table.delimiter)


def _check_project(actor, project: Project) -> Project:
    return require_edit(actor, project)


def participants_import_preview(*, actor, project: Project, data: bytes, filename: str = "",
                                mapping: dict[int, str] | None = None, encoding: str = "",
                                default_role: str = Participant.Role.PARTICIPANT) -> ImportPreview:
    """Read and check the table without saving anything."""
    project = _check_project(actor, project)
    table = read_table(data, filename, encoding=encoding)
    return preview_table(project=project, table=table, mapping=mapping, default_role=default_role)


@dataclass
class ImportResult:
    people: list[Participant]
    rejected: list[dict]  # the rows not imported, as kept (core.spreadsheets.rejected_row)
    headers: list[str]


def _cell_json(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, bool | int | float) or value is None:
        return value
    return str(value)


def participants_import_commit(*, actor, project: Project, data: bytes, filename: str = "",
                               mapping: dict[int, str] | None = None, encoding: str = "",
                               activities=None, default_role: str = Participant.Role.PARTICIPANT,
                               upload: ParticipantImport | None = None) -> list[Participant]:
    """All rows or none: when any row has an error, ApplicationError carries the preview and nothing is saved."""
    return participants_import_run(actor=actor, project=project, data=data, filename=filename, mapping=mapping,
                                   encoding=encoding, activities=activities, default_role=default_role,
                                   upload=upload).people


@transaction.atomic
def participants_import_run(*, actor, project: Project, data: bytes, filename: str = "",
                            mapping: dict[int, str] | None = None, encoding: str = "",
                            activities=None, default_role: str = Participant.Role.PARTICIPANT,
                            upload: ParticipantImport | None = None, partial: bool = False) -> ImportResult:
    """Save the table's people. Without `partial`, all rows or none (ApplicationError with the preview when any row
    has an error). With `partial`, the rows without problems are saved and the others returned (and kept on
    `upload`, with the table's headings, to be downloaded and fixed); when no row is without problems, nothing is
    saved. An upload is imported once: a second commit (a double click, a second tab) is refused."""
    project = _check_project(actor, project)
    activities = list(activities or [])
    if any(a.project_id != project.pk for a in activities):
        raise ApplicationError(_("Choose activities of this project."), code="activities")
    # lock the project so two imports of the same table cannot both pass the duplicate check
    Project.objects.select_for_update().filter(pk=project.pk).first()
    if upload is not None:
        upload = ParticipantImport.objects.select_for_update().get(pk=upload.pk)
        if upload.status != ParticipantImport.Status.UPLOADED:
            raise ApplicationError(_("This table was already imported."), code="imported")
    table = read_table(data, filename, encoding=encoding)
    preview = preview_table(project=project, table=table, mapping=mapping, default_role=default_role)
    if not preview.rows:
        raise ApplicationError(_("The table has no rows."), code="empty")
    if preview.error_rows and (not partial or not preview.valid_count):
        message = (_("%(count)d rows have errors. Correct them in the table and upload it again, or import the "
                     "rows without problems now; nothing was saved.") if preview.valid_count else
                   _("%(count)d rows have errors and no row is without problems. Correct them in the table and "
                     "upload it again; nothing was saved."))
        raise ApplicationError(message % {"count": len(preview.error_rows)}, code="rows",
                               extra={"preview": preview.as_dict()})
    good = [row for row in preview.rows if not row.errors]
    width = len(table.headers)
    rejected = [rejected_row(line=row.line, problems=row.errors,
                             cells=[_cell_json(v) for v in (list(table.rows[row.line - 2]) + [""] * width)[:width]])
                for row in preview.error_rows]
    people = [Participant(organisation=project.organisation, project=project, **row.data) for row in good]
    Participant.objects.bulk_create(people, batch_size=1000)
    if activities:
        through = Participant.activities.through
        through.objects.bulk_create(
            [through(participant_id=p.pk, activity_id=a.pk) for p in people for a in activities], batch_size=2000)
    actor_label = getattr(actor, "email", "") or "system"
    AuditEvent.objects.bulk_create([
        AuditEvent(actor=actor, actor_label=actor_label, organisation=project.organisation, action="create",
                   verb="imported", object_type=Participant._meta.label, object_id=p.public_id,
                   object_repr=str(p)[:255]) for p in people], batch_size=1000)
    changes = {"participants": [None, len(people)]}
    if rejected:
        changes["rows not imported"] = [None, len(rejected)]
    audit_record(actor=actor, action="update", target=project, organisation=project.organisation,
                 verb="participants imported", changes=changes)
    if upload is not None:
        upload.status = ParticipantImport.Status.PARTIAL if rejected else ParticipantImport.Status.IMPORTED
        upload.row_count, upload.imported_count = len(preview.rows), len(people)
        upload.rejected_rows, upload.headers = rejected, list(table.headers)
        upload.save(update_fields=["status", "row_count", "imported_count", "rejected_rows", "headers",
                                   "updated_at"])
        name = upload.file.name
        if name:  # the uploaded table is not kept once its people are saved (the rows not imported are on the record)
            transaction.on_commit(functools.partial(upload.file.storage.delete, name))
    return ImportResult(people, rejected, list(table.headers))


def import_rejected_xlsx(*, actor, upload: ParticipantImport) -> bytes:
    """The rows a partial import left out, as a table to fix and upload again: the original headings and cells
    with the row number and the problems (in the requester's language) in two more columns, which the import does
    not read."""
    _check_project(actor, upload.project)
    if not upload.rejected_rows:
        raise ApplicationError(_("No rows are waiting to be fixed."), code="none")
    return rejected_rows_xlsx(headers=upload.headers, rows=upload.rejected_rows)


@transaction.atomic
def participant_import_upload(*, actor, project: Project, data: bytes, filename: str) -> ParticipantImport:
    """Keep an uploaded table for the mapping and preview steps, after checking that it can be read."""
    import secrets

    from django.core.files.base import ContentFile

    project = _check_project(actor, project)
    table = read_table(data, filename)
    upload = ParticipantImport(organisation=project.organisation, project=project, original_name=filename[:255],
                               file_format=table.file_format, row_count=len(table.rows), created_by=actor)
    # a random name: the table holds personal data and media may be served by name
    upload.file.save(f"{secrets.token_urlsafe(24)}.upload", ContentFile(data), save=False)
    upload.save()
    audit_record(actor=actor, action="create", target=upload, organisation=project.organisation,
                 verb="participant table uploaded", changes={"rows": [None, len(table.rows)]})
    return upload


IMPORT_UPLOAD_MAX_AGE = datetime.timedelta(hours=24)


def participant_imports_purge_abandoned(*, now: datetime.datetime | None = None) -> int:
    """Retention: an uploaded participant table that was not imported within 24 hours is deleted with its file
    (it holds personal data nobody asked to keep). Idempotent and safe to run twice at once; returns how many."""
    now = now or timezone.now()
    stale = ParticipantImport.objects.filter(status=ParticipantImport.Status.UPLOADED,
                                             created_at__lt=now - IMPORT_UPLOAD_MAX_AGE)
    removed = 0
    for upload in stale.select_related("organisation").iterator():
        name = upload.file.name
        with transaction.atomic():
            deleted, _per_model = ParticipantImport.objects.filter(
                pk=upload.pk, status=ParticipantImport.Status.UPLOADED).delete()
            if not deleted:
                continue  # imported or removed meanwhile
            audit_record(actor=None, action=AuditEvent.Action.DELETE, target=upload,
                         organisation=upload.organisation, verb="participant table expired",
                         changes={"rows": [upload.row_count, None]})
            if name:
                storage = upload.file.storage
                transaction.on_commit(functools.partial(storage.delete, name))
        removed += 1
    return removed + _rejected_rows_purge(now=now) + _orphan_upload_files_purge(now=now)


def _rejected_rows_purge(*, now: datetime.datetime) -> int:
    """The rows a partial import left out hold personal data too: kept for 24 hours after the import, then cleared
    (the import itself stays on record)."""
    removed = 0
    for upload in (ParticipantImport.objects.filter(status=ParticipantImport.Status.PARTIAL,
                                                    updated_at__lt=now - IMPORT_UPLOAD_MAX_AGE)
                   .select_related("organisation").iterator()):
        if not upload.rejected_rows:
            continue
        with transaction.atomic():
            count = len(upload.rejected_rows)
            updated = ParticipantImport.objects.filter(pk=upload.pk, updated_at=upload.updated_at).update(
                rejected_rows=[], headers=[])
            if not updated:
                continue
            audit_record(actor=None, action=AuditEvent.Action.DELETE, target=upload,
                         organisation=upload.organisation, verb="rows not imported expired",
                         changes={"rows not imported": [count, None]})
        removed += 1
    return removed


def _orphan_upload_files_purge(*, now: datetime.datetime) -> int:
    """Files in the uploads folder that no upload row names any more (e.g. the project was deleted, which deletes
    its upload rows but not their files) and are older than 24 hours. Through the storage API (any back-end)."""
    folder = str(ParticipantImport._meta.get_field("file").upload_to)
    return len(orphan_files_delete(model=ParticipantImport, field="file", folder=folder,
                                   cutoff=now - IMPORT_UPLOAD_MAX_AGE))
