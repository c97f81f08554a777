"""Throttle anonymous clients of the public catalogue (pages and API share one budget per address):
`MICROCREDENTIAL_CATALOGUE_RATE_LIMIT` (default "120/m"; empty = off). Signed-in people are not throttled."""

from __future__ import annotations

from django.conf import settings
from django_ratelimit.core import is_ratelimited

GROUP = "microcredentials.catalogue"


def anonymous_rate(group, request) -> str | None:
    """django-ratelimit's rate callable: None (no limit) for a signed-in person."""
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return None
    return getattr(settings, "MICROCREDENTIAL_CATALOGUE_RATE_LIMIT", "120/m") or None


def catalogue_throttled(request) -> bool:
    """Count this request against its address's budget; True when it is over."""
    rate = anonymous_rate(GROUP, request)
    if rate is None:
        return False
    key = "ip" if request.META.get("REMOTE_ADDR") or getattr(settings, "RATELIMIT_IP_META_KEY", None) \
        else (lambda group, request: "no-address")
    return is_ratelimited(request, group=GROUP, key=key, rate=rate, increment=True)
