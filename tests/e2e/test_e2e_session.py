"""Idle session (D3) in a real browser: remaining time, warning, keep-alive, sign-in again, and drafts that survive
the end of the session."""

import re

import pytest
from playwright.sync_api import expect

PASSWORD = "correct-horse-battery"
IDLE = 10  # seconds; the warning comes at IDLE // 2


@pytest.fixture
def short_session(settings):
    settings.SESSION_IDLE_SECONDS = IDLE
    settings.SESSION_COOKIE_AGE = IDLE


@pytest.fixture
def person(make_user, transactional_db):
    return make_user("person@example.org", password=PASSWORD, full_name="Original Name")


def sign_in(page, base, *, email="person@example.org", next_path=None):
    if next_path is not None:
        page.goto(f"{base}/accounts/login/?next={next_path}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def drafts(page) -> dict:
    return page.evaluate(
        "() => Object.fromEntries(Object.keys(localStorage).filter(k => k.startsWith('agnitio.draft'))"
        ".map(k => [k, localStorage.getItem(k)]))"
    )


@pytest.mark.e2e
def test_session_ends_and_typed_text_comes_back_after_signing_in(live_server, page, person, short_session):
    base = live_server.url
    page.goto(f"{base}/accounts/login/?next=/account/")
    sign_in(page, base)
    expect(page).to_have_url(f"{base}/account/")

    remaining = page.locator("[data-session-remaining]")
    expect(remaining).to_have_text(re.compile(r"0:0[0-6]"))
    page.get_by_label("Full name").fill("Typed before the session ended")

    # A minute before the end (here: half the idle time) a live region warns.
    warning = page.locator("#session-warning")
    expect(warning).to_have_attribute("aria-live", "assertive")
    expect(warning).to_contain_text("Stay signed in", timeout=IDLE * 1000)
    expect(page.locator("#session-status")).to_have_class(re.compile(r"\bwarning\b"))

    # When the time is up the page goes to the sign-in page, with next pointing back.
    page.wait_for_url(re.compile(r"/accounts/login/\?next=%2Faccount%2F&session_ended=1$"), timeout=(IDLE + 5) * 1000)
    expect(page.locator("main [role=status]").first).to_contain_text("Your session ended")
    person.refresh_from_db()
    assert person.full_name == "Original Name"

    sign_in(page, base)
    expect(page).to_have_url(f"{base}/account/")
    expect(page.get_by_label("Full name")).to_have_value("Typed before the session ended")
    expect(page.locator(".draft-notice")).to_contain_text("was restored")

    # Saving the form removes the draft; the next visit shows the saved value and no notice.
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("saved")
    person.refresh_from_db()
    assert person.full_name == "Typed before the session ended"
    assert drafts(page) == {}
    page.reload()
    expect(page.locator(".draft-notice")).to_have_count(0)


@pytest.mark.e2e
def test_submit_that_bounced_to_sign_in_keeps_the_draft(live_server, page, context, person):
    base = live_server.url
    sign_in(page, base, next_path="/account/")
    expect(page).to_have_url(f"{base}/account/")
    page.get_by_label("Full name").fill("Submitted too late")
    # The server ended the session (here: the session cookie is gone); the submit bounces to sign-in.
    context.clear_cookies(name="sessionid")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/account/$"))
    person.refresh_from_db()
    assert person.full_name == "Original Name"

    sign_in(page, base)
    expect(page).to_have_url(f"{base}/account/")
    expect(page.get_by_label("Full name")).to_have_value("Submitted too late")

    # Discarding the draft puts back what the server sent and forgets the draft.
    page.get_by_role("button", name="Discard draft").click()
    expect(page.get_by_label("Full name")).to_have_value("Original Name")
    assert drafts(page) == {}
    page.reload()
    expect(page.get_by_label("Full name")).to_have_value("Original Name")


@pytest.mark.e2e
def test_stay_signed_in_renews_the_session(live_server, page, person, short_session):
    base = live_server.url
    sign_in(page, base, next_path="/account/")
    expect(page).to_have_url(f"{base}/account/")
    expect(page.locator("#session-warning")).to_contain_text("Stay signed in", timeout=IDLE * 1000)
    page.get_by_role("button", name="Stay signed in").click()
    expect(page.locator("#session-warning")).to_contain_text("still signed in")
    expect(page.locator("#session-status")).not_to_have_class(re.compile(r"\bwarning\b"))
    # Past the original end of the session the page is still here and the server still knows the user.
    page.wait_for_timeout(IDLE * 1000 * 2 // 3)
    expect(page).to_have_url(f"{base}/account/")
    page.reload()
    expect(page).to_have_url(f"{base}/account/")
    expect(page.get_by_label("Full name")).to_have_value("Original Name")


@pytest.mark.e2e
def test_passwords_are_never_kept_in_drafts(live_server, page, person):
    base = live_server.url
    sign_in(page, base, next_path="/accounts/password/change/")
    expect(page).to_have_url(f"{base}/accounts/password/change/")
    page.locator("#id_oldpassword").fill("secret-typed-here")
    page.locator("#id_password1").fill("another-secret-typed")
    page.locator("#id_password1").press("Tab")
    stored = str(drafts(page))
    assert "secret-typed-here" not in stored and "another-secret-typed" not in stored


@pytest.mark.e2e
def test_htmx_requests_restart_the_countdown(live_server, page, person, short_session):
    base = live_server.url
    sign_in(page, base, next_path="/account/")
    expect(page).to_have_url(f"{base}/account/")
    expect(page.locator("#session-status")).to_have_class(re.compile(r"\bwarning\b"), timeout=IDLE * 1000)
    # A request made by htmx renews the session on the server; the countdown follows.
    page.evaluate("() => htmx.ajax('GET', '/account/', {target: 'body', swap: 'none'})")
    expect(page.locator("#session-status")).not_to_have_class(re.compile(r"\bwarning\b"))
    remaining = page.locator("[data-session-remaining]").inner_text()
    minutes, seconds = (int(part) for part in remaining.split(":"))
    assert minutes * 60 + seconds > IDLE // 2


@pytest.mark.e2e
def test_form_answered_with_a_page_instead_of_a_redirect_drops_its_draft(live_server, page, person):
    # Creating an API token answers the POST with a page that shows the token once (no redirect).
    base = live_server.url
    sign_in(page, base, next_path="/account/api-tokens/")
    expect(page).to_have_url(f"{base}/account/api-tokens/")
    page.get_by_label("Name").fill("Nightly export")
    assert drafts(page) != {}
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#new-token")).to_be_visible()
    assert drafts(page) == {}
    page.goto(f"{base}/account/api-tokens/")
    expect(page.locator(".draft-notice")).to_have_count(0)
    expect(page.get_by_label("Name")).to_have_value("")
