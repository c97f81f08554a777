"""Writes about organisations: create/edit, members and invitations, signatories, signature/stamp images.

Every function checks the actor's right itself, runs in one transaction and records an audit event.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError, NotFound, PermissionDenied
from agnitio.core.ids import new_public_id
from agnitio.core.models import AuditEvent
from agnitio.core.permissions import allowed, require
from agnitio.core.services import audit_record, model_update

from . import images
from .models import Membership, Organisation, Signatory, SignatureImage

ORGANISATION_FIELDS = ["legal_name", "short_name", "country", "address", "website", "email", "phone", "identifier"]


def _require_admin(actor, organisation, perm: str = "organisations.manage_members") -> None:
    """`perm` (an owners' and admins' permission); NotFound for a stranger, PermissionDenied for another member."""
    require(actor, perm, organisation, visible="organisations.view_organisation",
            message=_("Only the organisation's owners and admins can do this."))


# --- organisations -----------------------------------------------------------


def _logo_file(checked: images.CheckedImage) -> ContentFile:
    images.logo_process(checked)  # re-encoded, if the caller has not done it yet
    return checked.file()


@transaction.atomic
def organisation_create(*, actor, data: dict, logo: images.CheckedImage | None = None) -> Organisation:
    """Create an organisation; the actor becomes its owner."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied()
    organisation = Organisation(**{field: data.get(field, "") for field in ORGANISATION_FIELDS})
    if logo is not None:
        organisation.logo = _logo_file(logo)
    try:
        organisation.full_clean()
    except ValidationError as exc:
        raise ApplicationError(
            _("Check the organisation's data: %(errors)s") % {"errors": "; ".join(exc.messages)}
        ) from exc
    organisation.save()
    membership = Membership.objects.create(organisation=organisation, user=actor, role=Membership.Role.OWNER)
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, target=organisation, organisation=organisation,
        changes={field: [None, getattr(organisation, field)] for field in [*ORGANISATION_FIELDS, "logo"]
                 if getattr(organisation, field)},
    )
    audit_record(
        actor=actor, action=AuditEvent.Action.GRANT, target=membership, organisation=organisation,
        changes={"user": [None, actor.email], "role": [None, membership.role]}, verb="owner of new organisation",
    )
    from agnitio.credentials.services import issuer_key_create_first

    issuer_key_create_first(actor=actor, organisation=organisation)  # its DID document is then complete at once
    return organisation


@transaction.atomic
def organisation_update(
    *, actor, organisation: Organisation, data: dict, logo: images.CheckedImage | None = None,
    logo_clear: bool = False,
) -> dict:
    """Change the organisation's data; returns the changed fields."""
    _require_admin(actor, organisation, "organisations.change_organisation")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    old_logo = organisation.logo.name if organisation.logo else ""
    if logo is not None:
        data = {**data, "logo": _logo_file(logo)}
    elif logo_clear and organisation.logo:
        data = {**data, "logo": ""}
    try:
        changes = model_update(instance=organisation, fields=[*ORGANISATION_FIELDS, "logo"], data=data)
    except ValidationError as exc:
        raise ApplicationError(
            _("Check the organisation's data: %(errors)s") % {"errors": "; ".join(exc.messages)}
        ) from exc
    if "logo" in changes:
        # File names, not file objects (an empty FieldFile raises on .url).
        changes["logo"] = [old_logo or None, organisation.logo.name or None]
    if changes:
        audit_record(
            actor=actor, action=AuditEvent.Action.UPDATE, target=organisation, organisation=organisation,
            changes=changes,
        )
    if "logo" in changes and old_logo:
        storage = organisation.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    return changes


# --- members -----------------------------------------------------------------


def _owner_count(organisation) -> int:
    return Membership.objects.filter(organisation=organisation, role=Membership.Role.OWNER).count()


def _lock_members(organisation) -> None:
    """Serialise membership changes of one organisation (last-owner rule)."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()


@transaction.atomic
def membership_role_change(*, actor, membership: Membership, role: str) -> Membership:
    organisation = membership.organisation
    _require_admin(actor, organisation)
    if role not in Membership.Role.values:
        raise ApplicationError(_("Choose one of the roles: owner, admin or editor."))
    _lock_members(organisation)
    membership = Membership.objects.select_related("user").get(pk=membership.pk)
    if membership.role == role:
        return membership
    owner_involved = Membership.Role.OWNER in (role, membership.role)
    if owner_involved and not allowed(actor, "organisations.grant_owner", organisation):
        raise PermissionDenied(_("Only an owner can make someone an owner or change an owner's role."))
    if membership.role == Membership.Role.OWNER and _owner_count(organisation) <= 1:
        raise ApplicationError(
            _("%(name)s is the organisation's only owner. Make someone else an owner first.")
            % {"name": membership.user.display_name},
            code="last_owner",
        )
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, target=membership, organisation=organisation,
        changes={"role": [old, role]}, verb="role changed",
    )
    return membership


@transaction.atomic
def membership_revoke(*, actor, membership: Membership) -> None:
    """Remove a person's access (effective on their next request). Members may also remove themselves."""
    organisation = membership.organisation
    leaving = membership.user_id == getattr(actor, "pk", None)
    if not leaving:
        _require_admin(actor, organisation)
    _lock_members(organisation)
    current = Membership.objects.select_related("user").filter(pk=membership.pk).first()
    if current is None:
        raise NotFound()
    membership = current
    if membership.role == Membership.Role.OWNER:
        if not leaving and not allowed(actor, "organisations.grant_owner", organisation):
            raise PermissionDenied(_("Only an owner can remove another owner."))
        if _owner_count(organisation) <= 1:
            raise ApplicationError(
                _("%(name)s is the organisation's only owner and cannot be removed. Make someone else an owner first.")
                % {"name": membership.user.display_name},
                code="last_owner",
            )
    audit_record(
        actor=actor, action=AuditEvent.Action.REVOKE, target=membership, organisation=organisation,
        changes={"user": [membership.user.email, None], "role": [membership.role, None]},
        verb="left" if leaving else "access revoked",
    )
    membership.delete()


# --- invitations (the invitations app; the kind is in invitation_kinds) -------


def membership_grant_invited(*, organisation: Organisation, user, role: str) -> Membership:
    """Inside an invitation's accepting transaction (the invitations app checked the token and audits the grant):
    make `user` a member with `role`, or keep the membership they already have."""
    if role not in Membership.Role.values or role == Membership.Role.OWNER:
        raise ApplicationError(_("Choose one of the roles: admin or editor."))
    membership, _created = Membership.objects.get_or_create(organisation=organisation, user=user,
                                                            defaults={"role": role})
    return membership


def membership_invite(
    *, actor, organisation: Organisation, email: str, full_name: str, role: str, language: str
) -> tuple:
    """Invite a person by e-mail to join with `role`; returns the invitation and the one-time token."""
    from agnitio.invitations.services import invitation_send

    from .invitation_kinds import MEMBER

    return invitation_send(actor=actor, kind=MEMBER, organisation=organisation, target=organisation, email=email,
                           full_name=full_name, language=language, payload={"role": role})


# --- signatories -------------------------------------------------------------

SIGNATORY_FIELDS = ["full_name", "position", "pages", "is_active"]


def _clean_pages(pages) -> list[str]:
    pages = list(dict.fromkeys(pages or []))
    unknown = [p for p in pages if p not in Signatory.Page.values]
    if unknown:
        raise ApplicationError(_("Unknown page: %(pages)s.") % {"pages": ", ".join(unknown)})
    return pages


@transaction.atomic
def signatory_create(
    *, actor, organisation: Organisation, full_name: str, position: str, pages: list[str], is_active: bool = True
) -> Signatory:
    _require_admin(actor, organisation, "organisations.manage_signatures")
    signatory = Signatory(
        organisation=organisation, full_name=full_name.strip(), position=position.strip(), pages=_clean_pages(pages),
        is_active=is_active,
    )
    try:
        signatory.full_clean()
    except ValidationError as exc:
        raise ApplicationError("; ".join(exc.messages)) from exc
    signatory.save()
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, target=signatory, organisation=organisation,
        changes={f: [None, getattr(signatory, f)] for f in SIGNATORY_FIELDS},
    )
    return signatory


@transaction.atomic
def signatory_update(*, actor, signatory: Signatory, data: dict) -> dict:
    _require_admin(actor, signatory.organisation, "organisations.manage_signatures")
    data = dict(data)
    if "pages" in data:
        data["pages"] = _clean_pages(data["pages"])
    for key in ("full_name", "position"):
        if key in data:
            data[key] = data[key].strip()
    try:
        changes = model_update(instance=signatory, fields=SIGNATORY_FIELDS, data=data)
    except ValidationError as exc:
        raise ApplicationError("; ".join(exc.messages)) from exc
    if changes:
        audit_record(
            actor=actor, action=AuditEvent.Action.UPDATE, target=signatory, organisation=signatory.organisation,
            changes=changes,
        )
    return changes


@transaction.atomic
def signatory_delete(*, actor, signatory: Signatory) -> None:
    _require_admin(actor, signatory.organisation, "organisations.manage_signatures")
    audit_record(
        actor=actor, action=AuditEvent.Action.DELETE, target=signatory, organisation=signatory.organisation,
        changes={f: [getattr(signatory, f), None] for f in SIGNATORY_FIELDS},
    )
    signatory.delete()


# --- signature and stamp images ---------------------------------------------


def _check_signatory(signatory, organisation) -> None:
    if signatory is not None and signatory.organisation_id != organisation.pk:
        raise NotFound()


@transaction.atomic
def signature_upload(
    *, actor, organisation: Organisation, kind: str, label: str, checked: images.CheckedImage,
    signatory: Signatory | None = None,
) -> SignatureImage:
    """Store a checked signature/stamp image (re-encoded as PNG). It is inactive until cropped and activated."""
    _require_admin(actor, organisation, "organisations.manage_signatures")
    _check_signatory(signatory, organisation)
    if kind not in SignatureImage.Kind.values:
        raise ApplicationError(_("Choose whether the image is a signature or a stamp."))
    if checked.format not in ("PNG", "JPEG"):
        raise ApplicationError(_("Signatures and stamps must be PNG or JPEG images."))
    width, height = checked.size
    signature = SignatureImage(
        organisation=organisation, kind=kind, label=label.strip(), signatory=signatory,
        original_width=width, original_height=height, uploaded_by=actor,
    )
    if not checked.content:
        images.finish(checked, purpose="signature")
    original = checked.file(suffix="-original")
    signature.original.save(str(original.name), ContentFile(checked.content), save=False)
    signature.full_clean()
    signature.save()
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, target=signature, organisation=organisation,
        changes={"kind": [None, kind], "label": [None, signature.label],
                 "signatory": [None, str(signatory) if signatory else None],
                 "original": [None, signature.original.name],
                 "size": [None, f"{width}×{height}"]},
    )
    return signature


def _check_box(signature: SignatureImage, box: images.Box | None) -> None:
    try:
        images.check_crop_box(box, size=(signature.original_width, signature.original_height))
    except ValidationError as exc:
        raise ApplicationError(exc.messages[0], code="bad_crop") from exc


def _check_variant(variant: str) -> None:
    if variant not in images.VARIANTS:
        raise ApplicationError(_("Choose one of the four variants."), code="variant")


def _render(signature: SignatureImage, *, box: images.Box, variant: str) -> None:
    """The processed image (the selected part in the variant) replaces the previous one; the previous file is
    deleted once the change is committed."""
    data = images.signature_render(signature.original, box=box, variant=variant)
    old = signature.image_cropped.name if signature.image_cropped else ""
    signature.image_cropped.save(f"{new_public_id()}.png", ContentFile(data), save=False)
    if old:
        storage = signature.image_cropped.storage
        transaction.on_commit(lambda: storage.delete(old))


@transaction.atomic
def signature_crop(
    *, actor, signature: SignatureImage, box: images.Box | None, variant: str | None = None,
) -> SignatureImage:
    """Step 2 of 3: the selected part (x, y, width, height in the original's pixels; None = the whole image). The
    processed image is remade from it in the image's variant (or `variant`), so an active image changes with it."""
    _require_admin(actor, signature.organisation, "organisations.manage_signatures")
    signature = SignatureImage.objects.select_for_update().get(pk=signature.pk)
    _check_box(signature, box)
    variant = variant or signature.variant
    _check_variant(variant)
    before = {"crop": list(signature.crop_box) if signature.crop_box else None, "variant": signature.variant}
    box = box or (0, 0, signature.original_width, signature.original_height)
    _render(signature, box=box, variant=variant)
    signature.crop_x, signature.crop_y, signature.crop_width, signature.crop_height = box
    signature.variant = variant
    signature.save()
    changes = {"crop": [before["crop"], list(box)]}
    if before["variant"] != variant:
        changes["variant"] = [before["variant"], variant]
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=signature, organisation=signature.organisation,
                 changes=changes, verb="image cropped")
    return signature


def _make_default(actor, signature: SignatureImage) -> None:
    """`signature` becomes its kind's default: the previous default of that kind stops being one (audited)."""
    previous = SignatureImage.objects.select_for_update().filter(
        organisation=signature.organisation, kind=signature.kind, is_default=True
    ).exclude(pk=signature.pk)
    for other in previous:
        other.is_default = False
        other.save(update_fields=["is_default", "updated_at"])
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=other, organisation=signature.organisation,
                     changes={"is_default": [True, False]})


@transaction.atomic
def signature_activate(
    *, actor, signature: SignatureImage, variant: str, is_default: bool = False,
) -> SignatureImage:
    """Step 3 of 3: the selected part (the whole image if none was selected) in the chosen variant becomes the image
    documents carry, and it is activated; as the default of its kind it is placed automatically."""
    organisation = signature.organisation
    _require_admin(actor, organisation, "organisations.manage_signatures")
    signature = SignatureImage.objects.select_for_update().get(pk=signature.pk)
    _check_variant(variant)
    before = {"variant": signature.variant, "is_active": signature.is_active, "is_default": signature.is_default}
    box = signature.crop_box or (0, 0, signature.original_width, signature.original_height)
    if is_default and not signature.is_default:
        _make_default(actor, signature)
    _render(signature, box=box, variant=variant)
    signature.crop_x, signature.crop_y, signature.crop_width, signature.crop_height = box
    signature.variant, signature.is_active, signature.is_default = variant, True, is_default
    signature.save()
    after = {"variant": variant, "is_active": True, "is_default": is_default}
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=signature, organisation=organisation,
                 changes={key: [before[key], after[key]] for key in after}, verb="variant chosen and activated")
    return signature


@transaction.atomic
def signature_update(
    *, actor, signature: SignatureImage, label: str, signatory: Signatory | None, is_active: bool, is_default: bool,
) -> dict:
    """Label, signatory, activation and default choice. Only one default per kind: setting it clears the others."""
    organisation = signature.organisation
    _require_admin(actor, organisation, "organisations.manage_signatures")
    _check_signatory(signatory, organisation)
    signature = SignatureImage.objects.select_for_update().get(pk=signature.pk)
    if (is_active or is_default) and not signature.image_cropped:
        raise ApplicationError(_("Select the part of the image to use first; then you can activate it."),
                               code="not_cropped")
    if is_default and not is_active:
        raise ApplicationError(_("Only an active image can be the default. Tick “active” as well."),
                               code="default_inactive")
    if is_default and not signature.is_default:
        _make_default(actor, signature)
    changes = model_update(
        instance=signature, fields=["label", "signatory", "is_active", "is_default"],
        data={"label": label.strip(), "signatory": signatory, "is_active": is_active, "is_default": is_default},
    )
    if changes:
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=signature, organisation=organisation,
                     changes=changes)
    return changes


@transaction.atomic
def signature_delete(*, actor, signature: SignatureImage) -> None:
    _require_admin(actor, signature.organisation, "organisations.manage_signatures")
    audit_record(
        actor=actor, action=AuditEvent.Action.DELETE, target=signature, organisation=signature.organisation,
        changes={"label": [signature.label, None], "kind": [signature.kind, None],
                 "variant": [signature.variant, None]},
    )
    files = [f for f in (signature.original, signature.image_cropped) if f]
    names = [(f.storage, f.name) for f in files if f.name]

    def delete_files() -> None:
        for storage, name in names:
            storage.delete(name)

    signature.delete()
    transaction.on_commit(delete_files)


@transaction.atomic
def organisation_identity_verify(*, actor, organisation: Organisation, verified: bool) -> Organisation:
    """Platform staff (the national agency) confirm, or withdraw, that an organisation is who its legal name says.
    Verification pages, issuer profiles and wallets show it. Only staff may do it; audited."""
    if not (getattr(actor, "is_authenticated", False) and actor.is_active and actor.is_staff):
        raise PermissionDenied(_("Only platform staff may verify an organisation's identity."))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = organisation.identity_verified_at
    if verified == (before is not None):
        return organisation
    organisation.identity_verified_at = timezone.now() if verified else None
    organisation.identity_verified_by = actor if verified else None
    organisation.save(update_fields=["identity_verified_at", "identity_verified_by", "updated_at"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=organisation, organisation=organisation,
                 verb="organisation_identity_verify" if verified else "organisation_identity_unverify",
                 changes={"identity_verified_at": [before, organisation.identity_verified_at]})
    return organisation
