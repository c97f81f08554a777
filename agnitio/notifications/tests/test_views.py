import pytest
from django.core import mail
from django.urls import reverse

from agnitio.core.models import AuditEvent
from agnitio.notifications import selectors, services
from agnitio.notifications.models import OutboxEmail

LIST = reverse("notifications:outbox")


def _email(organisation, to, status="sent", **fields):
    email = services.email_queue(
        to=to, template="notifications_test/email/plain", context={}, language="en", organisation=organisation
    )
    OutboxEmail.objects.filter(pk=email.pk).update(status=status, **fields)
    email.refresh_from_db()
    return email


@pytest.fixture
def emails(organisation, other_organisation):
    return {
        "sent": _email(organisation, "sent@example.org", attempts=1),
        "failed": _email(organisation, "failed@example.org", "failed", attempts=8,
                         last_error="SMTPRecipientsRefused: 550 mailbox unavailable"),
        "other": _email(other_organisation, "other@example.org", "failed", attempts=8, last_error="secret"),
    }


def _client(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_owners_and_admins_see_their_organisations_emails_and_errors(client, emails, role, request):
    response = _client(client, request.getfixturevalue(role)).get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "sent@example.org" in page and "failed@example.org" in page
    assert "SMTPRecipientsRefused: 550 mailbox unavailable" in page
    assert "other@example.org" not in page and "secret" not in page
    assert page.count('action="/notifications/') == 1  # "send again" only for the failed one


def test_filter_by_status(client, owner, emails):
    response = _client(client, owner).get(LIST, {"status": "failed"})
    page = response.content.decode()
    assert "failed@example.org" in page
    assert "sent@example.org" not in page
    assert list(response.context["page"]) == [emails["failed"]]
    assert {v: n for v, _label, n in response.context["status_counts"]} == {
        "queued": 0, "sending": 0, "sent": 1, "failed": 1}


def test_editors_and_outsiders_do_not_see_the_outbox(client, editor, outsider, emails, organisation):
    assert _client(client, editor).get(LIST).status_code == 404
    # The outsider administers another organisation: they see only its e-mails.
    response = _client(client, outsider).get(LIST)
    assert [e.to for e in response.context["page"]] == ["other@example.org"]
    assert list(selectors.outbox_list(actor=outsider, organisation=organisation)) == []
    assert selectors.outbox_admin_organisation(actor=editor, current=organisation) is None


def test_anonymous_is_sent_to_sign_in(client, emails):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_owner_sends_a_failed_email_again(client, owner, organisation, emails, django_capture_on_commit_callbacks):
    failed = emails["failed"]
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(client, owner).post(reverse("notifications:retry", args=[failed.public_id]),
                                               {"status": "failed"})
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?status=failed"
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("sent", 1)
    assert [m.to for m in mail.outbox] == [["failed@example.org"]]
    event = AuditEvent.objects.get(object_id=failed.public_id)
    assert (event.actor, event.organisation, event.verb) == (owner, organisation, "email_retry")


def test_sending_again_a_message_that_did_not_fail_changes_nothing(client, owner, emails):
    sent = emails["sent"]
    response = _client(client, owner).post(reverse("notifications:retry", args=[sent.public_id]), follow=True)
    assert "Only a message that failed can be sent again." in response.content.decode()
    sent.refresh_from_db()
    assert (sent.status, sent.attempts) == ("sent", 1)
    assert not AuditEvent.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["editor", "outsider"])
def test_others_cannot_send_again(client, emails, who, request):
    failed = emails["failed"]
    response = _client(client, request.getfixturevalue(who)).post(
        reverse("notifications:retry", args=[failed.public_id]))
    assert response.status_code == 404
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("failed", 8)
    assert not AuditEvent.objects.exists()
    assert mail.outbox == []


def test_send_again_needs_post(client, owner, emails):
    failed = emails["failed"]
    response = _client(client, owner).get(reverse("notifications:retry", args=[failed.public_id]))
    assert response.status_code == 405
    failed.refresh_from_db()
    assert failed.status == "failed"


def test_staff_see_every_email_in_the_django_admin(client, make_user, emails, staff_login):
    staff = make_user("staff@agnitio.example", is_staff=True, is_superuser=True)
    staff_login(client, staff)
    response = client.get(reverse("admin:notifications_outboxemail_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "other@example.org" in page and "failed@example.org" in page
