"""Offline JSON-LD document loader: serves the contexts shipped in `credentials/contexts/`. Nothing is fetched."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from pyld import jsonld

CONTEXT_DIR = Path(__file__).resolve().parent.parent / "contexts"

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DID_V1 = "https://www.w3.org/ns/did/v1"
EDC = "http://data.europa.eu/snb/model/context/edc-ap"

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


def canonize(document: dict) -> str:
    """RDF Dataset Canonicalization (RDFC-1.0, identical output to URDNA2015) as N-Quads.

    pyld has no "safe mode"; every document we sign or accept uses the VC 2.0 context, whose `@vocab` maps any
    undefined term, so no property is silently dropped from what is signed."""
    return jsonld.normalize(
        document,
        {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": document_loader},
    )
