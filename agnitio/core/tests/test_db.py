"""core.db: PostgreSQL connections read `timestamptz` with psycopg's compiled loader, giving what Django's loader
gives (the same datetime, the same time zone object) for every value, session time zone and failure."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgresql_only, pytest.mark.django_db]

VALUES = ["2026-12-01 06:03:47.754506+00", "2026-12-01 06:03:47+00", "2026-12-01 06:03:47.7+02",
          "1999-12-31 23:59:59.999999-05:30", "2000-02-29 12:00:00+05:45", "0001-01-02 00:00:00+00",
          "9999-12-30 23:59:59+00", "1969-07-20 20:17:40.1+00", "2026-03-29 01:30:00 Europe/Riga",
          "2026-10-25 03:30:00 Europe/Riga", "1900-01-01 00:00:00+01:39:49"]


def _read(values, *, django_loader: bool):
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    with connection.cursor() as cursor:
        if django_loader:  # Django's own, registered on this cursor only
            register_tzloader(connection.timezone, cursor.cursor)
        loader = cursor.cursor.adapters.get_loader(1184, 0)
        results = []
        for value in values:
            try:
                cursor.execute("SELECT %s::timestamptz", [value])
                got = cursor.fetchone()[0]
                results.append((got, got.tzinfo, got.utcoffset()))
            except Exception as error:  # noqa: BLE001 - the same failure either way
                results.append(type(error))
        return loader, results


def test_the_connection_reads_timestamptz_with_the_compiled_loader():
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(1184, 0)
    assert loader.__name__.startswith("Compiled") and loader.timezone is connection.timezone


@pytest.mark.parametrize("zone", [None, "Asia/Kolkata", "America/St_Johns", "Europe/Riga"])
def test_the_values_are_djangos(zone):
    with connection.cursor() as cursor:
        if zone:
            cursor.execute(f"SET TIME ZONE '{zone}'")
    try:
        fast_class, fast = _read(VALUES, django_loader=False)
        django_class, slow = _read(VALUES, django_loader=True)
        assert fast_class is not django_class and fast_class.__name__.startswith("Compiled")
        assert fast == slow
        assert all(isinstance(value[0], datetime.datetime) for value in fast)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
    # special values fail the same way
    assert _read(["infinity", "-infinity"], django_loader=False)[1] == _read(
        ["infinity", "-infinity"], django_loader=True)[1]


def test_a_connection_without_djangos_loader_is_left_alone():
    from agnitio.core.db import use_compiled_tz_loader

    connection.ensure_connection()
    assert use_compiled_tz_loader(connection.connection) is False  # already the compiled one: not again


def test_without_psycopgs_private_lookup_django_s_loader_stays(monkeypatch):
    """`_get_optimised` is psycopg's private API: a release without it (or failing) leaves Django's loader."""
    from psycopg import adapters

    from agnitio.core.db import compiled_tz_loader

    def gone(*args):
        raise AttributeError("_get_optimised")

    compiled_tz_loader.cache_clear()
    monkeypatch.setattr(type(adapters), "_get_optimised", gone)
    try:
        from django.db.backends.postgresql.psycopg_any import BaseTzLoader

        assert compiled_tz_loader(BaseTzLoader) is None
    finally:
        compiled_tz_loader.cache_clear()
