"""Issue 11 points 8 and 13 in a real browser: the participant (with JavaScript off: plain forms) writes a learning
goal, a private reflection note and a shared one, and sees them beside the outcome form; their mentor, signed in on
another device, sees the shared note only."""

import datetime

import pytest

PASSWORD = "correct-horse-battery"


def _sign_in(page, base, email, next_url):
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


@pytest.mark.e2e
def test_participant_writes_a_goal_and_a_shared_note_and_the_mentor_sees_only_the_shared(
        live_server, new_page, page_errors, transactional_db, make_user):
    from playwright.sync_api import expect

    from agnitio.invitations.services import invitation_accept
    from agnitio.organisations.models import Membership, Organisation
    from agnitio.youthpass import services
    from agnitio.youthpass.models import LearningGoal, ReflectionNote

    base = live_server.url
    organisation = Organisation.objects.create(legal_name="Biedrība Jaunatnes Tilts", country="LV",
                                               address="Brīvības iela 1, Rīga", email="info@tilts.example")
    owner = make_user("owner@tilts.example", password=PASSWORD, full_name="Ilze Owner")
    Membership.objects.create(organisation=organisation, user=owner, role="owner")
    project = services.project_create(
        actor=owner, organisation=organisation, grant_number="2020-1-LV02-ESC21-TRA-000000001", programme="esc",
        project_type="traineeship_job", title="Stažēšanās", start_date=datetime.date(2026, 5, 1),
        end_date=datetime.date(2026, 10, 31))
    activity = services.activity_create(
        actor=owner, project=project, activity_type="traineeship", title="Stažēšanās birojā",
        start_date=datetime.date(2026, 5, 4), end_date=datetime.date(2026, 10, 30))
    trainee = services.participant_create(actor=owner, project=project, activities=[activity], first_name="Laura",
                                          last_name="Liepa", email="laura@example.org", country="LV", language="en")
    learner = make_user("laura@example.org", password=PASSWORD, language="en")
    mentor = make_user("mentor@example.org", password=PASSWORD, language="en", full_name="Māris Mentors")
    services.participant_invite(actor=owner, participants=[trainee])
    invitation_accept(user=learner, token=trainee._token)
    trainee.refresh_from_db()
    trainee = services.supervisor_invite(actor=owner, participant=trainee, full_name="Māris Mentors",
                                         email="mentor@example.org", language="en")
    invitation_accept(user=mentor, token=trainee._supervisor_token)

    # The trainee, with JavaScript off: the journal is plain forms.
    page = new_page(java_script_enabled=False)
    _sign_in(page, base, "laura@example.org", f"/youthpass/me/{trainee.public_id}/outcomes/")
    page.get_by_role("link", name="Your learning goals and reflection").first.click()
    expect(page.locator("h1")).to_contain_text("Your learning goals and reflection")
    page.get_by_label("A learning goal").fill("Learn to lead a team meeting on my own.")
    page.get_by_role("button", name="Add the learning goal").click()
    expect(page.locator(".messages")).to_contain_text("Learning goal saved.")
    page.get_by_role("textbox", name="Reflection").fill("Private: I was afraid to speak in the meeting.")
    page.get_by_role("button", name="Save the reflection").click()
    expect(page.locator(".messages")).to_contain_text("Reflection saved.")
    page.get_by_role("textbox", name="Reflection").fill("Shared: I chaired the Monday meeting for the first time.")
    page.get_by_label("Share with my supervisor or mentor").last.check()
    page.get_by_role("button", name="Save the reflection").click()
    expect(page.locator(".messages")).to_contain_text("Reflection saved.")
    assert LearningGoal.objects.get().shared is False
    assert sorted(ReflectionNote.objects.values_list("shared", flat=True)) == [False, True]
    # Beside the outcome form: the goal and both notes (they are hers).
    page.get_by_role("link", name="Your learning outcomes").click()
    aside = page.locator("aside.yp-journal-aside")
    expect(aside).to_contain_text("Learn to lead a team meeting on my own.")
    expect(aside).to_contain_text("Private: I was afraid to speak in the meeting.")
    expect(aside).to_contain_text("Shared: I chaired the Monday meeting for the first time.")
    expect(page.locator("#outcomes-form")).to_be_visible()

    # The mentor, on another device, sees the shared note only.
    other = new_page()
    _sign_in(other, base, "mentor@example.org", f"/youthpass/assess/{trainee.public_id}/")
    shared = other.locator("aside.yp-journal-aside")
    expect(shared).to_contain_text("Shared: I chaired the Monday meeting for the first time.")
    expect(shared).to_contain_text("No learning goals shared with you.")
    expect(other.locator("main")).not_to_contain_text("Private: I was afraid")
    expect(other.locator("main")).not_to_contain_text("Learn to lead a team meeting")

    # She shares the goal too; the mentor sees it on reloading.
    page.get_by_role("link", name="Add or change goals and notes").click()
    page.locator("li", has_text="Learn to lead a team meeting").get_by_role(
        "button", name="Share with my supervisor or mentor").click()
    expect(page.locator(".messages")).to_contain_text("Shared with your supervisor or mentor.")
    other.reload()
    expect(other.locator("aside.yp-journal-aside")).to_contain_text("Learn to lead a team meeting on my own.")
    expect(other.locator("main")).not_to_contain_text("Private: I was afraid")
    assert not page_errors, page_errors
