"""Sharing an issued credential outside the platform: LinkedIn's public "add to profile" link (a plain link the
holder follows; no API call) with the credential's name, issuer, dates and the public verification page."""

from __future__ import annotations

from urllib.parse import urlencode

LINKEDIN_ADD = "https://www.linkedin.com/profile/add"


def linkedin_add_url(credential) -> str:
    """The add-to-profile address for an issued credential: its name, the issuing organisation, the month of issue
    and of expiry (when it expires), the verification page (by the random code, which is also the certificate id).
    Nothing else about the holder goes into it."""
    achievement = credential.achievement or {}
    params: list[tuple[str, str]] = [
        ("startTask", "CERTIFICATION_NAME"),
        ("name", str(achievement.get("name") or credential.number)),
        ("organizationName", credential.organisation.legal_name),
        ("issueYear", str(credential.issued_on.year)),
        ("issueMonth", str(credential.issued_on.month)),
    ]
    if credential.valid_until:
        params += [("expirationYear", str(credential.valid_until.year)),
                   ("expirationMonth", str(credential.valid_until.month))]
    params += [("certUrl", credential.verification_url), ("certId", credential.code)]
    return f"{LINKEDIN_ADD}?{urlencode(params)}"
