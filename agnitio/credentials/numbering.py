"""Credential numbers: `<PREFIX>-<YEAR>-<SEQUENCE>-<CHECK>`, e.g. `YP-2026-000123-7`.

The sequence comes from a per-kind-and-year counter row taken with `select_for_update` (never "last + 1" read
without a lock). The check digit is the Damm algorithm (python-stdnum) over year and sequence: it catches every
single-digit error and every adjacent transposition."""

from __future__ import annotations

import re

from django.db import transaction
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
    """Next number for kind/year. Must run inside the caller's transaction, which holds the row lock until commit."""
    with transaction.atomic():
        NumberCounter.objects.get_or_create(kind=kind, year=year)
        counter = NumberCounter.objects.select_for_update().get(kind=kind, year=year)
        counter.value += 1
        counter.save(update_fields=["value"])
    return number_format(kind=kind, year=year, sequence=counter.value)


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
