"""The one key store: every private key the platform keeps (issuer signing keys, organisation seal keys, the
platform seal CA) is encrypted at rest here, one way.

Encryption: Fernet (AES-128-CBC + HMAC-SHA256) through `MultiFernet`, with one Fernet key derived (HKDF-SHA256)
from each secret in `AGNITIO_KEY_ENCRYPTION_KEY`. That setting may list several secrets separated by commas: the
first encrypts, all decrypt (so do those in the older `AGNITIO_KEY_ENCRYPTION_OLD_KEYS`, kept for compatibility).
The plaintext carries the key's *purpose* (e.g. `seal:org:<certificate fingerprint>`), checked on decryption, so a
blob copied into another row is refused.

Rotating the environment key (see README.md):
  1. `AGNITIO_KEY_ENCRYPTION_KEY="B,A"` (new first, old after) and restart: new rows use B, old ones still open;
  2. `manage.py keys_reencrypt` re-encrypts every registered key row with B;
  3. `AGNITIO_KEY_ENCRYPTION_KEY="B"`: A is retired.

Older forms are still read, and `keys_reencrypt` turns them into this one: issuer keys as a Fernet token of the raw
key under the "agnitio issuer keys v1" derivation (no purpose inside), seal and CA keys as "AGK1" AES-256-GCM blobs
with the purpose as associated data.

Apps register the model fields that hold encrypted keys (`key_field_register`, in their AppConfig.ready) so the
command finds every one of them.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_INFO = b"agnitio key store v1"
_ENVELOPE = b"agnitio-key:"  # plaintext = _ENVELOPE + purpose + b"\0" + key bytes


class KeyDecryptionError(ImproperlyConfigured):
    """No configured secret opens this blob (or it was made for another purpose)."""


def _as_list(value) -> list[str]:
    if not value:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [item.strip() for item in items if item and item.strip()]


def secrets_configured() -> list[str]:
    """The secrets, newest first: `AGNITIO_KEY_ENCRYPTION_KEY` (comma-separated) then `..._OLD_KEYS`."""
    current = _as_list(getattr(settings, "AGNITIO_KEY_ENCRYPTION_KEY", ""))
    if not current:
        raise ImproperlyConfigured("Set AGNITIO_KEY_ENCRYPTION_KEY: it encrypts private keys at rest.")
    old = _as_list(getattr(settings, "AGNITIO_KEY_ENCRYPTION_OLD_KEYS", []))
    return list(dict.fromkeys([*current, *old]))


def _hkdf(secret: str, *, salt: bytes | None, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(secret.encode())


@cache
def _multifernet(secrets: tuple[str, ...], info: bytes) -> MultiFernet:
    return MultiFernet([Fernet(base64.urlsafe_b64encode(_hkdf(s, salt=None, info=info))) for s in secrets])


def _current() -> MultiFernet:
    return _multifernet(tuple(secrets_configured()), _INFO)


def _purpose_bytes(purpose: str) -> bytes:
    data = purpose.encode()
    if not data or b"\0" in data:
        raise ValueError("A key's purpose is a non-empty string without NUL.")
    return data


def encrypt(plaintext: bytes, *, purpose: str) -> bytes:
    """Encrypt a private key with the newest secret. Returns an ASCII Fernet token (bytes)."""
    return _current().encrypt(_ENVELOPE + _purpose_bytes(purpose) + b"\0" + bytes(plaintext))


# --- older forms (read only) --------------------------------------------------------------------------------------

_LEGACY_ISSUER_INFO = b"agnitio issuer keys v1"
LEGACY_ISSUER_PURPOSE = "issuer-key"  # the legacy Fernet form is accepted only for issuer keys
_LEGACY_AGK1 = b"AGK1"


def _legacy_agk1_decrypt(blob: bytes, *, purpose: str) -> bytes:
    key_id, nonce, ciphertext = blob[4:12], blob[12:24], blob[24:]
    for secret in secrets_configured():
        key = _hkdf(secret, salt=b"agnitio", info=b"agnitio private keys at rest v1")
        if hashlib.sha256(b"key-id" + key).digest()[:8] == key_id:
            try:
                return AESGCM(key).decrypt(nonce, ciphertext, purpose.encode())
            except InvalidTag as exc:
                raise KeyDecryptionError("The key blob was made for another purpose or is damaged.") from exc
    raise KeyDecryptionError("None of the secrets in AGNITIO_KEY_ENCRYPTION_KEY encrypted this key.")


def _legacy_issuer_decrypt(token: bytes) -> bytes:
    try:
        return _multifernet(tuple(secrets_configured()), _LEGACY_ISSUER_INFO).decrypt(token)
    except InvalidToken as exc:
        raise KeyDecryptionError("None of the secrets in AGNITIO_KEY_ENCRYPTION_KEY encrypted this key.") from exc


# --- reading ------------------------------------------------------------------------------------------------------

def _as_bytes(blob) -> bytes:
    return blob.encode() if isinstance(blob, str) else bytes(blob)


def decrypt(blob, *, purpose: str) -> bytes:
    """The private key in `blob` (bytes, memoryview or str), in this form or an older one."""
    blob = _as_bytes(blob)
    if blob.startswith(_LEGACY_AGK1):
        return _legacy_agk1_decrypt(blob, purpose=purpose)
    try:
        plaintext = _current().decrypt(blob)
    except InvalidToken:
        if purpose.startswith(LEGACY_ISSUER_PURPOSE):
            return _legacy_issuer_decrypt(blob)
        raise KeyDecryptionError(
            "None of the secrets in AGNITIO_KEY_ENCRYPTION_KEY (or AGNITIO_KEY_ENCRYPTION_OLD_KEYS) encrypted this "
            "key.") from None
    expected = _ENVELOPE + _purpose_bytes(purpose) + b"\0"
    if not plaintext.startswith(expected):
        raise KeyDecryptionError("The key blob was made for another purpose.")
    return plaintext[len(expected):]


def is_current(blob) -> bool:
    """Whether `blob` is in this form and encrypted with the newest secret (nothing to re-encrypt)."""
    blob = _as_bytes(blob)
    if blob.startswith(_LEGACY_AGK1):
        return False
    newest = Fernet(base64.urlsafe_b64encode(_hkdf(secrets_configured()[0], salt=None, info=_INFO)))
    try:
        newest.decrypt(blob)
    except InvalidToken:
        return False
    return True


def reencrypt(blob, *, purpose: str) -> bytes:
    """The same key encrypted with the newest secret, in this form (after a rotation or from an older form)."""
    return encrypt(decrypt(blob, purpose=purpose), purpose=purpose)


# --- the rows that hold keys ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class KeyField:
    model_label: str  # "app_label.Model"
    field: str
    purpose: Callable  # row -> purpose string


_KEY_FIELDS: dict[tuple[str, str], KeyField] = {}


def key_field_register(model_label: str, *, field: str, purpose: Callable) -> None:
    """Declare that `model_label.field` holds keys encrypted here (for `keys_reencrypt`)."""
    _KEY_FIELDS[(model_label, field)] = KeyField(model_label=model_label, field=field, purpose=purpose)


def key_fields() -> list[KeyField]:
    return list(_KEY_FIELDS.values())


def key_rows_reencrypt(*, actor=None) -> dict[str, int]:
    """Re-encrypt every registered key row with the newest secret (and into this form). Returns, per model, how
    many rows were rewritten; rows already current are left alone. Audited per row."""
    from django.apps import apps
    from django.db import models, transaction

    from .services import audit_record

    counts: dict[str, int] = {}
    with transaction.atomic():  # all or nothing: a row no secret opens stops the command before anything changes
        for key_field in key_fields():
            model = apps.get_model(key_field.model_label)
            binary = isinstance(model._meta.get_field(key_field.field), models.BinaryField)
            has_updated_at = any(f.name == "updated_at" for f in model._meta.fields)
            counts[key_field.model_label] = 0
            for row in model.objects.select_for_update().order_by("pk"):
                stored = getattr(row, key_field.field)
                purpose = key_field.purpose(row)
                if is_current(stored):
                    decrypt(stored, purpose=purpose)  # still check that it opens
                    continue
                token = reencrypt(stored, purpose=purpose)
                setattr(row, key_field.field, token if binary else token.decode())
                row.save(update_fields=[key_field.field, *(["updated_at"] if has_updated_at else [])])
                audit_record(actor=actor, action="update", target=row,
                             organisation=getattr(row, "organisation", None), verb="key_reencrypt")
                counts[key_field.model_label] += 1
    return counts
