"""Password reset in the user's language, login throttling, and TOTP two-factor authentication."""

from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse
from django.utils import translation

from agnitio.core.models import AuditEvent
from agnitio.notifications.models import OutboxEmail

from .conftest import link_in

PASSWORD = "correct-horse-battery"


def _reauthenticate(client):
    """allauth asks for the password again before two-factor settings change (recent "reauthentication")."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def _totp_code(secret: str) -> str:
    counter = list(yield_hotp_counters_from_time())[len(list(yield_hotp_counters_from_time())) // 2]
    return format_hotp_value(hotp_value(secret, counter))


# --- password reset ------------------------------------------------------------


@pytest.mark.django_db
def test_password_reset_mail_is_in_the_users_language(client, make_user):
    make_user("latvian@example.org", language="lv")
    response = client.post(reverse("account_reset_password"), {"email": "latvian@example.org"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    message = OutboxEmail.objects.get(to="latvian@example.org")
    assert message.language == "lv"
    assert message.template == "account/email/password_reset_key"
    with translation.override("lv"):
        latvian_subject = translation.gettext("Password Reset Email")
    assert latvian_subject != "Password Reset Email"  # allauth ships a Latvian translation of it
    assert latvian_subject in message.subject


@pytest.mark.django_db
def test_password_reset_for_unknown_address_uses_the_current_language(client):
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"}, HTTP_ACCEPT_LANGUAGE="lv")
    message = OutboxEmail.objects.get(to="nobody@example.org")
    assert message.language == "lv"
    assert message.user is None


@pytest.mark.django_db
def test_password_reset_link_sets_a_new_password(client, make_user):
    user = make_user("person@example.org")
    client.post(reverse("account_reset_password"), {"email": "person@example.org"})
    message = OutboxEmail.objects.get(to="person@example.org")
    path = urlsplit(link_in(message.body_text, "/accounts/password/reset/key/")).path
    response = client.get(path, follow=True)  # allauth moves the key into the session and redirects
    form_path = response.redirect_chain[-1][0] if response.redirect_chain else path
    response = client.post(form_path, {"password1": "brand-new-passphrase-7", "password2": "brand-new-passphrase-7"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand-new-passphrase-7")


# --- throttling ------------------------------------------------------------------


@pytest.mark.django_db
def test_repeated_wrong_passwords_are_blocked(client, make_user):
    user = make_user("person@example.org", password=PASSWORD)
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": "person@example.org", "password": "wrong-guess"})
        assert response.status_code == 200
    # The sixth attempt is refused even with the right password, and nothing about the account changed.
    response = client.post(reverse("account_login"), {"login": "person@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.last_login is None
    assert user.check_password(PASSWORD)
    assert user.is_active


@pytest.mark.django_db
def test_throttling_is_per_account_and_address_and_leaves_others_alone(client, make_user):
    make_user("victim@example.org", password=PASSWORD)
    other = make_user("other@example.org", password=PASSWORD)
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "victim@example.org", "password": "wrong-guess"},
                    REMOTE_ADDR="10.0.0.1")
    # A different address signing into another account is not affected.
    response = client.post(reverse("account_login"), {"login": "other@example.org", "password": PASSWORD},
                           REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


# --- two-factor ----------------------------------------------------------------------


@pytest.mark.django_db
def test_enable_totp_then_sign_in_requires_code(client, make_user):
    user = make_user("person@example.org", password=PASSWORD)
    client.force_login(user)
    assert client.get(reverse("mfa_activate_totp")).status_code == 302  # to reauthentication first
    _reauthenticate(client)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    secret = response.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": _totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
    client.logout()

    response = client.post(reverse("account_login"), {"login": "person@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # password alone is not enough

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session

    cache_clear_used_codes()
    response = client.post(reverse("mfa_authenticate"), {"code": _totp_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def cache_clear_used_codes():
    from django.core.cache import cache

    cache.clear()  # the activation code was marked used; the next one in the same period must be accepted


@pytest.mark.django_db
def test_recovery_code_signs_in_and_totp_can_be_disabled(client, make_user):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    user = make_user("person@example.org", password=PASSWORD)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    client.post(reverse("account_login"), {"login": "person@example.org", "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)

    _reauthenticate(client)
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert response.status_code == 200
    assert codes[1] in response.content.decode()

    response = client.post(reverse("mfa_deactivate_totp"), {})
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


@pytest.mark.django_db
def test_wrong_totp_activation_code_changes_nothing(client, make_user):
    user = make_user("person@example.org", password=PASSWORD)
    client.force_login(user)
    _reauthenticate(client)
    client.get(reverse("mfa_activate_totp"))
    events = AuditEvent.objects.count()
    response = client.post(reverse("mfa_activate_totp"), {"code": "123456"})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not Authenticator.objects.filter(user=user).exists()
    assert AuditEvent.objects.count() == events
