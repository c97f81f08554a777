"""Sign-up with e-mail and password, confirmation link valid 48 hours, sign-in and sign-out."""

import time
from unittest import mock
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from agnitio.accounts.models import User
from agnitio.notifications.models import OutboxEmail

from .conftest import link_in

PASSWORD = "a-long-passphrase-42"


def _signup(client, email="new@example.org", language="lv", full_name="Anna Bērziņa"):
    return client.post(reverse("account_signup"), {
        "email": email, "password1": PASSWORD, "password2": PASSWORD,
        "full_name": full_name, "language": language,
    })


def _confirmation_path(email="new@example.org"):
    message = OutboxEmail.objects.filter(to=email, template="account/email/email_confirmation_signup").get()
    return urlsplit(link_in(message.body_text, "/accounts/confirm-email/")).path


@pytest.mark.django_db
def test_signup_page_renders_in_site_layout_with_labelled_fields(client):
    response = client.get(reverse("account_signup"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' in html and '<main id="main"' in html  # our base.html
    for field_id in ("id_email", "id_password1", "id_password2", "id_full_name", "id_language"):
        assert f'id="{field_id}"' in html
        assert f'for="{field_id}"' in html, f"{field_id} has no label"


@pytest.mark.django_db
def test_signup_stores_name_and_language_and_queues_confirmation_in_that_language(client):
    response = _signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    assert (user.full_name, user.language) == ("Anna Bērziņa", "lv")
    assert not EmailAddress.objects.get(user=user).verified
    message = OutboxEmail.objects.get(to="new@example.org")
    assert message.language == "lv"
    assert message.user == user
    assert "/accounts/confirm-email/" in message.body_text
    assert "Agnitio" in message.body_text and "testserver" not in message.body_text.split("http")[0]


@pytest.mark.django_db
def test_signup_error_shows_message_and_keeps_input(client):
    response = client.post(reverse("account_signup"), {
        "email": "new@example.org", "password1": PASSWORD, "password2": "different-passphrase-42",
        "full_name": "Anna", "language": "en",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="errorlist' in html
    assert 'value="new@example.org"' in html and 'value="Anna"' in html
    assert not User.objects.filter(email="new@example.org").exists()


@pytest.mark.django_db
def test_unconfirmed_user_cannot_sign_in(client):
    _signup(client)
    client.logout()
    response = client.post(reverse("account_login"), {"login": "new@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_confirmation_link_verifies_and_signs_in(client):
    _signup(client)
    path = _confirmation_path()
    assert "_auth_user_id" not in client.session
    assert client.get(path).status_code == 200  # confirm page (no confirmation on GET)
    response = client.post(path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new@example.org").verified
    assert client.session["_auth_user_id"] == str(User.objects.get(email="new@example.org").pk)


@pytest.mark.django_db
@pytest.mark.parametrize(("hours", "accepted"), [(47.9, True), (48.1, False)])
def test_confirmation_link_is_valid_for_48_hours(client, hours, accepted):
    _signup(client)
    path = _confirmation_path()
    client.logout()
    later = time.time() + hours * 3600
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.post(path)
    assert EmailAddress.objects.get(email="new@example.org").verified is accepted
    if not accepted:
        assert response.status_code == 404  # allauth refuses an expired key
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sign_in_and_out(client, make_user):
    make_user("person@example.org", password=PASSWORD)
    response = client.post(reverse("account_login"), {"login": "person@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sign_in_switches_interface_to_preferred_language(client, make_user):
    make_user("latvian@example.org", password=PASSWORD, language="lv")
    response = client.post(reverse("account_login"), {"login": "latvian@example.org", "password": PASSWORD},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.cookies["django_language"].value == "lv"
    page = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="lv">' in page.content.decode()


@pytest.mark.django_db
def test_change_password(client, make_user):
    user = make_user("person@example.org", password=PASSWORD)
    client.force_login(user)
    response = client.post(reverse("account_change_password"), {
        "oldpassword": PASSWORD, "password1": "another-passphrase-43", "password2": "another-passphrase-43",
    })
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-passphrase-43")


@pytest.mark.django_db
def test_change_password_with_wrong_old_password_changes_nothing(client, make_user):
    user = make_user("person@example.org", password=PASSWORD)
    client.force_login(user)
    response = client.post(reverse("account_change_password"), {
        "oldpassword": "wrong-passphrase", "password1": "another-passphrase-43", "password2": "another-passphrase-43",
    })
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_signed_in_session_ends_after_the_idle_time_or_at_browser_close(client, make_user, settings):
    make_user("person@example.org", password=PASSWORD)
    page = client.get(reverse("account_login")).content.decode()
    assert 'name="remember"' not in page  # no "remember me" that would outlive the idle limit
    client.post(reverse("account_login"), {"login": "person@example.org", "password": PASSWORD})
    assert client.session.get_expiry_age() == settings.SESSION_IDLE_SECONDS
    assert client.session.get_expire_at_browser_close()
