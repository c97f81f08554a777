"""The public verification page in a real browser with JavaScript switched off: keyboard-only code entry
(the QR address), and a credential file dropped into the file input. Debian's chromium via Playwright."""

import json
import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = os.environ.get("AGNITIO_CHROMIUM", "/usr/bin/chromium")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(locale="en-GB", java_script_enabled=False)
        context.set_default_timeout(15_000)
        yield context.new_page()
        browser.close()


def test_verify_without_javascript(page, live_server, issue, tmp_path):
    credential = issue()
    page.goto(live_server.url + "/verify/")
    page.get_by_role("textbox", name="Verification code").focus()
    page.keyboard.type(credential.code.lower().replace("-", " "))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/verify/{credential.code}")
    assert page.get_by_role("heading", name="Authentic", exact=True).is_visible()
    assert page.get_by_text("Anna Bērziņa").is_visible()

    tampered = dict(credential.credential, name="Doctor of Philosophy")
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(tampered))
    page.goto(live_server.url + "/verify/")
    page.get_by_label("PDF or credential file (.pdf, .json)").set_input_files(str(path))
    page.get_by_role("button", name="Verify the file").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Not verified").is_visible()
    assert "altered" in page.content()
