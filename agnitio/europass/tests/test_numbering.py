"""Europass numbers (issue 12 point 4): allocated without a global lock. On PostgreSQL each number is `nextval()` of
the kind and year's sequence (credentials.numbering), taken inside the approving transaction: an approval writing
its documents holds nothing another approval waits for, and concurrent approvals never share a number. On SQLite
(one writer at a time) the counter row gives the same numbers; the waiting tests are PostgreSQL's."""

import threading

import pytest
from django.db import connection, transaction

from agnitio.credentials.numbering import number_allocate, number_is_valid, number_last
from agnitio.europass import services
from agnitio.europass.models import Application, MobilityDocument
from agnitio.europass.services import applications as application_services

from .conftest import NOW, application_data

THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_never_duplicate_a_number(sender, institution, nec, nec_staff):
    applications = [services.application_create(actor=sender, institution=institution, now=NOW,
                                                data=application_data(participants_count=3))
                    for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    errors: list[str] = []

    def worker(application: Application) -> None:
        try:
            barrier.wait(timeout=30)
            services.application_approve(actor=nec_staff, application=application, now=NOW)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = list(MobilityDocument.objects.values_list("europass_number", flat=True))
    assert len(numbers) == THREADS * 3 and len(set(numbers)) == THREADS * 3
    assert all(number_is_valid(n) and n.startswith("EA-2026-") for n in numbers)
    assert sorted(int(n.split("-")[2]) for n in numbers) == list(range(1, THREADS * 3 + 1))


@pytest.mark.django_db(transaction=True)
def test_the_same_application_approved_twice_at_once_is_approved_once(make_application, nec_staff):
    application = make_application(participants_count=2)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=30)
            services.application_approve(actor=nec_staff, application=application, now=NOW)
            results.append("approved")
        except Exception as exc:  # noqa: BLE001
            results.append(getattr(exc, "code", repr(exc)))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["approved", "decided"], results
    assert MobilityDocument.objects.filter(application=application).count() == 2
    assert number_last(kind="europass_agreement", year=2026) == 2  # the refused approval took no number


@pytest.mark.django_db(transaction=True)
def test_approvals_and_other_allocations_at_once_never_duplicate(sender, institution, nec, nec_staff):
    """Six approvals (three participants each) and four other allocations of the same kind and year (three each)
    start at the same moment, each thread on its own connection: 30 distinct numbers, none skipped."""
    applications = [services.application_create(actor=sender, institution=institution, now=NOW,
                                                data=application_data(participants_count=3))
                    for _ in range(6)]
    barrier = threading.Barrier(10)
    errors: list[str] = []
    direct: list[str] = []

    def approve(application: Application) -> None:
        services.application_approve(actor=nec_staff, application=application, now=NOW)

    def allocate() -> None:
        with transaction.atomic():
            direct.extend(number_allocate(kind="europass_agreement", year=2026) for _ in range(3))

    def run(target, *args) -> None:
        try:
            barrier.wait(timeout=30)
            target(*args)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(approve, a)) for a in applications]
    threads += [threading.Thread(target=run, args=(allocate,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == [] and not any(t.is_alive() for t in threads)
    numbers = list(MobilityDocument.objects.values_list("europass_number", flat=True)) + direct
    assert len(numbers) == 30 and all(number_is_valid(n) for n in numbers)
    assert sorted(int(n.split("-")[2]) for n in numbers) == list(range(1, 31))


# Run in the PostgreSQL half of `make test` only (deselected on SQLite: root conftest).
postgresql_only = pytest.mark.postgresql_only


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_an_approval_writing_its_documents_does_not_block_another(make_application, nec_staff, monkeypatch):
    """The first approval stops while it writes its documents (its numbers taken, its transaction open); a second
    approval of another application goes from start to end meanwhile."""
    slow_application, fast_application = make_application(participants_count=2), make_application()
    writing, release = threading.Event(), threading.Event()
    real_blank_documents = application_services._blank_documents

    def blank_documents(application, numbers):
        if threading.current_thread().name == "slow":
            writing.set()
            assert release.wait(timeout=60)
        return real_blank_documents(application, numbers)

    monkeypatch.setattr(application_services, "_blank_documents", blank_documents)
    result: dict = {}

    def approve(name: str, application: Application) -> None:
        try:
            result[name] = services.application_approve(actor=nec_staff, application=application, now=NOW)
        except Exception as exc:  # noqa: BLE001 - reported below
            result[f"{name} error"] = exc
        finally:
            writing.set()
            connection.close()

    slow = threading.Thread(target=approve, args=("slow", slow_application), name="slow")
    fast = threading.Thread(target=approve, args=("fast", fast_application), name="fast")
    slow.start()
    try:
        assert writing.wait(timeout=30)
        fast.start()
        fast.join(timeout=10)
        waited = fast.is_alive()
    finally:
        release.set()
        slow.join(timeout=60)
        fast.join(timeout=60)
    assert not waited, "the second approval waited for the first one's transaction"
    assert set(result) == {"slow", "fast"}, result
    slow_numbers = sorted(MobilityDocument.objects.filter(application=slow_application)
                          .values_list("europass_number", flat=True))
    fast_numbers = list(MobilityDocument.objects.filter(application=fast_application)
                        .values_list("europass_number", flat=True))
    assert [int(n.split("-")[2]) for n in slow_numbers] == [1, 2]  # taken first, committed last
    assert sorted(int(n.split("-")[2]) for n in fast_numbers) == [3, 4]
