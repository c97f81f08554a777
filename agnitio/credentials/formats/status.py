"""Bitstring Status List (W3C): the bitstring, its encoding and the unsigned list credential."""

from __future__ import annotations

import base64
import gzip

from ..signing.loader import VC_V2

MIN_BITS = 131072  # 16 KiB, the spec's minimum for herd privacy


def bit_get(bits: bytes | bytearray, index: int) -> bool:
    # Index 0 is the left-most (most significant) bit of the first byte.
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def bit_set(bits: bytes, index: int, value: bool) -> bytes:
    data = bytearray(bits)
    if value:
        data[index // 8] |= 0x80 >> (index % 8)
    else:
        data[index // 8] &= ~(0x80 >> (index % 8)) & 0xFF
    return bytes(data)


def encode_list(bits: bytes) -> str:
    """GZIP, then base64url without padding, multibase prefix 'u'."""
    return "u" + base64.urlsafe_b64encode(gzip.compress(bits, mtime=0)).decode().rstrip("=")


def decode_list(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url ('u').")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def status_list_credential(*, url: str, issuer: str, purpose: str, bits: bytes, valid_from: str) -> dict:
    return {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode_list(bits),
        },
    }


def status_entry(*, url: str, purpose: str, index: int) -> dict:
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": url,
    }
