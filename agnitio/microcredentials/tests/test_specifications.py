"""Specifications: every Annex I element, publishing refused with what is missing, immutability and versions,
and who may do what (each denial leaves everything as it was)."""

import json

import pytest
from django.conf import settings

from agnitio.core.errors import ApplicationError, NotFound, PermissionDenied
from agnitio.core.models import AuditEvent
from agnitio.microcredentials.models import Award, ProviderProfile, Specification
from agnitio.microcredentials.services import specifications as services

from .conftest import COMPLETE


def _snapshot(specification):
    specification.refresh_from_db()
    return {f: getattr(specification, f) for f in [*services.SPECIFICATION_FIELDS, "status", "version"]}


def test_a_draft_may_be_incomplete_and_publishing_lists_every_missing_element(owner, organisation):
    draft = services.specification_create(actor=owner, organisation=organisation, data={"title": "Only a title"})
    assert draft.status == Specification.Status.DRAFT and draft.version == 1
    with pytest.raises(ApplicationError) as info:
        services.specification_publish(actor=owner, specification=draft)
    assert info.value.code == "incomplete"
    missing = info.value.missing
    for element in ("country", "learning outcomes", "workload", "level", "type of assessment",
                    "form of participation", "type of quality assurance", "language", "field of education"):
        assert any(element in m for m in missing), (element, missing)
    assert all(m in str(info.value.message) for m in missing)  # the message lists them too
    draft.refresh_from_db()
    assert draft.status == Specification.Status.DRAFT and draft.published_at is None


@pytest.mark.parametrize("field,value,expected", [
    ("learning_outcomes", "", "learning outcomes"),
    ("issuer_countries", [], "country"),
    ("assessment_type", "", "type of assessment"),
    ("participation", "", "form of participation"),
    ("quality_assurance_type", "", "type of quality assurance"),
])
def test_each_mandatory_element_alone_blocks_publishing(owner, organisation, complete_data, field, value, expected):
    draft = services.specification_create(actor=owner, organisation=organisation,
                                          data={**complete_data, field: value})
    assert [m for m in services.specification_missing(specification=draft) if expected in m]
    with pytest.raises(ApplicationError):
        services.specification_publish(actor=owner, specification=draft)


def test_workload_in_ects_or_hours_and_level_or_not_applicable(owner, organisation, complete_data):
    hours_only = services.specification_create(actor=owner, organisation=organisation, data={
        **complete_data, "credits_ects": None, "workload_hours": 20})
    assert services.specification_missing(specification=hours_only) == []
    no_workload = services.specification_create(actor=owner, organisation=organisation, data={
        **complete_data, "credits_ects": "", "workload_hours": None})
    assert any("workload" in m for m in services.specification_missing(specification=no_workload))
    no_level = services.specification_create(actor=owner, organisation=organisation, data={
        **complete_data, "eqf_level": None, "qf_ehea_cycle": "", "national_level": ""})
    assert any("level" in m for m in services.specification_missing(specification=no_level))
    no_level = services.specification_update(actor=owner, specification=no_level,
                                             data={"level_not_applicable": True})
    assert services.specification_missing(specification=no_level) == []


def test_the_awarding_body_needs_its_legal_identifier(owner, organisation, complete_data):
    organisation.identifier = ""
    organisation.save()
    draft = services.specification_create(actor=owner, organisation=organisation, data=complete_data)
    assert any("legal identifier" in m for m in services.specification_missing(specification=draft))
    with pytest.raises(ApplicationError):
        services.specification_create(actor=owner, organisation=organisation, data={
            **complete_data, "co_awarding_bodies": [{"name": "Partner without identifier"}]})


def test_complete_specification_publishes_with_every_element(published):
    assert published.status == Specification.Status.PUBLISHED and published.published_at is not None
    for field, value in COMPLETE.items():
        stored = getattr(published, field)
        if field == "credits_ects":
            assert str(stored) == "2.0"
        else:
            assert stored == value, field
    assert AuditEvent.objects.filter(object_id=published.public_id,
                                     verb="micro-credential specification published").exists()


def test_supervision_options_are_the_four_of_the_frameworks_data():
    path = settings.BASE_DIR / "agnitio" / "frameworks" / "data" / "competence_frameworks.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    options = {o["id"]: o["en"] for o in data["supervision_and_identity_verification"]}
    from django.utils import translation

    with translation.override("en"):  # another test in the same process may have left Latvian active
        assert {c.value: str(c.label) for c in Specification.Supervision} == options


@pytest.mark.parametrize("uri", ["https://example.org/skill/1", "http://data.europa.eu/esco/occupation/abc",
                                 "javascript:alert(1)", "http://data.europa.eu/esco/skill/" + "a" * 80])
def test_esco_skills_must_be_esco_skill_uris(owner, organisation, uri):
    with pytest.raises(ApplicationError) as info:
        services.specification_create(actor=owner, organisation=organisation, data={
            "title": "X", "esco_skills": [{"uri": uri, "label": "x"}]})
    assert info.value.code == "esco_skills"
    assert not Specification.objects.exists()


def test_esco_skill_https_form_is_stored_as_the_esco_uri(owner, organisation):
    draft = services.specification_create(actor=owner, organisation=organisation, data={
        "title": "X", "esco_skills": ["https://data.europa.eu/esco/skill/ccdf3597-5c80-410f-896d-e1bdfa223de9"] * 2})
    assert draft.esco_skills == [{"uri": "http://data.europa.eu/esco/skill/ccdf3597-5c80-410f-896d-e1bdfa223de9",
                                  "label": ""}]


@pytest.mark.parametrize("data,code", [
    ({"eqf_level": 9}, "eqf_level"), ({"eqf_level": 0}, "eqf_level"), ({"credits_ects": "-1"}, "credits_ects"),
    ({"credits_ects": "lots"}, "credits_ects"), ({"issuer_countries": ["XX"]}, "code"),
    ({"languages": ["latvian"]}, "code"), ({"title": "x" * 300}, "invalid"),
    ({"participation": "teleport"}, "invalid"), ({"supervision": "none"}, "invalid"),
    ({"learning_outcomes": "a\x00b"}, "invalid"),
])
def test_values_are_checked_and_bounded(owner, organisation, data, code):
    with pytest.raises(ApplicationError) as info:
        services.specification_create(actor=owner, organisation=organisation, data={"title": "Title", **data})
    assert info.value.code == code
    assert not Specification.objects.exists()


def test_a_published_version_never_changes(owner, published):
    before = _snapshot(published)
    with pytest.raises(ApplicationError) as info:
        services.specification_update(actor=owner, specification=published, data={"title": "Changed"})
    assert info.value.code == "immutable"
    with pytest.raises(ApplicationError):
        services.specification_delete(actor=owner, specification=published)
    assert _snapshot(published) == before


def test_a_new_version_replaces_the_published_one_and_awards_keep_theirs(owner, published):
    award = Award.objects.create(organisation=published.organisation, specification=published, learner_name="A",
                                 learner_email="a@example.org", issued_on="2026-11-20")
    draft = services.specification_new_version(actor=owner, specification=published)
    assert (draft.lineage, draft.version, draft.status) == (published.lineage, 2, Specification.Status.DRAFT)
    assert draft.previous_version == published and draft.title == published.title
    with pytest.raises(ApplicationError) as info:  # one draft per lineage at a time
        services.specification_new_version(actor=owner, specification=published)
    assert info.value.code == "draft_exists"
    services.specification_update(actor=owner, specification=draft, data={"title": "Intercultural learning 2.0"})
    services.specification_publish(actor=owner, specification=draft)
    published.refresh_from_db()
    assert published.status == Specification.Status.SUPERSEDED and published.title == COMPLETE["title"]
    award.refresh_from_db()
    assert award.specification_id == published.pk
    assert Specification.objects.filter(lineage=published.lineage, status="published").get().version == 2


def test_withdraw_takes_it_out_and_only_drafts_publish(owner, published):
    published = services.specification_withdraw(actor=owner, specification=published)
    assert published.status == Specification.Status.WITHDRAWN
    with pytest.raises(ApplicationError) as info:
        services.specification_publish(actor=owner, specification=published)
    assert info.value.code == "not_draft"


def test_editor_may_describe_and_publish(editor, organisation, complete_data):
    draft = services.specification_create(actor=editor, organisation=organisation, data=complete_data)
    assert services.specification_publish(actor=editor, specification=draft).status == "published"


def test_outsider_sees_nothing_and_changes_nothing(outsider, owner, published, organisation):
    draft = services.specification_create(actor=owner, organisation=organisation, data={"title": "Another draft"})
    before_draft, before_published = _snapshot(draft), _snapshot(published)
    count = Specification.objects.count()
    with pytest.raises(PermissionDenied):
        services.specification_create(actor=outsider, organisation=organisation, data={"title": "Intruder"})
    for call in (lambda: services.specification_update(actor=outsider, specification=draft, data={"title": "X"}),
                 lambda: services.specification_publish(actor=outsider, specification=draft),
                 lambda: services.specification_delete(actor=outsider, specification=draft),
                 lambda: services.specification_new_version(actor=outsider, specification=published),
                 lambda: services.specification_withdraw(actor=outsider, specification=published)):
        with pytest.raises(NotFound):
            call()
    assert Specification.objects.count() == count
    assert _snapshot(draft) == before_draft and _snapshot(published) == before_published


def test_anonymous_is_refused(organisation, draft):
    from django.contrib.auth.models import AnonymousUser

    before = _snapshot(draft)
    with pytest.raises(NotFound):
        services.specification_update(actor=AnonymousUser(), specification=draft, data={"title": "X"})
    assert _snapshot(draft) == before


def test_provider_page_is_for_owners_and_admins(owner, admin, editor, outsider, organisation):
    profile = services.provider_profile_update(actor=admin, organisation=organisation, data={
        "quality_assurance": "ISO 9001 and yearly review.", "recognition_policy": "We recognise EQF-levelled ones."})
    assert profile.quality_assurance.startswith("ISO")
    with pytest.raises(PermissionDenied):
        services.provider_profile_update(actor=editor, organisation=organisation, data={"recognition_policy": "X"})
    with pytest.raises(NotFound):
        services.provider_profile_update(actor=outsider, organisation=organisation, data={"recognition_policy": "X"})
    assert ProviderProfile.objects.get().recognition_policy == "We recognise EQF-levelled ones."
