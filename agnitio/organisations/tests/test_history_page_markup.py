"""The history page (organisations.views.audit_list) against the view and template it had before its unbound filter
form was written without making the form ({% history_filter_fields %}), kept here as they were: for each person
who opens it (owner, admin; an editor and an outsider get the same 404), in lv and en, with no events, a full page
with a link to the next, the next page, filters, a query that only pages, wrong filters, and hostile text in the
events, the people and the object types, the answer (status and HTML) is byte for byte the same."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import Engine, RequestContext
from django.urls import path, reverse

from agnitio import urls as site_urls
from agnitio.core.http import not_found_as_404
from agnitio.core.models import AuditEvent
from agnitio.core.pagination import keyset_page
from agnitio.core.testing import engine_with, new_and_old_answers
from agnitio.organisations import rows, selectors
from agnitio.organisations.forms import AuditFilterForm
from agnitio.organisations.models import Membership
from agnitio.organisations.paging import first_page_or_keyset
from agnitio.organisations.views import _admin_org, _context

BEFORE = Path(__file__).parent / "history_before"


@cache
def _old_engine() -> Engine:
    return engine_with({"organisations/audit_list.html": (BEFORE / "audit_list.html").read_text()})


@login_required
@not_found_as_404
def audit_list(request, public_id):
    """organisations.views.audit_list as it was, rendering history_before/audit_list.html."""
    organisation = _admin_org(request, public_id)
    form = AuditFilterForm(
        request.GET or None,
        object_types=selectors.audit_object_types(actor=request.user, organisation=organisation),
        people=selectors.audit_people(actor=request.user, organisation=organisation),
    )
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    if filters:
        page = keyset_page(selectors.audit_event_list(actor=request.user, organisation=organisation, **filters),
                           ordering=selectors.AUDIT_ORDER, request=request)
    else:
        page = first_page_or_keyset(
            first_rows=lambda: selectors.audit_event_first_page(actor=request.user, organisation=organisation),
            queryset=lambda: selectors.audit_event_list(actor=request.user, organisation=organisation),
            ordering=selectors.AUDIT_ORDER, request=request)
    context = _context(request, organisation, form=form, page=page, rows=rows.event_rows(page))
    return HttpResponse(_old_engine().get_template("organisations/audit_list.html").render(
        RequestContext(request, context)))


# This module is the ROOT_URLCONF of the old answers: the old view first, then the site's addresses.
urlpatterns = [path("organisations/<str:public_id>/history/", audit_list), *site_urls.urlpatterns]


def _assert_same(client, url, data=None, *, language):
    new, old = new_and_old_answers(client, url, data, language=language, old_urlconf=__name__)
    assert new == old, (url, data, language)
    return new


HOSTILE = "<script>alert('x')</script> & \"quoted\" Ā"


def _events(organisation, people, n):
    kinds = ["organisations.Signatory", "gone.Model<b>", f"x.{HOSTILE}", "organisations.Organisation"]
    for i in range(n):
        actor = people[i % len(people)]
        AuditEvent.objects.create(
            organisation=organisation, actor=actor, actor_label=f"{HOSTILE} {i}" if i % 3 else actor.email,
            action=["create", "update", "revoke", "weird<"][i % 4], verb=HOSTILE if i % 5 == 0 else "",
            object_type=kinds[i % len(kinds)], object_id=f"id/{i}&?<'\"", object_repr=f"{HOSTILE} {i}",
            changes={} if i % 2 else {"name<": ["<a>", None], "n": [1234.5, i], "ok": [True, {"k": "'\""}]})


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["lv", "en"])
def test_every_state_of_the_history_page(client, owner, admin, editor, outsider, organisation, make_user,
                                         language):
    url = reverse("organisations:history", args=[organisation.public_id])
    stranger = make_user("stranger@elsewhere.example")
    stranger.full_name = HOSTILE
    stranger.save()
    admin.full_name = HOSTILE
    admin.save()
    for person in (owner, admin, editor, outsider):
        client.force_login(person)
        status, _html = _assert_same(client, url, language=language)  # no events yet
        assert status == (200 if person in (owner, admin) else 404)
    _events(organisation, [owner, admin, stranger], 60)  # someone outside the organisation among the people
    Membership.objects.filter(user=stranger).delete()
    for person in (owner, admin):
        client.force_login(person)
        status, html = _assert_same(client, url, language=language)  # a full page with a link to the next
        assert status == 200 and 'rel="next"' in html and "&lt;script&gt;" in html and "<script>alert" not in html
        cursor = html.split('rel="next"')[0].rsplit("cursor=", 1)[1].split('"')[0].replace("&amp;", "&")
        for data in ({"cursor": cursor}, {"size": "10"}, {"object_type": "gone.Model<b>"},
                     {"object_type": f"x.{HOSTILE}", "person": admin.public_id}, {"person": stranger.public_id},
                     {"object_id": "id/7&?<'\""}, {"object_type": "no such"}, {"object_id": "x" * 80},
                     {"person": "nobody"}, {"object_type": "", "object_id": "", "person": ""}, {"q": "other"}):
            status, _html = _assert_same(client, url, data, language=language)
            assert status == 200, data
    for person in (editor, outsider):
        client.force_login(person)
        assert _assert_same(client, url, language=language)[0] == 404


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["lv", "en"])
def test_the_unbound_filter_fields_are_the_forms(language, owner, admin, organisation):
    """{% history_filter_fields None object_types people %} is {% form_fields %} of the unbound form, for choices
    with hostile text, none, and ones that look like the form's own markup."""
    from django.template import engines
    from django.utils import translation

    engine = engines["django"]
    fast = engine.from_string("{% load organisations %}{% history_filter_fields None object_types people %}")
    reference = engine.from_string("{% load organisations %}{% form_fields form %}")
    cases = [([], []), (["organisations.Signatory"], [(admin.public_id, "Admin <admin@x>")]),
             ([f"a.{HOSTILE}", "gone.Model<b>", "\u2063audit-filter-option", "no-dot"],
              [("x", HOSTILE), ("\u2063", ""), ("y", '\n  <option value="z">z</option>\n')])]
    from agnitio.organisations.templatetags.organisations import _audit_filter_skeleton

    with translation.override(language):
        assert _audit_filter_skeleton(language) is not None  # the fast way is the one compared
        for object_types, people in cases:
            form = AuditFilterForm(None, object_types=object_types, people=people)
            context = {"object_types": object_types, "people": people, "form": form}
            assert fast.render(context) == reference.render(context), (object_types, people)
