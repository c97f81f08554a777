from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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
    from .middleware import _wants_json

    if request is not None and _wants_json(request):
        codes = {400: "bad_request", 403: "permission_denied", 404: "not_found", 429: "throttled",
                 500: "server_error"}
        messages = {400: _("The request is not valid."), 403: _("You are not allowed to do this."),
                    404: _("Not found."), 429: _("Too many requests. Wait a moment and try again."),
                    500: _("Something went wrong on our side. Try again later.")}
        return JsonResponse({"detail": detail or str(messages[status]), "code": codes[status]}, status=status)
    template = loader.get_template(f"{status}.html")
    return HttpResponse(template.render({"detail": detail}, request if use_request else None), status=status)


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
    """django-ratelimit's `Ratelimited` (through handler403) and allauth's rate limit (`handler429`)."""
    response = _error_page(request, 429)
    response["Retry-After"] = "60"
    return response


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
