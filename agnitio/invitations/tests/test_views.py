"""The one invitation page: what the link is for, sign-in/sign-up with the mailed address, accept; and the
organiser's resend/withdraw buttons."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from agnitio.accounts.models import User
from agnitio.invitations import services
from agnitio.invitations.models import Invitation
from agnitio.notifications.models import OutboxEmail
from agnitio.organisations.middleware import SESSION_KEY
from agnitio.organisations.models import Membership

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-passphrase-42"


def _link(token):
    return reverse("invitations:accept", args=[token])


def _signup(client, link, email):
    return client.post(reverse("account_signup") + f"?next={link}", {
        "email": email, "password1": PASSWORD, "password2": PASSWORD, "full_name": "Ilze", "language": "en"})


def test_anonymous_visitor_sees_what_it_is_for_and_how_to_sign_up(client, invite, organisation):
    _, token = invite()
    page = client.get(_link(token))
    text = page.content.decode()
    assert page.status_code == 200
    assert organisation.legal_name in text and "Your role: editor" in text and "invitee@example.org" in text
    assert "Sign up to accept" in text and "email=invitee%40example.org" in page.context["signup_url"]
    assert "Accept invitation" not in text


def test_signing_up_with_the_mailed_address_is_preverified_and_accepts(client, invite, organisation):
    _, token = invite("Invitee@Example.org")
    link = _link(token)
    client.get(link)
    response = _signup(client, link, "invitee@example.org")
    assert response.status_code == 302 and response["Location"] == link
    assert "_auth_user_id" in client.session
    user = User.objects.get(email__iexact="invitee@example.org")
    assert EmailAddress.objects.get(user=user).verified
    accepted = client.post(link)
    assert accepted.status_code == 302
    assert accepted["Location"] == reverse("organisations:detail", args=[organisation.public_id])
    assert Membership.objects.get(user=user, organisation=organisation).role == "editor"
    assert client.session[SESSION_KEY] == organisation.public_id


def test_signing_up_with_another_address_is_not_preverified_and_cannot_accept(client, invite, organisation):
    invitation, token = invite()
    link = _link(token)
    client.get(link)
    _signup(client, link, "someone.else@example.org")
    assert "_auth_user_id" not in client.session  # confirmation e-mail first, as for any sign-up
    user = User.objects.get(email="someone.else@example.org")
    assert not EmailAddress.objects.filter(user=user, verified=True).exists()
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == ["someone.else@example.org"]
    EmailAddress.objects.filter(user=user).update(verified=True)
    client.force_login(user)
    page = client.post(link).content.decode()
    assert "was sent to invitee@example.org" in page
    assert not Membership.objects.filter(user=user).exists()
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING


def test_signed_in_invitee_accepts_once(client, invite, make_user):
    _, token = invite()
    client.force_login(make_user("invitee@example.org"))
    assert "Accept invitation" in client.get(_link(token)).content.decode()
    assert client.post(_link(token)).status_code == 302
    again = client.get(_link(token)).content.decode()
    assert "already been used" in again and "Accept invitation" not in again
    assert "already been used" in client.post(_link(token)).content.decode()
    assert Membership.objects.filter(user__email="invitee@example.org").count() == 1


def test_unknown_expired_and_revoked_links_get_the_same_page(client, invite, admin, make_user):
    expired, expired_token = invite()
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    revoked, revoked_token = invite("other@example.org")
    services.invitation_revoke(actor=admin, invitation=revoked)
    client.force_login(make_user("invitee@example.org"))
    pages = set()
    for token in ("not-a-token", expired_token, revoked_token):
        for method in (client.get, client.post):
            response = method(_link(token))
            assert response.status_code == 404
            text = response.content.decode()
            pages.add(text[text.index('<main id="main"'):text.index("</main>")])  # beyond it: per-request nonces
    assert len(pages) == 1
    assert str(services.UNUSABLE) in pages.pop()
    assert not Membership.objects.filter(user__email="invitee@example.org").exists()


def test_links_mailed_before_the_move_redirect_to_the_one_page(client, invite):
    _, token = invite()
    response = client.get(reverse("organisations:invitation", args=[token]))
    assert response.status_code == 302 and response["Location"] == _link(token)


def test_members_page_lists_pending_invitations_with_resend_and_withdraw(client, invite, admin, organisation):
    invitation, _ = invite(role="admin")
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=invitation.sent_at - datetime.timedelta(minutes=2))
    client.force_login(admin)
    members = reverse("organisations:members", args=[organisation.public_id])
    page = client.get(members).content.decode()
    assert "invitee@example.org" in page and "Resend" in page and "Withdraw" in page and "admin" in page
    response = client.post(reverse("invitations:manage", args=[invitation.public_id, "resend"]))
    assert response.status_code == 302 and response["Location"] == members
    assert OutboxEmail.objects.filter(to="invitee@example.org").count() == 2
    client.post(reverse("invitations:manage", args=[invitation.public_id, "withdraw"]))
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.REVOKED
    client.get(members)  # shows the two messages once
    assert "invitee@example.org" not in client.get(members).content.decode()


def test_manage_is_not_found_for_others(client, invite, editor, outsider, snapshot):
    invitation, _ = invite()
    before = snapshot()
    for user in (editor, outsider):
        client.force_login(user)
        for action in ("resend", "withdraw", "nonsense"):
            assert client.post(reverse("invitations:manage", args=[invitation.public_id, action])).status_code == 404
    assert snapshot() == before


def test_manage_unknown_action_is_not_found(client, invite, admin, snapshot):
    invitation, _ = invite()
    client.force_login(admin)
    before = snapshot()
    assert client.post(reverse("invitations:manage", args=[invitation.public_id, "nonsense"])).status_code == 404
    assert client.get(reverse("invitations:manage", args=[invitation.public_id, "withdraw"])).status_code == 405
    assert snapshot() == before


def test_the_link_page_is_throttled_per_address_after_a_group_sized_allowance(client, db):
    """Anyone may open a link page, so it is bounded: a group on one Wi-Fi gets through, a scanner does not."""
    from agnitio.invitations.views import ACCEPT_RATE

    allowed = int(ACCEPT_RATE.split("/")[0])
    page = reverse("invitations:accept", args=["not-a-real-token"])
    answers = [client.get(page, REMOTE_ADDR="203.0.113.9").status_code for _ in range(allowed)]
    assert set(answers) == {404}  # 50 people opening two or three pages each stay well inside
    refused = client.get(page, REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429 and refused["Retry-After"]
    assert client.get(page, REMOTE_ADDR="203.0.113.10").status_code == 404  # another address is not affected
