"""did:web identifiers served by the platform and the documents behind them.

Platform: `did:web:<host>` → `<SITE_URL>/.well-known/did.json`.
Organisation: `did:web:<host>:issuers:<public_id>` → `<SITE_URL>/issuers/<public_id>/did.json`."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from django.conf import settings
from django.urls import reverse

from .signing.loader import DID_V1, MULTIKEY_V1


def _host() -> str:
    return quote(urlsplit(settings.SITE_URL).netloc, safe="")


def did_for(organisation) -> str:
    base = f"did:web:{_host()}"
    return base if organisation is None else f"{base}:issuers:{organisation.public_id}"


def organisation_public_id_from_did(did: str) -> str | None | bool:
    """The organisation public id a DID of this platform names, None for the platform DID, False if not ours."""
    base = f"did:web:{_host()}"
    if did == base:
        return None
    prefix = f"{base}:issuers:"
    if did.startswith(prefix) and ":" not in did[len(prefix):]:
        return did[len(prefix):]
    return False


def site_url(path: str) -> str:
    return settings.SITE_URL + path


def profile_url(organisation) -> str:
    return site_url(reverse("credentials:issuer_profile", args=[organisation.public_id]))


def did_document(*, organisation, keys) -> dict:
    """DID document listing every key (active and retired) as a Multikey assertion method."""
    did = did_for(organisation)
    methods = [
        {"id": f"{did}#{key.key_id}", "type": "Multikey", "controller": did,
         "publicKeyMultibase": key.public_key_multibase}
        for key in keys
    ]
    ids = [m["id"] for m in methods]
    document = {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": ids,
    }
    if organisation is not None:
        document["alsoKnownAs"] = [profile_url(organisation)]
    return document
