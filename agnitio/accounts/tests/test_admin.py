"""The Django admin: user management, and (issue 8, point 2) only through allauth's sign-in with TOTP."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from agnitio.accounts.models import User
from agnitio.accounts.testing import activate_totp, totp_code

PASSWORD = "root-passphrase-1"


@pytest.fixture
def superuser(db):
    from allauth.account.models import EmailAddress

    user = User.objects.create_superuser(email="root@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def superuser_client(client, superuser, staff_login):
    staff_login(client, superuser)
    return client


def test_user_admin_lists_and_searches(superuser_client, make_user):
    make_user("anna@example.org", full_name="Anna Liepa", language="lv")
    response = superuser_client.get(reverse("admin:accounts_user_changelist"), {"q": "Liepa"})
    assert response.status_code == 200
    assert "anna@example.org" in response.content.decode()


def test_user_admin_creates_a_user_by_email(superuser_client):
    response = superuser_client.post(reverse("admin:accounts_user_add"), {
        "email": "new@example.org", "usable_password": "true",
        "password1": "a-long-passphrase-42", "password2": "a-long-passphrase-42",
    })
    assert response.status_code == 302
    assert User.objects.get(email="new@example.org").check_password("a-long-passphrase-42")


def test_user_admin_change_page(superuser_client, make_user):
    user = make_user("anna@example.org")
    response = superuser_client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert response.status_code == 200
    assert user.public_id in response.content.decode()


def test_user_admin_is_closed_to_normal_users(client, make_user):
    user = make_user("anna@example.org")
    client.force_login(user)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert client.get(response["Location"]).status_code == 403


# --- the same door as the rest of the site -------------------------------------------------------------------------

@pytest.mark.django_db
def test_admin_login_redirects_to_allauth_with_next(client):
    response = client.get(reverse("admin:login") + "?next=/admin/accounts/user/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("account_login")
    assert parse_qs(location.query)["next"] == ["/admin/accounts/user/"]
    # Off-site targets are not followed.
    response = client.get(reverse("admin:login") + "?next=https://evil.example/")
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == [reverse("admin:index")]


def test_admin_login_post_with_password_does_not_sign_in(client, superuser):
    activate_totp(superuser)
    response = client.post(reverse("admin:login"), {"username": superuser.email, "password": PASSWORD,
                                                    "next": "/admin/"})
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("account_login")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


def test_admin_login_is_throttled_like_every_sign_in(client, superuser):
    """Wrong passwords for a staff account meet allauth's lock, whichever page they started from."""
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": superuser.email, "password": "wrong"})
        client.post(reverse("account_login"), {"login": superuser.email, "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": superuser.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_without_totp_is_sent_to_set_it_up(client, superuser):
    response = client.post(reverse("account_login"), {"login": superuser.email, "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(superuser.pk)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    page = client.get(response["Location"], follow=True).content.decode()
    assert "two-factor authentication" in page
    assert client.get(reverse("admin:index")).status_code == 302  # still refused


def test_staff_with_totp_gets_in_only_after_the_code(client, superuser):
    secret = activate_totp(superuser)
    response = client.post(reverse("admin:login"))
    login = response["Location"]
    response = client.post(login, {"login": superuser.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302
    for _attempt in range(2):  # a code computed just before a 30-second period ends may be stale on arrival
        response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
        if response.status_code == 302:
            break
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200


def test_staff_who_added_totp_during_the_session_confirms_with_a_code(client, superuser):
    """Signed in with the password only (before the authenticator existed): the admin asks for a code first."""
    client.post(reverse("account_login"), {"login": superuser.email, "password": PASSWORD})
    secret = activate_totp(superuser)
    response = client.get(reverse("admin:login") + "?next=/admin/accounts/user/")
    assert urlsplit(response["Location"]).path == reverse("mfa_reauthenticate")
    assert client.get(reverse("admin:index")).status_code == 302
    from django.core.cache import cache

    reauthenticate = response["Location"]
    for _attempt in range(2):  # a code computed just before a 30-second period ends may be stale on arrival
        cache.clear()
        response = client.post(reauthenticate, {"code": totp_code(secret)})
        if response.status_code == 302:
            break
    assert response.status_code == 302
    assert client.get("/admin/accounts/user/").status_code == 200
    assert Authenticator.objects.filter(user=superuser).exists()
