"""EDC (European Learning Model v3) export of an issued Europass Mobility certificate.

A mobility certificate is a `LearningAchievement` awarded by the sending institution (the issuing organisation:
`awardedBy` → `AwardingProcess` with it as `awardingBody`, as every EDC export here), `influencedBy` a
`LearningActivity` for the stay abroad: titled by the activity type, `directedBy` the host organisation (an
`Organisation` with its country), with the stay's dates (`temporal`), its location (the host's country; none for a
virtual stay, which a note says), its workload when known, and the Europass number or mobility ID as identifier.
The learning outcomes (achieved) are `LearningOutcome`s of the achievement's specification, each linked to the ESCO
skills it was written from (`relatedESCOSkill`, ESCO concepts by URI).

Input: an IssuedCredential (number, credential_uid, issued_on, languages, organisation, pdf) whose `achievement` is
what `documents.europass.europass_certificate_achievement(doc)` made: the OB3 keys plus a `europass` block
(see there). The generic export (`elm.edc_credential`) makes the credential, the issuer, the learner and the awarding
process; this module adds the mobility to it, so the two stay one format.
"""

from __future__ import annotations

from .elm import COUNTRY, _text, edc_credential

ESCO_SKILLS_SCHEME = "http://data.europa.eu/esco/concept-scheme/skills"
ESCO_OCCUPATIONS_SCHEME = "http://data.europa.eu/esco/concept-scheme/occupations"


def _alpha3(alpha2: str) -> str:
    from django_countries import countries

    alpha3 = countries.alpha3(alpha2) if alpha2 else None
    if not alpha3:
        raise ValueError(f"unknown country code {alpha2!r}")
    return alpha3


def _esco_concept(ref: dict, lang: str) -> dict:
    uri = ref["uri"]
    scheme = ESCO_OCCUPATIONS_SCHEME if "/occupation/" in uri else ESCO_SKILLS_SCHEME
    return {"id": uri, "type": "Concept", "prefLabel": _text(ref["label"], lang),
            "inScheme": {"id": scheme, "type": "ConceptScheme"}}


def _datetime(value: str, *, end: bool = False) -> str:
    return f"{value[:10]}T{'23:59:59' if end else '00:00:00'}Z"


def _host_organisation(uid: str, host: dict, lang: str) -> dict:
    alpha3 = _alpha3(host["country"])
    address: dict = {"id": f"{uid}:host:address", "type": "Address",
                     "countryCode": {"id": COUNTRY.format(alpha3=alpha3), "type": "Concept"}}
    org: dict = {
        "id": f"{uid}:host", "type": "Organisation", "legalName": _text(host["name"], lang),
        "location": {"id": f"{uid}:host:location", "type": "Location", "address": address},
    }
    if host.get("address"):
        address["fullAddress"] = {"id": f"{uid}:host:full-address", "type": "Note",
                                  "noteLiteral": _text(host["address"], lang)}
    return org


def edc_mobility_credential(credential, *, stay_notes: dict[str, str] | None = None) -> dict:
    """The EDC JSON-LD of an issued Europass Mobility certificate (unsigned, like `elm.edc_credential`).

    `stay_notes` words the note on the kind of stay ({"physical": …, "virtual": …}, in the document language);
    by default English."""
    mobility = (credential.achievement or {}).get("europass")
    if not mobility:
        raise ValueError("not a Europass Mobility certificate (its achievement has no `europass` block)")
    document = edc_credential(credential)
    lang = mobility.get("language") or (credential.languages or ["en"])[0]
    uid = credential.credential_uid
    claim = document["credentialSubject"]["hasClaim"]

    outcomes = []
    for i, outcome in enumerate(mobility["outcomes"], start=1):
        item = {"id": f"{uid}:outcome:{i}", "type": "LearningOutcome", "title": _text(outcome["text"], lang),
                "additionalNote": [{"id": f"{uid}:outcome:{i}:framework", "type": "Note",
                                    "noteLiteral": _text(f"{outcome['framework']}: {outcome['framework_name']}",
                                                         lang)}]}
        esco = outcome.get("esco") or []
        if esco:
            item["relatedESCOSkill"] = [_esco_concept(ref, lang) for ref in esco]
        outcomes.append(item)
    claim["specifiedBy"]["learningOutcome"] = outcomes

    notes = {"physical": "Physical stay", "virtual": "Virtual stay", **(stay_notes or {})}
    number = mobility.get("mobility_id") or mobility.get("europass_number") or credential.number
    scheme = "Erasmus+ mobility ID" if mobility.get("mobility_id") else "Europass number"
    activity = {
        "id": f"{uid}:activity", "type": "LearningActivity",
        "title": _text(mobility["activity_type"], lang),
        "description": _text(mobility["purpose"], lang),
        "identifier": [{"id": f"{uid}:activity:identifier", "type": "Identifier", "schemeName": scheme,
                        "notation": number}],
        "temporal": {"id": f"{uid}:activity:period", "type": "PeriodOfTime",
                     "startDate": _datetime(mobility["start"]), "endDate": _datetime(mobility["end"], end=True)},
        "directedBy": [_host_organisation(uid, mobility["host"], lang)],
        "awardedBy": claim["awardedBy"],
        "additionalNote": [{"id": f"{uid}:activity:stay", "type": "Note",
                            "noteLiteral": _text(notes[mobility["stay"]], lang)}],
    }
    if mobility["stay"] == "physical":
        address = {"id": f"{uid}:activity:address", "type": "Address",
                   "countryCode": {"id": COUNTRY.format(alpha3=_alpha3(mobility["host"]["country"])),
                                   "type": "Concept"}}
        location = {"id": f"{uid}:activity:location", "type": "Location", "address": address}
        if mobility.get("place"):
            location["geographicName"] = _text(mobility["place"], lang)
        activity["location"] = [location]
    if mobility.get("workload_hours"):
        activity["workload"] = f"PT{int(mobility['workload_hours'])}H"
    if mobility.get("activities"):
        activity["additionalNote"].append({"id": f"{uid}:activity:tasks", "type": "Note",
                                           "noteLiteral": _text(mobility["activities"], lang)})
    claim["influencedBy"] = [activity]
    return document


def edc_export(credential) -> dict:
    """The EDC export of any issued credential, by its kind: a Europass Mobility certificate (with its `europass`
    block) as a mobility, every other kind through the generic export."""
    if credential.kind == "europass_certificate" and (credential.achievement or {}).get("europass"):
        return edc_mobility_credential(credential)
    return edc_credential(credential)
