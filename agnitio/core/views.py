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
