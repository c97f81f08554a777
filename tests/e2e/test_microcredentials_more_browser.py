"""In a real browser (Debian chromium), the micro-credential journey of issue 13 without JavaScript-only steps:
the provider publishes a specification with every Annex I element, anyone finds it in the public catalogue, the
provider issues it to two learners from a spreadsheet, one learner gives feedback, another provider recognises
the other learner's credential, the credential verifies on the public page and its EDC JSON-LD downloads."""

import json

import pytest

from agnitio.core.spreadsheets import xlsx_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_publish_find_issue_feedback_recognise_verify_export(new_context, live_server, owner, organisation,
                                                             outsider, other_organisation, make_user, tmp_path):
    from django.test import Client

    from agnitio.microcredentials.models import Award, Feedback, ProviderProfile, RecognitionRequest
    from agnitio.microcredentials.services.specifications import specification_create
    from agnitio.microcredentials.tests.conftest import COMPLETE

    url = live_server.url
    draft = specification_create(actor=owner, organisation=organisation, data=dict(COMPLETE))
    provider = Client()
    provider.force_login(owner)
    page = new_context(session_of=provider).new_page()
    # publish (every element is there)
    page.goto(f"{url}/microcredentials/s/{draft.public_id}/")
    page.get_by_role("button", name="Publish").click()
    assert page.get_by_text("Version 1 — published").first.is_visible()
    # anyone finds it in the catalogue
    anonymous = new_context().new_page()
    anonymous.goto(f"{url}/catalogue/")
    anonymous.get_by_role("textbox", name="Search").fill("intercultural")
    anonymous.get_by_role("textbox", name="Search").press("Enter")
    anonymous.get_by_role("link", name=COMPLETE["title"]).first.click()
    assert anonymous.get_by_role("heading", level=1, name=COMPLETE["title"]).is_visible()
    # issue to two learners from a spreadsheet
    sheet = tmp_path / "learners.xlsx"
    sheet.write_bytes(xlsx_bytes(["Vārds", "Uzvārds", "E-pasts", "Vērtējums"],
                                 [["Anna", "Bērziņa", "anna@example.org", "Pass"],
                                  ["Māris", "Kalns", "maris@example.org", "Pass"]]))
    page.goto(f"{url}/microcredentials/s/{draft.public_id}/import/")
    page.locator("input[type=file]").set_input_files(str(sheet))
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_role("button", name="Issue to the 2 learners without problems").click()
    page.wait_for_timeout(500)
    assert Award.objects.filter(specification=draft, status="issued").count() == 2
    anna_award = Award.objects.get(learner_email="anna@example.org")
    maris_award = Award.objects.get(learner_email="maris@example.org")
    # Anna gives feedback from her micro-credentials page
    anna = Client()
    anna.force_login(make_user("anna@example.org"))
    learner = new_context(session_of=anna).new_page()
    learner.goto(f"{url}/microcredentials/mine/")
    learner.get_by_role("link", name="Rate the learning experience").first.click()
    learner.get_by_label("4").check()
    learner.get_by_label("Comment (optional)").fill("Practical and well run.")
    learner.get_by_role("button", name="Save the feedback").click()
    assert Feedback.objects.get(award=anna_award).rating == 4
    # Māris asks another provider to recognise his credential (the signed JSON from his wallet)
    other_organisation.identifier = "40003000001"
    other_organisation.save(update_fields=["identifier"])
    ProviderProfile.objects.create(organisation=other_organisation, recognition_policy="Quality-assured only.")
    maris = Client()
    maris.force_login(make_user("maris@example.org"))
    holder = new_context(session_of=maris).new_page()
    signed = tmp_path / "credential.json"
    signed.write_text(json.dumps(maris_award.credential.credential))
    holder.goto(f"{url}/microcredentials/recognition/")
    holder.get_by_label("Provider asked to recognise it").select_option(other_organisation.public_id)
    holder.locator("input[type=file]").set_input_files(str(signed))
    holder.get_by_role("button", name="Send").click()
    assert holder.get_by_text("Verified by this platform.").is_visible()
    request = RecognitionRequest.objects.get()
    receiver = Client()
    receiver.force_login(outsider)
    other = new_context(session_of=receiver).new_page()
    other.goto(f"{url}/microcredentials/recognition/{request.public_id}/")
    other.get_by_label("recognised", exact=True).check()
    other.get_by_label("Reason under your recognition policy").fill("Meets our policy: quality-assured, EQF 5.")
    other.get_by_role("button", name="Record the decision").click()
    holder.reload()
    assert holder.get_by_text("Meets our policy").is_visible()
    # anyone verifies the credential; the holder downloads its EDC JSON-LD
    anonymous.goto(f"{url}/verify/{maris_award.credential.code}")
    assert anonymous.get_by_text(COMPLETE["title"]).first.is_visible()
    with holder.expect_download() as download:
        holder.goto(f"{url}/wallet/{maris_award.credential.public_id}/")
        holder.get_by_role("link", name="Download as European Digital Credential data (JSON-LD)").click()
    with open(download.value.path(), encoding="utf-8") as saved:
        document = json.load(saved)
    assert "EuropeanDigitalCredential" in document["type"]
