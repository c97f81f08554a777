"""Public help pages of the Youthpass path (DOMAIN D1: help & instructions on every step) and the sample certificate."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_ratelimit.decorators import ratelimit

from agnitio.frameworks.selectors import ETS_MODEL, KEY_COMPETENCES, framework_get

SAMPLE_CACHE_SECONDS = 24 * 3600
SAMPLE_CACHE_VERSION = 1  # raise when the sample's data or the certificate layout change


@require_safe
def organisers(request):
    return render(request, "youthpass/help_organisers.html", {
        "ets": framework_get(framework_id=ETS_MODEL), "key": framework_get(framework_id=KEY_COMPETENCES)})


@require_safe
def participants(request):
    return render(request, "youthpass/help_participants.html", {"key": framework_get(framework_id=KEY_COMPETENCES)})


def sample_pdf(language: str) -> bytes:
    """The sample certificate in `language`, rendered once per cache period (it holds no personal data)."""
    from agnitio.documents.sample import youthpass_demo
    from agnitio.documents.services import document_render

    key = f"youthpass:sample-certificate:{SAMPLE_CACHE_VERSION}:{language}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = document_render(kind="youthpass", data=youthpass_demo(language=language), languages=[language])
        cache.set(key, pdf, SAMPLE_CACHE_SECONDS)
    return pdf


@require_safe
@ratelimit(key="ip", rate="30/m", block=True)
@cache_control(public=True, max_age=SAMPLE_CACHE_SECONDS)
@vary_on_headers("Cookie", "Accept-Language")
def sample_certificate(request):
    language = (get_language() or "en")[:2]
    response = HttpResponse(sample_pdf(language), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="youthpass-sample-{language}.pdf"'
    return response
