"""Test helpers for accounts (imported by tests only)."""

from __future__ import annotations

import time


def activate_totp(user) -> str:
    """Give the user an active TOTP authenticator; returns its secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def staff_login(client, user) -> None:
    """Sign a staff user in as if through allauth with a TOTP code (what the admin requires)."""
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.mfa.models import Authenticator

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        activate_totp(user)
    client.force_login(user)
    session = client.session
    session["account_authentication_methods_user"] = str(user.pk)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session.save()


def signin_burst(base_url: str, logins: list[tuple[str, str]], *, timeout: float = 60.0) -> list[bool]:
    """Sign in as each (e-mail, password) from its own thread against a running server, all at the same moment
    (each opens the sign-in page first for its CSRF cookie, then every POST starts together). Returns, per login,
    whether it got a signed-in session. Used by the throttling tests and `bench/bench_scale.py`."""
    import http.cookiejar
    import re
    import threading
    import urllib.error
    import urllib.parse
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    barrier = threading.Barrier(len(logins), timeout=timeout)
    login_url = base_url.rstrip("/") + "/accounts/login/"

    def one(login: tuple[str, str]) -> bool:
        email, password = login
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
        page = opener.open(login_url, timeout=timeout).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"login": email, "password": password, "csrfmiddlewaretoken": token}).encode()
        barrier.wait()
        try:
            request = urllib.request.Request(login_url, data=body, headers={"Referer": login_url})  # noqa: S310
            response = opener.open(request, timeout=timeout)  # noqa: S310 (the server we started)
            status = response.status
        except urllib.error.HTTPError as error:  # the redirect after signing in (not followed), or a refusal
            status = error.code
        return status == 302 and any(cookie.name == "sessionid" for cookie in jar)

    with ThreadPoolExecutor(max_workers=len(logins)) as pool:
        return list(pool.map(one, logins))


def threaded_server():
    """A context manager serving this process's Django in threads (one per connection, like pytest-django's
    `live_server`) with a listen backlog large enough for a class connecting at the same moment (Django's is 10:
    the 11th simultaneous connection is reset). Yields its base URL. Needs a database other threads can open
    (a file or a server, and `transactional_db` in tests)."""
    from contextlib import contextmanager

    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.test.testcases import LiveServerThread

    class Server(ThreadedWSGIServer):
        request_queue_size = 256

    class Thread(LiveServerThread):
        server_class = Server

    @contextmanager
    def serve():
        thread = Thread("127.0.0.1", StaticFilesHandler)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        try:
            yield f"http://127.0.0.1:{thread.port}"
        finally:
            thread.terminate()

    return serve()
