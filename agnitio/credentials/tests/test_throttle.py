"""Issue 14 point 5: the verification throttle counts as django-ratelimit did (same keys, windows and limits) in one
cache command per request."""

import uuid

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django_ratelimit.core import get_usage

from agnitio.credentials.throttle import GROUP, verify_throttled


def _request(address="192.0.2.1", **meta):
    return RequestFactory().get("/api/v1/verify/X", REMOTE_ADDR=address, **meta)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_limit_per_address_then_refused(settings):
    settings.AGNITIO_VERIFY_RATE_LIMIT = "3/m"
    assert [verify_throttled(_request()) for _ in range(5)] == [False, False, False, True, True]
    assert verify_throttled(_request("192.0.2.2")) is False  # another client has its own budget


def test_counts_in_django_ratelimits_own_counter(settings):
    """The count lives under django-ratelimit's key: its get_usage reads what this throttle counted."""
    settings.AGNITIO_VERIFY_RATE_LIMIT = "10/m"
    for _ in range(4):
        verify_throttled(_request())
    usage = get_usage(_request(), group=GROUP, key="ip", rate="10/m", increment=False)
    assert usage["count"] == 4 and usage["limit"] == 10 and not usage["should_limit"]


def test_ipv6_addresses_of_one_network_share_a_budget(settings):
    settings.AGNITIO_VERIFY_RATE_LIMIT = "2/m"
    assert not verify_throttled(_request("2001:db8::1"))
    assert not verify_throttled(_request("2001:db8::2"))
    assert verify_throttled(_request("2001:db8::ffff"))  # same /64
    assert not verify_throttled(_request("2001:db8:0:1::1"))  # another /64


def test_requests_without_an_address_share_one_budget(settings):
    settings.AGNITIO_VERIFY_RATE_LIMIT = "1/m"
    assert not verify_throttled(_request(""))
    assert verify_throttled(_request(""))
    assert not verify_throttled(_request("192.0.2.3"))


def test_off_when_empty_or_ratelimit_disabled(settings):
    settings.AGNITIO_VERIFY_RATE_LIMIT = ""
    assert not any(verify_throttled(_request()) for _ in range(5))
    settings.AGNITIO_VERIFY_RATE_LIMIT = "1/m"
    settings.RATELIMIT_ENABLE = False
    assert not any(verify_throttled(_request()) for _ in range(5))
    assert cache.get_many([]) == {}


@pytest.mark.services
def test_on_redis_each_check_is_one_command(settings):
    settings.AGNITIO_VERIFY_RATE_LIMIT = "2/m"
    with override_settings(CACHES={"default": {"BACKEND": "agnitio.core.cache.RedisCache",
                                               "LOCATION": "redis://127.0.0.1:6379/0",
                                               "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}):
        from django.core.cache import caches
        from redis.connection import Connection

        from agnitio.core.cache import _INCR_EXPIRE

        # as on a server that has counted before; a new server (NOSCRIPT on the first check) is test_cache's
        caches["default"]._cache.get_client(write=True).script_load(_INCR_EXPIRE)
        sent = []
        original = Connection.send_command

        def counting(self, *args, **kwargs):  # every command, however the cache sends it (core.cache.command)
            sent.append(args[0])
            return original(self, *args, **kwargs)

        Connection.send_command = counting
        try:
            results = [verify_throttled(_request("198.51.100.7")) for _ in range(3)]
        finally:
            Connection.send_command = original
        assert results == [False, False, True]
        assert sent == ["EVALSHA"] * 3


def test_the_budget_comes_back_in_the_next_window(settings, ratelimit_clock):
    """Windows follow django-ratelimit's clock (held still by the `ratelimit_clock` fixture, so a test's requests
    never straddle a window's edge): a refused client is counted afresh once its window has passed."""
    settings.AGNITIO_VERIFY_RATE_LIMIT = "2/m"
    assert [verify_throttled(_request()) for _ in range(3)] == [False, False, True]
    ratelimit_clock.advance(60)
    assert [verify_throttled(_request()) for _ in range(3)] == [False, False, True]  # a full window later: renewed



def test_every_setting_the_throttle_reads_is_declared(monkeypatch):
    """django-ratelimit reads its settings with getattr(settings, name, default) on every request; an unset one is
    a miss that Django's settings do not remember (an AttributeError raised and caught each time). base.py names
    them all, at the library's defaults."""
    from django.conf import LazySettings

    missed = []
    looked_up = LazySettings.__getattr__

    def recording(self, name):
        try:
            return looked_up(self, name)
        except AttributeError:
            missed.append(name)
            raise

    monkeypatch.setattr(LazySettings, "__getattr__", recording)
    verify_throttled(_request())
    verify_throttled(_request("2001:db8::1"))
    assert missed == []
