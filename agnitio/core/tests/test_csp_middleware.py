"""core.middleware.CSPMiddleware sets exactly the headers django-csp's middleware sets (it only builds the settings'
policy text once per process): every case compared, header by header, with the library's own middleware."""

import pytest
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware as LibraryCSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from agnitio.core.middleware import CSPMiddleware

HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")


def _run(middleware_class, *, path="/x/", nonce=False, status=200, attrs=None, preset=None):
    request = RequestFactory().get(path)
    middleware = middleware_class(lambda r: HttpResponse())
    middleware.process_request(request)
    if nonce:
        str(request.csp_nonce)
        request._csp_nonce = "fixed-nonce-for-the-comparison=="  # both runs the same nonce
    response = HttpResponse(status=status)
    for name, value in (attrs or {}).items():
        setattr(response, name, value)
    for name, value in (preset or {}).items():
        response[name] = value
    response = middleware.process_response(request, response)
    return {name: response.get(name) for name in HEADERS}, request


CASES = [
    {}, {"nonce": True}, {"status": 404}, {"status": 500, "nonce": True}, {"path": "/api/v1/verify/ABCD"},
    {"attrs": {"_csp_update": {"img-src": ["https://img.example"]}}},
    {"attrs": {"_csp_replace": {"script-src": ["'self'", "https://cdn.example"]}}, "nonce": True},
    {"attrs": {"_csp_config": {"default-src": ["'none'"]}}},
    {"attrs": {"_csp_exempt": True}}, {"attrs": {"_csp_exempt_ro": True}},
    {"preset": {"Content-Security-Policy": "default-src 'none'"}},
]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("report_only", [False, True])
@pytest.mark.parametrize("debug", [False, True])
def test_headers_are_the_librarys(case, report_only, debug, settings):
    settings.DEBUG = debug
    if report_only:
        settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {
            "EXCLUDE_URL_PREFIXES": ["/api/"],
            "DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'", "'nonce-x'"],
                           "report-uri": "/csp-report/"}}
    for _ in range(2):  # the second time from the policies built the first
        ours, _request = _run(CSPMiddleware, **case)
        theirs, _request = _run(LibraryCSPMiddleware, **case)
        assert ours == theirs
    if not debug and "attrs" not in case and "preset" not in case:
        assert ours["Content-Security-Policy"]


def test_a_changed_setting_changes_the_policy(settings):
    before, _request = _run(CSPMiddleware)
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    after, _request = _run(CSPMiddleware)
    assert after["Content-Security-Policy"] == "default-src 'none'" != before["Content-Security-Policy"]
    assert after == _run(LibraryCSPMiddleware)[0]


def test_each_response_gets_its_own_nonce_and_a_late_nonce_fails():
    first, second = _run(CSPMiddleware, nonce=True)[0], RequestFactory().get("/")
    middleware = CSPMiddleware(lambda r: HttpResponse())
    middleware.process_request(second)
    nonce = str(second.csp_nonce)
    response = middleware.process_response(second, HttpResponse())
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert "fixed-nonce-for-the-comparison==" in first["Content-Security-Policy"]
    assert "fixed-nonce" not in response["Content-Security-Policy"]
    late = RequestFactory().get("/")
    middleware.process_request(late)
    middleware.process_response(late, HttpResponse())
    with pytest.raises(CSPNonceError):
        str(late.csp_nonce)
