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
    from agnitio.core.cache import _INCR_EXPIRE, counter_incr

    client = redis_cache._cache.get_client(write=True)
    client.script_load(_INCR_EXPIRE)  # as on a server that has counted before (a new one: below)
    sent = _sent_commands(client)
    try:
        assert [counter_incr(redis_cache, "c", timeout=60) for _ in range(3)] == [1, 2, 3]
    finally:
        sent.undo()
    assert sent == ["EVALSHA"] * 3
    assert redis_cache.get("c") == 3  # the cache reads the count (Django stores integers as plain integers)
    ttl = client.ttl(redis_cache.make_and_validate_key("c"))
    assert 55 <= ttl <= 60  # set by the first increment, not extended by the later ones
    client.expire(redis_cache.make_and_validate_key("c"), 1)
    import time

    time.sleep(1.1)
    assert counter_incr(redis_cache, "c", timeout=60) == 1  # a new window starts from one


class _Sent(list):
    undo: object


def _sent_commands(client) -> _Sent:
    """The names of the commands sent on the client's connections (whichever way they are sent)."""
    from redis.connection import Connection

    sent = _Sent()
    original = Connection.send_command

    def counting(self, *args, **kwargs):
        sent.append(args[0])
        return original(self, *args, **kwargs)

    Connection.send_command = counting

    def undo():
        Connection.send_command = original

    sent.undo = undo
    return sent


def test_lean_commands_answer_what_the_client_answers(redis_cache):
    """core.cache.command: the answer and the errors of `client.execute_command`, for the commands it may send (those
    without a response callback in redis-py, whose answer is what the connection reads)."""
    from redis.exceptions import NoScriptError, ResponseError

    from agnitio.core.cache import _INCR_EXPIRE, _INCR_EXPIRE_SHA, LEAN_COMMANDS, command

    client = redis_cache._cache.get_client(write=True)
    assert all(name not in client.response_callbacks for name in LEAN_COMMANDS)
    assert client.register_script(_INCR_EXPIRE).sha == _INCR_EXPIRE_SHA
    key = redis_cache.make_and_validate_key("lean")
    for value in ("ūdens 💧", b"\x00\xff", 7):
        redis_cache.set("lean", value, 60)
        assert command(client, "GET", key) == client.execute_command("GET", key)
        assert redis_cache.get("lean") == value
    assert command(client, "GET", key + "-none") is None and redis_cache.get("lean-none", "d") == "d"
    client.script_load(_INCR_EXPIRE)
    assert command(client, "EVALSHA", _INCR_EXPIRE_SHA, 1, key, 60) == 8
    assert client.execute_command("EVALSHA", _INCR_EXPIRE_SHA, 1, key, 60) == 9
    redis_cache.set("text", "not a number", 60)
    text_key = redis_cache.make_and_validate_key("text")
    for error, sha, target in ((NoScriptError, "0" * 40, key), (ResponseError, _INCR_EXPIRE_SHA, text_key)):
        with pytest.raises(error) as lean:
            command(client, "EVALSHA", sha, 1, target, 60)
        with pytest.raises(error) as library:
            client.execute_command("EVALSHA", sha, 1, target, 60)
        assert type(lean.value) is type(library.value) and str(lean.value) == str(library.value)
    # the connection goes back to the pool after an error, ready for the next command
    assert client.connection_pool._in_use_connections == set()
    assert redis_cache.get("lean") == 9


def test_lean_command_retries_a_lost_connection_the_librarys_way(redis_cache):
    from redis.connection import Connection
    from redis.exceptions import ConnectionError as RedisConnectionError

    redis_cache.set("lost", "still here", 60)
    original = Connection.send_command
    failures = []

    def lost_once(self, *args, **kwargs):
        if not failures:
            failures.append(args[0])
            raise RedisConnectionError("connection lost")
        return original(self, *args, **kwargs)

    Connection.send_command = lost_once
    try:
        assert redis_cache.get("lost") == "still here"
    finally:
        Connection.send_command = original
    assert failures == ["GET"]
    assert redis_cache._cache.get_client().connection_pool._in_use_connections == set()


def test_counter_loads_its_script_when_redis_does_not_know_it(redis_cache, monkeypatch):
    from agnitio.core import cache as core_cache

    monkeypatch.setattr(core_cache, "_INCR_EXPIRE_SHA", "0" * 40)  # as on a new or restarted Redis: NOSCRIPT
    client = redis_cache._cache.get_client(write=True)
    client.ping()  # a connection in the pool, so what is counted below is the counter's own commands
    sent = _sent_commands(client)
    try:
        assert [core_cache.counter_incr(redis_cache, "s", timeout=60) for _ in range(2)] == [1, 2]
    finally:
        sent.undo()
    assert sent == ["EVALSHA", "SCRIPT LOAD", "EVALSHA"] * 2  # refused, loaded, run: three commands, no more


def test_counter_on_other_backends_counts_the_same():
    from django.core.cache import caches

    from agnitio.core.cache import counter_incr

    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                               "LOCATION": f"counter-{uuid.uuid4().hex}"}}):
        cache = caches["default"]
        assert [counter_incr(cache, "c", timeout=60) for _ in range(3)] == [1, 2, 3]
        assert cache.get("c") == 3
