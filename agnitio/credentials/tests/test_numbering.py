"""Numbers (point 2): unique, human-friendly, Damm check digit; no duplicates with 16 parallel issuers."""

import datetime
import threading

import pytest
from django.db import connection

from agnitio.credentials.models import IssuedCredential, NumberCounter
from agnitio.credentials.numbering import NUMBER_RE, number_allocate, number_format, number_is_valid, number_normalise


def test_format_and_check_digit():
    number = number_format(kind="youthpass", year=2026, sequence=123)
    assert NUMBER_RE.match(number) and number.startswith("YP-2026-000123-")
    assert number_is_valid(number)
    assert number_format(kind="microcredential", year=2026, sequence=1).startswith("MC-2026-000001-")
    assert number_format(kind="europass_certificate", year=2026, sequence=1).startswith("EM-2026-")


def _digit_positions(number: str) -> list[int]:
    return [i for i, ch in enumerate(number) if ch.isdigit()]


@pytest.mark.parametrize("sequence", [1, 123, 98765, 500000])
def test_check_digit_catches_every_single_digit_error_and_adjacent_transposition(sequence):
    number = number_format(kind="youthpass", year=2026, sequence=sequence)
    positions = _digit_positions(number)
    for pos in positions:
        for digit in "0123456789":
            if digit != number[pos]:
                typo = number[:pos] + digit + number[pos + 1:]
                assert not number_is_valid(typo), typo
    for a, b in zip(positions, positions[1:], strict=False):
        if b == a + 1 and number[a] != number[b]:
            swapped = number[:a] + number[b] + number[a] + number[b + 1:]
            assert not number_is_valid(swapped), swapped


def test_normalise_accepts_what_people_type():
    number = number_format(kind="youthpass", year=2026, sequence=7)
    assert number_normalise(" " + number.lower().replace("-", " ") + " ") == number
    assert number_normalise(number.replace("-", "–")) == number
    assert not number_is_valid("XX-2026-000007-0")


def test_allocation_is_sequential_per_kind_and_year(db):
    first = number_allocate(kind="youthpass", year=2026)
    second = number_allocate(kind="youthpass", year=2026)
    other = number_allocate(kind="microcredential", year=2026)
    next_year = number_allocate(kind="youthpass", year=2027)
    assert first.split("-")[2] == "000001" and second.split("-")[2] == "000002"
    assert other.split("-")[2] == "000001" and next_year.split("-")[2] == "000001"
    assert NumberCounter.objects.get(kind="youthpass", year=2026).value == 2


@pytest.mark.django_db(transaction=True)
def test_sixteen_parallel_issuers_get_distinct_numbers(owner, organisation, achievement):
    """Real concurrency: 16 threads, each with its own database connection, issue at the same moment (row locks
    on PostgreSQL; on SQLite one short write transaction at a time, see test_parallel_issuing.py)."""
    from agnitio.credentials.services import credential_issue, issuer_key_active

    issuer_key_active(organisation=organisation)
    barrier = threading.Barrier(16)
    numbers, errors = [], []

    def worker(i):
        try:
            barrier.wait(timeout=30)
            for _ in range(3):
                credential = credential_issue(
                    actor=owner, organisation=organisation, kind="youthpass", holder_name=f"Holder {i}",
                    holder_email=f"h{i}@example.org", achievement=achievement, languages=["en"],
                    issued_on=datetime.date(2026, 11, 20), place="Rīga")
                numbers.append(credential.number)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(numbers) == 48 and len(set(numbers)) == 48
    assert sorted(int(n.split("-")[2]) for n in numbers) == list(range(1, 49))
    assert IssuedCredential.objects.count() == 48
    indexes = list(IssuedCredential.objects.values_list("status_index", flat=True))
    assert len(set(indexes)) == 48  # distinct; random positions (herd privacy), not 0..47
    assert IssuedCredential.objects.values("code").distinct().count() == 48
