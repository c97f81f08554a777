"""Ed25519 issuer keys: Multikey encoding (multicodec ed25519-pub 0xed01, multibase base58btc) and encryption at
rest through the platform's one key store (`agnitio.core.keystore`: MultiFernet over secrets from
`AGNITIO_KEY_ENCRYPTION_KEY`; rotate with `manage.py keys_reencrypt`). A decrypted key is checked against the
row's public key, so a private key copied into another row is refused."""

from __future__ import annotations

from functools import cache

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from agnitio.core import keystore
from agnitio.core.keystore import KeyDecryptionError

ED25519_PUB_PREFIX = b"\xed\x01"
PURPOSE = keystore.LEGACY_ISSUER_PURPOSE  # "issuer-key"


def encrypt_private_key(private_key: Ed25519PrivateKey) -> str:
    return keystore.encrypt(private_key.private_bytes_raw(), purpose=PURPOSE).decode()


def decrypt_private_key(token: str, *, expected_public_key: str | None = None) -> Ed25519PrivateKey:
    """The private key; given the row's public key (Multikey), it must be the private key of that public key."""
    private_key = Ed25519PrivateKey.from_private_bytes(keystore.decrypt(token, purpose=PURPOSE))
    if expected_public_key is not None and public_key_multibase(private_key.public_key()) != expected_public_key:
        raise KeyDecryptionError("The stored private key does not belong to this issuer key's public key.")
    return private_key


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
