"""Prepared querysets: SQL compiled once per database connection, then only its parameters bound (ADR 0019).

Building a queryset and compiling it (filter and `Q` resolution, `SQLCompiler.as_sql`, `get_select`,
`get_order_by`) costs far more CPU than running a short indexed query. Every signed-in request loads its user and
current membership, every verification its document: on those few hot paths the SQL is the same each time and
only the values differ. A `PreparedQuery` builds its queryset once per connection with *marker* values, compiles
it, notes where the markers sit among the parameters, and afterwards runs that SQL with the real values bound —
returning the model instances (with their `select_related` objects and annotations) that Django's own
`ModelIterable` builds from the rows: what ModelIterable and `SQLCompiler.results_iter` derive from the compiler
on every call (the attribute names, the `select_related` populators, the annotations' columns, the converters) is
derived once with the SQL, and each call runs the cursor and builds the instances the way they do, step for step.

    user_by_pk = PreparedQuery(lambda pk: User._default_manager.filter(pk=pk).order_by()[:2],
                               markers={"pk": -7_318_046_211}, name="accounts.user_by_pk")
    user = user_by_pk.one(pk=5)          # the instance or None; .list(...) for every row

Rules, checked when the query is prepared (a `PreparationError` then, never a wrong answer later):
- Markers are `int` or `str` values, or aware `datetime`s (a moment compared with a date-time column, such as
  "now"), that appear nowhere else in the query. The queryset is built twice, with the
  markers and with other values of the same type: the SQL must be identical and the parameters must differ exactly
  where a marker went in, unchanged (a lookup that transforms its value — `icontains` wraps it in `%` — cannot be
  prepared, and neither can a query whose SQL depends on a value). A `datetime` marker is found as the backend
  adapts a date-time column's value (`adapt_datetimefield_value`: itself on PostgreSQL, a UTC text on SQLite), and
  a value bound later is adapted the same way.
- The builder must not read anything but its arguments (no request state, no context variables such as an
  organisation scope): what it reads at the first call is frozen into the SQL. Settings that change SQL (time
  zones) are picked up again after `setting_changed` (tests' `override_settings`).
- Only model querysets (`ModelIterable`): no `values()`, no `prefetch_related()`, no related-manager querysets.
- A value bound later must have exactly the marker's type (`bool` is not an `int`), so `None` — which the ORM would
  turn into `IS NULL`, a different SQL — is refused: the caller picks another prepared query (or the plain ORM) for
  such shapes. Values are bound as they are, without the field's `get_prep_value`: give the database's type (an
  `int` for an integer column, a `str` for a text column).

The compiled state is kept per connection object (Django opens one per thread and alias), so nothing compiled for
one thread or one database is used by another; a call shares nothing mutable with another. The equality of the
SQL and of the results with the plain ORM's is what `core/tests/test_prepared.py` pins: it relies on `SQLCompiler`
keeping the state `ModelIterable` reads (`select`, `klass_info`, `annotation_col_map`, `col_count`,
`has_extra_select`) after `as_sql()`, and on `ModelIterable`/`results_iter()` building instances from it as
`_Compiled.rows` does (a Django upgrade that changes either makes those tests fail, not the pages).
Use it only on paths every request takes; everywhere else the ORM's readability wins.
"""

from __future__ import annotations

import datetime
import threading
import weakref
from collections.abc import Callable
from typing import Any

from django.core.exceptions import MultipleObjectsReturned
from django.core.signals import setting_changed
from django.db import connections, router
from django.db.models.base import Model, ModelState
from django.db.models.fields.files import FileDescriptor
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import ModelIterable, QuerySet, get_related_populators
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init
from django.dispatch import receiver


class PreparationError(Exception):
    """The queryset cannot be prepared safely (see the module's rules)."""


Marker = int | str | datetime.datetime


def _alternate(value: Marker) -> Marker:
    """Another value of the same type, for the second build."""
    if isinstance(value, datetime.datetime):
        return value + datetime.timedelta(days=1_003, seconds=17, microseconds=3)
    if isinstance(value, str):
        return value + "\u2063~"
    return value + 1_000_003 if value < 0 else value - 1_000_003


class _Compiled:
    """What one connection runs for a prepared query: the SQL, the parameters with the markers in place (and where
    they sit), and what `ModelIterable` derives from the compiler to turn a row into instances — the model's
    attribute names and columns, the `select_related` populators, the annotations' columns and the converters —
    computed once, as `ModelIterable.__iter__` and `SQLCompiler.results_iter` compute them on every call."""

    __slots__ = ("sql", "params", "positions", "adapts", "model", "init_list", "model_start", "model_end", "populators",
                 "annotations", "converters", "col_count", "plain")

    def __init__(self, compiler, sql: str, params: list, positions: tuple[tuple[int, str], ...],
                 adapts: bool = False) -> None:
        self.sql = sql
        self.params = params
        self.positions = positions
        self.adapts = adapts  # a datetime marker: bound values adapted as the backend adapts a date-time column's
        connection = compiler.connection
        select, klass_info = compiler.select, compiler.klass_info
        fields = [s[0] for s in select[0:compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise PreparationError("composite fields are not supported")
        self.model = klass_info["model"]
        select_fields = klass_info["select_fields"]
        self.model_start, self.model_end = select_fields[0], select_fields[-1] + 1
        self.init_list = [f[0].target.attname for f in select[self.model_start:self.model_end]]
        self.populators = get_related_populators(klass_info, select, connection.alias)
        self.annotations = tuple(compiler.annotation_col_map.items()) if compiler.annotation_col_map else ()
        self.converters = tuple(compiler.get_converters(fields).items())
        self.col_count = compiler.col_count if compiler.has_extra_select else None
        self.plain = _plain_instances(self.model, self.init_list)

    def rows(self, connection, params: tuple) -> list:
        """The instances, as `ModelIterable` builds them from `SQLCompiler.execute_sql` and `results_iter`: the
        rows trimmed to the selected columns, converted, then the model, its related objects and annotations."""
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        alias, model, init_list = connection.alias, self.model, self.init_list
        start, end, col_count = self.model_start, self.model_end, self.col_count
        result = []
        # Model.from_db without its signals and per-field set-up when nothing can tell the difference (_plain_instances)
        plain = self.plain and not (pre_init.has_listeners(model) or post_init.has_listeners(model))
        new = object.__new__
        for row in fetched:
            if col_count is not None:
                row = row[:col_count]
            if self.converters:
                row = list(row)
                for pos, (convs, expression) in self.converters:
                    value = row[pos]
                    for converter in convs:
                        value = converter(value, expression, connection)
                    row[pos] = value
            if plain:
                obj = new(model)
                state = obj.__dict__["_state"] = ModelState()
                state.adding, state.db = False, alias
                obj.__dict__.update(zip(init_list, row[start:end], strict=True))
            else:
                obj = model.from_db(alias, init_list, row[start:end])
            for populator in self.populators:
                populator.populate(row, obj)
            for attr_name, col_pos in self.annotations:
                setattr(obj, attr_name, row[col_pos])
            result.append(obj)
        return result


# The descriptors whose `__set__` (if any) on a new instance only stores the value in its `__dict__`.
_PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute, FileDescriptor)


def _plain_instances(model, init_list: list[str]) -> bool:
    """Whether `Model.from_db(alias, init_list, values)` comes down, for `model`, to a new object whose `__dict__`
    holds `_state` (adding False, the alias) and each of `init_list` with its value — so that `_Compiled.rows` may
    build it so, without `Model.__init__`'s walk over every concrete field (with `only()`, `from_db` first pads the
    values with DEFERRED for each field left out; thirty fields for a list's ten cost more than its query).
    True when the model overrides neither `__init__` nor `from_db`, `init_list` names concrete fields in their
    order (which `from_db` assumes), and each of their class attributes is one of Django's plain descriptors
    (exactly: a subclass such as ImageFileDescriptor does more on `__set__`). `pre_init`/`post_init` receivers
    are checked on every call (`rows`): with any, `from_db` is called."""
    if model.__init__ is not Model.__init__ or model.from_db.__func__ is not Model.from_db.__func__:
        return False
    if model.__new__ is not object.__new__ or model._meta.abstract:
        return False
    concrete = [field.attname for field in model._meta.concrete_fields]
    positions = {name: index for index, name in enumerate(concrete)}
    indexes = [positions.get(name) for name in init_list]
    if None in indexes or indexes != sorted(set(indexes)):
        return False
    for name in init_list:
        descriptor = next((klass.__dict__[name] for klass in model.__mro__ if name in klass.__dict__), None)
        if type(descriptor) not in _PLAIN_DESCRIPTORS:
            return False
    return True


_all: weakref.WeakSet[PreparedQuery] = weakref.WeakSet()


class PreparedQuery:
    def __init__(self, build: Callable[..., QuerySet], *, markers: dict[str, Marker], name: str = "") -> None:
        for key, value in markers.items():
            if type(value) not in (int, str, datetime.datetime):
                raise PreparationError(f"{name}: the marker {key!r} must be an int, a str or a datetime")
            if type(value) is datetime.datetime and value.utcoffset() is None:
                raise PreparationError(f"{name}: the datetime marker {key!r} must be aware")
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

    @staticmethod
    def _adapted(connection, value):
        """The value as the query's parameters hold it: a datetime as the backend adapts a date-time column's."""
        if type(value) is datetime.datetime:
            return connection.ops.adapt_datetimefield_value(value)
        return value

    def _prepare(self, connection) -> _Compiled:
        alias = connection.alias
        first = self._queryset(self.markers)
        alternates = {key: self._adapted(connection, _alternate(value)) for key, value in self.markers.items()}
        second = self._queryset({key: _alternate(value) for key, value in self.markers.items()})
        compiler = first.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        sql_b, params_b = second.query.get_compiler(using=alias).as_sql()
        if not sql or sql != sql_b or len(params) != len(params_b):
            raise PreparationError(f"{self.name}: the SQL depends on the values; it cannot be prepared")
        adapted = {key: self._adapted(connection, v) for key, v in self.markers.items()}
        if len({(type(v), v) for v in adapted.values()}) != len(adapted):
            raise PreparationError(f"{self.name}: markers must be distinct")
        by_value = {(type(v), v): key for key, v in adapted.items()}
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
        for value in adapted.values():
            if isinstance(value, str) and value in sql:
                raise PreparationError(f"{self.name}: a marker was written into the SQL text itself")
        try:
            return _Compiled(compiler, sql, list(params), tuple(positions),
                             any(type(v) is datetime.datetime for v in self.markers.values()))
        except PreparationError as error:
            raise PreparationError(f"{self.name}: {error}") from None

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

    def _bound_params(self, compiled: _Compiled, values: dict[str, Any], connection) -> tuple:
        if values.keys() != self.markers.keys():
            raise TypeError(f"{self.name}: give exactly {sorted(self.markers)}")
        params = compiled.params.copy()
        for index, key in compiled.positions:
            value = values[key]
            if type(value) is not self._types[key]:
                raise TypeError(f"{self.name}: {key} must be a {self._types[key].__name__}, not "
                                f"{type(value).__name__}")
            if compiled.adapts and type(value) is datetime.datetime:
                if value.utcoffset() is None:
                    raise TypeError(f"{self.name}: {key} must be an aware datetime")
                value = connection.ops.adapt_datetimefield_value(value)
            params[index] = value
        return tuple(params)

    def sql(self, *, using: str | None = None, **values) -> tuple[str, tuple]:
        """The SQL and the parameters `list()` would run (for tests and EXPLAIN)."""
        connection = connections[using or router.db_for_read(self.model())]
        compiled = self._compiled_for(connection)
        return compiled.sql, self._bound_params(compiled, values, connection)

    def list(self, *, using: str | None = None, **values) -> list:
        """Every row, as the model instances the ORM would return for `build(**values)`."""
        connection = connections[using or router.db_for_read(self.model())]
        compiled = self._compiled_for(connection)
        return compiled.rows(connection, self._bound_params(compiled, values, connection))

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
