"""Throttle public look-ups: verification shows the holder's name to whoever has a number, and numbers are
sequential, so one address may not try numbers in bulk (django-ratelimit, shared cache in production:
`CACHE_URL`). `AGNITIO_VERIFY_RATE_LIMIT` (e.g. "120/m"; empty = off) is per client IP address."""

from django.conf import settings
from django_ratelimit.core import is_ratelimited


def verify_throttled(request) -> bool:
    rate = getattr(settings, "AGNITIO_VERIFY_RATE_LIMIT", "")
    if not rate:
        return False
    # django-ratelimit's "ip" key (honours RATELIMIT_IP_META_KEY, groups IPv6 /64); a request without an address
    # (some test clients, Unix sockets without a proxy header) shares one bucket rather than failing.
    key = "ip" if request.META.get("REMOTE_ADDR") or getattr(settings, "RATELIMIT_IP_META_KEY", None) \
        else (lambda group, request: "no-address")
    return is_ratelimited(request, group="credentials.verify", key=key, rate=rate, increment=True)
