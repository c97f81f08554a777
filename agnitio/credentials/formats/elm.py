"""European Learning Model (EDC application profile) JSON-LD export of an issued document.

A reduced EDC credential with the structure of the European Commission's samples (`shared/data/elm`): the
credential, its identifier (our number), the learner (Person with e-mail contact), the learning achievement with
its awarding process and awarding body, the learning outcomes, and for micro-credentials the standard elements
(credit points, EQF level, workload) we hold. It is unsigned (EDC seals with JAdES; the signed form we issue is the
OB3 credential)."""

from __future__ import annotations

import base64
import datetime
import io

from ..signing.loader import EDC, VC_V1

COUNTRY = "http://publications.europa.eu/resource/authority/country/{alpha3}"
COUNTRY_SCHEME = "http://publications.europa.eu/resource/authority/country"
LANGUAGE = "http://publications.europa.eu/resource/authority/language/{code}"
LANGUAGE_CODES = {"en": "ENG", "lv": "LAV", "de": "DEU", "fr": "FRA", "es": "SPA", "it": "ITA", "lt": "LIT",
                  "et": "EST", "pl": "POL", "fi": "FIN", "sv": "SWE", "pt": "POR", "nl": "NLD"}


def _text(value: str, lang: str) -> dict:
    return {lang: value}


GENERIC_PROFILE = "http://data.europa.eu/snb/credential/e34929035b"


def _language(code: str) -> dict:
    return {"id": LANGUAGE.format(code=LANGUAGE_CODES.get(code, "ENG")), "type": "Concept",
            "inScheme": {"id": "http://publications.europa.eu/resource/authority/language", "type": "ConceptScheme"},
            "notation": "language", "prefLabel": {"en": code}}


def _country(alpha3: str) -> dict:
    """A country of the EU authority table, in its scheme (the EDC profile's controlled-vocabulary shapes ask)."""
    return {"id": COUNTRY.format(alpha3=alpha3), "type": "Concept",
            "inScheme": {"id": COUNTRY_SCHEME, "type": "ConceptScheme"}}


def _page_images(pdf: bytes) -> list[str]:
    """Base64 JPEG of each page of a PDF (pypdfium2), for EDC's display details."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    images = []
    try:
        for page in document:
            buffer = io.BytesIO()
            page.render(scale=1).to_pil().convert("RGB").save(buffer, format="JPEG", quality=70)
            images.append(base64.b64encode(buffer.getvalue()).decode())
    finally:
        document.close()
    return images


def summary_languages(credential) -> list[str]:
    """The credential's own languages that documents are made in (at most two, first first); English when it has
    none of them (EDC's default here too). Never the interface language."""
    from django.conf import settings

    supported = {code for code, _name in settings.LANGUAGES}
    languages = [code for code in dict.fromkeys(credential.languages or []) if code in supported][:2]
    return languages or ["en"]


def summary_pdf(credential) -> bytes:
    """The one-page credential summary (documents kind "credential_summary") of a credential, rendered now in its
    own languages: the display of a credential issued without a document. Never stored, never sealed."""
    from agnitio.documents.services import document_render

    return document_render(kind="credential_summary", languages=summary_languages(credential), data={
        "title": (credential.achievement or {}).get("name", ""),
        "organisation": {"name": credential.organisation.legal_name},
        "holder": {"name": credential.holder_name},
        "issued_on": credential.issued_on,
        "valid_until": credential.valid_until,
        "number": credential.number,
        "code": credential.code,
        "verification_url": credential.verification_url,
    })


def display_pdf(credential) -> bytes:
    """What EDC's display details show: the issued PDF, else (a credential issued through the VC API, or whose PDF
    was erased with the holder's data) the credential summary made by the documents engine."""
    if credential.pdf:
        with credential.pdf.open("rb") as handle:
            return handle.read()
    return summary_pdf(credential)


def _display(credential, uid: str, achievement: dict, lang: str) -> dict:
    """EDC display parameters. The shapes require at least one display detail (a page image) in each display:
    the pages of the issued PDF, or of the credential summary when there is none (`display_pdf`)."""
    languages = credential.languages or ["en"]
    images = _page_images(display_pdf(credential))
    displays = []
    for code in languages:
        display = {"id": f"{uid}:display:{code}", "type": "IndividualDisplay", "language": _language(code)}
        display["displayDetail"] = [
            {"id": f"{uid}:display:{code}:{page}", "type": "DisplayDetail", "page": page,
             "image": {"id": f"{uid}:image:{code}:{page}", "type": "MediaObject", "content": image,
                       "contentEncoding": {"id": "http://data.europa.eu/snb/encoding/6146cde7dd",
                                           "type": "Concept"},
                       "contentType": {"id": "http://publications.europa.eu/resource/authority/file-type/JPEG",
                                       "type": "Concept"}}}
            for page, image in enumerate(images, start=1)
        ]
        displays.append(display)
    return {
        "id": f"{uid}:display", "type": "DisplayParameter",
        "title": _text(achievement["name"], lang),
        "primaryLanguage": _language(languages[0]),
        "language": [_language(code) for code in languages],
        "individualDisplay": displays,
    }


def edc_credential(credential) -> dict:
    from django_countries import countries

    lang = (credential.languages or ["en"])[0]
    org = credential.organisation
    alpha3 = countries.alpha3(org.country.code) or "LVA"
    uid = credential.credential_uid
    awarding_body = {
        "id": f"urn:epass:org:{org.public_id}",
        "type": "Organisation",
        "legalName": _text(org.legal_name, lang),
        "location": {"id": f"urn:epass:location:{org.public_id}", "type": "Location",
                     "address": {"id": f"urn:epass:address:{org.public_id}", "type": "Address",
                                 "countryCode": _country(alpha3),
                                 "fullAddress": {"id": f"urn:epass:note:address-{org.public_id}", "type": "Note",
                                                 "noteLiteral": _text(org.address, lang)}}},
    }
    if org.identifier:
        awarding_body["eIDASIdentifier"] = {  # the EDC context's term for elm:eidasLegalIdentifier
            "id": f"urn:epass:legalIdentifier:{org.public_id}", "type": "LegalIdentifier",
            "notation": org.identifier, "spatial": _country(alpha3)}
    if org.email:
        awarding_body["contactPoint"] = {"id": f"urn:epass:contactPoint:{org.public_id}", "type": "ContactPoint",
                                         "emailAddress": {"id": f"mailto:{org.email}", "type": "Mailbox"}}
    achievement = credential.achievement
    outcomes = [
        {"id": f"{uid}:outcome:{i}", "type": "LearningOutcome", "title": _text(o["name"], lang),
         **({"definition": _text(o["description"], lang)} if o.get("description") else {})}
        for i, o in enumerate(achievement.get("outcomes") or [], start=1)
    ]
    specification = {
        "id": f"{uid}:specification", "type": "LearningAchievementSpecification",
        "title": _text(achievement["name"], lang),
        "language": [{"id": LANGUAGE.format(code=LANGUAGE_CODES.get(x, "ENG")), "type": "Concept"}
                     for x in credential.languages or ["en"]],
    }
    if outcomes:
        specification["learningOutcome"] = outcomes
    if achievement.get("credits_ects") is not None:
        specification["creditPoint"] = {"id": f"{uid}:credit", "type": "CreditPoint",
                                        "framework": {"id": "http://data.europa.eu/snb/education-credit/6fcec5c5af",
                                                      "type": "Concept"},
                                        "point": str(achievement["credits_ects"])}
    if achievement.get("eqf_level"):
        specification["eqfLevel"] = {"id": f"http://data.europa.eu/snb/eqf/{int(achievement['eqf_level'])}",
                                     "type": "Concept"}
    if achievement.get("workload_hours"):
        specification["volumeOfLearning"] = f"PT{int(achievement['workload_hours'])}H"
    issued = datetime.datetime.combine(credential.issued_on, datetime.time.min, datetime.UTC)
    document = {
        "@context": [VC_V1, EDC],  # the EDC context is written for VC 1.1, as in the EC samples
        "id": uid,
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "identifier": {"id": f"{uid}:identifier", "type": "Identifier", "schemeName": "Agnitio document number",
                       "notation": credential.number},
        "credentialSchema": [{"id": "http://data.europa.eu/snb/model/ap/edc-generic-full",
                              "type": "ShaclValidator2017"}],
        "credentialProfiles": [{"id": GENERIC_PROFILE, "type": "Concept",
                                "inScheme": {"id": "http://data.europa.eu/snb/credential/25831c2",
                                             "type": "ConceptScheme"},
                                "prefLabel": {"en": "Generic"}}],
        "displayParameter": _display(credential, uid, achievement, lang),
        "issuer": awarding_body,
        "validFrom": issued.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "issued": issued.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "id": f"{uid}:person",
            "type": "Person",
            "fullName": _text(credential.holder_name, lang),
            "hasClaim": {
                "id": f"{uid}:achievement", "type": "LearningAchievement",
                "title": _text(achievement["name"], lang),
                "awardedBy": {"id": f"{uid}:awarding", "type": "AwardingProcess", "awardingBody": [awarding_body],
                              "awardingDate": issued.strftime("%Y-%m-%dT%H:%M:%SZ")},
                "specifiedBy": specification,
            },
        },
    }
    if achievement.get("description"):
        document["credentialSubject"]["hasClaim"]["description"] = _text(achievement["description"], lang)
    if credential.holder_email:
        document["credentialSubject"]["contactPoint"] = {
            "id": f"{uid}:contact", "type": "ContactPoint",
            "emailAddress": {"id": f"mailto:{credential.holder_email}", "type": "Mailbox"}}
    return document
