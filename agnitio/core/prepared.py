"""Prepared querysets: SQL compiled once per database connection, then only its parameters bound (ADR 0019).

Building a queryset and compiling it (filter and `Q` resolution, `SQLCompiler.as_sql`, `get_select`,
`get_order_by`) costs far more CPU than running a short indexed query. Every signed-in request loads its user and
current membership, every verification its document: on those few hot paths the SQL is the same each time and
only the values differ. A `PreparedQuery` builds its queryset once per connection with *marker* values, compiles
it, notes where the markers sit among the parameters, and afterwards runs that SQL with the real values bound —
returning the model instances (with their `select_related` objects and annotations) that Django's own
`ModelIterable` builds from the rows, because it is Django's `ModelIterable` that builds them.

    user_by_pk = PreparedQuery(lambda pk: User._default_manager.filter(pk=pk).order_by()[:2],
                               markers={"pk": -7_318_046_211}, name="accounts.user_by_pk")
    user = user_by_pk.one(pk=5)          # the instance or None; .list(...) for every row

Rules, checked when the query is prepared (a `PreparationError` then, never a wrong answer later):
- Markers are `int` or `str` values that appear nowhere else in the query. The queryset is built twice, with the
  markers and with other values of the same type: the SQL must be identical and the parameters must differ exactly
  where a marker went in, unchanged (a lookup that transforms its value — `icontains` wraps it in `%` — cannot be
  prepared, and neither can a query whose SQL depends on a value).
- The builder must not read anything but its arguments (no request state, no context variables such as an
  organisation scope): what it reads at the first call is frozen into the SQL. Settings that change SQL (time
  zones) are picked up again after `setting_changed` (tests' `override_settings`).
- Only model querysets (`ModelIterable`): no `values()`, no `prefetch_related()`, no related-manager querysets.
- A value bound later must have exactly the marker's type (`bool` is not an `int`), so `None` — which the ORM would
  turn into `IS NULL`, a different SQL — is refused: the caller picks another prepared query (or the plain ORM) for
  such shapes. Values are bound as they are, without the field's `get_prep_value`: give the database's type (an
  `int` for an integer column, a `str` for a text column).

The compiled state is kept per connection object (Django opens one per thread and alias), so nothing compiled for
one thread or one database is used by another; each call works on its own copy of the compiler. The equality of
the SQL and of the results with the plain ORM's is what `core/tests/test_prepared.py` pins: it relies on
`SQLCompiler` keeping the state `ModelIterable` reads (`select`, `klass_info`, `annotation_col_map`, `col_count`,
`has_extra_select`) after `as_sql()`, and on `execute_sql()`/`results_iter()` getting the SQL from `as_sql()` and
the converters from `get_converters()`.
Use it only on paths every request takes; everywhere else the ORM's readability wins.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any

from django.core.exceptions import MultipleObjectsReturned
from django.core.signals import setting_changed
from django.db import connections, router
from django.db.models.query import ModelIterable, QuerySet
from django.dispatch import receiver


class PreparationError(Exception):
    """The queryset cannot be prepared safely (see the module's rules)."""


def _alternate(value: int | str) -> int | str:
    """Another value of the same type, for the second build."""
    if isinstance(value, str):
        return value + "\u2063~"
    return value + 1_000_003 if value < 0 else value - 1_000_003


class _BoundQuery:
    """What `ModelIterable` asks of `queryset.query`: a compiler — here one with the SQL already made."""

    __slots__ = ("compiler",)

    def __init__(self, compiler) -> None:
        self.compiler = compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self.compiler


_compiler_classes: dict[type, type] = {}
_compiler_classes_lock = threading.Lock()


def _prepared_compiler_class(base: type) -> type:
    """A subclass of the backend's compiler whose `as_sql` answers the prepared SQL with the bound parameters and
    whose `get_converters` answers the converters computed when it was prepared."""
    cls = _compiler_classes.get(base)
    if cls is None:
        def as_sql(self, *args, **kwargs):
            return self._prepared_sql, self._prepared_params

        def get_converters(self, expressions):
            return self._prepared_converters

        with _compiler_classes_lock:
            cls = _compiler_classes.setdefault(
                base, type(f"Prepared{base.__name__}", (base,), {"as_sql": as_sql, "get_converters": get_converters}))
    return cls


class _Compiled:
    __slots__ = ("template", "params", "positions")

    def __init__(self, template, params: list, positions: tuple[tuple[int, str], ...]) -> None:
        self.template = template
        self.params = params
        self.positions = positions


_all: weakref.WeakSet[PreparedQuery] = weakref.WeakSet()


class PreparedQuery:
    def __init__(self, build: Callable[..., QuerySet], *, markers: dict[str, int | str], name: str = "") -> None:
        for key, value in markers.items():
            if type(value) not in (int, str):
                raise PreparationError(f"{name}: the marker {key!r} must be an int or a str")
        if len({(type(v), v) for v in markers.values()}) != len(markers):
            raise PreparationError(f"{name}: markers must be distinct")
        self.build = build
        self.markers = dict(markers)
        self.name = name or getattr(build, "__qualname__", "prepared query")
        self._types = {key: type(value) for key, value in markers.items()}
        self._model = None
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # connection → _Compiled
        self._lock = threading.Lock()
        _all.add(self)

    # -- preparing

    def _queryset(self, values: dict) -> QuerySet:
        queryset = self.build(**values)
        if not isinstance(queryset, QuerySet) or queryset._iterable_class is not ModelIterable:
            raise PreparationError(f"{self.name}: only querysets of model instances can be prepared")
        if queryset._prefetch_related_lookups or queryset._known_related_objects:
            raise PreparationError(f"{self.name}: prefetch_related and related managers' querysets are not supported")
        return queryset

    def model(self):
        if self._model is None:
            self._model = self._queryset(self.markers).model
        return self._model

    def _prepare(self, connection) -> _Compiled:
        alias = connection.alias
        first = self._queryset(self.markers)
        alternates = {key: _alternate(value) for key, value in self.markers.items()}
        second = self._queryset(alternates)
        compiler = first.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        sql_b, params_b = second.query.get_compiler(using=alias).as_sql()
        if not sql or sql != sql_b or len(params) != len(params_b):
            raise PreparationError(f"{self.name}: the SQL depends on the values; it cannot be prepared")
        by_value = {(type(v), v): key for key, v in self.markers.items()}
        positions = []
        for index, (a, b) in enumerate(zip(params, params_b, strict=True)):
            if type(a) is type(b) and a == b:
                key = by_value.get((type(a), a))
                if key is not None:  # a marker that did not follow its argument: the builder reads something else
                    raise PreparationError(f"{self.name}: the marker {key!r} did not follow its argument")
                continue
            key = by_value.get((type(a), a))
            if key is None or type(b) is not type(a) or alternates[key] != b:
                raise PreparationError(f"{self.name}: parameter {index} changed, but not as a marker bound as it is "
                                       f"(a lookup transforming its value cannot be prepared)")
            positions.append((index, key))
        missing = set(self.markers) - {key for _index, key in positions}
        if missing:
            raise PreparationError(f"{self.name}: markers not found among the parameters: {sorted(missing)}")
        for value in self.markers.values():
            if isinstance(value, str) and value in sql:
                raise PreparationError(f"{self.name}: a marker was written into the SQL text itself")
        template = compiler
        template.__class__ = _prepared_compiler_class(type(compiler))
        template._prepared_sql = sql
        template._prepared_params = tuple(params)
        template._prepared_converters = super(template.__class__, template).get_converters(
            [s[0] for s in template.select[0:template.col_count]])
        return _Compiled(template, list(params), tuple(positions))

    def _compiled_for(self, connection) -> _Compiled:
        compiled = self._compiled.get(connection)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(connection)
                if compiled is None:
                    compiled = self._compiled[connection] = self._prepare(connection)
        return compiled

    def clear(self) -> None:
        with self._lock:
            self._compiled = weakref.WeakKeyDictionary()

    # -- running

    def _bound_params(self, compiled: _Compiled, values: dict[str, Any]) -> tuple:
        if values.keys() != self.markers.keys():
            raise TypeError(f"{self.name}: give exactly {sorted(self.markers)}")
        params = compiled.params.copy()
        for index, key in compiled.positions:
            value = values[key]
            if type(value) is not self._types[key]:
                raise TypeError(f"{self.name}: {key} must be a {self._types[key].__name__}, not "
                                f"{type(value).__name__}")
            params[index] = value
        return tuple(params)

    def sql(self, *, using: str | None = None, **values) -> tuple[str, tuple]:
        """The SQL and the parameters `list()` would run (for tests and EXPLAIN)."""
        compiled = self._compiled_for(connections[using or router.db_for_read(self.model())])
        return compiled.template._prepared_sql, self._bound_params(compiled, values)

    def list(self, *, using: str | None = None, **values) -> list:
        """Every row, as the model instances the ORM would return for `build(**values)`."""
        model = self.model()
        alias = using or router.db_for_read(model)
        compiled = self._compiled_for(connections[alias])
        template = compiled.template
        compiler = object.__new__(template.__class__)
        compiler.__dict__.update(template.__dict__)
        compiler._prepared_params = self._bound_params(compiled, values)
        return list(ModelIterable(QuerySet(model=model, query=_BoundQuery(compiler), using=alias)))

    def one(self, *, using: str | None = None, **values):
        """The only row, or None; MultipleObjectsReturned if there are more (slice the queryset to [:2])."""
        rows = self.list(using=using, **values)
        if len(rows) > 1:
            raise MultipleObjectsReturned(f"{self.name}: more than one row")
        return rows[0] if rows else None


@receiver(setting_changed, dispatch_uid="core-prepared-setting-changed")
def _setting_changed(**kwargs) -> None:
    """A changed setting (tests) may change the SQL (time zones, database options): prepare again."""
    for prepared in list(_all):
        prepared.clear()
