"""One Europass Mobility document as plain data, and what the documents engine and the Trust layer make of it.

A sending institution prepares a period of learning abroad with a **Europass Learning Agreement** (kind
`europass_agreement`, before the mobility: expected learning outcomes) and certifies it with a **Europass Mobility
certificate** (kind `europass_certificate`, after: achieved learning outcomes). DOMAIN D3/D4, seed 003.

The mobility app (models, applications, NEC approval) builds a `EuropassDocument` (`mobility_document_data(document)`)
and hands it to the functions below; `document_sample`/`credential_sample` feed them a realistic sample today
(`sample.europass_sample`). Nothing here reads a model.

    europass_pdf_data(doc)            -> data for documents.services.document_render / credential_issue(pdf_data=…)
    europass_languages(doc)           -> [doc["language"]]: the document's own language, never the interface's
    europass_certificate_achievement(doc) -> the `achievement` dict credential_issue stores (OB3 + EDC export)
    europass_render_pdf(organisation=…, doc=…) -> the PDF: sealed, except a Try Out document (never sealed)

D4: the sections of each kind (enforced by `europass_check`; `europass_pdf_data` drops what a certificate must not
carry, so a certificate made from an agreement's data never prints them):

| section                                    | agreement (before)  | certificate (after)          |
|--------------------------------------------|---------------------|------------------------------|
| title and participant data                 | mandatory           | mandatory                    |
| programme, activity type (mandatory)       | mandatory           | mandatory                    |
| start and end (travel days not counted)    | mandatory           | mandatory                    |
| status at the sending organisation         | mandatory           | mandatory                    |
| host organisation and its contacts         | mandatory           | mandatory                    |
| learning outcomes (A/B/C, may combine)     | mandatory: expected | mandatory: achieved          |
| activities and tasks                       | kept                | kept                         |
| mentoring and monitoring                   | mandatory           | optional                     |
| evaluation and recognition                 | kept                | kept                         |
| additional terms (host family, conduct…)   | optional            | removed                      |
| contact information                        | mandatory           | removed                      |
| signatures                                 | 3 or 4 parties      | one: sending or host         |

The document number is the **Europass number** (from the Europass Mobility database series) or, for Erasmus+ KA1,
the **mobility ID** from the Beneficiary Module (then no NEC application exists). A **Try Out** document
(`try_out: True`) is a trial: watermarked "Try Out" on every page, never numbered from the real series, never
sealed (`seal.pdf_seal` refuses a PDF whose metadata mark it, and credentials.credential_issue refuses its data).

Images (photo, logo, signature, stamp) are any value `documents.render.image_ref` accepts: bytes, a Django file,
`{"storage": name}` or `{"$bytes": base64}` — never a path string.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal, NotRequired, TypedDict

AGREEMENT = "europass_agreement"
CERTIFICATE = "europass_certificate"
KINDS = (AGREEMENT, CERTIFICATE)
LANGUAGES = ("lv", "en")
FRAMEWORKS = ("A", "B", "C")  # A: key competences for lifelong learning, B: ESCO, C: another named framework
PARTIES = ("sending", "host", "participant", "intermediary", "legal_representative")
ESCO_ATTRIBUTION_URL = "https://esco.ec.europa.eu"

# D4 as data: section -> (agreement, certificate); "mandatory", "optional" or "removed".
SECTION_RULES: dict[str, tuple[str, str]] = {
    "participant": ("mandatory", "mandatory"),
    "sending": ("mandatory", "mandatory"),
    "host": ("mandatory", "mandatory"),
    "project": ("mandatory", "mandatory"),
    "outcomes": ("mandatory", "mandatory"),
    "activities": ("optional", "optional"),
    "mentoring": ("mandatory", "optional"),
    "evaluation": ("optional", "optional"),
    "additional_terms": ("optional", "removed"),
    "contact": ("mandatory", "removed"),
    "signatures": ("mandatory", "mandatory"),
}


def section_rule(kind: str, section: str) -> str:
    """"mandatory", "optional" or "removed": what D4 says of `section` in a document of `kind`."""
    return SECTION_RULES[section][KINDS.index(kind)]


Image = Any  # bytes | File | {"storage": name} | {"$bytes": base64}


class EscoRef(TypedDict):
    uri: str  # http://data.europa.eu/esco/skill/… (or …/occupation/…)
    label: str  # the preferred label, in the document language when the ESCO file of that language is loaded


class LearningOutcome(TypedDict):
    framework: Literal["A", "B", "C"]
    framework_name: str  # e.g. "Key competences for lifelong learning (2018)", "ESCO", or the named framework C
    text: str  # clear, concrete, measurable; expected (agreement) or achieved (certificate)
    esco: NotRequired[list[EscoRef]]  # the ESCO skills/occupations inserted into the text, with their URIs


class Participant(TypedDict):
    first_name: str
    surname: str
    birth_date: NotRequired[str | datetime.date | None]
    nationality: NotRequired[str]  # ISO 3166-1 alpha-2
    address: NotRequired[str]
    email: NotRequired[str]
    photo: NotRequired[Image | None]  # already stripped of metadata (re-encoded) by the caller


class SendingInstitution(TypedDict):
    name: str
    address: str
    country: str  # ISO 3166-1 alpha-2
    contact_name: NotRequired[str]
    contact_position: NotRequired[str]
    email: NotRequired[str]
    phone: NotRequired[str]
    website: NotRequired[str]
    logo: NotRequired[Image | None]


class Mentor(TypedDict):
    name: str
    position: NotRequired[str]
    phone: NotRequired[str]
    email: NotRequired[str]


class HostOrganisation(TypedDict):
    name: str
    type: str  # e.g. "Vocational school", "Enterprise" (from a list, free text allowed)
    country: str  # ISO 3166-1 alpha-2; within the procedure's scope (checked by the mobility app)
    address: NotRequired[str]
    mentor: Mentor


class Project(TypedDict):
    programme: str  # e.g. "Erasmus+", "Nordplus"
    activity_type: str  # mandatory, e.g. "Erasmus+ Long-term learning mobility SCH learners (ErasmusPro)"
    stay: Literal["physical", "virtual"]
    purpose: str  # from a list or free text
    start: str | datetime.date  # the document's own dates, travel days not counted
    end: str | datetime.date
    status_at_sending: str  # the programme of study; for staff, the position
    project_number: NotRequired[str]
    place: NotRequired[str]  # city of the stay (a physical stay)
    workload_hours: NotRequired[int | None]


class Contact(TypedDict):
    role: str  # e.g. "Sending organisation", "Host organisation", "Participant"
    name: str
    phone: NotRequired[str]
    email: NotRequired[str]


class GroupProgramme(TypedDict):
    """The group learning programme (seed 003): the shared programme of a group mobility, described once."""

    reference: str
    title: str
    summary: NotRequired[str]


class Signature(TypedDict):
    party: Literal["sending", "host", "participant", "intermediary", "legal_representative"]
    name: str
    position: NotRequired[str]
    organisation: NotRequired[str]
    place: NotRequired[str]
    date: NotRequired[str | datetime.date | None]
    signature: NotRequired[Image | None]  # a stored signature image, placed automatically when given
    stamp: NotRequired[Image | None]


class EuropassDocument(TypedDict):
    kind: Literal["europass_agreement", "europass_certificate"]
    language: Literal["lv", "en"]  # the document's own language, chosen per document
    europass_number: NotRequired[str]  # from the Europass Mobility database series (or a Try Out number)
    mobility_id: NotRequired[str]  # Erasmus+ KA1: the Beneficiary Module's mobility ID instead of a Europass number
    try_out: NotRequired[bool]
    participant: Participant
    sending: SendingInstitution
    host: HostOrganisation
    project: Project
    outcomes: list[LearningOutcome]
    activities: NotRequired[str]  # activities and tasks
    mentoring: NotRequired[str]  # mentoring and monitoring arrangements
    evaluation: NotRequired[str]  # evaluation and recognition
    additional_terms: NotRequired[str]  # agreement only
    contact: NotRequired[list[Contact]]  # agreement only
    group_programme: NotRequired[GroupProgramme | None]
    signatures: list[Signature]
    issued_on: NotRequired[str | datetime.date | None]
    place: NotRequired[str]  # where it is issued


# --- checks ----------------------------------------------------------------------------------------------------------

def europass_check(doc: dict) -> None:
    """Structural rules every rendering relies on (ValueError names the first problem). Which fields are still
    empty is the mobility app's list of missing fields; this refuses only what would make a wrong document."""
    kind = doc.get("kind")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    if doc.get("language") not in LANGUAGES:
        raise ValueError("language must be lv or en (one language per Europass document)")
    if not (doc.get("europass_number") or doc.get("mobility_id")):
        raise ValueError("a Europass number or a mobility ID is required")
    if not (doc.get("project") or {}).get("activity_type"):
        raise ValueError("the activity type is mandatory")
    if (doc.get("project") or {}).get("stay") not in ("physical", "virtual"):
        raise ValueError("the stay is physical or virtual")
    outcomes = doc.get("outcomes") or []
    if not outcomes:
        raise ValueError("learning outcomes are mandatory in every Europass document")
    for o in outcomes:
        if o.get("framework") not in FRAMEWORKS:
            raise ValueError("each learning outcome names its framework: A, B or C")
        if not str(o.get("text") or "").strip():
            raise ValueError("a learning outcome has no text")
        for ref in o.get("esco") or []:
            if not str(ref.get("uri", "")).startswith("http://data.europa.eu/esco/"):
                raise ValueError("an ESCO reference needs its ESCO URI")
    parties = [s.get("party") for s in doc.get("signatures") or []]
    if any(p not in PARTIES for p in parties) or len(set(parties)) != len(parties):
        raise ValueError("each signature names a different party")
    if kind == AGREEMENT:
        if not 3 <= len(parties) <= 4 or not {"sending", "host", "participant"} <= set(parties):
            raise ValueError("a learning agreement is signed by 3 or 4 parties: sending, host, participant (+1)")
        if not str(doc.get("mentoring") or "").strip():
            raise ValueError("mentoring and monitoring are mandatory in a learning agreement")
        if not doc.get("contact"):
            raise ValueError("contact information is mandatory in a learning agreement")
    elif len(parties) != 1 or parties[0] not in ("sending", "host"):
        raise ValueError("a mobility certificate is signed by one party: the sending or the host organisation")


def europass_is_try_out(doc: dict) -> bool:
    return bool(doc.get("try_out"))


def europass_languages(doc: dict) -> list[str]:
    """The languages to render with: the document's own, only."""
    return [doc["language"]]


# --- what the engines take -------------------------------------------------------------------------------------------

def europass_pdf_data(doc: dict) -> dict:
    """The `data` of documents.services.document_render (or `pdf_data` of credential_issue, which adds `number`,
    `code` and `verification_url`). A certificate loses the sections D4 removes."""
    europass_check(doc)
    data = dict(doc)
    if doc["kind"] == CERTIFICATE:
        for section in ("additional_terms", "contact"):
            data.pop(section, None)
    sending = doc["sending"]
    # the documents engine's common block: PDF author, the header
    data["organisation"] = {"name": sending["name"], "address": sending.get("address", ""),
                            "website": sending.get("website", ""), "logo": sending.get("logo")}
    data["try_out"] = europass_is_try_out(doc)
    return data


def _participant_name(doc: dict) -> str:
    p = doc["participant"]
    return f"{p.get('first_name', '')} {p.get('surname', '')}".strip()


def europass_holder_name(doc: dict) -> str:
    return _participant_name(doc)


def _outcome_name(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def europass_certificate_achievement(doc: dict) -> dict:
    """The `achievement` of credentials.services.credential_issue for a mobility certificate.

    The keys OB3 reads (`name`, `description`, `criteria`, `outcomes` with name/description/framework/url, `tags`)
    and, under `europass`, what the EDC export (credentials.formats.elm_mobility) needs: the document number, the
    stay (dates, physical/virtual, host country, workload), the host organisation, the sending institution's
    country and each outcome's framework and ESCO references. Stored as JSON on the IssuedCredential.
    """
    europass_check(doc)
    if doc["kind"] != CERTIFICATE:
        raise ValueError("only a Europass Mobility certificate is issued as a credential")
    if europass_is_try_out(doc):
        raise ValueError("a Try Out document is never issued")
    project, host = doc["project"], doc["host"]
    outcomes: list[dict] = []
    for o in doc["outcomes"]:
        item = {"name": _outcome_name(o["text"]), "description": o["text"], "framework": o["framework_name"]}
        esco = o.get("esco") or []
        if len(esco) == 1:
            item["url"] = esco[0]["uri"]
        outcomes.append(item)
        for ref in esco if len(esco) > 1 else []:
            outcomes.append({"name": ref["label"], "url": ref["uri"], "framework": "ESCO"})
    start, end = str(project["start"])[:10], str(project["end"])[:10]
    return {
        "name": f"Europass Mobility — {project['activity_type']} — {host['name']}",
        "description": f"{project['purpose']} ({start} – {end}, {host['name']}, {host['country']})",
        "criteria": doc.get("evaluation") or project["purpose"],
        "outcomes": outcomes,
        "tags": ["Europass Mobility", project["programme"]],
        "europass": {
            "kind": doc["kind"],
            "language": doc["language"],
            "europass_number": doc.get("europass_number") or "",
            "mobility_id": doc.get("mobility_id") or "",
            "programme": project["programme"],
            "project_number": project.get("project_number") or "",
            "activity_type": project["activity_type"],
            "purpose": project["purpose"],
            "stay": project["stay"],
            "start": start,
            "end": end,
            "place": project.get("place") or "",
            "workload_hours": project.get("workload_hours"),
            "activities": doc.get("activities") or "",
            "sending_country": doc["sending"]["country"],
            # the host organisation, not its mentor: no personal contact details travel into the credential
            "host": {"name": host["name"], "type": host.get("type", ""), "country": host["country"],
                     "address": host.get("address", "")},
            "outcomes": [{"framework": o["framework"], "framework_name": o["framework_name"], "text": o["text"],
                          "esco": [{"uri": r["uri"], "label": r["label"]} for r in o.get("esco") or []]}
                         for o in doc["outcomes"]],
        },
    }


def europass_render_pdf(*, organisation, doc: dict, seal: bool = True) -> bytes:
    """Render the document in its own language; seal it for `organisation` unless it is a Try Out document
    (`try_out=True` is passed down: a Try Out render skips the seal, and the seal refuses it anyway)."""
    from .services import document_issue_pdf

    return document_issue_pdf(organisation=organisation, kind=doc["kind"], data=europass_pdf_data(doc),
                              languages=europass_languages(doc), seal=seal, try_out=europass_is_try_out(doc))


def europass_issue_inputs(doc: dict) -> dict:
    """Everything the engines take for one document, from its data alone — the one place the shape becomes
    `pdf_data`/`achievement`. Keys: `kind`, `try_out`, `languages`, `holder_name`, `holder_email`, `pdf_data`
    (documents.services.document_render / credential_issue), `achievement` (credential_issue; None for a learning
    agreement and for a Try Out document, which are not issued as credentials), `issued_on` and `place`.

    `document_sample` and `credential_sample` call it with a sample today; the mobility app calls it with
    `mobility_document_data(document)`."""
    certificate = doc.get("kind") == CERTIFICATE
    issuable = certificate and not europass_is_try_out(doc)
    return {
        "kind": doc["kind"],
        "try_out": europass_is_try_out(doc),
        "languages": europass_languages(doc),
        "holder_name": europass_holder_name(doc),
        "holder_email": (doc.get("participant") or {}).get("email", ""),
        "pdf_data": europass_pdf_data(doc),
        "achievement": europass_certificate_achievement(doc) if issuable else None,
        "issued_on": doc.get("issued_on"),
        "place": doc.get("place") or "",
    }


# --- where the sample commands take a Europass document from -------------------------------------------------------
# The mobility app registers its real data path (rows → `mobility_document_data`) in its AppConfig.ready, so
# `document_sample` and `credential_sample` use it without importing that higher layer; without it (the app not
# installed) they fall back to `documents.sample.europass_sample`.

_SAMPLE_SOURCE: list = []


def europass_sample_source_register(source) -> None:
    """`source(*, organisation, kind, language, try_out, hostile) -> EuropassDocument`."""
    _SAMPLE_SOURCE[:] = [source]


def europass_sample_source():
    return _SAMPLE_SOURCE[0] if _SAMPLE_SOURCE else None
