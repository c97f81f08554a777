from django.http import JsonResponse
from django.shortcuts import render
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
