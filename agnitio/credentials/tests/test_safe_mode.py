"""Nothing unsigned slips through (issue 9, point 2): canonicalisation runs in JSON-LD safe mode for signing and
verifying. A property the contexts do not define, added at any level of any kind of credential we issue, makes
`/credentials/verify` answer invalid with DATA_LOSS_DETECTION_ERROR — as Digital Bazaar's verifier does — and the
issuer refuses to sign such a document."""

from __future__ import annotations

import copy
import json

import pytest
from django.core.management import call_command

from agnitio.core.errors import ApplicationError
from agnitio.credentials.models import IssuedCredential
from agnitio.credentials.signing.keys import new_key
from agnitio.credentials.signing.loader import VC_V2, DataLossError, canonize
from agnitio.credentials.signing.proofs import DATA_LOSS_DETECTION_ERROR, proof_add
from agnitio.credentials.verification import credential_verify_json

from .node_check import node_canonize, node_verify

KINDS = ["youthpass", "europass_certificate", "microcredential"]


def _achievement(document: dict) -> dict:
    subject = document["credentialSubject"]
    subject = subject[0] if isinstance(subject, list) else subject
    return subject["achievement"]


LEVELS = {
    "top level": lambda d: d.__setitem__("grade", "A+"),
    "credentialSubject": lambda d: d["credentialSubject"].__setitem__("favouriteColour", "green"),
    "achievement": lambda d: _achievement(d).__setitem__("grade", "A+"),
    "proof": lambda d: d["proof"].__setitem__("reviewedBy", "someone"),
}


@pytest.fixture
def sample(db, tmp_path, capsys):
    call_command("demo_data")

    def _sample(kind: str) -> tuple[dict, IssuedCredential]:
        out = tmp_path / f"{kind}.json"
        call_command("credential_sample", kind=kind, out=str(out))
        code = capsys.readouterr().out.strip().splitlines()[-1].removeprefix("number: ")  # the look-up code
        return json.loads(out.read_text()), IssuedCredential.objects.get(code=code)

    return _sample


@pytest.mark.parametrize("kind", KINDS)
def test_an_unsigned_property_at_any_level_makes_the_credential_invalid(sample, client, kind):
    signed, record = sample(kind)
    assert credential_verify_json(signed).verified
    assert node_verify(signed, organisation=record.organisation)["verified"]
    for level, add in LEVELS.items():
        tampered = copy.deepcopy(signed)
        add(tampered)
        result = credential_verify_json(tampered)
        assert not result.verified, (kind, level)
        assert result.error_codes == [DATA_LOSS_DETECTION_ERROR], (kind, level, result.errors)
        assert "do not define" in str(result.errors[0])
        response = client.post("/credentials/verify", data=json.dumps({"verifiableCredential": tampered}),
                               content_type="application/json")
        assert response.status_code == 400 and response.json()["errors"], (kind, level)
        node = node_verify(tampered, organisation=record.organisation)
        assert not node["verified"] and node["returncode"] == 1, (kind, level, node)
        assert "Safe mode" in node["error"] or "safe mode" in node["error"], (kind, level, node)


def test_the_issuer_refuses_to_sign_undefined_terms(sample):
    signed, record = sample("microcredential")
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    unsigned["grade"] = "A+"
    with pytest.raises(DataLossError):
        proof_add(document=unsigned, private_key=new_key(), verification_method="did:example:1#key-1")
    from agnitio.credentials.services import _sign

    with pytest.raises(ApplicationError) as refused:
        _sign(unsigned, organisation=record.organisation)
    assert refused.value.code == DATA_LOSS_DETECTION_ERROR


BASE = {"@context": [VC_V2], "type": ["VerifiableCredential"], "issuer": "did:example:issuer",
        "validFrom": "2026-01-01T00:00:00Z", "credentialSubject": {"id": "did:example:subject", "name": "Anna"}}


CHANGES = [
    pytest.param(lambda d: d.__setitem__("grade", "A+"), id="undefined-term"),
    pytest.param(lambda d: d.__setitem__("id", "relative/id"), id="relative-id"),
    pytest.param(lambda d: d["type"].append("Diploma"), id="relative-type"),
    pytest.param(lambda d: d["credentialSubject"].__setitem__("id", "subject-1"), id="relative-reference"),
    pytest.param(lambda d: d["credentialSubject"].__setitem__("name", {"@value": None}), id="null-value-object"),
    pytest.param(lambda d: d["credentialSubject"].__setitem__("name", {"@language": "en"}), id="language-only"),
    pytest.param(lambda d: d["credentialSubject"].__setitem__("name", {"@value": "x", "@language": "not a tag"}),
                 id="bad-language-tag"),
    pytest.param(lambda d: d["credentialSubject"].__setitem__("_:p", "x"), id="blank-node-predicate"),
    pytest.param(lambda d: d.__setitem__("@unknownKeyword", "x"), id="unknown-keyword"),
    pytest.param(lambda d: d.__setitem__("@graph", ["free-floating"]), id="free-floating-value"),
]


@pytest.mark.parametrize("change", CHANGES)
def test_what_expansion_or_rdf_would_drop_is_an_error(change):
    canonize(BASE)  # the unchanged document is fine
    document = copy.deepcopy(BASE)
    change(document)
    with pytest.raises(DataLossError):
        canonize(document)


def test_what_is_kept_is_not_an_error():
    """A JSON null (no value), a base direction (kept as an i18n datatype, as Digital Bazaar does) and control
    characters (escaped) are not data loss."""
    document = copy.deepcopy(BASE)
    document["description"] = None
    document["credentialSubject"]["name"] = {"@value": "Anna", "@language": "ar", "@direction": "rtl"}
    document["name"] = "a\u0007b\u000c"
    nquads = canonize(document)
    assert '"Anna"^^<https://www.w3.org/ns/i18n#ar_rtl>' in nquads and '"a\\u0007b\\f"' in nquads
    assert "example.org/base" not in nquads


def test_safe_mode_and_canonical_bytes_agree_with_digital_bazaar():
    """jsonld.js (safe mode) + rdf-canonize refuse exactly the documents we refuse, and give the same bytes for
    the others (controls, base direction, JSON null)."""
    documents = {"unchanged": copy.deepcopy(BASE)}
    for param in CHANGES:
        document = copy.deepcopy(BASE)
        param.values[0](document)
        documents[param.id] = document
    kept = copy.deepcopy(BASE)
    kept["description"] = None
    kept["credentialSubject"]["name"] = {"@value": "Anna", "@language": "ar", "@direction": "rtl"}
    kept["name"] = "".join(chr(i) for i in range(32)) + "\x7f"
    documents["kept"] = kept
    theirs = node_canonize(documents)
    for name, document in documents.items():
        try:
            ours = {"nquads": canonize(document)}
        except DataLossError:
            ours = {"error": True}
        assert ("error" in ours) == ("error" in theirs[name]), (name, theirs[name])
        assert ours.get("nquads") == theirs[name].get("nquads"), name
    assert sum("error" in result for result in theirs.values()) == len(CHANGES)
