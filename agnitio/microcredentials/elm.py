"""The public catalogue in the European Learning Model: each published specification as a `LearningOpportunity`
with its `LearningAchievementSpecification` (conforming to the LOQ application profile's shapes,
`LOQ-constraints.ttl`), and each provider's dataset of them, of the kind the Qualification Dataset Register
harvests (a DCAT dataset whose members are the learning opportunities, in one JSON-LD graph).

The standard elements are mapped as in the EDC export of an issued micro-credential
(`credentials.formats.elm_microcredential`), from the same achievement data the credential is issued with."""

from __future__ import annotations

from typing import Any

from agnitio.credentials.formats.elm_microcredential import (
    LEARNING_OPPORTUNITY_SCHEME,
    SHORT_LEARNING_PROGRAMME,
    assessment_specification,
    concept,
    language_concept,
    organisation_node,
    specification_common,
    text,
    vocabulary_languages,
)
from agnitio.credentials.signing.loader import EDC

from .models import Specification
from .selectors import stack_relations, stack_relations_many
from .urls_public import catalogue_entry_jsonld_url, catalogue_entry_url, provider_dataset_url, provider_url

ELM = "http://data.europa.eu/snb/model/elm/"
DCAT = "http://www.w3.org/ns/dcat#"
DC_MODIFIED = "http://purl.org/dc/terms/modified"  # the EDC context's "dateModified" is typed @id: not a date
DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
# The EDC context is written for VC 1.1 (whose context aliases id and type); a catalogue entry is no credential,
# so it aliases them itself.
CONTEXT: list[Any] = [EDC, {"id": "@id", "type": "@type", "dcat": DCAT, "elm": ELM,
                            "defaultLanguage": {"@id": "elm:defaultLanguage", "@type": "@id"}}]


def specification_achievement(specification: Specification, relations: dict | None = None) -> dict[str, Any]:
    """The specification's standard elements in the achievement form the trust layer issues (no award data);
    `relations`: its `selectors.stack_relations`, when the caller read them for many specifications at once."""
    s = specification
    org = s.organisation
    return {
        "name": s.title, "description": s.description or s.title, "url": catalogue_entry_url(s),
        "outcomes": [{"name": line} for line in s.outcome_lines],
        "esco_skills": [dict(x) for x in s.esco_skills or []],
        "isced_field": s.isced_field,
        "languages_of_instruction": list(s.languages or []),
        "issuer_countries": list(s.issuer_countries or []), "issuer_regions": s.issuer_regions,
        "awarding_bodies": [{"name": org.legal_name, "legal_identifier": org.identifier,
                             "country": org.country.code}, *[dict(b) for b in s.co_awarding_bodies or []]],
        "credits_ects": str(s.credits_ects) if s.credits_ects is not None else None,
        "workload_hours": s.workload_hours, "eqf_level": s.eqf_level, "qf_ehea_cycle": s.qf_ehea_cycle,
        "national_level": s.national_level, "assessment_type": s.assessment_type,
        "assessment": s.assessment_description or s.get_assessment_type_display(),
        "participation": s.participation, "quality_assurance_type": s.quality_assurance_type,
        "quality_assurance": s.quality_assurance_description or s.get_quality_assurance_type_display(),
        "quality_assurance_description": s.quality_assurance_description,
        "prerequisites": s.prerequisites, "supervision": s.supervision, "grading_scheme": s.grading_scheme,
        "grading_description": s.grading_description, "stackability": s.stackability,
        "stackability_description": s.stackability_description, "further_information": s.further_information,
        "further_information_url": s.further_information_url, "renewal": s.renewal,
        **(relations if relations is not None else stack_relations(specification=s)),
    }


def _provider(organisation, lang: str) -> dict[str, Any]:
    return organisation_node(provider_url(organisation), name=organisation.legal_name,
                             legal_identifier=organisation.identifier, country=organisation.country.code,
                             address=organisation.address, homepage=organisation.website, lang=lang)


def learning_opportunity(specification: Specification, relations: dict | None = None) -> dict[str, Any]:
    """One catalogue entry (without @context): the learning opportunity, its achievement specification, the
    assessment specification and the awarding opportunity naming every awarding body."""
    s = specification
    lang = (s.languages or ["en"])[0]
    url = catalogue_entry_url(s)
    a = specification_achievement(s, relations)
    las_id = f"{url}#achievement"
    las: dict[str, Any] = {"id": las_id, "type": "LearningAchievementSpecification",
                           **specification_common(las_id, a, lang, list(s.languages or []),
                                                  text_languages=vocabulary_languages(),
                                                  provider=provider_url(s.organisation))}
    las["provenBy"] = assessment_specification(las_id, a, lang, vocabulary_languages())
    bodies = [_provider(s.organisation, lang)]
    for i, body in enumerate(a["awarding_bodies"][1:], start=1):
        bodies.append(organisation_node(f"{url}#awardingBody-{i}", name=body["name"],
                                        legal_identifier=body.get("legal_identifier", ""),
                                        country=body.get("country") or "", lang=lang))
    las["awardingOpportunity"] = {"id": f"{url}#awarding", "type": "AwardingOpportunity", "awardingBody": bodies,
                                  "learningAchievementSpecification": las_id}
    opportunity: dict[str, Any] = {
        "id": url, "type": "LearningOpportunity",
        "title": text(s.title, lang),
        "homepage": {"id": f"{url}#homepage", "type": "WebResource", "contentURL": url},
        "providedBy": bodies[0],
        "learningAchievementSpecification": las,
        "defaultLanguage": language_concept(lang),
        "dcType": concept(SHORT_LEARNING_PROGRAMME, scheme=LEARNING_OPPORTUNITY_SCHEME,
                          label="Short learning programme"),
        "identifier": {"id": f"{url}#identifier", "type": "Identifier", "notation": s.public_id,
                       "schemeName": "Agnitio micro-credential catalogue"},
        "status": s.status,
    }
    if s.description:
        opportunity["description"] = text(s.description, lang)
    if s.further_information_url:
        opportunity["supplementaryDocument"] = {"id": f"{url}#further-information", "type": "WebResource",
                                                "contentURL": s.further_information_url}
    if s.published_at:
        opportunity[DC_MODIFIED] = {"@value": s.published_at.strftime("%Y-%m-%dT%H:%M:%SZ"), "@type": DATETIME}
    if "mode" in las:
        opportunity["mode"] = las["mode"]
    return opportunity


def learning_opportunity_document(specification: Specification) -> dict[str, Any]:
    return {"@context": CONTEXT, **learning_opportunity(specification)}


def provider_dataset_document(organisation, specifications) -> dict[str, Any]:
    """The provider's harvestable dataset: a DCAT dataset node listing every published entry, and the entries."""
    specifications = list(specifications)
    relations = stack_relations_many(specifications=specifications)
    entries = [learning_opportunity(s, relations[s.pk]) for s in specifications]
    dataset = {
        "id": provider_dataset_url(organisation), "type": "dcat:Dataset",
        "http://purl.org/dc/terms/title": {"@value": f"Micro-credentials of {organisation.legal_name}",
                                           "@language": "en"},
        "publisher": provider_url(organisation),
        DC_MODIFIED: {
            "@value": max(e[DC_MODIFIED]["@value"] for e in entries),
            "@type": "http://www.w3.org/2001/XMLSchema#dateTime"} if entries else None,
        "dcat:landingPage": {"@id": provider_url(organisation)},
        "dcat:dataset": [{"@id": e["id"]} for e in entries],
    }
    dataset = {k: v for k, v in dataset.items() if v is not None}
    return {"@context": CONTEXT, "@graph": [dataset, *entries]}


def entry_jsonld_url(specification: Specification) -> str:
    return catalogue_entry_jsonld_url(specification)
