"""Throttle ESCO searches (public reference data, but each search costs CPU): anonymous clients per IP address
(`AGNITIO_ESCO_SEARCH_RATE_LIMIT`), signed-in people per account (`AGNITIO_ESCO_SEARCH_USER_RATE_LIMIT`, generous:
the side panel searches as they type). django-ratelimit, counted in the shared cache (`CACHE_URL`)."""

from django.conf import settings
from django_ratelimit.core import is_ratelimited

from agnitio.core.throttle import address_throttled


def esco_search_throttled(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        rate = getattr(settings, "AGNITIO_ESCO_SEARCH_USER_RATE_LIMIT", "")
        return bool(rate) and is_ratelimited(request, group="frameworks.esco_search_user", key="user", rate=rate,
                                             increment=True)
    return address_throttled(request, group="frameworks.esco_search",
                             rate=getattr(settings, "AGNITIO_ESCO_SEARCH_RATE_LIMIT", ""))
