"""Organisation invitations made before the invitations app keep working after the move (issue 10, point 1)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agnitio.core.tokens import token_hash
from agnitio.credentials.tests.migrating import before_migration

MIGRATION = ("invitations", "0002_copy_organisation_invitations")


@pytest.mark.django_db(transaction=True)
def test_open_member_invitations_are_copied_with_their_tokens(client, admin, organisation, make_user):
    from agnitio.invitations.models import Invitation
    from agnitio.organisations.models import Membership

    now = timezone.now()
    with before_migration(MIGRATION) as old_state:
        OldInvitation = old_state.get_model("organisations", "Invitation")  # noqa: N806
        common = {"organisation_id": organisation.pk, "full_name": "Ilze", "language": "lv", "sent_at": now,
                  "expires_at": now + datetime.timedelta(days=7), "invited_by_id": admin.pk}
        pending = OldInvitation.objects.create(email="ilze@example.org", role="admin",
                                               token_hash=token_hash("mailed-last-week-0123456789abcdef"), **common)
        OldInvitation.objects.create(email="used@example.org", role="editor", status="accepted",
                                     token_hash=token_hash("used-0123456789abcdef"), **common)
        OldInvitation.objects.create(email="gone@example.org", role="editor", status="withdrawn",
                                     token_hash=token_hash("withdrawn-0123456789abcdef"), **common)
    copied = Invitation.objects.get()
    assert copied.public_id == pending.public_id and copied.kind == "organisation_member"
    assert copied.mailed_to == "ilze@example.org" and copied.payload == {"role": "admin"}
    assert copied.target == organisation and copied.organisation == organisation and copied.invited_by == admin
    assert copied.status == "pending" and copied.language == "lv" and copied.send_count == 1
    # The link in last week's e-mail, at its old address, still leads to the invitation and accepts.
    old_link = reverse("organisations:invitation", args=["mailed-last-week-0123456789abcdef"])
    client.force_login(make_user("ilze@example.org"))
    page = client.get(old_link, follow=True)
    assert page.status_code == 200 and "Accept invitation" in page.content.decode()
    client.post(page.redirect_chain[-1][0])
    assert Membership.objects.get(user__email="ilze@example.org").role == "admin"
