"""Credential numbers: `<PREFIX>-<YEAR>-<SEQUENCE>-<CHECK>`, e.g. `YP-2026-000123-7`.

The sequence comes from a per-kind-and-year counter row incremented in the database (`UPDATE ... SET value =
value + 1`, which holds the row lock until the allocating transaction commits; never "last + 1" read without a
lock). Issuing allocates in a short transaction of its own (`services.credential_allocate`), so the lock is held
for milliseconds, not while a PDF is made. Numbers are unique, not gapless: an issue that fails after allocating
leaves its number unused. The check digit is the Damm algorithm (python-stdnum) over year and sequence: it catches
every single-digit error and every adjacent transposition."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import F
from stdnum import damm

from .models import CredentialKind, NumberCounter

PREFIXES = {
    CredentialKind.YOUTHPASS: "YP",
    CredentialKind.EUROPASS_AGREEMENT: "EA",
    CredentialKind.EUROPASS_CERTIFICATE: "EM",
    CredentialKind.MICROCREDENTIAL: "MC",
}
NUMBER_RE = re.compile(r"^(?P<prefix>[A-Z]{2})-(?P<year>\d{4})-(?P<seq>\d{6,9})-(?P<check>\d)$")


def number_format(*, kind: str, year: int, sequence: int) -> str:
    digits = f"{year:04d}{sequence:06d}"
    return f"{PREFIXES[kind]}-{year:04d}-{sequence:06d}-{damm.calc_check_digit(digits)}"


def number_allocate(*, kind: str, year: int) -> str:
    """Next number for kind/year. The row stays locked until the caller's transaction commits: keep it short."""
    counter = NumberCounter.objects.filter(kind=kind, year=year)
    with transaction.atomic():
        if not counter.update(value=F("value") + 1):  # the first number of a kind and year
            NumberCounter.objects.get_or_create(kind=kind, year=year)
            counter.update(value=F("value") + 1)
        value = counter.values_list("value", flat=True).get()
    return number_format(kind=kind, year=year, sequence=value)


def number_normalise(value: str) -> str:
    """Upper-case, trim, turn spaces and other dashes into '-'."""
    value = re.sub(r"[\s\u2010-\u2015_]+", "-", (value or "").strip().upper()).strip("-")
    return re.sub(r"-+", "-", value)


def number_is_valid(value: str) -> bool:
    """Right shape and check digit (does not say whether it was issued)."""
    match = NUMBER_RE.match(value)
    if not match or match["prefix"] not in PREFIXES.values():
        return False
    return damm.is_valid(match["year"] + match["seq"] + match["check"])


# ------------------------------------------------------------------------------------------- look-up codes
#
# The key printed on documents and in QR codes (`/verify/<code>`, `/api/v1/verify/<code>`) is random, so nobody can
# walk through the register: 15 Crockford base32 symbols (75 bits from `secrets`) and one check symbol, in groups of
# four, e.g. `7K3M-Q9TZ-2HWA-XR4F`. The check symbol is Damm's algorithm over the quasigroup x∘y = 2x + y in
# GF(32): it catches every single-symbol error and every swap of two adjacent symbols. Reading is tolerant: case,
# spaces, hyphens and dashes do not matter, O reads as 0 and I/L as 1 (Crockford's rules).

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_RANDOM_SYMBOLS = 15
CODE_LENGTH = CODE_RANDOM_SYMBOLS + 1
CODE_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")
_GF32_POLY = 0b100101  # x^5 + x^2 + 1, irreducible over GF(2)
_CODE_READ = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _gf32_double(value: int) -> int:
    value <<= 1
    return value ^ _GF32_POLY if value & 0b100000 else value


def _code_interim(values) -> int:
    interim = 0
    for value in values:
        interim = _gf32_double(interim) ^ value  # interim ∘ value = 2·interim + value (addition is XOR)
    return interim


def code_check_symbol(symbols: str) -> str:
    """The symbol that brings Damm's interim value to 0: interim ∘ c = 0 ⇔ c = 2·interim."""
    return CODE_ALPHABET[_gf32_double(_code_interim(CODE_ALPHABET.index(s) for s in symbols))]


def code_format(symbols: str) -> str:
    """16 symbols → `XXXX-XXXX-XXXX-XXXX`."""
    return "-".join(symbols[i:i + 4] for i in range(0, len(symbols), 4))


def code_generate() -> str:
    """A new random look-up code (with its check symbol), formatted."""
    import secrets

    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_RANDOM_SYMBOLS))
    return code_format(body + code_check_symbol(body))


def code_normalise(value: str) -> str | None:
    """The canonical form of a typed or scanned code, or None when it is not one (wrong length, symbol or check)."""
    if not isinstance(value, str) or len(value) > 64:
        return None
    compact = re.sub(r"[\s\-\u2010-\u2015_.]+", "", value).upper().translate(_CODE_READ)
    if len(compact) != CODE_LENGTH or any(s not in CODE_ALPHABET for s in compact):
        return None
    if _code_interim(CODE_ALPHABET.index(s) for s in compact) != 0:
        return None
    return code_format(compact)


def looks_like_number(value: str) -> bool:
    """A register number (old documents printed it in their QR code), which never opens a public page."""
    return bool(NUMBER_RE.match(number_normalise(value if isinstance(value, str) else "")[:40]))
