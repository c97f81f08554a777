"""The interoperability check every issued kind goes through (called by each domain app's tests with a credential
issued by that app's own service): what an outside verifier sees, years later, with tools we did not write.

`issued_interop_check(record, client=...)`:
- Digital Bazaar's verifier (tests/node/verify.mjs: `@digitalbazaar/vc`, the eddsa-rdfc-2022 cryptosuite and
  `@digitalbazaar/vc-bitstring-status-list`) accepts the signed credential, with a document loader that serves only
  what the app serves at the credential's own URLs (the issuer's did:web document, each status list credential),
  fetched through the test client — so the status entry must resolve to our served, signed list;
- our canonical N-Quads (RDFC-1.0, `signing.loader.canonize`) of the signed document, of its proof configuration,
  of the served status list credential and of the EDC export are byte for byte Digital Bazaar's (jsonld.js in safe
  mode + rdf-canonize), and every term they use is defined by their contexts *without* `@vocab` (a context's
  `@vocab` — the VC examples context has one, VC 2.0's drafts had one — turns an undefined term into an IRI of that
  vocabulary: no data loss for safe mode, so it is signed, but it means nothing any context defines);
- our verifier accepts it, and the EDC export conforms to the EDC application profile's SHACL shapes (pySHACL).

`revoked_interop_check(record, client=..., actor=...)` revokes it through the trust layer and checks that both
verifiers then refuse it because of its status entry (the served list has its bit set)."""

from __future__ import annotations

import copy
from urllib.parse import unquote, urlsplit

from django.conf import settings

from agnitio.credentials.formats.edc import edc_export
from agnitio.credentials.signing.loader import canonize
from agnitio.credentials.signing.proofs import suite_for
from agnitio.credentials.verification import credential_verify_json

from .node_check import node_canonize, node_verify

SHAPES = settings.BASE_DIR / "agnitio" / "credentials" / "shapes" / "EDC-generic-no-cv.ttl"
# What `@vocab` makes of a term no context defines (VC 2.0 drafts', the examples context's); never in what we issue.
VOCAB_IRIS = ("https://www.w3.org/ns/credentials/issuer-dependent#", "https://www.w3.org/ns/credentials/examples#")


def _served(client, url: str) -> dict:
    """The JSON document the app serves at `url`, one of its own addresses."""
    assert url.startswith(settings.SITE_URL + "/"), f"{url} is not an address of this platform"
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200, (url, response.status_code)
    return response.json()


def did_web_url(did: str) -> str:
    """The address of a did:web DID document (W3C did:web method: `:` separates path segments, `%3A` is a port)."""
    assert did.startswith("did:web:"), did
    host, *path = did.removeprefix("did:web:").split(":")
    return f"{urlsplit(settings.SITE_URL).scheme}://{unquote(host)}/{'/'.join(path) or '.well-known'}/did.json"


def _issuer_id(document: dict) -> str:
    issuer = document["issuer"]
    return issuer["id"] if isinstance(issuer, dict) else issuer


def _entries(document: dict) -> list[dict]:
    status = document.get("credentialStatus") or []
    return status if isinstance(status, list) else [status]


def served_documents(client, document: dict) -> dict[str, dict]:
    """What the app serves for the credential: its issuer's DID document (keyed by the DID, as a DID resolver
    gives it) and each status list credential it names (keyed by its URL), with the lists' issuers' DIDs."""
    documents: dict[str, dict] = {}
    for entry in _entries(document):
        url = entry["statusListCredential"]
        documents[url] = _served(client, url)
        assert documents[url]["id"] == url
    for did in {_issuer_id(document), *(_issuer_id(d) for d in list(documents.values()))}:
        documents[did] = _served(client, did_web_url(did))
        assert documents[did]["id"] == did
    return documents


def _unsecured(document: dict) -> dict:
    return {key: value for key, value in document.items() if key != "proof"}


def canonical_forms(record, *, client, edc: bool = True) -> dict[str, dict]:
    """The JSON-LD documents an outside verifier canonicalises for this record: the signed credential (without its
    proof), its proof configuration, the served status list credential(s) and (`edc`) the EDC export."""
    document = record.credential
    proofs = document["proof"] if isinstance(document["proof"], list) else [document["proof"]]
    forms = {"credential": _unsecured(document)}
    for i, proof in enumerate(proofs):
        forms[f"proof configuration {i}"] = suite_for(proof).proof_config(_unsecured(document), proof)
    for entry in _entries(document):
        forms[f"status list {entry['statusPurpose']}"] = _unsecured(_served(client, entry["statusListCredential"]))
    if edc:
        forms["EDC export"] = edc_export(record)
    return forms


def canonical_compare(forms: dict[str, dict], *, label: str = "") -> dict[str, str]:
    """Our RDFC-1.0 N-Quads of each JSON-LD document equal Digital Bazaar's byte for byte, and no term is left to
    `@vocab` (jsonld.js finds every term defined without it; our N-Quads hold no `@vocab` IRI). Returns ours."""
    theirs = node_canonize(forms)
    ours = {}
    for name, form in forms.items():
        ours[name] = canonize(form)
        assert "error" not in theirs[name], (label, name, theirs[name])
        assert ours[name].encode() == theirs[name]["nquads"].encode(), (label, name)
        assert theirs[name]["undefinedTerms"] == "", (label, name, theirs[name]["undefinedTerms"])
        assert not any(iri in ours[name] for iri in VOCAB_IRIS), (label, name)
    return ours


def canonical_bytes_check(record, *, client, edc: bool = True) -> dict[str, str]:
    """`canonical_compare` on the record's forms (`canonical_forms`)."""
    return canonical_compare(canonical_forms(record, client=client, edc=edc), label=record.kind)


def edc_shapes_check(record) -> None:
    import pyshacl  # a dev dependency: missing, the test fails
    from rdflib import Graph

    graph = Graph().parse(data=canonize(edc_export(record)), format="nt")  # the shipped contexts, offline
    conforms, _graph, report = pyshacl.validate(graph, shacl_graph=Graph().parse(SHAPES, format="turtle"),
                                                inference="none")
    assert conforms, (record.kind, report)


def issued_interop_check(record, *, client, edc: bool = True) -> dict:
    """Everything an outside verifier checks on a freshly issued record (see the module docstring); `edc=False`
    leaves out the EDC export (a credential posted to the VC API is issued as posted: it has no learning achievement
    of ours to export). Returns Digital Bazaar's verdict."""
    document = copy.deepcopy(record.credential)
    proofs = document["proof"] if isinstance(document["proof"], list) else [document["proof"]]
    assert {(p["type"], p.get("cryptosuite")) for p in proofs} == {("DataIntegrityProof", "eddsa-rdfc-2022")}
    assert [e["type"] for e in _entries(document)] == ["BitstringStatusListEntry"]
    theirs = node_verify(document, documents=served_documents(client, document))
    assert theirs["verified"], (record.kind, theirs)
    assert theirs["status"] == [{"statusPurpose": "revocation", "statusListIndex": str(record.status_index),
                                 "status": False}], theirs
    ours = credential_verify_json(document)
    assert ours.verified and ours.status == "valid" and ours.credential == record, (record.kind, ours.errors)
    canonical_bytes_check(record, client=client, edc=edc)
    if edc:
        edc_shapes_check(record)
    return theirs


def revoked_interop_check(record, *, client, actor, reason: str = "Issued in error.") -> dict:
    """Revoke through the trust layer; the status list the app now serves makes both verifiers refuse it."""
    from agnitio.credentials.services import credential_revoke

    credential_revoke(actor=actor, credential=record, reason=reason)
    record.refresh_from_db()
    return status_refused_check(record, client=client, status="revoked")


def status_refused_check(record, *, client, status: str) -> dict:
    """Both verifiers refuse `record`'s (unchanged) credential because its bit is set in the served list."""
    document = copy.deepcopy(record.credential)
    theirs = node_verify(document, documents=served_documents(client, document))
    assert not theirs["verified"] and theirs["returncode"] == 1, (record.kind, theirs)
    assert "credential status: revocation" in theirs["error"], (record.kind, theirs)
    assert theirs["status"] == [{"statusPurpose": "revocation", "statusListIndex": str(record.status_index),
                                 "status": True}], theirs
    ours = credential_verify_json(document)
    assert not ours.verified and ours.status == status, (record.kind, ours.status, ours.errors)
    return theirs
