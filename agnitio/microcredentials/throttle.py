"""Throttle anonymous clients of the public catalogue (pages and API share one budget per address):
`MICROCREDENTIAL_CATALOGUE_RATE_LIMIT` (default "120/m"; empty = off). Signed-in people are not throttled."""

from __future__ import annotations

from django.conf import settings

from agnitio.core.throttle import address_throttled

GROUP = "microcredentials.catalogue"


def anonymous_rate(group, request) -> str | None:
    """django-ratelimit's rate callable: None (no limit) for a signed-in person."""
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return None
    return getattr(settings, "MICROCREDENTIAL_CATALOGUE_RATE_LIMIT", "120/m") or None


def catalogue_throttled(request) -> bool:
    """Count this request against its address's budget; True when it is over."""
    return address_throttled(request, group=GROUP, rate=anonymous_rate(GROUP, request))
