"""Reading ESCO CSV files (the portal's "classification" download) into `EscoConcept` rows.

Accepts a zip as downloaded, a folder it was unpacked into, or one CSV file. Files are recognised by name:
`skills_<lang>.csv`, `occupations_<lang>.csv` and, where the download has it, `occupationSkillRelations_<lang>.csv`
(the language comes from the names unless given). Everything is bounded — archive size, each file's unpacked size
(counted while reading, not trusted from the zip directory), rows per file, length of every field — and streamed:
rows are read one by one and written in batches, so memory does not grow with the file.

Writes are upserts keyed by (uri, language): a second import of the same file changes nothing, a newer file
updates what changed. Concepts missing from a newer file are kept (documents may still name them).
The model classes are parameters so the data migration can pass its historical models.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from agnitio.core.errors import ApplicationError

# The official ESCO v1.1.1 classification in English, shipped with the app (loaded by migration 0002).
SHIPPED_ENGLISH = (Path(__file__).resolve().parent.parent / "data"
                   / "ESCO dataset - v1.1.1 - classification - en - csv.zip")
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024  # the whole download in every language is ~80 MB
MAX_FILE_BYTES = 120 * 1024 * 1024  # one unpacked CSV (skills_en.csv: 9.5 MB; other scripts take more bytes)
MAX_COMPRESSION_RATIO = 100  # ESCO CSVs compress ~5:1; far more is a zip bomb
MAX_ROWS = 200_000  # per file (13,896 skills, 3,007 occupations, ~130,000 relations in v1.1)
MAX_LABEL = 500
MAX_ALT_LABELS = 200
MAX_DESCRIPTION = 10_000
BATCH = 1000

LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(?:-[a-z]{2,4})?$")
FILE_PATTERN = re.compile(r"^(skills|occupations|occupationSkillRelations)_([A-Za-z]{2,3}(?:-[A-Za-z]{2,4})?)\.csv$")
URI_PREFIX = {"skill": "http://data.europa.eu/esco/skill/", "occupation": "http://data.europa.eu/esco/occupation/"}
KIND_OF_FILE = {"skills": "skill", "occupations": "occupation", "occupationSkillRelations": "relations"}
REQUIRED_COLUMNS = {
    "skill": {"conceptUri", "preferredLabel"},
    "occupation": {"conceptUri", "preferredLabel"},
    "relations": {"occupationUri", "relationType", "skillUri"},
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONCEPT_FIELDS = ("kind", "preferred_label", "alt_labels", "description", "skill_type", "reuse_level", "code")


class EscoImportError(ApplicationError):
    pass


@dataclass(frozen=True)
class Source:
    kind: str  # skill | occupation | relations
    language: str
    name: str
    open: Callable[[], IO[bytes]]


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0

    @property
    def read(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class ImportResult:
    language: str
    source: str
    counts: dict[str, Counts] = field(default_factory=dict)
    revision: str = ""


class _BoundedReader(io.RawIOBase):
    """Counts the bytes really read (a zip's directory may lie about sizes) and stops past the limit."""

    def __init__(self, raw: IO[bytes], limit: int, name: str):
        self.raw, self.limit, self.name, self.total = raw, limit, name, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        self.total += len(data)
        if self.total > self.limit:
            raise EscoImportError(_("%(name)s is larger than %(mb)d MB.") % {"name": self.name,
                                                                             "mb": self.limit // (1024 * 1024)},
                                  code="esco_file_too_large")
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        self.raw.close()
        super().close()


def _match(name: str) -> tuple[str, str] | None:
    found = FILE_PATTERN.match(Path(name).name)
    if not found:
        return None
    return KIND_OF_FILE[found.group(1)], found.group(2).lower()


def _file_opener(path: Path) -> Callable[[], IO[bytes]]:
    return lambda: path.open("rb")


def sources_find(path: Path, *, language: str | None = None) -> tuple[str, list[Source]]:
    """The language and the files to read, skills and occupations first (relations name their URIs)."""
    if language is not None and not LANGUAGE_PATTERN.match(language):
        raise EscoImportError(_("“%(language)s” is not a language code such as lv or en.") % {"language": language},
                              code="esco_language")
    if not path.exists():
        raise EscoImportError(_("There is no file or folder %(path)s.") % {"path": path}, code="esco_missing")
    found: list[Source] = []
    if path.is_dir():
        for child in sorted(path.iterdir()):
            matched = _match(child.name)
            if matched and child.is_file():
                if child.stat().st_size > MAX_FILE_BYTES:
                    raise EscoImportError(_("%(name)s is larger than %(mb)d MB.") % {
                        "name": child.name, "mb": MAX_FILE_BYTES // (1024 * 1024)}, code="esco_file_too_large")
                found.append(Source(matched[0], matched[1], child.name, _file_opener(child)))
    elif zipfile.is_zipfile(path):
        if path.stat().st_size > MAX_ARCHIVE_BYTES:
            raise EscoImportError(_("The archive is larger than %(mb)d MB.") % {
                "mb": MAX_ARCHIVE_BYTES // (1024 * 1024)}, code="esco_file_too_large")
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
        for info in infos:
            matched = _match(info.filename)
            if not matched or info.is_dir():
                continue
            if info.file_size > MAX_FILE_BYTES or info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
                raise EscoImportError(_("%(name)s in the archive is too large when unpacked.") % {
                    "name": info.filename}, code="esco_file_too_large")

            def opener(name=info.filename) -> IO[bytes]:
                archive = zipfile.ZipFile(path)
                stream = archive.open(name)
                original_close = stream.close

                def close() -> None:
                    original_close()
                    archive.close()

                stream.close = close  # type: ignore[method-assign]
                return stream

            found.append(Source(matched[0], matched[1], Path(info.filename).name, opener))
    else:
        matched = _match(path.name)
        if matched is None:
            raise EscoImportError(
                _("%(name)s is not an ESCO file: expected a zip, a folder, or skills_<language>.csv, "
                  "occupations_<language>.csv or occupationSkillRelations_<language>.csv.") % {"name": path.name},
                code="esco_not_esco")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise EscoImportError(_("%(name)s is larger than %(mb)d MB.") % {
                "name": path.name, "mb": MAX_FILE_BYTES // (1024 * 1024)}, code="esco_file_too_large")
        found.append(Source(matched[0], matched[1], path.name, _file_opener(path)))
    languages = sorted({source.language for source in found})
    if language is not None:
        found = [source for source in found if source.language == language]
    elif len(languages) > 1:
        raise EscoImportError(_("The files are in several languages (%(languages)s): choose one with --language.")
                              % {"languages": ", ".join(languages)}, code="esco_languages")
    if not any(source.kind in ("skill", "occupation") for source in found):
        raise EscoImportError(_("No ESCO skills or occupations file (skills_<language>.csv, "
                                "occupations_<language>.csv) was found%(language)s.") % {
            "language": f" ({language})" if language else ""}, code="esco_empty")
    order = {"skill": 0, "occupation": 1, "relations": 2}
    found.sort(key=lambda source: order[source.kind])
    return (language or found[0].language), found


def csv_rows(source: Source) -> Iterator[dict[str, str]]:
    """The file's rows as dicts, streamed; the header must name the columns this kind needs."""
    raw = _BoundedReader(source.open(), MAX_FILE_BYTES, source.name)
    text = io.TextIOWrapper(io.BufferedReader(raw), encoding="utf-8-sig", newline="")
    try:
        reader = csv.DictReader(text)
        missing = REQUIRED_COLUMNS[source.kind] - set(reader.fieldnames or ())
        if missing:
            raise EscoImportError(_("%(name)s lacks the columns %(columns)s.") % {
                "name": source.name, "columns": ", ".join(sorted(missing))}, code="esco_columns")
        for number, row in enumerate(reader, start=1):
            if number > MAX_ROWS:
                raise EscoImportError(_("%(name)s has more than %(rows)d rows.") % {
                    "name": source.name, "rows": MAX_ROWS}, code="esco_too_many_rows")
            yield row
    except UnicodeDecodeError:
        raise EscoImportError(_("%(name)s is not UTF-8 text.") % {"name": source.name},
                              code="esco_encoding") from None
    except csv.Error as exc:
        raise EscoImportError(_("%(name)s is not a readable CSV file (%(error)s).") % {
            "name": source.name, "error": exc}, code="esco_csv") from None
    finally:
        text.close()


def _clean(value: str | None, limit: int) -> str:
    return _CONTROL.sub("", (value or "").replace("\r\n", "\n").replace("\r", "\n")).strip()[:limit]


def concept_from_row(row: dict[str, str], kind: str) -> dict[str, Any] | None:
    """The fields of one concept, or None for a row that is not one (wrong URI, no label)."""
    uri = (row.get("conceptUri") or "").strip()
    label = _clean(row.get("preferredLabel"), MAX_LABEL + 1).replace("\n", " ")
    if not uri.startswith(URI_PREFIX[kind]) or len(uri) > 255 or not label or len(label) > MAX_LABEL:
        return None
    alts: list[str] = []
    for alt in _clean(row.get("altLabels"), MAX_ALT_LABELS * (MAX_LABEL + 1)).split("\n"):
        alt = alt.strip()
        if alt and len(alt) <= MAX_LABEL and alt != label and alt not in alts:
            alts.append(alt)
    return {
        "uri": uri, "kind": kind, "preferred_label": label, "alt_labels": "\n".join(alts[:MAX_ALT_LABELS]),
        "description": _clean(row.get("description"), MAX_DESCRIPTION),
        "skill_type": _clean(row.get("skillType"), 32) if kind == "skill" else "",
        "reuse_level": _clean(row.get("reuseLevel"), 32) if kind == "skill" else "",
        "code": _clean(row.get("code"), 32) if kind == "occupation" else "",
    }


def _batches(iterable, size: int = BATCH):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _write_concepts(model, language: str, batch: list[dict[str, Any]], counts: Counts) -> None:
    rows = {row["uri"]: row for row in batch}  # a URI twice in one batch: the last row wins
    existing = {values[0]: values[1:] for values in model.objects.filter(language=language, uri__in=list(rows))
                .values_list("uri", "id", *CONCEPT_FIELDS)}
    new, changed = [], []
    for uri, row in rows.items():
        if uri not in existing:
            new.append(model(language=language, **row))
            continue
        pk, *old = existing[uri]
        if tuple(old) == tuple(row[name] for name in CONCEPT_FIELDS):
            counts.unchanged += 1
        else:
            changed.append(model(id=pk, language=language, **row))
    model.objects.bulk_create(new, batch_size=BATCH)
    if changed:
        model.objects.bulk_update(changed, list(CONCEPT_FIELDS), batch_size=200)
    counts.created += len(new)
    counts.updated += len(changed)


def _write_relations(model, batch: list[tuple[str, str, str]], counts: Counts) -> None:
    rows = {(occupation, skill): relation for occupation, skill, relation in batch}
    occupations = {occupation for occupation, _skill in rows}
    existing = {(o, s): (pk, r) for pk, o, s, r in model.objects.filter(occupation_uri__in=occupations)
                .values_list("id", "occupation_uri", "skill_uri", "relation_type")}
    new, changed = [], []
    for (occupation, skill), relation in rows.items():
        if (occupation, skill) not in existing:
            new.append(model(occupation_uri=occupation, skill_uri=skill, relation_type=relation))
        elif existing[(occupation, skill)][1] != relation:
            changed.append(model(id=existing[(occupation, skill)][0], occupation_uri=occupation, skill_uri=skill,
                                 relation_type=relation))
        else:
            counts.unchanged += 1
    model.objects.bulk_create(new, batch_size=BATCH)
    if changed:
        model.objects.bulk_update(changed, ["relation_type"], batch_size=200)
    counts.created += len(new)
    counts.updated += len(changed)


def _relation_rows(source: Source, counts: Counts) -> Iterator[tuple[str, str, str]]:
    for row in csv_rows(source):
        occupation = (row.get("occupationUri") or "").strip()
        skill = (row.get("skillUri") or "").strip()
        relation = (row.get("relationType") or "").strip().lower()
        if (occupation.startswith(URI_PREFIX["occupation"]) and skill.startswith(URI_PREFIX["skill"])
                and len(occupation) <= 255 and len(skill) <= 255 and relation in ("essential", "optional")):
            yield occupation, skill, relation
        else:
            counts.skipped += 1


def _concept_rows(source: Source, counts: Counts) -> Iterator[dict[str, Any]]:
    for row in csv_rows(source):
        concept = concept_from_row(row, source.kind)
        if concept is None:
            counts.skipped += 1
        else:
            yield concept


def load(path: Path, *, language: str | None = None, concept_model=None, relation_model=None,
         dataset_model=None) -> ImportResult:
    """Read the files at `path` and write them (the caller holds the transaction)."""
    if concept_model is None:
        from agnitio.frameworks.models import EscoConcept, EscoDataset, EscoSkillRelation

        concept_model, relation_model, dataset_model = EscoConcept, EscoSkillRelation, EscoDataset
    language, sources = sources_find(path, language=language)
    result = ImportResult(language=language, source=path.name[:255])
    for source in sources:
        counts = result.counts.setdefault(source.kind, Counts())
        if source.kind == "relations":
            for batch in _batches(_relation_rows(source, counts)):
                _write_relations(relation_model, batch, counts)
        else:
            for batch in _batches(_concept_rows(source, counts)):
                _write_concepts(concept_model, language, batch, counts)
    result.revision = secrets.token_hex(8)
    totals = {kind: concept_model.objects.filter(language=language, kind=kind).count()
              for kind in ("skill", "occupation")}
    dataset_model.objects.update_or_create(language=language, defaults={
        "source": result.source, "skills": totals["skill"], "occupations": totals["occupation"],
        "relations": relation_model.objects.count(), "revision": result.revision})
    return result

