"""The lean path of `GET /api/v1/verify/<code>` (credentials.middleware, ADR 0019) answers exactly what the full
stack answers: every case is sent through both — the lean middleware in MIDDLEWARE, and removed from it — and the
status, every header (in order), the cookies and the body are compared byte for byte. Where the lean path should
answer, a spy checks it did; everything else must fall through to the full stack."""

import datetime
import re
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings

from agnitio.core.testing import per_answer_masked
from agnitio.credentials import middleware as lean
from agnitio.credentials.models import IssuedCredential
from agnitio.credentials.numbering import code_check_symbol, code_format
from agnitio.credentials.services import credential_revoke

LEAN = "agnitio.credentials.middleware.VerifyApiMiddleware"
ADDRESS = "192.0.2.91"


@pytest.fixture
def documents(issue, admin, organisation):
    valid = issue()
    revoked = issue(holder_name="Jānis \"Ozoliņš\" <script>alert(1)</script> 💧")
    credential_revoke(actor=admin, credential=revoked, reason="Izsniegts kļūdas pēc — \"citāts\" <b>")
    expired = issue(issued_on=datetime.date(2020, 1, 1), valid_until=datetime.date(2021, 1, 1))
    old = issue()
    issue(supersedes=old)
    erased = issue()
    IssuedCredential.objects.filter(pk=erased.pk).update(holder_erased_at=datetime.datetime(
        2026, 1, 2, tzinfo=datetime.UTC), holder_name="", holder_email="")
    return {"valid": valid, "revoked": revoked, "expired": expired, "superseded": old, "erased": erased}


@pytest.fixture
def answered(monkeypatch):
    """The codes the lean path answered itself (and did not hand to the full stack)."""
    seen = []
    real = lean.VerifyApiMiddleware._answer

    def spy(self, request, code):
        response = real(self, request, code)
        if request.__dict__.get(lean.FAILURE_ATTRIBUTE) is None:
            seen.append(code)
        return response

    monkeypatch.setattr(lean.VerifyApiMiddleware, "_answer", spy)
    return seen


def _full_stack():
    return override_settings(MIDDLEWARE=[name for name in settings.MIDDLEWARE if name != LEAN])


def _cookies_masked(text: str) -> str:
    """New in every answer: the CSRF cookie's and a new session's value, and the second an expiry falls in."""
    return re.sub(r"(csrftoken|sessionid)=\w+", r"\1=-", re.sub(r"expires=[^;]+", "expires=-", text))


def _send(method: str, path: str, *, cookies=None, login=None, **extra):
    """Status, headers (in order), cookies set, body — CSP nonces and CSRF tokens masked (the page has them)."""
    client = Client(raise_request_exception=False)  # a new handler: it loads MIDDLEWARE as it is now
    if login is not None:  # a session of its own, signed in now
        client.force_login(login)
    for name, value in (cookies or {}).items():
        client.cookies[name] = value
    extra.setdefault("REMOTE_ADDR", ADDRESS)
    response = getattr(client, method.lower())(path, **extra)
    return (response.status_code, [(name, per_answer_masked(value)) for name, value in response.headers.items()],
            _cookies_masked(response.cookies.output()), per_answer_masked(response.content))


def _both(method: str, path: str, **kwargs) -> tuple:
    """(lean answer, full stack answer), each with an empty cache first (the throttle's counters)."""
    cache.clear()
    lean_answer = _send(method, path, **kwargs)
    cache.clear()
    with _full_stack():
        full_answer = _send(method, path, **kwargs)
    return lean_answer, full_answer


def test_the_lean_path_is_on_in_the_settings():
    assert lean._config() is True
    with _full_stack():
        assert lean._config() is False
    with override_settings(MIDDLEWARE=[*settings.MIDDLEWARE, "django.middleware.gzip.GZipMiddleware"]):
        assert lean._config() is False  # middleware it does not stand in for: off
    with override_settings(PREPEND_WWW=True):
        assert lean._config() is False
    assert lean._config() is True


def _codes(documents) -> dict[str, str]:
    never = code_format("ZZZZZZZZZZZZZZZ" + code_check_symbol("ZZZZZZZZZZZZZZZ"))
    return {**{name: d.code for name, d in documents.items()},
            "unknown": never, "lower_no_dashes": documents["valid"].code.lower().replace("-", ""),
            "malformed": "not-a-code", "short": "ABCD", "letters": "ĀĒĪŪ-1234", "number": "2026-LV-000001",
            "quotes": "\"'--", "script": "<script>alert(1)</script>", "long": "A" * 5000,
            "unicode": "💧Ž-ŠĀ", "spaces": "7K3M Q9TZ", "percent": "%25", "dots": ".."}


@pytest.mark.parametrize("language", [{"HTTP_ACCEPT_LANGUAGE": "lv"}, {"HTTP_ACCEPT_LANGUAGE": "en"},
                                      {"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9"},
                                      {"HTTP_ACCEPT_LANGUAGE": "de;q=0.9, lv;q=0.5, en;q=0.4"}, {},
                                      {"cookies": {"django_language": "lv"}},
                                      {"cookies": {"django_language": "en"}, "HTTP_ACCEPT_LANGUAGE": "lv"},
                                      {"cookies": {"django_language": "xx"}, "HTTP_ACCEPT_LANGUAGE": "lv"}])
def test_every_state_and_code_in_each_language(documents, answered, language):
    codes = _codes(documents)
    for name, code in codes.items():
        path = "/api/v1/verify/" + code
        lean_answer, full_answer = _both("GET", path, **language)
        assert lean_answer == full_answer, name
    # every code but those holding a slash, which another route answers (the API's JSON 404)
    assert answered == [unquote(code) for code in codes.values() if "/" not in code]
    lean_answer, _full = _both("GET", "/api/v1/verify/" + documents["revoked"].code, **language)
    assert lean_answer[0] == 200 and '"status": "revoked"' in lean_answer[3]


@pytest.mark.parametrize(("method", "path", "extra", "lean_answers"), [
    ("GET", "/api/v1/verify/{code}/", {}, False),  # trailing slash: the API's JSON 404 for unknown addresses
    ("GET", "/api/v1/verify/AB%2FCD", {}, False),  # an encoded slash is a slash in the path
    ("GET", "/api/v1/verify/%2F", {}, False),
    ("GET", "/api/v1/verify/", {}, False),
    ("GET", "/api/v1/verify/AB%00CD", {}, False),  # NUL: the input guard's 400
    ("GET", "/api/v1/verify/{code}?x=%00", {}, False),
    ("GET", "/api/v1/verify/{code}?lang=lv&x=1", {}, True),  # a query string changes nothing
    ("GET", "/api/v1/verify/{code}?", {}, True),
    ("GET", "/api/v1/verify/{code}", {"HTTP_AUTHORIZATION": "Bearer agn_nonsense"}, True),  # auth=None: ignored
    ("GET", "/api/v1/verify/{code}", {"HTTP_ACCEPT": "text/html"}, True),
    ("GET", "/api/v1/verify/{code}", {"cookies": {"messages": "junk", "other": "1"}}, True),
    ("GET", "/api/v1/verify/{code}", {"cookies": {"csrftoken": "x" * 32}}, False),
    ("GET", "/api/v1/verify/{code}", {"cookies": {"csrftoken": "malformed!"}}, False),  # replaced by the full stack
    ("GET", "/api/v1/verify/{code}", {"cookies": {"sessionid": "no-such-session"}}, False),  # a stale cookie
    ("HEAD", "/api/v1/verify/{code}", {}, False),  # ninja's 405, as today
    ("POST", "/api/v1/verify/{code}", {}, False),
    ("PUT", "/api/v1/verify/{code}", {}, False),
    ("OPTIONS", "/api/v1/verify/{code}", {}, False),
    ("DELETE", "/api/v1/verify/{code}", {}, False),
    ("GET", "/api/v1/verifyx/{code}", {}, False),
    ("GET", "/verify/{code}", {}, False),  # the page
])
def test_other_requests(documents, answered, method, path, extra, lean_answers):
    path = path.format(code=documents["valid"].code)
    lean_answer, full_answer = _both(method, path, **extra)
    assert lean_answer == full_answer
    assert bool(answered) is lean_answers


def test_a_signed_in_visitor_gets_what_the_full_stack_answers(documents, answered, owner):
    """The full stack reads the session (X-Session-Remaining, the idle renewal): a request with a session cookie
    falls through, so it is answered as today — the anonymous answer plus that header."""
    path = "/api/v1/verify/" + documents["valid"].code
    lean_answer, full_answer = _both("GET", path, login=owner)
    assert lean_answer == full_answer and not answered
    anonymous, _full = _both("GET", path)
    assert ("X-Session-Remaining", "1200") in lean_answer[1]
    assert [h for h in lean_answer[1] if h[0] != "X-Session-Remaining"] == anonymous[1]
    assert lean_answer[3] == anonymous[3]


def _sequence(steps) -> list:
    cache.clear()
    return [_send("GET", path) for path in steps]


@pytest.mark.parametrize("overrides", [{"AGNITIO_VERIFY_RATE_LIMIT": "3/m"},
                                       {"AGNITIO_VERIFY_RATE_LIMIT": "3/m", "RATELIMIT_ENABLE": False},
                                       {"AGNITIO_VERIFY_RATE_LIMIT": ""}])
def test_the_budget_is_the_same_and_shared_with_the_page(documents, answered, overrides):
    api = "/api/v1/verify/" + documents["valid"].code
    page = "/verify/" + documents["valid"].code
    steps = [page, api, page, api, api, page, "/api/v1/verify/unknown"]
    with override_settings(**overrides):
        lean_answers = _sequence(steps)
        with _full_stack():
            full_answers = _sequence(steps)
    assert [a[0] for a in lean_answers] == [a[0] for a in full_answers]
    for (status, headers, cookies, body), full in zip(lean_answers, full_answers, strict=True):
        if "<html" not in body:  # the page itself is compared in test_verify_page_markup
            assert (status, headers, cookies, body) == full
    limited = overrides.get("AGNITIO_VERIFY_RATE_LIMIT") and overrides.get("RATELIMIT_ENABLE", True)
    assert [a[0] for a in lean_answers] == ([200, 200, 200, 429, 429, 429, 429] if limited else
                                            [200, 200, 200, 200, 200, 200, 404])
    assert len(answered) == 4


def test_an_unreachable_cache_is_answered_by_the_full_stack(documents, answered):
    """Redis down: the throttle fails; the lean path hands the request to the full stack, whose answer (the 500
    page) is today's."""
    down = {"default": {"BACKEND": "agnitio.core.cache.RedisCache", "LOCATION": "redis://127.0.0.1:9/0",
                        "OPTIONS": {"socket_connect_timeout": 0.2}}}
    path = "/api/v1/verify/" + documents["valid"].code
    with override_settings(CACHES=down, AGNITIO_VERIFY_RATE_LIMIT="5/m"):
        lean_answer = _send("GET", path)
        with _full_stack():
            full_answer = _send("GET", path)
    assert lean_answer[0] == 500
    assert lean_answer == full_answer
    assert not answered


def test_a_refused_host_is_answered_by_the_full_stack(documents, answered):
    path = "/api/v1/verify/" + documents["valid"].code
    with override_settings(ALLOWED_HOSTS=["agnitio.example"]):
        lean_answer, full_answer = _both("GET", path, HTTP_HOST="evil.example")
        assert lean_answer == full_answer and lean_answer[0] == 400 and not answered
        lean_answer, full_answer = _both("GET", path, HTTP_HOST="agnitio.example")
        assert lean_answer == full_answer and lean_answer[0] == 200 and answered


def test_a_revocation_shows_on_the_next_look_up(documents, admin):
    path = "/api/v1/verify/" + documents["valid"].code
    assert '"status": "valid"' in _send("GET", path)[3]
    credential_revoke(actor=admin, credential=documents["valid"], reason="x")
    assert '"status": "revoked"' in _send("GET", path)[3]
