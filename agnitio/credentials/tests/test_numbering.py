"""Numbers (point 2): unique, human-friendly, Damm check digit; no duplicates with 16 parallel issuers.

On PostgreSQL a number is `nextval()` of a sequence per kind and year (issue 12 point 4: no shared lock): the
threaded tests below show that an allocation inside an open transaction holds nothing another one waits for, that
first allocations at once make one sequence, and that a sequence starts after an existing counter row. On SQLite
the counter row (one writer at a time) keeps the same numbers."""

import datetime
import threading

import pytest
from django.db import connection, transaction

from agnitio.credentials.models import IssuedCredential, NumberCounter
from agnitio.credentials.numbering import (
    NUMBER_RE,
    number_allocate,
    number_format,
    number_is_valid,
    number_last,
    number_normalise,
    sequence_name,
)

# Run in the PostgreSQL half of `make test` only (deselected on SQLite: root conftest).
postgresql_only = pytest.mark.postgresql_only


def _sequence(number: str) -> int:
    return int(number.split("-")[2])


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
    assert number_last(kind="youthpass", year=2026) == 2 and number_last(kind="youthpass", year=2028) == 0
    assert all(number_is_valid(n) for n in (first, second, other, next_year))
    if connection.vendor == "postgresql":  # the counter rows are no longer written
        assert not NumberCounter.objects.exists()
        assert sequence_name(kind="europass_agreement", year=2026) == "agnitio_number_ea_2026"
    else:
        assert NumberCounter.objects.get(kind="youthpass", year=2026).value == 2


@pytest.mark.parametrize(("kind", "year"), [("youthpass'; DROP TABLE x; --", 2026), ("diploma", 2026),
                                            ("youthpass", "2026; DROP TABLE x"), ("youthpass", 0),
                                            ("youthpass", 10000)])
def test_a_sequence_is_named_only_from_the_whitelist(db, kind, year):
    with pytest.raises((KeyError, ValueError)):
        number_allocate(kind=kind, year=year)


@pytest.mark.django_db(transaction=True)
def test_numbers_handed_out_before_continue_above_the_counter_row():
    """A kind and year numbered by the counter row before (the database before this change, or moved from
    SQLite): the first number after is above the row's value, never one handed out again."""
    NumberCounter.objects.create(kind="europass_agreement", year=2026, value=41)
    NumberCounter.objects.create(kind="youthpass", year=2026, value=7)
    assert number_last(kind="europass_agreement", year=2026) == 41
    assert [_sequence(number_allocate(kind="europass_agreement", year=2026)) for _ in range(3)] == [42, 43, 44]
    assert number_last(kind="europass_agreement", year=2026) == 44
    assert _sequence(number_allocate(kind="youthpass", year=2026)) == 8
    assert _sequence(number_allocate(kind="europass_agreement", year=2027)) == 1  # no row: from 1


@pytest.mark.django_db(transaction=True)
def test_a_number_taken_in_a_rolled_back_transaction_is_not_reused():
    """Unique, not gapless: on PostgreSQL `nextval()` is not rolled back; on SQLite the counter row is, and the
    number was never used."""
    first = number_allocate(kind="youthpass", year=2026)
    with pytest.raises(RuntimeError), transaction.atomic():
        inside = number_allocate(kind="youthpass", year=2026)
        raise RuntimeError("the approval failed")
    after = number_allocate(kind="youthpass", year=2026)
    assert len({first, after}) == 2 and _sequence(after) > _sequence(first)
    if connection.vendor == "postgresql":
        assert after != inside and _sequence(after) == 3


@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("sequence_exists", [False, True])
def test_an_open_allocation_does_not_block_another(sequence_exists):
    """Thread 1 allocates inside a transaction and keeps it open; thread 2 allocates the same kind and year and
    finishes at once (before the change it waited on the counter row until thread 1 committed). Also when thread
    1's allocation is the year's first and makes the sequence."""
    if sequence_exists:
        number_allocate(kind="europass_agreement", year=2026)
    allocated, release = threading.Event(), threading.Event()
    result: dict = {}

    def holder() -> None:
        try:
            with transaction.atomic():
                result["holder"] = number_allocate(kind="europass_agreement", year=2026)
                allocated.set()
                assert release.wait(timeout=60)
        except Exception as exc:  # noqa: BLE001 - reported below
            result["holder_error"] = exc
        finally:
            allocated.set()
            connection.close()

    def other() -> None:
        try:
            with transaction.atomic():
                result["other"] = number_allocate(kind="europass_agreement", year=2026)
        except Exception as exc:  # noqa: BLE001 - reported below
            result["other_error"] = exc
        finally:
            connection.close()

    first = threading.Thread(target=holder)
    second = threading.Thread(target=other)
    first.start()
    try:
        assert allocated.wait(timeout=30) and "holder_error" not in result, result
        second.start()
        second.join(timeout=5)
        blocked = second.is_alive()
    finally:
        release.set()
        first.join(timeout=60)
        second.join(timeout=60)
    assert not blocked, "the second allocation waited for the first transaction"
    assert "holder_error" not in result and "other_error" not in result, result
    offset = 1 if sequence_exists else 0
    assert [_sequence(result["holder"]), _sequence(result["other"])] == [1 + offset, 2 + offset]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_first_allocations_at_once_make_one_sequence_and_no_duplicate():
    """Eight threads take the first numbers of a kind and year at the same moment, each in a transaction of its own
    that stays open until all have allocated: the sequence is made once, nobody fails or waits, no duplicate."""
    count = 8
    barrier, done = threading.Barrier(count), threading.Barrier(count)
    numbers: list[str] = []
    errors: list[str] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=30)
            with transaction.atomic():
                numbers.extend(number_allocate(kind="microcredential", year=2030) for _ in range(3))
                done.wait(timeout=30)  # every transaction still open while the others allocate
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert errors == [] and not any(t.is_alive() for t in threads)
    assert sorted(_sequence(n) for n in numbers) == list(range(1, 3 * count + 1))
    assert all(number_is_valid(n) for n in numbers)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_sequences WHERE sequencename = %s",
                       [sequence_name(kind="microcredential", year=2030)])
        assert cursor.fetchone()[0] == 1


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
