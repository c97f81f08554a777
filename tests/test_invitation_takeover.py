"""Issue 8, point 1: an invitation link accepts only the address it was mailed to.

The reproduction: an organiser invites a participant at their own address, changes the participant's e-mail to a
stranger's, opens their link signed out and signs up as the stranger. Before the fix the sign-up counted as
confirmed (the link "proved" the participant's *current* address), so they were signed in as the stranger with
the stranger's wallet (certificates from other organisations) readable. Every kind of invitation is checked.
"""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.urls import reverse

from agnitio.accounts.models import User
from agnitio.core.errors import PermissionDenied
from agnitio.invitations import services as invitations
from agnitio.invitations.addresses import invitation_address_problem, user_has_verified_address
from agnitio.invitations.models import Invitation
from agnitio.invitations.services import invitation_accept
from agnitio.organisations import services as org_services
from agnitio.organisations.models import Membership
from agnitio.youthpass import services as yp
from agnitio.youthpass.invitation_kinds import PARTICIPANT
from agnitio.youthpass.models import Participant, ProjectEditor

PASSWORD = "a-long-passphrase-42"
ATTACKER = "attacker@evil.example"
STRANGER = "stranger@victim.example"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # allauth's rate limits
    yield
    cache.clear()


@pytest.fixture
def project(owner, organisation):
    return yp.project_create(
        actor=owner, organisation=organisation, grant_number="2022-1-LV01-KA153-YOU-000000001",
        programme="erasmus_youth", project_type="youth_workers_mobility",
        start_date=datetime.date(2026, 5, 1), end_date=datetime.date(2026, 5, 31))


@pytest.fixture
def strangers_certificate(outsider, other_organisation):
    """The stranger already holds a certificate from another organisation (their wallet)."""
    from agnitio.credentials.services import credential_issue

    return credential_issue(
        actor=outsider, organisation=other_organisation, kind="youthpass", holder_name="Stranger",
        holder_email=STRANGER, achievement={"name": "Youth exchange", "description": "d", "criteria": "c",
                                            "outcomes": []},
        languages=["en"], issued_on=datetime.date(2026, 11, 20), place="Paris")


def _signup_through(client, link: str, email: str):
    """Open the invitation link signed out, then sign up with `email` (the link's sign-up button)."""
    page = client.get(link)
    assert page.status_code == 200
    return client.post(reverse("account_signup") + f"?next={link}", {
        "email": email, "password1": PASSWORD, "password2": PASSWORD, "full_name": "Someone", "language": "en"})


def _assert_not_signed_in_as_stranger(client, strangers_certificate):
    assert "_auth_user_id" not in client.session
    user = User.objects.get(email=STRANGER)
    assert not EmailAddress.objects.get(user=user, email=STRANGER).verified
    # allauth would otherwise add the link's address to the new account as verified and primary.
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == [STRANGER]
    assert user.email == STRANGER
    wallet = client.get("/wallet/")
    assert strangers_certificate.number not in wallet.content.decode()
    assert client.get(f"/wallet/{strangers_certificate.public_id}/credential.json").status_code in (302, 404)


def _invitation(participant, kind=PARTICIPANT):
    return Invitation.objects.get(kind=kind, target_id=participant.pk)


def _verified_stranger(make_user):
    return make_user(STRANGER)


# --- participants ------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_participant_reproduction_changing_the_email_voids_the_link(client, owner, project, strangers_certificate):
    participant = yp.participant_create(actor=owner, project=project, first_name="A", last_name="B", email=ATTACKER)
    yp.participant_invite(actor=owner, participants=[participant])
    token = participant._token
    yp.participant_update(actor=owner, participant=Participant.objects.get(pk=participant.pk),
                          data={"email": STRANGER})
    participant.refresh_from_db()
    assert participant.status == Participant.Status.NOT_INVITED
    assert _invitation(participant).status == Invitation.Status.REVOKED
    link = reverse("youthpass:invitation", args=[token])  # the address e-mailed before issue 10 redirects
    assert client.get(link, follow=True).status_code == 404  # the link is void: a new invitation must be sent
    # Signing up as the stranger anyway: an ordinary, unconfirmed sign-up.
    client.post(reverse("account_signup"), {"email": STRANGER, "password1": PASSWORD, "password2": PASSWORD,
                                            "full_name": "S", "language": "en"})
    _assert_not_signed_in_as_stranger(client, strangers_certificate)


@pytest.mark.django_db
def test_participant_link_does_not_confirm_another_address(client, owner, project, strangers_certificate):
    """Even if the record's address changed behind the services' back (e.g. straight in the database), the link
    proves only the address it was mailed to."""
    participant = yp.participant_create(actor=owner, project=project, first_name="A", last_name="B", email=ATTACKER)
    yp.participant_invite(actor=owner, participants=[participant])
    token = participant._token
    Participant.objects.filter(pk=participant.pk).update(email=STRANGER)
    link = reverse("invitations:accept", args=[token])
    page = client.get(link).content.decode()
    assert STRANGER not in page  # the sign-up button proposes the address the link was mailed to
    response = _signup_through(client, link, STRANGER)
    assert response.status_code == 302 and response["Location"] != link
    _assert_not_signed_in_as_stranger(client, strangers_certificate)


@pytest.mark.django_db
def test_participant_link_refuses_an_account_with_another_verified_address(client, owner, project, make_user):
    participant = yp.participant_create(actor=owner, project=project, first_name="A", last_name="B", email=ATTACKER)
    yp.participant_invite(actor=owner, participants=[participant])
    token = participant._token
    Participant.objects.filter(pk=participant.pk).update(email=STRANGER)
    stranger = _verified_stranger(make_user)
    with pytest.raises(PermissionDenied):
        invitation_accept(user=stranger, token=token)
    client.force_login(stranger)
    response = client.post(reverse("invitations:accept", args=[token]))
    assert response.status_code == 200 and f"sent to {ATTACKER}" in response.content.decode()
    participant.refresh_from_db()
    assert participant.user_id is None and _invitation(participant).status == Invitation.Status.PENDING


@pytest.mark.django_db
def test_participant_signing_up_with_the_mailed_address_is_confirmed_and_accepts(client, owner, project):
    participant = yp.participant_create(actor=owner, project=project, first_name="A", last_name="B",
                                        email="Anna@Example.org")
    yp.participant_invite(actor=owner, participants=[participant])
    link = reverse("invitations:accept", args=[participant._token])
    response = _signup_through(client, link, "anna@example.org")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session  # holding the link proved exactly this address
    user = User.objects.get(email__iexact="anna@example.org")
    assert user_has_verified_address(user, "ANNA@example.org")
    assert client.post(link).status_code == 302
    participant.refresh_from_db()
    assert participant.user_id == user.pk


@pytest.mark.django_db
def test_unverified_primary_address_cannot_accept(owner, project, make_user):
    """An account whose address is not confirmed does not count, even if it is the one the link was mailed to."""
    participant = yp.participant_create(actor=owner, project=project, first_name="A", last_name="B", email=ATTACKER)
    yp.participant_invite(actor=owner, participants=[participant])
    user = make_user(ATTACKER)
    EmailAddress.objects.filter(user=user).update(verified=False)
    with pytest.raises(PermissionDenied):
        invitation_accept(user=user, token=participant._token)


# --- supervisors ---------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_supervisor_link_is_bound_to_the_mailed_address(client, owner, project, make_user, strangers_certificate):
    participant = yp.participant_create(actor=owner, project=project, first_name="A", last_name="B",
                                        email="anna@example.org")
    yp.supervisor_invite(actor=owner, participant=participant, full_name="Mentor", email=ATTACKER, language="en")
    token = participant._supervisor_token
    Participant.objects.filter(pk=participant.pk).update(supervisor_email=STRANGER)
    link = reverse("invitations:accept", args=[token])
    _signup_through(client, link, STRANGER)
    _assert_not_signed_in_as_stranger(client, strangers_certificate)
    stranger = User.objects.get(email=STRANGER)
    EmailAddress.objects.filter(user=stranger).update(verified=True)
    with pytest.raises(PermissionDenied):
        invitation_accept(user=stranger, token=token)
    mentor = make_user("mentor@example.org")
    with pytest.raises(PermissionDenied):
        invitation_accept(user=mentor, token=token)


@pytest.mark.django_db
def test_supervisor_new_invitation_binds_the_new_address(owner, project, make_user):
    participant = yp.participant_create(actor=owner, project=project, first_name="A", last_name="B",
                                        email="anna@example.org")
    yp.supervisor_invite(actor=owner, participant=participant, full_name="M", email="old@example.org", language="en")
    old_token = participant._supervisor_token
    yp.supervisor_invite(actor=owner, participant=participant, full_name="M", email="new@example.org", language="en")
    new = make_user("new@example.org")
    from agnitio.core.errors import NotFound

    with pytest.raises(NotFound):
        invitation_accept(user=new, token=old_token)
    assert invitation_accept(user=new, token=participant._supervisor_token)[1].supervisor_user == new


# --- project editors ---------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_editor_link_is_bound_to_the_mailed_address(client, owner, project, make_user, strangers_certificate):
    editor = yp.project_editor_invite(actor=owner, project=project, email=ATTACKER, full_name="E", language="en")
    link = reverse("invitations:accept", args=[editor._token])
    _signup_through(client, link, STRANGER)
    _assert_not_signed_in_as_stranger(client, strangers_certificate)
    stranger = User.objects.get(email=STRANGER)
    EmailAddress.objects.filter(user=stranger).update(verified=True)
    with pytest.raises(PermissionDenied):
        invitation_accept(user=stranger, token=editor._token)
    assert ProjectEditor.objects.get(pk=editor.pk).user_id is None


# --- organisation members ----------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_member_invitation_is_bound_to_the_mailed_address(client, owner, organisation, strangers_certificate):
    invitation, token = org_services.membership_invite(actor=owner, organisation=organisation, email=ATTACKER,
                                                       full_name="M", role="editor", language="en")
    link = reverse("invitations:accept", args=[token])
    _signup_through(client, link, STRANGER)
    _assert_not_signed_in_as_stranger(client, strangers_certificate)
    stranger = User.objects.get(email=STRANGER)
    EmailAddress.objects.filter(user=stranger).update(verified=True)
    from agnitio.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        invitations.invitation_accept(user=stranger, token=token)
    assert not Membership.objects.filter(user=stranger).exists()
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING


# --- the shared helper ---------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_helper_compares_case_insensitively_and_only_confirmed_addresses(make_user):
    user = make_user("anna@example.org")
    EmailAddress.objects.create(user=user, email="second@example.org", verified=False)
    assert invitation_address_problem(user=user, mailed_to=" ANNA@example.org ") is None
    assert invitation_address_problem(user=user, mailed_to="second@example.org")
    assert invitation_address_problem(user=user, mailed_to="")
    assert not user_has_verified_address(user, None)
