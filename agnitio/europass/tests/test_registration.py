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
