"""Youthpass invitations made before the one invitations app keep working after the move (issue 10, point 1):
0010 copies the open links' token hashes into `invitations.Invitation`, 0011 drops the columns. Backwards, the
open invitations go back into the columns."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agnitio.core.tokens import token_hash
from agnitio.credentials.tests.migrating import before_migration
from agnitio.youthpass import invitation_kinds as yk

MIGRATION = ("youthpass", "0010_copy_invitations_to_invitations_app")
EDITOR_TOKEN, PARTICIPANT_TOKEN, SUPERVISOR_TOKEN = ("editor-link-0123456789abcdef", "participant-link-0123456789ab",
                                                     "supervisor-link-0123456789ab")


@pytest.mark.django_db(transaction=True)
def test_open_youthpass_invitations_are_copied_with_their_tokens(client, owner, project, participant, make_user):
    from agnitio.invitations.models import Invitation
    from agnitio.youthpass.models import Participant, ProjectEditor

    now = timezone.now()
    week = now + datetime.timedelta(days=7)
    with before_migration(MIGRATION) as old_state:
        OldEditor = old_state.get_model("youthpass", "ProjectEditor")  # noqa: N806
        OldParticipant = old_state.get_model("youthpass", "Participant")  # noqa: N806
        editor = OldEditor.objects.create(
            organisation_id=project.organisation_id, project_id=project.pk, email="Eva@Example.org",
            full_name="Eva Editore", language="en", status="pending", token_hash=token_hash(EDITOR_TOKEN),
            expires_at=week, invited_by_id=owner.pk)
        OldEditor.objects.create(  # accepted: its token was cleared, nothing to copy
            organisation_id=project.organisation_id, project_id=project.pk, email="done@example.org",
            full_name="Done", status="active", token_hash=None)
        OldParticipant.objects.filter(pk=participant.pk).update(
            status="invited", invited_at=now, invitation_token_hash=token_hash(PARTICIPANT_TOKEN),
            invitation_expires_at=week, invitation_email="anna@example.org",
            supervisor_name="Ilze Mentore", supervisor_email="ilze@example.org",
            supervisor_token_hash=token_hash(SUPERVISOR_TOKEN), supervisor_token_expires_at=week,
            supervisor_invitation_email="ilze@example.org")
    copied = {i.kind: i for i in Invitation.objects.all()}
    assert set(copied) == {yk.EDITOR, yk.PARTICIPANT, yk.SUPERVISOR}
    assert copied[yk.EDITOR].target == ProjectEditor.objects.get(pk=editor.pk)
    assert copied[yk.EDITOR].mailed_to == "eva@example.org" and copied[yk.EDITOR].invited_by == owner
    assert copied[yk.PARTICIPANT].target == participant and copied[yk.PARTICIPANT].full_name == "Anna Bērziņa"
    assert copied[yk.PARTICIPANT].language == "lv" and copied[yk.PARTICIPANT].sent_at == now
    assert copied[yk.SUPERVISOR].mailed_to == "ilze@example.org" and copied[yk.SUPERVISOR].full_name == "Ilze Mentore"
    assert all(i.status == "pending" and i.expires_at == week for i in copied.values())
    # The links in the e-mails already sent, at their old addresses, still lead to the invitations and accept.
    for route, token, email in (("youthpass:editor_invitation", EDITOR_TOKEN, "eva@example.org"),
                                ("youthpass:invitation", PARTICIPANT_TOKEN, "anna@example.org"),
                                ("youthpass:supervisor_invitation", SUPERVISOR_TOKEN, "ilze@example.org")):
        client.force_login(make_user(email))
        page = client.get(reverse(route, args=[token]), follow=True)
        assert page.status_code == 200 and "Accept invitation" in page.content.decode()
        assert client.post(page.redirect_chain[-1][0]).status_code == 302
    assert ProjectEditor.objects.get(pk=editor.pk).user.email == "eva@example.org"
    participant = Participant.objects.get(pk=participant.pk)
    assert participant.user.email == "anna@example.org" and participant.supervisor_user.email == "ilze@example.org"


@pytest.mark.django_db(transaction=True)
def test_backwards_the_open_invitations_go_back_into_the_columns(owner, project, participant):
    from agnitio.invitations.models import Invitation
    from agnitio.youthpass import services

    editor = services.project_editor_invite(actor=owner, project=project, email="eva@example.org", full_name="Eva",
                                            language="en")
    services.participant_invite(actor=owner, participants=[participant])
    services.supervisor_invite(actor=owner, participant=participant, full_name="Ilze", email="ilze@example.org")
    tokens = (editor._token, participant._token, participant._supervisor_token)
    with before_migration(MIGRATION) as old_state:
        old_editor = old_state.get_model("youthpass", "ProjectEditor").objects.get(pk=editor.pk)
        old_participant = old_state.get_model("youthpass", "Participant").objects.get(pk=participant.pk)
        assert old_editor.token_hash == token_hash(tokens[0]) and old_editor.expires_at is not None
        assert old_participant.invitation_token_hash == token_hash(tokens[1])
        assert old_participant.invitation_email == "anna@example.org"
        assert old_participant.supervisor_token_hash == token_hash(tokens[2])
        assert old_participant.supervisor_invitation_email == "ilze@example.org"
        assert not old_state.get_model("invitations", "Invitation").objects.filter(kind__startswith="youthpass")
    # Forward again: the same links are invitations once more.
    assert {i.token_hash for i in Invitation.objects.filter(kind__startswith="youthpass")} == {
        token_hash(t) for t in tokens}
