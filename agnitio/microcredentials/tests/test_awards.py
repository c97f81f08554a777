"""Issuing: one learner through the trust layer (signed credential, wallet offer, sealed PDF), many in a documents
job with per-row errors, the EDC export under the EDC shapes, evidence files and links, renewal, and who may."""

import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agnitio.core.errors import ApplicationError, NotFound, PermissionDenied
from agnitio.credentials.models import IssuedCredential
from agnitio.microcredentials.models import Award, Evidence
from agnitio.microcredentials.services import awards as services
from agnitio.microcredentials.services import evidence as evidence_services

LEARNER = services.LearnerIn(name="Anna Bērziņa", email="Anna@Example.org", date_of_birth=datetime.date(2001, 5, 14),
                             national_id="140501-12345", grade="Pass", assessed_on=datetime.date(2026, 11, 10),
                             evidence_links=["https://portfolio.example/anna"])


@pytest.fixture
def award(owner, published):
    return services.award_issue(actor=owner, specification=published, learner=LEARNER)


def test_issue_to_one_learner_goes_through_the_trust_layer(award, published):
    assert award.status == Award.Status.ISSUED and award.specification == published
    credential = IssuedCredential.objects.get(pk=award.credential_id)
    assert credential.kind == "microcredential" and credential.holder_email == "anna@example.org"
    assert credential.pdf and credential.pdf_sha256  # sealed PDF from the documents engine
    assert credential.credential["proof"]  # signed
    assert credential.credential["credentialStatus"]  # with a status entry
    assert credential.achievement["name"] == published.title
    assert credential.achievement["specification"] == {"id": published.public_id, "lineage": published.lineage,
                                                       "version": 1}
    assert "140501" not in json.dumps(credential.credential)  # no national identifier in the signed credential
    assert award.valid_until == services._valid_until(published, award.issued_on)  # 36 months
    assert credential.valid_until == award.valid_until
    assert [e.url for e in award.evidence.all()] == ["https://portfolio.example/anna"]


def test_expiry_is_counted_in_months(published):
    assert services._valid_until(published, datetime.date(2026, 11, 20)) == datetime.date(2029, 11, 20)
    published.validity_months = 12
    assert services._valid_until(published, datetime.date(2024, 2, 29)) == datetime.date(2025, 2, 28)
    published.validity_months = None
    assert services._valid_until(published, datetime.date(2024, 2, 29)) is None


def test_pdf_prints_the_learner_and_the_standard_elements(award):
    import pypdfium2

    credential = IssuedCredential.objects.get(pk=award.credential_id)
    with credential.pdf.open("rb") as handle:
        document = pypdfium2.PdfDocument(handle.read())
    text = " ".join(" ".join(page.get_textpage().get_text_range() for page in document).split())
    for expected in ("Anna Bērziņa", "140501-12345", "Facilitating intercultural learning", "E10000001",
                     "Designs an intercultural learning session", "Supervised onsite with identity verification",
                     "Uzraudzīta uz vietas ar identitātes pārbaudi",
                     credential.code):
        assert expected in text, expected


def test_the_learner_finds_it_in_their_wallet(client, award, make_user):
    learner = make_user("anna@example.org")
    client.force_login(learner)
    page = client.get(reverse("credentials:wallet")).content.decode()
    assert "Facilitating intercultural learning" in page


def test_edc_export_conforms_to_the_edc_shapes_with_the_annex_elements(client, owner, award):
    import pyshacl  # a dev dependency: missing, the test fails
    from django.conf import settings
    from rdflib import Graph

    from agnitio.credentials.signing.loader import canonize

    client.force_login(owner)
    response = client.get(reverse("credentials:issued_edc", args=[award.credential.public_id]))
    document = json.loads(response.content)
    claim = document["credentialSubject"]["hasClaim"]
    spec = claim["specifiedBy"]
    assert spec["type"] == "LearningAchievementSpecification"
    assert spec["creditPoint"]["point"] == "2" and spec["volumeOfLearning"] == "PT50H"
    assert spec["eqfLevel"]["id"] == "http://data.europa.eu/snb/eqf/5"
    assert spec["thematicArea"][0]["id"] == "http://data.europa.eu/snb/isced-f/011"
    assert spec["entryRequirement"]["noteLiteral"]
    assert any(o.get("relatedESCOSkill") for o in spec["learningOutcome"])
    notes = " ".join(n["noteLiteral"]["en"] for n in spec["additionalNote"] if "en" in n["noteLiteral"])
    for element in ("National qualifications framework level: LKI 5", "Integration or stackability"):
        assert element in notes, element
    assert spec["mode"]["prefLabel"]["en"] == "Blended" and spec["educationLevel"][0]["id"].endswith("#qf-ehea-short")
    assert spec["accreditation"][0]["title"]["en"] == "Internal quality assurance"  # the coded forms: test_elm_mapping
    assert claim["provenBy"]["grade"]["noteLiteral"] == {"lv": "Pass"}  # the document's first language
    assert claim["awardedBy"]["awardingBody"][0]["eIDASIdentifier"]["notation"] == "E10000001"
    assert document["expirationDate"].startswith(str(award.valid_until.year))
    graph = Graph().parse(data=canonize(document), format="nt")
    shapes = Graph().parse(settings.BASE_DIR / "agnitio" / "credentials" / "shapes" / "EDC-generic-no-cv.ttl",
                           format="turtle")
    conforms, _graph, report = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    assert conforms, report
    del claim["provenBy"]["awardedBy"]  # the shapes do check
    graph = Graph().parse(data=canonize(document), format="nt")
    conforms, _graph, report = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    assert not conforms and "awardedBy" in report


def test_the_credential_is_checkable_by_digital_bazaar_and_the_standards(client, owner, award):
    """Awarded through the micro-credentials service: Digital Bazaar's verifier accepts it with only what the app
    serves (did:web document, status list), canonical N-Quads (credential, proof configuration, status list, EDC
    export) are Digital Bazaar's byte for byte with every term defined, the EDC export conforms; renewed, the old one
    is refused by its status entry, and so is the renewed one once revoked (`credentials.tests.interop`)."""
    from agnitio.credentials.tests.interop import issued_interop_check, revoked_interop_check, status_refused_check

    old = IssuedCredential.objects.get(pk=award.credential_id)
    issued_interop_check(old, client=client)
    renewed = IssuedCredential.objects.get(pk=services.award_renew(actor=owner, award=award).credential_id)
    old.refresh_from_db()
    status_refused_check(old, client=client, status="superseded")
    revoked_interop_check(renewed, client=client, actor=owner)


def test_only_a_published_version_is_awarded(owner, draft):
    with pytest.raises(ApplicationError) as info:
        services.award_issue(actor=owner, specification=draft, learner=LEARNER)
    assert info.value.code == "not_published"
    assert not Award.objects.exists() and not IssuedCredential.objects.exists()


@pytest.mark.parametrize("learner,problem", [
    (services.LearnerIn(name="", email="a@example.org"), "name"),
    (services.LearnerIn(name="A", email="not-an-address"), "e-mail"),
    (services.LearnerIn(name="A", email="a@example.org", date_of_birth=datetime.date(2999, 1, 1)), "birth"),
    (services.LearnerIn(name="A", email="a@example.org", national_id="<script>"), "national identifier"),
    (services.LearnerIn(name="A", email="a@example.org", grade="x" * 101), "grade"),
    (services.LearnerIn(name="A", email="a@example.org", evidence_links=["ftp://x"]), "link"),
])
def test_learner_data_are_checked_and_bounded(owner, published, learner, problem):
    with pytest.raises(ApplicationError) as info:
        services.award_issue(actor=owner, specification=published, learner=learner)
    assert problem in str(info.value.message)
    assert not Award.objects.exists() and not IssuedCredential.objects.exists()


def test_a_failed_issue_leaves_no_award(owner, published, monkeypatch):
    from agnitio.credentials import services as trust

    def broken(**kwargs):
        raise ApplicationError("The seal is not available.", code="seal")

    monkeypatch.setattr(trust, "credential_issue", broken)
    with pytest.raises(ApplicationError):
        services.award_issue(actor=owner, specification=published, learner=LEARNER)
    assert not Award.objects.exists() and not Evidence.objects.exists()


def test_outsider_cannot_issue_or_see_awards(outsider, owner, published, award):
    credentials, awards = IssuedCredential.objects.count(), Award.objects.count()
    with pytest.raises(NotFound):
        services.award_issue(actor=outsider, specification=published, learner=LEARNER)
    with pytest.raises(NotFound):
        services.awards_bulk_start(actor=outsider, specification=published, learners=[LEARNER])
    with pytest.raises(NotFound):
        evidence_services.evidence_link_add(actor=outsider, award=award, url="https://x.example")
    with pytest.raises(NotFound):
        services.award_renew(actor=outsider, award=award)
    assert (IssuedCredential.objects.count(), Award.objects.count()) == (credentials, awards)
    assert award.evidence.count() == 1


def test_pages_are_404_for_outsiders(client, outsider, award):
    client.force_login(outsider)
    evidence = award.evidence.get()
    for url in (reverse("microcredentials:award_detail", args=[award.public_id]),
                reverse("microcredentials:award_issue", args=[award.specification.public_id]),
                reverse("microcredentials:specification_detail", args=[award.specification.public_id]),
                reverse("microcredentials:evidence_download", args=[award.public_id, evidence.public_id])):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("microcredentials:award_issue", args=[award.specification.public_id]),
                           {"name": "X", "email": "x@example.org", "languages": "en"})
    assert response.status_code == 404 and Award.objects.count() == 1


# --- evidence ------------------------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), (200, 10, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_evidence_files_are_checked_by_content_and_served_only_to_members(client, owner, outsider, award, settings):
    pdf = evidence_services.evidence_file_add(actor=owner, award=award, upload=SimpleUploadedFile(
        "plan.exe", PDF, content_type="application/x-msdownload"), title="Facilitation plan")
    assert pdf.content_type == "application/pdf" and pdf.file.name.endswith(".pdf")
    image = evidence_services.evidence_file_add(actor=owner, award=award, upload=SimpleUploadedFile(
        "photo.png", _png() + b"<script>hidden</script>"))
    with image.file.open("rb") as handle:
        assert b"<script>" not in handle.read()  # re-encoded
    for data in (b"<html>not a pdf</html>", b"MZ\x90\x00", b"%PDF-1.4 but cut off"):
        with pytest.raises(ApplicationError):
            evidence_services.evidence_file_add(actor=owner, award=award, upload=SimpleUploadedFile("x.pdf", data))
    settings.MICROCREDENTIAL_EVIDENCE_MAX_BYTES = 10
    with pytest.raises(ApplicationError) as info:
        evidence_services.evidence_file_add(actor=owner, award=award, upload=SimpleUploadedFile("x.pdf", PDF))
    assert info.value.code == "too_large"
    assert award.evidence.count() == 3  # the link and the two good files
    url = reverse("microcredentials:evidence_download", args=[award.public_id, pdf.public_id])
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"


def test_evidence_delete(owner, outsider, award):
    evidence = award.evidence.get()
    with pytest.raises(NotFound):
        evidence_services.evidence_delete(actor=outsider, evidence=evidence)
    assert award.evidence.count() == 1
    evidence_services.evidence_delete(actor=owner, evidence=evidence)
    assert award.evidence.count() == 0


# --- renewal -------------------------------------------------------------------------------------------------------

def test_renewal_issues_a_new_credential_that_supersedes_the_old(owner, award):
    from agnitio.credentials.verification import credential_verify_json

    old = IssuedCredential.objects.get(pk=award.credential_id)
    renewed = services.award_renew(actor=owner, award=award)
    assert renewed.renews_id == award.pk and renewed.status == Award.Status.ISSUED
    new = IssuedCredential.objects.get(pk=renewed.credential_id)
    assert new.supersedes_id == old.pk
    assert credential_verify_json(old.credential).status == "superseded"


# --- many learners -------------------------------------------------------------------------------------------------

def test_bulk_issue_awards_the_good_and_returns_the_bad(owner, published, django_capture_on_commit_callbacks):
    learners = [services.LearnerIn(name="Good One", email="one@example.org", grade="9"),
                services.LearnerIn(name="", email="bad@example.org"),
                services.LearnerIn(name="Good Two", email="two@example.org"),
                services.LearnerIn(name="Twice", email="ONE@example.org")]
    with django_capture_on_commit_callbacks(execute=True):
        awards, errors, job = services.awards_bulk_start(actor=owner, specification=published, learners=learners)
    assert [e["index"] for e in errors] == [1, 3]
    assert "name" in errors[0]["errors"][0] and "also at 0" in errors[1]["errors"][0]
    assert {a.learner_email for a in awards} == {"one@example.org", "two@example.org"}
    job.refresh_from_db()
    assert (job.total, job.done, job.failed) == (2, 2, 0)
    assert set(Award.objects.values_list("status", flat=True)) == {"issued"}
    progress = services.award_batch_progress(actor=owner, specification=published, public_id=job.public_id)
    assert progress["finished"] and progress["failed"] == []
    # a holder is not awarded the same version twice
    again, errors, job = services.awards_bulk_start(actor=owner, specification=published, learners=learners[:1])
    assert again == [] and job is None and "already holds" in errors[0]["errors"][0]


def test_a_failing_item_is_recorded_on_its_award(owner, published, monkeypatch, django_capture_on_commit_callbacks):
    from agnitio.credentials import services as trust

    real = trust.credential_issue

    def flaky(**kwargs):
        if kwargs["holder_email"] == "fail@example.org":
            raise ApplicationError("The seal is not available.", code="seal")
        return real(**kwargs)

    monkeypatch.setattr(trust, "credential_issue", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        _awards, _errors, job = services.awards_bulk_start(actor=owner, specification=published, learners=[
            services.LearnerIn(name="Ok", email="ok@example.org"),
            services.LearnerIn(name="Fails", email="fail@example.org")])
    job.refresh_from_db()
    assert (job.done, job.failed) == (1, 1)
    failed = Award.objects.get(learner_email="fail@example.org")
    assert failed.status == Award.Status.FAILED and "seal" in failed.failure
    assert Award.objects.get(learner_email="ok@example.org").status == Award.Status.ISSUED


def test_outsider_cannot_follow_a_job(owner, outsider, published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _awards, _errors, job = services.awards_bulk_start(actor=owner, specification=published, learners=[
            services.LearnerIn(name="Ok", email="ok@example.org")])
    with pytest.raises(NotFound):
        services.award_batch_progress(actor=outsider, specification=published, public_id=job.public_id)


def test_editor_may_issue_but_not_change_the_provider_page(editor, published, organisation):
    from agnitio.microcredentials.services.specifications import provider_profile_update

    assert services.award_issue(actor=editor, specification=published, learner=LEARNER).status == "issued"
    with pytest.raises(PermissionDenied):
        provider_profile_update(actor=editor, organisation=organisation, data={"quality_assurance": "x"})
