"""The personal-data download and the account erasure reach Micro-credentials through the privacy registry: the
person's awards (with date of birth, national identifier, evidence files, prior-learning assessment, feedback) and
recognition requests (with the submitted document); erasure pseudonymises awards, deletes evidence (files after
commit) and recognition requests, anonymises feedback (the rating stays), and the credential still verifies."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agnitio.accounts.privacy import account_erase, personal_data_export
from agnitio.core.models import AuditEvent
from agnitio.microcredentials.models import Award, Evidence, Feedback, ProviderProfile, RecognitionRequest
from agnitio.microcredentials.services import awards as award_services
from agnitio.microcredentials.services import evidence as evidence_services
from agnitio.microcredentials.services import feedback as feedback_services
from agnitio.microcredentials.services import prior_learning
from agnitio.microcredentials.services import recognition as recognition_services

from .test_awards import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(owner, published):
    award = prior_learning.award_issue_prior_learning(
        actor=owner, specification=published,
        learner=award_services.LearnerIn(name="Anna Bērziņa", email="Anna@Example.org", grade="Pass",
                                         date_of_birth=datetime.date(2001, 2, 3), national_id="010203-12345"),
        assessment=prior_learning.AssessmentIn(
            learning_context="informal", method="portfolio", assessed_on=datetime.date(2026, 11, 2),
            assessor="Ilze Liepa, youth work trainer", criteria="The learning outcomes", result="All demonstrated"))
    evidence_services.evidence_file_add(actor=owner, award=award, title="Facilitation plan",
                                        upload=SimpleUploadedFile("plan.pdf", PDF))
    return award


@pytest.fixture
def others_award(owner, published):
    return award_services.award_issue(actor=owner, specification=published, learner=award_services.LearnerIn(
        name="Jānis Ozols", email="janis@example.org", national_id="111111-22222"))


@pytest.fixture
def everything(anna, award, others_award, other_organisation):
    feedback_services.feedback_give(actor=anna, award_public_id=award.public_id, rating=4, comment="Noderīgi")
    ProviderProfile.objects.create(organisation=other_organisation, recognition_policy="We recognise EQF 4+.")
    recognition_services.recognition_submit(actor=anna, provider_public_id=other_organisation.public_id,
                                            raw=json.dumps(award.credential.credential).encode(), note="Lūdzu")
    award.refresh_from_db()
    return award


def test_export_holds_awards_evidence_feedback_and_recognition_and_nothing_of_others(anna, everything):
    archive = zipfile.ZipFile(io.BytesIO(personal_data_export(actor=anna)))
    data = json.loads(archive.read("personal-data.json"))["microcredentials"]
    [award] = data["awards"]
    assert award["learner_name"] == "Anna Bērziņa" and award["date_of_birth"] == "2001-02-03"
    assert award["national_identifier"] == "010203-12345" and award["document"] == everything.credential.number
    assert award["prior_learning"]["assessor"] == "Ilze Liepa, youth work trainer"
    assert award["feedback"] == {"rating": 4, "comment": "Noderīgi", "show_name": False,
                                 "given": award["feedback"]["given"]}
    [evidence] = award["evidence"]
    stored = Evidence.objects.get(award=everything)
    with stored.file.open("rb") as handle:
        assert archive.read(evidence["file"]) == handle.read()
    [request] = data["recognition_requests"]
    assert request["note"] == "Lūdzu" and request["status"] == "submitted"
    assert json.loads(archive.read(request["document"]))["id"] == everything.credential.credential_uid
    text = json.dumps(data, ensure_ascii=False)
    assert "Ozols" not in text and "111111-22222" not in text and "janis@" not in text


def test_erasure_pseudonymises_awards_and_deletes_requests_and_evidence_after_commit(
        anna, everything, others_award, django_capture_on_commit_callbacks):
    from agnitio.credentials.verification import credential_verify_code

    stored = Evidence.objects.get(award=everything)
    storage, name = stored.file.storage, stored.file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pseudonym = account_erase(actor=anna)
    assert storage.exists(name)  # a rollback would still find its file
    for callback in callbacks:
        callback()
    assert not storage.exists(name)
    award = Award.objects.get(pk=everything.pk)
    assert (award.learner_name, award.learner_email, award.learner_date_of_birth, award.learner_national_id) == (
        pseudonym, "", None, "")
    assert award.grade == "Pass" and award.status == "issued" and award.prior_learning.result == "All demonstrated"
    assert not Evidence.objects.filter(award=award).exists()
    feedback = Feedback.objects.get(award=award)
    assert feedback.rating == 4 and feedback.comment == "" and feedback.user is None  # the aggregate stays
    assert not RecognitionRequest.objects.exists()
    others_award.refresh_from_db()
    assert others_award.learner_name == "Jānis Ozols" and others_award.learner_national_id == "111111-22222"
    for event in AuditEvent.objects.filter(object_id=award.public_id):
        assert "Bērziņa" not in json.dumps([event.object_repr, event.changes], ensure_ascii=False)
    # The issued credential stays verifiable without naming her.
    award.credential.refresh_from_db()
    assert award.credential.holder_name == "" and award.credential.holder_erased_at
    result = credential_verify_code(award.credential.code)
    assert result.verified and result.credential == award.credential


def test_a_pending_award_of_an_erased_learner_is_never_issued(owner, published, anna):
    from agnitio.core.errors import ApplicationError
    from agnitio.credentials.models import IssuedCredential

    pending = Award.objects.create(organisation=published.organisation, specification=published,
                                   learner_name="Anna Bērziņa", learner_email="anna@example.org",
                                   issued_on=datetime.date(2026, 11, 20))
    account_erase(actor=anna)
    pending.refresh_from_db()
    assert pending.status == "failed" and "erased" in pending.failure and pending.learner_email == ""
    with pytest.raises(ApplicationError):
        award_services.award_credential_issue(actor=owner, award=pending)
    assert not IssuedCredential.objects.exists()
