"""The verification page's forms written in Python (credentials.templatetags.verify_page, VerifyForms) against the
template and views they replaced, kept here as they were: in every state of the page (blank, a code's address found
or not, a code typed wrong or unknown, a file form refused, a pasted document checked, throttled), in every language,
the answer (status and HTML) is byte for byte the same."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template import Engine, RequestContext
from django.test import override_settings
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agnitio import urls as site_urls
from agnitio.core.testing import engine_with, per_answer_masked
from agnitio.credentials.forms import CodeForm, FileVerifyForm
from agnitio.credentials.numbering import code_normalise
from agnitio.credentials.throttle import verify_throttled
from agnitio.credentials.verification import VerificationResult, credential_verify_code, credential_verify_json

BEFORE = Path(__file__).parent / "verify_before"


@cache
def _old_engine() -> Engine:
    return engine_with({"credentials/verify.html": (BEFORE / "verify.html").read_text()})


# The views as they were (credentials.views before VerifyForms), the file upload's PDF branch left out.

def _verify_page(request, result=None, *, code_form=None, file_form=None, status=200):
    context = {"code_form": code_form or CodeForm(), "file_form": file_form or FileVerifyForm(), "result": result,
               "cacheable_checks": ["code"], "today": timezone.localdate().isoformat()}
    html = _old_engine().get_template("credentials/verify.html").render(RequestContext(request, context))
    return HttpResponse(html, status=status)


def _throttled_page(request):
    result = VerificationResult(errors=[_("Too many verifications from your network in a short time. Wait a "
                                          "minute and try again.")])
    return _verify_page(request, result, status=429)


def verify(request):
    if request.method == "POST":
        if verify_throttled(request):
            return _throttled_page(request)
        form = FileVerifyForm(request.POST, request.FILES)
        if not form.is_valid():
            return _verify_page(request, file_form=form, status=400)
        try:
            document = json.loads(form.cleaned_data["credential_json"])
        except ValueError:
            result = VerificationResult(errors=[_("The file is neither a PDF nor a credential (JSON).")])
        else:
            result = credential_verify_json(document)
        return _verify_page(request, result)
    if "code" in request.GET or "number" in request.GET:
        form = CodeForm({"code": request.GET.get("code", request.GET.get("number", ""))})
        if form.is_valid():
            code = code_normalise(form.cleaned_data["code"])
            if code is not None:
                return redirect("credentials:verify_code", code=code)
            if verify_throttled(request):
                return _throttled_page(request)
            result = credential_verify_code(form.cleaned_data["code"])
            return _verify_page(request, result, code_form=form, status=200 if result.legacy_number else 400)
        return _verify_page(request, code_form=form, status=400)
    return _verify_page(request)


@require_GET
def verify_code(request, code):
    if verify_throttled(request):
        return _throttled_page(request)
    result = credential_verify_code(code)
    found = result.credential is not None or result.legacy_number
    return _verify_page(request, result, code_form=CodeForm(initial={"code": code}), status=200 if found else 404)


# This module is the ROOT_URLCONF of the old answers: the old views first, then the site's addresses.
urlpatterns = [path("verify/", verify), path("verify/<str:code>", verify_code), *site_urls.urlpatterns]

def _answer(client, method, url, data, language):
    response = getattr(client, method)(url, data, HTTP_ACCEPT_LANGUAGE=language)
    return response.status_code, per_answer_masked(response.content)


def _assert_same(client, method, url, data=None, *, language):
    new = _answer(client, method, url, data, language)
    with override_settings(ROOT_URLCONF=__name__):
        old = _answer(client, method, url, data, language)
    assert new == old
    return new


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    settings.AGNITIO_VERIFY_RATE_LIMIT = "1000/m"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["lv", "en"])
def test_every_state_of_the_page(client, issue, admin, language):
    from agnitio.credentials.services import credential_revoke

    credential = issue()
    revoked = issue(holder_email="other@example.org")
    credential_revoke(actor=admin, credential=revoked, reason='Kļūda <b>"datos"</b>')
    document = json.dumps({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"]})
    states = [
        ("get", "/verify/", None, 200),
        ("get", f"/verify/{credential.code}", None, 200),
        ("get", f"/verify/{revoked.code}", None, 200),
        ("get", "/verify/7K3M-Q9TZ-2HWA-XR4F", None, 404),
        ("get", "/verify/a<b>&\"c'", None, 404),
        ("get", "/verify/", {"code": "x" * 41}, 400),  # too long: the form refuses it
        ("get", "/verify/", {"code": "bad\u0007code"}, 400),  # a control character
        ("get", "/verify/", {"code": ""}, 400),  # required
        ("get", "/verify/", {"code": 'not a code <"&>'}, 400),
        ("get", "/verify/", {"number": "YP-2026-000001"}, None),
        ("post", "/verify/", {}, 400),  # neither file nor JSON
        ("post", "/verify/", {"credential_json": "   "}, 400),
        ("post", "/verify/", {"credential_json": 'not json <"&>'}, 200),
        ("post", "/verify/", {"credential_json": document}, 200),
    ]
    for method, url, data, status in states:
        got_status, _html = _assert_same(client, method, url, data, language=language)
        assert status is None or got_status == status, (method, url, data)


@pytest.mark.django_db
def test_throttled(client, issue, settings):
    credential = issue()
    settings.AGNITIO_VERIFY_RATE_LIMIT = "1/m"
    client.get("/verify/", {"code": "x"})  # the one allowed
    for language in ("lv", "en"):
        status, _html = _assert_same(client, "get", f"/verify/{credential.code}", language=language)
        assert status == 429
        status, _html = _assert_same(client, "post", "/verify/", {"credential_json": "{}"}, language=language)
        assert status == 429
