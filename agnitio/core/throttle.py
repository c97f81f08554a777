"""Per-address throttling of anonymous clients, shared by the public endpoints (ESCO search, the micro-credential
catalogue): django-ratelimit counted in the shared cache. A request without an address (a misconfigured proxy)
counts against one shared "no-address" budget instead of escaping the limit."""

from __future__ import annotations

from django.conf import settings
from django_ratelimit.core import is_ratelimited


def _no_address(group, request) -> str:
    return "no-address"


def address_throttled(request, *, group: str, rate: str | None) -> bool:
    """Count this request against its address's budget for `group`; True when it is over. No rate: no limit."""
    if not rate:
        return False
    key = "ip" if request.META.get("REMOTE_ADDR") or getattr(settings, "RATELIMIT_IP_META_KEY", None) else _no_address
    return is_ratelimited(request, group=group, key=key, rate=rate, increment=True)
