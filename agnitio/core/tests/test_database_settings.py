"""SQLite runs in WAL mode with a busy timeout on every new connection (point 9: one long write must not make
other requests fail at once with "database is locked")."""

import pytest
from django.db import connections


@pytest.mark.django_db
def test_fresh_sqlite_connection_uses_wal_and_a_busy_timeout():
    default = connections["default"]
    if default.vendor != "sqlite":
        assert default.vendor == "postgresql"  # the other supported database has no such settings to check
        return
    options = default.settings_dict["OPTIONS"]
    assert options["timeout"] >= 5
    fresh = connections.create_connection("default")
    try:
        with fresh.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == int(options["timeout"] * 1000)
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 1  # NORMAL
        assert fresh.transaction_mode == "IMMEDIATE"
    finally:
        fresh.close()
