"""Private keys at rest: AES-256-GCM with a key derived (HKDF-SHA256) from `AGNITIO_KEY_ENCRYPTION_KEY`.

Blob layout: b"AGK1" + 8-byte key id + 12-byte nonce + ciphertext-with-tag. The key id (first bytes of a hash of
the derived key) says which environment key encrypted a blob, so the key can be rotated: put the old value in
`AGNITIO_KEY_ENCRYPTION_OLD_KEYS`, set the new one, and run `key_reencrypt` style re-encryption with
`reencrypt()`; old blobs stay readable meanwhile.
"""

from __future__ import annotations

import hashlib
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_MAGIC = b"AGK1"
_INFO = b"agnitio private keys at rest v1"


def _derive(secret: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"agnitio", info=_INFO).derive(secret.encode())


def _key_id(key: bytes) -> bytes:
    return hashlib.sha256(b"key-id" + key).digest()[:8]


def _keys() -> list[bytes]:
    current = getattr(settings, "AGNITIO_KEY_ENCRYPTION_KEY", "")
    if not current:
        raise ImproperlyConfigured("Set AGNITIO_KEY_ENCRYPTION_KEY to encrypt private keys at rest.")
    old = getattr(settings, "AGNITIO_KEY_ENCRYPTION_OLD_KEYS", []) or []
    return [_derive(s) for s in [current, *old]]


def encrypt(plaintext: bytes, *, purpose: str) -> bytes:
    """Encrypt with the current key. `purpose` is bound as associated data (a blob can't be reused elsewhere)."""
    key = _keys()[0]
    nonce = os.urandom(12)
    return _MAGIC + _key_id(key) + nonce + AESGCM(key).encrypt(nonce, plaintext, purpose.encode())


def decrypt(blob: bytes, *, purpose: str) -> bytes:
    blob = bytes(blob)
    if not blob.startswith(_MAGIC):
        raise ValueError("Not an encrypted key blob.")
    key_id, nonce, ciphertext = blob[4:12], blob[12:24], blob[24:]
    for key in _keys():
        if _key_id(key) == key_id:
            return AESGCM(key).decrypt(nonce, ciphertext, purpose.encode())
    raise ValueError("The key that encrypted this blob is not configured (AGNITIO_KEY_ENCRYPTION_OLD_KEYS).")


def reencrypt(blob: bytes, *, purpose: str) -> bytes:
    """Re-encrypt a blob with the current key (key rotation)."""
    return encrypt(decrypt(blob, purpose=purpose), purpose=purpose)
