"""The issued documents list (credentials.views.issued_list) against the view and template it had before its unbound
search form was left unmade (IssuedSearchForm.unbound), kept here as they were: for each person who opens it
(owner, admin, an editor who sees only some documents; an outsider gets the same 404), in lv and en, with nothing
issued, a full page with a link to the next, the next page, a search by name, code and number, each filter, wrong
filters, and hostile names and reasons on valid, expired, revoked and superseded documents, the answer (status and
HTML) is byte for byte the same."""

from __future__ import annotations

import datetime
from functools import cache
from pathlib import Path

import pytest
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.template import Engine, RequestContext
from django.urls import path, reverse
from django.views.decorators.http import require_safe

from agnitio import urls as site_urls
from agnitio.core.http import not_found_as_404
from agnitio.core.pagination import keyset_page
from agnitio.core.testing import engine_with, new_and_old_answers
from agnitio.credentials import rows, selectors
from agnitio.credentials.forms import IssuedSearchForm
from agnitio.credentials.tests.test_lists import make_documents  # noqa: F401 (a fixture)
from agnitio.credentials.views import _organisation

BEFORE = Path(__file__).parent / "issued_list_before"


@cache
def _old_engine() -> Engine:
    return engine_with({"credentials/issued_list.html": (BEFORE / "issued_list.html").read_text()})


@login_required
@require_safe
@not_found_as_404
def issued_list(request, org):
    """credentials.views.issued_list as it was, rendering issued_list_before/issued_list.html."""
    organisation = _organisation(org, request=request)
    form = IssuedSearchForm(request.GET or None,
                            projects=selectors.issued_project_choices(actor=request.user, organisation=organisation))
    filters = form.filters()
    page = keyset_page(
        lambda: selectors.issued_credential_search(actor=request.user, organisation=organisation, filters=filters),
        ordering=selectors.LIST_ORDER, request=request,
        first_rows=None if filters != selectors.CredentialFilters() else lambda n: (
            selectors.issued_credential_first_rows(actor=request.user, organisation=organisation, size=n - 1)))
    context = {"organisation": organisation, "search_form": form, "page": page, "rows": rows.issued_rows(page),
               "keys": selectors.issuer_key_summaries(organisation=organisation)}
    return HttpResponse(_old_engine().get_template("credentials/issued_list.html").render(
        RequestContext(request, context)))


# This module is the ROOT_URLCONF of the old answers: the old view first, then the site's addresses.
urlpatterns = [path("credentials/organisation/<str:org>/", issued_list), *site_urls.urlpatterns]


def _assert_same(client, url, data=None, *, language):
    new, old = new_and_old_answers(client, url, data, language=language, old_urlconf=__name__)
    assert new == old, (url, data, language)
    return new


HOSTILE = "<script>alert('x')</script> & \"quoted\" Ā"
DAY = datetime.date(2026, 11, 20)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["lv", "en"])
def test_every_state_of_the_issued_list(client, owner, admin, editor, outsider, organisation, project, make_user,
                                        make_documents, language):  # noqa: F811 (the fixture)
    from agnitio.youthpass.models import ProjectEditor

    ProjectEditor.objects.create(project=project, organisation=organisation, user=editor,
                                 status=ProjectEditor.Status.ACTIVE)
    project.title = HOSTILE
    project.save()
    url = reverse("credentials:issued_list", args=[organisation.public_id])
    for person in (owner, admin, editor):
        client.force_login(person)
        assert _assert_same(client, url, language=language)[0] == 200  # nothing issued yet
    project_type = ContentType.objects.get_for_model(project)
    make_documents(organisation, 30, holder_name=f"{HOSTILE} Bērziņš", issued_on=DAY)
    make_documents(organisation, 12, source_type=project_type, source_id=project.pk,
                   issued_on=DAY - datetime.timedelta(days=1))
    make_documents(organisation, 3, status="revoked", revocation_reason=HOSTILE, issued_on=DAY)
    make_documents(organisation, 3, valid_until=DAY - datetime.timedelta(days=2), issued_on=DAY)
    make_documents(organisation, 2, valid_until=DAY + datetime.timedelta(days=2000), issued_on=DAY)
    superseded = make_documents(organisation, 3, status="superseded", kind="weird<kind>", pdf="x/y.pdf")
    for person in (owner, admin, editor):
        client.force_login(person)
        status, html = _assert_same(client, url, language=language)  # a full page with a link to the next
        assert status == 200 and "&lt;script&gt;" in html and "<script>alert" not in html
        if person is not editor:
            assert 'rel="next"' in html
            cursor = html.split('rel="next"')[0].rsplit("cursor=", 1)[1].split('"')[0].replace("&amp;", "&")
            assert _assert_same(client, url, {"cursor": cursor}, language=language)[0] == 200
        for data in ({"q": "Bērziņš"}, {"q": superseded[0].code}, {"q": superseded[1].number}, {"q": HOSTILE},
                     {"project": project.public_id}, {"project": "nope"}, {"kind": "youthpass"}, {"kind": "x"},
                     {"state": "valid"}, {"state": "expired"}, {"state": "revoked"}, {"state": "superseded"},
                     {"state": "wrong"}, {"issued_from": "2026-11-19", "issued_to": "2026-11-19"},
                     {"issued_from": "2026-11-20", "issued_to": "2026-11-01"}, {"issued_from": "not a date"},
                     {"size": "5"}, {"cursor": "broken"}, {"q": "", "kind": "", "state": ""}, {"other": "1"}):
            assert _assert_same(client, url, data, language=language)[0] == 200, data
    client.force_login(outsider)
    assert _assert_same(client, url, language=language)[0] == 404
