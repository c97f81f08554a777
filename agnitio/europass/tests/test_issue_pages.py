"""Making documents through the pages and the API: an incomplete document is refused with its missing list
(page 422, API 400 `incomplete`) and nothing is issued; a complete agreement downloads as a PDF; a certificate is
issued and its page links the PDF, the EDC export (the mobility format) and the verification page; bulk generation
shows its progress without JavaScript; the ESCO panel and attribution are beside the outcomes; outsiders and the
NEC change nothing."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from agnitio.credentials.models import IssuedCredential
from agnitio.documents.models import DocumentJob
from agnitio.europass import services

from .test_documents import fill
from .test_issue import _english

pytestmark = pytest.mark.django_db


def _auth(user):
    from agnitio.apikeys.services import api_token_create

    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=user, name='t')[1]}"}


@pytest.fixture
def certificate(document, sender):
    fill(sender, document)
    certificate = services.certificate_create_from_agreement(actor=sender, agreement=document)
    fill(sender, certificate, skip=("signatures",))
    services.document_section_update(actor=sender, document=certificate, section="signatures",
                                     data={"signing_parties": ["sending"]})
    return certificate


def test_an_incomplete_document_page_lists_what_is_missing_and_refuses_the_pdf(client, document, sender):
    fill(sender, document, skip=("mentoring",))
    client.force_login(sender)
    response = client.get(reverse("europass:document_pdf", args=[document.public_id]))
    assert response.status_code == 422 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Still missing" in page and "Mentoring and monitoring arrangements" in page


def test_the_api_refuses_an_incomplete_document_with_the_list(client, document, sender):
    fill(sender, document, skip=("host", "mentoring"))
    response = client.post(f"/api/v1/europass/documents/{document.public_id}/pdf", **_auth(sender))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "incomplete" and {m["section"] for m in body["missing"]} == {"host", "mentoring"}


def test_a_complete_agreement_downloads_in_the_documents_language(client, document, sender):
    fill(sender, document)
    _english(sender, document)
    client.force_login(sender)
    with translation.override("lv"):
        page = client.get(reverse("europass:document_detail", args=[document.public_id]), HTTP_ACCEPT_LANGUAGE="lv")
        response = client.get(reverse("europass:document_pdf", args=[document.public_id]))
    assert reverse("europass:document_pdf", args=[document.public_id]) in page.content.decode()
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    api = client.post(f"/api/v1/europass/documents/{document.public_id}/pdf", **_auth(sender))
    assert api.status_code == 200 and api.content.startswith(b"%PDF")


def test_issue_a_certificate_on_its_page_then_verify_and_export(client, certificate, sender):
    client.force_login(sender)
    before = IssuedCredential.objects.count()
    response = client.post(reverse("europass:document_issue", args=[certificate.public_id]))
    assert response.status_code == 302 and IssuedCredential.objects.count() == before + 1
    credential = IssuedCredential.objects.get()
    page = client.get(reverse("europass:document_detail", args=[certificate.public_id])).content.decode()
    assert credential.number in page and reverse("credentials:verify_code", args=[credential.code]) in page
    edc = client.get(reverse("credentials:issued_edc", args=[credential.public_id]))
    export = json.loads(edc.content)
    assert edc.status_code == 200 and "LearningActivity" in json.dumps(export)  # the mobility format, by kind
    verify = client.get(reverse("credentials:verify_code", args=[credential.code]))
    assert verify.status_code == 200 and credential.number in verify.content.decode()
    # a second issue is refused
    assert client.post(reverse("europass:document_issue", args=[certificate.public_id])).status_code == 400
    assert IssuedCredential.objects.count() == before + 1


def test_issue_through_the_api(client, certificate, sender, nec_staff, outsider):
    url = f"/api/v1/europass/documents/{certificate.public_id}/issue"
    for stranger in (nec_staff, outsider):
        assert client.post(url, **_auth(stranger)).status_code == 404
    assert not IssuedCredential.objects.exists()
    response = client.post(url, **_auth(sender))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("EM-") and body["verification_url"].endswith(body["code"])


def test_strangers_and_the_nec_get_404_and_nothing_changes(client, certificate, nec_staff, outsider):
    for stranger in (nec_staff, outsider):
        client.force_login(stranger)
        assert client.get(reverse("europass:document_pdf", args=[certificate.agreement.public_id])).status_code == 404
        assert client.post(reverse("europass:document_issue", args=[certificate.public_id])).status_code == 404
        assert client.post(reverse("europass:application_generate",
                                   args=[certificate.application.public_id])).status_code == 404
    assert not IssuedCredential.objects.exists() and not DocumentJob.objects.exists()


def test_bulk_generation_page_and_api(client, approved, sender, django_capture_on_commit_callbacks):
    first, second = approved.documents.order_by("position")
    fill(sender, first)
    client.force_login(sender)
    detail = client.get(reverse("europass:application_detail", args=[approved.public_id])).content.decode()
    assert reverse("europass:application_generate", args=[approved.public_id]) in detail
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("europass:application_generate", args=[approved.public_id]))
    job = DocumentJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "europass:application_job", args=[approved.public_id, job.public_id])
    page = client.get(response["Location"]).content.decode()
    assert "1 of 1 made" in page and "Skipped" in page and second.public_id in page
    api = client.get(f"/api/v1/europass/applications/{approved.public_id}/generate/{job.public_id}",
                     **_auth(sender)).json()
    assert api["done"] == 1 and [s["document"] for s in api["skipped"]] == [second.public_id]
    assert api["skipped"][0]["reason"] == "incomplete" and api["skipped"][0]["missing"]


def test_a_running_job_page_refreshes_itself(client, approved, sender):
    first = approved.documents.order_by("position").first()
    fill(sender, first)
    started = services.application_documents_generate(actor=sender, application=approved)  # not run: no commit
    client.force_login(sender)
    page = client.get(reverse("europass:application_job", args=[approved.public_id, started.job.public_id]))
    assert '<meta http-equiv="refresh"' in page.content.decode()


def test_the_outcomes_form_has_the_esco_panel_and_attribution(client, document, sender):
    client.force_login(sender)
    page = client.get(reverse("europass:document_section", args=[document.public_id, "outcomes"])).content.decode()
    assert "data-esco-panel" in page and 'data-esco-uris="id_outcomes-0-esco_uris"' in page
    assert "This service uses the ESCO classification of the European Commission." in page
    fill(sender, document)  # an outcome with an ESCO URI: the document page says where ESCO comes from
    detail = client.get(reverse("europass:document_detail", args=[document.public_id])).content.decode()
    assert "This service uses the ESCO classification of the European Commission." in detail
