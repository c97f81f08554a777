"""Documents: the D4 rule table per kind, host-country scope per procedure per document, outcomes with ESCO URIs,
the missing-fields list, certificate from agreement, KA1 mobility ID, photo, group programme."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.europass import sections, selectors, services
from agnitio.europass.models import LearningOutcome, MobilityDocument

from .conftest import NOW

pytestmark = pytest.mark.django_db

FULL = {
    "personal": {"first_name": "Anna", "last_name": "Bērziņa", "nationality": "LV"},
    "host": {"host_name": "Escola Secundária", "host_type": "school", "host_country": "PT",
             "mentor_name": "João Silva", "mentor_position": "Teacher", "mentor_phone": "+351 912 345 678",
             "mentor_email": "joao@escola.example"},
    "project": {"programme": "Erasmus+", "activity_type": "vet_erasmuspro", "stay_mode": "physical",
                "purpose": "work_placement", "participant_status": "2. kursa audzēkne, programma “Pavārs”"},
    "outcomes": {"outcomes": [{"framework": "B", "text": "Prepares dishes", "esco_uris": [
        "http://data.europa.eu/esco/skill/7e5e1b9a-0000-0000-0000-000000000000"]}]},
    "activities": {"activities_tasks": "Work in the kitchen"},
    "mentoring": {"mentoring": "Weekly meeting with the mentor"},
    "evaluation": {"evaluation": "Assessed by the mentor; recognised as a practical placement"},
    "additional_terms": {"additional_terms": "Host family rules"},
    "contact": {"contact_information": "Ilze Kalniņa, +371 2000 0000"},
    "signatures": {"signing_parties": ["participant", "sending", "host"]},
}


def fill(actor, document, skip=()):
    for section, data in FULL.items():
        if section not in skip and sections.rule(section, document.kind) != sections.Rule.REMOVED:
            services.document_section_update(actor=actor, document=document, section=section, data=data)
    document.refresh_from_db()


def test_the_rule_table_is_d4():
    A, C = "agreement", "certificate"
    assert sections.rule("mentoring", A) == "mandatory" and sections.rule("mentoring", C) == "optional"
    assert sections.rule("additional_terms", A) == "optional" and sections.rule("additional_terms", C) == "removed"
    assert sections.rule("contact", A) == "mandatory" and sections.rule("contact", C) == "removed"
    for key in ("personal", "host", "project", "outcomes", "activities", "evaluation", "signatures"):
        assert sections.rule(key, A) == sections.rule(key, C) == "mandatory"
    assert [s.key for s in sections.sections_for(C)] == ["personal", "host", "project", "outcomes", "activities",
                                                        "mentoring", "evaluation", "signatures"]


def test_missing_fields_section_by_section(document, sender):
    missing = {m.key: [f for f, _label in m.fields] for m in selectors.document_missing_fields(document=document)}
    assert "activity_type" in missing["project"] and "outcomes" in missing["outcomes"]
    assert "contact" in missing and "additional_terms" not in missing  # optional before
    fill(sender, document)
    assert selectors.document_missing_fields(document=document) == []


def test_activity_type_is_mandatory_and_other_needs_its_text(document, sender):
    fill(sender, document)
    services.document_section_update(actor=sender, document=document, section="project",
                                     data={"activity_type": "other"})
    document.refresh_from_db()
    missing = selectors.document_missing_fields(document=document)
    assert [(m.key, [f for f, _l in m.fields]) for m in missing] == [("project", ["activity_type_other"])]


@pytest.mark.parametrize(("procedure", "country", "ok"), [
    ("A", "TR", True), ("A", "RS", True), ("A", "NO", True), ("B", "TR", False), ("B", "MK", False),
    ("B", "IS", True), ("B", "US", False), ("A", "GB", False), ("A", "CH", False),
])
def test_host_country_scope_per_procedure(make_application, nec_staff, sender, procedure, country, ok):
    extra = {"procedure": "A", "programme": "erasmus_plus", "project_number": "2026-1-LV01-KA122-SCH-000000001"} \
        if procedure == "A" else {}
    application = services.application_approve(actor=nec_staff, application=make_application(**extra), now=NOW)
    document = application.documents.first()
    call = lambda: services.document_section_update(  # noqa: E731
        actor=sender, document=document, section="host", data={"host_country": country})
    if ok:
        call()
        document.refresh_from_db()
        assert document.host_country == country
    else:
        with pytest.raises(ApplicationError) as error:
            call()
        assert error.value.code == "host_country"
        document.refresh_from_db()
        assert not document.host_country


def test_scope_is_checked_per_document(make_application, nec_staff, sender):
    a_doc = services.application_approve(actor=nec_staff, application=make_application(
        procedure="A", programme="erasmus_plus", project_number="P-1"), now=NOW).documents.first()
    b_doc = services.application_approve(actor=nec_staff, application=make_application(), now=NOW).documents.first()
    services.document_section_update(actor=sender, document=a_doc, section="host", data={"host_country": "TR"})
    with pytest.raises(ApplicationError):
        services.document_section_update(actor=sender, document=b_doc, section="host", data={"host_country": "TR"})


def test_mentor_phone_and_email_are_checked(document, sender):
    with pytest.raises(ApplicationError):
        services.document_section_update(actor=sender, document=document, section="host",
                                         data={"mentor_phone": "12"})
    with pytest.raises(ApplicationError):
        services.document_section_update(actor=sender, document=document, section="host",
                                         data={"mentor_email": "not-an-address"})
    services.document_section_update(actor=sender, document=document, section="host",
                                     data={"mentor_phone": "+371 2000 0000"})
    document.refresh_from_db()
    assert str(document.mentor_phone) == "+37120000000"


def test_outcomes_record_framework_text_and_esco_uris(document, sender):
    services.document_section_update(actor=sender, document=document, section="outcomes", data={"outcomes": [
        {"framework": "A", "text": "Multilingual competence"},
        {"framework": "C", "framework_name": "DigComp 2.2", "text": "Creates digital content"},
        {"framework": "B", "text": "Bakes bread", "esco_uris": ["http://data.europa.eu/esco/skill/abc"]},
    ]})
    rows = list(LearningOutcome.objects.filter(document=document).order_by("position"))
    assert [(o.framework, o.framework_name) for o in rows] == [("A", ""), ("C", "DigComp 2.2"), ("B", "")]
    assert rows[2].esco_uris == ["http://data.europa.eu/esco/skill/abc"]
    for bad in ({"framework": "C", "text": "x"}, {"framework": "Z", "text": "x"}, {"framework": "A", "text": ""},
                {"framework": "B", "text": "x", "esco_uris": ["javascript:alert(1)"]},
                {"framework": "B", "text": "x", "esco_uris": ["https://example.org/skill/1"]}):
        with pytest.raises(ApplicationError):
            services.document_section_update(actor=sender, document=document, section="outcomes",
                                             data={"outcomes": [bad]})
    assert LearningOutcome.objects.filter(document=document).count() == 3


def test_signing_parties_per_kind(document, sender):
    for bad in (["participant"], ["sending", "host"], ["participant", "sending", "host", "nobody"]):
        with pytest.raises(ApplicationError):
            services.document_section_update(actor=sender, document=document, section="signatures",
                                             data={"signing_parties": bad})
    services.document_section_update(actor=sender, document=document, section="signatures", data={
        "signing_parties": ["participant", "sending", "host", "legal_representative"]})


def test_certificate_from_agreement_carries_drops_and_asks(document, sender):
    fill(sender, document)
    certificate = services.certificate_create_from_agreement(actor=sender, agreement=document)
    assert certificate.kind == "certificate" and certificate.agreement == document
    assert certificate.europass_number.startswith("EM-") and certificate.europass_number != document.europass_number
    assert (certificate.host_name, certificate.mentor_email, certificate.activity_type, certificate.mentoring) == (
        document.host_name, document.mentor_email, document.activity_type, document.mentoring)
    assert certificate.additional_terms == "" and certificate.contact_information == ""  # removed after
    missing = {m.key: [f for f, _l in m.fields] for m in selectors.document_missing_fields(document=certificate)}
    assert missing == {"outcomes": ["outcomes"], "signatures": ["signing_parties"]}  # what is new
    for section in ("additional_terms", "contact"):
        with pytest.raises(ApplicationError) as error:
            services.document_section_update(actor=sender, document=certificate, section=section,
                                             data={"additional_terms": "x", "contact_information": "x"})
        assert error.value.code == "removed"
    with pytest.raises(ApplicationError):
        services.document_section_update(actor=sender, document=certificate, section="signatures",
                                         data={"signing_parties": ["participant", "sending", "host"]})
    services.document_section_update(actor=sender, document=certificate, section="signatures",
                                     data={"signing_parties": ["host"]})
    with pytest.raises(ApplicationError):
        services.certificate_create_from_agreement(actor=sender, agreement=document)
    assert MobilityDocument.objects.filter(kind="certificate").count() == 1


def test_others_cannot_see_or_change_documents(document, outsider, nec_staff):
    for actor in (outsider, nec_staff):
        with pytest.raises(NotFound):
            selectors.document_get(actor=actor, public_id=document.public_id)
        with pytest.raises(NotFound):
            services.document_section_update(actor=actor, document=document, section="host",
                                             data={"host_name": "X"})
        with pytest.raises(NotFound):
            services.certificate_create_from_agreement(actor=actor, agreement=document)
    document.refresh_from_db()
    assert document.host_name == "" and not MobilityDocument.objects.filter(kind="certificate").exists()


def test_ka1_document_with_a_valid_mobility_id(institution, sender, outsider):
    """The Beneficiary Module's Unique Erasmus+ Mobility ID (NAITDOC wiki page 143439768), e.g. the 12th long-term
    mobility of pupils in project 2024-1-FR01-KA121-SCH-000005151."""
    with pytest.raises(ApplicationError) as error:
        services.document_ka1_create(actor=sender, institution=institution, mobility_id="123")
    assert "2024-LONGT-0012-KA121-SCH-000005151" in str(error.value)
    document = services.document_ka1_create(actor=sender, institution=institution,
                                            mobility_id=" 2024-longt-0012-ka121-sch-000005151 ")
    assert document.number == "2024-LONGT-0012-KA121-SCH-000005151" and document.application is None
    assert document.project_number == ""
    with pytest.raises(ApplicationError) as duplicate:
        services.document_ka1_create(actor=sender, institution=institution, mobility_id=document.mobility_id)
    assert duplicate.value.code == "duplicate"
    with pytest.raises(NotFound):
        services.document_ka1_create(actor=outsider, institution=institution,
                                     mobility_id="2024-LONGT-0013-KA121-SCH-000005151")
    # KA1 is Erasmus+: the scope of procedure A
    services.document_section_update(actor=sender, document=document, section="host", data={"host_country": "TR"})
    fill(sender, document)
    certificate = services.certificate_create_from_agreement(actor=sender, agreement=document)
    assert certificate.number == document.number and certificate.europass_number is None


@pytest.mark.parametrize("mobility_id", [
    "2024-1-LV01-KA122-SCH-000123456-MOB-1",    # the format assumed before the Beneficiary Module's was known
    "2023-LONGT-0012-KA121-SCH-000005151",      # before call year 2024 there is no such ID
    "2099-LONGT-0012-KA121-SCH-000005151",      # a call year still to come
    "2024-LONG-0012-KA121-SCH-000005151",       # four letters
    "2024-LONGT-12-KA121-SCH-000005151",        # not four digits
    "2024-LONGT-0012-KA220-SCH-000005151",      # not a KA1 action
    "2024-LONGT-0012-KA121-SCH-00005151",       # eight digits
    "2024-1-FR01-KA121-SCH-000005151",          # the project code, not a mobility's ID
])
def test_ka1_mobility_ids_not_in_the_beneficiary_modules_format_are_refused(institution, sender, mobility_id):
    with pytest.raises(ApplicationError) as error:
        services.document_ka1_create(actor=sender, institution=institution, mobility_id=mobility_id)
    assert error.value.code == "mobility_id"
    assert not MobilityDocument.objects.exists()


def test_ka1_project_number_must_be_the_mobility_ids_project(institution, sender, nec):
    mobility_id = "2025-SHORT-0003-KA122-VET-000098765"
    for project_number, message in [
        ("2025-1-LV01-KA122-VET-000098766", "end with KA122-VET-000098766"),  # another project
        ("2025-1-LV01-KA121-VET-000098765", "end with KA121-VET-000098765"),  # another action
        ("2024-1-LV01-KA122-VET-000098765", "(2025)"),                          # another call year
        ("2025-1-LV01-KA220-VET-000098765", "2024-1-FR01-KA121-SCH-000005151"),  # not a KA1 project code
    ]:
        with pytest.raises(ApplicationError, match=re.escape(message)) as error:
            services.document_ka1_create(actor=sender, institution=institution, mobility_id=mobility_id,
                                         project_number=project_number)
        assert error.value.code == "project_number"
    assert not MobilityDocument.objects.exists()
    document = services.document_ka1_create(actor=sender, institution=institution, mobility_id=mobility_id,
                                            project_number=" 2025-1-lv01-ka122–vet-000098765 ")
    assert document.project_number == "2025-1-LV01-KA122-VET-000098765"
    assert selectors.mobility_document_data(document)["project"]["project_number"] == document.project_number


def test_ka1_form_shows_the_error_at_its_field(client, institution, sender):
    client.force_login(sender)
    url = reverse("europass:document_ka1_create")
    page = client.get(url)
    assert "2024-LONGT-0012-KA121-SCH-000005151" in page.content.decode()
    response = client.post(url, {"mobility_id": "2024-1-LV01-KA122-SCH-000123456-MOB-1", "language": "en"})
    assert response.status_code == 200
    assert "2024-LONGT-0012-KA121-SCH-000005151" in str(response.context["form"].errors["mobility_id"])
    response = client.post(url, {"mobility_id": "2024-LONGT-0012-KA121-SCH-000005151", "language": "en",
                                 "project_number": "2024-1-FR01-KA121-SCH-000005152"})
    assert response.status_code == 200 and "project_number" in response.context["form"].errors
    response = client.post(url, {"mobility_id": "2024-longt-0012-ka121-sch-000005151", "language": "lv",
                                 "project_number": "2024-1-FR01-KA121-SCH-000005151"})
    document = MobilityDocument.objects.get()
    assert response.status_code == 302 and document.mobility_id == "2024-LONGT-0012-KA121-SCH-000005151"
    assert document.project_number == "2024-1-FR01-KA121-SCH-000005151" and document.language == "lv"


def _png_with_exif() -> bytes:
    image = Image.new("RGB", (40, 50), "red")
    exif = Image.Exif()
    exif[0x010E] = "secret description"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photo_is_reencoded_without_metadata(document, sender):
    upload = SimpleUploadedFile("me.jpg", _png_with_exif(), content_type="image/jpeg")
    services.document_photo_set(actor=sender, document=document, upload=upload)
    document.refresh_from_db()
    with document.photo.open("rb") as handle:
        data = handle.read()
    assert b"secret description" not in data
    assert not Image.open(io.BytesIO(data)).getexif()
    with pytest.raises(ApplicationError):
        services.document_photo_set(actor=sender, document=document,
                                    upload=SimpleUploadedFile("x.jpg", b"not an image"))


def test_group_programme_is_referenced_by_each_document(approved, sender, institution):
    documents = list(approved.documents.all())
    programme = services.group_programme_create(actor=sender, institution=institution,
                                                data={"title": "Group visit to Porto"}, documents=documents)
    assert {d.group_programme_id for d in MobilityDocument.objects.filter(application=approved)} == {programme.pk}


def test_the_document_language_is_its_own(document, sender):
    from django.utils import translation

    with translation.override("lv"):
        services.document_section_update(actor=sender, document=document, section="personal",
                                         data={"language": "en", "first_name": "Anna"})
    document.refresh_from_db()
    assert document.language == "en"


def test_mobility_document_data_is_in_the_documents_language_and_follows_the_kind(document, sender):
    from django.utils import translation

    fill(sender, document)
    services.document_section_update(actor=sender, document=document, section="personal", data={"language": "lv"})
    document.refresh_from_db()
    with translation.override("en"):
        data = selectors.mobility_document_data(document)
    assert data["language"] == "lv" and data["europass_number"] == document.europass_number and not data["try_out"]
    assert data["project"]["purpose"] == "Stažēšanās darba vietā"  # Latvian, though the interface is English
    assert data["sending"]["name"] == "Biedrība Jaunatnes Tilts"
    assert data["contact"] and "additional_terms" in data
    certificate = services.certificate_create_from_agreement(actor=sender, agreement=document)
    cert = selectors.mobility_document_data(certificate)
    assert "contact" not in cert and "additional_terms" not in cert and cert["kind"] == "europass_certificate"
    assert selectors.document_missing_fields(document=certificate)


def test_try_out_data_has_no_real_number(make_application):
    document = make_application(issuing_body="try_out").documents.first()
    data = selectors.mobility_document_data(document)
    assert data["try_out"] and document.europass_number is None
    assert data["europass_number"].startswith("TRY-OUT-") and "mobility_id" not in data


def test_a_photo_shared_by_agreement_and_certificate_survives_a_change_on_one(
        document, sender, django_capture_on_commit_callbacks):
    services.document_photo_set(actor=sender, document=document,
                                upload=SimpleUploadedFile("a.jpg", _png_with_exif(), content_type="image/jpeg"))
    document.refresh_from_db()
    certificate = services.certificate_create_from_agreement(actor=sender, agreement=document)
    assert certificate.photo.name == document.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        services.document_photo_set(actor=sender, document=certificate, clear=True)
    assert document.photo.storage.exists(document.photo.name)  # still the agreement's
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.document_photo_set(actor=sender, document=document, clear=True)
    assert len(callbacks) == 1 and not document.photo.storage.exists(document.photo.name)
