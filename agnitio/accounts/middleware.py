"""Session middleware of accounts: the idle session renewed at a bounded interval (IdleSessionMiddleware), and the
"form saved" signal that lets the page script drop the browser-side draft of that form (FormDraftMiddleware).

The session script adds a hidden `_draft_key` field to every form it keeps a draft of. A submission counts as
saved when a signed-in user's POST is answered with a redirect that does not lead to the sign-in page (the usual
post/redirect/get). A POST that bounced to the sign-in page because the session had ended, a validation error
(answered 200) or a server error leaves the draft alone.
"""

from __future__ import annotations

import math
import re
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.shortcuts import resolve_url

from .backends import RENAMED as RENAMED_BACKENDS

DRAFT_FIELD = "_draft_key"
SAVED_COOKIE = "agnitio_draft_saved"
_KEY_RE = re.compile(r"[A-Za-z0-9%._-]{1,500}")


class FormDraftMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method != "POST" or not (300 <= response.status_code < 400):
            return response
        user = getattr(request, "user", None)
        if not getattr(user, "is_authenticated", False):
            return response
        try:
            key = request.POST.get(DRAFT_FIELD, "")
        except Exception:  # unreadable body (e.g. too large): nothing to report
            return response
        if not _KEY_RE.fullmatch(key):  # the script sends it URI-encoded
            return response
        location = urlsplit(response.get("Location", "")).path
        if location == resolve_url(settings.LOGIN_URL):
            return response
        response.set_cookie(SAVED_COOKIE, key, max_age=120, samesite="Lax", secure=request.is_secure())
        return response


RENEWED_KEY = "_agnitio_renewed"
REMAINING_HEADER = "X-Session-Remaining"
ARRIVAL_ATTRIBUTE = "_agnitio_arrived_at"  # on the request: when IdleSessionMiddleware first saw it (time.time())


def renew_interval() -> int:
    """How long a signed-in session goes without being written again: SESSION_RENEW_SECONDS (default 60), at most a
    tenth of the idle time (so a short idle time in tests or kiosks stays nearly exact), at least one second."""
    idle = int(settings.SESSION_IDLE_SECONDS)
    return max(1, min(int(getattr(settings, "SESSION_RENEW_SECONDS", 60)), idle // 10))


def session_remaining(request, *, now: float | None = None) -> int | None:
    """Seconds until the server ends this signed-in session (None when nobody is signed in).

    The session is written (and its expiry moved to SESSION_IDLE_SECONDS from then) when it changed or when the
    last write is older than `renew_interval()`; between writes the server-side expiry stays where it was, so the
    page shows the true remaining time rather than the full idle time."""
    session = getattr(request, "session", None)
    if session is None or session.get(SESSION_KEY) is None:
        return None
    idle = int(settings.SESSION_IDLE_SECONDS)
    renewed = session.get(RENEWED_KEY)
    if not isinstance(renewed, int | float):
        return idle
    if now is None:  # the request's arrival: the page shows what the header says, however long the view took
        now = getattr(request, ARRIVAL_ATTRIBUTE, None) or time.time()
    return max(0, min(idle, math.ceil(renewed + idle - now)))


class IdleSessionMiddleware:
    """Renew a signed-in session without writing it on every request.

    Replaces SESSION_SAVE_EVERY_REQUEST: a page that only reads leaves the session row alone unless its last write
    is `renew_interval()` old, so one long write transaction elsewhere (e.g. on SQLite) cannot make reading pages
    wait or fail. Every write stamps the time, and the idle time counts from the last write: the server ends a
    session between SESSION_IDLE_SECONDS − interval and SESSION_IDLE_SECONDS after the last request, and tells
    the page how long is left (context `SESSION_REMAINING_SECONDS`, header `X-Session-Remaining`) so the countdown
    the user sees never runs past the server's end.

    Place after SessionMiddleware (which saves the session when it was modified).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        now = time.time()
        setattr(request, ARRIVAL_ATTRIBUTE, now)
        if session.get(SESSION_KEY) is not None:
            renewed = session.get(RENEWED_KEY)
            if not isinstance(renewed, int | float) or now - renewed >= renew_interval() or renewed > now + 5:
                session[RENEWED_KEY] = round(now, 3)
        response = self.get_response(request)
        if session.accessed and session.get(SESSION_KEY) is not None:
            if session.modified:  # a change is written anyway: let the idle time count from now
                session[RENEWED_KEY] = round(now, 3)
            remaining = session_remaining(request, now=now)
            if remaining is not None:
                response[REMAINING_HEADER] = str(remaining)
        return response


class RenamedBackendMiddleware:
    """Keeps people signed in across the deployment that renamed the backends: a session naming an old backend path
    is given the new one (once: the session is saved with it) before `request.user` is read. Only a session that
    already holds a user is changed, and only its backend's path; the user is then loaded and checked as always."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key:  # no cookie, no session to read
            renamed = RENAMED_BACKENDS.get(session.get(BACKEND_SESSION_KEY))
            if renamed is not None:
                session[BACKEND_SESSION_KEY] = renamed
        return self.get_response(request)
