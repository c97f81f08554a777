"""W3C VC API request parsing: turns `{"credential": ..., "options": ...}` into `credential_issue` arguments.

The posted credential is an unsigned OB3 AchievementCredential; we keep what it says about the achievement and
the holder and issue it as our own record (number, status entry, issuer profile, proof). Options (all optional):
`kind` (youthpass / europass_certificate / microcredential / europass_agreement; default microcredential),
`organisation` (public id, needed only when the token is not bound to one), `holderEmail`, `languages`, `place`."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.organisations.models import Membership, Organisation

from .models import CredentialKind


def _date(value) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError as exc:
        raise ApplicationError(_("validFrom/validUntil must be ISO 8601 dates."), code="date") from exc


def _organisation(*, user, api_token, options: dict) -> Organisation:
    if api_token is not None and api_token.organisation_id:
        if options.get("organisation") and options["organisation"] != api_token.organisation.public_id:
            raise NotFound()
        return api_token.organisation
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    if options.get("organisation"):
        membership = memberships.filter(organisation__public_id=options["organisation"]).first()
        if membership is None:
            raise NotFound()
        return membership.organisation
    if memberships.count() == 1:
        return memberships.first().organisation
    raise ApplicationError(_("Say which organisation issues: options.organisation (its public id), or use a token "
                             "bound to one organisation."), code="organisation")


def issue_request_parse(*, body: dict, user, api_token) -> dict:
    if not isinstance(body, dict) or not isinstance(body.get("credential"), dict):
        raise ApplicationError(_("Send {\"credential\": {...}, \"options\": {...}}."), code="shape")
    credential, options = body["credential"], body.get("options") or {}
    if not isinstance(options, dict):
        raise ApplicationError(_("options must be an object."), code="shape")
    subject = credential.get("credentialSubject")
    if not isinstance(subject, dict) or not isinstance(subject.get("achievement"), dict):
        raise ApplicationError(_("credentialSubject.achievement is required (an Open Badges 3.0 Achievement)."),
                               code="achievement")
    ach = subject["achievement"]
    identities = [i for i in subject.get("identifier") or [] if isinstance(i, dict)]
    name = subject.get("name") or next(
        (i.get("identityHash") for i in identities if i.get("identityType") == "name" and not i.get("hashed")), "")
    email = options.get("holderEmail") or next(
        (i.get("identityHash") for i in identities if i.get("identityType") == "emailAddress" and not i.get("hashed")),
        "")
    kind = options.get("kind") or CredentialKind.MICROCREDENTIAL
    if kind not in CredentialKind.values:
        raise ApplicationError(_("Unknown kind of document."), code="kind")
    criteria = ach.get("criteria") if isinstance(ach.get("criteria"), dict) else {}
    achievement = {
        "name": ach.get("name") or credential.get("name"),
        "description": ach.get("description", ""),
        "criteria": criteria.get("narrative", ""),
        "outcomes": [
            {"name": a.get("targetName", ""), "description": a.get("targetDescription", ""),
             "framework": a.get("targetFramework", ""), "url": a.get("targetUrl", "")}
            for a in ach.get("alignment") or [] if isinstance(a, dict) and a.get("targetName")
        ],
    }
    if ach.get("achievementType"):
        achievement["achievement_type"] = ach["achievementType"]
    if subject.get("id"):
        achievement["holder_did"] = subject["id"]
    languages = options.get("languages") or [ach.get("inLanguage") or "en"]
    return {
        "organisation": _organisation(user=user, api_token=api_token, options=options),
        "kind": kind, "holder_name": str(name or ""), "holder_email": str(email or ""),
        "achievement": achievement, "languages": [str(x) for x in languages],
        "issued_on": _date(credential.get("validFrom")) or timezone.localdate(),
        "valid_until": _date(credential.get("validUntil")), "place": str(options.get("place") or ""),
        "via_api": True,  # a holder with no relation to the organisation sees it as offered until accepted
    }
