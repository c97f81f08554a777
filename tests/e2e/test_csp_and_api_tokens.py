"""In a real browser: the Content-Security-Policy blocks nothing the site itself needs (htmx, the session
countdown, the crop selector, the API docs), and a user creates an API token in My account and uses it."""

import pytest

from tests.fixtures.browser import csp_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

@pytest.fixture
def signed_in_page(new_context, make_user, client):
    from agnitio.organisations.models import Membership, Organisation

    user = make_user("csp@tilts.example", full_name="Ilze Ozola")
    organisation = Organisation.objects.create(
        legal_name="Biedrība CSP", country="LV", address="Rīga", email="csp@tilts.example"
    )
    Membership.objects.create(organisation=organisation, user=user, role="owner")
    client.force_login(user)
    page = new_context(session_of=client, watch_csp=True).new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"error: {exc}"))
    page.on("console", lambda msg: "Content Security Policy" in msg.text and problems.append(msg.text))
    page.problems = problems
    page.organisation = organisation
    return page

def _violations(page) -> list[str]:
    return csp_violations(page) + page.problems

def test_pages_work_under_the_content_security_policy(signed_in_page, live_server):
    page = signed_in_page
    organisation = page.organisation
    for path in [
        "/", "/account/", "/account/api-tokens/", "/accounts/2fa/totp/activate/", "/accounts/password/change/",
        "/accounts/email/", "/organisations/", f"/organisations/{organisation.public_id}/",
        f"/organisations/{organisation.public_id}/edit/", f"/organisations/{organisation.public_id}/signatures/upload/",
        "/account/data/erase/", "/wallet/", "/wallet/?q=youth&state=valid",
        f"/credentials/organisation/{organisation.public_id}/?q=anna&kind=youthpass&state=valid",
        f"/issuers/{organisation.public_id}/profile", "/esco/search/?q=nurce",
        "/api/v1/docs",
    ]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        page.wait_for_load_state("load")
        if path != "/api/v1/docs":
            page.wait_for_function("window.htmx !== undefined")  # the vendored htmx ran
        assert _violations(page) == [], path
    # Swagger UI (ninja's bundled copy) rendered the operations.
    page.goto(live_server.url + "/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=15_000)
    assert _violations(page) == []

def test_an_inline_script_without_the_nonce_is_blocked(signed_in_page, live_server):
    page = signed_in_page
    page.goto(live_server.url + "/")
    page.evaluate("""() => {
        const s = document.createElement('script'); s.textContent = 'window.__injected = true';
        document.body.appendChild(s);
    }""")
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__injected === undefined")

def test_create_use_and_revoke_a_token_in_the_browser(signed_in_page, live_server):
    page = signed_in_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(live_server.url + "/account/api-tokens/")
    page.get_by_label("Name").fill("Report script")
    page.get_by_label("Organisation").select_option(label="Biedrība CSP")
    page.get_by_role("button", name="Create token").click()
    secret = page.locator("#new-token").input_value()
    page.bring_to_front()  # the clipboard API needs a focused document; parallel browsers can steal focus
    page.get_by_role("button", name="Copy").click()
    page.get_by_text("The token was copied.").wait_for(state="attached")
    assert page.evaluate("navigator.clipboard.readText()") == secret
    assert _violations(page) == []  # the copy button's script is a static file
    assert secret.startswith("agn_")
    status = page.evaluate(
        """async (secret) => (await fetch('/api/v1/me', {headers: {Authorization: 'Bearer ' + secret},
                                                     credentials: 'omit'})).status""",
        secret,
    )
    assert status == 200
    page.get_by_role("link", name="back to API tokens").click()
    assert secret not in page.content()
    page.get_by_role("link", name="Revoke… Report script").click()
    page.get_by_role("button", name="Revoke").click()
    assert page.get_by_text("no longer works").is_visible()
    status = page.evaluate(
        """async (secret) => (await fetch('/api/v1/me', {headers: {Authorization: 'Bearer ' + secret},
                                                     credentials: 'omit'})).status""",
        secret,
    )
    assert status == 401
    assert _violations(page) == []
