"""The public verification page in a real browser with JavaScript switched off: keyboard-only code entry
(the QR address), and a credential file dropped into the file input. Debian's chromium via Playwright."""

import json

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(new_page):
    return new_page(java_script_enabled=False)


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
