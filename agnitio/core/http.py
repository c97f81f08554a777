"""View helpers shared by the apps' HTML views."""

import functools
import math

from django.http import Http404, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .errors import NotFound, Throttled


def not_found_as_404(view):
    """Turn a selector's NotFound ("not found" and "not allowed" alike) into the 404 page."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(str(error)) from error

    return wrapper


def error_page(request, status: int, *, detail: str = "", use_request: bool = True,
               context: dict | None = None) -> HttpResponse:
    """The styled error page `<status>.html` in the site layout (or JSON for an API client)."""
    from .middleware import _wants_json

    if request is not None and _wants_json(request):
        codes = {400: "bad_request", 403: "permission_denied", 404: "not_found", 429: "throttled",
                 500: "server_error"}
        messages = {400: _("The request is not valid."), 403: _("You are not allowed to do this."),
                    404: _("Not found."), 429: _("Too many requests. Wait a moment and try again."),
                    500: _("Something went wrong on our side. Try again later.")}
        return JsonResponse({"detail": detail or str(messages[status]), "code": codes[status]}, status=status)
    template = loader.get_template(f"{status}.html")
    return HttpResponse(template.render({"detail": detail, **(context or {})}, request if use_request else None),
                        status=status)


def retry_text(seconds: int) -> str:
    """When to try again, for a person: "Try again in 5 minutes." (whole minutes, or hours from two hours on)."""
    minutes = max(1, math.ceil(seconds / 60))
    if minutes >= 120:
        hours = math.ceil(minutes / 60)
        return ngettext("Try again in %(count)s hour.", "Try again in %(count)s hours.", hours) % {"count": hours}
    return ngettext("Try again in %(count)s minute.", "Try again in %(count)s minutes.", minutes) % {
        "count": minutes}


def too_many_requests_page(request, *, retry_after: int = 60, detail: str = "") -> HttpResponse:
    """The styled, translated 429 page: what happened and when to try again (also as `Retry-After`)."""
    retry_after = max(1, int(retry_after))
    response = error_page(request, 429, detail=detail, context={"retry_text": retry_text(retry_after)})
    response["Retry-After"] = str(retry_after)
    return response


def throttled_page(request, *, group: str, rate: str | None, message=None) -> HttpResponse | None:
    """Count one `group` action of the signed-in person (`core.throttle.account_throttle`): the styled 429 page
    when they are over `rate`, else None (go on)."""
    from .throttle import account_throttle

    try:
        account_throttle(request, actor=request.user, group=group, rate=rate, message=message)
    except Throttled as exc:
        return too_many_requests_page(request, retry_after=exc.retry_after, detail=str(exc.message))
    return None


def upload_refused_page(request, *, group: str) -> HttpResponse | None:
    """One upload of the signed-in person against their hourly upload budget for `group` (`AGNITIO_UPLOAD_RATE_LIMIT`;
    an API route of the same kind counts in the same group, `core.throttle.upload_throttle`): the styled 429 page
    when they are over it, else None (go on). Only a POST that carries a file counts: the same form saved without one
    is not an upload. Call it after the tenancy check (another organisation's page stays a 404) and before the form
    reads the file, so a refused upload is neither read nor stored."""
    from .throttle import upload_message, upload_rate

    if request.method != "POST" or not request.FILES:
        return None
    return throttled_page(request, group=group, rate=upload_rate(), message=upload_message())


def private_png_response(data: bytes, *, cache: str = "private, max-age=300") -> HttpResponse:
    """A PNG made for this request (a preview), for a user whom the calling view has already checked. Its address
    should change with what it shows (e.g. `?v=` the object's change time), as the browser may keep it a while."""
    response = HttpResponse(data, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    response["Content-Disposition"] = 'inline; filename="image.png"'
    return response
