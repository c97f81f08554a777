"""The lean path of the public JSON verification, `GET /api/v1/verify/<code>` (issue 14 point 5; ADR 0019,
"the lean verification path").

A look-up by code needs none of what the rest of the stack does for other requests — sessions, authentication,
CSRF, messages, allauth, htmx, the current organisation, form drafts, the idle session, ninja's operation and
parameter machinery, the URL resolver's walk — yet that machinery cost more than the look-up itself.
`VerifyApiMiddleware` sits right after the middleware whose headers every answer carries (SecurityMiddleware,
CSPMiddleware; WhiteNoise before it too) and answers an anonymous `GET` of that address itself: the same view
function (`credentials.api.verify_code`: the throttle, the prepared look-up, the API's renderer), with the language
chosen as LocaleMiddleware chooses it, and exactly the headers the skipped middleware would have added, in their
order. Everything else falls through to the full stack, unchanged:

* another method (HEAD and POST get ninja's 405 there), another address (a trailing or encoded slash), a path or
  query string that may hold a NUL (InputGuardMiddleware's 400), a host ALLOWED_HOSTS refuses (400);
* a request carrying a session cookie: the full stack reads that session (the idle-session header, its renewal,
  a stale cookie deleted), which the lean path does not do; or a CSRF cookie (CsrfViewMiddleware replaces a
  malformed one);
* a failure of the view (e.g. the cache or the database down): the request is handed to the full stack with the
  error, which the view raises there, so the error answer (ninja's handlers, Django's 500 page) is the full stack's;
* any configuration this path was not built for (`_config()`): other middleware after it, a different route at
  that address, i18n_patterns, PREPEND_WWW, DISALLOWED_USER_AGENTS — the path is then off (a test pins it on).

credentials/tests/test_verify_lean.py sends every case through both paths and compares status, headers and bytes.
"""

from __future__ import annotations

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.exceptions import DisallowedHost
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

from agnitio.organisations.access import organisation_scope_set

PREFIX = "/api/v1/verify/"
# The request attribute that hands a failure of the lean path to the view in the full stack (credentials.api).
FAILURE_ATTRIBUTE = "_agnitio_verify_lean_failure"

# What the lean path stands in for: the middleware after it, in the settings' order. Another list turns it off.
STANDS_IN_FOR = (
    "django.contrib.sessions.middleware.SessionMiddleware",
    "agnitio.accounts.middleware.RenamedBackendMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "agnitio.core.middleware.InputGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "agnitio.accounts.middleware.FormDraftMiddleware",
    "agnitio.accounts.middleware.IdleSessionMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "agnitio.organisations.middleware.CurrentOrganisationMiddleware",
)

_state: dict[str, object] = {}  # "config": the settings' answer of _config() (per process; cleared on setting_changed)


def _route_is_the_view(path: str) -> bool:
    """Whether `path` resolves to ninja's operation for credentials.api.verify_code alone: GET only, no
    authentication, no throttles of ninja's, the code as a plain string (what the lean path gives the view)."""
    from django.urls import Resolver404, resolve

    from . import api as verify_api

    try:
        match = resolve(path)
    except Resolver404:
        return False
    if (match.namespace, match.url_name, tuple(match.kwargs)) != ("api", "verify_code", ("code",)):
        return False
    path_view = next((cell.cell_contents for cell in (match.func.__closure__ or ())
                      if hasattr(cell.cell_contents, "operations")), None)
    if path_view is None or len(path_view.operations) != 1:
        return False
    operation = path_view.operations[0]
    return (operation.view_func is verify_api.verify_code and list(operation.methods) == ["GET"]
            and not operation.auth_callbacks and not operation.throttle_objects and not path_view.is_async)


def _config() -> bool:
    """Whether this process's settings are the ones the lean path answers identically for."""
    config = _state.get("config")
    if config is None:
        middleware = list(settings.MIDDLEWARE)
        name = f"{__name__}.VerifyApiMiddleware"
        config = _state["config"] = (
            name in middleware and tuple(middleware[middleware.index(name) + 1:]) == STANDS_IN_FOR
            and not settings.PREPEND_WWW and not settings.DISALLOWED_USER_AGENTS
            and is_language_prefix_patterns_used(settings.ROOT_URLCONF) == (False, False)
            and _route_is_the_view(PREFIX + "7K3M-Q9TZ-2HWA-XR4F") and _route_is_the_view(PREFIX + "%22%3C")
            and not _route_is_the_view(PREFIX + "x/"))
    return bool(config)


@receiver(setting_changed, dispatch_uid="credentials-verify-lean-settings")
def _settings_changed(**kwargs) -> None:
    _state.clear()


class VerifyApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # The skipped middleware whose response step the lean path runs as it is (Django's own).
        self._xframe = XFrameOptionsMiddleware(get_response)
        self._common = CommonMiddleware(get_response)

    def __call__(self, request):
        path = request.path_info
        if request.method != "GET" or not path.startswith(PREFIX):
            return self.get_response(request)
        code = path[len(PREFIX):]
        query = request.META.get("QUERY_STRING", "")
        if (not code or "/" in code or "\x00" in code or "%00" in query or "\x00" in query
                or settings.SESSION_COOKIE_NAME in request.COOKIES or settings.CSRF_COOKIE_NAME in request.COOKIES
                or hasattr(request, "urlconf")
                or request.__dict__.get(FAILURE_ATTRIBUTE) is not None or not _config()):
            return self.get_response(request)
        try:
            request.get_host()  # CommonMiddleware's check of ALLOWED_HOSTS: its 400 is the full stack's
        except DisallowedHost:
            return self.get_response(request)
        return self._answer(request, code)

    def _answer(self, request, code: str):
        from .api import verify_code  # (it imports this module)

        # LocaleMiddleware.process_request without i18n_patterns (_config): the cookie, then Accept-Language.
        translation.activate(translation.get_language_from_request(request, check_path=False))
        request.LANGUAGE_CODE = translation.get_language()
        organisation_scope_set(None)  # as CurrentOrganisationMiddleware: no organisation scope
        try:
            response = verify_code(request, code)
        except Exception as error:  # noqa: BLE001 - answered by the full stack, which the view raises it in
            setattr(request, FAILURE_ATTRIBUTE, error)
            return self.get_response(request)
        finally:
            organisation_scope_set(None)
        # The skipped middleware's response steps, innermost first, as they apply to an anonymous GET.
        response = self._xframe.process_response(request, response)  # X-Frame-Options
        response = self._common.process_response(request, response)  # Content-Length (a 404 is never redirected)
        # LocaleMiddleware.process_response without i18n_patterns (Vary: Accept-Language, Content-Language); then
        # SessionMiddleware's, for the session IdleSessionMiddleware reads on every request (accessed, empty, no
        # cookie): Vary: Cookie. The answer has no Vary of its own, so one patch gives the two patches' header.
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
