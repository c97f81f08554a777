"""Issue 8, point 11: failed sign-ins lock per (account, address), then per account, and only very generously per
address — one person on a shared school network cannot lock everyone else out."""

import pytest
from django.conf import settings
from django.urls import reverse

PASSWORD = "correct-horse-battery"
SCHOOL = "10.0.0.1"


def _login(client, email, password, ip):
    client.logout()
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip)


def _signed_in_as(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


@pytest.mark.django_db
def test_one_pupil_failing_does_not_lock_the_school(client, make_user):
    a = make_user("a@school.example", password=PASSWORD)
    b = make_user("b@school.example", password=PASSWORD)
    for _ in range(10):
        response = _login(client, "a@school.example", "wrong-guess", SCHOOL)
        assert response.status_code == 200 and not _signed_in_as(client, a)
    # Another pupil behind the same address signs in.
    assert _login(client, "b@school.example", PASSWORD, SCHOOL).status_code == 302
    assert _signed_in_as(client, b)
    # A is locked from the school's address, even with the right password ...
    response = _login(client, "a@school.example", PASSWORD, SCHOOL)
    assert response.status_code == 200 and "Too many failed login attempts" in response.content.decode()
    assert not _signed_in_as(client, a)
    # ... but not from home: the account as a whole has a larger budget.
    assert _login(client, "a@school.example", PASSWORD, "192.0.2.7").status_code == 302
    assert _signed_in_as(client, a)


@pytest.mark.django_db
def test_account_is_locked_when_guesses_come_from_many_addresses(client, make_user):
    victim = make_user("victim@example.org", password=PASSWORD)
    for n in range(20):
        _login(client, "victim@example.org", "wrong-guess", f"198.51.100.{n}")
    response = _login(client, "victim@example.org", PASSWORD, "203.0.113.9")
    assert "Too many failed login attempts" in response.content.decode()
    assert not _signed_in_as(client, victim)


@pytest.mark.django_db
def test_one_address_guessing_many_accounts_is_stopped(client, make_user):
    target = make_user("target@example.org", password=PASSWORD)
    for n in range(100):
        _login(client, f"nobody{n}@example.org", "wrong-guess", "203.0.113.50")
    response = _login(client, "target@example.org", PASSWORD, "203.0.113.50")
    assert "Too many failed login attempts" in response.content.decode()
    assert not _signed_in_as(client, target)
    # Everyone else is unaffected.
    assert _login(client, "target@example.org", PASSWORD, SCHOOL).status_code == 302


@pytest.mark.django_db
def test_successful_sign_in_does_not_use_up_the_budget(client, make_user):
    user = make_user("a@school.example", password=PASSWORD)
    for _ in range(8):
        assert _login(client, "a@school.example", PASSWORD, SCHOOL).status_code == 302
    for _ in range(4):
        _login(client, "a@school.example", "wrong-guess", SCHOOL)
    assert _login(client, "a@school.example", PASSWORD, SCHOOL).status_code == 302
    assert _signed_in_as(client, user)


def test_the_documented_rates():
    assert settings.AGNITIO_SIGNIN_FAILURE_LIMITS == {"account_address": "5/5m", "account": "20/5m",
                                                      "address": "100/5m"}
    assert settings.AGNITIO_SIGNIN_ATTEMPTS_PER_ADDRESS == "300/m"
    assert settings.ACCOUNT_RATE_LIMITS["login"] is None  # replaced by the lock-free one above
