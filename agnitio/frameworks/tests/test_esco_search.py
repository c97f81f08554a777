"""ESCO search: ranking, typos, kinds, language fallback, bounds; URIs resolved for other apps; an occupation's
skills."""

import threading

import pytest

from agnitio.core.errors import ApplicationError
from agnitio.frameworks import selectors
from agnitio.frameworks.services import esco_import

from .esco_files import COMMUNICATE, NURSE, TEAMWORK, esco_zip

pytestmark = pytest.mark.django_db


def _labels(query, **kwargs):
    return [item.preferred_label for item in selectors.esco_search(query=query, language="en", **kwargs).items]


def test_exact_preferred_label_first_then_labels_starting_with_the_query():
    labels = _labels("cook")
    assert labels[0] == "cook"
    assert labels[1].startswith("cook ")
    assert _labels("Project Management")[0] == "project management"  # case does not matter


def test_alternative_labels_are_found_after_preferred_ones():
    result = selectors.esco_search(query="teach communication skills", language="en", kind="skill")
    first = result.items[0]
    assert first.preferred_label == "teach communication methods"
    assert first.matched_label == "teach communication skills"


def test_typos_are_tolerated():
    communication = _labels("comunication skils", kind="skill")
    assert any(label.startswith("communicate") for label in communication)
    assert all("communicat" in label or "skill" in label or "relay messages" in label for label in communication[:5])
    assert any("nurse" in label for label in _labels("nurce")[:3])
    assert any("nurse" in label for label in _labels("nurce", kind="occupation")[:3])
    assert any("leadership" in label for label in _labels("lidership")[:3])


def test_kind_filters_and_limit_bounds_the_answer():
    occupations = selectors.esco_search(query="nurse", kind="occupation", language="en", limit=5).items
    assert len(occupations) == 5 and {item.kind for item in occupations} == {"occupation"}
    skills = selectors.esco_search(query="nurse", kind="skill", language="en", limit=50).items
    assert {item.kind for item in skills} == {"skill"} and len(skills) == 50


def test_a_result_carries_what_the_panel_inserts():
    item = selectors.esco_search(query="nurse responsible for general care", language="en").items[0]
    assert item.uri == NURSE and item.kind == "occupation" and item.code == "2221.2"
    assert item.description.startswith("Nurses responsible for general care")


@pytest.mark.parametrize("query", ["", "   ", "!!!", "zzzzqqqq"])
def test_blank_or_unmatched_queries_find_nothing(query):
    assert selectors.esco_search(query=query, language="en").items == []


@pytest.mark.parametrize(("arguments", "code"), [
    ({"query": "x" * 101}, "query_too_long"),
    ({"query": "cook", "kind": "qualification"}, "invalid_kind"),
    ({"query": "cook", "limit": 0}, "invalid_limit"),
    ({"query": "cook", "limit": 51}, "invalid_limit"),
    ({"query": "cook", "language": "latvian!"}, "invalid_language"),
])
def test_bounds_are_enforced(arguments, code):
    with pytest.raises(ApplicationError) as raised:
        selectors.esco_search(**{"language": "en", **arguments})
    assert raised.value.code == code


def test_a_language_without_data_falls_back_to_english(tmp_path):
    result = selectors.esco_search(query="work in teams", language="lv")
    assert result.fallback is True and result.language == "en" and result.requested_language == "lv"
    assert result.items[0].preferred_label == "work in teams"
    esco_import(path=esco_zip(tmp_path / "lv.zip"))
    result = selectors.esco_search(query="stradat komanda", language="lv")  # without diacritics
    assert result.fallback is False and result.language == "lv"
    assert result.items[0].uri == TEAMWORK and result.items[0].preferred_label == "strādāt komandā"
    assert selectors.esco_search(query="medmasa", language="lv").items[0].matched_label == "medmāsa"
    regional = selectors.esco_search(query="strādāt komandā", language="lv-LV")  # its base language's data
    assert regional.language == "lv" and regional.fallback is False and regional.items[0].uri == TEAMWORK


def test_concepts_get_resolves_stored_uris_with_english_where_the_language_lacks_them(tmp_path):
    esco_import(path=esco_zip(tmp_path / "lv.zip", skills=[{"uri": COMMUNICATE, "label": "sazināties ar klientiem"}]))
    found = selectors.esco_concepts_get(uris=[TEAMWORK, COMMUNICATE, "http://example.org/x", TEAMWORK],
                                        language="lv")
    assert list(found) == [TEAMWORK, COMMUNICATE]
    assert found[COMMUNICATE].preferred_label == "sazināties ar klientiem" and found[COMMUNICATE].language == "lv"
    assert found[TEAMWORK].preferred_label == "work in teams" and found[TEAMWORK].language == "en"
    assert selectors.esco_concepts_get(uris=[], language="lv") == {}


def test_an_occupations_skills_come_from_the_relations_file(tmp_path):
    assert selectors.esco_occupation_skills(uri=NURSE, language="en") == []  # the shipped zip has no relations
    esco_import(path=esco_zip(tmp_path / "lv.zip", relations=[(NURSE, "optional", TEAMWORK),
                                                                 (NURSE, "essential", COMMUNICATE)]))
    skills = selectors.esco_occupation_skills(uri=NURSE, language="lv")
    assert [(s.skill.preferred_label, s.relation_type) for s in skills] == [
        ("sazināties ar klientiem", "essential"), ("strādāt komandā", "optional")]


def test_the_index_is_built_once_for_concurrent_searches(monkeypatch):
    selectors.esco_index_invalidate()
    built = []
    original = selectors.EscoIndex

    def counting(rows):
        built.append(1)
        return original(rows)

    monkeypatch.setattr(selectors, "EscoIndex", counting)
    results, errors = [], []

    def search():
        try:
            from django.db import connection

            results.append(selectors.esco_search(query="cook", language="en").items[0].preferred_label)
            connection.close()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=search) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and results == ["cook"] * 4
    assert len(built) == 1
