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
    # False: a display, not a document (the credential summary): its PDF says so in its keywords, and neither
    # document_issue_pdf nor seal.pdf_seal ever seals it.
    sealed: bool = True


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


# --- Europass Mobility (DOMAIN D3/D4; the data shape is documents/europass.py) -----------------------------------

def _europass_labels() -> dict[str, str]:
    return {
        **_common_labels(),
        "doc_title": _("Europass Mobility document"),
        "agreement_title": _("Europass Learning Agreement"),
        "certificate_title": _("Europass Mobility certificate"),
        "agreement_subtitle": _("An agreement on the content and the expected learning outcomes of a learning "
                                "period abroad, before the mobility"),
        "certificate_subtitle": _("Confirms the learning outcomes achieved during a learning period abroad"),
        "europass_number": _("Europass number"),
        "mobility_id": _("Mobility ID"),
        "try_out": _("Try Out"),
        "try_out_note": _("Europass Try Out: a trial document. It is not valid, has no Europass number from the "
                          "real series, is not sealed and is deleted after 24 hours."),
        "participant": _("Participant"),
        "first_name": _("First name"),
        "surname": _("Surname"),
        "born": _("Date of birth"),
        "nationality": _("Nationality"),
        "address": _("Address"),
        "email": _("E-mail"),
        "phone": _("Phone"),
        "website": _("Website"),
        "country": _("Country"),
        "sending": _("Sending organisation"),
        "host": _("Host organisation"),
        "organisation_name": _("Name"),
        "organisation_type": _("Type of organisation"),
        "contact_person": _("Contact person"),
        "mentor": _("Mentor"),
        "mentor_position": _("Mentor's position"),
        "project": _("Project"),
        "programme": _("Programme"),
        "project_number": _("Project number"),
        "activity_type": _("Activity type"),
        "stay": _("Stay"),
        "stay_physical": _("Physical stay"),
        "stay_virtual": _("Virtual stay"),
        "purpose": _("Purpose of the stay"),
        "place": _("Place"),
        "start": _("Start date"),
        "end": _("End date"),
        "dates_note": _("Travel days are not counted."),
        "status_at_sending": _("Status at the sending organisation"),
        "workload": _("Workload (hours)"),
        "group_programme": _("Group learning programme"),
        "expected_outcomes": _("Expected learning outcomes"),
        "achieved_outcomes": _("Achieved learning outcomes"),
        "framework_A": _("A. European key competences for lifelong learning"),
        "framework_B": _("B. European Skills, Competences, Qualifications and Occupations (ESCO)"),
        "framework_C": _("C. Another competence framework"),
        "esco_skills": _("ESCO skills"),
        "esco_attribution": _("This service uses the ESCO classification of the European Commission."),
        "activities": _("Activities and tasks"),
        "mentoring": _("Mentoring and monitoring"),
        "evaluation": _("Evaluation and recognition"),
        "additional_terms": _("Additional terms"),
        "contact": _("Contact information"),
        "signatures": _("Signatures"),
        "party_sending": _("Sending organisation"),
        "party_host": _("Host organisation"),
        "party_participant": _("Participant"),
        "party_intermediary": _("Intermediary organisation"),
        "party_legal_representative": _("Legal representative"),
        "date": _("Date"),
        "europass_note": _("Europass Mobility records a period of learning abroad: its content, the learning "
                           "outcomes and who confirms them."),
    }


def _country_name(code: str | None, language: str) -> str:
    from django.utils import translation
    from django_countries import countries

    if not code:
        return ""
    with translation.override(language):
        return str(countries.name(code)) or code


def _prepare_europass(kind_name: str) -> Callable[[dict, list[str]], dict]:
    def prepare(data: dict, languages: list[str]) -> dict:
        from .europass import CERTIFICATE, europass_check

        europass_check(data)
        if data["kind"] != kind_name:
            raise ValueError(f"these are the data of a {data['kind']}, not a {kind_name}")
        if languages != [data["language"]]:  # one language, the document's own: never mixed with the interface's
            raise ValueError(f"a Europass document is rendered in its own language only ({data['language']})")
        lang = data["language"]
        out = _prepare_common(data, languages)
        participant = dict(data["participant"])
        participant["photo"] = render.image_ref(participant.get("photo"))
        participant["birth_date"] = render.localised_dates(participant.get("birth_date"), languages)
        participant["nationality"] = _country_name(participant.get("nationality"), lang)
        out["participant"] = participant
        sending = dict(data["sending"])
        sending["logo"] = render.image_ref(sending.get("logo"))
        sending["country"] = _country_name(sending.get("country"), lang)
        out["sending"] = sending
        host = dict(data["host"])
        host["country"] = _country_name(host.get("country"), lang)
        host["mentor"] = dict(host.get("mentor") or {})
        out["host"] = host
        project = dict(data["project"])
        project["start"] = render.localised_dates(project.get("start"), languages)
        project["end"] = render.localised_dates(project.get("end"), languages)
        if project.get("workload_hours") is not None:
            project["workload_hours"] = str(project["workload_hours"])
        out["project"] = project
        out["outcomes"] = [{**o, "esco": list(o.get("esco") or [])} for o in data["outcomes"]]
        out["esco_used"] = any(o["framework"] == "B" or o["esco"] for o in out["outcomes"])
        signatures = []
        for s in data["signatures"]:
            s = dict(s)
            s["signature"] = render.image_ref(s.get("signature"))
            s["stamp"] = render.image_ref(s.get("stamp"))
            s["date"] = render.localised_dates(s.get("date"), languages)
            signatures.append(s)
        out["signatures"] = signatures
        out["try_out"] = bool(data.get("try_out"))
        if data["kind"] == CERTIFICATE:  # D4: removed after the mobility, whatever the data carry
            out.pop("additional_terms", None)
            out.pop("contact", None)
        return out

    return prepare


def _europass_title(data: dict, labels: dict[str, str]) -> str:
    key = "certificate_title" if data.get("kind") == "europass_certificate" else "agreement_title"
    p = data.get("participant") or {}
    name = f"{p.get('first_name', '')} {p.get('surname', '')}".strip()
    return f"{labels[key]} — {name}" if name else labels[key]


register(DocumentKind(name="europass_agreement", template="europass_agreement.typ", labels=_europass_labels,
                      prepare=_prepare_europass("europass_agreement"), title=_europass_title))
register(DocumentKind(name="europass_certificate", template="europass_certificate.typ", labels=_europass_labels,
                      prepare=_prepare_europass("europass_certificate"), title=_europass_title))
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


# --- credential summary (the display image of a credential issued without a document of its own) ----------------

def _credential_summary_labels() -> dict[str, str]:
    return {
        **_common_labels(),
        "doc_title": _("Digital credential"),
        "subtitle": _("Summary of a digital credential"),
        "awarded_to": _("Awarded to"),
        "issued_on": _("Date of issue"),
        "valid_until": _("Valid until"),
        "verification_url": _("Verification address"),
        "footer_note": _("A summary of a digitally signed credential, made for display: it is not a document "
                         "and carries no seal. Check the credential at the address above."),
        "summary_note": _("The credential itself is the digitally signed data issued by the organisation; this "
                          "page only shows what it says."),
    }


def _prepare_credential_summary(data: dict, languages: list[str]) -> dict:
    out = _prepare_common(data, languages)
    out["organisation"] = {"name": (data.get("organisation") or {}).get("name", "")}  # no logo: text only
    out["holder"] = {"name": (data.get("holder") or {}).get("name", "")}
    out["valid_until"] = render.localised_dates(data.get("valid_until"), languages)
    return out


def _credential_summary_title(data: dict, labels: dict[str, str]) -> str:
    title = data.get("title") or ""
    if isinstance(title, dict):
        title = next(iter(title.values()), "")
    return f"{labels['doc_title']} — {title}" if title else labels["doc_title"]


register(DocumentKind(name="credential_summary", template="credential_summary.typ",
                      labels=_credential_summary_labels, prepare=_prepare_credential_summary,
                      title=_credential_summary_title, sealed=False))
