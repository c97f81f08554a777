"""The first page of a list from a prepared query (core.prepared, ADR 0019), every other page by keyset_page.

The first page of the member list and of the history is what people open; its query is the same every time but
for the organisation, so it is compiled once per connection. `first_rows()` gives that page's rows at the default
size (`DEFAULT_SIZE` + 1, in the list's ordering); keyset_page makes the `Page` from them exactly as from the
queryset (tests/test_prepared_pages.py compares them), and asks the queryset for anything else — a cursor,
another size."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

from agnitio.core.pagination import CURSOR_PARAM, DEFAULT_SIZE, Page, keyset_page


def first_page_or_keyset(*, first_rows: Callable[[], list], queryset: Callable[[], QuerySet],
                         ordering: tuple[str, ...], request, cursor_param: str = CURSOR_PARAM) -> Page:
    """`keyset_page(queryset(), ordering=ordering, request=request, cursor_param=cursor_param)`, except that the
    first page at the default size takes its rows from `first_rows()`."""
    return keyset_page(queryset, ordering=ordering, request=request, cursor_param=cursor_param,
                       first_rows=lambda n: first_rows() if n == DEFAULT_SIZE + 1 else None)
