"""Issue 14 point 5: one Redis client per process, reused by every cache call and thread, safe across a fork."""

import os
import threading
import uuid

import environ
import pytest
from django.test import override_settings

REDIS_URL = "redis://127.0.0.1:6379/0"
pytestmark = pytest.mark.services  # the real Redis at 127.0.0.1:6379, as production uses it


@pytest.fixture
def redis_cache():
    with override_settings(CACHES={"default": {"BACKEND": "agnitio.core.cache.RedisCache", "LOCATION": REDIS_URL,
                                               "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}):
        from django.core.cache import cache

        yield cache


def test_cache_url_selects_the_shared_client_backend():
    import importlib

    from agnitio.settings import base

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CACHE_URL", REDIS_URL)
        reloaded = importlib.reload(base)
        assert reloaded.CACHES["default"]["BACKEND"] == "agnitio.core.cache.RedisCache"
    importlib.reload(base)
    assert environ.Env.cache_url_config(REDIS_URL)["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


def test_one_client_for_every_call_and_thread(redis_cache):
    from django.core.cache import caches

    client = redis_cache._cache.get_client()
    assert redis_cache.add("n", 1, timeout=60) and redis_cache.incr("n") == 2
    assert redis_cache._cache.get_client(write=True) is client
    seen = []

    def other_thread():  # Django gives each thread a cache object of its own; the client is still the one
        cache = caches["default"]
        seen.append((cache is redis_cache, cache._cache.get_client(), cache.get("n")))

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert seen == [(False, client, 2)]


def test_a_forked_process_uses_the_inherited_client_safely(redis_cache):
    assert redis_cache.add("forked", 1, timeout=60)
    pid = os.fork()
    if pid == 0:  # child: the pool sees the new pid and opens its own connection
        try:
            code = 0 if redis_cache.incr("forked") == 2 else 1
        except Exception:
            code = 2
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert redis_cache.incr("forked") == 3


def test_counter_is_one_redis_command_with_a_fixed_lifetime(redis_cache):
    from agnitio.core.cache import counter_incr

    client = redis_cache._cache.get_client(write=True)
    sent = []
    original = client.execute_command

    def counting(*args, **options):
        sent.append(args[0])
        return original(*args, **options)

    client.execute_command = counting
    try:
        assert [counter_incr(redis_cache, "c", timeout=60) for _ in range(3)] == [1, 2, 3]
    finally:
        del client.execute_command
    assert sent.count("EVALSHA") + sent.count("EVAL") == 3 and set(sent) <= {"EVALSHA", "EVAL", "SCRIPT LOAD"}
    assert redis_cache.get("c") == 3  # the cache reads the count (Django stores integers as plain integers)
    ttl = client.ttl(redis_cache.make_and_validate_key("c"))
    assert 55 <= ttl <= 60  # set by the first increment, not extended by the later ones
    client.expire(redis_cache.make_and_validate_key("c"), 1)
    import time

    time.sleep(1.1)
    assert counter_incr(redis_cache, "c", timeout=60) == 1  # a new window starts from one


def test_counter_on_other_backends_counts_the_same():
    from django.core.cache import caches

    from agnitio.core.cache import counter_incr

    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                               "LOCATION": f"counter-{uuid.uuid4().hex}"}}):
        cache = caches["default"]
        assert [counter_incr(cache, "c", timeout=60) for _ in range(3)] == [1, 2, 3]
        assert cache.get("c") == 3
