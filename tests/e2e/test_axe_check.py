"""The accessibility check every browser test gets (tests/fixtures/browser.py, issue 11 point 12): it finds a
violation on a page the test leaves, reports it readably, keeps the page's Content-Security-Policy in force, and a
missing axe-core fails instead of skipping."""

import pytest

from tests.fixtures import browser as browser_fixture
from tests.fixtures.browser import csp_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_violation_on_a_page_that_is_left_is_found_and_reported(new_context, live_server, axe_check):
    page = new_context(watch_csp=True).new_page()
    page.goto(live_server.url + "/")
    # A control without a name, added after the page loaded (as a script or htmx swap would).
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<button id=nameless></button>')")
    page.goto(live_server.url + "/verify/")  # leaving the page checks it as it is now
    assert ("button-name" in {rule for _url, rule, _elements in axe_check.violations})
    report = axe_check.report()
    assert "button-name" in report and "#nameless" in report and live_server.url + "/\n" in report
    assert csp_violations(page) == []  # axe-core was not injected as a <script>: the policy stays strict
    axe_check.violations.clear()  # the planted violation; the rest of the test's pages must still be clean


def test_the_page_a_test_ends_on_is_checked(new_context, live_server, axe_check):
    context = new_context()
    page = context.new_page()
    page.goto(live_server.url + "/verify/")
    context.close()
    assert [url for url in axe_check.checked if url.endswith("/verify/")]


def test_missing_axe_core_fails_rather_than_skips(monkeypatch, tmp_path):
    monkeypatch.setattr(browser_fixture, "AXE", tmp_path / "axe.min.js")
    with pytest.raises(pytest.fail.Exception, match="npm ci --prefix tests/node"):
        browser_fixture.AxeCheck().source()


def test_the_check_asks_for_wcag_2_2_aa():
    assert browser_fixture.AXE_TAGS == ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.mark.parametrize("locale, heading", [("en-GB", "Too many requests"), ("lv-LV", "Pārāk daudz pieprasījumu")])
def test_the_429_page_is_styled_translated_and_accessible(new_context, live_server, settings, locale, heading):
    """A sign-up beyond the address's limit (issue 11 point 9) in a real browser: the styled page, checked by axe."""
    settings.AGNITIO_SIGNUP_LIMITS = {"address": "0/h", "invitation": "10/h"}
    page = new_context(locale=locale, watch_csp=True).new_page()
    page.goto(live_server.url + "/accounts/signup/")
    page.locator("#id_email").fill("walk-in@example.org")
    page.locator("#id_password1").fill("a-long-passphrase-42")
    page.locator("#id_password2").fill("a-long-passphrase-42")
    with page.expect_response(lambda response: response.status == 429):
        page.locator("form button[type=submit]").last.click()
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert page.locator("main .error-page strong").inner_text()  # when to try again
    assert csp_violations(page) == []
