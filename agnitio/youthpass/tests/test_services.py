import datetime

import pytest

from agnitio.core.errors import ApplicationError, NotFound, PermissionDenied
from agnitio.core.models import AuditEvent
from agnitio.invitations.models import Invitation
from agnitio.invitations.selectors import invitation_for_token
from agnitio.invitations.services import invitation_accept
from agnitio.notifications.models import OutboxEmail
from agnitio.notifications.services import outbox_list_for
from agnitio.youthpass import selectors, services
from agnitio.youthpass.invitation_kinds import EDITOR, PARTICIPANT
from agnitio.youthpass.models import LearningOutcome, Participant, Project, ProjectEditor

# --- projects ---------------------------------------------------------------------------------------------------

def test_project_is_created_from_a_valid_number_and_shown_by_it_until_titled(owner, organisation):
    project = services.project_create(actor=owner, organisation=organisation,
                                      grant_number=" 2024-1-fr02-esc51-vtj-000199813 ", programme="esc",
                                      project_type="volunteering")
    assert project.grant_number == "2024-1-FR02-ESC51-VTJ-000199813"
    assert str(project) == project.display_name == project.grant_number
    services.project_update(actor=owner, project=project, data={"title": "Zaļā vasara"})
    project.refresh_from_db()
    assert str(project) == "Zaļā vasara"
    event = AuditEvent.objects.filter(object_id=project.public_id, action="create").get()
    assert event.actor == owner and event.organisation == organisation


def test_wrong_number_names_the_part_and_nothing_is_created(owner, organisation):
    with pytest.raises(ApplicationError) as info:
        services.project_create(actor=owner, organisation=organisation, grant_number="2022-1-LV01-KA153-YOU-12",
                                programme="erasmus_youth", project_type="youth_exchange")
    assert "Part 6" in str(info.value) and "YYYY-R-CCNN-ACTION-FIELD-NNNNNNNNN" in str(info.value)
    assert not Project.objects.exists()


def test_same_number_twice_in_one_organisation_is_refused_but_allowed_in_another(
        owner, organisation, outsider, other_organisation, project):
    with pytest.raises(ApplicationError) as info:
        services.project_create(actor=owner, organisation=organisation, grant_number=project.grant_number.lower(),
                                programme="erasmus_youth", project_type="youth_workers_mobility")
    assert info.value.code == "duplicate"
    assert Project.objects.filter(organisation=organisation).count() == 1
    services.project_create(actor=outsider, organisation=other_organisation, grant_number=project.grant_number,
                            programme="erasmus_youth", project_type="youth_workers_mobility")
    assert Project.objects.count() == 2


def test_project_type_must_belong_to_the_programme(owner, organisation):
    with pytest.raises(ApplicationError):
        services.project_create(actor=owner, organisation=organisation, grant_number="2022-1-LV01-KA153-YOU-000000002",
                                programme="esc", project_type="youth_exchange")
    assert not Project.objects.exists()


def test_end_before_start_is_refused(owner, project):
    with pytest.raises(ApplicationError):
        services.project_update(actor=owner, project=project, data={"end_date": datetime.date(2026, 4, 1)})
    project.refresh_from_db()
    assert project.end_date == datetime.date(2026, 5, 31)


def test_outsider_cannot_create_in_an_organisation_nor_change_its_project(outsider, organisation, project):
    with pytest.raises(NotFound):
        services.project_create(actor=outsider, organisation=organisation,
                                grant_number="2022-1-LV01-KA152-YOU-000000003",
                                programme="erasmus_youth", project_type="youth_exchange")
    with pytest.raises(NotFound):
        services.project_update(actor=outsider, project=project, data={"title": "Hacked"})
    project.refresh_from_db()
    assert project.title == "" and Project.objects.count() == 1


def test_partner_organisations(owner, project):
    partner = services.project_partner_add(actor=owner, project=project, name="Association Jeunesse", country="FR")
    assert list(project.partners.values_list("name", "country")) == [("Association Jeunesse", "FR")]
    services.project_partner_remove(actor=owner, partner=partner)
    assert not project.partners.exists()


# --- editors ----------------------------------------------------------------------------------------------------

def test_editor_invitation_accept_and_revoke(owner, editor, project, django_capture_on_commit_callbacks):
    assert not selectors.project_list(actor=editor).exists()  # an org editor sees only projects they are on
    with django_capture_on_commit_callbacks(execute=True):
        invited = services.project_editor_invite(actor=owner, project=project, email="Editor@tilts.example",
                                                 full_name="Eva Editore", language="lv")
    mail = OutboxEmail.objects.get(to="editor@tilts.example")
    assert mail.language == "lv" and invited._token in mail.body_text
    assert not selectors.project_list(actor=editor).exists()  # not before accepting
    invitation_accept(user=editor, token=invited._token)
    assert list(selectors.project_list(actor=editor)) == [project]
    with pytest.raises(ApplicationError) as used:  # single use
        invitation_accept(user=editor, token=invited._token)
    assert used.value.code == "already_used"
    invited.refresh_from_db()
    services.project_editor_revoke(actor=owner, editor=invited)
    assert not selectors.project_list(actor=editor).exists()
    assert AuditEvent.objects.filter(object_id=invited.public_id, action="revoke").exists()


def test_new_person_accepts_after_signing_up(owner, project, make_user):
    invited = services.project_editor_invite(actor=owner, project=project, email="new@person.example",
                                             full_name="Jauns Cilvēks", language="en")
    newcomer = make_user("new@person.example")
    invitation_accept(user=newcomer, token=invited._token)
    assert selectors.project_get(actor=newcomer, public_id=project.public_id) == project
    # an editor can edit the project but not manage editors nor delete it
    services.project_update(actor=newcomer, project=project, data={"title": "Jauns nosaukums"})
    with pytest.raises(PermissionDenied):
        services.project_editor_invite(actor=newcomer, project=project, email="x@y.example", full_name="X",
                                       language="en")
    with pytest.raises(PermissionDenied):
        services.project_delete(actor=newcomer, project=project)
    assert ProjectEditor.objects.count() == 1 and Project.objects.filter(pk=project.pk).exists()


def test_expired_editor_invitation_does_not_work(owner, project, editor):
    invited = services.project_editor_invite(actor=owner, project=project, email=editor.email, full_name="E",
                                             language="en")
    Invitation.objects.filter(kind=EDITOR, target_id=invited.pk).update(
        expires_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    with pytest.raises(NotFound):
        invitation_accept(user=editor, token=invited._token)
    invited.refresh_from_db()
    assert invited.status == "pending" and invited.user is None


def test_editor_starting_a_project_becomes_its_editor(editor, organisation, owner):
    project = services.project_create(actor=editor, organisation=organisation,
                                      grant_number="2023-2-LV02-KA152-YOU-000000009", programme="erasmus_youth",
                                      project_type="youth_exchange")
    assert list(selectors.project_list(actor=editor)) == [project]
    assert project in selectors.project_list(actor=owner)


# --- activities -------------------------------------------------------------------------------------------------

def test_activity_type_must_fit_the_project_type(owner, project):
    with pytest.raises(ApplicationError) as info:
        services.activity_create(actor=owner, project=project, activity_type="youth_exchange", title="X",
                                 start_date=datetime.date(2026, 5, 1), end_date=datetime.date(2026, 5, 2))
    assert info.value.code == "activity_type"
    assert not project.activities.exists()


def test_activity_update_and_delete(owner, activity):
    changes = services.activity_update(actor=owner, activity=activity, data={"format": "blended", "methods": "Forums"})
    assert set(changes) == {"format", "methods"}
    services.activity_delete(actor=owner, activity=activity)
    assert not activity.project.activities.exists()


# --- participants -----------------------------------------------------------------------------------------------

def test_participant_needs_first_and_last_name(owner, project):
    with pytest.raises(ApplicationError):
        services.participant_create(actor=owner, project=project, first_name="Anna", last_name="")
    assert not project.participants.exists()


def test_duplicate_email_in_a_project_is_refused(owner, project, participant):
    with pytest.raises(ApplicationError):
        services.participant_create(actor=owner, project=project, first_name="A", last_name="B",
                                    email="ANNA@example.org")
    assert project.participants.count() == 1


def test_activities_of_another_project_are_refused(owner, organisation, project, participant):
    other = services.project_create(actor=owner, organisation=organisation,
                                    grant_number="2022-1-LV01-KA152-YOU-000000005", programme="erasmus_youth",
                                    project_type="youth_exchange")
    foreign = services.activity_create(actor=owner, project=other, activity_type="youth_exchange", title="X",
                                       start_date=datetime.date(2026, 5, 1), end_date=datetime.date(2026, 5, 2))
    with pytest.raises(ApplicationError):
        services.participant_update(actor=owner, participant=participant, data={}, activities=[foreign])
    assert list(participant.activities.all()) != [foreign]


def test_invite_withdraw_message_and_history(owner, project, participant, django_capture_on_commit_callbacks):
    nomail = services.participant_create(actor=owner, project=project, first_name="Bez", last_name="Pasta")
    skipped = services.participant_invite(actor=owner, participants=[participant, nomail],
                                          personal_message="Lūdzu, aizpildi līdz piektdienai!")
    assert skipped == ["Bez Pasta"]
    participant.refresh_from_db()
    nomail.refresh_from_db()
    assert participant.status == "invited" and nomail.status == "not_invited"
    invitation = OutboxEmail.objects.get(to="anna@example.org")
    assert "Lūdzu, aizpildi līdz piektdienai!" in invitation.body_text and invitation.language == "lv"
    services.participant_message_send(actor=owner, participants=[participant], personal_message="Tikšanās 10:00")
    history = list(selectors.communication_list(actor=owner, participant=participant))
    assert len(history) == 2 and "Tikšanās 10:00" in history[0].body_text
    token = participant._token
    services.participant_invitation_withdraw(actor=owner, participants=[participant])
    participant.refresh_from_db()
    assert participant.status == "not_invited"
    assert Invitation.objects.get(kind=PARTICIPANT, target_id=participant.pk).status == Invitation.Status.REVOKED
    with pytest.raises(NotFound):
        invitation_for_token(token=token)
    assert list(selectors.communication_list(actor=owner, participant=participant)) == history
    assert [m.pk for m in outbox_list_for(related=participant)] == [history[0].pk]  # the invitation is its own


def test_delete_participants(owner, project, participant):
    assert services.participant_delete(actor=owner, participants=[participant]) == 1
    assert not project.participants.exists()
    assert AuditEvent.objects.filter(object_id=participant.public_id, action="delete").exists()


# --- the participant's own part ---------------------------------------------------------------------------------

def test_invitation_binds_the_account_and_personal_data_can_be_corrected(accepted, learner):
    assert accepted.user == learner
    assert Invitation.objects.get(kind=PARTICIPANT, target_id=accepted.pk).status == Invitation.Status.ACCEPTED
    assert list(selectors.participant_list_for_learner(actor=learner)) == [accepted]
    services.participant_personal_data_confirm(actor=learner, participant=accepted,
                                               data={"last_name": "Bērziņa-Kalniņa", "role": "team_member",
                                                     "date_of_birth": datetime.date(2004, 2, 29)})
    accepted.refresh_from_db()
    assert accepted.last_name == "Bērziņa-Kalniņa" and accepted.status == "data_completed"
    assert accepted.role == "participant"  # the learner cannot change their role


def test_expired_participant_invitation(owner, participant, learner):
    services.participant_invite(actor=owner, participants=[participant])
    Invitation.objects.filter(kind=PARTICIPANT, target_id=participant.pk).update(
        expires_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    with pytest.raises(NotFound):
        invitation_accept(user=learner, token=participant._token)
    participant.refresh_from_db()
    assert participant.user is None


def test_outcomes_drafts_submit_and_reopen(owner, accepted, learner):
    key = ("key_competences_2018", "multilingual", "lv")
    assert services.outcomes_save(actor=learner, participant=accepted,
                                  texts={key: "Iemācījos sarunāties angliski. " * 300,  # long, within 10,000
                                         ("other", "", "en"): "Cooking for 30 people"}) == 2
    assert services.outcomes_save(actor=learner, participant=accepted, texts={key: "Īsāk."}) == 1
    assert selectors.outcome_texts(participant=accepted)[key] == "Īsāk."
    services.outcomes_save(actor=learner, participant=accepted, texts={("other", "", "en"): ""})
    assert LearningOutcome.objects.filter(participant=accepted).count() == 1
    services.outcomes_save(actor=learner, participant=accepted, texts={}, submit=True)
    accepted.refresh_from_db()
    assert accepted.status == "outcomes_submitted"
    with pytest.raises(ApplicationError):
        services.outcomes_save(actor=learner, participant=accepted, texts={key: "Vēl"})
    assert selectors.outcome_texts(participant=accepted)[key] == "Īsāk."
    services.outcomes_reopen(actor=owner, participant=accepted)
    accepted.refresh_from_db()
    assert accepted.status == "data_completed"
    services.outcomes_save(actor=learner, participant=accepted, texts={key: "Vēl"})


def test_competences_outside_the_role_framework_are_refused(accepted, learner):
    with pytest.raises(ApplicationError):
        services.outcomes_save(actor=learner, participant=accepted,
                               texts={("ets_youth_workers", "teamwork", "en"): "x"})
    with pytest.raises(ApplicationError):
        services.outcomes_save(actor=learner, participant=accepted,
                               texts={("professional", "", "en"): "x"})  # not an ESC job/traineeship
    assert not LearningOutcome.objects.exists()


def test_team_member_writes_by_the_ets_model(owner, accepted, learner):
    services.participant_update(actor=owner, participant=accepted, data={"role": "team_member"})
    services.outcomes_save(actor=learner, participant=accepted, texts={("ets_youth_workers", "teamwork", "lv"): "x"})
    assert LearningOutcome.objects.get().competence_id == "teamwork"


def test_submit_needs_at_least_one_outcome(accepted, learner):
    with pytest.raises(ApplicationError):
        services.outcomes_save(actor=learner, participant=accepted, texts={}, submit=True)
    accepted.refresh_from_db()
    assert accepted.status == "invited"


def test_supervisor_assessment_and_finalisation(owner, project, participant, organisation):
    from agnitio.organisations.models import Signatory

    legal = Signatory.objects.create(organisation=organisation, full_name="Līga", position="Valdes priekšsēdētāja")
    services.supervisor_assessment_update(actor=owner, participant=participant, data={
        "supervisor_name": "Ilze Mentore", "supervisor_assessment": "Ļoti patstāvīga."})
    participant.refresh_from_db()
    assert participant.supervisor_assessment == "Ļoti patstāvīga."
    with pytest.raises(ApplicationError):
        services.project_finalise(actor=owner, project=project, signing_place="Rīga",
                                  signing_date=datetime.date(2026, 6, 1), certificate_language="lv+en",
                                  signatory_page1=legal, signatory_part2=legal, extra_signatory_name="Mērs")
    project.refresh_from_db()
    assert project.finalised_at is None
    services.project_finalise(actor=owner, project=project, signing_place="Rīga",
                              signing_date=datetime.date(2026, 6, 1), certificate_language="lv+en",
                              signatory_page1=legal, signatory_part2=legal,  # the same person may sign both
                              extra_signatory_name="Jānis Mērs", extra_signatory_position="Cēsu mērs")
    project.refresh_from_db()
    assert project.finalised_at and project.certificate_language == "lv+en" and project.signatory_part2 == legal


def test_editor_invitation_is_for_the_invited_address_only(owner, project, outsider, editor):
    invited = services.project_editor_invite(actor=owner, project=project, email=editor.email, full_name="E",
                                             language="en")
    with pytest.raises(PermissionDenied):
        invitation_accept(user=outsider, token=invited._token)
    invited.refresh_from_db()
    assert invited.status == "pending" and invited.user is None
    assert not selectors.project_list(actor=outsider).exists()


def test_supervisor_writes_their_own_assessment(owner, participant, make_user, outsider,
                                                django_capture_on_commit_callbacks):
    services.supervisor_invite(actor=owner, participant=participant, full_name="Ilze Mentore",
                               email="Mentore@example.org", position="Mentore", language="lv")
    mail = OutboxEmail.objects.get(to="mentore@example.org")
    assert participant._supervisor_token in mail.body_text and mail.language == "lv"
    assert list(selectors.communication_list(actor=owner, participant=participant)) == [mail]  # their history
    with pytest.raises(PermissionDenied):  # another address
        invitation_accept(user=outsider, token=participant._supervisor_token)
    mentor = make_user("mentore@example.org")
    invitation_accept(user=mentor, token=participant._supervisor_token)
    participant.refresh_from_db()
    assert selectors.participant_get_for_supervisor(actor=mentor, public_id=participant.public_id) == participant
    services.supervisor_assessment_write(actor=mentor, participant=participant, assessment="Ļoti patstāvīga.")
    participant.refresh_from_db()
    assert participant.supervisor_assessment == "Ļoti patstāvīga." and participant.supervisor_name == "Ilze Mentore"
    with pytest.raises(NotFound):
        services.supervisor_assessment_write(actor=outsider, participant=participant, assessment="Hacked")
    with pytest.raises(NotFound):
        selectors.participant_get_for_supervisor(actor=outsider, public_id=participant.public_id)
    participant.refresh_from_db()
    assert participant.supervisor_assessment == "Ļoti patstāvīga."


def test_reopen_after_issue_and_learner_email_clash(owner, project, accepted, learner):
    services.participant_create(actor=owner, project=project, first_name="Otra", last_name="Persona",
                                email="otra@example.org")
    with pytest.raises(ApplicationError):
        services.participant_personal_data_confirm(actor=learner, participant=accepted,
                                                   data={"email": "otra@example.org"})
    accepted.refresh_from_db()
    assert accepted.email == "anna@example.org"
    services.outcomes_save(actor=learner, participant=accepted, texts={("other", "", "lv"): "x"}, submit=True)
    Participant.objects.filter(pk=accepted.pk).update(status="certificate_issued")
    accepted.refresh_from_db()
    services.outcomes_reopen(actor=owner, participant=accepted)
    accepted.refresh_from_db()
    assert accepted.status == "data_completed" and not accepted.outcomes_locked
