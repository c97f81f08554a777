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
