"""Runs the independent Node checker (tests/node/verify.mjs, Digital Bazaar's libraries) on a credential."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

from agnitio.credentials.dids import did_document
from agnitio.credentials.models import StatusList
from agnitio.credentials.selectors import issuer_key_list
from agnitio.credentials.signing.loader import CONTEXT_DIR, CONTEXT_FILES

NODE_DIR = Path(settings.BASE_DIR) / "tests" / "node"
# What the checker needs (tests/node/package.json); an older install lacks the later ones.
NODE_PACKAGES = ("@digitalbazaar/vc", "@digitalbazaar/vc-bitstring-status-list", "jsonld", "rdf-canonize")


def node_available() -> str:
    """Empty when the checker can run, else the reason it can't."""
    if shutil.which("node") is None:
        return "node is not installed (apt-get install nodejs npm; `make test` runs `npm ci --prefix tests/node`)"
    if not (NODE_DIR / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        return "tests/node/node_modules missing: run `npm ci --prefix tests/node`"
    missing = [name for name in NODE_PACKAGES if not (NODE_DIR / "node_modules" / name).is_dir()]
    if missing:
        return f"tests/node/node_modules lacks {', '.join(missing)}: run `npm ci --prefix tests/node`"
    return ""


def node_require() -> None:
    """Fail the calling test (never skip it) when the independent checker cannot run."""
    if reason := node_available():
        pytest.fail(f"The Node cross-check cannot run: {reason}", pytrace=False)


def node_verify(credential: dict, *, organisation=None, status_lists: list[StatusList] | None = None,
                documents: dict | None = None) -> dict:
    """Digital Bazaar's verdict on `credential` (tests/node/verify.mjs): {"verified", "error", "status": [{
    "statusPurpose", "statusListIndex", "status"}], "returncode"}. Its document loader serves the shipped contexts,
    `documents` ({DID or URL: document}, e.g. what the app serves: `interop.served_documents`) and, given
    `organisation`, that organisation's DID document and status lists as stored."""
    node_require()
    bundle = {
        "credential": credential,
        "contexts": {url: str(CONTEXT_DIR / name) for url, name in CONTEXT_FILES.items()},
        "documents": {},
    }
    if organisation is not None:
        did = did_document(organisation=organisation, keys=issuer_key_list(organisation=organisation))
        bundle["documents"][did["id"]] = did
        for status_list in status_lists if status_lists is not None else StatusList.objects.filter(
                organisation=organisation):
            bundle["documents"][status_list.credential["id"]] = status_list.credential
    bundle["documents"].update(documents or {})
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(bundle, handle)
    try:
        completed = subprocess.run(["node", str(NODE_DIR / "verify.mjs"), handle.name], capture_output=True,
                                   text=True, timeout=120, check=False)
    finally:
        Path(handle.name).unlink()
    try:
        output = json.loads(completed.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        output = {"verified": False, "error": completed.stderr}
    output["returncode"] = completed.returncode
    return output


def node_sign(credential: dict, *, suite: str = "eddsa-rdfc-2022", proofs: int = 1, chain: bool = False) -> dict:
    """Sign `credential` with Digital Bazaar's libraries as a fresh did:key issuer (tests/node/sign.mjs): with
    `suite` ("eddsa-rdfc-2022" or "Ed25519Signature2020"), `proofs` > 1 for a proof set, `chain` for a chain."""
    node_require()
    bundle = {"credential": credential, "suite": suite, "proofs": proofs, "chain": chain,
              "contexts": {url: str(CONTEXT_DIR / name) for url, name in CONTEXT_FILES.items()}}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(bundle, handle)
    try:
        completed = subprocess.run(["node", str(NODE_DIR / "sign.mjs"), handle.name], capture_output=True,
                                   text=True, timeout=120, check=True)
    finally:
        Path(handle.name).unlink()
    return json.loads(completed.stdout)


def node_canonize(documents: dict[str, dict]) -> dict[str, dict]:
    """Canonicalise JSON-LD documents as Digital Bazaar's eddsa-rdfc-2022 suite does (tests/node/canon_check.mjs:
    jsonld.js toRDF in safe mode + rdf-canonize): {name: {"nquads": ..., "undefinedTerms": ...} or {"error": ...}};
    `undefinedTerms` is "" when every term is defined by the contexts without their `@vocab`."""
    node_require()
    bundle = {"documents": documents,
              "contexts": {url: str(CONTEXT_DIR / name) for url, name in CONTEXT_FILES.items()}}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(bundle, handle)
    try:
        completed = subprocess.run(["node", str(NODE_DIR / "canon_check.mjs"), handle.name], capture_output=True,
                                   text=True, timeout=120, check=True)
    finally:
        Path(handle.name).unlink()
    return json.loads(completed.stdout)
