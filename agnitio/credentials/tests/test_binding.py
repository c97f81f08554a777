"""Issue 9, point 4: verification binds a document to its issuer. A credential is one of our records only when its
proof was made with a key (active or retired) of the organisation that issued that record; then the record's state
applies whether or not the document carries a status entry. Anything else is "signature valid, issued by <DID>, not
known to this service" — never our organisation, its logo or the record's holder."""

import copy
import json

import pytest

from agnitio.core.models import AuditEvent
from agnitio.credentials import services
from agnitio.credentials.models import IssuerKey
from agnitio.credentials.signing.keys import new_key, public_key_multibase
from agnitio.credentials.signing.proofs import proof_add
from agnitio.credentials.verification import credential_verify_json

from .node_check import node_available, node_sign

FORGED_NAME = "Mallory Forger"


def _forge(credential: dict) -> tuple[dict, str]:
    """The reproduction: the holder's name changed, `credentialStatus` dropped, re-signed with a fresh did:key
    (Ed25519 Multikey, `did:key:z6Mk…`, which our verifier resolves locally)."""
    document = copy.deepcopy(credential)
    document.pop("proof")
    document.pop("credentialStatus")
    for identifier in document["credentialSubject"]["identifier"]:
        if identifier["identityType"] == "name":
            identifier["identityHash"] = FORGED_NAME
    private = new_key()
    multikey = public_key_multibase(private.public_key())
    assert multikey.startswith("z6Mk")
    did = f"did:key:{multikey}"
    document["issuer"]["id"] = did
    return proof_add(document=document, private_key=private, verification_method=f"{did}#{multikey}"), did


def _resign_with_our_key(credential: dict, *, organisation, key: IssuerKey | None = None, drop_status: bool) -> dict:
    """What only the organisation itself can do: sign a copy with its own key (e.g. without a status entry)."""
    document = copy.deepcopy(credential)
    document.pop("proof")
    if drop_status:
        document.pop("credentialStatus")
    return services._sign(document, organisation=organisation, key=key)


def test_forged_copy_signed_with_a_did_key_is_not_our_document(client, issue, organisation, admin):
    credential = issue()
    services.credential_revoke(actor=admin, credential=credential, reason="Issued by mistake")
    forged, did = _forge(credential.credential)
    assert forged["id"] == credential.credential_uid  # it carries our record's id

    result = credential_verify_json(forged)
    assert result.credential is None and not result.issuer_known and result.issuer_name == ""
    assert result.issuer_id == did and "proof" in result.checks

    html = client.post("/verify/", {"credential_json": json.dumps(forged)}).content.decode()
    assert "Authentic" not in html
    assert "Signature valid — issuer not known to this service" in html and f"<bdi>{did}</bdi>" in html
    assert "not known to this service" in html and "it is not that document" in html
    # Nothing of ours: not the organisation (whose name the forger kept in `issuer.name`), not its logo, not the
    # record's holder, number, code or revocation.
    for ours in (organisation.legal_name, "Anna Bērziņa", credential.number, credential.code, "Issued by mistake",
                 FORGED_NAME):
        assert ours not in html, ours
    assert "<img" not in html.split('id="result-heading"')[1].split("</section>")[0]

    response = client.post("/credentials/verify", data=json.dumps({"verifiableCredential": forged}),
                           content_type="application/json")
    body = response.json()
    assert organisation.legal_name not in response.content.decode()
    assert any("not known to this service" in w for w in body["warnings"])
    assert any("not that document" in w for w in body["warnings"])


def test_forged_copy_signed_by_digital_bazaar_is_not_our_document(client, issue, organisation):
    """The same with the independent implementation signing (tests/node/sign.mjs: a fresh did:key)."""
    assert not node_available(), node_available()
    credential = issue()
    document = copy.deepcopy(credential.credential)
    document.pop("proof")
    document.pop("credentialStatus")
    document["credentialSubject"]["identifier"][-1]["identityHash"] = FORGED_NAME
    forged = node_sign(document)
    assert forged["issuer"]["id"].startswith("did:key:z6Mk")
    html = client.post("/verify/", {"credential_json": json.dumps(forged)}).content.decode()
    assert "Signature valid — issuer not known to this service" in html and "Authentic" not in html
    assert organisation.legal_name not in html and "Anna Bērziņa" not in html


def test_signed_by_another_organisation_of_this_service_is_not_bound(issue, organisation, other_organisation):
    from agnitio.credentials.dids import did_for

    credential = issue()
    document = copy.deepcopy(credential.credential)
    document["issuer"]["id"] = did_for(other_organisation)
    forged = _resign_with_our_key(document, organisation=other_organisation, drop_status=True)
    result = credential_verify_json(forged)
    assert "proof" in result.checks and result.issuer_id == did_for(other_organisation)
    assert result.credential is None and not result.issuer_known and result.issuer_name == ""


def test_record_state_applies_without_a_status_entry(issue, organisation, admin, owner):
    """Bound by the key, our record decides: revoked and superseded show even when `credentialStatus` is gone."""
    revoked, replaced = issue(), issue()
    services.credential_revoke(actor=admin, credential=revoked, reason="Withdrawn")
    replacement = issue(supersedes=replaced)
    for record, status in ((revoked, "revoked"), (replaced, "superseded")):
        copy_without_status = _resign_with_our_key(record.credential, organisation=organisation, drop_status=True)
        result = credential_verify_json(copy_without_status)
        assert result.credential == record and result.issuer_known
        assert not result.verified and result.status == status
    valid = credential_verify_json(_resign_with_our_key(replacement.credential, organisation=organisation,
                                                        drop_status=True))
    assert valid.verified and valid.credential == replacement and valid.issuer_name == organisation.legal_name


def test_retired_keys_still_bind(issue, organisation, admin):
    credential = issue()
    old_key = IssuerKey.objects.get(organisation=organisation, is_active=True)
    services.issuer_key_rotate(actor=admin, organisation=organisation)
    result = credential_verify_json(credential.credential)
    assert result.verified and result.credential == credential and result.issuer_known
    old_key.refresh_from_db()
    assert not old_key.is_active
    services.credential_revoke(actor=admin, credential=credential, reason="Later withdrawn")
    copy_without_status = _resign_with_our_key(credential.credential, organisation=organisation, key=old_key,
                                               drop_status=True)
    result = credential_verify_json(copy_without_status)
    assert result.credential == credential and result.status == "revoked" and not result.verified


def test_names_from_documents_are_isolated_with_bdi(client, issue, organisation, admin, make_user):
    """A name with bidirectional controls (U+202E RIGHT-TO-LEFT OVERRIDE) cannot reorder the page around it."""
    from allauth.account.models import EmailAddress

    name = "Anna \u202eanirēB"
    credential = issue(holder_name=name, holder_email="holder@example.org")
    html = client.get(f"/verify/{credential.code}").content.decode()
    assert f"<bdi>{name}</bdi>" in html and f"<bdi>{organisation.legal_name}</bdi>" in html
    assert f"<bdi>{credential.achievement['name']}</bdi>" in html
    client.force_login(admin)
    html = client.get(f"/credentials/organisation/{organisation.public_id}/").content.decode()
    assert f"<bdi>{name}</bdi>" in html
    holder = make_user("holder@example.org")
    EmailAddress.objects.filter(user=holder).update(verified=True)
    client.force_login(holder)
    html = client.get(f"/wallet/{credential.public_id}/").content.decode()
    assert f"<bdi>{credential.achievement['name']}</bdi>" in html and f"<bdi>{organisation.legal_name}</bdi>" in html
    html = client.get("/wallet/").content.decode()
    assert f"<bdi>{organisation.legal_name}</bdi>" in html


def test_our_credential_is_still_authentic(client, issue, organisation):
    credential = issue()
    html = client.post("/verify/", {"credential_json": json.dumps(credential.credential)}).content.decode()
    assert "Authentic</h2>" in html and organisation.legal_name in html and "Anna Bērziņa" in html
    assert "not known to this service" not in html


@pytest.mark.parametrize("path", ["/.well-known/did.json", "ORG"])
def test_reading_a_did_document_creates_nothing(client, organisation, path):
    path = f"/issuers/{organisation.public_id}/did.json" if path == "ORG" else path
    keys, events = IssuerKey.objects.count(), AuditEvent.objects.count()
    for _ in range(2):
        assert client.get(path).status_code == 200
    assert IssuerKey.objects.count() == keys and AuditEvent.objects.count() == events


def test_organisation_is_created_with_its_key(client, owner):
    from agnitio.organisations.services import organisation_create

    organisation = organisation_create(actor=owner, data={
        "legal_name": "Biedrība Jauna", "short_name": "BJ", "country": "LV", "address": "Rīga",
        "email": "info@jauna.example"})
    key = IssuerKey.objects.get(organisation=organisation)
    assert key.is_active and key.key_id == "key-1"
    assert AuditEvent.objects.filter(verb="issuer_key_create", organisation=organisation, actor=owner).exists()
    document = client.get(f"/issuers/{organisation.public_id}/did.json").json()
    assert [m["publicKeyMultibase"] for m in document["verificationMethod"]] == [key.public_key_multibase]
