"""Issuer identity (point 1): did:web documents, Multikey keys encrypted at rest, rotation, OB3 Profile."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from agnitio.core.errors import NotFound, PermissionDenied
from agnitio.core.models import AuditEvent
from agnitio.credentials import services
from agnitio.credentials.dids import did_for
from agnitio.credentials.models import IssuedCredential, IssuerKey
from agnitio.credentials.signing import keys
from agnitio.credentials.verification import credential_verify_json

from .node_check import node_available, node_verify


def test_platform_did_document(client, db):
    # A migration makes the platform key at install (a transactional test may have flushed it: make it again).
    services.issuer_key_create_first(actor=None, organisation=None)
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200
    document = response.json()
    assert document["id"] == "did:web:127.0.0.1%3A8000" == did_for(None)
    (method,) = document["verificationMethod"]
    assert method["type"] == "Multikey" and method["publicKeyMultibase"].startswith("z6Mk")
    assert document["assertionMethod"] == [method["id"]]


def test_organisation_did_document_and_profile(client, organisation):
    services.issuer_key_create_first(actor=None, organisation=organisation)  # what organisation_create does
    response = client.get(f"/issuers/{organisation.public_id}/did.json")
    assert response.status_code == 200
    document = response.json()
    assert document["id"] == f"did:web:127.0.0.1%3A8000:issuers:{organisation.public_id}"
    assert document["@context"] == ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
    key = IssuerKey.objects.get(organisation=organisation)
    assert document["verificationMethod"][0]["publicKeyMultibase"] == key.public_key_multibase
    profile = client.get(f"/issuers/{organisation.public_id}/profile").json()
    assert profile["type"] == ["Profile"] and profile["id"] == document["id"]
    assert profile["name"] == organisation.legal_name and profile["email"] == organisation.email
    assert profile["address"]["addressCountryCode"] == "LV"
    assert client.get("/issuers/nope/did.json").status_code == 404


def test_private_key_is_encrypted_at_rest(organisation):
    key = services.issuer_key_active(organisation=organisation)
    private = keys.decrypt_private_key(key.private_key_encrypted)
    assert keys.public_key_multibase(private.public_key()) == key.public_key_multibase
    raw = private.private_bytes_raw()
    assert raw not in key.private_key_encrypted.encode() and raw.hex() not in key.private_key_encrypted
    with override_settings(AGNITIO_KEY_ENCRYPTION_KEY="another-key"), pytest.raises(ImproperlyConfigured):
        keys.decrypt_private_key(key.private_key_encrypted)
    with override_settings(AGNITIO_KEY_ENCRYPTION_KEY=""), pytest.raises(ImproperlyConfigured):
        keys.encrypt_private_key(keys.new_key())


def test_environment_key_rotation_keeps_keys_usable(issue, organisation, settings, capsys):
    """The earlier command name still works and now re-encrypts every key row (see core/tests/test_keystore.py)."""
    from django.core.management import call_command

    before = issue()
    old_secret = settings.AGNITIO_KEY_ENCRYPTION_KEY
    stored = IssuerKey.objects.get(organisation=organisation).private_key_encrypted
    settings.AGNITIO_KEY_ENCRYPTION_KEY = f"the-new-environment-key,{old_secret}"
    call_command("issuer_keys_reencrypt")
    assert f"credentials.IssuerKey: re-encrypted {IssuerKey.objects.count()} key(s)." in capsys.readouterr().out
    key = IssuerKey.objects.get(organisation=organisation)
    assert key.private_key_encrypted != stored
    settings.AGNITIO_KEY_ENCRYPTION_KEY = "the-new-environment-key"  # the old key is gone: the key still opens
    assert keys.public_key_multibase(keys.decrypt_private_key(key.private_key_encrypted).public_key()) == \
        key.public_key_multibase
    after = issue()
    assert credential_verify_json(before.credential).verified and credential_verify_json(after.credential).verified
    with pytest.raises(ImproperlyConfigured):
        keys.decrypt_private_key(stored)


def test_a_private_key_copied_into_another_row_is_refused(organisation, other_organisation):
    mine = services.issuer_key_active(organisation=organisation)
    theirs = services.issuer_key_active(organisation=other_organisation)
    with pytest.raises(ImproperlyConfigured):
        keys.decrypt_private_key(theirs.private_key_encrypted, expected_public_key=mine.public_key_multibase)
    IssuerKey.objects.filter(pk=mine.pk).update(private_key_encrypted=theirs.private_key_encrypted)
    with pytest.raises(ImproperlyConfigured):
        services.credential_issue(actor=None, organisation=organisation, kind="youthpass", holder_name="A",
                                  holder_email="", achievement={"name": "X"}, languages=["en"],
                                  issued_on=datetime.date(2026, 1, 1), place="")
    assert not IssuedCredential.objects.exists()


def test_multikey_round_trip(db):
    private = keys.new_key()
    encoded = keys.public_key_multibase(private.public_key())
    assert encoded.startswith("z6Mk")
    assert keys.public_key_from_multibase(encoded).public_bytes_raw() == private.public_key().public_bytes_raw()
    with pytest.raises(ValueError):
        keys.public_key_from_multibase("z" + encoded[2:])


def test_rotation_keeps_old_credentials_verifiable(issue, owner, organisation, client):
    before = issue()
    assert before.credential["proof"]["verificationMethod"].endswith("#key-1")
    new_key = services.issuer_key_rotate(actor=owner, organisation=organisation)
    assert new_key.key_id == "key-2"
    after = issue()
    assert after.credential["proof"]["verificationMethod"].endswith("#key-2")
    document = client.get(f"/issuers/{organisation.public_id}/did.json").json()
    ids = [m["id"].rsplit("#", 1)[1] for m in document["verificationMethod"]]
    assert ids == ["key-1", "key-2"] and len(document["assertionMethod"]) == 2
    assert credential_verify_json(before.credential).verified
    assert credential_verify_json(after.credential).verified
    assert AuditEvent.objects.filter(verb="issuer_key_rotate", organisation=organisation).count() == 1
    if reason := node_available():
        pytest.fail(reason, pytrace=False)
    assert node_verify(before.credential, organisation=organisation)["verified"]
    assert node_verify(after.credential, organisation=organisation)["verified"]


@pytest.mark.parametrize("who", ["editor", "outsider"])
def test_rotation_denied(request, who, organisation):
    actor = request.getfixturevalue(who)
    key = services.issuer_key_active(organisation=organisation)
    with pytest.raises((PermissionDenied, NotFound)):
        services.issuer_key_rotate(actor=actor, organisation=organisation)
    assert list(IssuerKey.objects.filter(organisation=organisation).values_list("key_id", "is_active")) == [
        (key.key_id, True)]
    assert not AuditEvent.objects.filter(verb="issuer_key_rotate").exists()


def test_rotation_view(client, owner, editor, organisation):
    services.issuer_key_active(organisation=organisation)
    client.force_login(editor)
    client.post(f"/credentials/organisation/{organisation.public_id}/keys/rotate")
    assert IssuerKey.objects.filter(organisation=organisation).count() == 1
    client.force_login(owner)
    response = client.post(f"/credentials/organisation/{organisation.public_id}/keys/rotate")
    assert response.status_code == 302
    assert IssuerKey.objects.filter(organisation=organisation).count() == 2


def test_first_key_is_made_by_the_organisations_admin_only(organisation, editor, owner):
    with pytest.raises(PermissionDenied):
        services.issuer_key_create_first(actor=editor, organisation=organisation)
    assert not IssuerKey.objects.filter(organisation=organisation).exists()
    key = services.issuer_key_create_first(actor=owner, organisation=organisation)
    assert services.issuer_key_create_first(actor=editor, organisation=organisation) == key  # exists: nothing to do
