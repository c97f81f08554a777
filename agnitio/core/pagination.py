"""Keyset ("seek") pagination for every list that can grow: a page costs the same at row 10 and at row 500,000.

Offset pagination (`LIMIT 50 OFFSET 400000`) makes the database read and throw away every row before the page, and
shows duplicates or skips rows when rows are added between two page loads. A keyset page instead starts *after the
last row shown*: `WHERE (issued_on, id) < (:last_issued_on, :last_id) ORDER BY issued_on DESC, id DESC LIMIT 51`,
which an index on the ordering columns answers by reading 51 rows.

Use it like this (a view; the selector returns the actor's queryset, already filtered)::

    from agnitio.core.pagination import keyset_page

    page = keyset_page(queryset, ordering=("-issued_on", "-id"), request=request)
    return render(request, "x.html", {"page": page})        # {% include "core/_pagination.html" %}

and in an API endpoint ``keyset_page(queryset, ordering=..., cursor=cursor, size=size, invalid="raise")``
(`InvalidCursor` is an `ApplicationError`, answered 400 by the API's handler) with
``{"items": page.items, "next": page.next_cursor, "previous": page.previous_cursor}``.

Rules
- `ordering` names the sort columns, each with an optional "-" for descending, and must END WITH A UNIQUE COLUMN
  (normally "id"): ties on the earlier columns are broken by it, so no row is shown twice or skipped. The columns
  must be NOT NULL; name a foreign key by its column (`organisation_id`). Back the list by an index on (the
  tenancy column, *ordering columns) — e.g. `models.Index(fields=["organisation", "issued_on", "id"])` — so
  PostgreSQL reads only the page (it scans the index backwards for descending orders).
- The cursor is opaque to clients: base64url of JSON `[direction, value, ..., id]`, where direction is "a" (rows
  after) or "b" (rows before). It says where to continue, not what the client may see: the queryset given to
  `keyset_page` must already be limited to what the actor may see (tenancy lives in the selector), so a forged
  cursor only moves within the actor's own rows.
- A cursor that cannot be read (edited by hand, from another list, a value of the wrong type) raises
  `InvalidCursor` with `invalid="raise"`, or gives the first page with `page.cursor_invalid = True` with
  `invalid="first"` (the default, for HTML pages: a stale link still shows something). Never a 500.
- The page size is `size` (or `?size=` with `request=`), bounded to 1..`max_size`; a bad value gives the default.
- One query per page (size + 1 rows, to know whether another page follows); no COUNT(*), which at national scale
  costs more than the page. "Previous" and "next" links (`page.previous_url`, `page.next_url`) keep the other query
  parameters (search and filters) of the request. Going back, "next" is always offered (the rows we came from).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .errors import ApplicationError

T = TypeVar("T", bound=Model)
R = TypeVar("R")  # a page's rows: model rows (keyset_page) or rows a selector builds from them

DEFAULT_SIZE = 50
MAX_SIZE = 200
CURSOR_PARAM = "cursor"
SIZE_PARAM = "size"
_MAX_CURSOR_LENGTH = 1000


class InvalidCursor(ApplicationError):
    """The cursor is not one this list produced."""

    def __init__(self, message=None):
        super().__init__(message or _("This page link is not valid (it may be from another list). Start from the "
                                      "first page."), code="invalid_cursor")


@dataclass
class Page(Generic[R]):
    """One page of a keyset-paginated list. Iterate it for the rows."""

    items: list[R]
    next_cursor: str | None = None
    previous_cursor: str | None = None
    size: int = DEFAULT_SIZE
    cursor_invalid: bool = False
    query: dict[str, list[str]] = field(default_factory=dict)  # the request's other parameters, kept in links
    path: str = ""
    cursor_param: str = CURSOR_PARAM  # two lists on one page each have their own (`cursor_param=` of keyset_page)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    @property
    def is_first(self) -> bool:
        return self.previous_cursor is None

    def _url(self, cursor: str | None) -> str:
        params = [(key, value) for key, values in self.query.items() for value in values]
        if cursor:
            params.append((self.cursor_param, cursor))
        return f"{self.path}?{urlencode(params)}" if params else (self.path or "?")

    @property
    def next_url(self) -> str | None:
        return self._url(self.next_cursor) if self.next_cursor else None

    @property
    def previous_url(self) -> str | None:
        return self._url(self.previous_cursor) if self.previous_cursor else None

    @property
    def first_url(self) -> str:
        return self._url(None)


# ------------------------------------------------------------------------------------------------ cursors


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)  # e.g. UUID


def cursor_encode(direction: str, values: list[Any]) -> str:
    """Opaque cursor for "rows after (direction 'a') / before ('b') the row whose sort values are `values`"."""
    raw = json.dumps([direction, *(_plain(v) for v in values)], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_decode(cursor: str, *, model: type[Model], fields: list[str]) -> tuple[str, list[Any]]:
    """(direction, values) with each value turned back into its field's Python type; InvalidCursor otherwise."""
    if not isinstance(cursor, str) or not cursor or len(cursor) > _MAX_CURSOR_LENGTH:
        raise InvalidCursor()
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidCursor() from exc
    if (not isinstance(data, list) or len(data) != len(fields) + 1 or data[0] not in ("a", "b")
            or any(v is None or isinstance(v, list | dict) for v in data[1:])):
        raise InvalidCursor()
    values = []
    for name, value in zip(fields, data[1:], strict=True):
        try:
            model_field = _model_field(model, name)
            python_value = model_field.to_python(value)
            model_field.run_validators(python_value)  # e.g. an integer beyond the column's range
            values.append(python_value)
        except (ValidationError, TypeError, ValueError, OverflowError) as exc:
            raise InvalidCursor() from exc
    return data[0], values


def _model_field(model: type[Model], path: str):
    """The field `path` names: a column of `model` or, through foreign keys, of a related row (`user__email`)."""
    *hops, name = path.split("__")
    for hop in hops:
        model = model._meta.get_field(hop).related_model
    return model._meta.get_field(name)


def _row_value(row: Model, path: str) -> Any:
    for hop in path.split("__"):  # select_related the foreign keys an ordering goes through
        row = getattr(row, hop)
    return row


# ------------------------------------------------------------------------------------------------ the page


def _seek(fields: list[tuple[str, bool]], values: list[Any], *, forward: bool) -> Q:
    """Rows strictly after (forward) or before the row with `values` in the order `fields` ((name, descending)).

    Lexicographic: f1 ⋚ v1 OR (f1 = v1 AND f2 ⋚ v2) OR ... — plus the redundant bound f1 ⋚= v1 in front, which
    the database can use as an index range condition (the OR alone would make it scan from the list's start)."""
    def op(descending: bool) -> str:
        return "lt" if descending == forward else "gt"

    alternatives = Q()
    for position, (name, descending) in enumerate(fields):
        step = Q(**{f"{earlier}": value for (earlier, _d), value in zip(fields[:position], values, strict=False)})
        step &= Q(**{f"{name}__{op(descending)}": values[position]})
        alternatives |= step
    first, first_descending = fields[0]
    return Q(**{f"{first}__{op(first_descending)}e": values[0]}) & alternatives


def _parse_size(value: Any, *, default: int, max_size: int) -> int:
    try:
        size = int(value)
    except (TypeError, ValueError):
        return default
    return size if 1 <= size <= max_size else default


def page_request(request, *, cursor: str | None = None, size: int | str | None = None,
                 default_size: int = DEFAULT_SIZE, max_size: int = MAX_SIZE, cursor_param: str = CURSOR_PARAM
                 ) -> tuple[str | None, int, dict[str, list[str]], str]:
    """What a page reads of its request (None: only the arguments): the cursor (`?cursor=` unless given), the page
    size (`?size=` unless given; bounded, else the default), the other parameters its links keep, and the path."""
    query: dict[str, list[str]] = {}
    path = ""
    if request is not None:
        cursor = request.GET.get(cursor_param) if cursor is None else cursor
        size = request.GET.get(SIZE_PARAM) if size is None else size
        query = {k: v for k, v in request.GET.lists() if k != cursor_param}
        path = request.path
    limit = _parse_size(size, default=default_size, max_size=max_size) if size is not None else default_size
    return cursor, limit, query, path


def keyset_page(queryset: QuerySet[T] | Callable[[], QuerySet[T]], *, ordering: tuple[str, ...] | list[str],
                request=None, cursor: str | None = None, size: int | str | None = None,
                default_size: int = DEFAULT_SIZE, max_size: int = MAX_SIZE, invalid: str = "first",
                cursor_param: str = CURSOR_PARAM,
                first_rows: Callable[[int], list[T] | None] | None = None) -> Page[T]:
    """One page of `queryset` in `ordering` (see the module docstring). With `request`, the cursor and size come
    from `?cursor=` and `?size=` and the page's links keep the request's other parameters. A page that shows two
    lists gives the second its own `cursor_param` (each list's links then keep the other's position).
    An ordering column may be a related row's (`user__full_name`, through NOT NULL foreign keys the queryset
    select_related).

    For a list whose first page every visit shows (a hot path): `first_rows(n)` may give the first page's rows
    when the request has no cursor — the first `n` rows of the queryset in `ordering`, e.g. from a prepared query
    (core.prepared) — or None (then the queryset is asked as usual); and `queryset` may be a function making the
    queryset, called only when it is needed (a cursor to read, or `first_rows` answered None),
    since building one costs CPU too."""
    if invalid not in ("first", "raise"):
        raise ValueError("invalid must be 'first' or 'raise'")
    if not ordering:
        raise ValueError("keyset_page needs an ordering that ends with a unique column")
    fields = [(name.lstrip("-"), name.startswith("-")) for name in ordering]
    names = [name for name, _descending in fields]
    cursor, limit, query, path = page_request(request, cursor=cursor, size=size, default_size=default_size,
                                              max_size=max_size, cursor_param=cursor_param)

    made: list[QuerySet[T]] = []

    def the_queryset() -> QuerySet[T]:
        if not made:
            made.append(queryset() if callable(queryset) and not isinstance(queryset, QuerySet) else queryset)
        return made[0]

    direction, values, cursor_invalid = "a", None, False
    if cursor:
        try:
            direction, values = cursor_decode(cursor, model=the_queryset().model, fields=names)
        except InvalidCursor:
            if invalid == "raise":
                raise
            cursor_invalid = True

    forward = direction == "a"
    items: list[T] | None = first_rows(limit + 1) if first_rows is not None and not cursor else None
    if items is None:
        order = list(ordering) if forward else [name[1:] if name.startswith("-") else f"-{name}" for name in ordering]
        rows = the_queryset().order_by(*order)
        if values is not None:
            rows = rows.filter(_seek(fields, values, forward=forward))
        items = list(rows[:limit + 1])
    more = len(items) > limit
    items = items[:limit]
    if not forward:
        items.reverse()

    def key(row) -> list[Any]:
        return [_row_value(row, name) for name in names]

    page: Page[T] = Page(items=items, size=limit, cursor_invalid=cursor_invalid, query=query, path=path,
                         cursor_param=cursor_param)
    if items:
        came_from_elsewhere = values is not None  # we were sent here by a link from a neighbouring page
        if (more if forward else came_from_elsewhere):
            page.next_cursor = cursor_encode("a", key(items[-1]))
        if (came_from_elsewhere if forward else more):
            page.previous_cursor = cursor_encode("b", key(items[0]))
    elif values is not None:
        # An empty page reached by a link (its rows were deleted meanwhile): offer the way back.
        page.previous_cursor = cursor_encode("b", values) if forward else None
        page.next_cursor = cursor_encode("a", values) if not forward else None
    return page
