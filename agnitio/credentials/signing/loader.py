"""Offline JSON-LD document loader: serves the contexts shipped in `credentials/contexts/`. Nothing is fetched."""

from __future__ import annotations

import json
import re
import threading
from functools import cache
from pathlib import Path

from cachetools import LRUCache
from pyld import jsonld, resolved_context
from pyld.context_resolver import ContextResolver

from .rdfc import canonicalize_dataset


class LockedLRUCache(LRUCache):
    """pyld keeps its resolved and inverse contexts in module-level `cachetools.LRUCache`s, which are not thread-safe:
    with threads issuing or verifying at once (threaded workers, the web server's threads), a look-up can race an
    eviction and raise `KeyError` for a context's `_uuid`. Every access is serialised here; the work done under the
    lock is a dictionary operation."""

    def __init__(self, maxsize: int):
        super().__init__(maxsize=maxsize)
        self._lock = threading.RLock()

    def __getitem__(self, key):
        with self._lock:
            return super().__getitem__(key)

    def __setitem__(self, key, value):
        with self._lock:
            super().__setitem__(key, value)

    def __delitem__(self, key):
        with self._lock:
            super().__delitem__(key)

    def __contains__(self, key):
        with self._lock:
            return super().__contains__(key)

    def get(self, key, default=None):
        with self._lock:
            return super().get(key, default)

    def pop(self, key, *args):
        with self._lock:
            return super().pop(key, *args)

    def popitem(self):
        with self._lock:
            return super().popitem()


# pyld reads these module globals at call time, so replacing them once makes every pyld operation use them.
jsonld._resolved_context_cache = LockedLRUCache(jsonld.RESOLVED_CONTEXT_CACHE_MAX_SIZE)
jsonld._inverse_context_cache = LockedLRUCache(jsonld.INVERSE_CONTEXT_CACHE_MAX_SIZE)
# Each resolved context keeps its own small cache of processed contexts, keyed by the active context's `_uuid`
# (`ResolvedContext.cache`, 10 entries). A resolved context is shared by every thread (the "static" ones for the
# life of the process), and each operation starts from a new active context, so these caches evict all the time:
# an eviction racing another thread's eviction raised `KeyError` for a `_uuid` with 16 threads issuing at once.
# `ResolvedContext.__init__` reads the name at call time; every resolved context is made by an operation run
# through this module, after this line.
resolved_context.LRUCache = LockedLRUCache

CONTEXT_DIR = Path(__file__).resolve().parent.parent / "contexts"

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DID_V1 = "https://www.w3.org/ns/did/v1"
EDC = "http://data.europa.eu/snb/model/context/edc-ap"
ED25519_2020 = "https://w3id.org/security/suites/ed25519-2020/v1"
VC_EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"

CONTEXT_FILES = {
    VC_V2: "credentials-v2.jsonld",
    VC_V1: "credentials-v1.jsonld",
    OB_V3: "ob-v3p0-context-3.0.3.json",
    DATA_INTEGRITY_V2: "data-integrity-v2.jsonld",
    MULTIKEY_V1: "multikey-v1.jsonld",
    DID_V1: "did-v1.jsonld",
    EDC: "edc-ap-context.jsonld",
    ED25519_2020: "ed25519-signature-2020-v1.jsonld",
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
    # "static": pyld keeps the resolved context across operations (shipped files never change in a process);
    # without a tag it re-reads and JCS-serialises the VC and OB contexts on every canonicalisation.
    return {"contextUrl": None, "documentUrl": url, "document": document, "tag": "static"}


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


class DataLossError(Exception):
    """JSON-LD expansion or the conversion to RDF would drop part of the document (an undefined term, a relative
    IRI, a free-floating value, ...), so that part would not be signed. Data Integrity's safe mode makes this an
    error: `DATA_LOSS_DETECTION_ERROR`."""

    code = "DATA_LOSS_DETECTION_ERROR"


_LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")  # BCP 47 well-formedness, as jsonld.js checks it


class _SafeProcessor(jsonld.JsonLdProcessor):
    """pyld's processor in JSON-LD "safe mode" (as jsonld.js's `safe: true`, which Digital Bazaar's Data Integrity
    libraries use): everything that expansion or toRdf would silently drop raises `DataLossError` instead.

    - expansion: a key that expands to no absolute IRI or keyword (pyld's `on_property_dropped` hook), and any
      element that expands to nothing (free-floating values, `@value: null`, an object with only `@language`,
      an empty or id-only top-level object);
    - toRdf: a language tag that is not well-formed, a subject, predicate, object, `@type` or graph name that
      is not an absolute IRI or blank node (a graph name is checked as the subject it also is in the enclosing
      graph), and blank-node predicates.
    A property whose value is JSON `null` means "no value" and is not data loss (as in jsonld.js)."""

    def __init__(self):
        super().__init__(on_property_dropped=self._property_dropped)

    @staticmethod
    def _property_dropped(expanded_property):
        if expanded_property is None:
            raise DataLossError("A key is mapped to null or is an unknown keyword, so expansion drops it.")
        raise DataLossError(f"The term {expanded_property!r} is not defined by the document's contexts.")

    def _expand(self, active_ctx, active_property, element, options, inside_list=False, inside_index=False,
                type_scoped_ctx=None):
        expanded = super()._expand(active_ctx, active_property, element, options, inside_list=inside_list,
                                   inside_index=inside_index, type_scoped_ctx=type_scoped_ctx)
        if expanded is None and element is not None:
            where = f" (in {active_property!r})" if active_property else ""
            raise DataLossError(f"JSON-LD expansion drops the value {_short(element)}{where}.")
        return expanded

    def _graph_to_rdf(self, graph, issuer, options):
        for id_, node in graph.items():
            if not jsonld._is_absolute_iri(id_):
                raise DataLossError(f"The identifier {id_!r} is not an absolute IRI.")
            for property in node:
                if property != "@type" and not jsonld._is_keyword(property) and (
                        not jsonld._is_absolute_iri(property) or property.startswith("_:")):
                    raise DataLossError(f"The property {property!r} is not an absolute IRI.")
        return super()._graph_to_rdf(graph, issuer, options)

    def _object_to_rdf(self, item, issuer, triples, options):
        if isinstance(item, dict) and "@language" in item and not _LANGUAGE_TAG.match(str(item["@language"])):
            raise DataLossError(f"{item['@language']!r} is not a well-formed language tag.")
        rdf_object = super()._object_to_rdf(item, issuer, triples, options)
        if rdf_object is None:
            value = item.get("@id") if isinstance(item, dict) else item
            raise DataLossError(f"The reference {value!r} is not an absolute IRI.")
        return rdf_object


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def to_dataset(document: dict) -> dict:
    """The RDF dataset of a JSON-LD document (pyld's form), in safe mode; raises `DataLossError`."""
    return _SafeProcessor().to_rdf(document, {
        "documentLoader": document_loader, "contextResolver": ShippedContextResolver(),
        # No base IRI (as jsonld.js `base: null`): pyld would resolve a relative IRI against "http://example.org/base/".
        "base": None,
        # As Digital Bazaar's eddsa-rdfc-2022 and Ed25519Signature2020 suites: a base direction is kept in RDF.
        "rdfDirection": "i18n-datatype",
    })


def canonize(document: dict) -> str:
    """RDF Dataset Canonicalization (RDFC-1.0) of a JSON-LD document as canonical N-Quads.

    Runs in safe mode: anything expansion would drop raises `DataLossError` (nothing unsigned slips through), for
    signing and for verifying alike. Canonical escaping and the poison-graph bound are in `rdfc.py`."""
    return canonicalize_dataset(to_dataset(document))[0]
