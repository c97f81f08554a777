"""Europass numbers: allocated without a global lock (a short transaction of their own per approval, on the per-kind
counter of credentials.numbering); concurrent approvals never share one. Run on PostgreSQL (row locks) as well as
SQLite (one short write transaction at a time)."""

import threading

import pytest
from django.db import connection

from agnitio.credentials.numbering import number_is_valid
from agnitio.europass import services
from agnitio.europass.models import Application, MobilityDocument

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
