"""The session's user is loaded by a prepared query (accounts/backends.py): the same user as Django's ModelBackend
would load, and a blocked, deleted or re-passworded account is refused on the very next request."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY, get_user
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agnitio.accounts.backends import AuthenticationBackend, ModelBackend
from agnitio.accounts.models import User

BACKENDS = ["agnitio.accounts.backends.ModelBackend", "agnitio.accounts.backends.AuthenticationBackend"]


def _fields(user):
    return {key: value for key, value in vars(user).items() if key != "_state"}


@pytest.mark.parametrize("backend", [ModelBackend(), AuthenticationBackend()])
def test_get_user_is_djangos(backend, make_user):
    people = [make_user("a@example.org"), make_user("ūnïcødé@example.org", full_name="Jānis Bērziņš 💧"),
              make_user("c@example.org", full_name="")]
    for user in people:
        ours, theirs = backend.get_user(user.pk), DjangoModelBackend().get_user(user.pk)
        assert type(ours) is type(theirs) and _fields(ours) == _fields(theirs)
        assert ours._state.db == theirs._state.db and ours._state.adding is False
    for missing in (0, -1, 10**12, 2**63, -(2**63) - 1, 2**70):
        assert backend.get_user(missing) is None
    people[0].is_active = False
    people[0].save()
    assert backend.get_user(people[0].pk) is None
    assert backend.get_user(str(people[1].pk)) == people[1]  # not an int: the ORM's way, still found


def test_the_session_user_is_one_query(client, make_user):
    user = make_user("one@example.org")
    client.force_login(user)
    assert client.session[BACKEND_SESSION_KEY] == BACKENDS[0]
    request = client.get("/account/").wsgi_request
    with CaptureQueriesContext(connection) as captured:
        loaded = get_user(request)
    assert loaded == user and len(captured) == 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_blocked_deleted_or_new_password_signs_out_on_the_next_request(client, make_user, backend):
    user = make_user("blocked@example.org")
    client.force_login(user, backend=backend)
    assert client.get("/account/").status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)  # blocked by staff (the admin's "active" box)
    response = client.get("/account/")
    assert response.status_code == 302 and response.wsgi_request.user.is_anonymous

    User.objects.filter(pk=user.pk).update(is_active=True)
    client.force_login(user, backend=backend)
    assert client.get("/account/").status_code == 200
    user.set_password("another-horse-battery-staple")  # elsewhere: this session's hash no longer matches
    user.save()
    assert client.get("/account/").wsgi_request.user.is_anonymous

    client.force_login(user, backend=backend)
    assert client.get("/account/").status_code == 200
    user.delete()
    assert client.get("/account/").wsgi_request.user.is_anonymous


def test_two_sessions_get_their_own_users(client, make_user):
    from django.test import Client

    first, second = make_user("first@example.org"), make_user("second@example.org")
    other = Client()
    client.force_login(first)
    other.force_login(second)
    for _ in range(3):
        assert client.get("/account/").wsgi_request.user == first
        assert other.get("/account/").wsgi_request.user == second
    session = client.session
    assert session[SESSION_KEY] == str(first.pk)


@pytest.mark.parametrize("old, new", [("django.contrib.auth.backends.ModelBackend", BACKENDS[0]),
                                      ("allauth.account.auth_backends.AuthenticationBackend", BACKENDS[1])])
def test_a_session_signed_in_before_the_backends_were_renamed_stays_signed_in(client, make_user, old, new):
    user = make_user("before@example.org")
    client.force_login(user, backend=new)
    session = client.session
    session[BACKEND_SESSION_KEY] = old  # as the deployment before this one saved it
    session.save()
    response = client.get("/account/")
    assert response.status_code == 200 and response.wsgi_request.user == user
    assert client.session[BACKEND_SESSION_KEY] == new  # saved with the new path: renamed once

    session = client.session
    session[BACKEND_SESSION_KEY] = old
    session.save()
    User.objects.filter(pk=user.pk).update(is_active=False)  # and checked as always: a blocked account is out
    assert client.get("/account/").wsgi_request.user.is_anonymous


def test_a_session_naming_an_unknown_backend_is_still_signed_out(client, make_user):
    user = make_user("unknown@example.org")
    client.force_login(user)
    session = client.session
    session[BACKEND_SESSION_KEY] = "some.removed.Backend"
    session.save()
    response = client.get("/account/")
    assert response.status_code == 302 and response.wsgi_request.user.is_anonymous
    assert client.session.get(BACKEND_SESSION_KEY) in (None, "some.removed.Backend")
