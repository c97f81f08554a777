"""Small ESCO downloads in the portal's CSV layout, written for the tests (any language, e.g. Latvian)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

SKILL_COLUMNS = ["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels",
                 "hiddenLabels", "status", "modifiedDate", "scopeNote", "definition", "inScheme", "description"]
OCCUPATION_COLUMNS = ["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "hiddenLabels",
                      "status", "modifiedDate", "regulatedProfessionNote", "scopeNote", "definition", "inScheme",
                      "description", "code"]
RELATION_COLUMNS = ["occupationUri", "relationType", "skillType", "skillUri"]
SKILL = "http://data.europa.eu/esco/skill/"
OCCUPATION = "http://data.europa.eu/esco/occupation/"

# Real ESCO URIs (v1.1.1), Latvian labels as the ESCO portal gives them.
COMMUNICATE = SKILL + "0da516ee-e70e-4384-be13-f5ff80be8127"  # communicate with customers
TEAMWORK = SKILL + "60c78287-22eb-4103-9c8c-28deaa460da0"  # work in teams
NURSE = OCCUPATION + "8d3e8aaa-791b-4c75-a465-f3f827028f50"  # nurse responsible for general care

LATVIAN_SKILLS = [
    {"uri": COMMUNICATE, "label": "sazināties ar klientiem", "alts": ["komunicēt ar klientiem", "apkalpot klientus"],
     "description": "Atbildēt klientiem un sazināties ar viņiem visefektīvākajā veidā."},
    {"uri": TEAMWORK, "label": "strādāt komandā", "alts": ["sadarboties komandā"],
     "description": "Sadarboties ar kolēģiem kopīga mērķa labā."},
]
LATVIAN_OCCUPATIONS = [
    {"uri": NURSE, "label": "vispārējās aprūpes māsa", "alts": ["medmāsa"], "code": "2221.2",
     "description": "Vispārējās aprūpes māsas veicina un atjauno pacientu veselību."},
]


def skills_csv(skills) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, SKILL_COLUMNS)
    writer.writeheader()
    for skill in skills:
        writer.writerow({"conceptType": "KnowledgeSkillCompetence", "conceptUri": skill["uri"],
                         "skillType": "skill/competence", "reuseLevel": "cross-sector",
                         "preferredLabel": skill["label"], "altLabels": "\n".join(skill.get("alts", [])),
                         "status": "released", "description": skill.get("description", "")})
    return out.getvalue()


def occupations_csv(occupations) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, OCCUPATION_COLUMNS)
    writer.writeheader()
    for occupation in occupations:
        writer.writerow({"conceptType": "Occupation", "conceptUri": occupation["uri"], "iscoGroup": "2221",
                         "preferredLabel": occupation["label"], "altLabels": "\n".join(occupation.get("alts", [])),
                         "status": "released", "description": occupation.get("description", ""),
                         "code": occupation.get("code", "")})
    return out.getvalue()


def relations_csv(relations) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, RELATION_COLUMNS)
    writer.writeheader()
    for occupation, relation, skill in relations:
        writer.writerow({"occupationUri": occupation, "relationType": relation, "skillType": "skill/competence",
                         "skillUri": skill})
    return out.getvalue()


def esco_zip(path: Path, *, language: str = "lv", skills=None, occupations=None, relations=None,
             extra: dict[str, str] | None = None) -> Path:
    """A zip laid out like the portal's download (with a folder inside, as some versions have)."""
    skills = LATVIAN_SKILLS if skills is None else skills
    occupations = LATVIAN_OCCUPATIONS if occupations is None else occupations
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"esco/skills_{language}.csv", "\ufeff" + skills_csv(skills))
        archive.writestr(f"esco/occupations_{language}.csv", occupations_csv(occupations))
        archive.writestr(f"esco/skillGroups_{language}.csv", "conceptUri,preferredLabel\n")
        if relations is not None:
            archive.writestr(f"esco/occupationSkillRelations_{language}.csv", relations_csv(relations))
        for name, text in (extra or {}).items():
            archive.writestr(name, text)
    return path
