"""European Learning Model (EDC) JSON-LD of an issued micro-credential, with the Annex I standard elements mapped
as in the European Commission's sample `Sample-MC-Annex1` (`shared/data/elm`).

The document starts from the generic export (`elm.edc_credential`: credential, identifier, display, issuer,
learner, achievement, awarding process) and adds what a micro-credential's achievement carries (the micro-
credentials app puts every standard element of the specification version into the issued `achievement`):

| Annex I element | ELM |
|---|---|
| learner identification | `credentialSubject` (Person: fullName, contactPoint) |
| title | `hasClaim.title`, `specifiedBy.title` |
| country(ies)/region(s) of the issuer | awarding bodies' `location.address.countryCode`; note for regions |
| awarding body(ies) | `awardedBy.awardingBody` (Organisation with `eIDASIdentifier`), co-awarding bodies likewise |
| date of issuing | `issued`, `validFrom`, `awardedBy.awardingDate` |
| learning outcomes (+ ESCO) | `specifiedBy.learningOutcome` (`relatedESCOSkill`) |
| notional workload | `specifiedBy.creditPoint` (ECTS), `specifiedBy.volumeOfLearning` (hours) |
| level | `specifiedBy.eqfLevel`; QF-EHEA cycle and national level as notes |
| type of assessment | `provenBy` (LearningAssessment) with its specification; supervision and identity check as note |
| form of participation | `specifiedBy.mode` (the EU concept where one is known) and a note |
| type of quality assurance | note on the specification |
| prerequisites | `specifiedBy.entryRequirement` |
| grade, grading scheme | `provenBy.grade`, `gradingScheme` |
| stackability, further information | notes; `homepage` (the catalogue page) |
| field of education | `specifiedBy.thematicArea` (ISCED-F) |

The helpers for concepts, notes and organisations are shared with the catalogue's learning-opportunity JSON-LD
(`agnitio.microcredentials.elm`)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django_countries import countries

from .elm import COUNTRY, LANGUAGE, LANGUAGE_CODES, edc_credential

EQF = "http://data.europa.eu/snb/eqf/{level}"
EQF_SCHEME = "http://data.europa.eu/snb/eqf/25831c2"
ISCED_F = "http://data.europa.eu/snb/isced-f/{code}"
ISCED_F_SCHEME = "http://data.europa.eu/snb/isced-f/25831c2"
ECTS = "http://data.europa.eu/snb/education-credit/6fcec5c5af"
ECTS_SCHEME = "http://data.europa.eu/snb/education-credit/25831c2"
ESCO_SKILLS_SCHEME = "http://data.europa.eu/esco/concept-scheme/skills"
COUNTRY_SCHEME = "http://publications.europa.eu/resource/authority/country"
LANGUAGE_SCHEME = "http://publications.europa.eu/resource/authority/language"
SHORT_LEARNING_PROGRAMME = "http://data.europa.eu/snb/learning-opportunity/74a4a268e8"
LEARNING_OPPORTUNITY_SCHEME = "http://data.europa.eu/snb/learning-opportunity/25831c2"
# Form of participation: the EU "learning assessment" mode concepts of the sample (blended, online); onsite is noted.
MODE_SCHEME = "http://data.europa.eu/snb/learning-assessment/25831c2"
MODES = {"blended": ("http://data.europa.eu/snb/learning-assessment/e92d221e4d", "Blended"),
         "online": ("http://data.europa.eu/snb/learning-assessment/920fbb3cbe", "Online")}
# Supervision and identity verification: the EU concept the sample uses (the others are noted in words).
SUPERVISION_SCHEME = "http://data.europa.eu/snb/supervision-verification/25831c2"
SUPERVISIONS = {"unsupervised_no_id": ("http://data.europa.eu/snb/supervision-verification/c598449d64",
                                       "Unsupervised without ID Verification")}

PARTICIPATION_EN = {"online": "Online", "onsite": "Onsite", "blended": "Blended"}
SUPERVISION_EN = {
    "unsupervised_no_id": "Unsupervised with no identity verification",
    "supervised_no_id": "Supervised with no identity verification",
    "supervised_online_id": "Supervised online with identity verification",
    "supervised_onsite_id": "Supervised onsite with identity verification",
}
QA_EN = {"internal": "Internal quality assurance", "external": "External quality assurance (accreditation)",
         "internal_external": "Internal and external quality assurance"}
CYCLE_EN = {"short": "Short cycle", "first": "First cycle", "second": "Second cycle", "third": "Third cycle"}
STACK_EN = {"standalone": "Stand-alone micro-credential",
            "stackable": "Integrated or stackable towards another credential"}


def points(value) -> str:
    """ECTS credits as the sample writes them: "2", "2.5" (no trailing zeros, no exponent)."""
    number = Decimal(str(value)).normalize()
    return f"{number:f}"


def text(value: str, lang: str) -> dict[str, str]:
    return {lang: value}


def concept(uri: str, *, scheme: str | None = None, label: str = "", notation: str = "") -> dict[str, Any]:
    node: dict[str, Any] = {"id": uri, "type": "Concept"}
    if scheme:
        node["inScheme"] = {"id": scheme, "type": "ConceptScheme"}
    if notation:
        node["notation"] = notation
    if label:
        node["prefLabel"] = {"en": label}
    return node


def language_concept(code: str) -> dict[str, Any]:
    return concept(LANGUAGE.format(code=LANGUAGE_CODES.get(code, code.upper()[:3])), scheme=LANGUAGE_SCHEME,
                   notation="language", label=code)


def country_concept(code: str) -> dict[str, Any]:
    alpha3 = countries.alpha3(code) or "LVA"
    return concept(COUNTRY.format(alpha3=alpha3), scheme=COUNTRY_SCHEME, notation="country",
                   label=str(dict(countries).get(code, code)))


def note(uid: str, value: str, lang: str) -> dict[str, Any]:
    return {"id": uid, "type": "Note", "noteLiteral": text(value, lang)}


def organisation_node(uid: str, *, name: str, legal_identifier: str, country: str, lang: str,
                      address: str = "", homepage: str = "", email: str = "") -> dict[str, Any]:
    """An ELM Organisation with its location (country) and, when known, its legal identifier (eIDAS)."""
    country_code = (country or "LV").upper()
    address_node: dict[str, Any] = {"id": f"{uid}:address", "type": "Address",
                                    "countryCode": country_concept(country_code)}
    if address:
        address_node["fullAddress"] = note(f"{uid}:address:note", address, lang)
    node: dict[str, Any] = {"id": uid, "type": "Organisation", "legalName": text(name, lang),
                            "location": {"id": f"{uid}:location", "type": "Location", "address": address_node}}
    if legal_identifier:
        node["eIDASIdentifier"] = {"id": f"{uid}:legalIdentifier", "type": "LegalIdentifier",
                                   "notation": legal_identifier, "spatial": country_concept(country_code)}
    if homepage:
        node["homepage"] = {"id": f"{uid}:homepage", "type": "WebResource", "contentURL": homepage}
    if email:
        node["contactPoint"] = {"id": f"{uid}:contactPoint", "type": "ContactPoint",
                                "emailAddress": {"id": f"mailto:{email}", "type": "Mailbox"}}
    return node


def learning_outcomes(uid: str, outcomes: list[dict], esco_skills: list[dict], lang: str) -> list[dict]:
    """The written outcomes, then one outcome per linked ESCO skill (titled by its label), as in the sample."""
    nodes = [{"id": f"{uid}:outcome:{i}", "type": "LearningOutcome", "title": text(o["name"], lang)}
             for i, o in enumerate(outcomes, start=1) if o.get("name")]
    for i, skill in enumerate(esco_skills, start=1):
        label = skill.get("label") or skill["uri"]
        nodes.append({"id": f"{uid}:skill:{i}", "type": "LearningOutcome", "title": text(label, lang),
                      "relatedESCOSkill": concept(skill["uri"], scheme=ESCO_SKILLS_SCHEME, notation="Skill",
                                                  **({"label": skill["label"]} if skill.get("label") else {}))})
    return nodes


def standard_element_notes(uid: str, a: dict[str, Any], lang: str) -> list[dict]:
    """The Annex I elements the ELM has no property of its own for, as notes on the specification."""
    notes: list[tuple[str, str]] = []
    if a.get("participation"):
        notes.append(("participation", f"Form of participation: {PARTICIPATION_EN.get(a['participation'], '')}"))
    if a.get("quality_assurance_type"):
        qa = QA_EN.get(a["quality_assurance_type"], "")
        detail = a.get("quality_assurance") or ""
        notes.append(("quality-assurance", f"Type of quality assurance: {qa}" + (f". {detail}" if detail and
                                                                                 detail != qa else "")))
    if a.get("qf_ehea_cycle"):
        notes.append(("qf-ehea", f"QF-EHEA cycle: {CYCLE_EN.get(a['qf_ehea_cycle'], '')}"))
    if a.get("national_level"):
        notes.append(("national-level", f"National qualifications framework level: {a['national_level']}"))
    if a.get("issuer_countries"):
        names = ", ".join(str(dict(countries).get(c, c)) for c in a["issuer_countries"])
        regions = f"; {a['issuer_regions']}" if a.get("issuer_regions") else ""
        notes.append(("issuer-country", f"Country(ies)/region(s) of the issuer: {names}{regions}"))
    if a.get("stackability"):
        detail = a.get("stackability_description") or ""
        notes.append(("stackability", f"Integration/stackability: {STACK_EN.get(a['stackability'], '')}"
                      + (f". {detail}" if detail else "")))
    if a.get("further_information"):
        notes.append(("further-information", f"Further information: {a['further_information']}"))
    if a.get("renewal"):
        notes.append(("renewal", f"Renewal: {a['renewal']}"))
    # The notes' words are English (the element names of Annex I): tagged "en" whatever the document's language.
    return [note(f"{uid}:note:{key}", value, "en") for key, value in notes]


def assessment_specification(uid: str, a: dict[str, Any], lang: str) -> dict[str, Any]:
    spec: dict[str, Any] = {"id": f"{uid}:assessmentSpecification", "type": "LearningAssessmentSpecification",
                            "title": text(a.get("assessment") or "Assessment", lang)}
    notes = []
    if a.get("supervision"):
        notes.append(note(f"{uid}:assessment:supervision",
                          f"Supervision and identity verification: {SUPERVISION_EN.get(a['supervision'], '')}", "en"))
    if notes:
        spec["additionalNote"] = notes
    if a.get("grading_scheme") or a.get("grading_description"):
        spec["gradingScheme"] = {"id": f"{uid}:gradingScheme", "type": "GradingScheme",
                                 "title": text(a.get("grading_description") or a.get("grading_scheme") or "", lang)}
    return spec


def specification_common(uid: str, a: dict[str, Any], lang: str, languages: list[str]) -> dict[str, Any]:
    """The LearningAchievementSpecification's standard elements (shared by the EDC credential and the catalogue's
    learning opportunity)."""
    spec: dict[str, Any] = {
        "title": text(a["name"], lang),
        "language": [language_concept(code) for code in languages or ["en"]],
        "learningOutcome": learning_outcomes(uid, a.get("outcomes") or [], a.get("esco_skills") or [], lang),
    }
    if a.get("description") and a["description"] != a["name"]:
        spec["description"] = text(a["description"], lang)
    if a.get("isced_field"):
        spec["thematicArea"] = [concept(ISCED_F.format(code=a["isced_field"]), scheme=ISCED_F_SCHEME)]
    if a.get("credits_ects") not in (None, ""):
        spec["creditPoint"] = {"id": f"{uid}:creditPoint", "type": "CreditPoint",
                               "framework": concept(ECTS, scheme=ECTS_SCHEME, label="European Credit Transfer System"),
                               "point": points(a["credits_ects"])}
    if a.get("workload_hours"):
        spec["volumeOfLearning"] = f"PT{int(a['workload_hours'])}H"
    if a.get("eqf_level"):
        level = int(a["eqf_level"])
        spec["eqfLevel"] = concept(EQF.format(level=level), scheme=EQF_SCHEME, label=f"Level {level}")
    if a.get("participation") in MODES:
        uri, label = MODES[a["participation"]]
        spec["mode"] = concept(uri, scheme=MODE_SCHEME, label=label)
    if a.get("prerequisites"):
        spec["entryRequirement"] = note(f"{uid}:entryRequirement", a["prerequisites"], lang)
    notes = standard_element_notes(uid, a, lang)
    if notes:
        spec["additionalNote"] = notes
    if a.get("url"):
        spec["homepage"] = {"id": f"{uid}:homepage", "type": "WebResource", "contentURL": a["url"]}
    return spec


def external_issuer(uid: str, part: dict[str, Any], lang: str) -> dict[str, Any]:
    """The issuer of a recognised part from another provider, as its credential names it, in its country."""
    node = organisation_node(uid, name=part.get("issuer") or "Unknown issuer", legal_identifier="",
                             country=part["issuer_country"], lang=lang)
    issuer_id = part.get("issuer_id") or ""
    if issuer_id:
        node["identifier"] = {"id": f"{uid}:identifier", "type": "Identifier", "notation": issuer_id,
                              "schemeName": "Issuer identifier"}
    return node


def edc_microcredential(credential) -> dict:
    """The EDC JSON-LD of an issued micro-credential (unsigned, like `elm.edc_credential`)."""
    document = edc_credential(credential)
    a = credential.achievement or {}
    lang = (credential.languages or ["en"])[0]
    uid = credential.credential_uid
    claim = document["credentialSubject"]["hasClaim"]
    base_spec = claim["specifiedBy"]
    spec = {"id": base_spec["id"], "type": "LearningAchievementSpecification",
            **specification_common(f"{uid}:specification", a, lang, a.get("languages_of_instruction")
                                   or credential.languages)}
    spec["dcType"] = concept(SHORT_LEARNING_PROGRAMME, scheme=LEARNING_OPPORTUNITY_SCHEME,
                             label="Short learning programme")
    claim["specifiedBy"] = spec
    # Co-awarding bodies after the issuer (the first body is the issuing organisation, as in the generic export).
    bodies = list(claim["awardedBy"]["awardingBody"])
    for i, body in enumerate((a.get("awarding_bodies") or [])[1:], start=1):
        bodies.append(organisation_node(f"{uid}:awardingBody:{i}", name=body["name"],
                                        legal_identifier=body.get("legal_identifier", ""),
                                        country=body.get("country") or "", lang=lang))
    claim["awardedBy"]["awardingBody"] = bodies
    # The assessment: its type, supervision and the grade achieved.
    assessment: dict[str, Any] = {"id": f"{uid}:assessment", "type": "LearningAssessment",
                                  "title": text(a.get("assessment") or "Assessment", lang),
                                  "specifiedBy": assessment_specification(uid, a, lang),
                                  "awardedBy": claim["awardedBy"]["id"]}  # the same awarding process
    if a.get("grade"):
        assessment["grade"] = {"id": f"{uid}:grade", "type": "Note", "noteLiteral": text(a["grade"], lang)}
    if a.get("assessed_on"):
        assessment["dateIssued"] = datetime.datetime.combine(
            datetime.date.fromisoformat(a["assessed_on"]), datetime.time.min, datetime.UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ")
    if a.get("supervision") in SUPERVISIONS:
        uri, label = SUPERVISIONS[a["supervision"]]
        assessment["idVerification"] = concept(uri, scheme=SUPERVISION_SCHEME, label=label)
    prior = a.get("prior_learning")
    if prior:  # validation of prior learning: the awarding assessment, recorded (micro-credentials' services)
        context = {"non_formal": "non-formal", "informal": "informal"}.get(prior.get("learning_context"), "")
        assessment["description"] = text(f"Validation of {context} learning", "en")
        assessment["additionalNote"] = [note(f"{uid}:assessment:prior-learning", (
            f"Method: {prior.get('method', '')}. Assessed on {prior.get('assessed_on', '')} by "
            f"{prior.get('assessor', '')}. Criteria: {prior.get('criteria', '')}. "
            f"Result: {prior.get('result', '')}"), lang)]
        if "grade" not in assessment and prior.get("result"):  # the shapes require a grade: the result is one
            assessment["grade"] = {"id": f"{uid}:grade", "type": "Note", "noteLiteral": text(prior["result"], lang)}
    if "grade" not in assessment:  # the shapes require one; awarded without a grade means it was passed
        assessment["grade"] = {"id": f"{uid}:grade", "type": "Note", "noteLiteral": text("Passed", "en")}
    claim["provenBy"] = assessment
    parts = []  # stacking: the micro-credentials this one combines (their credentials verify on their own)
    for i, part in enumerate(a.get("parts") or []):
        node: dict[str, Any] = {"id": f"{uid}:part:{i}", "type": "LearningAchievement",
                                "title": text(part.get("name") or "Part", lang),
                                "awardedBy": claim["awardedBy"]["id"]}
        if part.get("external"):
            # Another provider's micro-credential, recognised by the issuer. Awarded by that provider when its
            # country is known (an ELM organisation needs one); otherwise the part stays under the issuer's own
            # awarding process (the recognition) and the note names the other provider.
            if part.get("issuer_country"):
                node["awardedBy"] = {"id": f"{uid}:part:{i}:awarding", "type": "AwardingProcess",
                                     "awardingBody": [external_issuer(f"{uid}:part:{i}:issuer", part, lang)]}
            node["additionalNote"] = [note(f"{uid}:part:{i}:recognition", (
                f"Issued by {part.get('issuer') or 'another provider'}; recognised by {part.get('recognised_by', '')}"
                f" on {part.get('recognised_on') or ''} as {part.get('counts_as', '')}"
                + ("" if part.get("verified") else " (authenticity not verified by the platform)")), "en")]
        if part.get("verification_url"):
            node["supplementaryDocument"] = {"id": f"{uid}:part:{i}:verification", "type": "WebResource",
                                             "contentURL": part["verification_url"]}
        if part.get("credential"):
            node["identifier"] = {"id": f"{uid}:part:{i}:identifier", "type": "Identifier",
                                  "notation": part["credential"],
                                  "schemeName": ("Credential identifier" if part.get("external")
                                                 else "Agnitio document number")}
        parts.append(node)
    if parts:
        claim["hasPart"] = parts
    if credential.valid_until:
        document["expirationDate"] = datetime.datetime.combine(
            credential.valid_until, datetime.time.max.replace(microsecond=0), datetime.UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ")
    return document
