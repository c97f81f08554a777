"""The review of the Europass forms: numbers in range, dates checked (the document's own period within its
application's), e-mails and files bounded, errors beside the field they are about with what was typed kept, in the
reader's language. Text lengths and choices of every column: tests/test_form_bounds.py."""

import datetime

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from agnitio.core.errors import ApplicationError
from agnitio.core.models import AuditEvent
from agnitio.europass import forms, forms_access, services
from agnitio.europass.models import Application, InstitutionRegistration, InstitutionUser, MobilityDocument

from .conftest import END, START

pytestmark = pytest.mark.django_db

LONG_EMAIL = "a" * 60 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + ".lv"  # 255: valid, too long to store


@pytest.fixture(autouse=True)
def latvian():
    """Pages read in Latvian (a Latvian-speaking user's too) leave it active in the thread: back to the default
    after each test."""
    yield
    translation.deactivate()


def test_numbers_are_held_to_their_range():
    form = forms.ApplicationForm(data={"participants_count": "501"}, centres=(), individual=False)
    assert not form.is_valid() and form.errors["participants_count"]
    form = forms.ApplicationForm(data={"participants_count": "0"}, centres=(), individual=False)
    assert not form.is_valid() and form.errors["participants_count"]
    # the crop step is the organisations' (one flow for an institution and a host): held to the image's size
    from agnitio.organisations.forms import CropForm

    crop = CropForm(data={"x": "0", "y": "0", "width": "100001", "height": "20"}, image_size=(400, 200))
    assert not crop.is_valid() and "outside the image" in " ".join(crop.errors["__all__"]) and "x" not in crop.errors


def test_a_document_period_lies_within_its_applications(sender, document):
    assert (document.start_date, document.end_date) == (START, END)
    before = MobilityDocument.objects.values().get(pk=document.pk)
    for data, field in (({"start_date": START - datetime.timedelta(days=1)}, "start_date"),
                        ({"end_date": END + datetime.timedelta(days=1)}, "end_date")):
        with pytest.raises(ApplicationError) as error:
            services.document_section_update(actor=sender, document=document, section="project", data=data)
        assert error.value.code == field and "within the period of its application" in str(error.value)
    assert MobilityDocument.objects.values().get(pk=document.pk) == before
    services.document_section_update(actor=sender, document=document, section="project",
                                     data={"start_date": START + datetime.timedelta(days=2), "end_date": END})
    document.refresh_from_db()
    assert document.start_date == START + datetime.timedelta(days=2)


def test_the_section_page_shows_a_date_error_beside_the_field_and_keeps_what_was_typed(client, sender, document,
                                                                                      latvian):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "lv"
    client.force_login(sender)
    url = reverse("europass:document_section", args=[document.public_id, "project"])
    late = (END + datetime.timedelta(days=3)).isoformat()
    response = client.post(url, {"programme": "Erasmus+ profesionālā izglītība", "start_date": START.isoformat(),
                                 "end_date": late, "participant_status": "2. kursa audzēkne"})
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["end_date"]
    assert "jābūt tā pieteikuma periodā" in form.errors["end_date"][0]  # Latvian, beside the field
    html = response.content.decode()
    assert 'value="Erasmus+ profesionālā izglītība"' in html and late in html and "2. kursa audzēkne" in html
    assert MobilityDocument.objects.get(pk=document.pk).programme == ""  # nothing saved


def test_a_date_of_birth_must_be_a_real_past_date(client, sender, document):
    before = MobilityDocument.objects.values().get(pk=document.pk)
    for born in (datetime.date.today() + datetime.timedelta(days=1), datetime.date(1899, 12, 31)):
        with pytest.raises(ApplicationError) as error:
            services.document_section_update(actor=sender, document=document, section="personal",
                                             data={"date_of_birth": born})
        assert error.value.code == "date_of_birth"
    assert MobilityDocument.objects.values().get(pk=document.pk) == before
    client.force_login(sender)
    response = client.post(reverse("europass:document_section", args=[document.public_id, "personal"]),
                           {"language": "en", "first_name": "Anna", "date_of_birth": "2999-01-01"})
    assert list(response.context["form"].errors) == ["date_of_birth"]
    assert 'value="Anna"' in response.content.decode()


@override_settings(ORGANISATION_LOGO_MAX_BYTES=1000, SIGNATURE_IMAGE_MAX_BYTES=1000)
def test_image_uploads_are_bounded_before_they_are_read():
    photo = SimpleUploadedFile("photo.png", b"\x89PNG" + b"0" * 2000, content_type="image/png")
    form = forms.PersonalForm(data={"language": "en"}, files={"photo": photo})
    assert not form.is_valid() and "the limit is 1000" in " ".join(form.errors["photo"])
    assert form.fields["photo"].widget.attrs["accept"] == "image/png,image/jpeg"
    image = SimpleUploadedFile("stamp.png", b"\x89PNG" + b"0" * 2000, content_type="image/png")
    form = forms_access.HostSignatureUploadForm(data={"kind": "stamp"}, files={"image": image})
    assert not form.is_valid() and list(form.errors) == ["image"]


def test_an_address_too_long_to_store_is_refused_not_a_server_error(sender, institution):
    assert len(LONG_EMAIL) == 255
    with pytest.raises(ApplicationError) as error:
        services.institution_register(name="Cēsu tehnikums", email=LONG_EMAIL, language="lv")
    assert error.value.code == "email"
    with pytest.raises(ApplicationError) as error:
        services.institution_user_invite(actor=sender, institution=institution, email=LONG_EMAIL, full_name="X",
                                         language="lv")
    assert error.value.code == "email"
    assert not InstitutionRegistration.objects.exists() and not InstitutionUser.objects.exists()
    form = forms.UserInviteForm(data={"full_name": "X", "email": LONG_EMAIL, "language": "lv"})
    assert not form.is_valid() and "at most 254 characters" in " ".join(form.errors["email"])


def test_an_outcome_error_is_shown_beside_that_outcome(client, sender, document):
    client.force_login(sender)
    url = reverse("europass:document_section", args=[document.public_id, "outcomes"])
    data = {"outcomes-TOTAL_FORMS": "2", "outcomes-INITIAL_FORMS": "0", "outcomes-MIN_NUM_FORMS": "0",
            "outcomes-MAX_NUM_FORMS": "50",
            "outcomes-0-framework": "A", "outcomes-0-text": "Sazinās angļu valodā darba vidē",
            "outcomes-1-framework": "B", "outcomes-1-text": "Gatavo ēdienus",
            "outcomes-1-esco_uris": "http://example.org/not-esco"}
    response = client.post(url, data)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert not formset.forms[0].errors and list(formset.forms[1].errors) == ["esco_uris"]
    assert "Learning outcome 2" in formset.forms[1].errors["esco_uris"][0]
    html = response.content.decode()
    assert "Sazinās angļu valodā darba vidē" in html and "http://example.org/not-esco" in html
    assert not document.outcomes.exists()


def test_a_refused_rejection_keeps_the_reason_typed(client, make_application, nec_staff):
    application = make_application()
    client.force_login(nec_staff)
    reason = "Nav pievienots projekta numurs\x07 — lūdzu papildiniet."
    before = AuditEvent.objects.count()
    response = client.post(reverse("europass:application_decide", args=[application.public_id]),
                           {"decision": "reject", "reason": reason})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nav pievienots projekta numurs" in html and 'aria-invalid="true"' in html
    assert "invisible control character" in html
    application.refresh_from_db()
    assert application.status == "submitted" and AuditEvent.objects.count() == before


def test_a_past_last_day_of_writing_is_shown_beside_its_field(client, sender, document):
    services.document_section_update(actor=sender, document=document, section="personal",
                                     data={"first_name": "Anna", "email": "anna@skola.example"})
    client.force_login(sender)
    response = client.post(reverse("europass:document_access", args=[document.public_id]),
                           {"action": "participant", "write_until": "2001-01-01", "language": "lv"})
    assert response.status_code == 200
    assert list(response.context["participant_form"].errors) == ["write_until"]
    assert 'value="2001-01-01"' in response.content.decode()
    assert not document.access_grants.exists()


def test_the_application_page_puts_each_service_error_beside_its_field(client, sender, institution, nec):
    client.force_login(sender)
    response = client.post(reverse("europass:application_create"), {
        "conditions_accepted": "on", "participants_count": "2", "start_date": START.isoformat(),
        "end_date": END.isoformat(), "issuing_body": "nec", "national_centre": nec.public_id, "procedure": "A",
        "programme": "bilateral", "project_number": "BP-7"})
    form = response.context["form"]
    assert list(form.errors) == ["programme_name"]  # a bilateral programme needs its name
    assert 'value="BP-7"' in response.content.decode() and not Application.objects.exists()


def test_the_api_names_stray_fields_in_the_callers_language(client, sender, document, latvian):
    from agnitio.apikeys.services import api_token_create

    token = api_token_create(actor=sender, name="t")[1]
    response = client.patch(f"/api/v1/europass/documents/{document.public_id}/sections/host",
                            {"first_name": "Anna"}, content_type="application/json",
                            HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="lv")
    assert response.status_code == 400 and "first_name" in response.json()["detail"]
    assert "nav sadaļas" in response.json()["detail"]
    response = client.patch(f"/api/v1/europass/documents/{document.public_id}/sections/project",
                            {"end_date": (END + datetime.timedelta(days=1)).isoformat()},
                            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 400 and response.json()["code"] == "end_date"
