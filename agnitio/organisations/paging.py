"""The first page of a list from a prepared query (core.prepared, ADR 0019), every other page by keyset_page.

The first page of the member list and of the history is what people open; its query is the same every time but
for the organisation, so it is compiled once per connection. The `Page` made here is the one `keyset_page` makes
for a request without a cursor at the default size (tests/test_prepared_pages.py compares them); anything else —
a cursor, another size — goes through `keyset_page` itself. (Here, not in core.pagination, which this work must
not change; it could move there.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet

from agnitio.core.pagination import CURSOR_PARAM, DEFAULT_SIZE, Page, cursor_encode, keyset_page, page_request


def _row_value(row: Model, path: str) -> Any:
    for hop in path.split("__"):  # as keyset_page reads an ordering value through select_related rows
        row = getattr(row, hop)
    return row


def first_page_or_keyset(*, first_rows: Callable[[], list], queryset: Callable[[], QuerySet],
                         ordering: tuple[str, ...], request, cursor_param: str = CURSOR_PARAM) -> Page:
    """`keyset_page(queryset(), ordering=ordering, request=request, cursor_param=cursor_param)`, except that the
    first page at the default size takes its rows from `first_rows()`: the first `DEFAULT_SIZE + 1` rows of
    `queryset()` in `ordering` (a prepared query whose SQL is that of keyset_page's)."""
    cursor, limit, query, path = page_request(request, cursor_param=cursor_param)
    if cursor or limit != DEFAULT_SIZE:
        return keyset_page(queryset(), ordering=ordering, request=request, cursor_param=cursor_param)
    rows = first_rows()
    items = rows[:limit]
    page: Page = Page(items=items, size=limit, query=query, path=path, cursor_param=cursor_param)
    if len(rows) > limit:
        page.next_cursor = cursor_encode("a", [_row_value(items[-1], name.lstrip("-")) for name in ordering])
    return page
