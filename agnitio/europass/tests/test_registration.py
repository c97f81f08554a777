"""Institution registration: once per institution (duplicates refused with who to contact), a confirmation link
valid 48 hours that can be sent again, up to three additional users each with their own sign-in, editable base
data, and the "next steps" page first after sign-in."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from agnitio.core.errors import ApplicationError, NotFound, PermissionDenied
from agnitio.europass import services
from agnitio.europass.models import Institution, InstitutionRegistration, InstitutionUser
from agnitio.invitations.services import invitation_accept
from agnitio.notifications.models import OutboxEmail
from agnitio.organisations.models import Membership

pytestmark = pytest.mark.django_db

T0 = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))


def _token(template="europass/email/registration", n=-1) -> str:
    body = list(OutboxEmail.objects.filter(template=template).order_by("id"))[n].body_text
    return re.search(r"/europass/register/confirm/([^/\s]+)/", body).group(1)


def test_register_confirm_and_become_owner(make_user):
    services.institution_register(name="Rīgas Valsts tehnikums", email="Info@RVT.example", language="lv", now=T0)
    email = OutboxEmail.objects.get(template="europass/email/registration")
    assert email.to == "info@rvt.example" and email.language == "lv"
    person = make_user("info@rvt.example")
    institution = services.institution_registration_confirm(
        actor=person, token=_token(), now=T0 + datetime.timedelta(hours=47),
        data={"country": "LV", "address": "Kronvalda bulvāris 1, Rīga", "contact_person": "Ilze"})
    assert institution.organisation.legal_name == "Rīgas Valsts tehnikums"
    assert Membership.objects.get(organisation=institution.organisation, user=person).role == "owner"
    with pytest.raises(NotFound):  # used
        services.institution_registration_confirm(actor=person, token=_token(), data={"address": "x"})


def test_the_link_expires_after_48_hours_and_can_be_sent_again(make_user):
    services.institution_register(name="Cēsu skola", email="cesis@example.org", language="en", now=T0)
    old = _token()
    person = make_user("cesis@example.org")
    with pytest.raises(ApplicationError) as error:
        services.institution_registration_confirm(actor=person, token=old, now=T0 + datetime.timedelta(hours=48),
                                                  data={"address": "Cēsis"})
    assert error.value.code == "expired"
    assert not Institution.objects.exists()
    assert services.institution_registration_resend(email="cesis@example.org", now=T0 + datetime.timedelta(days=3)) \
        == 1
    new = _token()
    assert new != old
    with pytest.raises(NotFound):
        services.institution_registration_confirm(actor=person, token=old, data={"address": "Cēsis"},
                                                  now=T0 + datetime.timedelta(days=3))
    services.institution_registration_confirm(actor=person, token=new, data={"address": "Cēsis"},
                                              now=T0 + datetime.timedelta(days=4))
    assert Institution.objects.count() == 1
    assert services.institution_registration_resend(email="nobody@example.org") == 0


def test_an_institution_registers_only_once_and_is_told_who_to_contact(institution):
    before = InstitutionRegistration.objects.count()
    for name in ("Biedrība Jaunatnes Tilts", "BIEDRĪBA  “Jaunatnes Tilts”", "biedriba jaunatnes tilts"):
        with pytest.raises(ApplicationError) as error:
            services.institution_register(name=name, email="someone@else.example", language="lv")
        assert error.value.code == "duplicate" and "Ilze Kalniņa" in str(error.value)
    assert InstitutionRegistration.objects.count() == before
    assert not OutboxEmail.objects.filter(template="europass/email/registration").exists()


def test_a_pending_registration_is_not_made_twice():
    services.institution_register(name="Ogres tehnikums", email="a@ogre.example", language="lv", now=T0)
    with pytest.raises(ApplicationError) as error:
        services.institution_register(name="Ogres Tehnikums", email="b@ogre.example", language="lv",
                                      now=T0 + datetime.timedelta(hours=1))
    assert error.value.code == "pending"
    # once the first link expired, registering again is possible
    services.institution_register(name="Ogres Tehnikums", email="b@ogre.example", language="lv",
                                  now=T0 + datetime.timedelta(hours=49))


def test_the_first_to_confirm_wins(make_user):
    services.institution_register(name="Valmieras skola", email="a@v.example", language="lv", now=T0)
    first = _token()
    services.institution_register(name="Valmieras skola", email="b@v.example", language="lv",
                                  now=T0 + datetime.timedelta(hours=50))
    second = _token()
    services.institution_registration_confirm(actor=make_user("b@v.example"), token=second, data={"address": "V"},
                                              now=T0 + datetime.timedelta(hours=51))
    with pytest.raises(ApplicationError):
        services.institution_registration_confirm(actor=make_user("a@v.example"), token=first, data={"address": "V"},
                                                  now=T0 + datetime.timedelta(hours=1))
    assert Institution.objects.count() == 1


def test_invalid_email_is_refused():
    with pytest.raises(ApplicationError) as error:
        services.institution_register(name="Skola", email="not an address", language="lv")
    assert error.value.code == "email"
    assert not InstitutionRegistration.objects.exists()


def test_up_to_three_additional_users_each_with_their_own_sign_in(institution, sender, make_user):
    for i in range(3):
        services.institution_user_invite(actor=sender, institution=institution, email=f"u{i}@tilts.example",
                                         full_name=f"User {i}", language="lv")
    with pytest.raises(ApplicationError) as error:
        services.institution_user_invite(actor=sender, institution=institution, email="u4@tilts.example",
                                         full_name="Fourth", language="lv")
    assert error.value.code == "cap"
    assert InstitutionUser.objects.count() == 3
    from agnitio.invitations.models import Invitation

    invitation = Invitation.objects.get(mailed_to="u0@tilts.example")
    assert invitation.kind == "europass_institution_user"
    # the token is only e-mailed: read it from the outbox
    body = OutboxEmail.objects.filter(to="u0@tilts.example").latest("id").body_text
    token = re.search(r"/invitations/([^/\s]+)/", body).group(1)
    user = make_user("u0@tilts.example")
    invitation_accept(user=user, token=token)
    assert Membership.objects.get(organisation=institution.organisation, user=user).role == "editor"
    row = InstitutionUser.objects.get(email="u0@tilts.example")
    assert row.status == "active" and row.user == user
    # removing one frees a place and withdraws the access
    services.institution_user_remove(actor=sender, row=row)
    assert not Membership.objects.filter(organisation=institution.organisation, user=user).exists()
    services.institution_user_invite(actor=sender, institution=institution, email="u4@tilts.example",
                                     full_name="Fourth", language="lv")


def _active_user(sender, institution, make_user, email="u0@tilts.example"):
    """An additional user who accepted the invitation (an editor member of the institution's organisation)."""
    services.institution_user_invite(actor=sender, institution=institution, email=email, full_name="Uldis",
                                     language="lv")
    body = OutboxEmail.objects.filter(to=email).latest("id").body_text
    user = make_user(email)
    invitation_accept(user=user, token=re.search(r"/invitations/([^/\s]+)/", body).group(1))
    return user, InstitutionUser.objects.get(email=email)


def _roles_state(organisation):
    from agnitio.core.models import AuditEvent
    from agnitio.invitations.models import Invitation

    return (sorted(Membership.objects.filter(organisation=organisation).values_list("user__email", "role")),
            sorted(InstitutionUser.objects.values_list("email", "status")),
            sorted(Invitation.objects.values_list("mailed_to", "status")), AuditEvent.objects.count())


def test_removing_an_additional_user_removes_every_role_there_owner_too(sender, institution, make_user):
    from agnitio.core.models import AuditEvent
    from agnitio.organisations.services import membership_role_change

    user, row = _active_user(sender, institution, make_user)
    organisation = institution.organisation
    membership_role_change(actor=sender, membership=Membership.objects.get(organisation=organisation, user=user),
                           role="owner")
    services.institution_user_remove(actor=sender, row=row)
    assert not Membership.objects.filter(organisation=organisation, user=user).exists()
    row.refresh_from_db()
    assert row.status == "removed"
    removed = AuditEvent.objects.get(verb="additional user removed")
    assert removed.changes == {"status": ["active", "removed"], "role": ["owner", None]}
    revoked = AuditEvent.objects.get(verb="access revoked", object_type="organisations.Membership")
    assert revoked.changes["role"] == ["owner", None] and revoked.actor == sender
    assert Membership.objects.get(organisation=organisation, user=sender).role == "owner"


def test_only_an_owner_removes_an_additional_user_who_is_an_owner(sender, institution, admin, make_user):
    from agnitio.organisations.services import membership_role_change

    user, row = _active_user(sender, institution, make_user)
    membership_role_change(actor=sender, membership=Membership.objects.get(organisation=institution.organisation,
                                                                          user=user), role="owner")
    before = _roles_state(institution.organisation)
    with pytest.raises(PermissionDenied) as error:
        services.institution_user_remove(actor=admin, row=row)
    assert "owner" in str(error.value)
    assert _roles_state(institution.organisation) == before


def test_the_last_owner_is_not_removed_and_nothing_changes(sender, institution, make_user):
    from agnitio.organisations.services import membership_revoke, membership_role_change

    user, row = _active_user(sender, institution, make_user)
    organisation = institution.organisation
    membership_role_change(actor=sender, membership=Membership.objects.get(organisation=organisation, user=user),
                           role="owner")
    membership_revoke(actor=sender, membership=Membership.objects.get(organisation=organisation, user=sender))
    before = _roles_state(organisation)
    with pytest.raises(ApplicationError) as error:
        services.institution_user_remove(actor=user, row=row)
    assert error.value.code == "last_owner"
    assert "only owner" in str(error.value) and "Make another user an owner first" in str(error.value)
    assert _roles_state(organisation) == before


def test_the_page_says_why_a_user_was_not_removed(client, sender, institution, make_user):
    from agnitio.organisations.services import membership_revoke, membership_role_change

    user, row = _active_user(sender, institution, make_user)
    organisation = institution.organisation
    membership_role_change(actor=sender, membership=Membership.objects.get(organisation=organisation, user=user),
                           role="owner")
    membership_revoke(actor=sender, membership=Membership.objects.get(organisation=organisation, user=sender))
    client.force_login(user)
    response = client.post(reverse("europass:institution_user_remove", args=[row.public_id]), follow=True)
    assert "is the institution&#x27;s only owner" in response.content.decode()
    assert Membership.objects.get(organisation=organisation, user=user).role == "owner"


def test_only_admins_add_users_or_change_base_data(institution, editor, outsider):
    with pytest.raises(PermissionDenied):
        services.institution_user_invite(actor=editor, institution=institution, email="x@tilts.example",
                                         full_name="X", language="lv")
    with pytest.raises(NotFound):
        services.institution_user_invite(actor=outsider, institution=institution, email="x@tilts.example",
                                         full_name="X", language="lv")
    with pytest.raises(PermissionDenied):
        services.institution_update(actor=editor, institution=institution, data={"contact_person": "X"})
    assert not InstitutionUser.objects.exists()
    institution.refresh_from_db()
    assert institution.contact_person == "Ilze Kalniņa"


def test_base_data_are_editable(institution, sender):
    services.institution_update(actor=sender, institution=institution,
                                data={"contact_person": "Jānis", "address": "Elizabetes iela 2, Rīga"})
    institution.refresh_from_db()
    assert institution.contact_person == "Jānis" and institution.organisation.address == "Elizabetes iela 2, Rīga"


def test_next_steps_first_after_sign_in(client, institution, sender, outsider):
    response = client.post(reverse("account_login"), {"login": sender.email, "password": "correct-horse-battery"})
    assert response.status_code == 302 and response["Location"] == reverse("europass:next_steps")
    page = client.get(reverse("europass:next_steps")).content.decode()
    assert reverse("europass:application_create") in page and reverse("europass:document_list") in page
    assert reverse("organisations:signatures", args=[institution.organisation.public_id]) in page
    client.logout()
    response = client.post(reverse("account_login"), {"login": outsider.email, "password": "correct-horse-battery"})
    assert response["Location"] != reverse("europass:next_steps")


def test_registration_pages_work_without_javascript(client, make_user):
    page = client.get(reverse("europass:register"))
    assert page.status_code == 200 and 'for="id_name"' in page.content.decode()
    response = client.post(reverse("europass:register"), {"name": "Liepājas skola", "email": "l@l.example",
                                                          "language": "lv"})
    assert response.status_code == 200 and InstitutionRegistration.objects.count() == 1
    confirm = reverse("europass:register_confirm", args=[_token()])
    assert client.get(confirm).status_code == 302  # sign in first
    client.force_login(make_user("l@l.example"))
    assert client.get(confirm).status_code == 200
    response = client.post(confirm, {"country": "LV", "address": "Liepāja", "contact_person": "Anna"})
    assert response.status_code == 302 and Institution.objects.count() == 1
    assert client.get(reverse("europass:register_confirm", args=["nonsense"])).status_code == 404


def test_registration_forms_are_throttled_per_address(client):
    from agnitio.europass.views.institutions import REGISTER_RATE

    limit = int(REGISTER_RATE.split("/")[0])
    for i in range(limit):
        client.post(reverse("europass:register_resend"), {"resend-email": f"x{i}@example.org"})
    assert client.post(reverse("europass:register"), {"name": "Skola", "email": "s@example.org",
                                                      "language": "lv"}).status_code == 429
    assert not InstitutionRegistration.objects.exists()


def test_the_register_page_has_unique_field_ids_and_the_resend_form_sends_the_link_again(client):
    page = client.get(reverse("europass:register")).content.decode()
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert sorted(set(ids)) == sorted(ids)  # the two forms' e-mail fields no longer share id="id_email"
    assert 'id="id_email"' in page and 'id="id_resend-email"' in page and 'for="id_resend-email"' in page
    client.post(reverse("europass:register"), {"name": "Liepājas skola", "email": "l@l.example", "language": "lv"})
    first = _token()
    response = client.post(reverse("europass:register_resend"), {"resend-email": "l@l.example"})
    assert response.status_code == 200 and "l@l.example" in response.content.decode()
    assert OutboxEmail.objects.filter(template="europass/email/registration").count() == 2 and _token() != first
    # the unprefixed name of the register form is not the resend form's: nothing is sent, the form is shown again
    assert client.post(reverse("europass:register_resend"), {"email": "l@l.example"}).status_code == 400
    assert OutboxEmail.objects.filter(template="europass/email/registration").count() == 2


# --- The confirmation link is bound to the address it was sent to (like invitations: invitations.addresses) ---------

_RANDOM = [(re.compile(r"nonce-[A-Za-z0-9+/=]+"), "nonce-N"),
           (re.compile(r'(nonce="|"inlineStyleNonce": ")[A-Za-z0-9+/=]+'), r"\1N"),
           (re.compile(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+'), r"\1T"),
           # the signed-in session's time left, counted from each request's arrival: two requests a second apart
           # differ (like a Date header), whatever the link
           (re.compile(r'data-remaining-seconds="\d+"'), 'data-remaining-seconds="S"'),
           (re.compile(r"data-session-remaining>\d+:\d+<"), "data-session-remaining>M:S<")]


def _answer(response, token: str = "") -> tuple[int, str]:
    """Status and page, with what differs per response (nonce, CSRF mask) and the link's token (in the page's own
    address, e.g. the language form's) made alike."""
    text = response.content.decode()
    if token:
        text = text.replace(token, MADE_UP)
    for pattern, replacement in _RANDOM:
        text = pattern.sub(replacement, text)
    return response.status_code, text


MADE_UP = "x" * 43  # a token's length (secrets.token_urlsafe(32))


def _state() -> tuple:
    from agnitio.core.models import AuditEvent
    from agnitio.organisations.models import Organisation

    return (Institution.objects.count(), Organisation.objects.count(), Membership.objects.count(),
            list(InstitutionRegistration.objects.values_list("confirmed_at", "institution_id", "token_hash")),
            AuditEvent.objects.count())


def _unverified(make_user, email: str, also: str):
    """An account whose confirmed address is `email` and which added `also` without confirming it."""
    from allauth.account.models import EmailAddress

    user = make_user(email)
    EmailAddress.objects.create(user=user, email=also, verified=False, primary=False)
    return user


def test_the_link_confirms_only_for_the_address_it_was_sent_to(make_user):
    services.institution_register(name="Rēzeknes tehnikums", email="info@rezekne.example", language="lv", now=T0)
    token = _token()
    before = _state()
    for other in (make_user("someone@else.example"), _unverified(make_user, "third@else.example",
                                                                 "info@rezekne.example")):
        with pytest.raises(NotFound) as error:  # the answer of a link that does not exist
            services.institution_registration_confirm(actor=other, token=token, data={"address": "Rēzekne"},
                                                      now=T0 + datetime.timedelta(hours=1))
        assert str(error.value.message) == str(services.institutions.INVALID_LINK)
    assert _state() == before
    holder = make_user("INFO@Rezekne.example")  # the address it was sent to, written otherwise
    institution = services.institution_registration_confirm(actor=holder, token=token, data={"address": "Rēzekne"},
                                                            now=T0 + datetime.timedelta(hours=2))
    assert Membership.objects.get(organisation=institution.organisation, user=holder).role == "owner"


def test_another_account_gets_the_invalid_links_answer_on_the_page_and_nothing_changes(client, make_user):
    services.institution_register(name="Daugavpils skola", email="d@daugavpils.example", language="lv")
    token = _token()
    confirm = reverse("europass:register_confirm", args=[token])
    client.force_login(make_user("intruder@else.example"))
    invalid = _answer(client.get(reverse("europass:register_confirm", args=[MADE_UP])))
    assert invalid[0] == 404
    before = _state()
    assert _answer(client.get(confirm), token) == invalid
    response = client.post(confirm, {"country": "LV", "address": "Daugavpils", "contact_person": "Intruder"})
    assert _answer(response, token) == invalid
    assert _state() == before
    client.force_login(make_user("d@daugavpils.example"))
    assert client.get(confirm).status_code == 200
    assert client.post(confirm, {"country": "LV", "address": "Daugavpils", "contact_person": "Dace"}
                       ).status_code == 302
    assert Institution.objects.get().organisation.legal_name == "Daugavpils skola"


def test_a_signed_out_visitor_is_sent_to_sign_in_and_a_sign_up_with_the_address_needs_no_second_confirmation(client):
    services.institution_register(name="Jelgavas skola", email="j@jelgava.example", language="lv")
    confirm = reverse("europass:register_confirm", args=[_token()])
    response = client.get(confirm)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    client.post(reverse("account_signup"), {"email": "j@jelgava.example", "password1": "correct-horse-battery-9",
                                            "password2": "correct-horse-battery-9", "full_name": "Jānis Ozols",
                                            "language": "lv"})
    from allauth.account.models import EmailAddress

    assert EmailAddress.objects.get(email="j@jelgava.example").verified  # holding the link proved the address
    assert client.post(confirm, {"country": "LV", "address": "Jelgava", "contact_person": "Jānis"}).status_code == 302
    assert Institution.objects.count() == 1


def test_a_used_link_is_refused_on_the_page_and_changes_nothing(client, make_user):
    services.institution_register(name="Tukuma skola", email="t@tukums.example", language="lv")
    token = _token()
    confirm = reverse("europass:register_confirm", args=[token])
    client.force_login(make_user("t@tukums.example"))
    response = client.post(confirm, {"country": "LV", "address": "Tukums", "contact_person": "Toms"}, follow=True)
    assert response.redirect_chain[0][1] == 302  # (followed: the success message is shown there, not below)
    invalid = _answer(client.get(reverse("europass:register_confirm", args=[MADE_UP])))
    before = _state()
    assert _answer(client.get(confirm), token) == invalid
    assert _answer(client.post(confirm, {"country": "LV", "address": "Elsewhere", "contact_person": "X"}),
                   token) == invalid
    assert _state() == before and Institution.objects.get().organisation.address == "Tukums"


def test_an_expired_link_is_refused_with_a_way_to_have_it_sent_again(client, make_user):
    services.institution_register(name="Bauskas skola", email="b@bauska.example", language="lv",
                                  now=timezone.now() - datetime.timedelta(hours=48, seconds=1))
    confirm = reverse("europass:register_confirm", args=[_token()])
    client.force_login(make_user("b@bauska.example"))
    before = _state()
    for response in (client.get(confirm), client.post(confirm, {"country": "LV", "address": "Bauska",
                                                                "contact_person": "B"})):
        page = response.content.decode()
        assert response.status_code == 410 and "expired" in page
        assert f'action="{reverse("europass:register_resend")}"' in page and 'name="resend-email"' in page
    assert _state() == before
    response = client.post(reverse("europass:register_resend"), {"resend-email": "b@bauska.example"})
    assert response.status_code == 200
    assert client.post(reverse("europass:register_confirm", args=[_token()]),
                       {"country": "LV", "address": "Bauska", "contact_person": "B"}).status_code == 302


def test_a_link_for_one_institution_never_confirms_another(client, make_user):
    """Both registrations went to the same person: each link creates its own institution, whatever the form says."""
    services.institution_register(name="Alūksnes skola", email="same@person.example", language="lv")
    token_a = _token()
    services.institution_register(name="Balvu skola", email="same@person.example", language="lv")
    person = make_user("same@person.example")
    client.force_login(person)
    response = client.post(reverse("europass:register_confirm", args=[token_a]),
                           {"country": "LV", "address": "Alūksne", "contact_person": "A", "name": "Balvu skola",
                            "legal_name": "Balvu skola", "name_key": "balvu skola"})
    assert response.status_code == 302
    institution = Institution.objects.get()
    assert institution.organisation.legal_name == "Alūksnes skola" and institution.name_key == "aluksnes skola"
    b = InstitutionRegistration.objects.get(name="Balvu skola")
    assert b.confirmed_at is None and b.institution is None
    a = InstitutionRegistration.objects.get(name="Alūksnes skola")
    assert a.institution == institution
    # the used link of A does not confirm B either
    before = _state()
    with pytest.raises(NotFound):
        services.institution_registration_confirm(actor=person, token=token_a, data={"address": "Balvi"})
    assert _state() == before
