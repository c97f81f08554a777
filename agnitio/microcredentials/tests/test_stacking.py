"""Stacking: compose a draft of published parts of the same provider (all / at least N / in order), who qualifies
(keyset pages, constant queries), the combined credential referencing its parts (signed as the credential's OB 3.0
evidence, EDC hasPart under the EDC shapes), parts showing what they count towards; denials change nothing; the
API."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agnitio.apikeys.services import api_token_create
from agnitio.core.errors import ApplicationError, NotFound, PermissionDenied
from agnitio.microcredentials.models import Award, Composition, StackedPart
from agnitio.microcredentials.selectors import stack_qualifier_page
from agnitio.microcredentials.services import awards as award_services
from agnitio.microcredentials.services import stacking as services
from agnitio.microcredentials.services.specifications import specification_publish

from .stacking_helpers import _spec, stack_qualifiers

API = "/api/v1/microcredentials"



@pytest.fixture
def parts(owner, organisation, complete_data):
    return [_spec(owner, organisation, complete_data, f"Module {i}") for i in (1, 2, 3)]


@pytest.fixture
def combined(owner, organisation, complete_data, parts):
    draft = _spec(owner, organisation, complete_data, "Youth worker certificate", publish=False)
    services.composition_set(actor=owner, specification=draft, parts=[p.public_id for p in parts[:2]])
    return specification_publish(actor=owner, specification=draft)


def _give(owner, spec, email, name="Anna Bērziņa", on=None):
    return award_services.award_issue(actor=owner, specification=spec, issued_on=on,
                                      learner=award_services.LearnerIn(name=name, email=email))


def test_qualifiers_hold_every_part_and_not_yet_the_combined(owner, parts, combined):
    _give(owner, parts[0], "anna@example.org")
    _give(owner, parts[1], "anna@example.org")
    _give(owner, parts[0], "maris@example.org", "Māris")  # one part only
    assert [a.learner_email for a in stack_qualifiers(owner, combined)] == ["anna@example.org"]
    award = services.stack_award_issue(actor=owner, specification=combined, learner_email="Anna@Example.org")
    assert award.status == Award.Status.ISSUED and award.learner_name == "Anna Bērziņa"
    assert [p.part.specification for p in award.stacked_parts.all()] == parts[:2]
    names = [p["name"] for p in award.credential.achievement["parts"]]
    assert names == ["Module 1", "Module 2"]
    assert not stack_qualifiers(owner, combined)
    with pytest.raises(ApplicationError) as error:
        services.stack_award_issue(actor=owner, specification=combined, learner_email="anna@example.org")
    assert error.value.code == "already_holds"
    with pytest.raises(ApplicationError) as error:
        services.stack_award_issue(actor=owner, specification=combined, learner_email="maris@example.org")
    assert error.value.code == "not_qualified" and Award.objects.filter(specification=combined).count() == 1


def test_at_least_n_and_in_order(owner, organisation, complete_data, parts):
    draft = _spec(owner, organisation, complete_data, "Combined", publish=False)
    services.composition_set(actor=owner, specification=draft, parts=[p.public_id for p in parts],
                             rule="at_least", required=2, ordered=True)
    combined = specification_publish(actor=owner, specification=draft)
    today = datetime.date.today()
    _give(owner, parts[0], "a@example.org", on=today - datetime.timedelta(days=5))
    _give(owner, parts[2], "a@example.org", on=today)
    _give(owner, parts[1], "b@example.org", on=today - datetime.timedelta(days=5))
    _give(owner, parts[0], "b@example.org", on=today)  # out of order
    # b holds two parts, but not earned in the listed order: the list leaves b out, as the service refuses b
    assert [a.learner_email for a in stack_qualifiers(owner, combined)] == ["a@example.org"]
    services.stack_award_issue(actor=owner, specification=combined, learner_email="a@example.org")
    with pytest.raises(ApplicationError) as error:
        services.stack_award_issue(actor=owner, specification=combined, learner_email="b@example.org")
    assert error.value.code == "not_qualified"


@pytest.mark.parametrize("kwargs, code", [
    ({"parts": "one"}, "parts"), ({"parts": "same"}, "parts"), ({"parts": "draft"}, "parts"),
    ({"parts": "two", "rule": "some"}, "rule"), ({"parts": "two", "rule": "at_least", "required": 3}, "required"),
])
def test_composition_rules(owner, organisation, complete_data, parts, kwargs, code):
    draft = _spec(owner, organisation, complete_data, "Combined", publish=False)
    other = _spec(owner, organisation, complete_data, "Draft part", publish=False)
    ids = {"one": [parts[0].public_id], "same": [parts[0].public_id] * 2, "two": [p.public_id for p in parts[:2]],
           "draft": [parts[0].public_id, other.public_id]}[kwargs.pop("parts")]
    with pytest.raises(ApplicationError) as error:
        services.composition_set(actor=owner, specification=draft, parts=ids, **kwargs)
    assert error.value.code == code and not Composition.objects.exists()


def test_a_published_micro_credential_is_not_recomposed(owner, combined, parts):
    before = list(Composition.objects.values())
    with pytest.raises(ApplicationError):
        services.composition_set(actor=owner, specification=combined, parts=[p.public_id for p in parts])
    assert list(Composition.objects.values()) == before


def test_parts_of_another_provider_are_refused(owner, outsider, other_organisation, complete_data, parts):
    other_organisation.identifier = "40003000001"
    other_organisation.save(update_fields=["identifier"])
    foreign = _spec(outsider, other_organisation, complete_data, "Foreign module")
    draft = _spec(owner, parts[0].organisation, complete_data, "Combined", publish=False)
    with pytest.raises(ApplicationError):
        services.composition_set(actor=owner, specification=draft, parts=[parts[0].public_id, foreign.public_id])
    assert not Composition.objects.exists()


def test_edc_of_the_combined_credential_has_its_parts_and_conforms(client, owner, parts, combined):
    import pyshacl  # a dev dependency: missing, the test fails
    from django.conf import settings
    from rdflib import Graph

    from agnitio.credentials.signing.loader import canonize

    for p in parts[:2]:
        _give(owner, p, "anna@example.org")
    award = services.stack_award_issue(actor=owner, specification=combined, learner_email="anna@example.org")
    client.force_login(owner)
    document = json.loads(client.get(reverse("credentials:issued_edc", args=[award.credential.public_id])).content)
    has_part = document["credentialSubject"]["hasClaim"]["hasPart"]
    assert [next(iter(p["title"].values())) for p in has_part] == ["Module 1", "Module 2"]
    assert all(p["supplementaryDocument"]["contentURL"].startswith("http") for p in has_part)
    graph = Graph().parse(data=canonize(document), format="nt")
    shapes = Graph().parse(settings.BASE_DIR / "agnitio" / "credentials" / "shapes" / "EDC-generic-no-cv.ttl",
                           format="turtle")
    conforms, _graph, report = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    assert conforms, report
    part = StackedPart.objects.first().part
    page = client.get(reverse("microcredentials:award_detail", args=[part.public_id])).content.decode()
    assert "Counts towards" in page and "Youth worker certificate" in page
    page = client.get(reverse("microcredentials:award_detail", args=[award.public_id])).content.decode()
    assert "Made of" in page and "Module 2" in page


def test_the_combined_credential_is_checkable_by_digital_bazaar_and_the_standards(client, owner, parts, combined):
    """The combined micro-credential, issued through the stacking service: Digital Bazaar's verifier accepts it with
    only what the app serves, canonical N-Quads (credential, proof configuration, status list, EDC export with its
    parts) are Digital Bazaar's byte for byte with every term defined, the EDC export conforms; revoked, both
    verifiers refuse it, while its parts still verify (`credentials.tests.interop`)."""
    from agnitio.credentials.tests.interop import issued_interop_check, revoked_interop_check

    held = [_give(owner, p, "anna@example.org") for p in parts[:2]]
    award = services.stack_award_issue(actor=owner, specification=combined, learner_email="anna@example.org")
    # The parts are signed with it (OB 3.0 evidence: what the learner earned to earn it), not only in its record.
    evidence = award.credential.credential["evidence"]
    assert [(e["name"], e["id"], e["genre"]) for e in evidence] == [
        (p.specification.title, p.credential.verification_url, "Micro-credential") for p in held]
    assert all(p.credential.number in e["description"] for p, e in zip(held, evidence, strict=True))
    issued_interop_check(award.credential, client=client)
    revoked_interop_check(award.credential, client=client, actor=owner)
    for part in held:
        issued_interop_check(part.credential, client=client)


def test_pages_compose_list_and_issue_without_javascript(client, owner, organisation, complete_data, parts):
    draft = _spec(owner, organisation, complete_data, "Combined", publish=False)
    client.force_login(owner)
    url = reverse("microcredentials:composition_edit", args=[draft.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"parts": [parts[0].public_id, parts[1].public_id], "rule": "all"})
    assert response.status_code == 302 and Composition.objects.get().parts == [parts[0].lineage, parts[1].lineage]
    combined = specification_publish(actor=owner, specification=draft)
    for p in parts[:2]:
        _give(owner, p, "anna@example.org")
    page = client.get(reverse("microcredentials:stack_qualifiers", args=[combined.public_id])).content.decode()
    assert "anna@example.org" in page
    response = client.post(reverse("microcredentials:stack_issue", args=[combined.public_id]),
                           {"learner_email": "anna@example.org"})
    assert response.status_code == 302 and Award.objects.filter(specification=combined).count() == 1


def test_outsiders_see_nothing_and_change_nothing(client, owner, outsider, parts, combined):
    for p in parts[:2]:
        _give(owner, p, "anna@example.org")
    before = (Composition.objects.get().parts, Award.objects.count())
    with pytest.raises((NotFound, PermissionDenied)):
        services.stack_award_issue(actor=outsider, specification=combined, learner_email="anna@example.org")
    with pytest.raises(NotFound):
        stack_qualifier_page(actor=outsider, specification=combined)
    client.force_login(outsider)
    for name in ("stack_qualifiers", "composition_edit"):
        assert client.get(reverse(f"microcredentials:{name}", args=[combined.public_id])).status_code == 404
    assert client.post(reverse("microcredentials:stack_issue", args=[combined.public_id]),
                       {"learner_email": "anna@example.org"}).status_code == 404
    assert (Composition.objects.get().parts, Award.objects.count()) == before


def _holders(parts, start, stop):
    Award.objects.bulk_create([
        Award(organisation=p.organisation, specification=p, learner_name=f"L{i}", learner_email=f"l{i}@example.org",
              issued_on=datetime.date.today(), status=Award.Status.ISSUED)
        for i in range(start, stop) for p in parts])


def test_qualifiers_page_queries_do_not_grow(client, owner, parts, combined):
    client.force_login(owner)
    url = reverse("microcredentials:stack_qualifiers", args=[combined.public_id]) + "?size=20"
    client.get(url)  # the session and the user, loaded once
    counts = []
    for start, stop in ((0, 3), (3, 40)):
        _holders(parts[:2], start, stop)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200 and "l0@example.org" in response.content.decode()
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    page = response.context["page"]
    assert page.has_next and len(page.items) == 20
    second = client.get(page.next_url)
    first_ids = {q.learner_email for q in page.items}
    second_ids = {q.learner_email for q in second.context["page"].items}
    assert second_ids and not first_ids & second_ids
    assert len(first_ids | second_ids) == 40 and not second.context["page"].has_next


def test_order_rule_pages_stay_bounded_and_complete(owner, organisation, complete_data, parts):
    """With the order rule, the list reads a bounded number of candidate windows per page: a page may be short,
    but following the pages lists every learner who qualifies, once, and nobody who does not."""
    draft = _spec(owner, organisation, complete_data, "Ordered", publish=False)
    services.composition_set(actor=owner, specification=draft, parts=[p.public_id for p in parts[:2]],
                             ordered=True)
    ordered = specification_publish(actor=owner, specification=draft)
    today = datetime.date.today()
    rows = []
    for i in range(30):  # every third learner earned the parts in order
        first, second = (today - datetime.timedelta(days=3), today) if i % 3 == 0 else (
            today, today - datetime.timedelta(days=3))
        rows += [Award(organisation=organisation, specification=parts[0], learner_name=f"L{i}",
                       learner_email=f"l{i:02}@example.org", issued_on=first, status=Award.Status.ISSUED),
                 Award(organisation=organisation, specification=parts[1], learner_name=f"L{i}",
                       learner_email=f"l{i:02}@example.org", issued_on=second, status=Award.Status.ISSUED)]
    Award.objects.bulk_create(rows)
    expected = [f"l{i:02}@example.org" for i in range(0, 30, 3)]
    assert [q.learner_email for q in stack_qualifiers(owner, ordered, size=2)] == expected
    with CaptureQueriesContext(connection) as ctx:
        page = stack_qualifier_page(actor=owner, specification=ordered, size=2)
    assert [q.learner_email for q in page.items] == expected[:2] and page.has_next
    assert len(ctx.captured_queries) <= 3 + 3 * 4  # specification, composition; three per candidate window
    back = stack_qualifier_page(actor=owner, specification=ordered, size=2, cursor=stack_qualifier_page(
        actor=owner, specification=ordered, size=2, cursor=page.next_cursor).previous_cursor)
    assert [q.learner_email for q in back.items] == expected[:2]


def test_api_compose_qualifiers_issue(client, owner, outsider, organisation, complete_data, parts):
    _t, secret = api_token_create(actor=owner, name="tests")
    _t, outsider_secret = api_token_create(actor=outsider, name="tests")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    draft = _spec(owner, organisation, complete_data, "Combined", publish=False)
    url = f"{API}/specifications/{draft.public_id}/composition"
    body = {"parts": [p.public_id for p in parts[:2]], "rule": "all"}
    response = client.put(url, body, content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {outsider_secret}")
    assert response.status_code == 404 and not Composition.objects.exists()
    response = client.put(url, dict(body, ordered=1), content_type="application/json", **auth)
    assert response.status_code == 422 and not Composition.objects.exists()
    response = client.put(url, body, content_type="application/json", **auth)
    assert response.status_code == 200, response.content
    combined = specification_publish(actor=owner, specification=draft)
    for p in parts[:2]:
        _give(owner, p, "anna@example.org")
    response = client.get(f"{API}/specifications/{combined.public_id}/qualifiers", **auth)
    assert response.status_code == 200 and response.json()["items"][0]["learner_email"] == "anna@example.org"
    response = client.post(f"{API}/specifications/{combined.public_id}/stacked-awards",
                           {"learner_email": "anna@example.org"}, content_type="application/json", **auth)
    assert response.status_code == 201, response.content
    response = client.post(f"{API}/specifications/{combined.public_id}/stacked-awards",
                           {"learner_email": "anna@example.org"}, content_type="application/json", **auth)
    assert response.status_code == 400 and Award.objects.filter(specification=combined).count() == 1


def test_a_composition_belongs_to_its_version_and_a_new_version_starts_with_a_copy(owner, parts, combined):
    from agnitio.microcredentials.selectors import composition_get
    from agnitio.microcredentials.services.specifications import specification_new_version

    new = specification_new_version(actor=owner, specification=combined)
    copied = composition_get(actor=owner, specification=new)
    assert copied.parts == [p.lineage for p in parts[:2]] and copied.specification == new
    services.composition_set(actor=owner, specification=new, parts=[p.public_id for p in parts],
                             rule="at_least", required=3)
    published = composition_get(actor=owner, specification=combined)
    assert published.parts == [p.lineage for p in parts[:2]] and published.rule == "all"  # unchanged
    assert composition_get(actor=owner, specification=new).parts == [p.lineage for p in parts]
    for p in parts[:2]:
        _give(owner, p, "anna@example.org")
    # the published version still asks for its own two parts; the draft's three do not apply to it
    assert [a.learner_email for a in stack_qualifiers(owner, combined)] == ["anna@example.org"]
    award = services.stack_award_issue(actor=owner, specification=combined, learner_email="anna@example.org")
    assert award.specification == combined and award.stacked_parts.count() == 2
