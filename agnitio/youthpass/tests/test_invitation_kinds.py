"""The youthpass invitation kinds (registered in `YouthpassConfig.ready`): each grants its right only through the
one invitation mechanism, to the mailed-to address, once."""

import pytest

from agnitio.core.errors import ApplicationError, NotFound, PermissionDenied
from agnitio.core.models import AuditEvent
from agnitio.invitations import services
from agnitio.invitations.models import Invitation
from agnitio.notifications.models import OutboxEmail
from agnitio.youthpass import invitation_kinds as yk
from agnitio.youthpass.models import Participant, ProjectEditor

pytestmark = pytest.mark.django_db


def _send(actor, kind, target, email, language="en"):
    return services.invitation_send(actor=actor, kind=kind, organisation=target.organisation, target=target,
                                    email=email, full_name="Someone", language=language)


def test_participant_accepts_to_their_record(owner, participant, learner):
    invitation, token = _send(owner, yk.PARTICIPANT, participant, participant.email, language="lv")
    email = OutboxEmail.objects.get(to="anna@example.org")
    assert email.language == "lv" and token in email.body_text
    assert participant.project.display_name in email.subject
    accepted, record = services.invitation_accept(user=learner, token=token)
    assert record == participant and Participant.objects.get(pk=participant.pk).user == learner
    assert accepted.status == Invitation.Status.ACCEPTED
    assert AuditEvent.objects.filter(verb="invitation accepted", object_type="youthpass.Participant",
                                     object_id=participant.public_id).exists()


def test_participant_new_invitation_voids_the_link_to_the_old_address(owner, participant, make_user):
    _, old_token = _send(owner, yk.PARTICIPANT, participant, "old@example.org")
    _, new_token = _send(owner, yk.PARTICIPANT, participant, "new@example.org")
    with pytest.raises(NotFound):
        services.invitation_accept(user=make_user("old@example.org"), token=old_token)
    assert services.invitation_accept(user=make_user("new@example.org"), token=new_token)[1] == participant


def test_changing_the_address_voids_the_open_participant_invitation(owner, participant, learner):
    _, token = _send(owner, yk.PARTICIPANT, participant, participant.email)
    assert services.invitation_void(actor=owner, target=participant, kind=yk.PARTICIPANT) == 1
    with pytest.raises(NotFound):
        services.invitation_accept(user=learner, token=token)
    assert Participant.objects.get(pk=participant.pk).user is None


def test_participant_with_a_certificate_or_without_address_is_not_invited(owner, participant):
    with pytest.raises(ApplicationError) as exc:
        _send(owner, yk.PARTICIPANT, participant, "")
    assert exc.value.code == "no_email"
    Participant.objects.filter(pk=participant.pk).update(status=Participant.Status.CERTIFICATE_ISSUED)
    participant.refresh_from_db()
    with pytest.raises(ApplicationError) as exc:
        _send(owner, yk.PARTICIPANT, participant, participant.email)
    assert exc.value.code == "certificate_issued"
    assert not Invitation.objects.exists() and not OutboxEmail.objects.exists()


def test_participant_invitation_is_bound_to_the_mailed_address(owner, participant, make_user):
    _, token = _send(owner, yk.PARTICIPANT, participant, participant.email)
    with pytest.raises(PermissionDenied):
        services.invitation_accept(user=make_user("stranger@example.org"), token=token)
    assert Participant.objects.get(pk=participant.pk).user is None


def test_outsiders_and_other_organisations_cannot_invite(outsider, participant):
    with pytest.raises(PermissionDenied):
        _send(outsider, yk.PARTICIPANT, participant, participant.email)
    with pytest.raises(PermissionDenied):
        _send(outsider, yk.SUPERVISOR, participant, "mentor@example.org")
    assert not Invitation.objects.exists()


def test_supervisor_accepts_to_assess(owner, participant, make_user):
    _, token = _send(owner, yk.SUPERVISOR, participant, "mentor@example.org")
    assert "Anna Bērziņa" in OutboxEmail.objects.get(to="mentor@example.org").subject
    mentor = make_user("mentor@example.org")
    with pytest.raises(PermissionDenied):
        services.invitation_accept(user=make_user("other@example.org"), token=token)
    assert services.invitation_accept(user=mentor, token=token)[1].supervisor_user == mentor
    assert Participant.objects.get(pk=participant.pk).user is None  # not the learner's record


def test_editor_becomes_active_once(owner, admin, editor, project, make_user):
    row = ProjectEditor.objects.create(organisation=project.organisation, project=project, email="ed@example.org",
                                       full_name="Ed", language="en", invited_by=owner)
    with pytest.raises(PermissionDenied):
        _send(editor, yk.EDITOR, row, row.email)  # an organisation editor may not hand out project rights
    invitation, token = _send(admin, yk.EDITOR, row, row.email)
    assert project.display_name in OutboxEmail.objects.get(to="ed@example.org").subject
    user = make_user("ed@example.org")
    _, granted = services.invitation_accept(user=user, token=token)
    assert granted.user == user and granted.status == ProjectEditor.Status.ACTIVE and granted.accepted_at
    with pytest.raises(ApplicationError) as exc:
        services.invitation_accept(user=user, token=token)
    assert exc.value.code == "already_used"
    row.refresh_from_db()
    with pytest.raises(ApplicationError) as exc:
        _send(admin, yk.EDITOR, row, row.email)
    assert exc.value.code == "duplicate"


def test_revoked_editor_row_refuses_a_still_pending_link(owner, project, make_user):
    row = ProjectEditor.objects.create(organisation=project.organisation, project=project, email="ed@example.org",
                                       full_name="Ed", language="en")
    _, token = _send(owner, yk.EDITOR, row, row.email)
    ProjectEditor.objects.filter(pk=row.pk).update(status=ProjectEditor.Status.REVOKED)
    with pytest.raises(ApplicationError) as exc:
        services.invitation_accept(user=make_user("ed@example.org"), token=token)
    assert exc.value.code == "revoked"
    assert Invitation.objects.get().status == Invitation.Status.PENDING  # rolled back with the refusal
    assert ProjectEditor.objects.get(pk=row.pk).user is None
