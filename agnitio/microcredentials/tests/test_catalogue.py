"""The public catalogue: what is listed, every filter, bounded parameters, keyset pages with a constant query count,
throttling of anonymous clients, the provider page, and the ELM JSON-LD under the LOQ shapes (pySHACL)."""

import itertools
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agnitio.microcredentials.models import ProviderProfile, Specification
from agnitio.microcredentials.selectors import CatalogueFilters, catalogue_list
from agnitio.microcredentials.services import specifications as services

from .conftest import COMPLETE

_serial = itertools.count(1)


def _publish(owner, organisation, **changes):
    data = {**COMPLETE, "title": f"Course {next(_serial)}", **changes}
    draft = services.specification_create(actor=owner, organisation=organisation, data=data)
    return services.specification_publish(actor=owner, specification=draft)


def _titles(filters):
    return sorted(s.title for s in catalogue_list(filters=filters))


@pytest.fixture
def other_provider(make_user, other_organisation):
    from agnitio.organisations.models import Membership

    other_organisation.identifier = "FR-123"
    other_organisation.save()
    user = make_user("provider@autre.example")
    Membership.objects.create(organisation=other_organisation, user=user, role="owner")
    return user


@pytest.fixture
def entries(owner, organisation, other_provider, other_organisation):
    skill = "http://data.europa.eu/esco/skill/80f308e6-0e09-404a-80cd-ec5f50f6f304"
    return {
        "a": _publish(owner, organisation, title="Alpha facilitation", eqf_level=4, credits_ects="1",
                      participation="online", languages=["lv"]),
        "b": _publish(owner, organisation, title="Beta coaching", eqf_level=6, credits_ects="5",
                      participation="onsite", languages=["en"],
                      esco_skills=[{"uri": skill, "label": "communicate with target community"}]),
        "c": _publish(other_provider, other_organisation, title="Gamma mentoring", eqf_level=6, credits_ects="3",
                      participation="blended", languages=["fr"], issuer_countries=["FR"]),
    }


def test_only_published_current_versions_of_listed_providers(owner, organisation, entries, complete_data):
    services.specification_create(actor=owner, organisation=organisation, data={**complete_data, "title": "Draft"})
    draft = services.specification_new_version(actor=owner, specification=entries["a"])
    services.specification_publish(actor=owner, specification=draft)
    assert _titles(None) == ["Alpha facilitation", "Beta coaching", "Gamma mentoring"]
    assert catalogue_list().get(title="Alpha facilitation").version == 2
    ProviderProfile.objects.create(organisation=organisation, listed=False)
    assert _titles(None) == ["Gamma mentoring"]


@pytest.mark.parametrize("filters,expected", [
    (CatalogueFilters(eqf_level=6), ["Beta coaching", "Gamma mentoring"]),
    (CatalogueFilters(ects_min=2), ["Beta coaching", "Gamma mentoring"]),
    (CatalogueFilters(ects_max=3), ["Alpha facilitation", "Gamma mentoring"]),
    (CatalogueFilters(participation="blended"), ["Gamma mentoring"]),
    (CatalogueFilters(language="lv"), ["Alpha facilitation"]),
    (CatalogueFilters(country="FR"), ["Gamma mentoring"]),
    (CatalogueFilters(esco_skill="http://data.europa.eu/esco/skill/80f308e6-0e09-404a-80cd-ec5f50f6f304"),
     ["Beta coaching"]),
    (CatalogueFilters(q="coach"), ["Beta coaching"]),
    (CatalogueFilters(q="Association Autre"), ["Gamma mentoring"]),
])
def test_filters(entries, filters, expected):
    assert _titles(filters) == expected


def test_provider_filter(entries, other_organisation):
    assert _titles(CatalogueFilters(provider=other_organisation.public_id)) == ["Gamma mentoring"]


def test_catalogue_page_filters_and_ignores_invalid_values(client, entries):
    url = reverse("microcredentials:catalogue")
    page = client.get(url, {"eqf_level": "6", "participation": "onsite"}).content.decode()
    assert "Beta coaching" in page and "Gamma mentoring" not in page and "Alpha facilitation" not in page
    # out of range or unknown values are ignored rather than failing; long text is bounded
    response = client.get(url, {"eqf_level": "99", "ects_min": "abc", "participation": "x", "q": "a" * 5000,
                                "cursor": "garbage", "size": "100000"})
    assert response.status_code == 200  # each invalid or over-long value is dropped: everything is listed
    assert all(e in response.content.decode() for e in ("Alpha facilitation", "Beta coaching", "Gamma mentoring"))
    response = client.get(url, {"eqf_level": "99"})
    assert all(e in response.content.decode() for e in ("Alpha facilitation", "Beta coaching", "Gamma mentoring"))


def _many(owner, organisation, n):
    now = timezone.now()
    Specification.objects.bulk_create([
        Specification(organisation=organisation, title=f"Bulk {next(_serial)}", status="published", published_at=now,
                      **{k: v for k, v in COMPLETE.items() if k not in ("title", "credits_ects")},
                      credits_ects=2) for _i in range(n)])


def test_catalogue_query_count_does_not_grow_and_pages_follow(client, owner, organisation, settings):
    settings.MICROCREDENTIAL_CATALOGUE_RATE_LIMIT = ""
    url = reverse("microcredentials:catalogue")
    _many(owner, organisation, 3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _many(owner, organisation, 40)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(small) == len(large)
    first = response.context["page"]
    assert len(first.items) == 20 and first.next_url
    second = client.get(first.next_url).context["page"]
    assert not {s.pk for s in first.items} & {s.pk for s in second.items}
    provider = reverse("microcredentials:provider_detail", args=[organisation.public_id])
    with CaptureQueriesContext(connection) as provider_queries:
        assert client.get(provider).status_code == 200
    _many(owner, organisation, 10)
    with CaptureQueriesContext(connection) as provider_more:
        assert client.get(provider).status_code == 200
    assert len(provider_queries) == len(provider_more)


def test_anonymous_clients_are_throttled_signed_in_people_are_not(client, owner, entries, settings):
    from django.core.cache import cache

    cache.clear()
    settings.MICROCREDENTIAL_CATALOGUE_RATE_LIMIT = "3/m"
    url = reverse("microcredentials:catalogue")
    assert [client.get(url).status_code for _i in range(4)] == [200, 200, 200, 429]
    assert client.get(reverse("microcredentials:catalogue_jsonld", args=[entries["a"].public_id])).status_code == 429
    assert client.get("/api/v1/catalogue/").status_code == 429
    client.force_login(owner)
    assert [client.get(url).status_code for _i in range(5)] == [200] * 5
    cache.clear()


def test_provider_page_shows_quality_assurance_and_recognition_policy_and_no_personal_data(
        client, owner, organisation, entries):
    from agnitio.microcredentials.services.awards import LearnerIn, award_create

    services.provider_profile_update(actor=owner, organisation=organisation, data={
        "quality_assurance": "Yearly external review by the Quality Agency.",
        "recognition_policy": "We recognise micro-credentials that state outcomes, workload and level."})
    award_create(actor=owner, specification=entries["a"], learner=LearnerIn(
        name="Private Learner", email="private@example.org", national_id="010101-12345"))
    page = client.get(reverse("microcredentials:provider_detail", args=[organisation.public_id])).content.decode()
    assert "Yearly external review" in page and "We recognise micro-credentials" in page
    assert "Alpha facilitation" in page and "Gamma mentoring" not in page
    detail = client.get(reverse("microcredentials:catalogue_detail", args=[entries["a"].public_id])).content.decode()
    for text in (page, detail):
        assert "Private Learner" not in text and "private@example.org" not in text and "010101" not in text


def test_drafts_and_unknown_entries_are_404(client, draft):
    assert client.get(reverse("microcredentials:catalogue_detail", args=[draft.public_id])).status_code == 404
    assert client.get(reverse("microcredentials:catalogue_jsonld", args=["nope"])).status_code == 404
    assert client.get(reverse("microcredentials:provider_detail", args=[draft.organisation.public_id])).status_code \
        == 404  # a provider without published micro-credentials has no public page


def test_superseded_version_stays_reachable_for_its_credentials(client, owner, published):
    draft = services.specification_new_version(actor=owner, specification=published)
    services.specification_publish(actor=owner, specification=draft)
    page = client.get(reverse("microcredentials:catalogue_detail", args=[published.public_id])).content.decode()
    assert "replaced by a newer one" in page and draft.public_id in page


# --- ELM JSON-LD under the LOQ shapes ------------------------------------------------------------------------------

def _validate(document):
    import pyshacl  # a dev dependency: missing, the test fails
    from rdflib import Graph

    from agnitio.credentials.signing.loader import canonize
    from agnitio.microcredentials.shapes import loq_shapes

    graph = Graph().parse(data=canonize(document), format="nt")  # contexts served locally, no network
    conforms, _graph, report = pyshacl.validate(graph, shacl_graph=loq_shapes(), inference="none")
    return graph, conforms, report


def test_entry_is_a_learning_opportunity_conforming_to_the_loq_shapes(client, published):
    response = client.get(reverse("microcredentials:catalogue_jsonld", args=[published.public_id]))
    assert response["Content-Type"].startswith("application/ld+json")
    document = json.loads(response.content)
    assert document["type"] == "LearningOpportunity"
    las = document["learningAchievementSpecification"]
    assert las["type"] == "LearningAchievementSpecification"
    assert [o["title"]["en"] for o in las["learningOutcome"]][:2] == published.outcome_lines
    assert las["learningOutcome"][2]["relatedESCOSkill"]["id"] == COMPLETE["esco_skills"][0]["uri"]
    assert las["creditPoint"]["point"] == "2" and las["volumeOfLearning"] == "PT50H"
    assert las["eqfLevel"]["id"] == "http://data.europa.eu/snb/eqf/5"
    assert las["thematicArea"][0]["id"] == "http://data.europa.eu/snb/isced-f/011"
    assert las["mode"]["id"] == "http://data.europa.eu/snb/learning-assessment/e92d221e4d"  # blended
    assert document["providedBy"]["eIDASIdentifier"]["notation"] == "E10000001"
    graph, conforms, report = _validate(document)
    assert conforms, report
    assert len(graph) > 60
    # the shapes do check: without its title and provider the entry does not conform (the profile's own
    # LearningAchievementSpecification shape is deactivated; the opportunity's shape is what it checks)
    del document["title"]
    del document["providedBy"]
    _graph, conforms, report = _validate(document)
    assert not conforms and "title" in report and "providedBy" in report


def test_provider_dataset_lists_every_entry_and_conforms(client, owner, organisation, entries):
    response = client.get(reverse("microcredentials:provider_dataset", args=[organisation.public_id]))
    document = json.loads(response.content)
    dataset, *opportunities = document["@graph"]
    assert dataset["type"] == "dcat:Dataset"
    from agnitio.microcredentials.urls_public import catalogue_entry_url

    assert {o["id"] for o in opportunities} == {catalogue_entry_url(entries["a"]), catalogue_entry_url(entries["b"])}
    assert [d["@id"] for d in dataset["dcat:dataset"]] == [o["id"] for o in opportunities]
    _graph, conforms, report = _validate(document)
    assert conforms, report
