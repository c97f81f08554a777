"""The Annex I standard elements as coded European Learning Model concepts where ELM has them (issue 13, point 8;
ADR 0017): QF-EHEA cycle → `educationLevel` (our published concept), internal quality assurance → `Accreditation`
(EU type "programme quality assurance", the provider as accrediting agent), stackability → `isPartOf` / `hasPart`
(the provider's own compositions); the elements ELM has no property for → `Note`s with a `subject` concept of our
vocabulary, in the document's languages. The EDC export conforms to the EDC shapes (with and without the
controlled-vocabulary shapes) and the catalogue entry to the LOQ shapes, under pySHACL."""

import json

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agnitio.credentials.formats import elm_microcredential as mapping
from agnitio.microcredentials.services import awards as award_services
from agnitio.microcredentials.services import stacking
from agnitio.microcredentials.services.specifications import specification_create, specification_publish

SHAPES = settings.BASE_DIR / "agnitio" / "credentials" / "shapes"
PROGRAMME_QA = "http://data.europa.eu/snb/accreditation/820101cba6"


def _conforms(document, *shape_files):
    import pyshacl  # a dev dependency: missing, the test fails
    from rdflib import Graph

    from agnitio.credentials.signing.loader import canonize

    graph = Graph().parse(data=canonize(document), format="nt")  # contexts served locally, no network
    shapes = Graph()
    for name in shape_files:
        shapes.parse(SHAPES / name, format="turtle")
    conforms, _graph, report = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    assert conforms, report
    return graph


def _loq_conforms(document):
    import pyshacl
    from rdflib import Graph

    from agnitio.credentials.signing.loader import canonize
    from agnitio.microcredentials.shapes import loq_shapes

    graph = Graph().parse(data=canonize(document), format="nt")
    conforms, _graph, report = pyshacl.validate(graph, shacl_graph=loq_shapes(), inference="none")
    assert conforms, report
    return graph


def _spec(owner, organisation, data, **changes):
    spec = specification_create(actor=owner, organisation=organisation, data={**data, **changes})
    return specification_publish(actor=owner, specification=spec)


@pytest.fixture
def stack(owner, organisation, complete_data, published):
    """`published` (every Annex I element) is a part of a published combined micro-credential."""
    other = _spec(owner, organisation, complete_data, title="Debriefing in mixed groups")
    draft = specification_create(actor=owner, organisation=organisation,
                                 data={**complete_data, "title": "Youth worker certificate"})
    stacking.composition_set(actor=owner, specification=draft, parts=[published.public_id, other.public_id])
    combined = specification_publish(actor=owner, specification=draft)
    return {"part": published, "other": other, "combined": combined}


def _edc(client, owner, award):
    client.force_login(owner)
    return json.loads(client.get(reverse("credentials:issued_edc", args=[award.credential.public_id])).content)


def _issue(owner, specification, languages="lv+en", email="anna@example.org"):
    return award_services.award_issue(actor=owner, specification=specification, languages=languages,
                                      learner=award_services.LearnerIn(name="Anna Bērziņa", email=email))


def _notes(node) -> dict[str, dict]:
    return {n["subject"]["id"].rsplit("#", 1)[-1]: n for n in node.get("additionalNote", []) if "subject" in n}


def _entry_url(specification):
    from agnitio.microcredentials.urls_public import catalogue_entry_url

    return catalogue_entry_url(specification)


def test_edc_carries_the_coded_elements(client, owner, stack):
    document = _edc(client, owner, _issue(owner, stack["part"]))
    claim = document["credentialSubject"]["hasClaim"]
    spec = claim["specifiedBy"]
    # QF-EHEA cycle: educationLevel, a concept of our published scheme
    [level] = spec["educationLevel"]
    assert level["id"] == mapping.vocabulary_uri("qf-ehea-short")
    assert level["inScheme"]["id"] == mapping.vocabulary_uri("qf-ehea-cycles")
    assert level["prefLabel"] == {"en": "QF-EHEA cycle: short cycle", "lv": "EAITKI cikls: īsais cikls"}
    # internal quality assurance: an Accreditation by the provider (the awarding body)
    [accreditation] = spec["accreditation"]
    assert accreditation["type"] == "Accreditation"
    assert accreditation["dcType"]["id"] == PROGRAMME_QA
    assert accreditation["dcType"]["inScheme"]["id"] == "http://data.europa.eu/snb/accreditation/25831c2"
    provider = claim["awardedBy"]["awardingBody"][0]["id"]
    assert accreditation["accreditingAgent"] == provider and accreditation["organisation"] == provider
    assert accreditation["title"] == {"lv": "Iekšējā kvalitātes nodrošināšana", "en": "Internal quality assurance"}
    assert accreditation["description"] == {"lv": "Reviewed yearly by the training committee."}
    # stackability: part of the provider's combined micro-credential, by its catalogue entry
    assert spec["isPartOf"] == [{"id": _entry_url(stack["combined"]) + "#achievement",
                                 "type": "LearningAchievementSpecification",
                                 "title": {"lv": "Youth worker certificate"}}]
    assert "hasPart" not in spec
    # form of participation: the EU mode concept (blended), so no note
    assert spec["mode"]["id"] == "http://data.europa.eu/snb/learning-assessment/e92d221e4d"
    notes = _notes(spec)
    assert set(notes) == {"national-level", "issuer-country", "stackability", "further-information", "renewal"}
    for key, note in notes.items():
        assert note["subject"]["id"] == mapping.vocabulary_uri(key)
        assert note["subject"]["inScheme"]["id"] == mapping.vocabulary_uri("standard-elements")
    assert notes["national-level"]["noteLiteral"] == {
        "lv": "Nacionālā kvalifikāciju ietvarstruktūras līmenis: LKI 5",
        "en": "National qualifications framework level: LKI 5"}
    assert notes["stackability"]["noteLiteral"]["lv"].startswith(
        "Integrācijas/savienojamības iespējas: integrēts, apvienojams ar citu apliecinājumu. Counts towards")
    assert notes["stackability"]["noteLiteral"]["en"] == (
        "Integration or stackability: integrated or stackable towards another credential")
    assert set(notes["renewal"]["noteLiteral"]) == {"lv"}  # typed by the provider: the document's first language
    supervision = claim["provenBy"]["specifiedBy"]["additionalNote"][0]
    assert supervision["subject"]["id"] == mapping.vocabulary_uri("supervision")
    assert supervision["noteLiteral"]["en"].endswith("Supervised onsite with identity verification")
    _conforms(document, "EDC-generic-no-cv.ttl")
    _conforms(document, "EDC-generic-no-cv.ttl", "EDC-generic-full.ttl")  # with the controlled vocabularies


def test_a_latvian_credential_has_latvian_notes_and_labels(client, owner, published):
    document = _edc(client, owner, _issue(owner, published, languages="lv"))
    spec = document["credentialSubject"]["hasClaim"]["specifiedBy"]
    for note in spec["additionalNote"]:
        assert set(note["noteLiteral"]) == {"lv"}, note
    assert _notes(spec)["national-level"]["noteLiteral"]["lv"].startswith("Nacionālā kvalifikāciju")
    assert spec["accreditation"][0]["title"] == {"lv": "Iekšējā kvalitātes nodrošināšana"}
    _conforms(document, "EDC-generic-no-cv.ttl", "EDC-generic-full.ttl")


def test_an_award_without_a_grade_is_passed_in_every_language_of_the_credential(client, owner, published):
    # the shapes require a grade: the platform writes "passed", like the other notes, in each language
    document = _edc(client, owner, _issue(owner, published, languages="lv+en"))
    assert document["credentialSubject"]["hasClaim"]["provenBy"]["grade"]["noteLiteral"] == {
        "lv": "Nokārtots", "en": "Passed"}
    _conforms(document, "EDC-generic-no-cv.ttl", "EDC-generic-full.ttl")
    document = _edc(client, owner, _issue(owner, published, languages="lv", email="liga@example.org"))
    assert document["credentialSubject"]["hasClaim"]["provenBy"]["grade"]["noteLiteral"] == {"lv": "Nokārtots"}
    _conforms(document, "EDC-generic-no-cv.ttl", "EDC-generic-full.ttl")


def test_the_combined_credential_has_its_parts_specifications(client, owner, stack):
    for part in (stack["part"], stack["other"]):
        _issue(owner, part)
    award = stacking.stack_award_issue(actor=owner, specification=stack["combined"], learner_email="anna@example.org")
    document = _edc(client, owner, award)
    spec = document["credentialSubject"]["hasClaim"]["specifiedBy"]
    assert [p["id"] for p in spec["hasPart"]] == [_entry_url(stack["part"]) + "#achievement",
                                                  _entry_url(stack["other"]) + "#achievement"]
    assert [p["title"]["lv"] for p in spec["hasPart"]] == [stack["part"].title, "Debriefing in mixed groups"]
    _conforms(document, "EDC-generic-no-cv.ttl", "EDC-generic-full.ttl")


@pytest.mark.parametrize("qa, accredited, noted", [
    ("internal", True, False), ("external", False, True), ("internal_external", True, True)])
def test_quality_assurance_is_an_accreditation_only_where_the_assurer_is_known(
        client, owner, organisation, complete_data, qa, accredited, noted):
    spec = _spec(owner, organisation, complete_data, quality_assurance_type=qa, participation="onsite")
    document = _edc(client, owner, _issue(owner, spec))
    las = document["credentialSubject"]["hasClaim"]["specifiedBy"]
    assert ("accreditation" in las) is accredited
    notes = _notes(las)
    assert ("quality-assurance" in notes) is noted
    if qa == "external":
        assert notes["quality-assurance"]["noteLiteral"]["en"] == (
            "Type of quality assurance: external quality assurance (accreditation)")
        assert notes["quality-assurance"]["noteLiteral"]["lv"].endswith(
            "(akreditācija). Reviewed yearly by the training committee.")
    assert "mode" not in las and notes["participation"]["noteLiteral"] == {
        "lv": "Līdzdalības veids: klātienē", "en": "Form of participation: onsite"}
    _conforms(document, "EDC-generic-no-cv.ttl", "EDC-generic-full.ttl")


def test_catalogue_entries_carry_the_same_coded_elements_and_conform_to_the_loq_shapes(client, stack):
    document = json.loads(client.get(reverse("microcredentials:catalogue_jsonld",
                                             args=[stack["part"].public_id])).content)
    las = document["learningAchievementSpecification"]
    assert las["educationLevel"][0]["id"] == mapping.vocabulary_uri("qf-ehea-short")
    [accreditation] = las["accreditation"]
    assert accreditation["dcType"]["id"] == PROGRAMME_QA
    assert accreditation["accreditingAgent"] == document["providedBy"]["id"] == accreditation["organisation"]
    assert las["isPartOf"][0]["id"] == _entry_url(stack["combined"]) + "#achievement"
    notes = _notes(las)
    assert notes["national-level"]["noteLiteral"] == {
        "en": "National qualifications framework level: LKI 5",
        "lv": "Nacionālā kvalifikāciju ietvarstruktūras līmenis: LKI 5"}
    _loq_conforms(document)
    combined = json.loads(client.get(reverse("microcredentials:catalogue_jsonld",
                                             args=[stack["combined"].public_id])).content)
    assert [p["id"] for p in combined["learningAchievementSpecification"]["hasPart"]] == [
        _entry_url(stack["part"]) + "#achievement", _entry_url(stack["other"]) + "#achievement"]
    _loq_conforms(combined)


def test_the_vocabulary_is_published_where_its_concepts_point(client, stack):
    from rdflib import Graph, URIRef
    from rdflib.namespace import SKOS

    assert reverse("microcredentials:elm_vocabulary") == mapping.VOCABULARY_PATH
    response = client.get(mapping.VOCABULARY_PATH)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/ld+json")
    vocabulary = Graph().parse(data=response.content, format="json-ld")
    document = json.loads(client.get(reverse("microcredentials:catalogue_jsonld",
                                             args=[stack["part"].public_id])).content)
    las = document["learningAchievementSpecification"]
    used = [las["educationLevel"][0]["id"], *(n["subject"]["id"] for n in las["additionalNote"])]
    for uri in used:
        assert (URIRef(uri), SKOS.inScheme, None) in vocabulary, uri
        labels = {label.language for label in vocabulary.objects(URIRef(uri), SKOS.prefLabel)}
        assert labels == {"lv", "en"}, uri


def test_the_providers_dataset_reads_stacking_in_a_few_queries(client, owner, organisation, complete_data, stack):
    url = reverse("microcredentials:provider_dataset", args=[organisation.public_id])
    client.get(url)
    counts = []
    for n in (1, 6):
        for i in range(n):
            _spec(owner, organisation, complete_data, title=f"Extra {n}-{i}")
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    graph = json.loads(response.content)["@graph"]
    part = next(e for e in graph if e.get("id") == _entry_url(stack["part"]))
    assert part["learningAchievementSpecification"]["isPartOf"][0]["title"]["en"] == "Youth worker certificate"
