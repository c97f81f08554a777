"""Tell the page script that a form was saved, so it can drop the browser-side draft of that form.

The session script adds a hidden `_draft_key` field to every form it keeps a draft of. A submission counts as
saved when a signed-in user's POST is answered with a redirect that does not lead to the sign-in page (the usual
post/redirect/get). A POST that bounced to the sign-in page because the session had ended, a validation error
(answered 200) or a server error leaves the draft alone.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import resolve_url

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
