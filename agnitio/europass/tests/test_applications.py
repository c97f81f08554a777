"""Applications: conditions, procedures A/B/C, the 10-week rule, Try Out, NEC-only approval and rejection."""

import datetime

import pytest
from django.core import mail  # noqa: F401 - the outbox rows are asserted instead

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.europass import services
from agnitio.europass.models import Application, MobilityDocument
from agnitio.notifications.models import OutboxEmail

from .conftest import END, NOW, START, application_data

pytestmark = pytest.mark.django_db


def test_first_allowed_date_is_ten_weeks_before_the_start():
    assert services.first_allowed_date(datetime.date(2026, 6, 1)) == datetime.date(2026, 3, 23)


def test_too_early_is_refused_with_the_first_allowed_date(make_application):
    start = datetime.date(2026, 6, 1)
    with pytest.raises(ApplicationError) as error:
        make_application(start_date=start, end_date=start + datetime.timedelta(days=5))
    assert error.value.code == "too_early"
    assert error.value.extra["first_allowed_date"] == "2026-03-23"
    assert "2026" in str(error.value)
    assert not Application.objects.exists()


def test_exactly_ten_weeks_before_is_allowed(make_application):
    start = NOW.date() + datetime.timedelta(weeks=10)
    assert make_application(start_date=start, end_date=start).status == "submitted"


def test_after_the_end_is_allowed(make_application):
    application = make_application(start_date=datetime.date(2025, 9, 1), end_date=datetime.date(2025, 9, 20))
    assert application.status == "submitted"


def test_conditions_must_be_accepted_first(make_application):
    with pytest.raises(ApplicationError) as error:
        make_application(conditions_accepted=False)
    assert error.value.code == "conditions"
    assert not Application.objects.exists()


def test_procedure_b_needs_each_quality_criterion(make_application):
    for criterion in ("criterion_written_agreement", "criterion_language_preparation", "criterion_mentor",
                      "criterion_geographic_scope"):
        with pytest.raises(ApplicationError) as error:
            make_application(**{criterion: False})
        assert error.value.code == "criteria"
    with pytest.raises(ApplicationError):
        make_application(description="")
    assert not Application.objects.exists()


def test_procedure_a_needs_programme_and_a_project_or_document_number(make_application):
    with pytest.raises(ApplicationError) as error:
        make_application(procedure="A", programme="erasmus_plus")
    assert error.value.code == "project_number"
    with pytest.raises(ApplicationError):
        make_application(procedure="A", programme="unknown", project_number="X")
    a = make_application(procedure="A", programme="nordplus", document_number="NPHZ-2026/10001")
    assert (a.programme, a.document_number, a.description) == ("nordplus", "NPHZ-2026/10001", "")
    assert a.criterion_mentor is False  # A: the criteria are deemed met, not confirmed


def test_an_institution_cannot_use_procedure_c_and_a_person_only_c(make_application, make_user, nec):
    with pytest.raises(ApplicationError):
        make_application(procedure="C", programme="erasmus_plus", project_number="2026-1-LV01-KA122-ADU-000001")
    person = make_user("person@example.org")
    with pytest.raises(ApplicationError):
        services.application_create(actor=person, institution=None, data=application_data(), now=NOW)
    application = services.application_create(
        actor=person, institution=None, now=NOW,
        data=application_data(procedure="C", programme="erasmus_plus", project_number="2026-1-LV01-KA122-ADU-01"))
    assert application.applicant == person and application.institution is None


def test_a_stranger_cannot_apply_for_the_institution(institution, outsider, nec):
    with pytest.raises(NotFound):
        services.application_create(actor=outsider, institution=institution, data=application_data(), now=NOW)
    assert not Application.objects.exists()


def test_approval_makes_one_numbered_document_per_participant_and_tells_the_applicant(make_application, nec_staff):
    application = make_application(participants_count=3)
    assert application.documents.count() == 0
    services.application_approve(actor=nec_staff, application=application, now=NOW)
    documents = list(MobilityDocument.objects.filter(application=application).order_by("position"))
    assert [d.position for d in documents] == [1, 2, 3]
    numbers = [d.europass_number for d in documents]
    assert len(set(numbers)) == 3 and all(n.startswith("EA-2026-") for n in numbers)
    assert all(d.start_date == START and d.end_date == END and not d.try_out for d in documents)
    email = OutboxEmail.objects.get(template="europass/email/approved")
    assert email.to == "info@tilts.example" and email.language == "lv"


def test_only_the_nec_approves_and_a_denial_changes_nothing(make_application, sender, outsider, admin):
    application = make_application()
    for actor in (sender, outsider, admin):
        with pytest.raises(ApplicationError):
            services.application_approve(actor=actor, application=application, now=NOW)
        with pytest.raises(ApplicationError):
            services.application_reject(actor=actor, application=application, reason="Nē", now=NOW)
    application.refresh_from_db()
    assert application.status == "submitted" and application.decided_at is None
    assert not MobilityDocument.objects.exists()
    assert not OutboxEmail.objects.filter(template__startswith="europass/email/").exclude(
        template="europass/email/registration").exists()


def test_a_stranger_gets_not_found_the_applicant_permission_denied(make_application, sender, outsider):
    application = make_application()
    with pytest.raises(NotFound):
        services.application_approve(actor=outsider, application=application, now=NOW)
    with pytest.raises(ApplicationError) as error:
        services.application_approve(actor=sender, application=application, now=NOW)
    assert not isinstance(error.value, NotFound)


def test_rejection_needs_a_reason_and_is_mailed_in_the_applicants_language(make_application, nec_staff):
    application = make_application(language="en")
    with pytest.raises(ApplicationError):
        services.application_reject(actor=nec_staff, application=application, reason="  ", now=NOW)
    application.refresh_from_db()
    assert application.status == "submitted"
    services.application_reject(actor=nec_staff, application=application, reason="Project number missing.",
                                now=NOW)
    application.refresh_from_db()
    assert application.status == "rejected" and application.rejection_reason == "Project number missing."
    email = OutboxEmail.objects.get(template="europass/email/rejected")
    assert email.language == "en" and "Project number missing." in email.body_text


def test_a_decided_application_cannot_be_decided_again(approved, nec_staff):
    with pytest.raises(ApplicationError):
        services.application_approve(actor=nec_staff, application=approved, now=NOW)
    assert approved.documents.count() == 2


def test_try_out_needs_no_approval_and_is_never_numbered(make_application):
    application = make_application(issuing_body="try_out")
    assert application.status == "approved"
    assert application.purge_at == NOW + datetime.timedelta(hours=24)
    documents = list(application.documents.all())
    assert len(documents) == 2 and all(d.try_out and d.europass_number is None for d in documents)


def test_try_out_sends_no_folders(make_application):
    with pytest.raises(ApplicationError):
        make_application(issuing_body="try_out", folders_by_post=True)


def test_folders_queue_marked_sent_only_by_the_nec(make_application, nec_staff, sender):
    from agnitio.europass import selectors

    application = make_application(folders_by_post=True)
    services.application_approve(actor=nec_staff, application=application, now=NOW)
    assert list(selectors.nec_folder_queue(actor=nec_staff)) == [application]
    assert application.folders_address == "Brīvības iela 1, Rīga"
    with pytest.raises(NotFound):
        services.application_folders_mark_sent(actor=sender, application=application)
    application.refresh_from_db()
    assert application.folders_sent_at is None
    services.application_folders_mark_sent(actor=nec_staff, application=application)
    assert not selectors.nec_folder_queue(actor=nec_staff).exists()


def test_waiting_longer_than_48_hours_is_highlighted(make_application):
    from agnitio.europass import selectors

    application = make_application()
    assert not selectors.waiting_too_long(application, now=NOW + datetime.timedelta(hours=47))
    assert selectors.waiting_too_long(application, now=NOW + datetime.timedelta(hours=49))
