"""The whole Youthpass path in a real browser (issue 5, point 12): create a project, add an activity, import
participants from an xlsx file, invite one, who writes outcomes in Latvian (autosaved, then submitted), finalise,
issue, download and verify the certificate. Playwright's Python package driving Debian's chromium."""

import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from openpyxl import Workbook

PASSWORD = "correct-horse-battery"


def _sign_in(page, base, email, next_path="/youthpass/"):
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def _table(tmp_path) -> Path:
    workbook = Workbook()
    for row in [["Vārds", "Uzvārds", "E-pasts", "Valsts", "Dzimšanas datums", "Loma"],
                ["Līga", "Ozoliņa", "liga@example.org", "Latvija", "15.03.2004", "dalībniece"],
                ["Jonas", "Petraitis", "jonas@example.org", "Lietuva", "01.02.1990", "komandas loceklis"],
                ["Marie", "Dupont", "marie@example.org", "France", "2003-07-14", "participant"]]:
        workbook.active.append(row)
    path = tmp_path / "dalibnieki.xlsx"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.e2e
def test_whole_youthpass_path(live_server, new_page, page_errors, outbox_link, transactional_db, make_user,
                              tmp_path):
    from playwright.sync_api import expect

    from agnitio.credentials.models import IssuedCredential
    from agnitio.documents.seal import pdf_seal_verify
    from agnitio.organisations.models import Membership, Organisation, Signatory
    from agnitio.youthpass.models import LearningOutcome, Participant, Project

    base = live_server.url
    organisation = Organisation.objects.create(legal_name="Biedrība Jaunatnes Tilts", country="LV",
                                               address="Brīvības iela 1, Rīga", email="info@tilts.example")
    owner = make_user("owner@tilts.example", password=PASSWORD, full_name="Ilze Owner")
    Membership.objects.create(organisation=organisation, user=owner, role="owner")
    Signatory.objects.create(organisation=organisation, full_name="Ilze Owner", position="Valdes priekšsēdētāja")
    # The interface stays English so the test does not depend on the state of the catalogues; what she writes is
    # Latvian, in the Latvian fields.
    make_user("liga@example.org", password=PASSWORD, language="en")

    page = new_page(accept_downloads=True, timeout=20_000)
    _sign_in(page, base, "owner@tilts.example")

    # 1. Create a project: a wrong number first, then the right one.
    page.goto(base + "/youthpass/new/")
    page.get_by_label("Grant agreement number").fill("2024-1-LV02-KA152-YOU-12345")
    page.get_by_label("Programme").select_option("erasmus_youth")
    page.get_by_label("Project type").select_option("youth_exchange")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("main")).to_contain_text("Part 6")
    page.get_by_label("Grant agreement number").fill("2024-1-LV02-KA152-YOU-000123456")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Title").fill("Ūdens un daba")
    page.get_by_label("Start date").fill("2026-07-01")
    page.get_by_label("End date").fill("2026-07-10")
    page.get_by_label("Description", exact=True).fill("Desmit dienu darbnīcas par ūdeni un dabu.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ūdens un daba")
    project = Project.objects.get()

    # 2. Add an activity.
    page.get_by_role("link", name="Add activity").click()
    page.get_by_label("Type of activity").select_option("youth_exchange")
    page.get_by_label("Title").fill("Jauniešu apmaiņa Cēsīs")
    page.get_by_label("Start date").fill("2026-07-02")
    page.get_by_label("End date").fill("2026-07-09")
    page.get_by_label("City").fill("Cēsis")
    page.get_by_label("Country").select_option("LV")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Jauniešu apmaiņa Cēsīs")

    # 3. Import participants from an xlsx file: mapping recognised, preview, import.
    page.goto(f"{base}/youthpass/p/{project.public_id}/participants/import/")
    page.get_by_label("Table (xlsx, xls, ods or csv)").set_input_files(str(_table(tmp_path)))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator("main")).to_contain_text("3 rows read, 3 without problems")
    page.get_by_label("Jauniešu apmaiņa Cēsīs").check()
    page.get_by_role("button", name="Import 3 people").click()
    expect(page.locator(".messages")).to_contain_text("3 people imported")
    assert Participant.objects.filter(project=project).count() == 3
    liga = Participant.objects.get(email="liga@example.org")
    assert liga.country.code == "LV" and liga.activities.count() == 1

    # 4. Invite one (bulk action on the list).
    page.get_by_label("Choose Līga Ozoliņa").check()
    page.get_by_label("Action").select_option("invite")
    page.get_by_label("Personal message").fill("Lūdzu, aizpildi līdz piektdienai!")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messages")).to_contain_text("Invitations sent: 1")

    # 5. The participant opens the link, signs in, checks her data and writes in Latvian.
    learner = new_page(accept_downloads=True, timeout=20_000)
    invitation = outbox_link(to="liga@example.org", fragment="/invitations/")
    learner.goto(base + invitation)
    learner.locator("main").get_by_role("link", name="Sign in to accept").click()
    learner.get_by_label("Email").fill("liga@example.org")
    learner.get_by_label("Password").fill(PASSWORD)
    learner.get_by_role("button", name="Sign In").click()
    learner.get_by_role("button", name="Accept invitation").click()
    learner.get_by_label("Place of birth").fill("Valmiera")
    learner.get_by_role("button", name="Confirm and continue").click()
    learner.get_by_role("radio", name="Latvian").check()
    learner.get_by_role("button", name="Change").click()
    field = learner.get_by_label("In Latvian — Multilingual competence")
    field.fill("Katru dienu runāju angliski un franciski; iemācījos skaidrot savas domas svešvalodā.")
    expect(learner.locator("#autosave-status")).to_contain_text("Draft saved", timeout=15_000)
    assert LearningOutcome.objects.get(participant=liga).language == "lv"
    learner.get_by_label("In Latvian — Citizenship competence").fill("Piedalījos pilsētas jauniešu domes sēdē.")
    learner.get_by_role("button", name="Submit to the organiser").click()
    expect(learner.locator(".messages")).to_contain_text("submitted")
    liga.refresh_from_db()
    assert liga.status == "outcomes_submitted" and liga.place_of_birth == "Valmiera"

    # 6. Finalise.
    page.goto(f"{base}/youthpass/p/{project.public_id}/finalise/")
    page.get_by_label("Place of signing").fill("Cēsis")
    page.get_by_label("Date of signing").fill("2026-07-10")
    page.get_by_label("Signs page 1 (legal representative)").select_option(label="Ilze Owner, Valdes priekšsēdētāja")
    page.get_by_label("Signs part 2 (person responsible for the project)").select_option(
        label="Ilze Owner, Valdes priekšsēdētāja")
    page.get_by_label("Latvian and English").check()
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".messages")).to_contain_text("confirmed")

    # 7. Issue everyone ready (a background batch with progress), download and verify.
    page.get_by_role("button", name="Issue the certificates of everyone ready").click()
    expect(page.locator("#batch-progress")).to_contain_text("1 of 1 certificates issued")
    credential = IssuedCredential.objects.get()
    page.goto(f"{base}/youthpass/p/{project.public_id}/participants/{liga.public_id}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    pdf = Path(download_info.value.path()).read_bytes()
    # pyHanko runs its own event loop: check the seal outside Playwright's loop in this thread
    with ThreadPoolExecutor(1) as pool:
        seal = pool.submit(pdf_seal_verify, pdf_bytes=pdf).result()
    assert pdf.startswith(b"%PDF") and seal.intact, seal.errors
    page.get_by_role("link", name="Verification page").click()
    expect(page.locator(".verification-result")).to_contain_text("Authentic")
    expect(page.locator(".verification-result")).to_contain_text("Līga Ozoliņa")
    assert credential.code in page.url and credential.number not in page.url
    assert not page_errors, page_errors
