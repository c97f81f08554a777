"""The member list page against the view and the template it was before (kept here and in members_before/: its rows
by the reference function of test_member_rows_reference, a CSRF token masked for the rows apart from the
template's, the table's head in the template): for the owner, an admin,
an editor and a person of another organisation, with pending invitations and without, hostile names and
addresses, in lv and en, the answer is byte for byte the same but for what is new in every answer."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import Engine, RequestContext
from django.urls import include, path

from agnitio import urls as site_urls
from agnitio.core.http import not_found_as_404
from agnitio.core.rows import csrf_input
from agnitio.core.testing import engine_with, new_and_old_answers
from agnitio.invitations.selectors import INVITATION_ORDER, invitations_first_page_for, invitations_for
from agnitio.organisations import selectors, services
from agnitio.organisations import urls as organisations_urls
from agnitio.organisations.invitation_kinds import MEMBER, role_label
from agnitio.organisations.models import Membership
from agnitio.organisations.paging import first_page_or_keyset
from agnitio.organisations.views import _context, _member_org

from .test_member_rows_reference import reference_member_rows

BEFORE = Path(__file__).parent / "members_before"


@cache
def _old_engine() -> Engine:
    return engine_with({"organisations/member_list.html": (BEFORE / "member_list.html").read_text()})


@login_required
@not_found_as_404
def member_list(request, public_id):
    """organisations.views.member_list as it was."""
    organisation = _member_org(request, public_id)

    def memberships():
        return selectors.membership_list(actor=request.user, organisation=organisation)

    page = first_page_or_keyset(
        first_rows=lambda: selectors.member_first_page(actor=request.user, organisation=organisation),
        queryset=lambda: memberships().only(*selectors.MEMBER_ROW_FIELDS), ordering=selectors.MEMBER_ORDER,
        request=request)
    invitations = first_page_or_keyset(
        first_rows=lambda: invitations_first_page_for(actor=request.user, target=organisation, kind=MEMBER),
        queryset=lambda: invitations_for(actor=request.user, target=organisation, kind=MEMBER),
        ordering=INVITATION_ORDER, request=request, cursor_param="invitations")
    context = _context(request, organisation, page=page, invitations=invitations,
                       invitation_rows=[(invitation, role_label(invitation)) for invitation in invitations])
    own = request.membership
    if own is None or own.organisation_id != organisation.pk:
        own = memberships().filter(user=request.user).first()
    context["own"] = own
    context["rows"] = reference_member_rows(page, organisation=organisation, actor=request.user,
                                            is_admin=context["is_admin"], is_owner=context["is_owner"],
                                            csrf_input=csrf_input(request))
    return HttpResponse(_old_engine().get_template("organisations/member_list.html").render(
        RequestContext(request, context)))


# This module is the ROOT_URLCONF of the old answers: the old view under the same name, then the site's addresses.
urlpatterns = [
    path("organisations/", include(([path("<str:public_id>/members/", member_list, name="members"),
                                     *(p for p in organisations_urls.urlpatterns if p.name != "members")],
                                    "organisations"))),
    *site_urls.urlpatterns,
]


def _assert_same(client, url, language):
    new, old = new_and_old_answers(client, url, language=language, old_urlconf=__name__)
    assert new == old
    return new


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["lv", "en"])
def test_every_role_and_state_of_the_member_page(client, make_user, owner, admin, editor, outsider, organisation,
                                                 language):
    url = f"/organisations/{organisation.public_id}/members/"
    hostile = make_user('x"<script>@example.org', full_name='<b>Anna</b> & "Bērziņa" \'x\'')
    Membership.objects.create(organisation=organisation, user=hostile, role="editor")
    for actor in (owner, admin, editor, hostile):
        client.force_login(actor)
        status, page = _assert_same(client, url, language)
        assert status == 200 and "<b>Anna" not in page
    services.membership_invite(actor=owner, organisation=organisation, email="i@example.org",
                               full_name='<i>Ilze</i> "Ozola"', role="admin", language="lv")
    services.membership_invite(actor=owner, organisation=organisation, email="o@example.org",
                               full_name="Otto", role="owner", language="en")
    for actor in (owner, admin, editor):
        client.force_login(actor)
        status, page = _assert_same(client, url, language)
        assert status == 200 and "<i>Ilze" not in page
    client.force_login(outsider)
    status, _page = _assert_same(client, url, language)
    assert status == 404
