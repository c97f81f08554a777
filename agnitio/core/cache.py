"""Redis cache with one client per process (issue 14 point 5).

Django's `RedisCache` builds a new `redis.Redis` object for every cache call (≈ 0.07 ms CPU: the client copies its
table of response callbacks), and keeps a connection pool per *thread* (each thread has its own cache object).
Throttled public verification makes two such calls per request. Here every cache object of the process shares one
client per server address, built lazily on first use — so after a fork (gunicorn's workers) each process builds its
own, and a client inherited through a fork is still safe: redis-py's pool notices the fork and opens new
connections. A `redis.Redis` client is thread-safe (each command borrows a connection from the pool).
`CACHE_URL=redis://…` selects it (settings/base.py).

The two commands every request may send — a GET (the session of every signed-in request, `cached_db`) and the
throttle's counter (public verification) — are sent by `command()`: on a connection of the same pool, packed and
parsed by redis-py's own connection, without the client's per-command wrapping (retry closures, observability
records), which cost several times the round trip's own CPU. A lost connection is retried the library's way.
"""

from __future__ import annotations

import hashlib
import threading

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError
from redis.exceptions import TimeoutError as RedisTimeoutError

# Commands `command()` may send: the client has no response callback for them (test_cache pins it), so what the
# connection reads is what `client.execute_command` returns.
LEAN_COMMANDS = frozenset({"GET", "EVALSHA"})


def command(client, *args):
    """`client.execute_command(*args)` for a command of LEAN_COMMANDS, with the same answer and errors: one command
    on a connection of the client's pool (which checks it, reconnects it and notices a fork, as for any command).
    On a lost connection (the errors redis-py retries) the connection is closed and the command is sent again by
    `client.execute_command`, with the client's own retries."""
    pool = client.connection_pool
    connection = pool.get_connection()
    try:
        connection.send_command(*args)
        return connection.read_response()
    except (RedisConnectionError, RedisTimeoutError):
        connection.disconnect()
    finally:
        pool.release(connection)
    return client.execute_command(*args)

_clients: dict[tuple, object] = {}
_lock = threading.Lock()


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._options_marker = repr(sorted(self._pool_options.items(), key=lambda item: item[0]))
        self._shared: dict[int, object] = {}  # index of the server → the process's client for it

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._shared.get(index)
        if client is None:
            marker = (self._servers[index], self._options_marker)
            with _lock:
                client = _clients.get(marker)
                if client is None:
                    pool = self._pool_class.from_url(self._servers[index], **self._pool_options)
                    client = _clients[marker] = self._client(connection_pool=pool)
            self._shared[index] = client
        return client

    def get(self, key, default):
        # Django's RedisCacheClient.get, its `client.get(key)` sent by command()
        value = command(self.get_client(key), "GET", key)
        return default if value is None else self._serializer.loads(value)


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient


# One round trip, atomic: the count after this increment; the first increment of a key starts its lifetime.
_INCR_EXPIRE = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""
_INCR_EXPIRE_SHA = hashlib.sha1(_INCR_EXPIRE.encode(), usedforsecurity=False).hexdigest()  # as Script does


def counter_incr(cache, key: str, *, timeout: int) -> int:
    """Add one to the counter `key` of `cache` and return the new count; a new counter lives `timeout` seconds
    from its first increment (a fixed window: later increments do not extend it).

    On the shared Redis client this is one command (a Lua script: INCR, and EXPIRE on the first) instead of the
    three of Django's `add` then `incr` (SET NX, EXISTS, INCRBY). Other backends (the test settings' local memory)
    do `add` then `incr`, with the same result."""
    backend = getattr(cache, "_cache", None)  # also through django.core.cache.cache (a proxy)
    if isinstance(backend, SharedClientRedisCacheClient):
        client = backend.get_client(key, write=True)
        redis_key = cache.make_and_validate_key(key)
        try:  # Script.__call__'s EVALSHA, sent by command()
            return int(command(client, "EVALSHA", _INCR_EXPIRE_SHA, 1, redis_key, int(timeout)))
        except NoScriptError:  # not loaded yet (a new or restarted server): load it as Script.__call__ does, run it
            sha = client.script_load(_INCR_EXPIRE)
            return int(command(client, "EVALSHA", sha, 1, redis_key, int(timeout)))
    if cache.add(key, 1, timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: this is the first of a new window
        cache.add(key, 1, timeout)
        return 1
