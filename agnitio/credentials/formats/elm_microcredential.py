"""European Learning Model (EDC) JSON-LD of an issued micro-credential, with the Annex I standard elements mapped
as in the European Commission's sample `Sample-MC-Annex1` (`shared/data/elm`).

The document starts from the generic export (`elm.edc_credential`: credential, identifier, display, issuer,
learner, achievement, awarding process) and adds what a micro-credential's achievement carries (the micro-
credentials app puts every standard element of the specification version into the issued `achievement`):

| Annex I element | ELM |
|---|---|
| learner identification | `credentialSubject` (Person: fullName, contactPoint) |
| title | `hasClaim.title`, `specifiedBy.title` |
| country(ies)/region(s) of the issuer | awarding bodies' `location.address.countryCode`; a note (`issuer-country`) |
| awarding body(ies) | `awardedBy.awardingBody` (Organisation with `eIDASIdentifier`), co-awarding bodies likewise |
| date of issuing | `issued`, `validFrom`, `awardedBy.awardingDate` |
| learning outcomes (+ ESCO) | `specifiedBy.learningOutcome` (`relatedESCOSkill`) |
| notional workload | `specifiedBy.creditPoint` (ECTS), `specifiedBy.volumeOfLearning` (hours) |
| level: EQF | `specifiedBy.eqfLevel` (EU EQF concept) |
| level: QF-EHEA cycle | `specifiedBy.educationLevel`: a concept of our published QF-EHEA cycles scheme (no EU list) |
| level: national framework | a note (subject `national-level`): `nqfLevel` needs a QDR concept, which we do not hold |
| type of assessment | `provenBy` (LearningAssessment) with its specification |
| supervision and identity check | `provenBy.idVerification` (the EU concept where known); a note (`supervision`) |
| form of participation | `specifiedBy.mode` (EU concept: blended, online); onsite: a note (`participation`) |
| quality assurance: internal | `specifiedBy.accreditation`: Accreditation (EU type "programme quality assurance") |
| quality assurance: external | a note (`quality-assurance`): the assurer is not held |
| prerequisites | `specifiedBy.entryRequirement` |
| grade, grading scheme | `provenBy.grade`, `gradingScheme` |
| integration/stackability | `specifiedBy.isPartOf` (the combined micro-credentials it is a part of), `hasPart` |
| | (a combined one's parts), by catalogue entry; the option and description: a note (`stackability`) |
| further information, renewal | notes (`further-information`, `renewal`); `homepage` (the catalogue page) |
| field of education | `specifiedBy.thematicArea` (ISCED-F) |

Notes are ELM `Note`s whose `subject` is a concept of our vocabulary (`VOCABULARY_PATH`, published by the
catalogue) and whose text is in each of the document's languages ("element: value"); text the provider typed is in
the document's first language only. ADR 0017 explains each choice.

The helpers for concepts, notes and organisations are shared with the catalogue's learning-opportunity JSON-LD
(`agnitio.microcredentials.elm`)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
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

# Type of quality assurance, when the provider assures it itself (internal): an `Accreditation` of the EU list's
# type "programme quality assurance" (a quality assurance procedure applied at the level of a programme), by the
# provider as accrediting agent. The concept's URI is the EU Accreditation Types list's (as the European Commission's
# EDCI software names it); an external assurer we do not hold stays a note.
ACCREDITATION_SCHEME = "http://data.europa.eu/snb/accreditation/25831c2"
PROGRAMME_QUALITY_ASSURANCE = "http://data.europa.eu/snb/accreditation/820101cba6"

# Our own concepts, in a vocabulary the platform publishes (`VOCABULARY_PATH`, served by the micro-credentials
# catalogue): the QF-EHEA cycles (ELM's generic `educationLevel`: no EU list of the cycles exists) and the subjects
# of the notes that carry the Annex I elements ELM has no property for (`Note.subject`).
VOCABULARY_PATH = "/catalogue/elm-vocabulary"
QF_EHEA_SCHEME = "qf-ehea-cycles"
ELEMENT_SCHEME = "standard-elements"
QF_EHEA_CYCLES = {"short": _("short cycle"), "first": _("first cycle"), "second": _("second cycle"),
                  "third": _("third cycle")}
ELEMENTS = {  # subject of a note → the element's name (the same words as the specification's form)
    "national-level": _("national qualifications framework level"),
    "quality-assurance": _("type of quality assurance"),
    "stackability": _("integration or stackability"),
    "participation": _("form of participation"),
    "issuer-country": _("country(ies) of the issuer"),
    "further-information": _("further information"),
    "renewal": _("renewal"),
    "supervision": _("supervision and identity verification during assessment"),
}
PARTICIPATION = {"online": _("online"), "onsite": _("onsite"), "blended": _("blended")}
QUALITY_ASSURANCE = {"internal": _("internal quality assurance"),
                     "external": _("external quality assurance (accreditation)"),
                     "internal_external": _("internal and external quality assurance")}
STACKABILITY = {"standalone": _("stand-alone micro-credential"),
                "stackable": _("integrated or stackable towards another credential")}
# Validation of prior learning (the achievement's `prior_learning`, codes of the micro-credentials app's record):
# the same words as that record's choices, so the catalogue translates them once.
PRIOR_LEARNING = {"non_formal": _("Validation of non-formal learning"),
                  "informal": _("Validation of informal learning")}
PRIOR_LEARNING_METHODS = {"portfolio": _("portfolio review"), "interview": _("interview"),
                          "demonstration": _("practical demonstration"), "test": _("test or examination"),
                          "other": _("other (described)")}
SUPERVISION = {"unsupervised_no_id": _("Unsupervised with no identity verification"),
               "supervised_no_id": _("Supervised with no identity verification"),
               "supervised_online_id": _("Supervised online with identity verification"),
               "supervised_onsite_id": _("Supervised onsite with identity verification")}


def vocabulary_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def vocabulary_uri(code: str = "") -> str:
    """Our vocabulary's address, or one of its concepts (`#code`)."""
    base = settings.SITE_URL.rstrip("/") + VOCABULARY_PATH
    return f"{base}#{code}" if code else base


def localised(label: Any, languages: list[str]) -> dict[str, str]:
    """A translatable label (or a function making text) in each of `languages`: {code: text}."""
    out = {}
    for code in languages:
        with translation.override(code):
            out[code] = str(label() if callable(label) else label)
    return out


def vocabulary_concept(scheme: str, code: str, label: Any) -> dict[str, Any]:
    return {"id": vocabulary_uri(code), "type": "Concept",
            "inScheme": {"id": vocabulary_uri(scheme), "type": "ConceptScheme"},
            "prefLabel": localised(label, vocabulary_languages())}


def cycle_label(cycle: str):
    return lambda: f"{capfirst(_('QF-EHEA cycle'))}: {QF_EHEA_CYCLES[cycle]}"


def cycle_concept(cycle: str) -> dict[str, Any]:
    return vocabulary_concept(QF_EHEA_SCHEME, f"qf-ehea-{cycle}", cycle_label(cycle))


def element_concept(key: str) -> dict[str, Any]:
    return vocabulary_concept(ELEMENT_SCHEME, key, lambda: capfirst(ELEMENTS[key]))


def vocabulary_document() -> dict[str, Any]:
    """Our published vocabulary (SKOS in JSON-LD): what the concepts in our ELM documents mean."""
    languages = vocabulary_languages()
    schemes = [
        {"@id": vocabulary_uri(QF_EHEA_SCHEME), "@type": "skos:ConceptScheme",
         "skos:prefLabel": _lang_values(localised(_("QF-EHEA cycle"), languages)),
         "skos:definition": _lang_values(localised(_(
             "The cycles of the Framework of Qualifications for the European Higher Education Area, as levels of "
             "education of a micro-credential (ELM educationLevel). They are compatible with EQF levels 5 to 8."),
             languages))},
        {"@id": vocabulary_uri(ELEMENT_SCHEME), "@type": "skos:ConceptScheme",
         "skos:prefLabel": _lang_values(localised(_("Standard elements of micro-credentials"), languages)),
         "skos:definition": _lang_values(localised(_(
             "Elements of Annex I of the Council Recommendation on micro-credentials that the European Learning "
             "Model has no property for: the subjects of the notes that carry them."), languages))},
    ]
    concepts = [cycle_concept(cycle) for cycle in QF_EHEA_CYCLES] + [element_concept(key) for key in ELEMENTS]
    graph = schemes + [{"@id": c["id"], "@type": "skos:Concept", "skos:inScheme": {"@id": c["inScheme"]["id"]},
                        "skos:prefLabel": _lang_values(c["prefLabel"])} for c in concepts]
    return {"@context": {"skos": "http://www.w3.org/2004/02/skos/core#"}, "@graph": graph}


def _lang_values(values: dict[str, str]) -> list[dict[str, str]]:
    return [{"@value": text, "@language": code} for code, text in values.items()]


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


def platform_note(uid: str, value: Any, languages: list[str]) -> dict[str, Any]:
    """A Note the platform writes (a translatable label, or a function making text with it), in each of the
    document's `languages` -- unlike `note`, which carries what someone typed in the language they typed it in."""
    return {"id": uid, "type": "Note", "noteLiteral": localised(value, languages)}


def prior_learning_description(prior: dict[str, Any]):
    return PRIOR_LEARNING.get(prior.get("learning_context") or "", _("Validation of prior learning"))


def prior_learning_text(prior: dict[str, Any]):
    """The recorded assessment as a sentence in the active language (the provider's words as they typed them)."""
    method = prior.get("method") or ""
    return lambda: _("Method: %(method)s. Assessed on %(date)s by %(assessor)s. Criteria: %(criteria)s. "
                     "Result: %(result)s") % {
        "method": PRIOR_LEARNING_METHODS.get(method, method), "date": prior.get("assessed_on", ""),
        "assessor": prior.get("assessor", ""), "criteria": prior.get("criteria", ""),
        "result": prior.get("result", "")}


def external_part_text(part: dict[str, Any]):
    """Who issued a recognised part of another provider, who recognised it, when and as what (active language)."""
    def make() -> str:
        values = {"issuer": part.get("issuer") or _("another provider"), "provider": part.get("recognised_by", ""),
                  "date": part.get("recognised_on") or "", "part": part.get("counts_as", "")}
        if part.get("verified"):
            return _("Issued by %(issuer)s; recognised by %(provider)s on %(date)s as %(part)s") % values
        return _("Issued by %(issuer)s; recognised by %(provider)s on %(date)s as %(part)s (authenticity not "
                 "verified by the platform)") % values
    return make


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


def element_note(uid: str, key: str, value: Any, *, languages: list[str], lang: str,
                 detail: str = "", typed: bool = False) -> dict[str, Any]:
    """An Annex I element ELM has no property for: a Note whose subject is the element (our concept) and whose
    text is "element: value" in each of the document's languages. `detail`, text the provider typed, is added in
    the language it is written in (`lang`, the document's first language) only; a `typed` value (the provider's
    prose) makes the note that language's only."""
    primary = lang if lang in languages else languages[0]
    literal = {}
    for code, label in localised(lambda: capfirst(ELEMENTS[key]), [primary] if typed else languages).items():
        with translation.override(code):
            text_value = f"{label}: {value() if callable(value) else value}"
        if detail and code == primary:
            text_value += f". {detail}"
        literal[code] = text_value
    return {"id": f"{uid}:note:{key}", "type": "Note", "noteLiteral": literal, "subject": element_concept(key)}


def _countries(codes: list[str]) -> str:
    return ", ".join(str(dict(countries).get(c, c)) for c in codes)  # in the active language


def _quality_assurance_detail(a: dict[str, Any], lang: str) -> str:
    """What the provider wrote about its quality assurance (older achievements carry the type's label instead)."""
    if "quality_assurance_description" in a:
        return a["quality_assurance_description"] or ""
    detail = a.get("quality_assurance") or ""
    label = QUALITY_ASSURANCE.get(a.get("quality_assurance_type") or "")
    return "" if label is not None and detail in localised(label, [lang, "en"]).values() else detail


def standard_element_notes(uid: str, a: dict[str, Any], lang: str, languages: list[str]) -> list[dict]:
    """The Annex I elements the ELM has no property of its own for (and the parts of those it has a property for
    that the property cannot hold), as notes on the specification, in the document's languages."""
    notes = []
    add = lambda key, value, detail="", typed=False: notes.append(  # noqa: E731
        element_note(uid, key, value, languages=languages, lang=lang, detail=detail, typed=typed))
    if a.get("participation") in PARTICIPATION and a["participation"] not in MODES:  # onsite: no EU concept held
        add("participation", PARTICIPATION[a["participation"]])
    qa = a.get("quality_assurance_type") or ""
    if qa in ("external", "internal_external"):  # the external assurer is not held: no Accreditation for it
        add("quality-assurance", QUALITY_ASSURANCE[qa],
            detail=_quality_assurance_detail(a, lang) if qa == "external" else "")
    if a.get("national_level"):
        add("national-level", a["national_level"])
    if a.get("issuer_countries"):
        codes = list(a["issuer_countries"])
        add("issuer-country", lambda: _countries(codes) + (f"; {a['issuer_regions']}" if a.get("issuer_regions")
                                                           else ""))
    if a.get("stackability") in STACKABILITY:
        add("stackability", STACKABILITY[a["stackability"]], detail=a.get("stackability_description") or "")
    if a.get("further_information"):
        add("further-information", a["further_information"], typed=True)
    if a.get("renewal"):
        add("renewal", a["renewal"], typed=True)
    return notes


def quality_assurance_accreditation(uid: str, a: dict[str, Any], lang: str, languages: list[str],
                                    provider: str) -> dict[str, Any] | None:
    """Internal quality assurance as ELM's Accreditation ("the quality assurance ... of a qualification"): the
    provider (`provider`: its node's id) assures it, by its own procedure, at the level of this micro-credential."""
    if a.get("quality_assurance_type") not in ("internal", "internal_external"):
        return None
    node: dict[str, Any] = {
        "id": f"{uid}:accreditation", "type": "Accreditation",
        "dcType": concept(PROGRAMME_QUALITY_ASSURANCE, scheme=ACCREDITATION_SCHEME,
                          label="Programme quality assurance"),
        "title": localised(lambda: capfirst(QUALITY_ASSURANCE["internal"]), languages),
        "accreditingAgent": provider, "organisation": provider}
    detail = _quality_assurance_detail(a, lang)
    if detail:
        node["description"] = text(detail, lang)
    return node


def related_specification(item: dict[str, Any], lang: str) -> dict[str, Any]:
    """Another micro-credential of the provider (stacking), by its catalogue entry's achievement specification."""
    return {"id": f"{item['url']}#achievement", "type": "LearningAchievementSpecification",
            "title": text(item["name"], lang)}


def assessment_specification(uid: str, a: dict[str, Any], lang: str,
                             languages: list[str] | None = None) -> dict[str, Any]:
    languages = languages or [lang]
    spec: dict[str, Any] = {"id": f"{uid}:assessmentSpecification", "type": "LearningAssessmentSpecification",
                            "title": text(a.get("assessment") or "Assessment", lang)}
    if a.get("supervision") in SUPERVISION:
        spec["additionalNote"] = [element_note(f"{uid}:assessment", "supervision", SUPERVISION[a["supervision"]],
                                               languages=languages, lang=lang)]
    if a.get("grading_scheme") or a.get("grading_description"):
        spec["gradingScheme"] = {"id": f"{uid}:gradingScheme", "type": "GradingScheme",
                                 "title": text(a.get("grading_description") or a.get("grading_scheme") or "", lang)}
    return spec


def specification_common(uid: str, a: dict[str, Any], lang: str, languages: list[str], *,
                         text_languages: list[str] | None = None, provider: str = "") -> dict[str, Any]:
    """The LearningAchievementSpecification's standard elements (shared by the EDC credential and the catalogue's
    learning opportunity). `languages`: of instruction; `text_languages`: of the document (notes and labels);
    `provider`: the id of the provider's Organisation node (the assurer of internal quality assurance)."""
    text_languages = text_languages or [lang]
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
    if a.get("qf_ehea_cycle") in QF_EHEA_CYCLES:
        spec["educationLevel"] = [cycle_concept(a["qf_ehea_cycle"])]
    if a.get("participation") in MODES:
        uri, label = MODES[a["participation"]]
        spec["mode"] = concept(uri, scheme=MODE_SCHEME, label=label)
    if a.get("prerequisites"):
        spec["entryRequirement"] = note(f"{uid}:entryRequirement", a["prerequisites"], lang)
    accreditation = quality_assurance_accreditation(uid, a, lang, text_languages, provider) if provider else None
    if accreditation is not None:
        spec["accreditation"] = [accreditation]
    if a.get("part_of"):  # stacking: the provider's combined micro-credentials this one is a part of
        spec["isPartOf"] = [related_specification(item, lang) for item in a["part_of"]]
    if a.get("composed_of"):  # stacking: a combined micro-credential's parts
        spec["hasPart"] = [related_specification(item, lang) for item in a["composed_of"]]
    notes = standard_element_notes(uid, a, lang, text_languages)
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
    languages = list(credential.languages or ["en"])
    spec = {"id": base_spec["id"], "type": "LearningAchievementSpecification",
            **specification_common(f"{uid}:specification", a, lang, a.get("languages_of_instruction")
                                   or credential.languages, text_languages=languages,
                                   provider=claim["awardedBy"]["awardingBody"][0]["id"])}
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
                                  "specifiedBy": assessment_specification(uid, a, lang, languages),
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
        assessment["description"] = localised(prior_learning_description(prior), languages)
        assessment["additionalNote"] = [platform_note(f"{uid}:assessment:prior-learning", prior_learning_text(prior),
                                                      languages)]
        if "grade" not in assessment and prior.get("result"):  # the shapes require a grade: the result is one
            assessment["grade"] = {"id": f"{uid}:grade", "type": "Note", "noteLiteral": text(prior["result"], lang)}
    if "grade" not in assessment:  # the shapes require one; awarded without a grade means it was passed
        assessment["grade"] = platform_note(f"{uid}:grade", _("Passed"), languages)
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
            node["additionalNote"] = [platform_note(f"{uid}:part:{i}:recognition", external_part_text(part),
                                                    languages)]
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
