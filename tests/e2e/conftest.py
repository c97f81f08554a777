"""Browser tests: Playwright's Python package (sync API) driving Debian's chromium against pytest-django's
live_server. Never a downloaded browser: `apt-get install -y chromium` provides /usr/bin/chromium."""

import os
import re
import shutil
from pathlib import Path

import pytest

# live_server runs in a thread while the sync Playwright API holds an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("AGNITIO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(os.environ.get("AGNITIO_E2E_SCREENSHOTS", "var/e2e"))


# Module scope, not session: a running sync Playwright holds an asyncio loop in this thread, and browser tests
# elsewhere (e.g. agnitio/organisations/tests) that start their own must not run while it is open.
@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context, request):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def outbox_link():
    return _outbox_link


def _outbox_link(*, to: str, fragment: str) -> str:
    """The first link containing `fragment` in the newest outbox message to `to` (path + query)."""
    from urllib.parse import urlsplit

    from agnitio.notifications.models import OutboxEmail

    message = OutboxEmail.objects.filter(to__iexact=to).order_by("-created_at", "-id").first()
    assert message is not None, f"no e-mail to {to}"
    for url in re.findall(r"https?://\S+", message.body_text):
        if fragment in url:
            parts = urlsplit(url)
            return parts.path + (f"?{parts.query}" if parts.query else "")
    raise AssertionError(f"no link with {fragment!r} in the e-mail to {to}:\n{message.body_text}")
