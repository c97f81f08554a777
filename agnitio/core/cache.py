"""Redis cache with one client per process (issue 14 point 5).

Django's `RedisCache` builds a new `redis.Redis` object for every cache call (≈ 0.07 ms CPU: the client copies its
table of response callbacks), and keeps a connection pool per *thread* (each thread has its own cache object).
Throttled public verification makes two such calls per request. Here every cache object of the process shares one
client per server address, built lazily on first use — so after a fork (gunicorn's workers) each process builds its
own, and a client inherited through a fork is still safe: redis-py's pool notices the fork and opens new
connections. A `redis.Redis` client is thread-safe (each command borrows a connection from the pool).
`CACHE_URL=redis://…` selects it (settings/base.py).
"""

from __future__ import annotations

import threading

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

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
_scripts: dict[int, object] = {}  # id of a shared client → its registered script (the SHA is sent, not the text)


def counter_incr(cache, key: str, *, timeout: int) -> int:
    """Add one to the counter `key` of `cache` and return the new count; a new counter lives `timeout` seconds
    from its first increment (a fixed window: later increments do not extend it).

    On the shared Redis client this is one command (a Lua script: INCR, and EXPIRE on the first) instead of the
    three of Django's `add` then `incr` (SET NX, EXISTS, INCRBY). Other backends (the test settings' local memory)
    do `add` then `incr`, with the same result."""
    backend = getattr(cache, "_cache", None)  # also through django.core.cache.cache (a proxy)
    if isinstance(backend, SharedClientRedisCacheClient):
        client = backend.get_client(key, write=True)
        script = _scripts.get(id(client))
        if script is None:
            script = _scripts[id(client)] = client.register_script(_INCR_EXPIRE)
        return int(script(keys=[cache.make_and_validate_key(key)], args=[int(timeout)]))
    if cache.add(key, 1, timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: this is the first of a new window
        cache.add(key, 1, timeout)
        return 1
