"""Issue 8, point 8 in a real browser: the learner's outcomes autosave (htmx) on two devices. One device's own
autosaves move its version on (out of band) and never conflict with each other; the other device, opened before,
is refused with both versions shown, and saves its text only when the learner saves again knowingly."""

import datetime

import pytest
from playwright.sync_api import expect

from agnitio.invitations.services import invitation_accept

PASSWORD = "correct-horse-battery"
LABEL = "In Latvian — Multilingual competence"


@pytest.fixture
def learner_setup(transactional_db, make_user):
    from agnitio.organisations.models import Membership, Organisation
    from agnitio.youthpass import services

    organisation = Organisation.objects.create(legal_name="Biedrība Jaunatnes Tilts", country="LV",
                                               address="Brīvības iela 1, Rīga", email="info@tilts.example")
    owner = make_user("owner@tilts.example")
    Membership.objects.create(organisation=organisation, user=owner, role="owner")
    project = services.project_create(
        actor=owner, organisation=organisation, grant_number="2022-1-LV01-KA153-YOU-000000001",
        programme="erasmus_youth", project_type="youth_workers_mobility", title="Projekts",
        start_date=datetime.date(2026, 5, 1), end_date=datetime.date(2026, 5, 31))
    participant = services.participant_create(actor=owner, project=project, first_name="Anna", last_name="Bērziņa",
                                              email="anna@example.org", country="LV", language="lv")
    learner = make_user("anna@example.org", password=PASSWORD, language="en")
    services.participant_invite(actor=owner, participants=[participant])
    invitation_accept(user=learner, token=participant._token)
    return participant


def _device(new_page, base, path):
    page = new_page()
    page.goto(f"{base}/accounts/login/?next={path}")
    page.get_by_label("Email").fill("anna@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_label(LABEL)).to_be_visible()
    return page


def _autosave(page, text):
    with page.expect_response(lambda r: "/outcomes/draft/" in r.url):
        page.get_by_label(LABEL).fill(text)


@pytest.mark.e2e
def test_outcomes_autosave_on_two_devices(live_server, new_page, page_errors, learner_setup):
    from agnitio.youthpass.models import LearningOutcome

    participant = learner_setup
    path = f"/youthpass/me/{participant.public_id}/outcomes/?write=lv"
    a = _device(new_page, live_server.url, path)
    b = _device(new_page, live_server.url, path)

    def saved():
        return LearningOutcome.objects.get(participant=participant).text

    # Device A writes; its autosaves follow each other without conflicting with themselves.
    _autosave(a, "Pirmais teikums.")
    expect(a.locator("#autosave-status")).to_contain_text("Draft saved")
    assert saved() == "Pirmais teikums."
    _autosave(a, "Pirmais teikums. Otrais teikums.")
    expect(a.locator("#autosave-status")).to_contain_text("Draft saved")
    assert saved() == "Pirmais teikums. Otrais teikums."
    expect(a.locator("#outcomes-conflict")).to_be_empty()

    # Device B still shows the empty text it was opened with: its autosave is refused, with both versions.
    _autosave(b, "Cits teksts no telefona.")
    expect(b.locator("#autosave-status")).to_contain_text("Not saved")
    conflict = b.locator("#outcomes-conflict")
    expect(conflict).to_contain_text("Someone else changed this in the meantime")
    expect(conflict).to_contain_text("Cits teksts no telefona.")
    expect(conflict).to_contain_text("Pirmais teikums. Otrais teikums.")
    assert saved() == "Pirmais teikums. Otrais teikums."

    # B saves the draft (the plain form): the conflict page with both versions; saving again replaces A's text.
    b.get_by_role("button", name="Save draft").click()
    expect(b.locator(".edit-conflict")).to_contain_text("Pirmais teikums. Otrais teikums.")
    expect(b.get_by_label(LABEL)).to_have_value("Cits teksts no telefona.")
    assert saved() == "Pirmais teikums. Otrais teikums."
    b.get_by_role("button", name="Save draft").click()
    expect(b.locator(".messages")).to_contain_text("Draft saved")
    assert saved() == "Cits teksts no telefona."
    assert not page_errors, page_errors
