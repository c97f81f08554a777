"""Reads of the competence frameworks shipped in `data/competence_frameworks.json`, and of ESCO (below).

The data are read-only reference data (not organisation-owned), so there is no actor: everyone may read them.
The file is loaded once per process and never retyped in code.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError, NotFound

from .esco.index import EscoIndex
from .models import EscoConcept, EscoDataset, EscoSkillRelation

DATA_FILE = Path(__file__).resolve().parent / "data" / "competence_frameworks.json"

# Framework ids used by the rest of the application (they are the ids in the data file).
KEY_COMPETENCES = "key_competences_2018"
ETS_MODEL = "ets_youth_workers"
PROFESSIONAL = "professional"
OTHER = "other"

# The seed (000) defines a competence as knowledge + skills + attitudes and gives an example of each; the data
# file has no per-competence prompts, so every competence gets the same three guiding questions, next to its own
# description where the file has one.
KSA_PROMPTS = (
    ("knowledge", _("Knowledge"), _("What do you now know or understand that you did not before? Why does it matter?")),
    ("skills", _("Skills"), _("What can you now do, or do better? Give an example of when you did it.")),
    ("attitudes", _("Attitudes"), _("What has changed in how you see things or what motivates you to act?")),
)


def _pick(texts: dict[str, str] | None, language: str | None = None) -> str:
    if not texts:
        return ""
    language = (language or get_language() or "en")[:2]
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


@dataclass(frozen=True)
class Prompt:
    key: str
    label: str
    question: str


@dataclass(frozen=True)
class Competence:
    framework_id: str
    id: str
    titles: dict[str, str]
    descriptions: dict[str, str] = field(default_factory=dict)

    def title(self, language: str | None = None) -> str:
        return _pick(self.titles, language)

    def description(self, language: str | None = None) -> str:
        return _pick(self.descriptions, language)

    @property
    def prompts(self) -> list[Prompt]:
        return [Prompt(key, str(label), str(question)) for key, label, question in KSA_PROMPTS]


@dataclass(frozen=True)
class Framework:
    id: str
    titles: dict[str, str]
    used_for: str
    competences: tuple[Competence, ...]
    descriptions: dict[str, str] = field(default_factory=dict)

    def title(self, language: str | None = None) -> str:
        return _pick(self.titles, language)

    def description(self, language: str | None = None) -> str:
        """What a free section (professional, other competences) is for, in the learner's words."""
        return _pick(self.descriptions, language)

    @property
    def is_free_section(self) -> bool:
        """Professional and other competences have no fixed list: the learner writes free text."""
        return not self.competences


@dataclass(frozen=True)
class EqfLevel:
    level: int
    summaries: dict[str, str]

    def summary(self, language: str | None = None) -> str:
        return _pick(self.summaries, language)


@cache
def _load() -> dict:
    with DATA_FILE.open(encoding="utf-8") as handle:
        raw = json.load(handle)
    frameworks = {}
    for item in raw["frameworks"]:
        competences = tuple(
            Competence(framework_id=item["id"], id=c["id"], titles=dict(c["title"]),
                       descriptions=dict(c.get("description") or {}))
            for c in item.get("competences", [])
        )
        frameworks[item["id"]] = Framework(id=item["id"], titles=dict(item["title"]),
                                           used_for=item.get("used_for", ""), competences=competences,
                                           descriptions=dict(item.get("description") or {}))
    eqf = tuple(EqfLevel(level=e["level"], summaries=dict(e["summary"])) for e in raw.get("eqf_levels", []))
    return {"frameworks": frameworks, "eqf": eqf, "about": raw.get("_about", "")}


def framework_list() -> list[Framework]:
    return list(_load()["frameworks"].values())


def framework_get(*, framework_id: str) -> Framework:
    try:
        return _load()["frameworks"][framework_id]
    except KeyError:
        raise NotFound() from None


def competence_get(*, framework_id: str, competence_id: str) -> Competence:
    for competence in framework_get(framework_id=framework_id).competences:
        if competence.id == competence_id:
            return competence
    raise NotFound()


def eqf_level_list() -> list[EqfLevel]:
    return list(_load()["eqf"])


def frameworks_for_role(*, role: str, professional: bool = False) -> list[Framework]:
    """The sections a learner writes in: participants use the 8 key competences, team members the ETS model;
    ESC jobs and traineeships add "professional competences"; "other competences" always come last."""
    main = ETS_MODEL if role == "team_member" else KEY_COMPETENCES
    ids = [main, *([PROFESSIONAL] if professional else []), OTHER]
    return [framework_get(framework_id=i) for i in ids]


# --- ESCO (skills and occupations; reference data in the database, see models.py) ----------------------------------
# Searches run against an in-memory index per language (esco/index.py), built lazily from the database on the first
# search and rebuilt when that language's dataset revision changes (every import sets a new one; each search reads
# the revision, one small query, so every process notices an import made by another).

ESCO_QUERY_MAX = 100
ESCO_LIMIT_MAX = 50
ESCO_URIS_MAX = 500
ESCO_FALLBACK_LANGUAGE = "en"
ESCO_ATTRIBUTION = _("This service uses the ESCO classification of the European Commission.")
_ESCO_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[a-z]{2,4})?$")
_esco_indexes: dict[str, tuple[str, EscoIndex]] = {}
_esco_lock = threading.Lock()


@dataclass(frozen=True)
class EscoConceptData:
    uri: str
    kind: str
    language: str
    preferred_label: str
    alt_labels: tuple[str, ...]
    description: str
    skill_type: str = ""
    reuse_level: str = ""
    code: str = ""
    matched_label: str = ""  # the alternative label that matched a search, if not the preferred one


@dataclass(frozen=True)
class EscoSearchResult:
    query: str
    language: str  # the language of the results
    requested_language: str
    fallback: bool  # True when the requested language has no ESCO data and English was searched instead
    items: list[EscoConceptData]


@dataclass(frozen=True)
class EscoOccupationSkill:
    skill: EscoConceptData
    relation_type: str  # essential | optional


def _esco_data(concept: EscoConcept, matched_label: str = "") -> EscoConceptData:
    return EscoConceptData(
        uri=concept.uri, kind=concept.kind, language=concept.language, preferred_label=concept.preferred_label,
        alt_labels=tuple(concept.alt_label_list), description=concept.description, skill_type=concept.skill_type,
        reuse_level=concept.reuse_level, code=concept.code, matched_label=matched_label)


def esco_language_clean(language: str | None) -> str:
    """The language code searched ("lv", "en", ...): the given one, or the interface language."""
    code = (language or get_language() or ESCO_FALLBACK_LANGUAGE).strip().lower().replace("_", "-")
    if not _ESCO_LANGUAGE.match(code):
        raise ApplicationError(_("“%(language)s” is not a language code such as lv or en.") % {"language": code[:20]},
                               code="invalid_language")
    return code


def _esco_language_candidates(requested: str) -> list[str]:
    """"lv-lv" → lv-lv, lv, en: the language asked for, its base language, then English."""
    return list(dict.fromkeys([requested, requested.split("-")[0], ESCO_FALLBACK_LANGUAGE]))


def _esco_revisions(languages: list[str]) -> dict[str, str]:
    return dict(EscoDataset.objects.filter(language__in=languages).values_list("language", "revision"))


def esco_index_invalidate(language: str | None = None) -> None:
    """Forget the in-memory index (all languages, or one); the next search rebuilds it from the database."""
    with _esco_lock:
        if language is None:
            _esco_indexes.clear()
        else:
            _esco_indexes.pop(language, None)


def _esco_index(language: str, revision: str) -> EscoIndex:
    cached = _esco_indexes.get(language)
    if cached is not None and cached[0] == revision:
        return cached[1]
    with _esco_lock:  # one thread builds, the others wait for it
        cached = _esco_indexes.get(language)
        if cached is not None and cached[0] == revision:
            return cached[1]
        rows = (EscoConcept.objects.filter(language=language).order_by("id")
                .values_list("id", "kind", "preferred_label", "alt_labels").iterator(chunk_size=2000))
        index = EscoIndex(rows)
        _esco_indexes[language] = (revision, index)
        return index


def esco_search(*, query: str, kind: str | None = None, language: str | None = None,
                limit: int = 20) -> EscoSearchResult:
    """ESCO skills and/or occupations matching `query`, best first (see esco/index.py for the ranking); typos are
    tolerated. Falls back to English when `language` has no ESCO data. Raises ApplicationError for a query longer
    than ESCO_QUERY_MAX characters, an unknown kind or a limit outside 1..ESCO_LIMIT_MAX."""
    if len(query) > ESCO_QUERY_MAX:
        raise ApplicationError(_("Search for at most %(max)d characters.") % {"max": ESCO_QUERY_MAX},
                               code="query_too_long")
    if kind not in (None, EscoConcept.Kind.SKILL, EscoConcept.Kind.OCCUPATION):
        raise ApplicationError(_("Choose skills or occupations."), code="invalid_kind")
    if not 1 <= limit <= ESCO_LIMIT_MAX:
        raise ApplicationError(_("Ask for 1 to %(max)d results.") % {"max": ESCO_LIMIT_MAX}, code="invalid_limit")
    requested = esco_language_clean(language)
    candidates = _esco_language_candidates(requested)
    revisions = _esco_revisions(candidates)
    used = next((code for code in candidates if code in revisions), ESCO_FALLBACK_LANGUAGE)
    fallback = used.split("-")[0] != requested.split("-")[0]
    empty = EscoSearchResult(query=query, language=used, requested_language=requested, fallback=fallback, items=[])
    if used not in revisions or not query.strip():
        return empty
    index = _esco_index(used, revisions[used])
    hits = index.search(query, kind=kind, limit=limit)
    if not hits:
        return empty
    rows = EscoConcept.objects.in_bulk([index.ids[hit.index] for hit in hits])
    items = []
    for hit in hits:
        concept = rows.get(index.ids[hit.index])
        if concept is None:  # deleted since the index was built
            continue
        matched = concept.alt_label_list[hit.matched_alt] if 0 <= hit.matched_alt < len(concept.alt_label_list) \
            else ""
        items.append(_esco_data(concept, matched))
    return EscoSearchResult(query=query, language=used, requested_language=requested, fallback=fallback, items=items)


def esco_concepts_get(*, uris: Iterable[str], language: str | None = None) -> dict[str, EscoConceptData]:
    """Stored ESCO URIs → their concepts in `language` (each falling back to English where that language lacks
    it). URIs that are not ESCO concepts are left out of the answer; at most ESCO_URIS_MAX are read."""
    wanted = list(dict.fromkeys(u for u in uris if isinstance(u, str) and u))[:ESCO_URIS_MAX]
    if not wanted:
        return {}
    languages = _esco_language_candidates(esco_language_clean(language))
    found: dict[str, EscoConceptData] = {}
    for concept in EscoConcept.objects.filter(uri__in=wanted, language__in=languages):
        if concept.uri not in found or languages.index(concept.language) < languages.index(found[concept.uri].language):
            found[concept.uri] = _esco_data(concept)
    return {uri: found[uri] for uri in wanted if uri in found}


def esco_occupation_skills(*, uri: str, language: str | None = None) -> list[EscoOccupationSkill]:
    """An occupation's essential skills, then its optional ones (empty when the imported ESCO files had no
    occupationSkillRelations file)."""
    relations = list(EscoSkillRelation.objects.filter(occupation_uri=uri).order_by("id")
                     .values_list("skill_uri", "relation_type")[:1000])
    skills = esco_concepts_get(uris=[s for s, _r in relations], language=language) if relations else {}
    result = [EscoOccupationSkill(skill=skills[s], relation_type=r) for s, r in relations if s in skills]
    result.sort(key=lambda item: (item.relation_type != EscoSkillRelation.RelationType.ESSENTIAL,
                                  item.skill.preferred_label.casefold()))
    return result


def esco_datasets() -> list[EscoDataset]:
    """The languages imported, with their counts."""
    return list(EscoDataset.objects.order_by("language"))
