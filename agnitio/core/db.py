"""PostgreSQL connections read `timestamptz` columns with psycopg's compiled loader.

Django (its psycopg 3 support) registers its own text loader for `timestamptz` on every connection, a subclass of
psycopg's pure-Python `TimestamptzLoader` (regular expression, `int()`s, `astimezone`), which replaces the compiled
one `psycopg[binary]` would use (Django ticket #36960, psycopg issue #1273: the compiled class cannot be
subclassed). A page of fifty events reads fifty such values: ~0.5 ms of CPU, ten times the compiled loader's.
Each new connection gets a subclass of Django's loader (the same class attributes, `timezone` among them, which
Django's `create_cursor` compares) whose `load` asks the compiled loader — the same parsing, the same conversion
to the connection's time zone — then sets Django's `timezone` as Django's does. Without the compiled
implementation (psycopg's pure-Python one) nothing changes. `core/tests/test_db.py` compares the values with
Django's loader's for many timestamps, time zones and special values.
"""

from __future__ import annotations

from functools import lru_cache

from django.db.backends.signals import connection_created
from django.dispatch import receiver


@lru_cache(maxsize=16)
def compiled_tz_loader(django_loader: type) -> type | None:
    """A subclass of `django_loader` (Django's timestamptz loader of a connection) that parses with psycopg's
    compiled loader, or None without one."""
    from psycopg import adapters
    from psycopg.types.datetime import TimestamptzLoader

    try:  # psycopg's own lookup of its compiled loaders: a private API, so a release without it changes nothing
        compiled = adapters._get_optimised(TimestamptzLoader)
    except Exception:  # noqa: BLE001 (any failure of a private API: keep Django's loader)
        return None
    if compiled is TimestamptzLoader:
        return None

    class CompiledTzLoader(django_loader):
        compiled_parser = True

        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            self._compiled_load = compiled(oid, context).load

        def load(self, data):
            return self._compiled_load(data).replace(tzinfo=self.timezone)

    CompiledTzLoader.__qualname__ = CompiledTzLoader.__name__ = f"Compiled{django_loader.__name__}"
    return CompiledTzLoader


def use_compiled_tz_loader(pg_connection) -> bool:
    """Register the compiled loader's subclass for `timestamptz` (text) on this psycopg connection, in place of
    Django's; False (nothing changed) when there is no Django loader to replace or no compiled loader."""
    from django.db.backends.postgresql.psycopg_any import BaseTzLoader
    from psycopg import adapters
    from psycopg.pq import Format

    oid = adapters.types["timestamptz"].oid
    current = pg_connection.adapters.get_loader(oid, Format.TEXT)
    if (current is None or not issubclass(current, BaseTzLoader) or getattr(current, "compiled_parser", False)):
        return False
    loader = compiled_tz_loader(current)
    if loader is None:
        return False
    pg_connection.adapters.register_loader(oid, loader)
    return True


@receiver(connection_created, dispatch_uid="core-compiled-timestamptz-loader")
def _connection_created(sender, connection, **kwargs) -> None:
    if connection.vendor == "postgresql":
        from django.db.backends.postgresql.psycopg_any import is_psycopg3

        if is_psycopg3:
            use_compiled_tz_loader(connection.connection)
