"""Stacking with parts from other providers (issue 13, point 5 with point 6): a micro-credential of another provider
counts as one of the parts only once the composition's provider decided it "recognised" and mapped it to one of
its own published specifications; pending, partly recognised and refused requests, and another provider's
recognitions, never count. The combined credential references the external part (issuer, title, identifier,
verification address) in its data and its EDC export (conforming under pySHACL). Denials change nothing."""

import json

import pytest
from django.urls import reverse

from agnitio.apikeys.services import api_token_create
from agnitio.core.errors import ApplicationError, NotFound
from agnitio.microcredentials.models import Award, ProviderProfile, RecognitionRequest, StackedPart
from agnitio.microcredentials.selectors import stack_qualifiers
from agnitio.microcredentials.services import awards as award_services
from agnitio.microcredentials.services import recognition as recognition_services
from agnitio.microcredentials.services import stacking as services
from agnitio.microcredentials.services.specifications import specification_create, specification_publish

API = "/api/v1/microcredentials"


def _spec(owner, organisation, data, title, publish=True):
    spec = specification_create(actor=owner, organisation=organisation, data=dict(data, title=title))
    return specification_publish(actor=owner, specification=spec) if publish else spec


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
    assert not stack_qualifiers(actor=owner, specification=combined).exists()  # pending: does not count
    with pytest.raises(ApplicationError) as error:
        services.stack_award_issue(actor=owner, specification=combined, learner_email="anna@example.org")
    assert error.value.code == "not_qualified"
    recognition_services.recognition_decide(actor=owner, public_id=request.public_id, decision="recognised",
                                            reason="Equivalent to our Module 2.", counts_as=parts[1].public_id)
    assert [a.learner_email for a in stack_qualifiers(actor=owner, specification=combined)] == ["anna@example.org"]
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
    assert "Issued by Association Autre; recognised by Biedrība Jaunatnes Tilts" in (
        external["additionalNote"][0]["noteLiteral"]["en"])
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
    assert not stack_qualifiers(actor=owner, specification=combined).exists()
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
    _give(owner, parts[0])
    own_module_2 = _give(owner, parts[1], email="someone@example.org")
    ProviderProfile.objects.create(organisation=other_organisation, recognition_policy="Ours")
    other_organisation.identifier = "40003000001"
    other_organisation.save(update_fields=["identifier"])
    theirs = _spec(outsider, other_organisation, complete_data, "Their module")
    request = _submit(anna, other_organisation, own_module_2)
    before = _state()
    with pytest.raises(ApplicationError) as error:  # the other provider cannot map to our specification
        recognition_services.recognition_decide(actor=outsider, public_id=request.public_id, decision="recognised",
                                                reason="x", counts_as=parts[1].public_id)
    assert error.value.code == "counts_as" and _state() == before
    recognition_services.recognition_decide(actor=outsider, public_id=request.public_id, decision="recognised",
                                            reason="Equivalent.", counts_as=theirs.public_id)
    RecognitionRequest.objects.filter(pk=request.pk).update(counts_as=parts[1])  # even forced, it is not ours
    assert not stack_qualifiers(actor=owner, specification=combined).exists()
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
    assert [a.learner_email for a in stack_qualifiers(actor=owner, specification=combined)] == ["anna@example.org"]
    client.force_login(owner)
    page = client.get(reverse("microcredentials:stack_qualifiers", args=[combined.public_id])).content.decode()
    assert "Intercultural facilitation (Autre)" in page
    award = services.stack_award_issue(actor=owner, specification=combined, learner_email="ANNA@example.org")
    assert award.learner_email == "anna@example.org" and award.stacked_parts.count() == 2
