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
