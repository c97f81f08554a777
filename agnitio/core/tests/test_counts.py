"""core.selectors.counts: several counts in one query, each what count() says."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agnitio.core.selectors import counts
from agnitio.organisations.models import Membership, Organisation


@pytest.mark.django_db
def test_counts_in_one_query_equal_count(organisation, other_organisation, make_user):
    for number in range(3):
        Membership.objects.create(organisation=organisation, user=make_user(f"m{number}@example.org"), role="member")
    Membership.objects.create(organisation=other_organisation, user=make_user("x@example.org"), role="owner")
    querysets = {
        "members": Membership.objects.filter(organisation=organisation).select_related("user").order_by("-id"),
        "owners": Membership.objects.filter(role="owner"),
        "named": Organisation.objects.filter(legal_name__contains="%"),  # a literal %, as a parameter
        "sliced": Membership.objects.order_by("id")[:2],
        "distinct": Organisation.objects.filter(memberships__role="member").distinct(),
    }
    with CaptureQueriesContext(connection) as queries:
        result = counts(**querysets)
    assert len(queries) == 1
    assert result == {name: queryset.count() for name, queryset in querysets.items()}
    assert result["members"] == 3 and result["sliced"] == 2 and result["distinct"] == 1 and result["named"] == 0
    assert list(result) == list(querysets)  # in the order asked


@pytest.mark.django_db
def test_empty_querysets_ask_nothing():
    with CaptureQueriesContext(connection) as queries:
        assert counts(none=Membership.objects.none()) == {"none": 0}
        assert counts() == {}
    assert len(queries) == 0
    assert counts(none=Membership.objects.none(), all=Organisation.objects.all()) == {"none": 0, "all": 0}
