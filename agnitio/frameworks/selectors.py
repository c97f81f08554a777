"""Reads of the competence frameworks shipped in `data/competence_frameworks.json`.

The data are read-only reference data (not organisation-owned), so there is no actor: everyone may read them.
The file is loaded once per process and never retyped in code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import NotFound

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
