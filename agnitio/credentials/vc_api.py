"""W3C VC API request parsing: turns `{"credential": ..., "options": ...}` into `credential_issue` arguments.

Any well-formed, unsigned W3C VC 2.0 credential is issued as posted (names, descriptions, one or several subjects,
`credentialSchema`, `evidence`, `termsOfUse`, `relatedResource`, `validFrom`/`validUntil`, any other property its
contexts define); the platform adds only the proof and the `credentialStatus` entry (and `id` and `validFrom` when
they are absent). What it will not honour is refused with a reason, never replaced: an `issuer` other than the
organisation's DID, an `id` that is not a single URL or is already used, a proof of the caller's own, a status entry
on this platform's lists. A status entry of the caller's own is kept beside the one the platform adds.

Options (all optional): `kind` (youthpass / europass_certificate / microcredential / europass_agreement; default
microcredential: the register and number series the record joins), `organisation` (public id, needed only when the
token is not bound to one), `holderEmail` (puts the record in that person's wallet; never written into the
credential), `languages`, `place`."""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from pyld import jsonld

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.validators import TEXT_MAX_LENGTH, json_text_problem
from agnitio.organisations.access import memberships_of

from .dids import did_for
from .models import CredentialKind, IssuedCredential
from .signing.loader import VC_V1, VC_V2, canonize

if TYPE_CHECKING:  # annotations only; other apps reach organisations through its selectors
    from agnitio.organisations.models import Organisation

# An absolute URL / URI: a scheme, a colon, no white space (RFC 3986 in the loose sense JSON-LD uses for @id).
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+$")
# XML Schema dateTime (what VC 2.0 asks of validFrom / validUntil), time zone optional.
_DATETIME = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
ID_MAX_LENGTH = IssuedCredential._meta.get_field("credential_uid").max_length
# Set by the issuer, never taken from the caller.
_RESERVED = ("proof",)

# Properties of a posted credential that hold multi-line text (tab and line breaks allowed); every other string
# (names, titles, identifiers…) is one line. See agnitio.core.validators.
MULTILINE_PROPERTIES = frozenset({"description", "narrative", "targetDescription", "comment", "text"})


def request_text_check(body) -> None:
    """The text policy for every string of a VC API request (keys included): ApplicationError naming the path."""
    problem = json_text_problem(body, multiline_keys=MULTILINE_PROPERTIES, max_length=TEXT_MAX_LENGTH)
    if problem is not None:
        raise ApplicationError(problem[0], code=problem[1])


class VcApiError(ApplicationError):
    """Malformed or unacceptable VC API input (HTTP 400)."""


def _error(message: str, code: str = "invalid") -> VcApiError:
    return VcApiError(message, code=code)


def _organisation(*, user, api_token, options: dict) -> Organisation:
    if api_token is not None and api_token.organisation_id:
        if options.get("organisation") and options["organisation"] != api_token.organisation.public_id:
            raise NotFound()
        return api_token.organisation
    memberships = memberships_of(user).select_related("organisation")
    if options.get("organisation"):
        if not isinstance(options["organisation"], str):
            raise _error(_("options.organisation must be the public id of an organisation."), "organisation")
        membership = memberships.filter(organisation__public_id=options["organisation"]).first()
        if membership is None:
            raise NotFound()
        return membership.organisation
    if memberships.count() == 1:
        return memberships.first().organisation
    raise ApplicationError(_("Say which organisation issues: options.organisation (its public id), or use a token "
                             "bound to one organisation."), code="organisation")


def _is_url(value) -> bool:
    return isinstance(value, str) and bool(_URL.match(value))


def _datetime(credential: dict, key: str) -> datetime.datetime | None:
    if key not in credential:
        return None
    value = credential[key]
    if not isinstance(value, str) or not _DATETIME.match(value):
        raise _error(_("%(field)s must be a date and time such as 2026-01-31T00:00:00Z.") % {"field": key}, "date")
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise _error(_("%(field)s must be a date and time such as 2026-01-31T00:00:00Z.") % {"field": key},
                     "date") from exc
    return parsed if parsed.tzinfo else timezone.make_aware(parsed, datetime.UTC)


def _text(value) -> str:
    """A plain string from a VC 2.0 name/description: a string, a language value object or a list of them."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("@value"), str):
        return value["@value"]
    if isinstance(value, list):
        return next((t for t in (_text(v) for v in value) if t), "")
    return ""


def _check_context(credential: dict) -> None:
    contexts = credential.get("@context")
    if "@context" not in credential:
        raise _error(_("The credential has no @context; its first item must be %(url)s.") % {"url": VC_V2},
                     "context")
    if not isinstance(contexts, list) or not contexts:
        raise _error(_("@context must be a list whose first item is %(url)s.") % {"url": VC_V2}, "context")
    if any(not isinstance(c, str | dict) for c in contexts):
        raise _error(_("Every item of @context must be a URL or an object."), "context")
    if contexts[0] == VC_V1:
        raise _error(_("This issuer issues W3C VC 2.0 credentials only: use %(url)s as the first @context instead of "
                       "the VC 1.1 context.") % {"url": VC_V2}, "context")
    if contexts[0] != VC_V2:
        raise _error(_("The first item of @context must be %(url)s.") % {"url": VC_V2}, "context")


def _check_type(credential: dict) -> None:
    types = credential.get("type")
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or not types or any(not isinstance(t, str) or not t for t in types):
        raise _error(_("type must be a list of strings that includes VerifiableCredential."), "type")
    if "VerifiableCredential" not in types:
        raise _error(_("type must include VerifiableCredential."), "type")


def _subjects(credential: dict) -> list[dict]:
    subjects = credential.get("credentialSubject")
    subjects = [subjects] if isinstance(subjects, dict) else subjects
    if not isinstance(subjects, list) or not subjects:
        raise _error(_("credentialSubject must be an object (or a list of objects) with at least one claim."),
                     "credentialSubject")
    for subject in subjects:
        if not isinstance(subject, dict) or not subject:
            raise _error(_("credentialSubject must be an object (or a list of objects) with at least one claim."),
                         "credentialSubject")
        if "id" in subject and not _is_url(subject["id"]):
            raise _error(_("credentialSubject.id must be a single URL, such as a DID."), "credentialSubject")
    return subjects


def _issuer(credential: dict, organisation) -> str | dict:
    """The issuer as posted (a string, or an object with its own name, description…), once it names the
    organisation's DID; refused when it names anyone else."""
    did = did_for(organisation)
    if "issuer" not in credential:
        raise _error(_("The credential has no issuer; set it to this organisation's DID, %(did)s.") % {"did": did},
                     "issuer")
    issuer = credential["issuer"]
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not _is_url(issuer_id):
        raise _error(_("issuer must be a URL or an object whose id is a URL: this organisation's DID, %(did)s.")
                     % {"did": did}, "issuer")
    if issuer_id != did:
        raise _error(_("This token issues for %(name)s only, whose DID is %(did)s; the credential names %(issuer)s "
                       "as issuer.") % {"name": organisation.legal_name, "did": did, "issuer": issuer_id}, "issuer")
    if isinstance(issuer, dict):
        for key in ("name", "description"):
            if key in issuer:
                _check_language_value(issuer[key], f"issuer.{key}")
    return issuer


def _check_language_value(value, field: str) -> None:
    """VC 2.0 §11.1: a string, a language value object ({@value, @language, @direction}) or a list of them."""
    values = value if isinstance(value, list) else [value]
    for item in values:
        if isinstance(item, str):
            continue
        if isinstance(item, dict) and isinstance(item.get("@value"), str) and set(item) <= {
                "@value", "@language", "@direction"} and all(
                isinstance(item[k], str) for k in item):
            continue
        raise _error(_("%(field)s must be a string or a language value object ({\"@value\", \"@language\", "
                       "\"@direction\"}), or a list of them.") % {"field": field}, field)


def _check_typed(credential: dict, key: str, *, id_required: bool = False) -> list[dict]:
    """credentialSchema, evidence, termsOfUse, refreshService, credentialStatus: one or more objects, each with a
    type, and an id that is a single URL when present (required for a schema)."""
    if key not in credential:
        return []
    values = credential[key] if isinstance(credential[key], list) else [credential[key]]
    if not values:
        raise _error(_("%(field)s must be an object or a list of objects.") % {"field": key}, key)
    for item in values:
        if not isinstance(item, dict):
            raise _error(_("%(field)s must be an object or a list of objects.") % {"field": key}, key)
        types = item.get("type")
        types = [types] if isinstance(types, str) else types
        if not isinstance(types, list) or not types or any(not isinstance(t, str) or not t for t in types):
            raise _error(_("Each %(field)s object must say its type.") % {"field": key}, key)
        if ("id" in item or id_required) and not _is_url(item.get("id")):
            raise _error(_("The id of each %(field)s object must be a single URL.") % {"field": key}, key)
    return values


def _check_related(credential: dict) -> None:
    if "relatedResource" not in credential:
        return
    values = credential["relatedResource"]
    values = values if isinstance(values, list) else [values]
    ids = []
    for item in values:
        if not isinstance(item, dict) or not _is_url(item.get("id")):
            raise _error(_("relatedResource must be one or more objects, each with an id that is a URL."),
                         "relatedResource")
        if not any(isinstance(item.get(k), str) and item[k] for k in ("digestSRI", "digestMultibase")):
            raise _error(_("Each relatedResource must give digestSRI or digestMultibase."), "relatedResource")
        ids.append(item["id"])
    if len(set(ids)) != len(ids):
        raise _error(_("Each relatedResource id must appear only once."), "relatedResource")


def _check_status(credential: dict) -> None:
    """A status entry of the caller's own is kept (the issuer adds its own beside it), but never one on this
    platform's status lists: their positions are allocated by the issuer."""
    from .dids import site_url

    ours = site_url("/issuers/")
    for entry in _check_typed(credential, "credentialStatus"):
        for key in ("id", "statusListCredential"):
            if isinstance(entry.get(key), str) and entry[key].startswith(ours):
                raise _error(_("credentialStatus names a status list of this platform; leave it out and the issuer "
                               "adds the entry."), "credentialStatus")


def _credential_id(credential: dict) -> str | None:
    if "id" not in credential:
        return None
    value = credential["id"]
    if not _is_url(value):
        raise _error(_("id must be a single URL, such as urn:uuid:…; leave it out and the issuer assigns one."), "id")
    if len(value) > ID_MAX_LENGTH:
        raise _error(_("id is longer than %(max)d characters; leave it out and the issuer assigns one.")
                     % {"max": ID_MAX_LENGTH}, "id")
    if IssuedCredential.objects.filter(credential_uid=value).exists():
        raise _error(_("A credential with the id %(id)s was already issued here; ids are never reused.")
                     % {"id": value}, "id")
    return value


def _holder(subjects: list[dict]) -> tuple[str, str]:
    """(name, e-mail) of the holder for the record: the first subject's name, identity object or id."""
    subject = subjects[0]
    identities = [i for i in subject.get("identifier") or [] if isinstance(i, dict)] \
        if isinstance(subject.get("identifier"), list) else []
    name = _text(subject.get("name")) or next(
        (str(i.get("identityHash")) for i in identities if i.get("identityType") == "name" and not i.get("hashed")),
        "") or str(subject.get("id") or "")
    email = next((str(i.get("identityHash")) for i in identities
                  if i.get("identityType") == "emailAddress" and not i.get("hashed")), "")
    return name, email


def _achievement(credential: dict, subjects: list[dict]) -> dict:
    """What the record shows as the document's title and description."""
    ach = subjects[0].get("achievement") if isinstance(subjects[0].get("achievement"), dict) else {}
    types = credential["type"] if isinstance(credential["type"], list) else [credential["type"]]
    name = _text(credential.get("name")) or _text(ach.get("name")) or next(
        (t for t in reversed(types) if t != "VerifiableCredential"), "VerifiableCredential")
    achievement = {"name": name[:500], "description": _text(credential.get("description")) or _text(
        ach.get("description"))}
    if subjects[0].get("id"):
        achievement["holder_did"] = subjects[0]["id"]
    return achievement


def issue_request_parse(*, body, user, api_token) -> dict:
    if not isinstance(body, dict) or "credential" not in body:
        raise _error(_("Send {\"credential\": {...}, \"options\": {...}}."), "shape")
    credential, options = body["credential"], body.get("options")
    options = {} if options is None else options
    if not isinstance(credential, dict):
        raise _error(_("credential must be a JSON object."), "shape")
    if not isinstance(options, dict):
        raise _error(_("options must be an object."), "shape")
    for key in _RESERVED:
        if key in credential:
            raise _error(_("Send the credential without %(key)s: the issuer adds it.") % {"key": key}, key)
    _check_context(credential)
    _check_type(credential)
    subjects = _subjects(credential)
    for key in ("name", "description"):
        if key in credential:
            _check_language_value(credential[key], key)
    _check_typed(credential, "credentialSchema", id_required=True)
    for key in ("evidence", "termsOfUse", "refreshService"):
        _check_typed(credential, key)
    _check_related(credential)
    _check_status(credential)
    organisation = _organisation(user=user, api_token=api_token, options=options)
    document = dict(credential)
    document["issuer"] = _issuer(credential, organisation)
    credential_id = _credential_id(credential)
    valid_from, valid_until = _datetime(credential, "validFrom"), _datetime(credential, "validUntil")
    if valid_from and valid_until and valid_until < valid_from:
        raise _error(_("validUntil cannot be before validFrom."), "date")
    kind = options.get("kind") or CredentialKind.MICROCREDENTIAL
    if kind not in CredentialKind.values:
        raise _error(_("Unknown kind of document."), "kind")
    languages = options.get("languages") or ["en"]
    if not isinstance(languages, list) or any(not isinstance(x, str) for x in languages):
        raise _error(_("options.languages must be a list of language codes."), "languages")
    _check_json_ld(document)
    name, email = _holder(subjects)
    email = options.get("holderEmail") or email
    if not isinstance(email, str):
        raise _error(_("options.holderEmail must be an e-mail address."), "holderEmail")
    local = timezone.get_current_timezone()
    return {
        "organisation": organisation, "kind": kind, "holder_name": name[:255], "holder_email": email,
        "achievement": _achievement(credential, subjects), "languages": languages,
        "issued_on": valid_from.astimezone(local).date() if valid_from else timezone.localdate(),
        "valid_until": valid_until.astimezone(local).date() if valid_until else None,
        "place": str(options.get("place") or ""), "document": document, "credential_id": credential_id,
        "via_api": True,  # a holder with no relation to the organisation sees it as offered until accepted
    }


def _check_json_ld(document: dict) -> None:
    """Refuse what cannot be signed as posted: a context that is not available offline, invalid JSON-LD, or (in
    safe mode) a property the contexts do not define."""
    from .verification import _missing_context

    try:
        canonize(document)
    except jsonld.JsonLdError as exc:
        url = _missing_context(exc)
        if url:
            raise _error(_("The credential uses a JSON-LD context that this issuer does not have (%(url)s).")
                         % {"url": url}, "context") from exc
        raise _error(_("The credential is not valid JSON-LD: %(error)s") % {"error": _jsonld_reason(exc)},
                     "jsonld") from exc
    except (TypeError, ValueError, KeyError) as exc:
        raise _error(_("The credential is not valid JSON-LD: %(error)s") % {"error": exc}, "jsonld") from exc


def _jsonld_reason(exc: BaseException) -> str:
    seen = 0
    while exc is not None and seen < 20:
        cause = getattr(exc, "cause", None) or exc.__cause__
        if cause is None:
            break
        exc, seen = cause, seen + 1
    return str(getattr(exc, "message", None) or exc).splitlines()[0][:300]
