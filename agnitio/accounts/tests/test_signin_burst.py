"""Issue 14 point 4: a class signs in at once. 50 people signing in from one address within a minute all get in when
their passwords are right — with many sign-ins in flight at the same moment, against the cache production uses
for the counters (Redis) — while wrong passwords are still throttled per account and per address."""

import threading
import uuid

import pytest
from django.contrib.auth.signals import user_login_failed
from django.test import override_settings
from django.urls import reverse

from agnitio.accounts.testing import signin_burst, threaded_server

PASSWORD = "correct-horse-battery"
SCHOOL = "10.0.0.1"
CLASS = 50
REDIS_URL = "redis://127.0.0.1:6379/0"
pytestmark = pytest.mark.services  # the real Redis at 127.0.0.1:6379, as production uses it


@pytest.fixture
def redis_cache():
    """The shared Redis as production uses it (CACHE_URL), under a key prefix of this test's own (other runs use
    the same server; nothing is cleared, the counters expire by themselves)."""
    with override_settings(CACHES={"default": {"BACKEND": "agnitio.core.cache.RedisCache",
                                               "LOCATION": REDIS_URL, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}):
        from django.core.cache import cache

        assert cache.add("alive", 1, timeout=60), "Redis at 127.0.0.1:6379 is needed"
        yield cache


@pytest.fixture(autouse=True)
def signin_clock(monkeypatch):
    """The sign-in budgets are sliding windows made of two fixed ones (accounts.throttle): a test whose attempts
    straddled a window's turn saw the earlier ones weigh a little less than one each, and one more password was
    checked (101 of a budget of 100). Each test holds the clock those counters read at one instant, the first
    second of a day (so of every window of these budgets); the counters' keys are the test's own (redis_cache)."""
    import time

    import agnitio.accounts.throttle as throttle

    instant = float(int(time.time() // 86400) * 86400 + 1)

    class Clock:
        def time(self) -> float:
            return instant

    monkeypatch.setattr(throttle, "time", Clock())


@pytest.fixture
def server(transactional_db):
    with threaded_server() as url:
        yield url


@pytest.fixture
def password_checks():
    """Counts wrong passwords that were actually checked (Django's signal after every backend said no)."""
    lock, count = threading.Lock(), [0]

    def receiver(**kwargs):
        with lock:
            count[0] += 1

    user_login_failed.connect(receiver, dispatch_uid="test-signin-burst")
    yield count
    user_login_failed.disconnect(dispatch_uid="test-signin-burst")


def _class(make_user, n=CLASS, prefix="pupil"):
    return [make_user(f"{prefix}{i}@school.example", password=PASSWORD).email for i in range(n)]


def _login(client, email, password, ip=SCHOOL):
    client.logout()
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip)


def test_a_class_signs_in_at_once_from_one_address(server, redis_cache, make_user, password_checks):
    """50 threads POST at the same moment to a threaded server (each connection in a thread of its own, all from
    127.0.0.1), after ten pupils of the same class mistyped: every correct password gets in."""
    emails = _class(make_user)
    assert signin_burst(server, [(e, "wrong-typo-123") for e in emails[:10]]) == [False] * 10
    assert password_checks[0] == 10
    results = signin_burst(server, [(e, PASSWORD) for e in emails])
    assert results.count(True) == CLASS, f"{results.count(False)} of {CLASS} refused"


@pytest.mark.django_db
def test_a_class_signs_in_one_after_another_within_a_minute(client, redis_cache, make_user):
    emails = _class(make_user)
    for n, email in enumerate(emails):
        # every other pupil mistypes first: 25 failures of other accounts on the school's address
        if n % 2:
            assert _login(client, email, "wrong-typo-123").status_code == 200
        response = _login(client, email, PASSWORD)
        assert response.status_code == 302, email
        assert client.session["_auth_user_id"]


def test_parallel_guesses_at_one_account_stop_at_its_budget(server, redis_cache, make_user, password_checks):
    """50 wrong passwords for one account at the same moment: only 5 are checked (the pair's budget is reserved
    before the check), and then even the right password is refused from that address."""
    make_user("target@school.example", password=PASSWORD)
    results = signin_burst(server, [("target@school.example", f"guess-{i}-xyz") for i in range(CLASS)])
    assert results == [False] * CLASS
    assert password_checks[0] == 5
    assert signin_burst(server, [("target@school.example", PASSWORD)]) == [False]


@pytest.mark.django_db
def test_one_address_guessing_many_accounts_is_stopped_on_redis(client, redis_cache, make_user, password_checks):
    """Spraying one password over many accounts from one address: the address's budget (100 per 5 minutes) stops
    it, and from there no password is checked any more — a right one neither."""
    target = make_user("target@example.org", password=PASSWORD)
    for n in range(120):
        response = _login(client, f"nobody{n}@example.org", "spray-password-1", "203.0.113.50")
        assert response.status_code == 200
    assert password_checks[0] == 100
    response = _login(client, target.email, PASSWORD, "203.0.113.50")
    assert "Too many failed login attempts" in response.content.decode()
    assert password_checks[0] == 100
    # the same account from the school is unaffected
    assert _login(client, target.email, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_account_budget_and_pair_budget_on_redis(client, redis_cache, make_user, password_checks):
    user = make_user("a@school.example", password=PASSWORD)
    for _ in range(5):
        _login(client, user.email, "wrong-typo-123")
    assert "Too many failed login attempts" in _login(client, user.email, PASSWORD).content.decode()
    assert _login(client, user.email, PASSWORD, "192.0.2.7").status_code == 302  # from home
    for n in range(15):
        _login(client, user.email, "wrong-typo-123", f"198.51.100.{n}")
    assert password_checks[0] == 20
    response = _login(client, user.email, PASSWORD, "203.0.113.9")  # the account's 20 per 5 minutes are used
    assert "Too many failed login attempts" in response.content.decode()


@pytest.mark.django_db
def test_a_password_reset_lifts_the_accounts_lock(client, redis_cache, make_user):
    from django.test import RequestFactory

    from agnitio.accounts.adapter import AccountAdapter

    user = make_user("a@school.example", password=PASSWORD)
    for _ in range(5):
        _login(client, user.email, "wrong-typo-123")
    assert "Too many failed login attempts" in _login(client, user.email, PASSWORD).content.decode()
    request = RequestFactory().post("/", REMOTE_ADDR=SCHOOL)
    AccountAdapter(request)._delete_login_attempts_cached_email(request, email=user.email)
    assert _login(client, user.email, PASSWORD).status_code == 302
