"""Issue 9, point 7: public endpoints resist abuse. Verification by JSON (VC API) and by upload is throttled per
client like the code look-up; the proof-check cache is keyed by a hash and bounded in bytes. (A GET of a DID
document creating nothing: test_binding.py. Bodies over 1 MB → 413 is done globally, not here.)"""

import copy
import json

from django.core.files.uploadedfile import SimpleUploadedFile

from agnitio.credentials import verification
from agnitio.credentials.verification import PROOF_CACHE, credential_verify_json


def _post_vc(client, document, **extra):
    return client.post("/credentials/verify", data=json.dumps({"verifiableCredential": document}),
                       content_type="application/json", **extra)


def test_vc_api_verify_is_throttled_per_client(client, issue, settings):
    settings.AGNITIO_VERIFY_RATE_LIMIT = "3/m"
    credential = issue()
    for _ in range(3):
        assert _post_vc(client, credential.credential).status_code == 200
    response = _post_vc(client, credential.credential)
    assert response.status_code == 429
    body = response.json()
    assert body["checks"] == [] and "Too many verifications" in body["errors"][0]
    assert _post_vc(client, credential.credential, REMOTE_ADDR="10.0.0.9").status_code == 200  # another client



def test_verify_upload_and_paste_are_throttled_per_client(client, issue, settings):
    settings.AGNITIO_VERIFY_RATE_LIMIT = "2/m"
    credential = issue()
    raw = json.dumps(credential.credential).encode()
    assert client.post("/verify/", {"file": SimpleUploadedFile("c.json", raw)}).status_code == 200
    assert client.post("/verify/", {"credential_json": raw.decode()}).status_code == 200
    response = client.post("/verify/", {"credential_json": raw.decode()})
    html = response.content.decode()
    assert response.status_code == 429 and "Too many verifications" in html and "Anna" not in html
    # The look-up by code shares the client's budget: it is throttled too now.
    assert client.get(f"/verify/{credential.code}").status_code == 429
    other = client.post("/verify/", {"credential_json": raw.decode()}, REMOTE_ADDR="10.0.0.8")
    assert other.status_code == 200 and "Authentic" in other.content.decode()


def test_proof_cache_is_keyed_by_a_hash_and_bounded_in_bytes(issue, settings, monkeypatch):
    settings.AGNITIO_PROOF_CACHE_BYTES = 10 * PROOF_CACHE.ENTRY_OVERHEAD
    PROOF_CACHE.clear()
    credential = issue()
    big = "x" * 200_000
    for i in range(25):
        document = copy.deepcopy(credential.credential)
        document["name"] = f"{big}{i}"  # distinct large documents (their signatures fail, which is cached too)
        assert not credential_verify_json(document).verified
    assert PROOF_CACHE.size() <= settings.AGNITIO_PROOF_CACHE_BYTES
    assert 1 <= len(PROOF_CACHE._items) < 10  # each entry costs its overhead plus its per-proof results
    assert all(isinstance(key, bytes) and len(key) == 32 for key in PROOF_CACHE._items)  # SHA-256, not documents
    # A hit still answers from the cache, and a valid document stays valid.
    assert credential_verify_json(credential.credential).verified
    calls = []
    real = verification.proofs_verify

    def counting(**kwargs):
        calls.append(1)
        return real(**kwargs)

    monkeypatch.setattr(verification, "proofs_verify", counting)
    assert credential_verify_json(credential.credential).verified
    assert calls == []
    PROOF_CACHE.clear()


def _nested(depth: int) -> object:
    value: object = "x"
    for _level in range(depth):
        value = {"name": value}
    return value


def test_deeply_nested_json_is_refused_clearly_never_a_server_error(client, make_user, issue):
    """JSON nested beyond Python's parser (RecursionError) or beyond what JSON-LD expansion can walk (a few
    hundred levels, well under 1 MB) is answered 400 with a reason by every public verification and the wallet."""
    document = copy.deepcopy(issue().credential)
    document["credentialSubject"]["achievement"]["description"] = _nested(400)
    too_deep_for_parser = b'{"verifiableCredential": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    for body in (json.dumps({"verifiableCredential": document}).encode(), too_deep_for_parser):
        response = client.post("/credentials/verify", data=body, content_type="application/json")
        assert response.status_code == 400 and "nested more than 64 levels" in response.json()["errors"][0]
    presentation = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
                    "verifiableCredential": [document]}
    response = client.post("/presentations/verify", data=json.dumps({"presentation": presentation}),
                           content_type="application/json")
    assert response.status_code == 400 and "nested more than 64 levels" in json.dumps(response.json())
    for raw in (json.dumps(document).encode(), b"[" * 100_000 + b"]" * 100_000):
        response = client.post("/verify/", {"file": SimpleUploadedFile("c.json", raw)})
        assert response.status_code == 200 and "nested more than 64 levels" in response.content.decode()
    client.force_login(make_user("holder@example.org"))
    response = client.post("/wallet/store", {"file": SimpleUploadedFile("c.json", json.dumps(document).encode())},
                           follow=True)
    assert response.status_code == 200 and "nested more than 64 levels" in response.content.decode()
    assert credential_verify_json(document).errors and not credential_verify_json(document).verified
