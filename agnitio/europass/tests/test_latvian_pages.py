"""Latvian is a first language: every page of the Europass path, rendered in Latvian, holds no English interface
text -- the sending institution's, the national centre's, the host's and the participant's, with data filled in and
with form errors shown (the scanner is `core.testing.english_left`)."""

import pytest
from django.conf import settings
from django.urls import reverse

from agnitio.core.testing import english_left
from agnitio.europass import services
from agnitio.europass.models import DocumentAccess
from agnitio.europass.sections import SECTIONS
from agnitio.europass.services import access
from agnitio.invitations.services import invitation_accept, invitation_send

HOST = "ana@escola.example"
HOST_DATA = {"host_name": "Escola Básica", "host_type": "school", "host_country": "PT", "mentor_name": "Ana Silva",
             "mentor_position": "Skolotāja", "mentor_phone": "+351 212 345 678", "mentor_email": HOST}


@pytest.fixture
def lv_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "lv"
    return client


@pytest.fixture
def filled(sender, approved):
    first, second = approved.documents.order_by("position")
    services.document_section_update(actor=sender, document=first, section="host", data=HOST_DATA)
    first.refresh_from_db()
    return first, second


def _latvian(response, what):
    assert response.status_code == 200, (what, response.status_code)
    assert english_left(response.content.decode()) == [], what


def test_the_scanner_finds_english_on_an_english_europass_page(client, sender, filled):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(sender)
    page = client.get(reverse("europass:document_detail", args=[filled[0].public_id])).content.decode()
    assert len(english_left(page)) > 5


def test_the_sending_institutions_pages_are_latvian(lv_client, sender, approved, filled):
    first, _second = filled
    lv_client.force_login(sender)
    for name in ("next_steps", "institution_detail", "institution_edit", "application_list", "application_create",
                 "document_list", "document_ka1_create", "group_programme_create"):
        _latvian(lv_client.get(reverse(f"europass:{name}")), name)
    _latvian(lv_client.get(reverse("europass:application_detail", args=[approved.public_id])), "application")
    _latvian(lv_client.get(reverse("europass:application_access", args=[approved.public_id])), "group access")
    for name in ("document_detail", "document_access", "document_signature"):
        _latvian(lv_client.get(reverse(f"europass:{name}", args=[first.public_id])), name)
    for section in SECTIONS:
        _latvian(lv_client.get(reverse("europass:document_section", args=[first.public_id, section.key])),
                 section.key)
    for section in ("host", "project", "outcomes"):
        _latvian(lv_client.get(reverse("europass:document_copy", args=[first.public_id, section])), f"copy {section}")
    # "create the certificate from the agreement": the page it leads to asks for what is new, in Latvian
    _latvian(lv_client.post(reverse("europass:certificate_create", args=[first.public_id]), follow=True),
             "certificate")


def test_form_errors_and_refusals_are_latvian(lv_client, sender, institution, nec, filled):
    first, _second = filled
    lv_client.force_login(sender)
    # an application with everything wrong: no conditions, no procedure data, dates the wrong way round
    refused = lv_client.post(reverse("europass:application_create"), {
        "procedure": "B", "participants_count": "0", "start_date": "2026-05-01", "end_date": "2026-04-01",
        "issuing_body": "nec"})
    _latvian(refused, "application errors")
    host = lv_client.post(reverse("europass:document_section", args=[first.public_id, "host"]),
                          {**HOST_DATA, "host_country": "US", "mentor_email": "not-an-address"})
    _latvian(host, "host errors")
    ka1 = lv_client.post(reverse("europass:document_ka1_create"), {"mobility_id": "nav-tāda"})
    _latvian(ka1, "KA1 errors")


def test_the_national_centres_pages_are_latvian(lv_client, nec_staff, make_application):
    make_application()
    lv_client.force_login(nec_staff)
    for name in ("nec_queue", "folder_queue"):
        _latvian(lv_client.get(reverse(f"europass:{name}")), name)


def test_the_hosts_and_participants_pages_are_latvian(lv_client, sender, filled, make_user):
    first, _second = filled
    grant = access.host_access_send(actor=sender, document=first)
    host = make_user(HOST, language="lv")
    _inv, token = invitation_send(actor=sender, kind=access.HOST_KIND, organisation=first.institution.organisation,
                                  target=grant, email=HOST, full_name="Ana", language="lv")
    invitation_accept(user=host, token=token)
    lv_client.force_login(host)
    _latvian(lv_client.get(reverse("europass:shared_document_list")), "shared list")
    _latvian(lv_client.get(reverse("europass:shared_document_detail", args=[first.public_id])), "shared detail")
    _latvian(lv_client.get(reverse("europass:host_signatures")), "host signatures")
    _latvian(lv_client.get(reverse("europass:shared_document_signature", args=[first.public_id])), "host signature")
    for section in ("outcomes", "mentoring"):
        _latvian(lv_client.get(reverse("europass:shared_document_section", args=[first.public_id, section])),
                 f"shared {section}")
    assert DocumentAccess.objects.filter(document=first, role="host").exists()
