"""Every kind of document issued here is checkable by anyone with tools we did not write (`interop`): each domain
app's tests issue one through the app's own service and run `issued_interop_check` / `revoked_interop_check`
(Digital Bazaar's verifier with only what the app serves, RDFC-1.0 bytes against rdf-canonize, no term left to
`@vocab`, the EDC shapes). Here: that no issued kind lacks that test, that the checks themselves catch what they are
for (a term only `@vocab` defines, a status list altered, not served or of another issuer), and the VC API path
(any kind, the credential as posted)."""

from __future__ import annotations

import copy
import importlib
import inspect
import json

import pytest
from django.core.management import call_command

from agnitio.apikeys.services import api_token_create
from agnitio.credentials.dids import did_for
from agnitio.credentials.formats.ob3 import parts_evidence
from agnitio.credentials.formats.status import bit_set, decode_list, encode_list
from agnitio.credentials.models import CredentialKind, IssuedCredential
from agnitio.credentials.signing.loader import OB_V3, VC_EXAMPLES_V2, VC_V2, DataLossError, canonize

from .interop import (
    VOCAB_IRIS,
    canonical_compare,
    did_web_url,
    issued_interop_check,
    revoked_interop_check,
    served_documents,
)
from .node_check import node_verify

# kind → the tests that issue it through its app's service and run the interop checks on it.
INTEROP_TESTS = {
    "youthpass": [("agnitio.youthpass.tests.test_certificates",
                   "test_the_certificate_is_checkable_by_digital_bazaar_and_the_standards")],
    "europass_certificate": [("agnitio.europass.tests.test_issue",
                              "test_the_certificate_is_checkable_by_digital_bazaar_and_the_standards")],
    "microcredential": [
        ("agnitio.microcredentials.tests.test_awards",
         "test_the_credential_is_checkable_by_digital_bazaar_and_the_standards"),
        ("agnitio.microcredentials.tests.test_stacking",  # the combined (stacked) micro-credential
         "test_the_combined_credential_is_checkable_by_digital_bazaar_and_the_standards"),
        ("agnitio.microcredentials.tests.test_stacking_recognition",  # with a recognised part of another provider
         "test_qualifies_only_after_recognition_and_the_combined_references_the_external_part"),
    ],
}
# Kinds no service issues as a credential (only the VC API may file a posted credential under them).
NOT_ISSUED_BY_A_SERVICE = {
    "europass_agreement": "a learning agreement is printed and sealed, never issued (document_certificate_issue "
                          "refuses it)",
}


def test_every_issued_kind_has_its_interop_test():
    from agnitio.credentials.management.commands.credential_sample import SAMPLES
    from agnitio.credentials.samples import _MAKERS

    assert set(INTEROP_TESTS) | set(NOT_ISSUED_BY_A_SERVICE) == set(CredentialKind.values)
    assert set(SAMPLES) | set(_MAKERS) <= set(INTEROP_TESTS)  # whatever `credential_sample` can make
    for kind, tests in INTEROP_TESTS.items():
        for module, name in tests:
            source = inspect.getsource(getattr(importlib.import_module(module), name))
            assert "issued_interop_check(" in source, (kind, module, name)


def test_did_web_addresses(settings):
    settings.SITE_URL = "https://agnitio.example:8443"
    assert did_web_url("did:web:agnitio.example%3A8443:issuers:abc") == \
        "https://agnitio.example:8443/issuers/abc/did.json"
    assert did_web_url("did:web:agnitio.example%3A8443") == "https://agnitio.example:8443/.well-known/did.json"


def test_a_term_only_vocab_defines_is_caught():
    """A context's `@vocab` (the VC examples context's) signs an undefined term as an IRI of its vocabulary: safe
    mode sees no data loss and lets it through, the check finds it on our side and on Digital Bazaar's. Without a
    `@vocab` (VC 2.0 as published) the term is data loss and never signed."""
    defined = {"@context": [VC_V2], "type": ["VerifiableCredential"], "issuer": "did:example:issuer",
               "validFrom": "2026-01-01T00:00:00Z", "credentialSubject": {"id": "did:example:a", "name": "Anna"}}
    canonical_compare({"defined": defined})
    vocab = copy.deepcopy(defined)
    vocab["@context"] = [VC_V2, VC_EXAMPLES_V2]
    vocab["credentialSubject"]["alumniOf"] = "Example University"
    assert "https://www.w3.org/ns/credentials/examples#alumniOf" in canonize(vocab)  # signed as the vocab's IRI
    with pytest.raises(AssertionError, match="alumniOf"):
        canonical_compare({"vocab": vocab})
    undefined = copy.deepcopy(defined)
    undefined["credentialSubject"]["alumniOf"] = "Example University"
    with pytest.raises(DataLossError, match="alumniOf"):
        canonize(undefined)


@pytest.fixture
def served(issue, client):
    credential = issue()
    return credential, served_documents(client, credential.credential)


def test_digital_bazaar_checks_the_status_list_the_app_serves(served, client, owner):
    credential, documents = served
    url = credential.credential["credentialStatus"]["statusListCredential"]
    assert set(documents) == {url, credential.credential["issuer"]["id"]}
    assert node_verify(credential.credential, documents=documents)["verified"]

    # The list altered after signing (a bit set by someone else): its own proof fails, so does the status check.
    altered = copy.deepcopy(documents)
    subject = altered[url]["credentialSubject"]
    subject["encodedList"] = encode_list(bit_set(decode_list(subject["encodedList"]), 7, True))
    result = node_verify(credential.credential, documents=altered)
    assert not result["verified"] and "BitstringStatusListCredential" in result["error"]
    # Not served at all: nothing to check the status against.
    result = node_verify(credential.credential, documents={k: v for k, v in documents.items() if k != url})
    assert not result["verified"] and "Could not load" in result["error"]
    # Revoked: the bit the app now serves is set.
    assert revoked_interop_check(credential, client=client, actor=owner)["status"][0]["status"] is True


def test_a_status_list_of_another_issuer_is_refused(served, issue, client, outsider, other_organisation):
    credential, documents = served
    theirs = issue(actor=outsider, org=other_organisation)
    their_documents = served_documents(client, theirs.credential)
    url = credential.credential["credentialStatus"]["statusListCredential"]
    their_list = their_documents[theirs.credential["credentialStatus"]["statusListCredential"]]
    swapped = {**documents, **their_documents, url: their_list}  # validly signed, but by the other organisation
    result = node_verify(credential.credential, documents=swapped)
    assert not result["verified"] and "Issuers of the status list credential and verifiable credential do not " \
        "match" in result["error"]


def test_the_parts_of_a_combined_credential_are_signed_as_evidence(issue, achievement, organisation, client):
    parts = [
        {"name": "Module 1", "credential": "MC-2026-000001-5", "issued_on": "2026-10-01",
         "verification_url": "http://127.0.0.1:8000/verify/AAAA-BBBB-CCCC-DDDD"},
        {"name": "Facilitation (Autre)", "external": True, "issuer": "Association Autre",
         "issuer_id": "did:web:autre.example", "credential": "urn:uuid:6f1c7e8a-3b2d-4c5e-9f0a-1b2c3d4e5f60",
         "verification_url": "see the issuer's register", "verified": False, "recognised_by": "JT",
         "recognised_on": "2026-11-02", "counts_as": "Module 2"},
    ]
    evidence = parts_evidence(parts)
    assert evidence[0] == {"type": ["Evidence"], "name": "Module 1", "id": parts[0]["verification_url"],
                           "genre": "Micro-credential",
                           "description": "Micro-credential MC-2026-000001-5; issued on 2026-10-01."}
    assert "id" not in evidence[1]  # not a web address: named in the description, never made an IRI
    assert evidence[1]["description"] == (
        "Issued by Association Autre (did:web:autre.example); credential urn:uuid:6f1c7e8a-3b2d-4c5e-9f0a-1b2c3d4e5f60;"
        " recognised by JT on 2026-11-02 as Module 2; authenticity not verified by the platform; verification: see "
        "the issuer's register.")
    credential = issue(kind="microcredential", achievement={**achievement, "parts": parts})
    assert credential.credential["evidence"] == evidence
    ours = canonical_compare({"credential": {k: v for k, v in credential.credential.items() if k != "proof"}})
    assert "https://purl.imsglobal.org/spec/vc/ob/vocab.html#Evidence" in ours["credential"]
    assert node_verify(credential.credential, documents=served_documents(client, credential.credential))["verified"]
    tampered = copy.deepcopy(credential.credential)
    tampered["evidence"][1]["description"] = tampered["evidence"][1]["description"].replace("not verified", "verified")
    assert not node_verify(tampered, documents=served_documents(client, tampered))["verified"]


@pytest.mark.parametrize("kind", CredentialKind.values)
def test_a_credential_posted_to_the_vc_api_is_checkable_under_every_kind(client, owner, organisation, kind):
    """The VC API files a posted credential under any kind (a learning agreement only this way): Digital Bazaar's
    verifier accepts it with what the app serves, the bytes agree, no term is left to `@vocab`; revoked, both
    verifiers refuse it."""
    _token, raw = api_token_create(actor=owner, name="VC API", organisation=organisation)
    posted = {
        "@context": [VC_V2, OB_V3], "type": ["VerifiableCredential", "AchievementCredential"],
        "issuer": {"id": did_for(organisation), "type": ["Profile"], "name": organisation.legal_name},
        "name": "Digital skills for youth workers", "validFrom": "2026-11-21T00:00:00Z",
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
            "id": "urn:uuid:5b1c9c5e-0e47-4d8e-9d53-1b8c1a6f0e11", "type": ["Achievement"],
            "name": "Digital skills for youth workers", "criteria": {"narrative": "Passed the final project."}}},
    }
    response = client.post("/credentials/issue", data=json.dumps({"credential": posted, "options": {"kind": kind}}),
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 201, response.content
    record = IssuedCredential.objects.get(credential_uid=response.json()["verifiableCredential"]["id"])
    assert record.kind == kind
    issued_interop_check(record, client=client, edc=False)
    revoked_interop_check(record, client=client, actor=owner)


def test_the_sample_command_writes_what_the_checks_accept(db, tmp_path, capsys, client):
    """`manage.py credential_sample` (what outside judges are handed) for every kind it makes: the written JSON is
    the signed credential and passes the same checks (the EDC export it writes too)."""
    from agnitio.credentials.management.commands.credential_sample import SAMPLES

    call_command("demo_data")
    for kind in sorted(SAMPLES):
        out, edc_out = tmp_path / f"{kind}.json", tmp_path / f"{kind}.jsonld"
        call_command("credential_sample", kind=kind, out=str(out), edc_out=str(edc_out))
        code = capsys.readouterr().out.strip().splitlines()[-1].removeprefix("number: ")
        record = IssuedCredential.objects.get(code=code)
        assert json.loads(out.read_text()) == record.credential
        issued_interop_check(record, client=client)
        written = json.loads(edc_out.read_text())
        assert not any(iri in json.dumps(written) for iri in VOCAB_IRIS)
