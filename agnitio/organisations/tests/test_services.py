import datetime

import pytest
from django.utils import timezone

from agnitio.core.errors import ApplicationError, NotFound, PermissionDenied
from agnitio.core.models import AuditEvent
from agnitio.invitations import services as invitations
from agnitio.invitations.models import Invitation
from agnitio.notifications.models import OutboxEmail
from agnitio.organisations import images, services
from agnitio.organisations.models import Membership, Organisation, Signatory, SignatureImage

from .conftest import image_bytes, upload

ORG_DATA = {
    "legal_name": "Biedrība Jauns Sākums", "short_name": "JS", "country": "LV", "address": "Rīga",
    "website": "https://js.example", "email": "info@js.example", "phone": "+37167000002", "identifier": "E10000002",
}


def _checked(**kwargs):
    return images.check_image(upload(data=image_bytes(**kwargs)), formats=("PNG", "JPEG", "WEBP"),
                              max_bytes=10**7, max_pixels=10**7)


# --- organisations -----------------------------------------------------------

def test_create_makes_actor_owner_and_audits(make_user):
    user = make_user("founder@js.example")
    organisation = services.organisation_create(actor=user, data=ORG_DATA, logo=_checked())
    membership = Membership.objects.get(organisation=organisation)
    assert membership.user == user and membership.role == "owner"
    assert organisation.logo.name.endswith(".png")
    events = AuditEvent.objects.filter(organisation=organisation)
    assert set(events.values_list("action", flat=True)) == {"create", "grant"}
    create = events.get(action="create", verb="")
    assert create.changes["legal_name"] == [None, "Biedrība Jauns Sākums"]
    assert create.actor == user
    # Its signing key is made with it (so reading its DID document never creates one), audited too.
    assert events.get(verb="issuer_key_create").actor == user


def test_update_by_admin_records_changed_fields(admin, organisation):
    changes = services.organisation_update(actor=admin, organisation=organisation,
                                           data={"legal_name": "New name", "address": organisation.address})
    assert list(changes) == ["legal_name"]
    organisation.refresh_from_db()
    assert organisation.legal_name == "New name"
    event = AuditEvent.objects.get(organisation=organisation, action="update")
    assert event.changes == {"legal_name": ["Biedrība Jaunatnes Tilts", "New name"]}


@pytest.mark.parametrize("who", ["editor", "outsider"])
def test_update_denied_changes_nothing(request, who, organisation, snapshot):
    actor = request.getfixturevalue(who)
    before = snapshot()
    with pytest.raises((PermissionDenied, NotFound)):
        services.organisation_update(actor=actor, organisation=organisation, data={"legal_name": "Hijacked"})
    assert snapshot() == before


# --- roles and revocation ----------------------------------------------------

def test_last_owner_cannot_be_demoted_or_removed(owner, organisation, snapshot):
    membership = Membership.objects.get(user=owner)
    before = snapshot()
    with pytest.raises(ApplicationError) as exc:
        services.membership_role_change(actor=owner, membership=membership, role="admin")
    assert exc.value.code == "last_owner"
    with pytest.raises(ApplicationError) as exc:
        services.membership_revoke(actor=owner, membership=membership)
    assert exc.value.code == "last_owner"
    assert snapshot() == before


def test_owner_can_leave_when_another_owner_exists(owner, make_user, organisation):
    second = make_user("second@tilts.example")
    Membership.objects.create(organisation=organisation, user=second, role="owner")
    services.membership_revoke(actor=owner, membership=Membership.objects.get(user=owner))
    assert not Membership.objects.filter(user=owner).exists()
    assert AuditEvent.objects.filter(organisation=organisation, action="revoke", verb="left").exists()


def test_admin_cannot_escalate_to_owner(owner, admin, editor, snapshot):
    before = snapshot()
    for target in (editor, admin):
        with pytest.raises(PermissionDenied):
            services.membership_role_change(actor=admin, membership=Membership.objects.get(user=target), role="owner")
    with pytest.raises(PermissionDenied):
        services.membership_role_change(actor=admin, membership=Membership.objects.get(user=owner), role="editor")
    with pytest.raises(PermissionDenied):
        services.membership_revoke(actor=admin, membership=Membership.objects.get(user=owner))
    assert snapshot() == before


def test_owner_promotes_and_admin_changes_editor(owner, admin, editor, organisation):
    services.membership_role_change(actor=owner, membership=Membership.objects.get(user=admin), role="owner")
    assert Membership.objects.get(user=admin).role == "owner"
    services.membership_role_change(actor=owner, membership=Membership.objects.get(user=editor), role="admin")
    event = AuditEvent.objects.filter(organisation=organisation, action="update").first()
    assert event.changes == {"role": ["editor", "admin"]}


def test_editor_cannot_change_roles_or_revoke(editor, admin, snapshot):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.membership_role_change(actor=editor, membership=Membership.objects.get(user=editor), role="admin")
    with pytest.raises(PermissionDenied):
        services.membership_revoke(actor=editor, membership=Membership.objects.get(user=admin))
    assert snapshot() == before


def test_revoke_by_admin_audited(admin, editor, organisation):
    services.membership_revoke(actor=admin, membership=Membership.objects.get(user=editor))
    assert not Membership.objects.filter(user=editor).exists()
    event = AuditEvent.objects.get(organisation=organisation, action="revoke")
    assert event.changes["user"] == ["editor@tilts.example", None]


# --- invitations -------------------------------------------------------------

def _invite(actor, organisation, email="new@tilts.example", role="editor", language="lv"):
    return services.membership_invite(actor=actor, organisation=organisation, email=email, full_name="Ilze Ozola",
                                      role=role, language=language)


def _accept(user, token):
    return invitations.invitation_accept(user=user, token=token)[1]


def test_invitation_stores_only_hash_and_queues_email_in_invitee_language(admin, organisation):
    invitation, token = _invite(admin, organisation)
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=7)
    email = OutboxEmail.objects.get(to="new@tilts.example")
    assert email.language == "lv"
    assert token in email.body_text
    assert email.related_id == invitation.public_id
    assert AuditEvent.objects.filter(organisation=organisation, action="create",
                                     object_type="invitations.Invitation").exists()
    assert token not in str(AuditEvent.objects.values_list("changes", flat=True)[0])


def test_invitation_expiry_follows_setting(admin, organisation, settings):
    settings.ORGANISATION_INVITATION_DAYS = 2
    invitation, _ = _invite(admin, organisation)
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=2)


def test_accept_creates_membership_once(admin, organisation, make_user):
    invitation, token = _invite(admin, organisation)
    newcomer = make_user("new@tilts.example")
    membership = _accept(newcomer, token)
    assert membership.role == "editor" and membership.organisation == organisation
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.accepted_by == newcomer
    assert AuditEvent.objects.filter(action="grant", verb="invitation accepted", actor=newcomer).exists()
    # single use: a second attempt (even by the same person after leaving) fails
    Membership.objects.filter(user=newcomer).delete()
    with pytest.raises(ApplicationError):
        _accept(newcomer, token)
    assert not Membership.objects.filter(user=newcomer).exists()


def test_expired_invitation_cannot_be_accepted(admin, organisation, make_user, snapshot):
    invitation, token = _invite(admin, organisation)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    newcomer = make_user("new@tilts.example")
    before = snapshot()
    with pytest.raises(ApplicationError, match="expired"):
        _accept(newcomer, token)
    assert snapshot() == before


def test_mismatched_email_cannot_accept(admin, organisation, make_user, snapshot):
    _, token = _invite(admin, organisation)
    stranger = make_user("someone.else@example.org")
    before = snapshot()
    with pytest.raises(ApplicationError, match="someone.else@example.org"):
        _accept(stranger, token)
    assert snapshot() == before


def test_wrong_token_is_not_found(make_user, snapshot):
    user = make_user("x@example.org")
    before = snapshot()
    with pytest.raises(NotFound):
        _accept(user, "not-a-token")
    assert snapshot() == before


def _age(invitation, seconds=120):
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=invitation.sent_at - datetime.timedelta(seconds=seconds))
    invitation.refresh_from_db()


def test_resend_not_sooner_than_a_minute(admin, organisation, snapshot):
    invitation, _ = _invite(admin, organisation)
    before = snapshot()
    with pytest.raises(ApplicationError) as exc:
        invitations.invitation_resend(actor=admin, invitation=invitation)
    assert exc.value.code == "too_soon"
    assert snapshot() == before


def test_resend_denied_to_editor(admin, editor, organisation, snapshot):
    invitation, _ = _invite(admin, organisation)
    _age(invitation)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        invitations.invitation_resend(actor=editor, invitation=invitation)
    with pytest.raises(PermissionDenied):
        invitations.invitation_revoke(actor=editor, invitation=invitation)
    assert snapshot() == before


def test_resend_rotates_token_and_withdraw_kills_it(admin, organisation, make_user):
    invitation, old_token = _invite(admin, organisation)
    _age(invitation)
    _, new_token = invitations.invitation_resend(actor=admin, invitation=invitation)
    assert new_token != old_token
    assert OutboxEmail.objects.filter(to="new@tilts.example").count() == 2
    newcomer = make_user("new@tilts.example")
    with pytest.raises(NotFound):
        _accept(newcomer, old_token)
    invitations.invitation_revoke(actor=admin, invitation=invitation)
    with pytest.raises(ApplicationError, match="withdrawn"):
        _accept(newcomer, new_token)
    assert not Membership.objects.filter(user=newcomer).exists()


def test_duplicate_and_member_invitations_rejected(admin, editor, organisation, snapshot):
    _invite(admin, organisation)
    before = snapshot()
    with pytest.raises(ApplicationError) as exc:
        _invite(admin, organisation, email="NEW@tilts.example")
    assert exc.value.code == "already_invited"
    with pytest.raises(ApplicationError) as exc:
        _invite(admin, organisation, email=editor.email)
    assert exc.value.code == "already_member"
    assert snapshot() == before


@pytest.mark.parametrize("who,role", [("editor", "editor"), ("outsider", "editor"), ("admin", "owner")])
def test_invitation_denied_sends_nothing(request, who, role, organisation, snapshot):
    actor = request.getfixturevalue(who)
    before = snapshot()
    with pytest.raises((PermissionDenied, NotFound)):
        _invite(actor, organisation, role=role)
    assert snapshot() == before


def test_owner_may_invite_owner(owner, organisation, make_user):
    _, token = _invite(owner, organisation, role="owner")
    newcomer = make_user("new@tilts.example")
    assert _accept(newcomer, token).role == "owner"


# --- signatories and signatures ---------------------------------------------

def test_signatory_crud_audited(admin, organisation):
    signatory = services.signatory_create(actor=admin, organisation=organisation, full_name="Anna Bērziņa",
                                          position="Chairperson", pages=["legal_representative", "europass_sending"])
    services.signatory_update(actor=admin, signatory=signatory, data={"position": "Board member"})
    services.signatory_delete(actor=admin, signatory=signatory)
    actions = list(AuditEvent.objects.filter(object_type="organisations.Signatory").values_list("action", flat=True))
    assert sorted(actions) == ["create", "delete", "update"]


def test_signatory_unknown_page_rejected(admin, organisation, snapshot):
    before = snapshot()
    with pytest.raises(ApplicationError):
        services.signatory_create(actor=admin, organisation=organisation, full_name="A", position="B",
                                  pages=["page_99"])
    assert snapshot() == before


def test_editor_cannot_manage_signatories(editor, organisation, snapshot):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.signatory_create(actor=editor, organisation=organisation, full_name="A", position="B", pages=[])
    assert snapshot() == before


def _signature(actor, organisation, kind="signature", **kwargs):
    checked = images.check_image(upload(data=image_bytes(400, 200, **kwargs)), formats=("PNG", "JPEG"),
                                 max_bytes=10**7, max_pixels=10**7)
    return services.signature_upload(actor=actor, organisation=organisation, kind=kind, label="Chair", checked=checked)


def test_signature_crop_server_side_and_transparency(admin, organisation):
    from PIL import Image

    signature = _signature(admin, organisation)
    assert not signature.is_active and not signature.image_cropped
    services.signature_crop(actor=admin, signature=signature, box=(50, 40, 300, 100), variant="transparent")
    signature.refresh_from_db()
    with signature.image_cropped.open("rb") as fh, Image.open(fh) as cropped:
        assert cropped.format == "PNG" and cropped.size == (300, 100) and cropped.mode == "RGBA"
        assert cropped.getpixel((0, 0))[3] == 0  # white paper became transparent
        assert cropped.getpixel((150, 28))[3] == 255  # the ink stroke stays opaque
    assert (signature.crop_x, signature.crop_y, signature.crop_width, signature.crop_height) == (50, 40, 300, 100)


def test_signature_crop_outside_image_rejected(admin, organisation, snapshot):
    signature = _signature(admin, organisation)
    before = snapshot()
    with pytest.raises(ApplicationError) as exc:
        services.signature_crop(actor=admin, signature=signature, box=(300, 0, 200, 100))
    assert exc.value.code == "bad_crop"
    assert snapshot() == before


def test_one_default_per_kind(admin, organisation):
    from agnitio.organisations.selectors import signature_default

    first, second, stamp = (_signature(admin, organisation), _signature(admin, organisation),
                            _signature(admin, organisation, kind="stamp"))
    for s in (first, second, stamp):
        services.signature_crop(actor=admin, signature=s, box=None)
    services.signature_update(actor=admin, signature=first, label="A", signatory=None, is_active=True, is_default=True)
    services.signature_update(actor=admin, signature=stamp, label="S", signatory=None, is_active=True, is_default=True)
    services.signature_update(actor=admin, signature=second, label="B", signatory=None, is_active=True,
                              is_default=True)
    assert signature_default(organisation=organisation, kind="signature") == second
    assert signature_default(organisation=organisation, kind="stamp") == stamp
    assert SignatureImage.objects.filter(organisation=organisation, is_default=True).count() == 2


def test_signature_must_be_cropped_before_activation(admin, organisation, snapshot):
    signature = _signature(admin, organisation)
    before = snapshot()
    with pytest.raises(ApplicationError) as exc:
        services.signature_update(actor=admin, signature=signature, label="x", signatory=None, is_active=True,
                                  is_default=False)
    assert exc.value.code == "not_cropped"
    assert snapshot() == before


def test_signatory_of_other_organisation_cannot_be_linked(admin, organisation, other_organisation, outsider,
                                                          snapshot):
    foreign = Signatory.objects.create(organisation=other_organisation, full_name="F", position="P")
    signature = _signature(admin, organisation)
    services.signature_crop(actor=admin, signature=signature, box=None)
    before = snapshot()
    with pytest.raises(NotFound):
        services.signature_update(actor=admin, signature=signature, label="x", signatory=foreign, is_active=True,
                                  is_default=False)
    assert snapshot() == before


def test_editor_cannot_upload_signature(editor, organisation, snapshot):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        _signature(editor, organisation)
    assert snapshot() == before
    assert Organisation.objects.count() == 1
