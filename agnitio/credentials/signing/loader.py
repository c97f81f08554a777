"""Offline JSON-LD document loader: serves the contexts shipped in `credentials/contexts/`. Nothing is fetched."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from pyld import jsonld
from pyld.context_resolver import ContextResolver

CONTEXT_DIR = Path(__file__).resolve().parent.parent / "contexts"

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DID_V1 = "https://www.w3.org/ns/did/v1"
EDC = "http://data.europa.eu/snb/model/context/edc-ap"
VC_EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"

CONTEXT_FILES = {
    VC_V2: "credentials-v2.jsonld",
    VC_V1: "credentials-v1.jsonld",
    OB_V3: "ob-v3p0-context-3.0.3.json",
    DATA_INTEGRITY_V2: "data-integrity-v2.jsonld",
    MULTIKEY_V1: "multikey-v1.jsonld",
    DID_V1: "did-v1.jsonld",
    EDC: "edc-ap-context.jsonld",
    # The EDC context is published under both schemes.
    "https://data.europa.eu/snb/model/context/edc-ap": "edc-ap-context.jsonld",
    VC_EXAMPLES_V2: "credentials-examples-v2.jsonld",
}


class ContextNotAvailable(Exception):
    """A document refers to a JSON-LD context that is not shipped; we never fetch one."""


@cache
def context_document(url: str) -> dict:
    name = CONTEXT_FILES.get(url)
    if name is None:
        raise ContextNotAvailable(url)
    return json.loads((CONTEXT_DIR / name).read_text(encoding="utf-8"))


def document_loader(url: str, options: dict | None = None) -> dict:
    try:
        document = context_document(url)
    except ContextNotAvailable as exc:
        raise jsonld.JsonLdError(
            f"JSON-LD context {url} is not available offline.", "jsonld.LoadDocumentError",
            {"url": url}, code="loading document failed",
        ) from exc
    return {"contextUrl": None, "documentUrl": url, "document": document}


def _dicts(value, found: dict[int, dict]) -> None:
    if isinstance(value, dict):
        found[id(value)] = value
        for item in value.values():
            _dicts(item, found)
    elif isinstance(value, list):
        for item in value:
            _dicts(item, found)


@cache
def _shipped_dicts() -> dict[int, dict]:
    found: dict[int, dict] = {}
    for url in CONTEXT_FILES:
        _dicts(context_document(url), found)
    return found


_MEMO: dict[int, list] = {}  # bounded: one entry per object inside the shipped context files


class ShippedContextResolver(ContextResolver):
    """pyld's resolver (one per operation, as pyld does), remembering the resolution of the embedded contexts of the
    shipped, process-lifetime context files by identity. pyld would otherwise JCS-serialise each scoped context
    (e.g. OB 3.0's `Achievement`, `Alignment`) to look it up in its cache every time a typed node uses it (~30 % of
    a verification). Contexts that come with a document are resolved by pyld as usual."""

    def __init__(self):
        super().__init__(jsonld._resolved_context_cache, document_loader)

    def resolve(self, active_ctx, context, base, cycles=None):
        if isinstance(context, dict) and _shipped_dicts().get(id(context)) is context:
            resolved = _MEMO.get(id(context))
            if resolved is None:
                resolved = _MEMO[id(context)] = super().resolve(active_ctx, context, base, cycles)
            return resolved
        return super().resolve(active_ctx, context, base, cycles)


def canonize(document: dict) -> str:
    """RDF Dataset Canonicalization (RDFC-1.0, identical output to URDNA2015) as N-Quads.

    pyld has no "safe mode"; every document we sign or accept uses the VC 2.0 context, whose `@vocab` maps any
    undefined term, so no property is silently dropped from what is signed."""
    return jsonld.normalize(
        document,
        {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": document_loader,
         "contextResolver": ShippedContextResolver()},
    )
