"""Throttle public verification: look-ups by code (`/verify/<code>`, `/api/v1/verify/<code>`) show the holder's
name, and checking an uploaded or posted document (`/verify/` POST, `POST /credentials/verify`) costs a proof check,
so one client gets one budget for all of them (shared cache in production: `CACHE_URL`).
`AGNITIO_VERIFY_RATE_LIMIT` (e.g. "120/m"; empty = off) is per client IP address. Other public verification
endpoints (e.g. `/presentations/verify`) should call `verify_throttled(request)` too.

The budget is django-ratelimit's (its "ip" key, its windows, its cache keys, `RATELIMIT_ENABLE`,
`RATELIMIT_USE_CACHE`): what `is_ratelimited(..., increment=True)` counted before, counted the same way — but in one
cache command per request (`core.cache.counter_incr`: a Lua INCR + EXPIRE on the shared Redis client) instead of
its three (SET NX, EXISTS, INCRBY), which cost more CPU than the rest of a look-up by code (issue 14 point 5).

django-ratelimit reads its settings on every call — most of them unset, so each read is a failed look-up — parses
the rate twice and the client's address with `ipaddress`: a fifth of the throttle's CPU. Here the settings (and the
rate's parts) are read once per process (`_settings()`, again after `setting_changed`), an address already in its
canonical IPv4 form is the key as it is (what `_get_ip` returns for it with the /32 mask; any other address goes
through `_get_ip`), and the key is `_make_cache_key`'s, built from those parts. credentials/tests/test_throttle.py
compares the keys with django-ratelimit's own functions."""

from __future__ import annotations

import hashlib
import re
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string
from django_ratelimit.core import EXPIRATION_FUDGE, _get_ip, _get_window, _split_rate

from agnitio.core.cache import counter_incr

GROUP = "credentials.verify"

# A dotted quad without leading zeros: `ipaddress` gives it back unchanged (it refuses leading zeros).
_CANONICAL_IPV4 = re.compile(r"(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}"
                             r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\Z")


class _Settings(NamedTuple):
    rate: str
    limit: int
    period: int
    key_prefix: str  # RATELIMIT_CACHE_PREFIX
    hashed_prefix: str  # what django-ratelimit hashes before the value: the group and the rate (as seconds)
    hash: object  # RATELIMIT_HASH_ALGORITHM
    cache: str  # RATELIMIT_USE_CACHE
    address_as_is: bool  # no RATELIMIT_IP_META_KEY and the /32 IPv4 mask: a canonical address is its own key


_state: dict[str, _Settings | None] = {}


def _settings() -> _Settings | None:
    """The throttle's settings, read as django-ratelimit reads them (None: the throttle is off)."""
    if "settings" not in _state:
        rate = getattr(settings, "AGNITIO_VERIFY_RATE_LIMIT", "")
        if not rate or not getattr(settings, "RATELIMIT_ENABLE", True):
            _state["settings"] = None
        else:
            limit, period = _split_rate(rate)
            algorithm = getattr(settings, "RATELIMIT_HASH_ALGORITHM", hashlib.sha256)
            _state["settings"] = _Settings(
                rate=rate, limit=limit, period=period, key_prefix=getattr(settings, "RATELIMIT_CACHE_PREFIX", "rl:"),
                hashed_prefix=f"{GROUP}{limit:d}/{period:d}s", hash=(
                    import_string(algorithm) if isinstance(algorithm, str) else algorithm),
                cache=getattr(settings, "RATELIMIT_USE_CACHE", "default"),
                address_as_is=(not getattr(settings, "RATELIMIT_IP_META_KEY", None)
                               and getattr(settings, "RATELIMIT_IPV4_MASK", 32) == 32))
    return _state["settings"]


@receiver(setting_changed, dispatch_uid="credentials-throttle-settings")
def _settings_changed(**kwargs) -> None:
    _state.clear()


def _client(request, config: _Settings) -> str:
    """django-ratelimit's "ip" key (honours RATELIMIT_IP_META_KEY, groups IPv6 /64); a request without an address
    (some test clients, Unix sockets without a proxy header) shares one bucket rather than failing."""
    address = request.META.get("REMOTE_ADDR")
    if address and config.address_as_is and _CANONICAL_IPV4.match(address):
        return address
    if address or getattr(settings, "RATELIMIT_IP_META_KEY", None):
        return _get_ip(request)
    return "no-address"


def cache_key(config: _Settings, value: str, window: int) -> str:
    """`django_ratelimit.core._make_cache_key(GROUP, window, rate, value, ALL)`."""
    return config.key_prefix + config.hash(f"{config.hashed_prefix}{value}{window}".encode()).hexdigest()


def verify_throttled(request) -> bool:
    config = _settings()
    if config is None:
        return False
    value = _client(request, config)
    key = cache_key(config, value, _get_window(value, config.period))
    return counter_incr(caches[config.cache], key, timeout=config.period + EXPIRATION_FUDGE) > config.limit
