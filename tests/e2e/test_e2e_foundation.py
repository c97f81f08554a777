"""The Foundation journey in a real browser (issue 2, point 12): sign up, confirm the e-mail from the outbox, create
an organisation, invite an editor who signs up through the link and accepts, switch the interface to Latvian."""

import re

import pytest
from playwright.sync_api import expect

OWNER_PASSWORD = "owner-passphrase-2026"
EDITOR_PASSWORD = "editor-passphrase-2026"


@pytest.mark.e2e
def test_sign_up_confirm_create_organisation_invite_editor_switch_to_latvian(
    live_server, new_page, page_errors, transactional_db, outbox_link
):
    from agnitio.accounts.models import User
    from agnitio.organisations.models import Membership, Organisation

    base = live_server.url
    page = new_page()

    # 1. Sign up with e-mail and password (plus full name and preferred language).
    page.goto(base + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign up").click()
    page.get_by_label("Email").fill("owner@tilts.example")
    page.locator("#id_password1").fill(OWNER_PASSWORD)
    page.locator("#id_password2").fill(OWNER_PASSWORD)
    page.get_by_label("Full name").fill("Ilze Owner")
    page.get_by_label("Preferred language").select_option("en")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verify")
    assert not User.objects.get(email="owner@tilts.example").emailaddress_set.get().verified

    # 2. Confirm the e-mail with the link from the outbox.
    page.goto(base + outbox_link(to="owner@tilts.example", fragment="/accounts/confirm-email/"))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert User.objects.get(email="owner@tilts.example").emailaddress_set.get().verified

    # 3. Create an organisation.
    page.get_by_role("link", name="New organisation").first.click()
    page.get_by_label("Legal name").fill("Biedrība Jaunatnes Tilts")
    page.get_by_label("Short name").fill("JT")
    page.get_by_label("Country").select_option("LV")
    page.get_by_label("Address").fill("Brīvības iela 1, Rīga, LV-1010")
    page.get_by_label("E-mail").fill("info@tilts.example")
    page.get_by_label("Phone").fill("+371 67 000 001")
    page.locator("form button[type=submit]").filter(has_text=re.compile("Create|Save")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Biedrība Jaunatnes Tilts")
    organisation = Organisation.objects.get(legal_name="Biedrība Jaunatnes Tilts")
    owner = User.objects.get(email="owner@tilts.example")
    assert Membership.objects.filter(organisation=organisation, user=owner, role="owner").exists()

    # 4. Invite an editor.
    page.goto(f"{base}/organisations/{organisation.public_id}/members/invite/")
    page.get_by_label("Name").fill("Pēteris Editor")
    page.get_by_label("E-mail").fill("editor@tilts.example")
    page.get_by_label("Role").select_option("editor")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".messages")).to_be_visible()
    invitation_path = outbox_link(to="editor@tilts.example", fragment="/invitations/")

    # 5. The editor (another browser, no account yet) signs up through the link and accepts.
    editor = new_page()
    editor.goto(base + invitation_path)
    editor.get_by_role("link", name="Sign up to accept").click()
    email_field = editor.get_by_label("Email")
    if not email_field.input_value():
        email_field.fill("editor@tilts.example")
    editor.locator("#id_password1").fill(EDITOR_PASSWORD)
    editor.locator("#id_password2").fill(EDITOR_PASSWORD)
    editor.get_by_label("Full name").fill("Pēteris Editor")
    editor.get_by_role("button", name="Sign Up").click()
    editor.get_by_role("button", name="Accept invitation").click()
    expect(editor.get_by_role("heading", level=1)).to_contain_text("Biedrība Jaunatnes Tilts")
    new_editor = User.objects.get(email="editor@tilts.example")
    assert Membership.objects.filter(organisation=organisation, user=new_editor, role="editor").exists()
    editor.context.close()

    # 6. The owner switches the interface to Latvian; the choice is remembered as the preferred language.
    page.goto(f"{base}/organisations/{organisation.public_id}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Language").select_option("lv")
    page.locator("form.lang-switch button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "lv")
    expect(page).to_have_url(f"{base}/organisations/{organisation.public_id}/")
    owner.refresh_from_db()
    assert owner.language == "lv"
    page.goto(base + "/account/")
    expect(page.locator("html")).to_have_attribute("lang", "lv")

    assert not page_errors, page_errors
