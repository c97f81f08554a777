"""What allauth does to an account is audited, and the user is told by e-mail in their language."""

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from agnitio.accounts.services import account_event_record
from agnitio.core.models import AuditEvent
from agnitio.notifications.models import OutboxEmail

from .test_security import PASSWORD, _reauthenticate, _totp_code


def _verbs(user):
    return list(AuditEvent.objects.filter(object_id=user.public_id).order_by("id").values_list("verb", flat=True))


@pytest.mark.django_db
def test_sign_up_and_confirmation_are_audited(client):
    from agnitio.accounts.models import User

    client.post(reverse("account_signup"), {"email": "new@example.org", "password1": "a-long-passphrase-42",
                                            "password2": "a-long-passphrase-42", "language": "en"})
    user = User.objects.get(email="new@example.org")
    assert _verbs(user) == ["signed_up"]
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    key = EmailConfirmationHMAC(EmailAddress.objects.get(user=user)).key
    client.post(reverse("account_confirm_email", args=[key]))
    assert _verbs(user) == ["signed_up", "email_confirmed"]
    event = AuditEvent.objects.get(verb="email_confirmed")
    assert event.actor == user and event.changes == {"email": [None, "new@example.org"]}


@pytest.mark.django_db
def test_password_change_is_audited_and_announced_in_the_users_language(client, make_user):
    user = make_user("latvian@example.org", password=PASSWORD, language="lv")
    client.post(reverse("account_login"), {"login": "latvian@example.org", "password": PASSWORD})
    client.post(reverse("account_change_password"), {
        "oldpassword": PASSWORD, "password1": "another-passphrase-43", "password2": "another-passphrase-43",
    })
    assert _verbs(user) == ["password_changed"]
    notice = OutboxEmail.objects.get(to="latvian@example.org", template="account/email/password_changed")
    assert notice.language == "lv"
    assert notice.user == user


@pytest.mark.django_db
def test_two_factor_changes_are_audited(client, make_user, django_capture_on_commit_callbacks):
    user = make_user("person@example.org", password=PASSWORD)
    client.post(reverse("account_login"), {"login": "person@example.org", "password": PASSWORD})
    _reauthenticate(client)
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals after the commit
        client.post(reverse("mfa_activate_totp"), {"code": _totp_code(secret)})
    assert sorted(_verbs(user)) == ["mfa_recovery_codes_added", "mfa_totp_added"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_deactivate_totp"), {})
    assert sorted(_verbs(user)[2:]) == ["mfa_recovery_codes_removed", "mfa_totp_removed"]
    assert OutboxEmail.objects.filter(to="person@example.org", template="mfa/email/totp_deactivated").exists()


@pytest.mark.django_db
def test_failed_password_change_records_nothing(client, make_user):
    user = make_user("person@example.org", password=PASSWORD)
    client.force_login(user)
    client.post(reverse("account_change_password"), {
        "oldpassword": "wrong", "password1": "another-passphrase-43", "password2": "another-passphrase-43",
    })
    assert _verbs(user) == []
    assert not OutboxEmail.objects.exists()


@pytest.mark.django_db
def test_unknown_account_event_is_refused(make_user):
    user = make_user("person@example.org")
    with pytest.raises(ValueError):
        account_event_record(user=user, verb="made_up")
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_recovery_codes_reset_is_audited(client, make_user, django_capture_on_commit_callbacks):
    user = make_user("person@example.org", password=PASSWORD)
    TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)
    client.force_login(user)
    _reauthenticate(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_generate_recovery_codes"), {})
    assert response.status_code == 302
    assert _verbs(user)[-1] == "mfa_recovery_codes_reset"
