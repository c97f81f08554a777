"""Issue 11 points 1, 2 and 13 in a real browser: a project editor enters the learning outcomes of a participant
without e-mail (found from the list, where the row says why no invitation is possible), submits them after a
confirmation, and the participant is certified like anyone else; the history names the editor and the participant.
Then "issue for everyone ready" skips the one already certified, says so, and issues only the other person's."""

import datetime

import pytest

PASSWORD = "correct-horse-battery"


@pytest.mark.e2e
def test_editor_enters_outcomes_for_a_participant_without_email(live_server, new_page, page_errors,
                                                               transactional_db, make_user):
    from playwright.sync_api import expect

    from agnitio.credentials.models import IssuedCredential
    from agnitio.organisations.models import Membership, Organisation, Signatory
    from agnitio.youthpass import services
    from agnitio.youthpass.models import LearningOutcome, Participant, ProjectEditor

    base = live_server.url
    organisation = Organisation.objects.create(legal_name="Biedrība Jaunatnes Tilts", country="LV",
                                               address="Brīvības iela 1, Rīga", email="info@tilts.example")
    owner = make_user("owner@tilts.example", password=PASSWORD, full_name="Ilze Owner")
    Membership.objects.create(organisation=organisation, user=owner, role="owner")
    editor = make_user("editor@tilts.example", password=PASSWORD, full_name="Pēteris Redaktors", language="en")
    Membership.objects.create(organisation=organisation, user=editor, role="editor")
    signatory = Signatory.objects.create(organisation=organisation, full_name="Ilze Owner",
                                         position="Valdes priekšsēdētāja")
    project = services.project_create(
        actor=owner, organisation=organisation, grant_number="2022-1-LV01-KA153-YOU-000000001",
        programme="erasmus_youth", project_type="youth_workers_mobility", title="Mobilitāte",
        start_date=datetime.date(2026, 5, 1), end_date=datetime.date(2026, 5, 20))
    ProjectEditor.objects.create(organisation=organisation, project=project, user=editor,
                                 status=ProjectEditor.Status.ACTIVE)
    activity = services.activity_create(
        actor=owner, project=project, activity_type="training_course", title="Apmācību kurss",
        start_date=datetime.date(2026, 5, 3), end_date=datetime.date(2026, 5, 10), venue_city="Cēsis",
        venue_country="LV")
    paper = services.participant_create(actor=owner, project=project, activities=[activity], first_name="Ilze",
                                        last_name="Kalniņa", country="LV", language="lv")

    page = new_page(timeout=20_000)
    page.goto(f"{base}/accounts/login/?next=/youthpass/p/{project.public_id}/participants/")
    page.get_by_label("Email").fill("editor@tilts.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("link", name="no e-mail, so no invitation: write the outcomes on their behalf").click()
    expect(page.locator("h1")).to_contain_text("Write learning outcomes on behalf of Ilze Kalniņa")
    page.get_by_role("radio", name="Latvian").check()
    page.get_by_role("button", name="Change").click()
    page.get_by_label("In Latvian — Multilingual competence").fill("Uz papīra: iemācījos runāt angliski grupā.")
    page.get_by_role("button", name="Submit on their behalf…").click()
    expect(page.locator("main")).to_contain_text("Uz papīra: iemācījos runāt angliski grupā.")
    page.get_by_role("button", name="Yes, submit on their behalf").click()
    expect(page.locator(".messages")).to_contain_text("submitted on behalf of Ilze Kalniņa")
    page.get_by_role("button", name="Confirm the personal data on their behalf").click()
    expect(page.locator(".messages")).to_contain_text("personal data are confirmed")
    paper.refresh_from_db()
    assert paper.status == Participant.Status.OUTCOMES_SUBMITTED and paper.data_confirmed_at
    assert LearningOutcome.objects.get(participant=paper).text == "Uz papīra: iemācījos runāt angliski grupā."
    expect(page.locator("main")).to_contain_text(
        "Learning outcomes submitted by Pēteris Redaktors on behalf of Ilze Kalniņa")

    services.project_finalise(actor=owner, project=project, signing_place="Cēsis",
                              signing_date=datetime.date(2026, 5, 21), certificate_language="lv",
                              signatory_page1=signatory, signatory_part2=signatory)
    page.reload()
    page.get_by_role("button", name="Issue the certificate").click()
    expect(page.locator(".messages")).to_contain_text("issued", timeout=60_000)
    paper.refresh_from_db()
    assert paper.status == Participant.Status.CERTIFICATE_ISSUED and paper.certificate is not None
    first_certificate = paper.certificate

    # Bulk issue ("issue for everyone ready") skips the person already certified and says how many it skipped.
    second = services.participant_create(actor=owner, project=project, activities=[activity], first_name="Jānis",
                                         last_name="Ozols", country="LV", language="lv")
    services.outcomes_save_on_behalf(actor=owner, participant=second, submit=True, texts={
        ("key_competences_2018", "citizenship", "lv"): "Piedalījos jauniešu domes sēdē."})
    page.goto(f"{base}/youthpass/p/{project.public_id}/participants/")
    page.get_by_role("button", name="Issue the certificates of everyone ready").click()
    expect(page.locator(".messages")).to_contain_text(
        "1 person already holds a current certificate and was skipped.")
    expect(page.locator("#batch-progress")).to_contain_text("1 of 1 certificates issued", timeout=60_000)
    second.refresh_from_db()
    paper.refresh_from_db()
    assert second.status == Participant.Status.CERTIFICATE_ISSUED and second.certificate is not None
    assert paper.certificate == first_certificate  # not re-issued
    assert IssuedCredential.objects.count() == 2  # one each: nobody's certificate was issued twice
    assert {c.pk for c in IssuedCredential.objects.all()} == {paper.certificate_id, second.certificate_id}
    assert not page_errors, page_errors
