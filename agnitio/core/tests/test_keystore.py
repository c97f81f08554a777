"""One key store (issue 9, point 9): issuer keys, seal keys and the seal CA are encrypted one way (MultiFernet over
secrets from AGNITIO_KEY_ENCRYPTION_KEY, which may list several); `keys_reencrypt` moves every key row to the newest
secret; rows written in the older forms still open and are converted."""

from __future__ import annotations

import base64
import datetime
import hashlib
import os

import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from agnitio.core import keystore
from agnitio.core.models import AuditEvent

A, B = "secret-A-0123456789abcdef", "secret-B-fedcba9876543210"


# --- how the rows were written before this change (to stand for a database made by an earlier version) -----------

def legacy_agk1(plaintext: bytes, *, secret: str, purpose: str) -> bytes:
    """documents/keystore.py's former form: AES-256-GCM, purpose as associated data."""
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"agnitio", info=b"agnitio private keys at rest v1").derive(
        secret.encode())
    nonce = os.urandom(12)
    return b"AGK1" + hashlib.sha256(b"key-id" + key).digest()[:8] + nonce + AESGCM(key).encrypt(
        nonce, plaintext, purpose.encode())


def legacy_issuer_token(raw: bytes, *, secret: str) -> str:
    """credentials/signing/keys.py's former form: Fernet of the raw key, its own derivation, no purpose."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"agnitio issuer keys v1").derive(
        secret.encode())
    return Fernet(base64.urlsafe_b64encode(derived)).encrypt(raw).decode()


@pytest.fixture
def secret_a(settings, db):
    from agnitio.credentials.models import IssuerKey

    # The platform's own DID key is made by a migration, encrypted with the test settings' secret, not A: these
    # tests start from a deployment whose every key row was written with A.
    IssuerKey.objects.filter(organisation__isnull=True).delete()
    settings.AGNITIO_KEY_ENCRYPTION_KEY = A
    settings.AGNITIO_KEY_ENCRYPTION_OLD_KEYS = []
    return settings


def _forget_decrypted_keys():
    """The seal module keeps decrypted signers and the CA per process; a restart with new settings has none."""
    from agnitio.documents import seal

    seal._signers.clear()
    seal._ca_cache.clear()


# --- the module ------------------------------------------------------------------------------------------------

def test_round_trip_purpose_bound_and_nothing_in_clear(secret_a):
    secret = os.urandom(32)
    token = keystore.encrypt(secret, purpose="seal:org:abc")
    assert token.startswith(b"gAAAAA") and secret not in base64.urlsafe_b64decode(token)
    assert keystore.decrypt(token, purpose="seal:org:abc") == secret
    assert keystore.decrypt(token.decode(), purpose="seal:org:abc") == secret  # text columns
    assert keystore.decrypt(memoryview(token), purpose="seal:org:abc") == secret  # binary columns
    with pytest.raises(keystore.KeyDecryptionError):
        keystore.decrypt(token, purpose="seal:org:another")
    with pytest.raises(keystore.KeyDecryptionError):
        keystore.decrypt(token, purpose="issuer-key")


def test_the_first_secret_encrypts_and_every_listed_one_decrypts(secret_a, settings):
    made_with_a = keystore.encrypt(b"k1", purpose="p")
    settings.AGNITIO_KEY_ENCRYPTION_KEY = f" {B} , {A} "  # spaces around the commas are ignored
    made_with_b = keystore.encrypt(b"k2", purpose="p")
    assert keystore.decrypt(made_with_a, purpose="p") == b"k1" and keystore.decrypt(made_with_b, purpose="p") == b"k2"
    assert keystore.is_current(made_with_b) and not keystore.is_current(made_with_a)
    settings.AGNITIO_KEY_ENCRYPTION_KEY = B
    assert keystore.decrypt(made_with_b, purpose="p") == b"k2"
    with pytest.raises(keystore.KeyDecryptionError):
        keystore.decrypt(made_with_a, purpose="p")
    settings.AGNITIO_KEY_ENCRYPTION_KEY = A
    with pytest.raises(keystore.KeyDecryptionError):
        keystore.decrypt(made_with_b, purpose="p")


def test_the_older_setting_for_retired_secrets_still_works(secret_a, settings):
    token = keystore.encrypt(b"k", purpose="p")
    settings.AGNITIO_KEY_ENCRYPTION_KEY = B
    settings.AGNITIO_KEY_ENCRYPTION_OLD_KEYS = [A]
    assert keystore.decrypt(token, purpose="p") == b"k"
    assert keystore.decrypt(keystore.reencrypt(token, purpose="p"), purpose="p") == b"k"
    assert keystore.is_current(keystore.reencrypt(token, purpose="p"))


def test_no_secret_no_keys(settings):
    settings.AGNITIO_KEY_ENCRYPTION_KEY = " , "
    with pytest.raises(ImproperlyConfigured):
        keystore.encrypt(b"k", purpose="p")


def test_older_forms_still_open_only_where_they_were_used(secret_a):
    raw = os.urandom(32)
    agk1 = legacy_agk1(raw, secret=A, purpose="seal:ca:platform")
    assert keystore.decrypt(agk1, purpose="seal:ca:platform") == raw
    with pytest.raises(keystore.KeyDecryptionError):
        keystore.decrypt(agk1, purpose="seal:ca:other")
    issuer = legacy_issuer_token(raw, secret=A)
    assert keystore.decrypt(issuer, purpose="issuer-key") == raw
    with pytest.raises(keystore.KeyDecryptionError):  # the purpose-less form is accepted for issuer keys only
        keystore.decrypt(issuer, purpose="seal:org:abc")
    assert not keystore.is_current(agk1) and not keystore.is_current(issuer)
    converted = keystore.reencrypt(agk1, purpose="seal:ca:platform")
    assert keystore.is_current(converted) and keystore.decrypt(converted, purpose="seal:ca:platform") == raw


def test_every_key_row_kind_is_registered():
    assert {(f.model_label, f.field) for f in keystore.key_fields()} >= {
        ("credentials.IssuerKey", "private_key_encrypted"),
        ("documents.OrganisationSeal", "private_key_encrypted"),
        ("documents.SealAuthority", "private_key_encrypted")}


# --- rotation end to end ----------------------------------------------------------------------------------------

def _issue(owner, organisation, n: int):
    from agnitio.credentials.services import credential_issue
    from agnitio.documents.sample import youthpass_sample

    return credential_issue(
        actor=owner, organisation=organisation, kind="youthpass", holder_name=f"Holder {n}",
        holder_email=f"h{n}@example.org", achievement={"name": "Youthpass"}, languages=["en"],
        issued_on=datetime.date(2026, 11, 20), place="Rīga", pdf_data=youthpass_sample(images=False))


def _assert_sound(credential):
    from agnitio.credentials.verification import credential_verify_json
    from agnitio.documents.seal import pdf_seal_verify

    assert credential_verify_json(credential.credential).verified
    with credential.pdf.open("rb") as handle:
        check = pdf_seal_verify(pdf_bytes=handle.read())
    assert check.intact and check.trusted, check.errors


def _key_rows():
    from agnitio.credentials.models import IssuerKey
    from agnitio.documents.models import OrganisationSeal, SealAuthority

    return ([bytes(k.private_key_encrypted.encode()) for k in IssuerKey.objects.order_by("pk")]
            + [bytes(s.private_key_encrypted) for s in OrganisationSeal.objects.order_by("pk")]
            + [bytes(c.private_key_encrypted) for c in SealAuthority.objects.order_by("pk")])


def test_rotation_a_then_b_a_then_b_everything_still_signs_and_seals(secret_a, settings, owner, organisation, capsys):
    from agnitio.credentials.models import IssuerKey
    from agnitio.documents.models import OrganisationSeal, SealAuthority
    from agnitio.documents.services import seal_reset

    before = _issue(owner, organisation, 1)  # issuer key, platform CA and seal, all encrypted with A
    _assert_sound(before)
    # the organisation's issuer key (plus the platform's own DID key, made by a migration), CA and seal
    assert IssuerKey.objects.filter(organisation=organisation).count() == 1
    assert OrganisationSeal.objects.count() == SealAuthority.objects.count() == 1
    rows_with_a = _key_rows()

    settings.AGNITIO_KEY_ENCRYPTION_KEY = f"{B},{A}"  # B first: new rows use B; rows with A still open
    _forget_decrypted_keys()
    _assert_sound(_issue(owner, organisation, 2))
    call_command("keys_reencrypt")
    out = capsys.readouterr().out
    assert f"credentials.IssuerKey: re-encrypted {IssuerKey.objects.count()} key(s)." in out
    assert "documents.OrganisationSeal: re-encrypted 1 key(s)." in out
    assert "documents.SealAuthority: re-encrypted 1 key(s)." in out
    assert all(keystore.is_current(row) for row in _key_rows())
    assert not set(_key_rows()) & set(rows_with_a)
    assert AuditEvent.objects.filter(verb="key_reencrypt").count() == 3
    call_command("keys_reencrypt")  # again: nothing left to do
    assert "re-encrypted 0 key(s) in all" in capsys.readouterr().out.lower()

    settings.AGNITIO_KEY_ENCRYPTION_KEY = B  # A retired
    _forget_decrypted_keys()
    after = _issue(owner, organisation, 3)  # signs with the issuer key, seals with the organisation's seal key
    _assert_sound(after)
    _assert_sound(before)
    with pytest.raises(keystore.KeyDecryptionError):
        keystore.decrypt(rows_with_a[0], purpose="issuer-key")
    # the CA key opens with B too: a replaced seal gets its certificate from it
    seal_reset(actor=owner, organisation=organisation)
    _forget_decrypted_keys()
    _assert_sound(_issue(owner, organisation, 5))


def test_rows_from_an_earlier_version_open_and_are_converted(secret_a, owner, organisation, capsys):
    """A database written before the one key store: issuer key in the former Fernet form, seal and CA in AGK1."""
    from cryptography.hazmat.primitives.asymmetric import ec

    from agnitio.credentials.models import IssuerKey
    from agnitio.credentials.services import issuer_key_active
    from agnitio.documents.models import OrganisationSeal, SealAuthority
    from agnitio.documents.seal import platform_ca, seal_get_or_create

    before = _issue(owner, organisation, 1)
    key = issuer_key_active(organisation=organisation)
    raw = keystore.decrypt(key.private_key_encrypted, purpose="issuer-key")
    IssuerKey.objects.filter(pk=key.pk).update(private_key_encrypted=legacy_issuer_token(raw, secret=A))
    seal = seal_get_or_create(organisation=organisation)
    seal_der = keystore.decrypt(seal.private_key_encrypted, purpose=f"seal:org:{seal.fingerprint_sha256}")
    OrganisationSeal.objects.filter(pk=seal.pk).update(private_key_encrypted=legacy_agk1(
        seal_der, secret=A, purpose=f"seal:org:{seal.fingerprint_sha256}"))
    ca_der = platform_ca()[1].private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption())
    SealAuthority.objects.filter(name="platform").update(
        private_key_encrypted=legacy_agk1(ca_der, secret=A, purpose="seal:ca:platform"))
    assert not any(keystore.is_current(row) for row in _key_rows())

    _forget_decrypted_keys()
    _assert_sound(_issue(owner, organisation, 2))  # the earlier forms still work before the command runs
    call_command("keys_reencrypt")
    assert "Re-encrypted 3 key(s) in all" in capsys.readouterr().out
    assert all(keystore.is_current(row) for row in _key_rows())
    _forget_decrypted_keys()
    assert isinstance(platform_ca()[1], ec.EllipticCurvePrivateKey)
    _assert_sound(_issue(owner, organisation, 3))
    _assert_sound(before)


def test_a_row_that_no_secret_opens_stops_the_command_and_changes_nothing(secret_a, settings, owner, organisation):
    from agnitio.credentials.models import IssuerKey

    _issue(owner, organisation, 1)
    rows = _key_rows()
    settings.AGNITIO_KEY_ENCRYPTION_KEY = B  # A forgotten before re-encrypting
    with pytest.raises(keystore.KeyDecryptionError):
        call_command("keys_reencrypt")
    settings.AGNITIO_KEY_ENCRYPTION_KEY = A
    assert _key_rows() == rows and IssuerKey.objects.count() == 1
    assert not AuditEvent.objects.filter(verb="key_reencrypt").exists()
