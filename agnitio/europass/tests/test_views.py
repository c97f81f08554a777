"""The Europass pages work without JavaScript: apply, decide as the NEC, fill sections and outcomes, make the
certificate; others get 404 and nothing changes; the interface language never changes the document's."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from agnitio.europass import services
from agnitio.europass.models import Application, LearningOutcome, MobilityDocument

pytestmark = pytest.mark.django_db


def test_apply_with_procedure_b_and_decide_as_the_nec(client, sender, institution, nec, nec_staff):
    client.force_login(sender)
    page = client.get(reverse("europass:application_create"))
    assert page.status_code == 200 and 'name="conditions_accepted"' in page.content.decode()
    form = {"conditions_accepted": "on", "participants_count": "2", "start_date": "2026-01-10",
            "end_date": "2026-01-20", "issuing_body": "nec", "national_centre": nec.public_id, "procedure": "B",
            "description": "Pieredzes apmaiņa", "criterion_written_agreement": "on",
            "criterion_language_preparation": "on", "criterion_mentor": "on", "criterion_geographic_scope": "on"}
    response = client.post(reverse("europass:application_create"), {**form, "criterion_mentor": ""})
    assert response.status_code == 200 and not Application.objects.exists()  # a criterion not confirmed
    response = client.post(reverse("europass:application_create"), form)
    application = Application.objects.get()
    assert response.status_code == 302 and application.status == "submitted"
    # the sender cannot decide
    assert client.post(reverse("europass:application_decide", args=[application.public_id]),
                       {"decision": "approve"}).status_code == 404
    client.force_login(nec_staff)
    queue = client.get(reverse("europass:nec_queue")).content.decode()
    assert "Biedrība Jaunatnes Tilts" in queue
    response = client.post(reverse("europass:application_decide", args=[application.public_id]),
                           {"decision": "approve"})
    assert response.status_code == 302
    assert MobilityDocument.objects.filter(application=application).count() == 2


def test_a_too_early_application_shows_the_first_allowed_date(client, sender, institution, nec):
    import datetime

    from django.utils import timezone

    client.force_login(sender)
    start = timezone.localdate() + datetime.timedelta(weeks=12)
    response = client.post(reverse("europass:application_create"), {
        "conditions_accepted": "on", "participants_count": "1", "start_date": start.isoformat(),
        "end_date": start.isoformat(), "issuing_body": "try_out", "procedure": "A", "programme": "nordplus",
        "project_number": "NP-1"})
    first = start - datetime.timedelta(weeks=10)
    assert response.status_code == 200 and not Application.objects.exists()
    assert str(first.year) in response.content.decode() and "10" in response.content.decode()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 40), "blue").save(out, format="PNG")
    return out.getvalue()


def test_fill_sections_outcomes_and_make_the_certificate(client, sender, document):
    client.force_login(sender)
    detail = client.get(reverse("europass:document_detail", args=[document.public_id])).content.decode()
    assert "Still missing" in detail or "Vēl trūkst" in detail
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("europass:document_section", args=[document.public_id, "personal"]), {
        "language": "lv", "first_name": "Anna", "last_name": "Ozola", "nationality": "LV",
        "photo": SimpleUploadedFile("p.png", _png(), content_type="image/png")})
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.first_name, document.language) == ("Anna", "lv") and document.photo
    response = client.post(reverse("europass:document_section", args=[document.public_id, "host"]), {
        "host_name": "Escola", "host_country": "US"})
    assert response.status_code == 200  # outside procedure B's 30 countries
    document.refresh_from_db()
    assert document.host_name == ""
    response = client.post(reverse("europass:document_section", args=[document.public_id, "outcomes"]), {
        "outcomes-TOTAL_FORMS": "1", "outcomes-INITIAL_FORMS": "0", "outcomes-MIN_NUM_FORMS": "0",
        "outcomes-MAX_NUM_FORMS": "50", "outcomes-0-framework": "B", "outcomes-0-text": "Gatavo ēdienu",
        "outcomes-0-esco_uris": "http://data.europa.eu/esco/skill/1\n"})
    assert response.status_code == 302
    assert LearningOutcome.objects.get(document=document).esco_uris == ["http://data.europa.eu/esco/skill/1"]
    response = client.post(reverse("europass:certificate_create", args=[document.public_id]))
    certificate = MobilityDocument.objects.get(kind="certificate")
    assert response.status_code == 302 and certificate.first_name == "Anna"
    assert client.get(reverse("europass:document_section", args=[certificate.public_id, "contact"])).status_code \
        == 404  # removed after the mobility


def test_outcomes_page_saves_the_written_outcomes_with_the_new_one_left_empty(client, sender, document):
    """The page shows the written outcomes and one empty new one (its framework select showing A, as a browser
    posts it): saving a change to a written one leaves the untouched new one out instead of refusing it. Each
    outcome's text names its own URIs field, so the ESCO panel can insert into any of them."""
    client.force_login(sender)
    url = reverse("europass:document_section", args=[document.public_id, "outcomes"])
    services.document_section_update(actor=sender, document=document, section="outcomes", data={"outcomes": [
        {"framework": "A", "text": "Pirmais"}, {"framework": "B", "text": "Otrais",
                                                 "esco_uris": ["http://data.europa.eu/esco/skill/2"]}]})
    page = client.get(url).content.decode()
    for index in range(3):
        assert f'data-esco-choice="outcomes" data-esco-uris="id_outcomes-{index}-esco_uris"' in page
    assert 'data-esco-choices="outcomes"' in page and 'id="outcome-esco-into"' in page
    response = client.post(url, {
        "outcomes-TOTAL_FORMS": "3", "outcomes-INITIAL_FORMS": "2", "outcomes-MIN_NUM_FORMS": "0",
        "outcomes-MAX_NUM_FORMS": "50",
        "outcomes-0-framework": "B", "outcomes-0-text": "Pirmais\nstrādāt komandā",
        "outcomes-0-esco_uris": "http://data.europa.eu/esco/skill/1",
        "outcomes-1-framework": "B", "outcomes-1-text": "Otrais", "outcomes-1-esco_uris": "http://data.europa.eu/esco/skill/2",
        "outcomes-2-framework": "A", "outcomes-2-text": "", "outcomes-2-esco_uris": ""})
    assert response.status_code == 302
    assert [(o.text, o.esco_uris) for o in LearningOutcome.objects.filter(document=document).order_by("position")] \
        == [("Pirmais\nstrādāt komandā", ["http://data.europa.eu/esco/skill/1"]),
            ("Otrais", ["http://data.europa.eu/esco/skill/2"])]


def test_the_interface_language_never_changes_the_document_language(client, sender, document):
    MobilityDocument.objects.filter(pk=document.pk).update(language="en")
    client.force_login(sender)
    for interface in ("lv", "en", "lv"):
        client.cookies["django_language"] = interface
        response = client.post(reverse("europass:document_section", args=[document.public_id, "activities"]),
                               {"activities_tasks": f"Darbs virtuvē ({interface})"}, HTTP_ACCEPT_LANGUAGE=interface)
        assert response.status_code == 302
        document.refresh_from_db()
        assert document.language == "en" and document.activities_tasks == f"Darbs virtuvē ({interface})"


def test_others_get_404_and_nothing_changes(client, outsider, nec_staff, document):
    for user in (outsider, nec_staff):
        client.force_login(user)
        for url in (reverse("europass:document_detail", args=[document.public_id]),
                    reverse("europass:document_section", args=[document.public_id, "host"])):
            assert client.get(url).status_code == 404
        assert client.post(reverse("europass:document_section", args=[document.public_id, "host"]),
                           {"host_name": "X"}).status_code == 404
        assert client.post(reverse("europass:certificate_create", args=[document.public_id])).status_code == 404
    document.refresh_from_db()
    assert document.host_name == "" and not MobilityDocument.objects.filter(kind="certificate").exists()


def test_lists_and_forms_render(client, sender, approved, nec_staff):
    client.force_login(sender)
    for name in ("europass:next_steps", "europass:application_list", "europass:document_list",
                 "europass:institution_detail", "europass:institution_edit", "europass:document_ka1_create",
                 "europass:group_programme_create"):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("europass:application_detail", args=[approved.public_id])).status_code == 200
    client.force_login(nec_staff)
    assert client.get(reverse("europass:folder_queue")).status_code == 200
    assert client.get(reverse("europass:application_detail", args=[approved.public_id])).status_code == 200
