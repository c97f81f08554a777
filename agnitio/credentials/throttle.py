"""Throttle public verification: look-ups by code (`/verify/<code>`, `/api/v1/verify/<code>`) show the holder's
name, and checking an uploaded or posted document (`/verify/` POST, `POST /credentials/verify`) costs a proof check,
so one client gets one budget for all of them (django-ratelimit, shared cache in production: `CACHE_URL`).
`AGNITIO_VERIFY_RATE_LIMIT` (e.g. "120/m"; empty = off) is per client IP address. Other public verification
endpoints (e.g. `/presentations/verify`) should call `verify_throttled(request)` too."""

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
