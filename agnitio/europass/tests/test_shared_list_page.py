"""The list of documents shared with a host is a keyset page whose query count does not grow with the list (the
pattern of test_list_pages.py): the same number of queries at 3 and at 40 rows, and only the host's documents."""

import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agnitio.europass.models import DocumentAccess, MobilityDocument

pytestmark = pytest.mark.django_db
_serial = itertools.count(1)
HOST = "mentor@escola.example"


def _shared(institution, n, email=HOST):
    documents = MobilityDocument.objects.bulk_create([MobilityDocument(
        institution=institution, first_name=f"Dalībnieks{next(_serial)}", mentor_email=email,
        europass_number=f"EA-2026-{next(_serial):06d}-0") for _i in range(n)])
    DocumentAccess.objects.bulk_create([DocumentAccess(document=d, role="host", email=email) for d in documents])


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")]


def test_the_query_count_is_the_same_at_3_and_40_rows_and_only_the_hosts_documents_show(client, institution,
                                                                                          make_user):
    client.force_login(make_user(HOST))
    _shared(institution, 5, email="another@host.example")  # another host's: never listed
    counts, rows, made = {}, {}, 0
    for total in (3, 40):
        _shared(institution, total - made)
        made = total
        client.get("/europass/shared/")
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/europass/shared/")
        assert response.status_code == 200
        counts[total] = len(captured.captured_queries)
        rows[total] = len(set(re.findall(r"Dalībnieks\d+", _main(response))))
    assert rows == {3: 3, 40: 40}, rows
    assert counts[3] == counts[40], counts
