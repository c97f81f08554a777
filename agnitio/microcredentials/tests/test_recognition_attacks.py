"""Hostile recognition uploads (an attacker's pass): whatever a signed-in person uploads is answered with a clear
refusal or a request that says what could be checked — never a server error, never the network, and never
"verified" for a credential that is not the learner's or whose issuer nobody checked.

* nesting: JSON nested deeper than `core.validators.JSON_MAX_DEPTH` is refused before any JSON-LD processing (the
  parser or the verifier would otherwise run out of stack);
* a JSON-LD context at a remote address is never fetched: the request records why the proof cannot be checked;
* a credential signed with a key we did not issue (a fresh did:key) that names one of our organisations as issuer
  is not "verified": its signature proves only that someone holding that key signed it;
* one of our credentials that was revoked is not "verified";
* holder binding: one of our credentials (signed JSON or sealed PDF) issued to another e-mail address than the
  learner's confirmed ones is refused (someone else's credential cannot be replayed); for other issuers' files
  the request says whether the credential names the learner's e-mail address (the provider decides)."""

import copy
import json
import socket

import pytest

from agnitio.core.errors import ApplicationError
from agnitio.credentials import services as credential_services
from agnitio.credentials.formats.ob3 import email_identity
from agnitio.credentials.signing.keys import new_key, public_key_multibase
from agnitio.credentials.signing.proofs import proof_add
from agnitio.microcredentials.models import RecognitionRequest
from agnitio.microcredentials.services import recognition as services

from .test_recognition import _vc


@pytest.fixture
def bob(make_user):
    return make_user("bob@example.org")


def _self_signed(document: dict, *, email: str | None = None) -> dict:
    """A copy re-signed with a fresh did:key: the issuer's name still says ours, the key is not ours."""
    document = copy.deepcopy(document)
    document.pop("proof")
    document.pop("credentialStatus", None)
    if email is not None:
        document["credentialSubject"]["identifier"][0] = email_identity(email, "pepper")
    private = new_key()
    multikey = public_key_multibase(private.public_key())
    did = f"did:key:{multikey}"
    document["issuer"]["id"] = did
    return proof_add(document=document, private_key=private, verification_method=f"{did}#{multikey}")


def _submit(actor, receiver, raw: bytes) -> RecognitionRequest:  # noqa: F811
    return services.recognition_submit(actor=actor, provider_public_id=receiver.public_id, raw=raw)


@pytest.mark.parametrize("raw", [
    b"[" * 200_000 + b"]" * 200_000,
    b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
])
def test_json_nested_beyond_the_parser_is_refused_clearly(anna, receiver, raw):  # noqa: F811
    with pytest.raises(ApplicationError) as error:
        _submit(anna, receiver, raw)
    assert error.value.code == "too_deep" and not RecognitionRequest.objects.exists()


def test_signed_json_nested_deeper_than_the_verifier_can_walk_is_refused(anna, award, receiver):  # noqa: F811
    document = copy.deepcopy(award.credential.credential)
    value: object = "x"
    for _level in range(400):  # parses fine, but JSON-LD expansion would exhaust the stack
        value = {"name": value}
    document["credentialSubject"]["achievement"]["description"] = value
    with pytest.raises(ApplicationError) as error:
        _submit(anna, receiver, json.dumps(document).encode())
    assert error.value.code == "too_deep" and not RecognitionRequest.objects.exists()


@pytest.mark.parametrize("country", [{"id": 5}, 5, [None], {"id": None}])
def test_an_edc_file_with_an_odd_issuer_country_is_read(anna, receiver, country):  # noqa: F811
    document = {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["EuropeanDigitalCredential"],
                "issuer": {"id": "urn:x", "location": {"address": {"countryCode": country}}},
                "credentialSubject": {"hasClaim": {"title": "Course"}}}
    request = _submit(anna, receiver, json.dumps(document).encode())
    assert request.kind == "edc" and request.issuer_country == "" and not request.verified


def test_a_remote_json_ld_context_is_never_fetched(anna, award, receiver, monkeypatch):  # noqa: F811
    def no_network(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    document = copy.deepcopy(award.credential.credential)
    document["@context"] = [*document["@context"], "https://attacker.example/context.jsonld"]
    request = _submit(anna, receiver, json.dumps(document).encode())
    assert not request.verified
    assert any("not available offline (https://attacker.example/context.jsonld)" in c["text"]
               for c in request.checks if not c["ok"])


def test_a_credential_signed_with_a_key_we_did_not_issue_is_not_verified(anna, award, receiver):  # noqa: F811
    forged = _self_signed(award.credential.credential, email="anna@example.org")
    assert forged["issuer"]["name"] == award.organisation.legal_name  # it claims our organisation
    request = _submit(anna, receiver, json.dumps(forged).encode())
    assert request.kind == "vc" and not request.verified
    assert any(not c["ok"] and "not known to this service" in c["text"] for c in request.checks)


def test_a_revoked_credential_of_ours_is_not_verified(anna, owner, award, receiver):  # noqa: F811
    credential_services.credential_revoke(actor=owner, credential=award.credential, reason="Issued by mistake")
    request = _submit(anna, receiver, _vc(award))
    assert not request.verified and any(not c["ok"] and "revoked" in c["text"] for c in request.checks)
    request = _submit(anna, receiver, award.credential.pdf.open("rb").read())
    assert not request.verified and any(not c["ok"] and "revoked" in c["text"] for c in request.checks)


def test_someone_elses_credential_of_ours_is_refused(bob, award, receiver):  # noqa: F811
    for raw in (_vc(award), award.credential.pdf.open("rb").read()):
        with pytest.raises(ApplicationError) as error:
            _submit(bob, receiver, raw)
        assert error.value.code == "not_holder"
    assert not RecognitionRequest.objects.exists()


def test_the_holder_may_submit_with_another_confirmed_address(bob, award, receiver):  # noqa: F811
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=bob, email="Anna@Example.org", verified=False, primary=False)
    with pytest.raises(ApplicationError):  # an unconfirmed address proves nothing
        _submit(bob, receiver, _vc(award))
    EmailAddress.objects.filter(user=bob, email="Anna@Example.org").update(verified=True)
    request = _submit(bob, receiver, _vc(award))
    assert request.verified and any(c["ok"] and "Issued to you" in c["text"] for c in request.checks)


def test_other_issuers_files_say_whether_they_name_the_learner(anna, bob, award, receiver):  # noqa: F811
    named = _submit(anna, receiver, json.dumps(_self_signed(award.credential.credential,
                                                            email="anna@example.org")).encode())
    assert any(c["ok"] and "names your e-mail address" in c["text"] for c in named.checks)
    other = _submit(bob, receiver, json.dumps(_self_signed(award.credential.credential,
                                                           email="anna@example.org")).encode())
    assert any(not c["ok"] and "does not name the e-mail address" in c["text"] for c in other.checks)
