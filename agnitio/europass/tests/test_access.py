"""Issue 12, points 8-9: the host's and the participant's access. Each denial answers 404 and changes nothing."""

import contextlib
import datetime

import pytest
from django.core import mail

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.models import AuditEvent
from agnitio.europass import selectors, selectors_access, services
from agnitio.europass.models import DocumentAccess, MobilityDocument
from agnitio.europass.services import access
from agnitio.invitations.models import Invitation
from agnitio.invitations.services import invitation_accept


@contextlib.contextmanager
def _clock(moment: datetime.datetime):
    """A controlled clock: django.utils.timezone.now (which localdate reads) answers `moment`."""
    from django.utils import timezone

    original = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = original


HOST_A = "mentor@escola-a.example"
HOST_B = "mentor@escola-b.example"
TODAY = datetime.date(2026, 4, 10)


def _token_for(grant) -> str:
    """Send again to learn the token (the e-mail carries it); the open invitation is replaced."""
    from agnitio.invitations.services import invitation_send

    invitation, token = invitation_send(
        actor=grant.granted_by, kind=access.HOST_KIND if grant.role == "host" else access.PARTICIPANT_KIND,
        organisation=grant.document.institution.organisation, target=grant, email=grant.email, full_name="X",
        language="en")
    return token


def _host_section(sender, document, email, name="Escola Profissional"):
    services.document_section_update(actor=sender, document=document, section="host", data={
        "host_name": name, "host_type": "school", "host_country": "PT", "mentor_name": "Ana Silva",
        "mentor_position": "Teacher", "mentor_phone": "+351 212 345 678", "mentor_email": email})
    document.refresh_from_db()
    return document


@pytest.fixture
def documents(approved):
    return list(approved.documents.order_by("position"))


@pytest.fixture
def host_a(make_user):
    return make_user(HOST_A)


@pytest.fixture
def host_b(make_user):
    return make_user(HOST_B)


@pytest.fixture
def shared_with_a(sender, documents, host_a):
    """Document 1 names host A and was sent host access, accepted by host A; document 2 names host B."""
    first = _host_section(sender, documents[0], HOST_A)
    second = _host_section(sender, documents[1], HOST_B, name="Outra Escola")
    grant = access.host_access_send(actor=sender, document=first)
    access.host_access_send(actor=sender, document=second)
    invitation_accept(user=host_a, token=_token_for(grant))
    return first, second


def test_host_access_mails_the_host_and_the_sender_only_learns_it_registered(sender, documents, host_a):
    first = _host_section(sender, documents[0], HOST_A)
    mail.outbox.clear()
    grant = access.host_access_send(actor=sender, document=first)
    assert Invitation.objects.filter(mailed_to=HOST_A, status="pending").count() == 1
    assert AuditEvent.objects.filter(verb="host access sent", object_id=first.public_id).exists()
    invitation_accept(user=host_a, token=_token_for(grant))
    grant.refresh_from_db()
    assert grant.user == host_a and grant.accepted_at
    from agnitio.notifications.models import OutboxEmail

    told = OutboxEmail.objects.get(to=sender.email, template="europass/email/access_registered")
    assert "registered" in told.subject and HOST_A not in told.body_text and HOST_A not in told.subject


def test_host_sees_and_edits_only_documents_naming_its_email(sender, shared_with_a, host_a, host_b):
    first, second = shared_with_a
    assert list(selectors_access.shared_document_list(actor=host_a)) == [first]
    # host A cannot open B's document nor the sender's documents through the sender's selectors
    with pytest.raises(NotFound):
        selectors_access.shared_document_get(actor=host_a, public_id=second.public_id)
    with pytest.raises(NotFound):
        selectors.document_get(actor=host_a, public_id=first.public_id)
    # edits the host's sections
    services.document_section_update(actor=host_a, document=first, section="mentoring",
                                     data={"mentoring": "Weekly meetings with the mentor."})
    first.refresh_from_db()
    assert first.mentoring == "Weekly meetings with the mentor."
    # but neither the personal data nor another host's document
    before = MobilityDocument.objects.values().get(pk=first.pk)
    with pytest.raises(NotFound):
        services.document_section_update(actor=host_a, document=first, section="personal",
                                         data={"first_name": "Changed"})
    with pytest.raises(NotFound):
        services.document_section_update(actor=host_a, document=second, section="mentoring",
                                         data={"mentoring": "Changed"})
    assert MobilityDocument.objects.values().get(pk=first.pk) == before
    assert MobilityDocument.objects.get(pk=second.pk).mentoring == ""


def test_host_b_sees_its_document_once_it_holds_the_address(sender, shared_with_a, host_b):
    first, second = shared_with_a
    assert [d.pk for d in selectors_access.shared_document_list(actor=host_b)] == [second.pk]
    with pytest.raises(NotFound):
        selectors_access.shared_document_get(actor=host_b, public_id=first.public_id)


def test_host_loses_the_document_when_it_no_longer_names_its_email_or_is_blocked(sender, shared_with_a, host_a):
    first, _second = shared_with_a
    _host_section(sender, first, "someone@else.example")
    assert selectors_access.shared_document_list(actor=host_a).count() == 0
    _host_section(sender, first, HOST_A)
    assert selectors_access.shared_document_list(actor=host_a).count() == 1
    access.document_access_block(actor=sender, grant=DocumentAccess.objects.get(document=first, role="host"))
    assert selectors_access.shared_document_list(actor=host_a).count() == 0


def test_unverified_address_sees_nothing(sender, shared_with_a, make_user):
    from allauth.account.models import EmailAddress

    impostor = make_user("impostor@example.org")
    EmailAddress.objects.create(user=impostor, email=HOST_B, verified=False)
    assert selectors_access.shared_document_list(actor=impostor).count() == 0


def test_host_and_participant_are_found_whatever_the_case_of_the_addresses(sender, documents, make_user):
    """The document names the mentor as typed (capitals kept on the document); the host's confirmed address has
    other capitals; the participant's too. Both see their document (agnitio.core.emails)."""
    first = _host_section(sender, documents[0], "Mentor@Escola-A.example")
    assert first.mentor_email == "Mentor@Escola-A.example"
    grant = access.host_access_send(actor=sender, document=first)
    assert grant.email == "mentor@escola-a.example"
    host = make_user("MENTOR@escola-a.EXAMPLE")
    invitation_accept(user=host, token=_token_for(grant))
    assert list(selectors_access.shared_document_list(actor=host)) == [first]
    assert selectors_access.shared_document_get(actor=host, public_id=first.public_id).role == "host"
    assert selectors_access.is_host_account(actor=host)

    services.document_section_update(actor=sender, document=documents[1], section="personal",
                                      data={"first_name": "Anna", "email": "Anna@Skola.example"})
    with _clock(datetime.datetime(2026, 4, 1, 9, 0, tzinfo=datetime.UTC)):
        participant_grant = access.participant_access_grant(actor=sender, documents=[documents[1]],
                                                            write_until=TODAY)[0]
    learner = make_user("ANNA@skola.example")
    invitation_accept(user=learner, token=_token_for(participant_grant))
    shared = selectors_access.shared_document_get(actor=learner, public_id=documents[1].public_id)
    assert shared.role == "participant"
    assert list(selectors_access.shared_document_list(actor=learner)) == [documents[1]]


def test_only_the_sender_sends_or_blocks_access(sender, shared_with_a, host_a, outsider):
    first, _ = shared_with_a
    grant = DocumentAccess.objects.get(document=first, role="host")
    for actor in (host_a, outsider):
        with pytest.raises(NotFound):
            access.host_access_send(actor=actor, document=first)
        with pytest.raises(NotFound):
            access.document_access_block(actor=actor, grant=grant)
    grant.refresh_from_db()
    assert grant.blocked_at is None


def test_host_access_needs_the_host_email(sender, documents):
    with pytest.raises(ApplicationError):
        access.host_access_send(actor=sender, document=documents[0])
    assert not DocumentAccess.objects.exists()


# --- participants -----------------------------------------------------------------------------------------------

@pytest.fixture
def participant(make_user):
    return make_user("anna@skola.example")


@pytest.fixture
def participant_grant(sender, documents, participant):
    services.document_section_update(actor=sender, document=documents[0], section="personal",
                                     data={"first_name": "Anna", "last_name": "Bērziņa",
                                           "email": "anna@skola.example"})
    with _clock(datetime.datetime(2026, 4, 1, 9, 0, tzinfo=datetime.UTC)):
        grant = access.participant_access_grant(actor=sender, documents=[documents[0]], write_until=TODAY)[0]
    invitation_accept(user=participant, token=_token_for(grant))
    return grant


def test_participant_edits_only_own_personal_data_and_outcomes_until_the_date(sender, documents, participant,
                                                                                participant_grant):
    own, other = documents[0], documents[1]
    assert list(selectors_access.shared_document_list(actor=participant)) == [own]
    with _clock(datetime.datetime(2026, 4, 10, 20, 0, tzinfo=datetime.UTC)):
        services.document_section_update(actor=participant, document=own, section="personal",
                                         data={"address": "Skolas iela 1, Rīga"})
        services.document_section_update(actor=participant, document=own, section="outcomes", data={
            "outcomes": [{"framework": "A", "text": "Sazinās portugāļu valodā ikdienas situācijās."}]})
        before = MobilityDocument.objects.values().get(pk=own.pk)
        for section, data in (("host", {"host_name": "X"}), ("project", {"programme": "X"})):
            with pytest.raises(NotFound):
                services.document_section_update(actor=participant, document=own, section=section, data=data)
        with pytest.raises(NotFound):
            services.document_section_update(actor=participant, document=other, section="personal",
                                             data={"address": "X"})
        with pytest.raises(NotFound):
            selectors_access.shared_document_get(actor=participant, public_id=other.public_id)
        assert MobilityDocument.objects.values().get(pk=own.pk) == before
    own.refresh_from_db()
    assert own.address == "Skolas iela 1, Rīga" and own.outcomes.count() == 1
    # the day after the date: read-only
    with _clock(datetime.datetime(2026, 4, 11, 9, 0, tzinfo=datetime.UTC)):
        shared = selectors_access.shared_document_get(actor=participant, public_id=own.public_id)
        assert shared.role == "participant" and not shared.may_write and shared.sections == frozenset()
        with pytest.raises(NotFound):
            services.document_section_update(actor=participant, document=own, section="personal",
                                             data={"address": "Later"})
    own.refresh_from_db()
    assert own.address == "Skolas iela 1, Rīga"


def test_sender_blocks_participant_early(sender, documents, participant, participant_grant):
    with _clock(datetime.datetime(2026, 4, 2, 9, 0, tzinfo=datetime.UTC)):
        access.document_access_block(actor=sender, grant=participant_grant)
        with pytest.raises(NotFound):
            services.document_section_update(actor=participant, document=documents[0], section="personal",
                                              data={"address": "X"})
        with pytest.raises(NotFound):  # blocked: nothing (test_a_blocked_participant_sees_nothing)
            selectors_access.shared_document_get(actor=participant, public_id=documents[0].public_id)
    assert AuditEvent.objects.filter(verb="participant access blocked").exists()


def test_participant_cannot_make_the_pdf_nor_open_the_senders_pages(client, sender, documents, participant,
                                                                      participant_grant):
    from agnitio.core.permissions import allowed

    assert not allowed(participant, "europass.make_document_pdf", documents[0])
    assert allowed(sender, "europass.make_document_pdf", documents[0])
    client.force_login(participant)
    for url in (f"/europass/documents/{documents[0].public_id}/",
                f"/api/v1/europass/documents/{documents[0].public_id}"):
        assert client.get(url).status_code in (401, 404)


def test_whole_group_gets_access_and_documents_without_email_are_named(sender, approved, documents):
    services.document_section_update(actor=sender, document=documents[1], section="personal",
                                     data={"email": "janis@skola.example"})
    with _clock(datetime.datetime(2026, 4, 1, 9, 0, tzinfo=datetime.UTC)):
        grants, left_out = access.participant_access_grant_group(actor=sender, application=approved,
                                                                 write_until=TODAY)
    assert [g.document_id for g in grants] == [documents[1].pk]
    assert [d.pk for d in left_out] == [documents[0].pk]
    assert Invitation.objects.filter(mailed_to="janis@skola.example").count() == 1


def test_write_until_in_the_past_is_refused(sender, documents):
    services.document_section_update(actor=sender, document=documents[0], section="personal",
                                     data={"email": "anna@skola.example"})
    with _clock(datetime.datetime(2026, 4, 20, 9, 0, tzinfo=datetime.UTC)), \
            pytest.raises(ApplicationError):
        access.participant_access_grant(actor=sender, documents=[documents[0]], write_until=TODAY)
    assert not DocumentAccess.objects.exists()


# --- links do no more than what they were made for ----------------------------------------------------------------

def _state(document) -> tuple:
    return (list(DocumentAccess.objects.filter(document=document).values_list("user_id", "accepted_at",
                                                                             "blocked_at")),
            list(Invitation.objects.order_by("id").values_list("status", "accepted_by_id")),
            AuditEvent.objects.count())


def test_a_host_link_opened_by_another_account_grants_nothing(sender, documents, host_b):
    from agnitio.core.errors import PermissionDenied

    first = _host_section(sender, documents[0], HOST_A)
    token = _token_for(access.host_access_send(actor=sender, document=first))
    before = _state(first)
    with pytest.raises(PermissionDenied):
        invitation_accept(user=host_b, token=token)
    assert _state(first) == before
    assert selectors_access.shared_document_list(actor=host_b).count() == 0
    with pytest.raises(NotFound):
        selectors_access.shared_document_get(actor=host_b, public_id=first.public_id)


def test_a_used_host_link_is_refused_to_another_account(sender, documents, host_a, make_user):
    first = _host_section(sender, documents[0], HOST_A)
    token = _token_for(access.host_access_send(actor=sender, document=first))
    invitation_accept(user=host_a, token=token)
    before = _state(first)
    for other in (make_user("someone@else.example"), host_a):
        with pytest.raises(ApplicationError) as error:
            invitation_accept(user=other, token=token)
        assert error.value.code in ("already_used", "not_found", "permission_denied")
    assert _state(first) == before
    assert DocumentAccess.objects.get(document=first, role="host").user == host_a


def test_a_host_link_for_one_document_never_opens_another_of_the_same_sender(client, sender, documents, host_a):
    """Document 2 names the same host e-mail, but the host access was sent for document 1 only."""
    first = _host_section(sender, documents[0], HOST_A)
    second = _host_section(sender, documents[1], HOST_A)
    invitation_accept(user=host_a, token=_token_for(access.host_access_send(actor=sender, document=first)))
    assert list(selectors_access.shared_document_list(actor=host_a)) == [first]
    before = MobilityDocument.objects.values().get(pk=second.pk)
    with pytest.raises(NotFound):
        services.document_section_update(actor=host_a, document=second, section="mentoring",
                                         data={"mentoring": "Changed"})
    client.force_login(host_a)
    for url in (f"/europass/shared/{second.public_id}/", f"/europass/shared/{second.public_id}/mentoring/",
                f"/europass/documents/{second.public_id}/pdf/",
                f"/api/v1/europass/shared-documents/{second.public_id}"):
        assert client.get(url).status_code == 404, url
    response = client.post(f"/api/v1/europass/documents/{second.public_id}/pdf")
    assert response.status_code == 404
    response = client.patch(f"/api/v1/europass/shared-documents/{second.public_id}/sections/mentoring",
                            data='{"mentoring": "Changed"}', content_type="application/json")
    assert response.status_code == 404
    assert MobilityDocument.objects.values().get(pk=second.pk) == before


def test_a_participant_never_makes_the_pdf_before_or_after_the_date(client, sender, documents, participant,
                                                                    participant_grant):
    own = documents[0]
    for moment in (datetime.datetime(2026, 4, 5, 9, 0, tzinfo=datetime.UTC),
                   datetime.datetime(2026, 4, 11, 9, 0, tzinfo=datetime.UTC)):
        with _clock(moment):
            client.force_login(participant)  # (signed in at that moment: the idle timeout reads the clock)
            assert client.get(f"/europass/documents/{own.public_id}/pdf/").status_code == 404
            assert client.post(f"/api/v1/europass/documents/{own.public_id}/pdf").status_code == 404
            page = client.get(f"/europass/shared/{own.public_id}/")
            assert page.status_code == 200 and f"/europass/documents/{own.public_id}/pdf/" not in \
                page.content.decode()


def test_after_the_date_a_participant_only_reads_on_the_page_and_in_the_api(client, sender, documents, participant,
                                                                          participant_grant):
    own = documents[0]
    client.force_login(participant)
    with _clock(datetime.datetime(2026, 4, 11, 9, 0, tzinfo=datetime.UTC)):
        before = MobilityDocument.objects.values().get(pk=own.pk)
        assert client.get(f"/europass/shared/{own.public_id}/").status_code == 200
        assert client.get(f"/api/v1/europass/shared-documents/{own.public_id}").status_code == 200
        assert client.get(f"/europass/shared/{own.public_id}/personal/").status_code == 404
        assert client.post(f"/europass/shared/{own.public_id}/personal/", {"address": "Later"}).status_code == 404
        response = client.patch(f"/api/v1/europass/shared-documents/{own.public_id}/sections/personal",
                                data='{"address": "Later"}', content_type="application/json")
        assert response.status_code in (403, 404)
        assert MobilityDocument.objects.values().get(pk=own.pk) == before


def test_a_blocked_participant_sees_nothing(client, sender, documents, participant, participant_grant):
    own = documents[0]
    with _clock(datetime.datetime(2026, 4, 2, 9, 0, tzinfo=datetime.UTC)):
        access.document_access_block(actor=sender, grant=participant_grant)
        before = MobilityDocument.objects.values().get(pk=own.pk)
        assert selectors_access.shared_document_list(actor=participant).count() == 0
        with pytest.raises(NotFound):
            selectors_access.shared_document_get(actor=participant, public_id=own.public_id)
        client.force_login(participant)
        for url in (f"/europass/shared/{own.public_id}/", f"/europass/shared/{own.public_id}/personal/",
                    f"/api/v1/europass/shared-documents/{own.public_id}"):
            assert client.get(url).status_code == 404, url
        assert client.get("/api/v1/europass/shared-documents").json()["items"] == []
        assert MobilityDocument.objects.values().get(pk=own.pk) == before


def test_the_sender_never_sees_the_hosts_account_address(client, sender, organisation, documents, make_user):
    """The host's account may have another primary address than the mentor's e-mail the sender typed (which it
    holds confirmed): the sender is told only that the host registered, on every page, in the API and the e-mail."""
    from allauth.account.models import EmailAddress

    from agnitio.notifications.models import OutboxEmail

    private = "ana.private@home.example"
    host = make_user(private)
    EmailAddress.objects.create(user=host, email=HOST_A, verified=True, primary=False)
    first = _host_section(sender, documents[0], HOST_A)
    invitation_accept(user=host, token=_token_for(access.host_access_send(actor=sender, document=first)))
    services.document_section_update(actor=host, document=first, section="mentoring",
                                     data={"mentoring": "Weekly meetings."})
    told = OutboxEmail.objects.get(to=sender.email, template="europass/email/access_registered")
    assert private not in told.subject + told.body_text
    client.force_login(sender)
    pages = [f"/europass/documents/{first.public_id}/access/", f"/europass/documents/{first.public_id}/",
             f"/organisations/{organisation.public_id}/history/",
             f"/api/v1/europass/documents/{first.public_id}/access"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200 and private not in response.content.decode(), url
    assert "registered" in client.get(pages[0]).content.decode().lower()
