from functools import cache, partial

from django.conf import settings


def site(request):
    return {
        "SITE_URL": settings.SITE_URL,
        "SESSION_IDLE_SECONDS": settings.SESSION_IDLE_SECONDS,
        # Seconds until the server ends a signed-in session (the session is not written on every request). Worked
        # out when a template first asks (pages without the session bar never do), then the same for the page.
        "SESSION_REMAINING_SECONDS": cache(partial(_session_remaining, request)),
    }


def _session_remaining(request) -> int:
    from agnitio.accounts.middleware import session_remaining

    remaining = session_remaining(request)
    return settings.SESSION_IDLE_SECONDS if remaining is None else remaining
