"""Issue 12 point 11: a document is made only when complete (else the list of what is missing, section by section);
an agreement is a sealed PDF from the documents engine; a certificate is issued through the Trust layer (it
verifies, and its EDC export conforms); a Try Out document is watermarked, never sealed, issued or numbered; the
document's language is its own; bulk generation issues complete documents and skips incomplete ones; only the
institution's members may do any of it (each denial changes nothing)."""

import pytest
from django.utils import timezone, translation

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.models import AuditEvent
from agnitio.credentials.models import IssuedCredential
from agnitio.credentials.numbering import PREFIXES, number_last
from agnitio.documents.europass import europass_check
from agnitio.documents.seal import pdf_is_try_out, pdf_seal_verify
from agnitio.documents.tests.conftest import pdf_text
from agnitio.europass import selectors, services
from agnitio.europass.models import MobilityDocument

from .test_documents import fill

pytestmark = pytest.mark.django_db

ESCO_URI = "http://data.europa.eu/esco/skill/7e5e1b9a-0000-0000-0000-000000000000"


@pytest.fixture
def esco_concept(db):
    from agnitio.frameworks.models import EscoConcept

    return EscoConcept.objects.create(uri=ESCO_URI, kind="skill", language="en",
                                      preferred_label="prepare dishes", description="Cook food.")


@pytest.fixture
def certificate(document, sender):
    fill(sender, document)
    certificate = services.certificate_create_from_agreement(actor=sender, agreement=document)
    fill(sender, certificate, skip=("signatures",))
    services.document_section_update(actor=sender, document=certificate, section="signatures",
                                     data={"signing_parties": ["sending"]})
    certificate.refresh_from_db()
    assert selectors.document_missing_fields(document=certificate) == []
    return certificate


def _state():
    return (IssuedCredential.objects.count(), _numbers_taken(), AuditEvent.objects.count())


def _numbers_taken() -> tuple[int, ...]:
    """The last number of every kind this year (a sequence on PostgreSQL, a counter row on SQLite)."""
    return tuple(number_last(kind=kind, year=timezone.localdate().year) for kind in PREFIXES)


def _english(sender, document):
    services.document_section_update(actor=sender, document=document, section="personal", data={"language": "en"})
    document.refresh_from_db()


def test_the_data_are_the_documents_engine_shape_in_the_documents_language(document, sender, esco_concept):
    fill(sender, document)
    _english(sender, document)
    services.document_section_update(actor=sender, document=document, section="outcomes", data={"outcomes": [
        {"framework": "A", "text": "Communicates in Portuguese at work"},
        {"framework": "B", "text": "Prepares dishes", "esco_uris": [ESCO_URI]},
        {"framework": "C", "framework_name": "Pavāra profesijas standarts", "text": "Follows hygiene rules"}]})
    with translation.override("lv"):  # the interface is Latvian, the document English
        data = selectors.mobility_document_data(document)
    europass_check(data)  # the documents engine's structural rules hold
    assert data["kind"] == "europass_agreement" and data["language"] == "en"
    assert data["europass_number"] == document.europass_number and not data["try_out"]
    assert data["sending"]["name"] == "Biedrība Jaunatnes Tilts" and data["sending"]["contact_name"] == "Ilze Kalniņa"
    assert data["host"]["country"] == "PT" and data["host"]["mentor"]["name"] == "João Silva"
    assert data["project"]["purpose"] == "Work placement" and data["project"]["stay"] == "physical"
    a, b, c = data["outcomes"]
    assert a["framework_name"] == "Key competences for lifelong learning (2018)"
    assert b["esco"] == [{"uri": ESCO_URI, "label": "prepare dishes"}] and b["framework_name"] == "ESCO"
    assert c["framework_name"] == "Pavāra profesijas standarts"
    assert {s["party"] for s in data["signatures"]} == {"participant", "sending", "host"}
    assert data["contact"] and data["mentoring"]


def test_a_certificate_keeps_no_removed_section(certificate):
    data = selectors.mobility_document_data(certificate)
    europass_check(data)
    assert data["kind"] == "europass_certificate" and "contact" not in data and "additional_terms" not in data
    assert [s["party"] for s in data["signatures"]] == ["sending"]


def test_an_incomplete_document_is_refused_with_the_list_and_nothing_is_made(document, sender):
    fill(sender, document, skip=("mentoring", "host"))
    before = _state()
    with pytest.raises(services.DocumentIncomplete) as refused:
        services.document_pdf_render(actor=sender, document=document)
    sections = {m["section"]: [f["field"] for f in m["fields"]] for m in refused.value.extra["missing"]}
    assert set(sections) == {"host", "mentoring"} and "host_name" in sections["host"]
    assert _state() == before


def test_an_incomplete_certificate_is_not_issued(certificate, sender):
    services.document_section_update(actor=sender, document=certificate, section="evaluation",
                                     data={"evaluation": ""})
    before = _state()
    with pytest.raises(services.DocumentIncomplete) as refused:
        services.document_certificate_issue(actor=sender, document=certificate)
    assert [m["section"] for m in refused.value.extra["missing"]] == ["evaluation"]
    assert _state() == before


def test_the_agreement_pdf_is_sealed_and_in_the_documents_language_only(document, sender):
    fill(sender, document)
    _english(sender, document)
    with translation.override("lv"):  # interface lv, document en → the PDF is English only
        pdf = services.document_pdf_render(actor=sender, document=document)
    text = " ".join(pdf_text(pdf).split())
    assert "Europass Learning Agreement" in text and "Expected learning outcomes" in text
    assert "Europass mācību līgums" not in text and "Sagaidāmie mācīšanās rezultāti" not in text
    # ESCO was used (an outcome of framework B with its URI): the PDF says where the classification comes from
    assert "This service uses the ESCO classification of the European Commission." in text
    assert pdf_seal_verify(pdf_bytes=pdf).intact
    # switching the interface kept the saved content
    document.refresh_from_db()
    assert document.language == "en" and document.host_name == "Escola Secundária"


def test_a_certificate_is_issued_through_the_trust_layer_and_verifies(certificate, sender, esco_concept):
    from agnitio.credentials.formats.elm_mobility import edc_export
    from agnitio.credentials.tests.test_elm_mobility import _validate
    from agnitio.credentials.verification import credential_verify_code

    credential = services.document_certificate_issue(actor=sender, document=certificate)
    assert credential.kind == "europass_certificate" and credential.number.startswith("EM-")
    assert credential.holder_email == "" or "@" in credential.holder_email
    assert credential.achievement["europass"]["europass_number"] == certificate.europass_number
    assert credential.source == certificate and credential.pdf
    result = credential_verify_code(credential.code)
    assert result.verified and result.credential == credential
    pdf = credential.pdf.open("rb").read()
    assert pdf_seal_verify(pdf_bytes=pdf).intact and certificate.europass_number in pdf_text(pdf)
    conforms, report = _validate(edc_export(credential))
    assert conforms, report
    with pytest.raises(ApplicationError, match="already"):  # once
        services.document_certificate_issue(actor=sender, document=certificate)
    assert IssuedCredential.objects.count() == 1


def test_the_certificate_is_checkable_by_digital_bazaar_and_the_standards(certificate, sender, esco_concept, client):
    """Issued through the mobility app's service: Digital Bazaar's verifier accepts it with only what the app serves
    (did:web document, status list), canonical N-Quads (credential, proof configuration, status list, EDC export) are
    Digital Bazaar's byte for byte with every term defined, the EDC export conforms; revoked, both verifiers refuse
    it by its status entry (`credentials.tests.interop`)."""
    from agnitio.credentials.tests.interop import issued_interop_check, revoked_interop_check

    credential = services.document_certificate_issue(actor=sender, document=certificate)
    assert credential.kind == "europass_certificate" and credential.achievement["europass"]
    issued_interop_check(credential, client=client)
    revoked_interop_check(credential, client=client, actor=sender)


def test_the_issued_certificate_is_offered_to_the_participants_email(certificate, sender):
    services.document_section_update(actor=sender, document=certificate, section="personal",
                                     data={"email": "anna@example.org"})
    credential = services.document_certificate_issue(actor=sender, document=certificate)
    assert credential.holder_email == "anna@example.org"


def test_an_agreement_is_never_issued_as_a_credential(document, sender):
    fill(sender, document)
    before = _state()
    with pytest.raises(ApplicationError):
        services.document_certificate_issue(actor=sender, document=document)
    assert _state() == before


def test_try_out_is_watermarked_never_sealed_issued_or_numbered(make_application, sender):
    application = make_application(issuing_body="try_out")
    agreement = application.documents.order_by("position").first()
    fill(sender, agreement)
    certificate = services.certificate_create_from_agreement(actor=sender, agreement=agreement)
    fill(sender, certificate, skip=("signatures",))
    services.document_section_update(actor=sender, document=certificate, section="signatures",
                                     data={"signing_parties": ["host"]})
    counters = _numbers_taken()
    for document in (agreement, certificate):
        document.refresh_from_db()
        assert document.europass_number is None
        pdf = services.document_pdf_render(actor=sender, document=document)
        assert pdf_is_try_out(pdf) and "Try Out" in pdf_text(pdf, page=1)
        assert not pdf_seal_verify(pdf_bytes=pdf).intact
    with pytest.raises(ApplicationError, match="Try Out"):
        services.document_certificate_issue(actor=sender, document=certificate)
    assert IssuedCredential.objects.count() == 0 and _numbers_taken() == counters


def test_a_real_certificate_is_issued_not_printed_as_a_draft(certificate, sender):
    with pytest.raises(ApplicationError, match="issued"):
        services.document_pdf_render(actor=sender, document=certificate)


def test_outsiders_and_the_nec_can_neither_print_nor_issue(certificate, outsider, nec_staff):
    before = _state()
    for actor in (outsider, nec_staff):
        with pytest.raises(NotFound):
            selectors.document_get(actor=actor, public_id=certificate.public_id)
        with pytest.raises((NotFound, ApplicationError)):
            services.document_certificate_issue(actor=actor, document=certificate)
        with pytest.raises((NotFound, ApplicationError)):
            services.document_pdf_render(actor=actor, document=certificate.agreement)
    assert _state() == before


def test_bulk_generation_issues_complete_documents_and_lists_incomplete_ones(
        approved, sender, django_capture_on_commit_callbacks):
    from agnitio.documents.models import DocumentJob

    first, second = approved.documents.order_by("position")
    fill(sender, first)
    fill(sender, second, skip=("host",))
    with django_capture_on_commit_callbacks(execute=True):
        started = services.application_documents_generate(actor=sender, application=approved)
    assert [s["document"] for s in started.skipped] == [second.public_id]
    assert started.skipped[0]["missing"][0]["section"] == "host"
    job = DocumentJob.objects.get(pk=started.job.pk)
    assert job.total == 1 and job.done == 1 and job.status == DocumentJob.Status.FINISHED
    item = job.items.get()
    assert item.file and item.outcome == first.public_id
    # certificates: issued through the Trust layer, one credential each
    certificate = services.certificate_create_from_agreement(actor=sender, agreement=first)
    fill(sender, certificate, skip=("signatures",))
    services.document_section_update(actor=sender, document=certificate, section="signatures",
                                     data={"signing_parties": ["sending"]})
    with django_capture_on_commit_callbacks(execute=True):
        again = services.application_documents_generate(actor=sender, application=approved)
    job = DocumentJob.objects.get(pk=again.job.pk)
    assert job.done == 2
    credential = IssuedCredential.objects.get()
    assert credential.source == certificate
    assert job.items.get(outcome=credential.public_id)


def test_bulk_generation_is_the_institutions_only(approved, sender, outsider, nec_staff):
    from agnitio.documents.models import DocumentJob

    first = approved.documents.order_by("position").first()
    fill(sender, first)
    before = (DocumentJob.objects.count(), MobilityDocument.objects.count())
    for actor in (outsider, nec_staff):
        with pytest.raises((NotFound, ApplicationError)):
            services.application_documents_generate(actor=actor, application=approved)
    assert (DocumentJob.objects.count(), MobilityDocument.objects.count()) == before
