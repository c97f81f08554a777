"""Open Badges 3.0 `AchievementCredential` (a W3C VC 2.0) for an issued document, and the OB3 issuer Profile.

`achievement` (what domain apps pass to `credential_issue`):
    name (required), description, criteria (narrative), achievement_type (OB3 achievementType, default per kind),
    outcomes: [{name, description, framework, url, code}]  → Achievement.alignment (learning outcomes),
    results: [{name, value, result_type}]                   → Achievement.resultDescription + subject.result,
    credits_ects (number) → creditsAvailable / creditsEarned, eqf_level (1-8) → alignment to the EQF,
    url (more information), tags: [str], holder_did (identifies the holder by DID instead of only e-mail hash),
    parts: [{name, credential, issued_on, verification_url, external, issuer, issuer_id, recognised_by,
             recognised_on, counts_as, verified}] (a combined micro-credential's parts) → the credential's `evidence`,
    and free micro-credential elements (workload, assessment, participation, quality_assurance, ...)
    which the EDC export uses."""

from __future__ import annotations

import datetime
import hashlib
import re

from django.conf import settings
from django.utils import timezone

from ..dids import did_for, profile_url
from ..signing.loader import OB_V3, VC_V2

ACHIEVEMENT_TYPES = {
    "youthpass": "Certificate",
    "europass_agreement": "ext:LearningAgreement",
    "europass_certificate": "Certificate",
    "microcredential": "MicroCredential",
}
EQF_URL = "http://data.europa.eu/snb/eqf/{level}"
# An address an Evidence `id` may be (an absolute web address, nothing JSON-LD would refuse as an IRI).
_WEB_ADDRESS = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


def _datetime(value: datetime.date | datetime.datetime, *, end_of_day: bool = False) -> str:
    """A date as the start (or end) of that day in the site's time zone, in UTC."""
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time.max if end_of_day else datetime.time.min)
        value = timezone.make_aware(value.replace(microsecond=0))
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _valid_from(issued_on: datetime.date) -> str:
    # Never later than the moment of signing, so a document is valid as soon as it is issued.
    start = timezone.make_aware(datetime.datetime.combine(issued_on, datetime.time.min))
    return _datetime(min(start, timezone.now().replace(microsecond=0)))


def issuer_profile(organisation) -> dict:
    """OB3 Profile of an organisation (embedded in credentials, and served at its profile URL)."""
    profile = {
        "id": did_for(organisation),
        "type": ["Profile"],
        "name": organisation.legal_name,
        "url": organisation.website or profile_url(organisation),
        "address": {
            "type": ["Address"],
            "addressCountry": str(organisation.country.name),
            "addressCountryCode": str(organisation.country.code),
            "streetAddress": organisation.address,
        },
    }
    if organisation.email:
        profile["email"] = organisation.email
    if organisation.phone:
        profile["phone"] = str(organisation.phone)
    if organisation.logo:
        url = organisation.logo.url  # public storage: /media/public/… here, or an absolute S3 address
        profile["image"] = {"id": url if "://" in url else settings.SITE_URL + url, "type": "Image"}
    if organisation.identifier:
        profile["otherIdentifier"] = [
            {"type": "IdentifierEntry", "identifier": organisation.identifier, "identifierType": "identifier"}
        ]
    return profile


def email_identity(email: str, salt: str) -> dict:
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return {"type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
            "identityHash": f"sha256${digest}", "salt": salt}


def parts_evidence(parts: list[dict]) -> list[dict]:
    """A combined micro-credential's parts as OB 3.0 `Evidence` of the credential (what the learner earned to earn
    it), so the composition is signed with it: each part's name, its credential number or reference and date, who
    issued and (for another provider's) who recognised it, and its verification address as the evidence `id`."""
    evidence = []
    for part in parts:
        item: dict = {"type": ["Evidence"], "name": str(part.get("name") or "Part")}
        url = part.get("verification_url")
        if isinstance(url, str) and _WEB_ADDRESS.match(url):
            item["id"] = url
        if part.get("external"):
            item["genre"] = "Recognised micro-credential"
            issuer = str(part.get("issuer") or "another provider")
            if part.get("issuer_id"):
                issuer += f" ({part['issuer_id']})"
            words = [f"Issued by {issuer}"]
            if part.get("credential"):
                words.append(f"credential {part['credential']}")
            recognised = f"recognised by {part.get('recognised_by') or 'the issuer'}"
            if part.get("recognised_on"):
                recognised += f" on {part['recognised_on']}"
            if part.get("counts_as"):
                recognised += f" as {part['counts_as']}"
            words.append(recognised)
            if not part.get("verified"):
                words.append("authenticity not verified by the platform")
        else:
            item["genre"] = "Micro-credential"
            words = [f"Micro-credential {part['credential']}" if part.get("credential") else "Micro-credential"]
            if part.get("issued_on"):
                words.append(f"issued on {part['issued_on']}")
        if isinstance(url, str) and url and "id" not in item:
            words.append(f"verification: {url}")
        item["description"] = "; ".join(words) + "."
        evidence.append(item)
    return evidence


def achievement_credential(
    *, credential_id: str, kind: str, organisation, number: str, holder_name: str, holder_email: str, salt: str,
    achievement: dict, languages: list[str], issued_on: datetime.date, valid_until: datetime.date | None,
    status: dict, verify_url: str,
) -> dict:
    """The unsigned credential."""
    achievement_id = f"{credential_id}#achievement"
    ach: dict = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": achievement.get("achievement_type") or ACHIEVEMENT_TYPES[kind],
        "name": achievement["name"],
        "description": achievement.get("description") or achievement["name"],
        "criteria": {"narrative": achievement.get("criteria") or achievement.get("description") or achievement["name"]},
    }
    if languages:
        ach["inLanguage"] = languages[0]
    if achievement.get("url"):
        ach["criteria"]["id"] = achievement["url"]
    if achievement.get("tags"):
        ach["tag"] = [str(t) for t in achievement["tags"]]
    alignment = []
    for i, outcome in enumerate(achievement.get("outcomes") or [], start=1):
        item = {
            "type": ["Alignment"],
            "targetName": outcome["name"],
            "targetUrl": outcome.get("url") or f"{credential_id}#outcome-{i}",
            "targetType": "ceasn:Competency",
        }
        if outcome.get("description"):
            item["targetDescription"] = outcome["description"]
        if outcome.get("framework"):
            item["targetFramework"] = outcome["framework"]
        if outcome.get("code"):
            item["targetCode"] = str(outcome["code"])
        alignment.append(item)
    if achievement.get("eqf_level"):
        level = int(achievement["eqf_level"])
        alignment.append({"type": ["Alignment"], "targetName": f"EQF level {level}", "targetType": "CTDL",
                          "targetUrl": EQF_URL.format(level=level),
                          "targetFramework": "European Qualifications Framework"})
    if alignment:
        ach["alignment"] = alignment
    subject: dict = {
        "type": ["AchievementSubject"],
        "identifier": [
            {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": holder_name},
        ],
        "achievement": ach,
    }
    if holder_email:
        subject["identifier"].insert(0, email_identity(holder_email, salt))
    if achievement.get("holder_did"):
        subject["id"] = achievement["holder_did"]
    if achievement.get("credits_ects") is not None:
        ach["creditsAvailable"] = float(achievement["credits_ects"])
        subject["creditsEarned"] = float(achievement["credits_ects"])
    results = achievement.get("results") or []
    if results:
        ach["resultDescription"] = []
        subject["result"] = []
        for i, result in enumerate(results, start=1):
            rid = f"{credential_id}#result-{i}"
            ach["resultDescription"].append({"id": rid, "type": ["ResultDescription"], "name": result["name"],
                                             "resultType": result.get("result_type") or "Result"})
            subject["result"].append({"type": ["Result"], "resultDescription": rid, "value": str(result["value"])})
    credential = {
        "@context": [VC_V2, OB_V3],
        "id": credential_id,
        "type": ["VerifiableCredential", "AchievementCredential"],
        "name": achievement["name"],
        "description": f"{number} — {verify_url}",
        "issuer": issuer_profile(organisation),
        "validFrom": _valid_from(issued_on),
        "credentialSubject": subject,
        "credentialStatus": status,
    }
    if achievement.get("parts"):
        credential["evidence"] = parts_evidence(achievement["parts"])
    if valid_until:
        credential["validUntil"] = _datetime(valid_until, end_of_day=True)
    return credential
