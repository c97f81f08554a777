"""Europass Mobility in a real browser (issue 12, point 13): register an institution (confirmed through the link of
the e-mail in the outbox), apply with procedure B, approve as the NEC, fill two participants' documents (host,
project, learning outcomes with ESCO inserted from the side panel), make the certificate from the first agreement,
issue it through the Trust layer and verify it on the public verification page.

TODO (issue 12 points 7–8, branch mobility-access): after filling the first document, copy its host data to the
second one (copy-data: pick fields and participants, preview, apply), and send access to the host, whose own
account then adds the learning outcomes with ESCO. Those services and pages come with that branch; add those two
steps here when it is merged (the second document's host section is filled by hand until then)."""

import datetime
import re

import pytest
from django.test import Client
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEAMWORK = "http://data.europa.eu/esco/skill/60c78287-22eb-4103-9c8c-28deaa460da0"  # work in teams


def _signed_in(new_context, user):
    client = Client()
    client.force_login(user)
    return new_context(session_of=client).new_page()


def _section(page, base, document, section):
    page.goto(f"{base}/europass/documents/{document.public_id}/{section}/")


def _fill_document(page, base, document, *, first_name):
    _section(page, base, document, "personal")
    page.locator("#id_language").select_option("en")
    page.locator("#id_first_name").fill(first_name)
    page.locator("#id_last_name").fill("Bērziņa")
    page.locator("#id_email").fill(f"{first_name.lower()}@example.org")
    page.get_by_role("button", name="Save").click()
    _section(page, base, document, "host")
    page.locator("#id_host_name").fill("Escola Profissional do Porto")
    page.locator("#id_host_type").select_option("vet_provider")
    page.locator("#id_host_country").select_option("PT")
    page.locator("#id_mentor_name").fill("Ana Costa")
    page.locator("#id_mentor_position").fill("Formadora")
    page.locator("#id_mentor_phone").fill("+351 912 345 678")
    page.locator("#id_mentor_email").fill("ana.costa@escola.example")
    page.get_by_role("button", name="Save").click()
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


def _outcome_with_esco(page, base, document):
    """The learning outcome written with the ESCO side panel: search (with a typo), insert; the URI is kept."""
    _section(page, base, document, "outcomes")
    expect(page.get_by_text("This service uses the ESCO classification of the European Commission.")).to_be_visible()
    page.locator("#id_outcomes-0-framework").select_option("B")
    page.locator("#id_outcomes-0-text").fill("Works with the kitchen team:")
    page.fill("#outcome-esco-q", "work in teems")
    page.wait_for_selector("#outcome-esco-results li")
    page.get_by_role("button", name=re.compile(r"^Insert\s*:\s*work in teams$")).click()
    assert page.input_value("#id_outcomes-0-esco_uris") == TEAMWORK
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Europass")


def test_register_apply_approve_fill_issue_and_verify(live_server, new_context, page_errors, outbox_link,
                                                       make_user, esco_english):
    from agnitio.credentials.models import IssuedCredential
    from agnitio.europass import services
    from agnitio.europass.models import Application, Institution, MobilityDocument
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
    page.locator("[name=email]").first.fill("ilze@tehnikums.example")  # the first form (the second: resend)
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

    # 4. Fill both documents (host, project, outcomes with ESCO from the panel …).
    _fill_document(page, base, first, first_name="Anna")
    _fill_document(page, base, second, first_name="Marta")
    page.goto(f"{base}/europass/documents/{first.public_id}/")
    expect(page.get_by_text("Every mandatory field is filled.")).to_be_visible()
    assert first.outcomes.get().esco_uris == [TEAMWORK]

    # 5. After the mobility: the certificate from the agreement; who signs; issue it through the Trust layer.
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

    # 6. Anyone verifies it on the public verification page (signed out, another device).
    public = new_context().new_page()
    public.goto(base + f"/verify/{credential.code}")
    expect(public.locator("body")).to_contain_text(credential.number)
    expect(public.locator("body")).to_contain_text("Valmieras tehnikums")
