"""The one invitation mechanism: tokens, expiry, address binding, resend, revoke, acceptance, audit, e-mail."""

import datetime
import hashlib

import pytest
from django.utils import timezone

from agnitio.core.errors import ApplicationError, NotFound, PermissionDenied
from agnitio.core.models import AuditEvent
from agnitio.invitations import kinds, selectors, services
from agnitio.invitations.models import Invitation
from agnitio.notifications.models import OutboxEmail
from agnitio.organisations.models import Membership

pytestmark = pytest.mark.django_db

MEMBER = "organisation_member"


def _age(invitation, seconds=120):
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=invitation.sent_at - datetime.timedelta(seconds=seconds))
    invitation.refresh_from_db()


# --- tokens at rest ------------------------------------------------------------------------------------------------

def test_only_the_hash_of_the_token_is_stored(invite):
    invitation, token = invite("Ilze@Example.org ")
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert all(token not in str(value) for value in stored.values())
    assert invitation.mailed_to == "ilze@example.org"  # normalised
    assert len(token) >= 40 and invitation.public_id and invitation.public_id not in token
    assert token in OutboxEmail.objects.get(to="ilze@example.org").body_text  # only in the e-mail
    assert all(token not in str(changes) for changes in AuditEvent.objects.values_list("changes", flat=True))


def test_two_invitations_get_different_tokens(invite):
    _, first = invite("a@example.org")
    _, second = invite("b@example.org")
    assert first != second


# --- the same answer for every unusable token ---------------------------------------------------------------------

def test_unknown_expired_and_revoked_tokens_get_one_answer(invite, admin, make_user, snapshot):
    user = make_user("invitee@example.org")
    expired, expired_token = invite()
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    revoked, revoked_token = invite("other@example.org")
    services.invitation_revoke(actor=admin, invitation=revoked)
    answers = set()
    before = snapshot()
    for token in ("not-a-token", expired_token, revoked_token, ""):
        with pytest.raises(NotFound) as exc:
            services.invitation_accept(user=user, token=token)
        answers.add(str(exc.value))
        with pytest.raises(NotFound) as exc:
            selectors.invitation_for_token(token=token)
        answers.add(str(exc.value))
    assert answers == {str(services.UNUSABLE)}
    assert snapshot() == before


def test_expiry_comes_from_the_kind(invite, settings):
    settings.ORGANISATION_INVITATION_DAYS = 3
    invitation, _ = invite()
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=3)


def test_a_link_works_until_its_expiry(invite, make_user):
    invitation, token = invite()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() + datetime.timedelta(seconds=30))
    _, membership = services.invitation_accept(user=make_user("invitee@example.org"), token=token)
    assert membership.role == "editor"


# --- the address it was mailed to --------------------------------------------------------------------------------

def test_another_account_is_refused_and_nothing_changes(invite, make_user, snapshot):
    _, token = invite()
    stranger = make_user("stranger@example.org")
    before = snapshot()
    with pytest.raises(PermissionDenied, match="was sent to invitee@example.org"):
        services.invitation_accept(user=stranger, token=token)
    assert snapshot() == before


def test_an_unverified_mailed_address_does_not_count(invite, make_user, snapshot):
    from allauth.account.models import EmailAddress

    _, token = invite()
    user = make_user("invitee@example.org")
    EmailAddress.objects.filter(user=user).update(verified=False)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.invitation_accept(user=user, token=token)
    assert snapshot() == before


def test_a_second_verified_address_that_was_mailed_to_may_accept(invite, make_user):
    from allauth.account.models import EmailAddress

    _, token = invite("work@example.org")
    user = make_user("home@example.org")
    EmailAddress.objects.create(user=user, email="WORK@example.org", verified=True)
    invitation, membership = services.invitation_accept(user=user, token=token)
    assert membership.user == user and invitation.accepted_by == user


def test_signed_out_user_cannot_accept(invite, snapshot):
    from django.contrib.auth.models import AnonymousUser

    _, token = invite()
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.invitation_accept(user=AnonymousUser(), token=token)
    assert snapshot() == before


# --- accept ------------------------------------------------------------------------------------------------------

def test_accept_grants_once_and_is_audited(invite, organisation, make_user, snapshot):
    invitation, token = invite(role="admin")
    user = make_user("invitee@example.org")
    accepted, membership = services.invitation_accept(user=user, token=token)
    assert membership.organisation == organisation and membership.role == "admin"
    assert accepted.status == Invitation.Status.ACCEPTED and accepted.accepted_by == user and accepted.accepted_at
    event = AuditEvent.objects.get(verb="invitation accepted")
    assert event.actor == user and event.action == "grant" and event.organisation == organisation
    assert event.changes["role"] == [None, "admin"] and event.changes["invitation"] == [None, invitation.public_id]
    Membership.objects.filter(user=user).delete()  # even after leaving, the link stays used
    before = snapshot()
    with pytest.raises(ApplicationError) as exc:
        services.invitation_accept(user=user, token=token)
    assert exc.value.code == "already_used" and not isinstance(exc.value, NotFound)
    assert snapshot() == before


def test_a_refusal_by_the_kind_rolls_back(invite, organisation, make_user, snapshot):
    invitation, token = invite()
    user = make_user("invitee@example.org")
    Membership.objects.create(organisation=organisation, user=user, role="editor")
    before = snapshot()
    with pytest.raises(ApplicationError) as exc:
        services.invitation_accept(user=user, token=token)
    assert exc.value.code == "already_member"
    assert snapshot() == before
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING


# --- send, resend, revoke ----------------------------------------------------------------------------------------

def test_send_is_audited_without_the_token(invite, admin, organisation):
    invitation, _ = invite()
    event = AuditEvent.objects.get(verb="invitation sent")
    assert event.actor == admin and event.action == "create" and event.organisation == organisation
    assert event.object_type == "invitations.Invitation" and event.object_id == invitation.public_id
    assert event.changes["kind"] == [None, MEMBER] and event.changes["email"] == [None, "invitee@example.org"]


def test_the_same_address_is_not_invited_twice(invite, snapshot):
    invite()
    before = snapshot()
    with pytest.raises(ApplicationError) as exc:
        invite("INVITEE@example.org")
    assert exc.value.code == "already_invited"
    assert snapshot() == before


@pytest.mark.parametrize("who", ["editor", "outsider"])
def test_send_resend_revoke_are_the_kinds_managers_only(request, who, invite, snapshot):
    actor = request.getfixturevalue(who)
    invitation, _ = invite()
    _age(invitation)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        invite("x@example.org", actor=actor)
    with pytest.raises(PermissionDenied):
        services.invitation_resend(actor=actor, invitation=invitation)
    with pytest.raises(PermissionDenied):
        services.invitation_revoke(actor=actor, invitation=invitation)
    assert snapshot() == before


def test_resend_issues_a_new_token_and_voids_the_old(invite, admin, make_user):
    invitation, old_token = invite()
    _age(invitation)
    resent, new_token = services.invitation_resend(actor=admin, invitation=invitation)
    assert new_token != old_token and resent.send_count == 2
    assert resent.token_hash == hashlib.sha256(new_token.encode()).hexdigest()
    bodies = list(OutboxEmail.objects.filter(to="invitee@example.org").order_by("pk").values_list("body_text",
                                                                                                  flat=True))
    assert len(bodies) == 2 and new_token in bodies[1] and old_token not in bodies[1]
    assert AuditEvent.objects.filter(verb="invitation resent", actor=admin).exists()
    user = make_user("invitee@example.org")
    with pytest.raises(NotFound):
        services.invitation_accept(user=user, token=old_token)
    assert services.invitation_accept(user=user, token=new_token)[1].user == user


def test_resend_not_sooner_than_a_minute(invite, admin, snapshot):
    invitation, _ = invite()
    before = snapshot()
    with pytest.raises(ApplicationError) as exc:
        services.invitation_resend(actor=admin, invitation=invitation)
    assert exc.value.code == "too_soon"
    assert snapshot() == before


def test_resend_renews_an_expired_invitation(invite, admin, make_user):
    invitation, _ = invite()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    _age(invitation)
    resent, token = services.invitation_resend(actor=admin, invitation=invitation)
    assert resent.expires_at > timezone.now()
    assert services.invitation_accept(user=make_user("invitee@example.org"), token=token)[1]


def test_admin_may_not_resend_an_owner_invitation(owner, admin, invite, snapshot):
    invitation, _ = invite(role="owner", actor=owner)
    _age(invitation)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.invitation_resend(actor=admin, invitation=invitation)
    assert snapshot() == before


def test_revoke_kills_the_link_and_is_audited(invite, admin, make_user, snapshot):
    invitation, token = invite()
    services.invitation_revoke(actor=admin, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    event = AuditEvent.objects.get(verb="invitation revoked")
    assert event.action == "delete" and event.changes["status"] == ["pending", "revoked"]
    user = make_user("invitee@example.org")
    before = snapshot()
    with pytest.raises(NotFound):
        services.invitation_accept(user=user, token=token)
    with pytest.raises(ApplicationError) as exc:
        services.invitation_revoke(actor=admin, invitation=invitation)
    assert exc.value.code == "not_pending"
    assert snapshot() == before
    invite()  # the address may be invited again


def test_void_revokes_the_open_invitations_of_a_target(invite, admin, organisation):
    invitation, token = invite()
    assert services.invitation_void(actor=admin, target=organisation, kind=MEMBER) == 1
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.REVOKED
    assert AuditEvent.objects.filter(verb="invitation voided").count() == 1
    with pytest.raises(NotFound):
        selectors.invitation_for_token(token=token)


# --- e-mail ------------------------------------------------------------------------------------------------------

def test_the_email_is_in_the_invitees_language_with_the_kinds_wording(invite, organisation):
    invitation, token = invite("lv@example.org", language="lv", personal_message="Gaidām jūs!")
    invite("en@example.org", language="en")
    latvian = OutboxEmail.objects.get(to="lv@example.org")
    english = OutboxEmail.objects.get(to="en@example.org")
    assert latvian.language == "lv" and english.language == "en"
    assert english.subject == f"Invitation to join {organisation.legal_name} on Agnitio"
    assert "Your role: editor (prepares documents)." in english.body_text
    assert latvian.subject == f"Uzaicinājums pievienoties organizācijai {organisation.legal_name} platformā Agnitio"
    # Latvian greets without the name, which would need the vocative (issue 11 point 11); English greets by name
    assert latvian.body_text.startswith("Labdien!\n") and "Gaidām jūs!" in latvian.body_text
    assert "Ilze Ozola" not in latvian.body_text.splitlines()[0]
    assert english.body_text.startswith("Hello ")
    assert "Jūsu loma: redaktors (sagatavo dokumentus)." in latvian.body_text and "Your role" not in latvian.body_text
    assert f"/invitations/{token}/" in latvian.body_text
    assert latvian.related_id == invitation.public_id


# --- selectors ---------------------------------------------------------------------------------------------------

def test_invitations_for_shows_managers_only(invite, admin, editor, outsider, organisation):
    invitation, _ = invite()
    assert list(selectors.invitations_for(actor=admin, target=organisation)) == [invitation]
    assert list(selectors.invitations_for(actor=editor, target=organisation)) == []
    assert list(selectors.invitations_for(actor=outsider, target=organisation)) == []
    assert selectors.invitation_get(actor=admin, public_id=invitation.public_id) == invitation
    Invitation.objects.filter(pk=invitation.pk).update(kind="no_longer_registered")
    assert list(selectors.invitations_for(actor=admin, target=organisation)) == []
    Invitation.objects.filter(pk=invitation.pk).update(kind=MEMBER)
    for actor in (editor, outsider):
        with pytest.raises(NotFound):
            selectors.invitation_get(actor=actor, public_id=invitation.public_id)


# --- the registry ------------------------------------------------------------------------------------------------

def test_registry_refuses_a_second_definition_of_a_name():
    existing = kinds.get(MEMBER)
    assert kinds.register(existing) is existing  # the same definition again (an app reloaded) is fine
    with pytest.raises(ValueError):
        kinds.register(kinds.InvitationKind(
            name=MEMBER, label="x", accept=lambda **kw: None, may_manage=lambda a, o: True,
            describe=lambda i: "", subject=lambda i: "", manage_url=lambda i: "/",
            expiry=lambda: datetime.timedelta(days=1)))
    with pytest.raises(LookupError):
        kinds.get("no_such_kind")
    assert MEMBER in kinds.names()


def test_a_kind_with_one_invitation_per_target_replaces_the_open_one(admin, organisation, make_user):
    """The shape the youthpass participant and supervisor kinds need: a new invitation to the same person (target)
    voids the previous link, whatever address it went to."""
    member_kind = kinds.get(MEMBER)
    single = kinds.register(kinds.InvitationKind(
        name="test_single", label="test", accept=member_kind.accept, may_manage=member_kind.may_manage,
        describe=member_kind.describe, subject=member_kind.subject, manage_url=member_kind.manage_url,
        expiry=lambda: datetime.timedelta(days=1), one_per_target=True))
    try:
        first, first_token = services.invitation_send(
            actor=admin, kind=single.name, organisation=organisation, target=organisation, email="old@example.org",
            full_name="P", language="en", payload={"role": "editor"})
        second, second_token = services.invitation_send(
            actor=admin, kind=single.name, organisation=organisation, target=organisation, email="new@example.org",
            full_name="P", language="en", payload={"role": "editor"})
        assert Invitation.objects.get(pk=first.pk).status == Invitation.Status.REVOKED
        assert AuditEvent.objects.filter(verb="invitation replaced").count() == 1
        with pytest.raises(NotFound):
            services.invitation_accept(user=make_user("old@example.org"), token=first_token)
        assert services.invitation_accept(user=make_user("new@example.org"), token=second_token)[1].role == "editor"
    finally:
        kinds._KINDS.pop(single.name)
