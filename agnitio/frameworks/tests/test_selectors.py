import json

import pytest
from django.utils import translation

from agnitio.core.errors import NotFound
from agnitio.frameworks import selectors
from agnitio.frameworks.selectors import (
    competence_get,
    eqf_level_list,
    framework_get,
    framework_list,
    frameworks_for_role,
)


def test_every_framework_and_competence_of_the_file_is_loaded():
    raw = json.loads(selectors.DATA_FILE.read_text(encoding="utf-8"))
    loaded = {f.id: f for f in framework_list()}
    assert list(loaded) == [f["id"] for f in raw["frameworks"]]
    for item in raw["frameworks"]:
        assert [c.id for c in loaded[item["id"]].competences] == [c["id"] for c in item["competences"]]
        for c in item["competences"]:
            comp = competence_get(framework_id=item["id"], competence_id=c["id"])
            assert comp.title("en") == c["title"]["en"] and comp.title("lv") == c["title"]["lv"]


def _holds(shipped, reference, path="") -> list[str]:
    """Where `shipped` differs from `reference` other than by a description added where the reference has none."""
    if isinstance(reference, dict) and isinstance(shipped, dict):
        problems = [f"{path}/{k}: missing" for k in reference if k not in shipped]
        problems += [f"{path}/{k}: added" for k in shipped if k not in reference and k != "description"]
        for key in reference:
            if key in shipped:
                if key == "_about":
                    problems += [] if shipped[key].startswith(reference[key]) else [f"{path}/_about: changed"]
                else:
                    problems += _holds(shipped[key], reference[key], f"{path}/{key}")
        return problems
    if isinstance(reference, list) and isinstance(shipped, list) and len(reference) == len(shipped):
        pairs = enumerate(zip(shipped, reference, strict=True))
        return [p for i, (a, b) in pairs for p in _holds(a, b, f"{path}[{i}]")]
    return [] if shipped == reference else [f"{path}: changed"]


def test_shipped_file_is_the_reference_file_plus_descriptions():
    from pathlib import Path

    from django.conf import settings

    # The steering repository's shared data sits beside the project (../shared); a missing copy fails, never skips.
    reference = Path(settings.BASE_DIR).parent / "shared" / "data" / "competence_frameworks.json"
    assert reference.exists(), f"{reference} is missing: the shared reference data must sit beside the project"
    shipped = json.loads(selectors.DATA_FILE.read_text(encoding="utf-8"))
    # everything the reference holds, unchanged; the only additions are descriptions (the ETS competences' and the
    # free sections', issue 11 point 11), which the reference does not have
    assert _holds(shipped, json.loads(reference.read_text(encoding="utf-8"))) == []


def test_every_competence_and_free_section_is_described_in_both_languages():
    for framework in framework_list():
        items = [framework] if framework.is_free_section else list(framework.competences)
        for item in items:
            assert item.description("en") and item.description("lv"), (framework.id, getattr(item, "id", ""))
            assert item.description("lv") != item.description("en")
    ets = competence_get(framework_id="ets_youth_workers", competence_id="intercultural")
    with translation.override("lv"):
        assert ets.description().startswith("Spēja ") and "mācīšanās" in ets.description()
        assert framework_get(framework_id="other").description().startswith("Mācīšanās rezultāti")
    with translation.override("en"):
        assert ets.description().startswith("Meet cultural diversity")


def test_key_competences_are_the_eight_of_2018_and_ets_has_nine():
    assert len(framework_get(framework_id="key_competences_2018").competences) == 8
    assert len(framework_get(framework_id="ets_youth_workers").competences) == 9
    assert framework_get(framework_id="other").is_free_section
    assert framework_get(framework_id="professional").is_free_section


def test_titles_follow_the_active_language():
    comp = competence_get(framework_id="key_competences_2018", competence_id="digital")
    with translation.override("lv"):
        assert comp.title() == "Digitālā kompetence"
        # the key competences have Latvian descriptions in the file
        assert comp.description().startswith("Pārliecināta")
    with translation.override("en"):
        assert comp.title() == "Digital competence"
        assert comp.description().startswith("Confident")



def test_each_competence_has_knowledge_skills_attitudes_prompts():
    comp = competence_get(framework_id="ets_youth_workers", competence_id="teamwork")
    assert [p.key for p in comp.prompts] == ["knowledge", "skills", "attitudes"]
    assert all(p.question for p in comp.prompts)


def test_role_selects_the_framework():
    assert [f.id for f in frameworks_for_role(role="participant")] == ["key_competences_2018", "other"]
    assert [f.id for f in frameworks_for_role(role="team_member")] == ["ets_youth_workers", "other"]
    assert [f.id for f in frameworks_for_role(role="participant", professional=True)] == [
        "key_competences_2018", "professional", "other"]


def test_unknown_ids_are_not_found():
    with pytest.raises(NotFound):
        framework_get(framework_id="nope")
    with pytest.raises(NotFound):
        competence_get(framework_id="key_competences_2018", competence_id="nope")


def test_eqf_levels_one_to_eight():
    assert [e.level for e in eqf_level_list()] == list(range(1, 9))
