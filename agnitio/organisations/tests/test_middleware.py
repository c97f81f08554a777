"""Issue 14 point 5: every signed-in page reads the current membership in one query, whatever the number of the
person's organisations; the menu offers the chooser ("Switch organisation") rather than listing them all."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agnitio.organisations import access
from agnitio.organisations.middleware import SESSION_KEY
from agnitio.organisations.models import Membership, Organisation


def _join(user, n, *, role="editor", prefix="Org"):
    organisations = []
    for i in range(n):
        organisation = Organisation.objects.create(legal_name=f"{prefix} {i:03d}", country="LV", address="Rīga",
                                                   email=f"o{i}@example.org")
        Membership.objects.create(organisation=organisation, user=user, role=role)
        organisations.append(organisation)
    return organisations


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(captured)


def test_base_layout_costs_the_same_queries_with_one_or_a_hundred_memberships(client_for, owner):
    client = client_for(owner)
    url = reverse("accounts:detail")  # a page of the base layout that shows nothing of organisations itself
    client.get(url)  # the first request after signing in writes the session
    _, one = _queries(client, url)
    _join(owner, 100)
    response, hundred = _queries(client, url)
    assert hundred == one
    page = response.content.decode()
    assert "Org 050" not in page and 'id="organisation-switch"' not in page  # not listed in the menu
    assert "Switch organisation" in page


def test_menu_offers_the_chooser_only_with_another_organisation(client_for, owner, organisation):
    client = client_for(owner)
    page = client.get(reverse("accounts:detail")).content.decode()
    assert "Switch organisation" not in page and f">{organisation}</a>" in page  # the current one, named
    _join(owner, 1)
    response = client.get(reverse("accounts:detail"))
    page = response.content.decode()
    chooser = f'{reverse("organisations:list")}?next=/account/'
    assert f'href="{chooser}"' in page and "Switch organisation" in page
    # the chooser switches and comes back to the page the person was on
    listing = client.get(chooser).content.decode()
    assert 'name="next" value="/account/"' in listing


def test_chooser_switches_and_returns_to_the_page(client_for, owner, organisation):
    (other,) = _join(owner, 1, role="admin", prefix="Aaa")
    client = client_for(owner)
    assert client.get("/").wsgi_request.organisation == other  # first by name
    response = client.post(reverse("organisations:switch"), {"organisation": organisation.public_id,
                                                             "next": "/account/"})
    assert response.url == "/account/"
    request = client.get("/account/").wsgi_request
    assert request.organisation == organisation and request.membership.role == "owner"
    assert request.other_organisations is True


def test_the_wanted_organisation_is_found_among_many(client_for, owner, organisation):
    organisations = _join(owner, 30)
    client = client_for(owner)
    session = client.session
    session[SESSION_KEY] = organisations[17].public_id  # far past the first rows by name
    session.save()
    request = client.get("/account/").wsgi_request
    assert request.organisation == organisations[17] and request.membership.role == "editor"
    session[SESSION_KEY] = "no-such-organisation"
    session.save()
    assert client.get("/account/").wsgi_request.organisation == organisation  # first by name: "Biedrība…"


def test_one_membership_no_chooser_none_no_organisation(client_for, make_user):
    client = client_for(make_user("nobody@example.org"))
    request = client.get("/account/").wsgi_request
    assert request.organisation is None and request.membership is None and request.other_organisations is False


@pytest.mark.parametrize("role", ["owner", "editor"])
def test_role_checks_elsewhere_still_right(rf, owner, organisation, role):
    """Only the current membership is remembered: a role in another organisation is read (once) from the database,
    and not being a member is remembered as such."""
    (other,) = _join(owner, 1, role=role)
    stranger = Organisation.objects.create(legal_name="Svešie", country="LV", address="Rīga", email="s@example.org")
    access.roles_remember(owner, [Membership.objects.get(user=owner, organisation=organisation)])
    with CaptureQueriesContext(connection) as captured:
        assert access.role_in(owner, organisation) == "owner"
    assert len(captured) == 0
    with CaptureQueriesContext(connection) as captured:
        assert access.role_in(owner, other) == role and access.role_in(owner, other) == role
        assert access.role_in(owner, stranger) is None and access.role_in(owner, stranger) is None
    assert len(captured) == 2
    Membership.objects.filter(user=owner, organisation=other).get().delete()  # a change: nothing remembered holds
    assert access.role_in(owner, other) is None


def test_home_names_ten_organisations_and_links_to_all(client_for, owner):
    _join(owner, 12)
    page = client_for(owner).get("/").content.decode()
    listed = page.split('<ul class="dashboard-orgs">')[1].split("</ul>")[0]
    assert listed.count("<li>") == 10 and f'href="{reverse("organisations:list")}">All your organisations' in page


def test_a_removed_or_changed_membership_counts_on_the_very_next_request(client_for, owner, organisation):
    """The current membership is a prepared query (core.prepared): compiled once, read from the database on every
    request — nothing about the membership itself is kept between requests."""
    (other,) = _join(owner, 1, role="admin", prefix="Zzz")
    client = client_for(owner)
    session = client.session
    session[SESSION_KEY] = other.public_id  # chosen explicitly (the "wanted" query)
    session.save()
    request = client.get("/account/").wsgi_request
    assert request.organisation == other and request.membership.role == "admin"
    Membership.objects.filter(organisation=other, user=owner).update(role="editor")
    assert client.get("/account/").wsgi_request.membership.role == "editor"
    Membership.objects.filter(organisation=other, user=owner).delete()
    request = client.get("/account/").wsgi_request
    assert request.organisation == organisation and request.other_organisations is False
    Membership.objects.filter(user=owner).delete()  # the last one (the query without a wanted organisation too)
    session = client.session
    session.pop(SESSION_KEY, None)
    session.save()
    request = client.get("/account/").wsgi_request
    assert request.organisation is None and request.membership is None


def test_prepared_current_membership_is_the_orms(owner, organisation, make_user):
    """membership_current_for_user answers as the plain queryset would, with and without a wanted organisation,
    and under an organisation scope (a bound API token) takes the ORM's way with the scope applied."""
    from agnitio.organisations.selectors import OWN_MEMBERSHIP_ORDER, membership_current_for_user

    organisations = _join(owner, 3, prefix="Ūdens 💧")
    stranger = make_user("stranger@example.org")

    def orm(user, wanted):
        qs = Membership.objects.filter(user=user).select_related("organisation").order_by(*OWN_MEMBERSHIP_ORDER)
        rows = list(qs)
        if wanted:
            rows.sort(key=lambda m: m.organisation.public_id != wanted)
        return (rows[0] if rows else None), len(rows) > 1

    for user in (owner, stranger):
        for wanted in (None, "", organisations[2].public_id, organisation.public_id, "nē ünïcødé", 12):
            current, others = membership_current_for_user(user=user, wanted=wanted)
            expected, expected_others = orm(user, str(wanted) if wanted else wanted)
            assert (current, others) == (expected, expected_others)
            if current is not None:
                assert current.organisation.legal_name == expected.organisation.legal_name
                assert current.role == expected.role and current._state.db == "default"
    access.organisation_scope_set(organisations[1].id)
    try:
        current, others = membership_current_for_user(user=owner, wanted=None)
        assert current.organisation == organisations[1] and others is False
    finally:
        access.organisation_scope_set(None)


def _fields(obj) -> dict:
    """An instance's field values, deferred fields and database (not the per-request attributes it carries)."""
    return {"class": type(obj), "db": obj._state.db, "deferred": obj.get_deferred_fields(),
            "values": {k: v for k, v in vars(obj).items() if k != "_state" and not k.startswith("_agnitio")}}


def _plain(user_pk, wanted):
    """What the request's user, membership and organisation were before they were read in one query: the user by
    the backend's own prepared query, the memberships by membership_current_for_user's."""
    from agnitio.accounts.backends import USER_BY_PK
    from agnitio.organisations.selectors import membership_current_for_user

    user = USER_BY_PK.one(pk=user_pk)
    current, others = membership_current_for_user(user=user, wanted=wanted)
    return user, current, others


def test_the_user_read_with_its_memberships_is_the_user_and_membership_read_apart(client_for, owner, organisation,
                                                                                  make_user):
    """The request's user comes with its current memberships in one query (selectors.user_read_with_memberships):
    the same user row, the same membership, organisation and chooser flag as the two queries answered apart, for
    every wanted organisation, with one membership, several or none."""
    organisations = _join(owner, 3, prefix="Ūdens 💧")
    single = make_user("single@example.org")
    Membership.objects.create(organisation=organisation, user=single, role="editor")
    nobody = make_user("nobody@example.org")
    for user in (owner, single, nobody):
        client = client_for(user)
        for wanted in (None, "", organisations[2].public_id, organisation.public_id, "nē ünïcødé", 12):
            session = client.session
            if wanted is None:
                session.pop(SESSION_KEY, None)
            else:
                session[SESSION_KEY] = wanted
            session.save()
            request = client.get("/account/").wsgi_request
            plain_user, plain_current, plain_others = _plain(user.pk, wanted)
            assert request.user.is_authenticated and _fields(request.user._wrapped) == _fields(plain_user)
            assert request.other_organisations is plain_others
            if plain_current is None:
                assert request.membership is None and request.organisation is None
            else:
                assert _fields(request.membership) == _fields(plain_current)
                assert _fields(request.organisation) == _fields(plain_current.organisation)
                assert request.membership.user is request.user._wrapped  # the request's user, not another copy


def _user_queries(captured) -> list[str]:
    """The queries reading the user or memberships, less the account page's own count of API tokens (annotated on
    the user's row: apikeys.selectors.api_token_usable_count)."""
    return [q["sql"] for q in captured if ('"accounts_user"' in q["sql"] or '"organisations_membership"' in q["sql"])
            and '"usable_api_tokens"' not in q["sql"]]


def test_a_member_s_user_and_membership_cost_one_query(client_for, owner, organisation, make_user):
    client = client_for(owner)
    client.get("/account/")  # the first request after signing in writes the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("accounts:detail")).wsgi_request.membership.role == "owner"
    read = [sql for sql in _user_queries(captured) if '"organisations_membership"' in sql and "accounts_user" in sql]
    assert len(read) == 1 and read[0] == _user_queries(captured)[0]  # the first: the user is read with it
    # someone without a membership: the user alone, as before (two queries, as before)
    client = client_for(make_user("nobody@example.org"))
    client.get("/account/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("accounts:detail")).wsgi_request.membership is None
    assert len(_user_queries(captured)) == 2


def test_a_member_blocked_or_with_a_changed_password_is_signed_out_on_the_very_next_request(client_for, owner,
                                                                                             organisation):
    """The user row read with the memberships is checked as the backend's own: an account blocked (is_active off)
    or a password changed elsewhere takes effect on the very next request, as a removed membership does."""
    from agnitio.accounts.models import User

    client = client_for(owner)
    assert client.get("/account/").wsgi_request.membership.role == "owner"
    User.objects.filter(pk=owner.pk).update(is_active=False)
    request = client.get("/account/").wsgi_request
    assert not request.user.is_authenticated and request.membership is None and request.organisation is None
    User.objects.filter(pk=owner.pk).update(is_active=True)
    client = client_for(owner)
    assert client.get("/account/").wsgi_request.user.is_authenticated
    owner.set_password("another-horse-battery")
    User.objects.filter(pk=owner.pk).update(password=owner.password)
    request = client.get("/account/").wsgi_request
    assert not request.user.is_authenticated and request.membership is None


def test_memberships_read_with_the_user_serve_only_that_request_s_question(owner, organisation):
    """Outside the middleware's loading of the request's user nothing is read with the user, and rows read with it
    answer membership_current_for_user once, for the wanted organisation they were read for."""
    from agnitio.accounts.backends import ModelBackend
    from agnitio.organisations.selectors import (
        MEMBERSHIPS_READ_ATTRIBUTE,
        membership_current_for_user,
        memberships_read_with_user,
    )

    user = ModelBackend().get_user(owner.pk)
    assert not hasattr(user, MEMBERSHIPS_READ_ATTRIBUTE)
    with memberships_read_with_user(wanted=None):
        user = ModelBackend().get_user(owner.pk)
    assert getattr(user, MEMBERSHIPS_READ_ATTRIBUTE)[0] is None
    Membership.objects.filter(user=owner).delete()
    # asked for another wanted organisation: read again (and the removed membership is gone)
    assert membership_current_for_user(user=user, wanted=organisation.public_id) == (None, False)
    assert not hasattr(user, MEMBERSHIPS_READ_ATTRIBUTE)
    access.organisation_scope_set(organisation.id)  # a scoped request (a bound API token): the ORM's way
    try:
        with memberships_read_with_user(wanted=None):
            user = ModelBackend().get_user(owner.pk)
        assert not hasattr(user, MEMBERSHIPS_READ_ATTRIBUTE)
    finally:
        access.organisation_scope_set(None)
