"""Credential numbers: `<PREFIX>-<YEAR>-<SEQUENCE>-<CHECK>`, e.g. `YP-2026-000123-7`.

Where the sequence comes from depends on the database:

- **PostgreSQL**: `nextval()` of a database sequence per kind and year (`agnitio_number_<prefix>_<year>`, e.g.
  `agnitio_number_ea_2026`). A sequence takes no lock another allocation waits for, so concurrent approvals and
  issues of one kind never queue behind each other, whatever transaction they allocate in. The sequence of a kind
  and year is made at its first allocation, in a transaction of its own on a second connection (so it is visible
  to everyone at once, even when the caller's transaction stays open), under a transaction-level advisory lock
  taken only there (two first allocations at once make it once). When a `NumberCounter` row of that kind and year
  exists (numbers handed out before the sequences, or on a database moved from the counter), the sequence starts
  after its value, so no number is ever handed out twice.
- **SQLite** (development; one writer at a time anyway): the per-kind-and-year `NumberCounter` row, incremented in
  the database (`UPDATE ... SET value = value + 1`, never "last + 1" read without a lock) inside the caller's
  transaction.

Numbers are unique, not gapless: `nextval()` is never rolled back, and an issue that fails after allocating leaves
its number unused. The check digit is the Damm algorithm (python-stdnum) over year and sequence: it catches every
single-digit error and every adjacent transposition."""

from __future__ import annotations

import re
import zlib

from django.db import connection, transaction
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
SEQUENCE_PREFIX = "agnitio_number_"
SEQUENCE_MAX = 999_999_999  # the longest sequence part NUMBER_RE reads (9 digits)
_ADVISORY_LOCK_CLASS = 0x4E554D42  # "NUMB": the first key of the creation path's advisory lock


def number_format(*, kind: str, year: int, sequence: int) -> str:
    digits = f"{year:04d}{sequence:06d}"
    return f"{PREFIXES[kind]}-{year:04d}-{sequence:06d}-{damm.calc_check_digit(digits)}"


def _uses_sequences() -> bool:
    return connection.vendor == "postgresql"


def _checked(kind: str, year: int) -> int:
    """The year as an integer of four digits; KeyError for a kind without a prefix."""
    PREFIXES[kind]  # noqa: B018 - KeyError for an unknown kind
    year = int(year)
    if not 1 <= year <= 9999:
        raise ValueError(f"year out of range: {year}")
    return year


def sequence_name(*, kind: str, year: int) -> str:
    """The PostgreSQL sequence of kind/year. Made only from the fixed prefixes and an integer year (never from
    anything a user typed), so it can be written into DDL."""
    return f"{SEQUENCE_PREFIX}{PREFIXES[kind].lower()}_{_checked(kind, year):04d}"


def _sequence_create(*, kind: str, year: int, name: str) -> None:
    """Make kind/year's sequence unless it exists, committed at once on a connection of its own, starting after
    the kind/year's counter row if there is one (the numbers handed out before the sequences).

    Another connection, because the caller may be inside a transaction that stays open (an approval writing its
    documents): a sequence made there would be invisible to everyone else until that commit, and another first
    allocation would wait for it. The advisory lock (transaction-level, this short transaction only) makes two
    creators take turns; the second one finds the sequence and leaves."""
    counted = NumberCounter.objects.filter(kind=kind, year=year).values_list("value", flat=True).first() or 0
    side = connection.copy()  # a second connection to the same database, closed below
    try:
        side.set_autocommit(False)
        with side.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)",
                           [_ADVISORY_LOCK_CLASS, zlib.crc32(name.encode()) - 2**31])
            cursor.execute("SELECT 1 FROM pg_catalog.pg_class WHERE relname = %s "
                           "AND relnamespace = current_schema()::regnamespace", [name])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE SEQUENCE {side.ops.quote_name(name)} AS bigint "
                               f"START WITH {int(counted) + 1:d} MINVALUE 1 MAXVALUE {SEQUENCE_MAX:d} NO CYCLE")
        side.commit()
    finally:
        side.close()


# The sequence is found in pg_class with the statement's snapshot, not by name through `to_regclass` or a
# `'name'::regclass` cast: those read the backend's catalogue cache, which inside an open transaction may still
# remember that the name did not exist after another connection made it. No row: no error, no aborted transaction.
_NEXTVAL = ("SELECT nextval(c.oid::regclass) FROM pg_catalog.pg_class c "
            "WHERE c.relkind = 'S' AND c.relname = %s AND c.relnamespace = current_schema()::regnamespace")


def _sequence_next(*, kind: str, year: int) -> int:
    name = sequence_name(kind=kind, year=year)
    with connection.cursor() as cursor:
        cursor.execute(_NEXTVAL, [name])
        row = cursor.fetchone()
        if row is None:
            _sequence_create(kind=kind, year=year, name=name)
            cursor.execute(_NEXTVAL, [name])
            row = cursor.fetchone()
    if row is None:
        raise RuntimeError(f"the number sequence {name} was not made")
    return int(row[0])


def _counter_next(*, kind: str, year: int) -> int:
    counter = NumberCounter.objects.filter(kind=kind, year=year)
    with transaction.atomic():
        if not counter.update(value=F("value") + 1):  # the first number of a kind and year
            NumberCounter.objects.get_or_create(kind=kind, year=year)
            counter.update(value=F("value") + 1)
        return counter.values_list("value", flat=True).get()


def number_allocate(*, kind: str, year: int) -> str:
    """Next number for kind/year. On PostgreSQL nothing is held after it returns; on SQLite the counter row is
    written in the caller's transaction (SQLite has one writer anyway)."""
    year = _checked(kind, year)
    sequence = _sequence_next(kind=kind, year=year) if _uses_sequences() else _counter_next(kind=kind, year=year)
    return number_format(kind=kind, year=year, sequence=sequence)


def number_last(*, kind: str, year: int) -> int:
    """The sequence part of the last number handed out for kind/year (0 when none): for checks, not allocation."""
    counted = NumberCounter.objects.filter(kind=kind, year=year).values_list("value", flat=True).first() or 0
    if not _uses_sequences():
        return counted
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value, start_value FROM pg_sequences "
                       "WHERE schemaname = current_schema() AND sequencename = %s",
                       [sequence_name(kind=kind, year=year)])
        row = cursor.fetchone()
    if row is None:  # no number of kind/year since the sequences: the counter's, if any
        return counted
    last_value, start_value = row
    return int(last_value) if last_value is not None else int(start_value) - 1  # None: made, none taken yet


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
_CODE_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_.]+")
_CODE_VALUES = {symbol: value for value, symbol in enumerate(CODE_ALPHABET)}  # every public look-up reads it


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
    compact = _CODE_SEPARATORS.sub("", value).upper().translate(_CODE_READ)
    if len(compact) != CODE_LENGTH or not all(s in _CODE_VALUES for s in compact):
        return None
    if _code_interim(_CODE_VALUES[s] for s in compact) != 0:
        return None
    return code_format(compact)


def looks_like_number(value: str) -> bool:
    """A register number (old documents printed it in their QR code), which never opens a public page."""
    return bool(NUMBER_RE.match(number_normalise(value if isinstance(value, str) else "")[:40]))
