"""Throttle public verification: look-ups by code (`/verify/<code>`, `/api/v1/verify/<code>`) show the holder's
name, and checking an uploaded or posted document (`/verify/` POST, `POST /credentials/verify`) costs a proof check,
so one client gets one budget for all of them (shared cache in production: `CACHE_URL`).
`AGNITIO_VERIFY_RATE_LIMIT` (e.g. "120/m"; empty = off) is per client IP address. Other public verification
endpoints (e.g. `/presentations/verify`) should call `verify_throttled(request)` too.

The budget is django-ratelimit's (its "ip" key, its windows, its cache keys, `RATELIMIT_ENABLE`,
`RATELIMIT_USE_CACHE`): what `is_ratelimited(..., increment=True)` counted before, counted the same way — but in one
cache command per request (`core.cache.counter_incr`: a Lua INCR + EXPIRE on the shared Redis client) instead of
its three (SET NX, EXISTS, INCRBY), which cost more CPU than the rest of a look-up by code (issue 14 point 5)."""

from django.conf import settings
from django.core.cache import caches
from django_ratelimit import ALL
from django_ratelimit.core import EXPIRATION_FUDGE, _get_ip, _get_window, _make_cache_key, _split_rate

from agnitio.core.cache import counter_incr

GROUP = "credentials.verify"


def verify_throttled(request) -> bool:
    rate = getattr(settings, "AGNITIO_VERIFY_RATE_LIMIT", "")
    if not rate or not getattr(settings, "RATELIMIT_ENABLE", True):
        return False
    # django-ratelimit's "ip" key (honours RATELIMIT_IP_META_KEY, groups IPv6 /64); a request without an address
    # (some test clients, Unix sockets without a proxy header) shares one bucket rather than failing.
    if request.META.get("REMOTE_ADDR") or getattr(settings, "RATELIMIT_IP_META_KEY", None):
        value = _get_ip(request)
    else:
        value = "no-address"
    limit, period = _split_rate(rate)
    key = _make_cache_key(GROUP, _get_window(value, period), rate, value, ALL)
    cache = caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]
    return counter_incr(cache, key, timeout=period + EXPIRATION_FUDGE) > limit
