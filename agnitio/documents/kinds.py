"""Document kinds: each names a Typst template, its translated labels and how its data are prepared.

To add a kind (Europass Mobility, micro-credential): write `typst/<kind>.typ` (it may import `lib.typ`), then
`register(DocumentKind(name=..., template=..., labels=..., prepare=...))` below. `labels()` is called inside
`translation.override(lang)` once per document language, so its strings come from the gettext catalogues and
the interface language never leaks into a document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import render


@dataclass(frozen=True)
class DocumentKind:
    name: str
    template: str
    labels: Callable[[], dict[str, str]]
    prepare: Callable[[dict, list[str]], dict]
    title: Callable[[dict, dict[str, str]], str]


KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    KINDS[kind.name] = kind
    return kind


def _common_labels() -> dict[str, str]:
    return {
        "document_number": _("Document number"),
        "verification_code": _("Verification code"),
        "page": _("Page"),
        "of": _("of"),
        "verify": _("Check this document at"),
        "issued_by": _("Issued by"),
        "place_date": _("Place and date"),
        "signature": _("Signature"),
        "stamp": _("Stamp"),
        "sealed_note": _("This document is sealed electronically by the issuing organisation."),
    }


def _youthpass_labels() -> dict[str, str]:
    return {
        **_common_labels(),
        "doc_title": _("Youthpass certificate"),
        "subtitle": _("Certificate of participation"),
        "confirms": _("This certificate confirms that"),
        "took_part": _("took part in the project"),
        "dates": _("Dates"),
        "venue": _("Venue"),
        "programme": _("Programme"),
        "action": _("Action"),
        "project_number": _("Project number"),
        "organised_by": _("organised by"),
        "part1": _("Part 1: Certificate"),
        "part2": _("Part 2: Description of the project and activities"),
        "part3": _("Part 3: Learning outcomes"),
        "project": _("Project"),
        "description": _("Description"),
        "activities": _("Activities"),
        "partners": _("Partner organisations"),
        "outcomes_intro": _("Learning outcomes described by the participant, by key competence for lifelong learning"),
        "holder": _("Participant"),
        "born": _("Date of birth"),
        "legal_representative": _("Legal representative"),
        "project_responsible": _("Person responsible for the project"),
        "extra_signatory": _("Additional official signatory"),
        "learning_supporter": _("Person who supported the learning"),
        "format": _("Format"),
        "youthpass_note": _("Youthpass is the European recognition tool for non-formal and informal learning "
                            "in youth work."),
    }


def _prepare_common(data: dict, languages: list[str]) -> dict:
    org = dict(data.get("organisation") or {})
    org["logo"] = render.image_ref(org.get("logo"))
    signatories = []
    for s in data.get("signatories") or []:
        s = dict(s)
        s["signature"] = render.image_ref(s.get("signature"))
        signatories.append(s)
    return {
        **data,
        "organisation": org,
        "signatories": signatories,
        "stamp": render.image_ref(data.get("stamp")),
        "issued_on": render.localised_dates(data.get("issued_on"), languages),
        "qr": render.qr_svg(data["verification_url"]) if data.get("verification_url") else None,
    }


def _prepare_youthpass(data: dict, languages: list[str]) -> dict:
    out = _prepare_common(data, languages)
    project = dict(data.get("project") or {})
    project["start"] = render.localised_dates(project.get("start"), languages)
    project["end"] = render.localised_dates(project.get("end"), languages)
    out["project"] = project
    activities = []
    for a in data.get("activities") or []:
        a = dict(a)
        a["start"] = render.localised_dates(a.get("start"), languages)
        a["end"] = render.localised_dates(a.get("end"), languages)
        activities.append(a)
    out["activities"] = activities
    holder = dict(data.get("holder") or {})
    holder["birth_date"] = render.localised_dates(holder.get("birth_date"), languages)
    out["holder"] = holder
    out["outcomes"] = list(data.get("outcomes") or [])
    out["signatories"] = [{**s, "part": _signatory_part(s)} for s in out["signatories"]]
    return out


def _signatory_part(signatory: dict) -> int:
    """The part a signatory signs: `part` (1, 2 or 3); older data say `part3: true`; otherwise part 1."""
    part = signatory.get("part")
    if part in (1, 2, 3):
        return part
    if part is not None:
        raise ValueError("A signatory's part is 1, 2 or 3.")
    return 3 if signatory.get("part3") else 1


def _youthpass_title(data: dict, labels: dict[str, str]) -> str:
    holder = (data.get("holder") or {}).get("name", "")
    return f"{labels['doc_title']} — {holder}" if holder else labels["doc_title"]


register(DocumentKind(name="youthpass", template="youthpass.typ", labels=_youthpass_labels,
                      prepare=_prepare_youthpass, title=_youthpass_title))


# --- micro-credential (DOMAIN D5: the Annex I standard elements) ------------------------------------------------

def _microcredential_labels() -> dict[str, str]:
    return {
        **_common_labels(),
        "doc_title": _("Micro-credential"),
        "confirms": _("This is to certify that"),
        "achieved": _("has achieved the learning outcomes of the micro-credential"),
        "holder": _("Learner"),
        "born": _("Date of birth"),
        "national_id": _("National identifier"),
        "issued_on": _("Date of issue"),
        "valid_until": _("Valid until"),
        "awarding_bodies": _("Awarding body(ies)"),
        "legal_identifier": _("legal identifier"),
        "issuer_countries": _("Country(ies)/region(s) of the issuer"),
        "outcomes": _("Learning outcomes"),
        "esco_skills": _("ESCO skills"),
        "workload": _("Notional workload"),
        "ects": _("ECTS credits"),
        "hours": _("hours"),
        "level": _("Level"),
        "eqf": _("EQF level"),
        "qf_ehea": _("QF-EHEA"),
        "national_level": _("national level"),
        "assessment": _("Type of assessment"),
        "assessed_on": _("Date of assessment"),
        "participation": _("Form of participation"),
        "quality_assurance": _("Type of quality assurance"),
        "prerequisites": _("Prerequisites"),
        "supervision": _("Supervision and identity verification during assessment"),
        "grade": _("Grade achieved"),
        "grading": _("Grading scheme"),
        "stackability": _("Integration or stackability"),
        "further_information": _("Further information"),
        "version": _("version"),
        "standard_elements": _("Standard elements of the micro-credential"),
        "elements_note": _("Described with the European standard elements of the Council Recommendation on a "
                           "European approach to micro-credentials (2022)."),
        # choices (the same words as the micro-credentials app's, so one translation serves both)
        "participation_online": _("online"),
        "participation_onsite": _("onsite"),
        "participation_blended": _("blended"),
        "assessment_written_exam": _("written examination"),
        "assessment_oral_exam": _("oral examination"),
        "assessment_practical": _("practical demonstration"),
        "assessment_project": _("project or portfolio"),
        "assessment_continuous": _("continuous assessment"),
        "assessment_online_test": _("online test"),
        "assessment_other": _("other (described)"),
        "qa_internal": _("internal quality assurance"),
        "qa_external": _("external quality assurance (accreditation)"),
        "qa_internal_external": _("internal and external quality assurance"),
        "cycle_short": _("short cycle"),
        "cycle_first": _("first cycle"),
        "cycle_second": _("second cycle"),
        "cycle_third": _("third cycle"),
        "supervision_unsupervised_no_id": _("Unsupervised with no identity verification"),
        "supervision_supervised_no_id": _("Supervised with no identity verification"),
        "supervision_supervised_online_id": _("Supervised online with identity verification"),
        "supervision_supervised_onsite_id": _("Supervised onsite with identity verification"),
        "grading_pass_fail": _("pass or fail"),
        "grading_numeric": _("numeric grade"),
        "grading_letter": _("letter grade"),
        "grading_other": _("other (described)"),
        "stack_standalone": _("stand-alone micro-credential"),
        "stack_stackable": _("integrated or stackable towards another credential"),
    }


def _country_names(codes: list[str], languages: list[str]) -> dict[str, str]:
    from django.utils import translation
    from django_countries import countries

    names = {}
    for lang in languages:
        with translation.override(lang):
            names[lang] = ", ".join(str(dict(countries).get(code, code)) for code in codes)
    return names


def _prepare_microcredential(data: dict, languages: list[str]) -> dict:
    out = _prepare_common(data, languages)
    holder = dict(data.get("holder") or {})
    holder["birth_date"] = render.localised_dates(holder.get("birth_date"), languages)
    out["holder"] = holder
    out["valid_until"] = render.localised_dates(data.get("valid_until"), languages)
    out["assessed_on"] = render.localised_dates(data.get("assessed_on"), languages)
    spec = dict(data["specification"])
    spec["issuer_countries"] = _country_names(list(spec.get("issuer_countries") or []), languages)
    spec["outcomes"] = [str(o.get("name", "")) for o in spec.get("outcomes") or []]
    spec["esco_skills"] = [str(s.get("label") or s.get("uri", "")) for s in spec.get("esco_skills") or []]
    spec["awarding_bodies"] = [dict(b) for b in spec.get("awarding_bodies") or []]
    out["specification"] = spec
    return out


def _microcredential_title(data: dict, labels: dict[str, str]) -> str:
    title = (data.get("specification") or {}).get("title", "")
    return f"{labels['doc_title']} — {title}" if title else labels["doc_title"]


register(DocumentKind(name="microcredential", template="microcredential.typ", labels=_microcredential_labels,
                      prepare=_prepare_microcredential, title=_microcredential_title))
