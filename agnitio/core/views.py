from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .http import error_page, too_many_requests_page
from .selectors import health_check


def home(request):
    return render(request, "core/home.html")


@never_cache
@require_GET
def healthz(request):
    result = health_check()
    return JsonResponse(result, status=200 if result["database"] == "ok" else 503)


# --- error pages (handler400/403/404/429/500 in agnitio.urls) ---------------------------------------------------

def _error_page(request, status: int, *, detail: str = "", use_request: bool = True) -> HttpResponse:
    return error_page(request, status, detail=detail, use_request=use_request)


# allauth's rate-limited views (handler429 is called without the limit): the action whose limit it was, so the page
# can say when to try again (the longest window of that action's rates, an upper bound).
ALLAUTH_ACTIONS = {
    "account_reset_password": "reset_password", "account_reset_password_from_key": "reset_password_from_key",
    "account_email": "manage_email", "account_change_password": "change_password",
    "account_set_password": "change_password", "account_confirm_email": "confirm_email",
    "account_email_verification_sent": "confirm_email",
    "mfa_authenticate": "login_failed",
}


def _allauth_retry_after(request) -> int | None:
    from allauth.account import app_settings
    from allauth.core.internal.ratelimit import parse_rates

    match = getattr(request, "resolver_match", None)
    action = ALLAUTH_ACTIONS.get(getattr(match, "url_name", None) or "")
    if action is None:
        return None
    durations = [rate.duration for rate in parse_rates(app_settings.RATE_LIMITS.get(action))]
    return int(max(durations)) if durations else None


def bad_request(request, exception=None):
    return _error_page(request, 400)


def permission_denied(request, exception=None):
    from django_ratelimit.exceptions import Ratelimited

    if isinstance(exception, Ratelimited):
        return too_many_requests(request, exception)
    return _error_page(request, 403)


def page_not_found(request, exception=None):
    return _error_page(request, 404)


def too_many_requests(request, exception=None):
    """django-ratelimit's `Ratelimited` (through handler403; every use of it here counts per minute) and allauth's
    rate limits (`handler429`): the same styled page, saying when to try again."""
    retry_after = (_allauth_retry_after(request) if exception is None and request is not None else None) or 60
    return too_many_requests_page(request, retry_after=retry_after)


def server_error(request):
    """Needs neither the database nor the request's user: the page is rendered without the request, and a
    plain page is sent when even that fails."""
    try:
        return _error_page(request, 500, use_request=False)
    except Exception:  # noqa: BLE001 - the last resort must answer
        return HttpResponseServerError(
            "<!doctype html><html lang=\"en\"><title>Server error</title><main><h1>Server error</h1>"
            "<p>Something went wrong on our side. Try again later.</p></main></html>", content_type="text/html")
PUBLIC_MEDIA_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}


@require_GET
def public_media(request, name: str):
    """A public asset (logo) from the public storage when it is on this machine. Only re-encoded images are
    stored there, under random names; anything else (and every private file) is not found here."""
    from django.core.exceptions import SuspiciousFileOperation
    from django.http import FileResponse, Http404

    from .storage import is_local, public_storage

    storage = public_storage()
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in PUBLIC_MEDIA_TYPES or not is_local(storage):
        raise Http404
    try:
        handle = storage.open(name, "rb")
    except (FileNotFoundError, IsADirectoryError, SuspiciousFileOperation, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=PUBLIC_MEDIA_TYPES[extension])
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
