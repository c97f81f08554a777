"""Input guard: runs before any view (and before CSRF) parses a request.

* A JSON request body larger than `JSON_BODY_MAX_BYTES` (1 MB) is answered with 413 and
  `{"detail": ..., "code": "payload_too_large"}` without being read — anywhere: the JSON API, the VC API
  (`/credentials/*`, `/presentations/*`) and any other view that is sent JSON.
* U+0000 (NUL) in the path, the query string, a form field or a JSON value is answered with 400: no text may
  hold it (PostgreSQL refuses it, documents cannot show it), so it is refused before it reaches a database.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as LibraryCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from .validators import JSON_BODY_MAX_BYTES, contains_nul

# The JSON API and the W3C VC API (`/credentials/issue`, `/credentials/verify`, `/presentations/…`); the HTML pages
# under /credentials/ have more path segments.
JSON_PATHS = re.compile(r"^/(api|presentations)/|^/credentials/[^/]+$")


def _is_json(request) -> bool:
    content_type = (request.META.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
    if "json" in content_type:
        return True
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return False
    return bool(JSON_PATHS.match(request.path_info))


def _wants_json(request) -> bool:
    return (_is_json(request) or bool(JSON_PATHS.match(request.path_info))
            or "application/json" in (request.META.get("HTTP_ACCEPT") or ""))


def error_response(request, *, status: int, detail: str, code: str) -> HttpResponse:
    """A JSON error body for programs, the styled error page for people."""
    if _wants_json(request):
        return JsonResponse({"detail": detail, "code": code}, status=status)
    template = loader.get_template(f"{status}.html")
    return HttpResponse(template.render({"detail": detail}, request), status=status)


def _query_has_nul(request) -> bool:
    if "%00" not in request.META.get("QUERY_STRING", "") and "\x00" not in request.META.get("QUERY_STRING", ""):
        return False
    return any("\x00" in v for _key, values in request.GET.lists() for v in values)


def _form_has_nul(request) -> bool:
    content_type = (request.META.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
    if content_type == "application/x-www-form-urlencoded":
        body = request.body
        if b"%00" not in body and b"\x00" not in body:
            return False
    elif content_type != "multipart/form-data":
        return False
    # values only: a field name no view expects is ignored (inert), one it expects is checked where it is parsed
    if any("\x00" in v for _key, values in request.POST.lists() for v in values):
        return True
    return any("\x00" in (f.name or "") for _key, files in request.FILES.lists() for f in files)


def _json_has_nul(request) -> bool:
    body = request.body
    if b"\\u0000" not in body and b"\x00" not in body:
        return False
    try:
        return contains_nul(json.loads(body))
    except (ValueError, RecursionError):
        return b"\x00" in body  # not JSON: the view answers that; a raw NUL is refused here


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.check(request)
        return response if response is not None else self.get_response(request)

    def check(self, request) -> HttpResponse | None:
        if request.method in ("POST", "PUT", "PATCH", "DELETE") and _is_json(request):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > JSON_BODY_MAX_BYTES:
                return error_response(
                    request, status=413, code="payload_too_large",
                    detail=_("The request body is larger than %(mb)d MB. Send a smaller document.")
                    % {"mb": JSON_BODY_MAX_BYTES // (1024 * 1024)})
        nul = "\x00" in request.path_info or _query_has_nul(request)
        if not nul and request.method in ("POST", "PUT", "PATCH", "DELETE"):
            nul = _json_has_nul(request) if _is_json(request) else _form_has_nul(request)
        if nul:
            return error_response(
                request, status=400, code="nul_character",
                detail=_("The request contains a NUL character (U+0000), which no text may hold. Remove it and "
                         "try again."))
        return None


# ------------------------------------------------------------------------------------------------------ CSP

_NONCE_SENTINEL = "agnitio-csp-nonce-placeholder"
_policies: dict[tuple[bool, bool], str] = {}  # (report only, with a nonce) → the policy text of the settings


class CSPMiddleware(LibraryCSPMiddleware):
    """django-csp's middleware, with the policy of the settings built once per process (issue 14 point 5).

    django-csp builds the header text from the settings on every response (twice: the policy and the report-only
    one) — a tenth of a public verification's CPU. The text depends only on the settings and on whether the
    response carries a nonce, so it is built once for each case (the nonce written in as a placeholder, then
    replaced); a response with its own policy (the decorators' `csp_update`/`csp_replace`/`csp_exempt`) is built as
    django-csp builds it. Everything else is django-csp's `process_response`, step for step; core/tests compare
    the headers with the library's for every case."""

    def _policy(self, parts, *, report_only: bool) -> str:
        if parts.config is not None or parts.update is not None or parts.replace is not None:
            return build_policy(**asdict(parts), report_only=report_only)
        key = (report_only, bool(parts.nonce))
        policy = _policies.get(key)
        if policy is None:
            policy = _policies[key] = build_policy(nonce=_NONCE_SENTINEL if parts.nonce else None,
                                                   report_only=report_only)
        return policy.replace(_NONCE_SENTINEL, parts.nonce) if parts.nonce else policy

    def process_response(self, request, response):
        # django-csp 4's CSPMiddleware.process_response, with build_policy(**asdict(parts)) → self._policy(parts)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        for report_only, header, setting, exempt in (
                (False, HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt"),
                (True, HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro")):
            parts = self.get_policy_parts(request=request, response=response, report_only=report_only)
            policy_text = self._policy(parts, report_only=report_only)
            if policy_text:
                policy = getattr(settings, setting, None) or {}
                prefixes = policy.get("EXCLUDE_URL_PREFIXES", None) or ()
                if (header not in response and getattr(response, exempt, False) is False
                        and not request.path_info.startswith(tuple(prefixes))):
                    response[header] = policy_text
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


@receiver(setting_changed, dispatch_uid="core-csp-policies")
def _csp_setting_changed(*, setting, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policies.clear()
