"""Europass Mobility in a real browser (issue 12, points 7, 8 and 13): register an institution (confirmed through the
link of the e-mail in the outbox), apply with procedure B, approve as the NEC, fill two participants' documents
(project, learning outcomes with ESCO inserted from the side panel; the host data only in the first), copy the host
data from the first document to the second on the copy page (choose fields and the target, preview, confirm), send
the host access to the first document: the host follows the e-mailed link, signs up with that e-mail, sees only that
document, adds a learning outcome with the ESCO panel, and the sender sees it; then make the certificate from the
first agreement, issue it through the Trust layer and verify it on the public verification page. On the way the
sender inserts an ESCO skill into the first of two written learning outcomes (the panel's "Insert into" list)."""

import datetime
import re

import pytest
from django.test import Client
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HOST_PASSWORD = "a-long-host-passphrase-2026"
TEAMWORK = "http://data.europa.eu/esco/skill/60c78287-22eb-4103-9c8c-28deaa460da0"  # work in teams
COMMUNICATE = "http://data.europa.eu/esco/skill/0da516ee-e70e-4384-be13-f5ff80be8127"  # communicate with customers


def _signed_in(new_context, user):
    client = Client()
    client.force_login(user)
    return new_context(session_of=client).new_page()


def _section(page, base, document, section):
    page.goto(f"{base}/europass/documents/{document.public_id}/{section}/")


HOST_EMAIL = "ana.costa@escola.example"
HOST_NAME = "Escola Profissional do Porto"


def _fill_document(page, base, document, *, first_name, host=True):
    _section(page, base, document, "personal")
    page.locator("#id_language").select_option("en")
    page.locator("#id_first_name").fill(first_name)
    page.locator("#id_last_name").fill("Bērziņa")
    page.locator("#id_email").fill(f"{first_name.lower()}@example.org")
    page.get_by_role("button", name="Save").click()
    if host:
        _fill_host(page, base, document)
    _section(page, base, document, "project")
    page.locator("#id_programme").fill("Skolu partnerība")
    page.locator("#id_activity_type").select_option("vet_learners_short")
    page.locator("[name=stay_mode][value=physical]").check()
    page.locator("#id_purpose").select_option("work_placement")
    page.locator("#id_participant_status").fill("2. kursa audzēkne, programma “Pavārs”")
    page.get_by_role("button", name="Save").click()
    for section, field, text in (("activities", "activities_tasks", "Work in the kitchen of the school canteen"),
                                 ("mentoring", "mentoring", "Weekly meeting with the mentor"),
                                 ("evaluation", "evaluation", "Assessed by the mentor; recognised as placement"),
                                 ("contact", "contact_information", "Ilze Kalniņa, +371 2000 0000")):
        _section(page, base, document, section)
        page.locator(f"#id_{field}").fill(text)
        page.get_by_role("button", name="Save").click()
    _section(page, base, document, "signatures")
    for party in ("participant", "sending", "host"):
        page.locator(f"[name=signing_parties][value={party}]").check()
    page.get_by_role("button", name="Save").click()
    _outcome_with_esco(page, base, document)


def _fill_host(page, base, document):
    _section(page, base, document, "host")
    page.locator("#id_host_name").fill(HOST_NAME)
    page.locator("#id_host_type").select_option("vet_provider")
    page.locator("#id_host_country").select_option("PT")
    page.locator("#id_mentor_name").fill("Ana Costa")
    page.locator("#id_mentor_position").fill("Formadora")
    page.locator("#id_mentor_phone").fill("+351 912 345 678")
    page.locator("#id_mentor_email").fill(HOST_EMAIL)
    page.get_by_role("button", name="Save").click()


def _esco_insert(page, index):
    """Insert "work in teams" from the ESCO side panel (searched with a typo) into outcome `index`."""
    page.fill("#outcome-esco-q", "work in teems")
    page.wait_for_selector("#outcome-esco-results li")
    page.get_by_role("button", name=re.compile(r"^Insert\s*:\s*work in teams$")).click()
    assert page.input_value(f"#id_outcomes-{index}-esco_uris") == TEAMWORK


def _outcome_with_esco(page, base, document):
    """The learning outcome written with the ESCO side panel: search (with a typo), insert; the URI is kept."""
    _section(page, base, document, "outcomes")
    expect(page.get_by_text("This service uses the ESCO classification of the European Commission.")).to_be_visible()
    page.locator("#id_outcomes-0-framework").select_option("B")
    page.locator("#id_outcomes-0-text").fill("Works with the kitchen team:")
    _esco_insert(page, 0)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Europass")


def test_register_apply_approve_fill_issue_and_verify(live_server, new_context, page_errors, outbox_link,
                                                       make_user, esco_english):
    from agnitio.credentials.models import IssuedCredential
    from agnitio.europass import services
    from agnitio.europass.models import Application, Institution, MobilityDocument
    from agnitio.notifications.models import OutboxEmail
    from agnitio.organisations.models import Membership, Organisation

    base = live_server.url
    nec_org = Organisation.objects.create(legal_name="Akadēmiskās informācijas centrs", country="LV",
                                          address="Dzirnavu iela 16, Rīga", email="europass@aic.example")
    services.national_centre_create(actor=None, organisation=nec_org, country="LV",
                                    display_name="Academic information centre – NEC Latvia")
    nec_staff = make_user("staff@aic.example", language="en")
    Membership.objects.create(organisation=nec_org, user=nec_staff, role="editor")
    sender = make_user("ilze@tehnikums.example", language="en")

    # 1. Register the institution; confirm it with the link from the outbox.
    page = _signed_in(new_context, sender)
    page.goto(base + "/europass/register/")
    page.locator("#id_name").fill("Valmieras tehnikums")
    page.locator("#id_email").fill("ilze@tehnikums.example")  # the resend form's field is #id_resend-email
    page.locator("#id_language").select_option("en")
    page.get_by_role("button", name="Send the registration form").click()
    page.goto(base + outbox_link(to="ilze@tehnikums.example", fragment="/europass/register/confirm/"))
    page.locator("#id_country").select_option("LV")
    page.locator("#id_address").fill("Vadu iela 1, Valmiera")
    page.locator("#id_contact_person").fill("Ilze Kalniņa")
    page.get_by_role("button", name="Register the institution").click()
    institution = Institution.objects.get()
    assert Membership.objects.filter(organisation=institution.organisation, user=sender).exists()

    # 2. Apply with procedure B (within 10 weeks of the start), two participants.
    start = datetime.date.today() + datetime.timedelta(days=30)
    page.goto(base + "/europass/applications/new/")
    page.locator("#id_conditions_accepted").check()
    page.locator("#id_participants_count").fill("2")
    page.locator("#id_start_date").fill(start.isoformat())
    page.locator("#id_end_date").fill((start + datetime.timedelta(days=11)).isoformat())
    page.locator("[name=issuing_body][value=nec]").check()
    page.locator("[name=procedure][value=B]").check()
    page.locator("#id_description").fill("Skolu partnerība, pieredzes apmaiņa virtuvē")
    for criterion in ("criterion_written_agreement", "criterion_language_preparation", "criterion_mentor",
                      "criterion_geographic_scope"):
        page.locator(f"#id_{criterion}").check()
    page.get_by_role("button", name="Send the application").click()
    application = Application.objects.get()
    assert application.status == "submitted" and application.procedure == "B"

    # 3. The NEC approves it: one document per participant, each with its Europass number.
    nec_page = _signed_in(new_context, nec_staff)
    nec_page.goto(base + "/europass/nec/")
    nec_page.get_by_role("button", name="Approve").first.click()
    application.refresh_from_db()
    assert application.status == "approved"
    first, second = MobilityDocument.objects.order_by("position")
    assert first.europass_number and second.europass_number

    # 4. Fill both documents (project, outcomes with ESCO from the panel …); the host data only in the first.
    _fill_document(page, base, first, first_name="Anna")
    _fill_document(page, base, second, first_name="Marta", host=False)
    page.goto(f"{base}/europass/documents/{first.public_id}/")
    expect(page.get_by_text("Every mandatory field is filled.")).to_be_visible()
    assert first.outcomes.get().esco_uris == [TEAMWORK]

    # 5. Copy the host data from the first document to the second: choose the fields and the target, preview, copy.
    page.get_by_role("link", name="Copy data to other Europass documents").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Host organisation")
    expect(page.locator(".copyable")).to_contain_text(HOST_EMAIL)
    expect(page.get_by_role("checkbox", name="mentor's e-mail")).to_be_checked()  # every field offered, checked
    page.get_by_role("checkbox", name="address", exact=True).uncheck()  # the fields to copy are chosen
    page.get_by_role("checkbox", name=re.compile("Marta")).check()
    page.get_by_role("button", name="Show the preview").click()
    preview = page.get_by_role("region", name="Preview: what changes in each document")
    expect(preview).to_contain_text(HOST_NAME)
    expect(preview).to_contain_text(HOST_EMAIL)
    second.refresh_from_db()
    assert second.host_name == ""  # nothing changes before the confirmation
    page.get_by_role("button", name="Copy now").click()
    expect(page.get_by_text("Copied to 1 documents.")).to_be_visible()
    second.refresh_from_db()
    assert (second.host_name, second.host_country.code, second.mentor_name, second.mentor_email) == (
        HOST_NAME, "PT", "Ana Costa", HOST_EMAIL)
    page.goto(f"{base}/europass/documents/{second.public_id}/")
    expect(page.get_by_text("Every mandatory field is filled.")).to_be_visible()

    # 6. Send the host access to the first document; the host follows the e-mailed link and signs up with that
    #    address, then sees only that document (not the second, although it names the same e-mail).
    page.goto(f"{base}/europass/documents/{first.public_id}/")
    page.get_by_role("link", name="Access for the host and the participant").click()
    page.get_by_role("button", name="Send access to the host").click()
    expect(page.get_by_text("The host was sent a personal link.")).to_be_visible()
    host = new_context().new_page()
    host.goto(base + outbox_link(to=HOST_EMAIL, fragment="/invitations/"))
    expect(host.get_by_role("heading", level=1)).to_contain_text("Valmieras tehnikums")
    host.get_by_role("link", name="Sign up to accept").click()
    email_field = host.get_by_label("Email")
    if not email_field.input_value():
        email_field.fill(HOST_EMAIL)
    host.locator("#id_password1").fill(HOST_PASSWORD)
    host.locator("#id_password2").fill(HOST_PASSWORD)
    host.get_by_label("Full name").fill("Ana Costa")
    host.get_by_role("button", name="Sign Up").click()
    host.get_by_role("button", name="Accept invitation").click()
    expect(host.get_by_role("heading", level=1)).to_have_text("Europass documents shared with you")
    shared = host.locator("main li a")
    expect(shared).to_have_count(1)
    expect(shared).to_contain_text(first.europass_number)
    expect(host.locator("main")).not_to_contain_text(second.europass_number)
    assert OutboxEmail.objects.filter(to__iexact="ilze@tehnikums.example",
                                      template="europass/email/access_registered").exists()

    # 7. The host adds a learning outcome with the ESCO panel; the sender sees it.
    shared.click()
    host.get_by_role("link", name="Learning outcomes").click()
    host.locator("#id_outcomes-1-framework").select_option("B")
    host.locator("#id_outcomes-1-text").fill("Plans the canteen's week with the team:")
    _esco_insert(host, 1)
    host.get_by_role("button", name="Save").click()
    expect(host.locator("main li").filter(has_text="Plans the canteen's week")).to_contain_text("work in teams")
    host.context.close()
    added = first.outcomes.get(text__startswith="Plans the canteen")
    assert added.framework == "B" and added.esco_uris == [TEAMWORK]
    _section(page, base, first, "outcomes")
    expect(page.locator("#id_outcomes-1-text")).to_have_value(re.compile(r"^Plans the canteen's week with the team:"
                                                                        r"\s+work in teams$"))

    # 7b. The ESCO panel inserts into an outcome already written, not only the new one (issue 12 point 6): the list
    # follows the outcome last clicked into, and the sender chooses the first of the two; the other stays as it was.
    into = page.get_by_label("Insert into")
    expect(into).to_have_value("id_outcomes-2-text")  # the new, empty outcome by default
    page.locator("#id_outcomes-1-text").focus()
    expect(into).to_have_value("id_outcomes-1-text")
    expect(into.locator("option[value=id_outcomes-0-text]")).to_have_text(  # named by its number and first words
        "Learning outcome 1: Works with the kitchen team: work…")
    into.select_option("id_outcomes-0-text")
    page.fill("#outcome-esco-q", "communicate with customers")
    page.get_by_role("button", name=re.compile(r"^Insert\s*:\s*communicate with customers$")).click()
    expect(page.locator("[data-esco-status]")).to_have_text(
        "Inserted into Learning outcome 1: communicate with customers")
    assert page.input_value("#id_outcomes-0-esco_uris").split() == [TEAMWORK, COMMUNICATE]
    assert page.input_value("#id_outcomes-1-esco_uris") == TEAMWORK and page.input_value("#id_outcomes-2-text") == ""
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Europass")
    kept, other = first.outcomes.order_by("position")
    assert kept.text.split("\n")[-1] == "communicate with customers" and kept.esco_uris == [TEAMWORK, COMMUNICATE]
    assert (other.text, other.framework, other.esco_uris) == (added.text, added.framework, added.esco_uris)

    # 8. After the mobility: the certificate from the agreement; who signs; issue it through the Trust layer.
    page.goto(f"{base}/europass/documents/{first.public_id}/")
    page.get_by_role("button", name="Create the certificate from the agreement").click()
    certificate = MobilityDocument.objects.get(agreement=first)
    _section(page, base, certificate, "signatures")
    page.locator("[name=signing_parties][value=sending]").check()
    page.get_by_role("button", name="Save").click()
    _outcome_with_esco(page, base, certificate)  # the achieved learning outcome
    page.goto(f"{base}/europass/documents/{certificate.public_id}/")
    page.get_by_role("button", name="Issue the certificate").click()
    credential = IssuedCredential.objects.get()
    assert credential.kind == "europass_certificate" and credential.holder_email == "anna@example.org"
    expect(page.get_by_text(credential.number).first).to_be_visible()

    # 9. Anyone verifies it on the public verification page (signed out, another device).
    public = new_context().new_page()
    public.goto(base + f"/verify/{credential.code}")
    expect(public.locator("body")).to_contain_text(credential.number)
    expect(public.locator("body")).to_contain_text("Valmieras tehnikums")
