"""Ed25519 issuer keys: Multikey encoding (multicodec ed25519-pub 0xed01, multibase base58btc) and encryption at
rest with Fernet keys derived (HKDF-SHA256) from `settings.AGNITIO_KEY_ENCRYPTION_KEY` (writes) and
`AGNITIO_KEY_ENCRYPTION_OLD_KEYS` (still readable). To rotate the environment key: move the old value to
`AGNITIO_KEY_ENCRYPTION_OLD_KEYS`, set the new one, run `manage.py issuer_keys_reencrypt`, then drop the old."""

from __future__ import annotations

import base64
from functools import cache

import base58
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ED25519_PUB_PREFIX = b"\xed\x01"


def _derive(secret: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"agnitio issuer keys v1").derive(
        secret.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


@cache
def _fernet(secret: str, old: tuple[str, ...] = ()) -> MultiFernet:
    """Encrypts with the current key; also decrypts what older keys (AGNITIO_KEY_ENCRYPTION_OLD_KEYS) encrypted."""
    if not secret:
        raise ImproperlyConfigured("AGNITIO_KEY_ENCRYPTION_KEY is not set: issuer keys cannot be encrypted at rest.")
    return MultiFernet([_derive(secret), *(_derive(o) for o in old if o)])


def _current() -> MultiFernet:
    return _fernet(settings.AGNITIO_KEY_ENCRYPTION_KEY,
                   tuple(getattr(settings, "AGNITIO_KEY_ENCRYPTION_OLD_KEYS", []) or []))


def encrypt_private_key(private_key: Ed25519PrivateKey) -> str:
    raw = private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return _current().encrypt(raw).decode()


def decrypt_private_key(token: str) -> Ed25519PrivateKey:
    try:
        raw = _current().decrypt(token.encode())
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An issuer key cannot be decrypted: neither AGNITIO_KEY_ENCRYPTION_KEY nor any of "
            "AGNITIO_KEY_ENCRYPTION_OLD_KEYS is the key it was stored with."
        ) from exc
    return Ed25519PrivateKey.from_private_bytes(raw)


def reencrypt_private_key(token: str) -> str:
    """The same private key encrypted with the current environment key (after rotating it)."""
    try:
        return _current().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured("An issuer key cannot be decrypted with the configured keys.") from exc


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58.b58encode(ED25519_PUB_PREFIX + raw).decode()


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    if not value.startswith("z"):
        raise ValueError("Only base58btc ('z') multibase public keys are supported.")
    data = base58.b58decode(value[1:])
    if len(data) != 34 or not data.startswith(ED25519_PUB_PREFIX):
        raise ValueError("Not an Ed25519 Multikey.")
    return _public_key(data[2:])


@cache
def _public_key(raw: bytes) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(raw)


def new_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()
