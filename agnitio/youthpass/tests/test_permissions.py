"""Organisation members see only their organisation; editors only their projects; a participant only their own
record. Every denial also asserts that nothing changed."""

import datetime

import pytest

from agnitio.core.errors import NotFound
from agnitio.invitations.services import invitation_accept
from agnitio.notifications.models import OutboxEmail
from agnitio.youthpass import selectors, services
from agnitio.youthpass.models import Activity, LearningOutcome, Participant, ProjectEditor


def test_outsider_sees_nothing_of_another_organisation(outsider, project, participant, activity):
    assert not selectors.project_list(actor=outsider).exists()
    with pytest.raises(NotFound):
        selectors.project_get(actor=outsider, public_id=project.public_id)
    with pytest.raises(NotFound):
        selectors.participant_list(actor=outsider, project=project)
    with pytest.raises(NotFound):
        selectors.communication_list(actor=outsider, participant=participant)


def test_outsider_cannot_write(outsider, project, participant, activity):
    before = (Participant.objects.count(), Activity.objects.count(), OutboxEmail.objects.count())
    with pytest.raises(NotFound):
        services.participant_create(actor=outsider, project=project, first_name="X", last_name="Y")
    with pytest.raises(NotFound):
        services.activity_create(actor=outsider, project=project, activity_type="seminar", title="X",
                                 start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 1, 2))
    with pytest.raises(NotFound):
        services.participant_invite(actor=outsider, participants=[participant])
    with pytest.raises(NotFound):
        services.participant_message_send(actor=outsider, participants=[participant], personal_message="spam")
    with pytest.raises(NotFound):
        services.participant_delete(actor=outsider, participants=[participant])
    with pytest.raises(NotFound):
        services.activity_update(actor=outsider, activity=activity, data={"title": "Hacked"})
    assert (Participant.objects.count(), Activity.objects.count(), OutboxEmail.objects.count()) == before
    participant.refresh_from_db()
    activity.refresh_from_db()
    assert participant.status == "not_invited" and activity.title != "Hacked"


def test_org_editor_without_project_access_is_denied(editor, project, participant):
    with pytest.raises(NotFound):
        services.participant_update(actor=editor, participant=participant, data={"first_name": "X"})
    with pytest.raises(NotFound):
        services.project_editor_invite(actor=editor, project=project, email=editor.email, full_name="Me",
                                       language="en")
    participant.refresh_from_db()
    assert participant.first_name == "Anna" and not ProjectEditor.objects.exists()


def test_project_editor_sees_only_the_projects_they_are_on(owner, editor, organisation, project):
    second = services.project_create(actor=owner, organisation=organisation,
                                     grant_number="2025-1-LV01-KA154-YOU-000000077", programme="erasmus_youth",
                                     project_type="youth_participation")
    invited = services.project_editor_invite(actor=owner, project=project, email=editor.email, full_name="E",
                                             language="lv")
    invitation_accept(user=editor, token=invited._token)
    assert list(selectors.project_list(actor=editor)) == [project]
    with pytest.raises(NotFound):
        services.project_update(actor=editor, project=second, data={"title": "X"})
    second.refresh_from_db()
    assert second.title == ""
    assert set(selectors.project_list(actor=owner)) == {project, second}


def test_revoked_editor_loses_access_at_once(owner, editor, project):
    invited = services.project_editor_invite(actor=owner, project=project, email=editor.email, full_name="E",
                                             language="lv")
    invitation_accept(user=editor, token=invited._token)
    invited.refresh_from_db()
    services.project_editor_revoke(actor=owner, editor=invited)
    with pytest.raises(NotFound):
        services.project_update(actor=editor, project=project, data={"title": "After revoke"})
    project.refresh_from_db()
    assert project.title == ""


def test_participant_sees_and_writes_only_their_own_record(owner, project, accepted, learner, make_user):
    other = services.participant_create(actor=owner, project=project, first_name="Otrs", last_name="Dalībnieks",
                                        email="otrs@example.org")
    assert list(selectors.participant_list_for_learner(actor=learner)) == [accepted]
    with pytest.raises(NotFound):
        selectors.participant_get_for_learner(actor=learner, public_id=other.public_id)
    with pytest.raises(NotFound):
        services.outcomes_save(actor=learner, participant=other, texts={("other", "", "lv"): "x"})
    with pytest.raises(NotFound):
        services.participant_personal_data_confirm(actor=learner, participant=other, data={"first_name": "Hacked"})
    # a learner is no organiser: the project stays closed to them
    with pytest.raises(NotFound):
        selectors.project_get(actor=learner, public_id=project.public_id)
    with pytest.raises(NotFound):
        services.outcomes_reopen(actor=learner, participant=accepted)
    stranger = make_user("stranger@example.org")
    with pytest.raises(NotFound):
        services.outcomes_save(actor=stranger, participant=accepted, texts={("other", "", "lv"): "x"})
    other.refresh_from_db()
    assert other.first_name == "Otrs" and not LearningOutcome.objects.exists()


def test_a_bound_tokens_scope_also_limits_project_editors_and_learners(owner, editor, project, accepted, learner,
                                                                       other_organisation):
    """Rights that are not memberships (a per-project editor row, one's own participant record) end at the scope
    of a token bound to another organisation, like memberships do."""
    from agnitio.core.permissions import allowed
    from agnitio.organisations.access import organisation_scope_set

    editor_row = services.project_editor_invite(actor=owner, project=project, email=editor.email, full_name="E",
                                                language="en")
    invitation_accept(user=editor, token=editor_row._token)
    assert allowed(editor, "youthpass.change_project", project)
    assert allowed(learner, "youthpass.change_own_record", accepted)
    organisation_scope_set(other_organisation.pk)
    try:
        assert not allowed(editor, "youthpass.change_project", project)
        assert not allowed(learner, "youthpass.change_own_record", accepted)
        assert not selectors.project_list(actor=editor).exists()
        assert not selectors.participant_list_for_learner(actor=learner).exists()
    finally:
        organisation_scope_set(None)
    assert selectors.project_list(actor=editor).get() == project
