"""core.pagination: keyset pages over any queryset (here audit events, a core model)."""

import base64
import json

import pytest
from django.test import RequestFactory

from agnitio.core.models import AuditEvent
from agnitio.core.pagination import InvalidCursor, cursor_decode, cursor_encode, keyset_page

pytestmark = pytest.mark.django_db


def _events(verbs):
    return AuditEvent.objects.bulk_create(
        [AuditEvent(action="other", verb=verb, object_type="t", object_id=str(i)) for i, verb in enumerate(verbs)])


def _walk(queryset, ordering, size):
    """Every page following "next" from the first; returns the pages' ids."""
    pages, cursor = [], None
    while True:
        page = keyset_page(queryset, ordering=ordering, cursor=cursor, size=size, invalid="raise")
        pages.append([e.pk for e in page])
        if not page.has_next:
            return pages
        cursor = page.next_cursor


@pytest.mark.parametrize("ordering", [("-verb", "-id"), ("verb", "id"), ("verb", "-id"), ("-verb", "id")])
def test_pages_cover_every_row_once_in_order_with_ties_broken_by_the_last_column(ordering):
    _events(["b", "a", "c", "b", "b", "a", "c", "b", "a", "b", "c"])  # many ties on verb
    queryset = AuditEvent.objects.all()
    expected = list(queryset.order_by(*ordering).values_list("pk", flat=True))
    pages = _walk(queryset, ordering, 3)
    assert [pk for page in pages for pk in page] == expected
    assert [len(p) for p in pages] == [3, 3, 3, 2]


def test_previous_pages_lead_back_to_the_same_rows():
    _events(["x"] * 10)
    queryset = AuditEvent.objects.all()
    ordering = ("-verb", "-id")
    first = keyset_page(queryset, ordering=ordering, size=4)
    second = keyset_page(queryset, ordering=ordering, cursor=first.next_cursor, size=4)
    third = keyset_page(queryset, ordering=ordering, cursor=second.next_cursor, size=4)
    assert not first.has_previous and second.has_previous and not third.has_next and len(third) == 2
    back = keyset_page(queryset, ordering=ordering, cursor=third.previous_cursor, size=4)
    assert [e.pk for e in back] == [e.pk for e in second]
    assert back.has_previous and back.has_next
    start = keyset_page(queryset, ordering=ordering, cursor=back.previous_cursor, size=4)
    assert [e.pk for e in start] == [e.pk for e in first] and not start.has_previous and start.has_next


def test_one_query_per_page(django_assert_num_queries):
    _events(["x"] * 30)
    with django_assert_num_queries(1):
        page = keyset_page(AuditEvent.objects.all(), ordering=("-created_at", "-id"), size=10)
    with django_assert_num_queries(1):
        keyset_page(AuditEvent.objects.all(), ordering=("-created_at", "-id"), cursor=page.next_cursor, size=10)


def _forged(*parts):
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


@pytest.mark.parametrize("cursor", [
    "not-base64!!", "%%%", "e30", _forged("a", "x"), _forged("z", "x", 1), _forged("a", "x", "not a number"),
    _forged("a", None, 1), _forged("a", ["x"], 1), _forged("a", "x", 1, 2), "A" * 2000,
    base64.urlsafe_b64encode(b"\xff\xfe").decode(), _forged("a", "x", 10 ** 30),
])
def test_an_unreadable_cursor_is_refused_or_gives_the_first_page(cursor):
    _events(["x"] * 3)
    queryset = AuditEvent.objects.all()
    with pytest.raises(InvalidCursor):
        keyset_page(queryset, ordering=("verb", "id"), cursor=cursor, invalid="raise")
    page = keyset_page(queryset, ordering=("verb", "id"), cursor=cursor)
    assert page.cursor_invalid and len(page) == 3 and not page.has_previous


def test_cursor_values_come_back_as_the_fields_types():
    direction, values = cursor_decode(cursor_encode("b", ["2026-11-20T10:00:00+00:00", 7]), model=AuditEvent,
                                      fields=["created_at", "id"])
    assert direction == "b" and values[1] == 7 and values[0].year == 2026


@pytest.mark.parametrize("size, expected", [("5", 5), ("0", 50), ("-3", 50), ("201", 50), ("abc", 50), ("200", 200)])
def test_page_size_is_bounded(size, expected):
    page = keyset_page(AuditEvent.objects.all(), ordering=("-id",), size=size)
    assert page.size == expected


def test_links_keep_the_search_and_replace_the_cursor():
    _events(["x"] * 5)
    first = keyset_page(AuditEvent.objects.all(), ordering=("-id",), size=2)
    request = RequestFactory().get("/list/", {"q": "Bērziņa", "kind": "youthpass", "size": "2",
                                              "cursor": first.next_cursor})
    page = keyset_page(AuditEvent.objects.all(), ordering=("-id",), request=request)
    assert page.size == 2 and page.has_next and page.has_previous
    for url in (page.next_url, page.previous_url):
        assert url.startswith("/list/?") and "q=B%C4%93rzi%C5%86a" in url and "kind=youthpass" in url
        assert url.count("cursor=") == 1 and first.next_cursor not in url
    assert page.first_url == "/list/?q=B%C4%93rzi%C5%86a&kind=youthpass&size=2"


def test_an_empty_list_has_no_links():
    page = keyset_page(AuditEvent.objects.all(), ordering=("-id",))
    assert list(page) == [] and not page.has_next and not page.has_previous and not page.cursor_invalid


def test_first_rows_give_the_first_page_and_the_queryset_is_made_only_when_needed(django_assert_num_queries):
    """`first_rows` (e.g. a prepared query) answers the first page; a cursor, or a None answer, asks the queryset,
    which a function makes only then. The pages and links are those of the queryset alone."""
    _events(["a", "b", "c", "d", "e"])
    ordering = ("-verb", "-id")
    made, asked = [], []

    def queryset():
        made.append(1)
        return AuditEvent.objects.all()

    def first_rows(n):
        asked.append(n)
        return list(AuditEvent.objects.order_by(*ordering)[:n])

    plain = keyset_page(AuditEvent.objects.all(), ordering=ordering, size=2)
    with django_assert_num_queries(1):
        page = keyset_page(queryset, ordering=ordering, size=2, first_rows=first_rows)
    assert (made, asked) == ([], [3])
    assert ([e.pk for e in page], page.next_cursor, page.previous_cursor) == (
        [e.pk for e in plain], plain.next_cursor, plain.previous_cursor)
    following = keyset_page(queryset, ordering=ordering, size=2, first_rows=first_rows, cursor=page.next_cursor)
    assert (made, asked) == ([1], [3])
    assert [e.pk for e in following] == [e.pk for e in keyset_page(
        AuditEvent.objects.all(), ordering=ordering, size=2, cursor=page.next_cursor)]
    made.clear()
    declined = keyset_page(queryset, ordering=ordering, size=2, first_rows=lambda n: None)
    assert made == [1] and [e.pk for e in declined] == [e.pk for e in plain]
    made.clear()
    invalid = keyset_page(queryset, ordering=ordering, size=2, first_rows=first_rows, cursor="x!")
    # an unreadable cursor: the first page, from the queryset (which was made to read the cursor)
    assert invalid.cursor_invalid and [e.pk for e in invalid] == [e.pk for e in plain] and asked == [3] and made
