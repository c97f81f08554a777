"""Stacking with parts from other providers (issue 13, point 5 with point 6): a micro-credential of another provider
counts as one of the parts only once the composition's provider decided it "recognised" and mapped it to one of
its own published specifications; pending, partly recognised and refused requests, and another provider's
recognitions, never count. The combined credential references the external part (issuer, title, identifier,
verification address) in its data and its EDC export (conforming under pySHACL). Denials change nothing."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agnitio.apikeys.services import api_token_create
from agnitio.core.errors import ApplicationError, NotFound
from agnitio.microcredentials.models import Award, ProviderProfile, RecognitionRequest, StackedPart
from agnitio.microcredentials.selectors import stack_qualifier_page
from agnitio.microcredentials.services import awards as award_services
from agnitio.microcredentials.services import recognition as recognition_services
from agnitio.microcredentials.services import stacking as services
from agnitio.microcredentials.services.specifications import specification_publish

from .stacking_helpers import _spec, stack_qualifiers

API = "/api/v1/microcredentials"



def _give(actor, spec, email="anna@example.org", name="Anna Bērziņa"):
    return award_services.award_issue(actor=actor, specification=spec,
                                      learner=award_services.LearnerIn(name=name, email=email))


@pytest.fixture
def anna(make_user):
    return make_user("anna@example.org", full_name="Anna Bērziņa")


@pytest.fixture
def parts(owner, organisation, complete_data):
    ProviderProfile.objects.create(organisation=organisation, recognition_policy="We recognise EQF 4+.")
    return [_spec(owner, organisation, complete_data, f"Module {i}") for i in (1, 2)]


@pytest.fixture
def combined(owner, organisation, complete_data, parts):
    draft = _spec(owner, organisation, complete_data, "Youth worker certificate", publish=False)
    services.composition_set(actor=owner, specification=draft, parts=[p.public_id for p in parts])
    return specification_publish(actor=owner, specification=draft)


@pytest.fixture
def foreign(outsider, other_organisation, complete_data):
    """A micro-credential of the other provider held by Anna (a signed credential she can submit)."""
    other_organisation.identifier = "40003000001"
    other_organisation.save(update_fields=["identifier"])
    spec = _spec(outsider, other_organisation, complete_data, "Intercultural facilitation (Autre)")
    return _give(outsider, spec)


def _submit(anna, provider, award):
    return recognition_services.recognition_submit(actor=anna, provider_public_id=provider.public_id,
                                                   raw=json.dumps(award.credential.credential).encode())


def _state():
    return (list(RecognitionRequest.objects.values("status", "counts_as_id", "decision_reason")),
            Award.objects.count(), StackedPart.objects.count())


def _assert_conforms(document):
    import pyshacl  # a dev dependency: missing, the test fails
    from django.conf import settings
    from rdflib import Graph

    from agnitio.credentials.signing.loader import canonize

    graph = Graph().parse(data=canonize(document), format="nt")
    shapes = Graph().parse(settings.BASE_DIR / "agnitio" / "credentials" / "shapes" / "EDC-generic-no-cv.ttl",
                           format="turtle")
    conforms, _graph, report = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    assert conforms, report


def test_qualifies_only_after_recognition_and_the_combined_references_the_external_part(
        client, owner, anna, parts, combined, foreign):
    _give(owner, parts[0])
    request = _submit(anna, parts[0].organisation, foreign)
    assert not stack_qualifiers(owner, combined)  # pending: does not count
    with pytest.raises(ApplicationError) as error:
        services.stack_award_issue(actor=owner, specification=combined, learner_email="anna@example.org")
    assert error.value.code == "not_qualified"
    recognition_services.recognition_decide(actor=owner, public_id=request.public_id, decision="recognised",
                                            reason="Equivalent to our Module 2.", counts_as=parts[1].public_id)
    assert [a.learner_email for a in stack_qualifiers(owner, combined)] == ["anna@example.org"]
    client.force_login(owner)
    page = client.get(reverse("microcredentials:stack_qualifiers", args=[combined.public_id])).content.decode()
    assert "anna@example.org" in page and "Intercultural facilitation (Autre)" in page

    award = services.stack_award_issue(actor=owner, specification=combined, learner_email="anna@example.org")
    links = list(award.stacked_parts.all())
    assert links[0].part.specification == parts[0] and links[1].recognition == RecognitionRequest.objects.get()
    external = award.credential.achievement["parts"][1]
    assert external["external"] and external["issuer"] == "Association Autre"
    assert external["name"] == "Intercultural facilitation (Autre)" and external["counts_as"] == "Module 2"
    assert external["credential"] == foreign.credential.credential["id"]
    assert external["verification_url"] == foreign.credential.verification_url and external["verified"]
    assert external["issuer_country"] == "FR"

    document = json.loads(client.get(reverse("credentials:issued_edc", args=[award.credential.public_id])).content)
    has_part = document["credentialSubject"]["hasClaim"]["hasPart"]
    assert [next(iter(p["title"].values())) for p in has_part] == ["Module 1", "Intercultural facilitation (Autre)"]
    body = has_part[1]["awardedBy"]["awardingBody"][0]
    assert next(iter(body["legalName"].values())) == "Association Autre"
    assert has_part[1]["identifier"]["notation"] == foreign.credential.credential["id"]
    assert has_part[1]["supplementaryDocument"]["contentURL"] == foreign.credential.verification_url
    _assert_conforms(document)
    page = client.get(reverse("microcredentials:award_detail", args=[award.public_id])).content.decode()
    assert "Made of" in page and "Intercultural facilitation (Autre)" in page and "Association Autre" in page
    # The signed credential carries the external part too (OB 3.0 evidence), checkable by Digital Bazaar's verifier.
    from agnitio.credentials.tests.interop import issued_interop_check

    evidence = award.credential.credential["evidence"][1]
    assert evidence["name"] == "Intercultural facilitation (Autre)"
    assert evidence["genre"] == "Recognised micro-credential"
    assert evidence["id"] == foreign.credential.verification_url
    assert evidence["description"].startswith("Issued by Association Autre")
    assert foreign.credential.credential["id"] in evidence["description"] and "as Module 2" in evidence["description"]
    issued_interop_check(award.credential, client=client)


def test_every_part_recognised_is_enough_to_issue(owner, anna, outsider, other_organisation, complete_data,
                                                  parts, combined, foreign):
    second = _give(outsider, _spec(outsider, other_organisation, complete_data, "Debriefing (Autre)"))
    for award, part in ((foreign, parts[0]), (second, parts[1])):
        request = _submit(anna, parts[0].organisation, award)
        recognition_services.recognition_decide(actor=owner, public_id=request.public_id, decision="recognised",
                                                reason="Equivalent.", counts_as=part.public_id)
    award = services.stack_award_issue(actor=owner, specification=combined, learner_email="anna@example.org")
    assert award.learner_name == "Anna Bērziņa" and award.stacked_parts.filter(recognition__isnull=False).count() == 2


def test_external_part_of_an_issuer_in_an_unknown_country_still_conforms(client, owner, anna, parts, combined,
                                                                         foreign):
    """An ELM organisation needs a country: when the submitted credential does not say it, the part stays under
    the recognising provider's awarding process and a note names the other provider."""
    _give(owner, parts[0])
    request = _submit(anna, parts[0].organisation, foreign)
    RecognitionRequest.objects.filter(pk=request.pk).update(issuer_country="")
    recognition_services.recognition_decide(actor=owner, public_id=request.public_id, decision="recognised",
                                            reason="Equivalent.", counts_as=parts[1].public_id)
    award = services.stack_award_issue(actor=owner, specification=combined, learner_email="anna@example.org")
    client.force_login(owner)
    document = json.loads(client.get(reverse("credentials:issued_edc", args=[award.credential.public_id])).content)
    claim = document["credentialSubject"]["hasClaim"]
    external = claim["hasPart"][1]
    assert external["awardedBy"] == claim["awardedBy"]["id"]
    note = external["additionalNote"][0]["noteLiteral"]
    assert set(note) == set(award.credential.languages) == {"lv", "en"}  # in every language of the credential
    assert note["en"].startswith("Issued by Association Autre; recognised by Biedrība Jaunatnes Tilts on ")
    assert note["lv"].startswith("Izsniedza Association Autre; atzina Biedrība Jaunatnes Tilts ")
    _assert_conforms(document)


@pytest.mark.parametrize("decision", ["partly", "refused"])
def test_partly_recognised_or_refused_does_not_count(owner, anna, parts, combined, foreign, decision):
    _give(owner, parts[0])
    request = _submit(anna, parts[0].organisation, foreign)
    before = _state()
    with pytest.raises(ApplicationError) as error:  # only a micro-credential recognised in full counts as ours
        recognition_services.recognition_decide(actor=owner, public_id=request.public_id, decision=decision,
                                                reason="Covers part of Module 2.", counts_as=parts[1].public_id)
    assert error.value.code == "counts_as" and _state() == before
    recognition_services.recognition_decide(actor=owner, public_id=request.public_id, decision=decision,
                                            reason="Covers part of Module 2.")
    assert RecognitionRequest.objects.get().counts_as is None
    assert not stack_qualifiers(owner, combined)
    with pytest.raises(ApplicationError) as error:
        services.stack_award_issue(actor=owner, specification=combined, learner_email="anna@example.org")
    assert error.value.code == "not_qualified" and not Award.objects.filter(specification=combined).exists()


def test_only_the_providers_own_published_specifications(owner, anna, organisation, complete_data, parts,
                                                         combined, foreign):
    request = _submit(anna, organisation, foreign)
    draft = _spec(owner, organisation, complete_data, "Draft module", publish=False)
    before = _state()
    for counts_as in (draft.public_id, foreign.specification.public_id, "nonexistent"):
        with pytest.raises(ApplicationError) as error:
            recognition_services.recognition_decide(actor=owner, public_id=request.public_id,
                                                    decision="recognised", reason="x", counts_as=counts_as)
        assert error.value.code == "counts_as"
    assert _state() == before


def test_another_providers_recognition_does_not_count(owner, anna, outsider, other_organisation, complete_data,
                                                      parts, combined):
    """Anna's Module 1 from this provider, submitted to the other provider, recognised there as its own: it says
    nothing about this provider's composition — not even a recognition row pointing at our part."""
    own_module_1 = _give(owner, parts[0])
    _give(owner, parts[1], email="someone@example.org")
    ProviderProfile.objects.create(organisation=other_organisation, recognition_policy="Ours")
    other_organisation.identifier = "40003000001"
    other_organisation.save(update_fields=["identifier"])
    theirs = _spec(outsider, other_organisation, complete_data, "Their module")
    request = _submit(anna, other_organisation, own_module_1)  # only the holder may submit it
    before = _state()
    with pytest.raises(ApplicationError) as error:  # the other provider cannot map to our specification
        recognition_services.recognition_decide(actor=outsider, public_id=request.public_id, decision="recognised",
                                                reason="x", counts_as=parts[1].public_id)
    assert error.value.code == "counts_as" and _state() == before
    recognition_services.recognition_decide(actor=outsider, public_id=request.public_id, decision="recognised",
                                            reason="Equivalent.", counts_as=theirs.public_id)
    RecognitionRequest.objects.filter(pk=request.pk).update(counts_as=parts[1])  # even forced, it is not ours
    assert not stack_qualifiers(owner, combined)
    with pytest.raises(ApplicationError) as error:
        services.stack_award_issue(actor=owner, specification=combined, learner_email="anna@example.org")
    assert error.value.code == "not_qualified"


def test_only_the_receiving_provider_decides_and_maps(client, owner, anna, outsider, make_user, parts,
                                                     combined, foreign):
    request = _submit(anna, parts[0].organisation, foreign)
    url = reverse("microcredentials:recognition_detail", args=[request.public_id])
    body = {"decision": "recognised", "reason": "x", "counts_as": parts[1].public_id}
    before = _state()
    for actor in (anna, outsider, make_user("stranger@example.org")):
        with pytest.raises(NotFound):
            recognition_services.recognition_decide(actor=actor, public_id=request.public_id, **body)
        client.force_login(actor)
        assert client.post(url, body).status_code == 404
    assert _state() == before
    client.force_login(owner)
    page = client.get(url).content.decode()
    assert 'name="counts_as"' in page and "Module 2" in page and "Youth worker certificate" in page
    assert client.post(url, body).status_code == 302
    assert RecognitionRequest.objects.get().counts_as == parts[1]
    client.force_login(anna)
    assert "Module 2" in client.get(url).content.decode()


def test_api_decides_with_counts_as(client, owner, outsider, anna, parts, combined, foreign):
    request = _submit(anna, parts[0].organisation, foreign)
    url = f"{API}/recognitions/{request.public_id}/decision"
    body = {"decision": "recognised", "reason": "Equivalent.", "counts_as": parts[1].public_id}
    before = _state()
    response = client.post(url, body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {api_token_create(actor=outsider, name='t')[1]}")
    assert response.status_code == 404 and _state() == before
    response = client.post(url, body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {api_token_create(actor=owner, name='t')[1]}")
    assert response.status_code == 200 and response.json()["counts_as"] == parts[1].public_id


# --- who qualifies: own awards and recognitions together (one rule for the list, the API and issuing) -----------

def _recognise(owner, anna, provider, award, part):
    request = _submit(anna, provider, award)
    return recognition_services.recognition_decide(actor=owner, public_id=request.public_id,
                                                   decision="recognised", reason="Equivalent.",
                                                   counts_as=part.public_id)


def _api(client, actor, url):
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {api_token_create(actor=actor, name='t')[1]}")


def test_a_learner_holding_every_part_by_recognition_is_listed_and_can_be_issued(
        client, owner, anna, outsider, other_organisation, complete_data, parts, combined, foreign):
    second = _give(outsider, _spec(outsider, other_organisation, complete_data, "Debriefing (Autre)"))
    first = _recognise(owner, anna, parts[0].organisation, foreign, parts[0])
    other = _recognise(owner, anna, parts[0].organisation, second, parts[1])
    listed = stack_qualifiers(owner, combined)
    assert [q.learner_email for q in listed] == ["anna@example.org"]
    assert listed[0].learner_name == "Anna Bērziņa" and listed[0].parts == [first, other] and not listed[0].own
    client.force_login(owner)
    page = client.get(reverse("microcredentials:stack_qualifiers", args=[combined.public_id])).content.decode()
    assert "anna@example.org" in page and "Debriefing (Autre)" in page and 'name="learner_email"' in page
    body = _api(client, owner, f"{API}/specifications/{combined.public_id}/qualifiers").json()
    assert body["items"] == [{
        "learner_name": "Anna Bērziņa", "learner_email": "anna@example.org", "latest_part": None,
        "parts": [{"source": "recognition", "public_id": first.public_id, "part": parts[0].public_id,
                   "title": "Intercultural facilitation (Autre)", "held_on": first.decided_at.date().isoformat(),
                   "issuer": "Association Autre"},
                  {"source": "recognition", "public_id": other.public_id, "part": parts[1].public_id,
                   "title": "Debriefing (Autre)", "held_on": other.decided_at.date().isoformat(),
                   "issuer": "Association Autre"}]}]
    response = client.post(reverse("microcredentials:stack_issue", args=[combined.public_id]),
                           {"learner_email": "anna@example.org"})
    award = Award.objects.get(specification=combined)
    assert response.status_code == 302 and award.stacked_parts.filter(recognition__isnull=False).count() == 2
    assert not stack_qualifiers(owner, combined)  # holds it now


def test_a_mix_of_own_awards_and_recognitions_shows_which_is_which(client, owner, anna, parts, combined, foreign):
    own = _give(owner, parts[0])
    recognised = _recognise(owner, anna, parts[0].organisation, foreign, parts[1])
    [qualifier] = stack_qualifiers(owner, combined)
    assert qualifier.own == [own] and qualifier.recognised == [recognised] and qualifier.latest_award == own
    body = _api(client, owner, f"{API}/specifications/{combined.public_id}/qualifiers").json()
    item = body["items"][0]
    assert item["latest_part"] == own.public_id
    assert [(p["source"], p["public_id"], p["part"]) for p in item["parts"]] == [
        ("award", own.public_id, parts[0].public_id), ("recognition", recognised.public_id, parts[1].public_id)]
    assert item["parts"][0]["issuer"] == "Biedrība Jaunatnes Tilts"
    client.force_login(owner)
    html = client.get(reverse("microcredentials:stack_qualifiers", args=[combined.public_id])).content.decode()
    mine = html.index("Parts awarded by you")
    assert reverse("microcredentials:award_detail", args=[own.public_id]) in html[mine:]
    assert reverse("microcredentials:recognition_detail", args=[recognised.public_id]) in html[mine:]


def test_the_same_part_held_twice_counts_once(owner, anna, parts, combined, foreign):
    """Module 1 awarded and also recognised: one part, not two — Anna does not qualify for "all of the two"."""
    _give(owner, parts[0])
    _recognise(owner, anna, parts[0].organisation, foreign, parts[0])
    assert not stack_qualifiers(owner, combined)
    with pytest.raises(ApplicationError) as error:
        services.stack_award_issue(actor=owner, specification=combined, learner_email="anna@example.org")
    assert error.value.code == "not_qualified"


@pytest.mark.parametrize("decision", ["refused", "partly", "pending"])
def test_a_request_not_recognised_in_full_is_not_listed(client, owner, anna, parts, combined, foreign, decision):
    _give(owner, parts[0])
    request = _submit(anna, parts[0].organisation, foreign)
    if decision != "pending":
        recognition_services.recognition_decide(actor=owner, public_id=request.public_id, decision=decision,
                                                reason="Not equivalent.")
    # even a stale mapping to a part (a request refused or partly recognised never has one) would not count
    RecognitionRequest.objects.filter(pk=request.pk).update(counts_as=parts[1])
    assert not stack_qualifiers(owner, combined)
    assert _api(client, owner, f"{API}/specifications/{combined.public_id}/qualifiers").json()["items"] == []
    client.force_login(owner)
    page = client.get(reverse("microcredentials:stack_qualifiers", args=[combined.public_id])).content.decode()
    assert "anna@example.org" not in page and "Nobody qualifies yet." in page


def test_a_recognition_by_another_provider_is_not_listed_here(client, owner, anna, outsider, organisation,
                                                              other_organisation, complete_data, parts, combined,
                                                              foreign):
    """Anna's micro-credential recognised by the other provider (as one of its own): nothing for this provider's
    list, page or API, even if the row were made to point at our part. (She submits one of her own: only its
    holder may ask for a credential's recognition.)"""
    ProviderProfile.objects.create(organisation=other_organisation, recognition_policy="Ours")
    own_part = _give(owner, _spec(owner, organisation, complete_data, "Unrelated module"))
    theirs = _spec(outsider, other_organisation, complete_data, "Their module")
    _give(owner, parts[0])
    request = _submit(anna, other_organisation, own_part)
    recognition_services.recognition_decide(actor=outsider, public_id=request.public_id, decision="recognised",
                                            reason="Equivalent.", counts_as=theirs.public_id)
    RecognitionRequest.objects.filter(pk=request.pk).update(counts_as=parts[1])
    assert not stack_qualifiers(owner, combined)
    assert _api(client, owner, f"{API}/specifications/{combined.public_id}/qualifiers").json()["items"] == []


def test_order_rule_counts_a_recognition_from_its_decision(owner, anna, organisation, complete_data, parts, foreign):
    """In order: Module 1 then Module 2. Module 2 recognised (decided today) and Module 1 awarded after it — out
    of order: neither listed nor issued; with Module 1 earned before the decision, listed and issued."""
    draft = _spec(owner, organisation, complete_data, "Ordered certificate", publish=False)
    services.composition_set(actor=owner, specification=draft, parts=[p.public_id for p in parts], ordered=True)
    ordered = specification_publish(actor=owner, specification=draft)
    _recognise(owner, anna, organisation, foreign, parts[1])
    late = _give(owner, parts[0])
    Award.objects.filter(pk=late.pk).update(issued_on=datetime.date.today() + datetime.timedelta(days=1))
    assert not stack_qualifiers(owner, ordered)
    with pytest.raises(ApplicationError):
        services.stack_award_issue(actor=owner, specification=ordered, learner_email="anna@example.org")
    Award.objects.filter(pk=late.pk).update(issued_on=datetime.date.today() - datetime.timedelta(days=5))
    assert [q.learner_email for q in stack_qualifiers(owner, ordered)] == ["anna@example.org"]
    assert services.stack_award_issue(actor=owner, specification=ordered, learner_email="anna@example.org")


def _recognised_learners(organisation, parts, start, stop):
    """Learners with accounts each of whose `parts` was recognised (rows made directly: the numbers matter)."""
    from django.utils import timezone

    from agnitio.accounts.models import User

    users = User.objects.bulk_create([User(email=f"r{i:03}@example.org", full_name=f"R{i}",
                                           public_id=f"recognised-learner-{i:03}") for i in range(start, stop)])
    RecognitionRequest.objects.bulk_create([RecognitionRequest(
        organisation=organisation, learner=user, kind="vc", title=f"External {part.title}",
        issuer_name="Association Autre", status=RecognitionRequest.Status.RECOGNISED, counts_as=part,
        decided_at=timezone.now()) for user in users for part in parts])


def test_qualifiers_with_recognitions_page_and_api_queries_do_not_grow(client, owner, parts, combined):
    """Own-only, mixed and recognition-only learners: the page and the API cost the same queries at 6 and at 60
    learners, and the pages list each of them once."""
    import datetime as dt

    organisation = parts[0].organisation
    client.force_login(owner)
    url = reverse("microcredentials:stack_qualifiers", args=[combined.public_id]) + "?size=10"
    api_url = f"{API}/specifications/{combined.public_id}/qualifiers?size=10"
    token = api_token_create(actor=owner, name="t")[1]
    client.get(url)
    client.get(api_url, HTTP_AUTHORIZATION=f"Bearer {token}")  # the token's first use is recorded once
    counts, api_counts = [], []
    for start, stop in ((0, 2), (2, 20)):
        # own: both parts; mixed: part 1 own, part 2 recognised; recognised only: both parts recognised
        Award.objects.bulk_create([
            Award(organisation=organisation, specification=p, learner_name=f"O{i}",
                  learner_email=f"o{i:03}@example.org", issued_on=dt.date.today(), status=Award.Status.ISSUED)
            for i in range(start, stop) for p in parts])
        _recognised_learners(organisation, parts[1:], 100 + start, 100 + stop)
        Award.objects.bulk_create([
            Award(organisation=organisation, specification=parts[0], learner_name=f"M{i}",
                  learner_email=f"r{i:03}@example.org", issued_on=dt.date.today(), status=Award.Status.ISSUED)
            for i in range(100 + start, 100 + stop)])
        _recognised_learners(organisation, parts, 200 + start, 200 + stop)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
        with CaptureQueriesContext(connection) as ctx:
            api = client.get(api_url, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert api.status_code == 200
        api_counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] and api_counts[0] == api_counts[1], (counts, api_counts)
    emails, cursor = [], None
    while True:
        body = client.get(api_url + (f"&cursor={cursor}" if cursor else ""),
                          HTTP_AUTHORIZATION=f"Bearer {token}").json()
        emails += [item["learner_email"] for item in body["items"]]
        assert len(body["items"]) <= 10
        if not body["next"]:
            break
        cursor = body["next"]
    assert len(emails) == len(set(emails)) == 60
    kinds = {item["learner_email"][0]: {p["source"] for p in item["parts"]} for item in body["items"]}
    assert kinds  # the last page: recognition-only learners (r2xx sort last)
    assert all(sources == {"recognition"} for sources in kinds.values())


def test_the_list_agrees_with_the_service(owner, parts, combined):
    """Whoever the list shows, the service issues to; whoever it leaves out, the service refuses."""
    import datetime as dt

    organisation = parts[0].organisation
    _recognised_learners(organisation, parts[1:], 0, 6)
    Award.objects.bulk_create([  # r000–r002 also hold part 1; r003–r005 hold only the recognised part 2
        Award(organisation=organisation, specification=parts[0], learner_name=f"R{i}",
              learner_email=f"r{i:03}@example.org", issued_on=dt.date.today(), status=Award.Status.ISSUED)
        for i in range(3)])
    listed = {q.learner_email for q in stack_qualifiers(owner, combined, size=2)}
    assert listed == {"r000@example.org", "r001@example.org", "r002@example.org"}
    for i in range(6):
        email = f"r{i:03}@example.org"
        if email in listed:
            assert services.stack_award_issue(actor=owner, specification=combined, learner_email=email)
        else:
            with pytest.raises(ApplicationError):
                services.stack_award_issue(actor=owner, specification=combined, learner_email=email)


def test_another_organisations_member_sees_no_qualifiers_and_issues_nothing(
        client, owner, anna, outsider, parts, combined, foreign):
    _give(owner, parts[0])
    _recognise(owner, anna, parts[0].organisation, foreign, parts[1])
    before = _state()
    with pytest.raises(NotFound):
        stack_qualifier_page(actor=outsider, specification=combined)
    with pytest.raises(NotFound):
        services.stack_award_issue(actor=outsider, specification=combined, learner_email="anna@example.org")
    client.force_login(outsider)
    assert client.get(reverse("microcredentials:stack_qualifiers", args=[combined.public_id])).status_code == 404
    assert client.post(reverse("microcredentials:stack_issue", args=[combined.public_id]),
                       {"learner_email": "anna@example.org"}).status_code == 404
    assert _api(client, outsider, f"{API}/specifications/{combined.public_id}/qualifiers").status_code == 404
    response = client.post(f"{API}/specifications/{combined.public_id}/stacked-awards",
                           {"learner_email": "anna@example.org"}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {api_token_create(actor=outsider, name='t')[1]}")
    assert response.status_code == 404 and _state() == before
    assert [q.learner_email for q in stack_qualifiers(owner, combined)] == ["anna@example.org"]


def test_a_recognition_counts_whatever_the_case_of_the_accounts_address(client, owner, anna, parts, combined,
                                                                         foreign):
    """The account's e-mail (editable in the admin) written with capitals still names the learner of the part
    awards (stored lower case): the recognition counts in the qualifiers list, its page and the issue."""
    from agnitio.accounts.models import User

    _give(owner, parts[0])
    request = _submit(anna, parts[0].organisation, foreign)
    recognition_services.recognition_decide(actor=owner, public_id=request.public_id, decision="recognised",
                                            reason="Equivalent to our Module 2.", counts_as=parts[1].public_id)
    User.objects.filter(pk=anna.pk).update(email="Anna@Example.org")
    assert [a.learner_email for a in stack_qualifiers(owner, combined)] == ["anna@example.org"]
    client.force_login(owner)
    page = client.get(reverse("microcredentials:stack_qualifiers", args=[combined.public_id])).content.decode()
    assert "Intercultural facilitation (Autre)" in page
    award = services.stack_award_issue(actor=owner, specification=combined, learner_email="ANNA@example.org")
    assert award.learner_email == "anna@example.org" and award.stacked_parts.count() == 2
