"""The Europass list pages are keyset pages whose query count does not grow with the list (core/pagination.py;
the pattern of core/tests/test_list_pages.py): the same number of queries at 3 and at 40 rows, and "next" links
that show the following rows, none twice."""

import datetime
import itertools
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agnitio.europass.models import Application, MobilityDocument

from .conftest import NOW

pytestmark = pytest.mark.django_db
_serial = itertools.count(1)


def _applications(ctx, n, **extra):
    Application.objects.bulk_create([Application(
        institution=ctx["institution"], national_centre=ctx["nec"], conditions_accepted_at=NOW, issuing_body="nec",
        procedure="A", programme="erasmus_plus", project_number=f"PRJ-{next(_serial)}", participants_count=1,
        start_date=datetime.date(2026, 5, 1), end_date=datetime.date(2026, 5, 2), submitted_at=NOW, **extra)
        for _i in range(n)])


def _folders(ctx, n):
    Application.objects.bulk_create([Application(
        institution=ctx["institution"], national_centre=ctx["nec"], conditions_accepted_at=NOW, issuing_body="nec",
        procedure="B", description="x", participants_count=3, start_date=datetime.date(2026, 5, 1),
        end_date=datetime.date(2026, 5, 2), submitted_at=NOW, status="approved", decided_at=NOW,
        folders_by_post=True, folders_address=f"Adrese {next(_serial)}") for _i in range(n)])


def _documents(ctx, n):
    MobilityDocument.objects.bulk_create([MobilityDocument(
        institution=ctx["institution"], first_name=f"Dalībnieks{next(_serial)}", last_name="Ozols",
        europass_number=f"EA-2026-{next(_serial):06d}-0") for _i in range(n)])


LISTS = {
    "applications": ("sender", lambda: reverse("europass:application_list"), _applications, r"PRJ-\d+"),
    "NEC queue": ("nec_staff", lambda: reverse("europass:nec_queue"), _applications, r"PRJ-\d+"),
    "folders to post": ("nec_staff", lambda: reverse("europass:folder_queue"), _folders, r"Adrese \d+"),
    "documents": ("sender", lambda: reverse("europass:document_list"), _documents, r"Dalībnieks\d+"),
}


@pytest.fixture
def ctx(client, sender, institution, nec, nec_staff):
    return {"client": client, "sender": sender, "institution": institution, "nec": nec, "nec_staff": nec_staff}


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")]


def _get(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return response, len(captured.captured_queries)


@pytest.mark.parametrize("name", LISTS)
def test_the_query_count_is_the_same_at_3_and_40_rows(ctx, name):
    who, url_of, make, shown = LISTS[name]
    ctx["client"].force_login(ctx[who])
    counts, rows, made = {}, {}, 0
    for total in (3, 40):
        make(ctx, total - made)
        made = total
        _get(ctx["client"], url_of())
        response, counts[total] = _get(ctx["client"], url_of())
        rows[total] = len(set(re.findall(shown, _main(response))))
    assert rows == {3: 3, 40: 40}, rows
    assert counts[3] == counts[40], counts


@pytest.mark.parametrize("name", LISTS)
def test_the_next_link_shows_the_following_rows(ctx, name):
    who, url_of, make, shown = LISTS[name]
    ctx["client"].force_login(ctx[who])
    make(ctx, 5)
    seen, url, params, pages = [], url_of(), {"size": "2"}, 0
    while url:
        response, _count = _get(ctx["client"], url, params)
        html = _main(response)
        seen += list(dict.fromkeys(re.findall(shown, html)))
        pages += 1
        nexts = [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)" rel="next"', html)]
        nexts = [h for h in nexts if parse_qsl(urlsplit(h).query)[-1][0] == "cursor"]
        url, params = (nexts[0], None) if nexts else (None, None)
        assert pages <= 5
    assert len(seen) == 5 and len(set(seen)) == 5, seen
    assert pages == 3
