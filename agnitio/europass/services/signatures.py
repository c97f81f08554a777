"""Signatures and stamps on Europass documents (seed 002 "Ievietot savu parakstu un/vai iestādes zīmogu"; issue 12,
point 10). The sending institution's signatures are its organisation's (`organisations` upload → crop → variant →
activate, and its default); here they are chosen per document. A host stores its own through the same flow and the
same image processing (`organisations.images`): upload (step 1 of 3), select the part to use (step 2), choose one of
the four variants and activate it (step 3); its default is placed automatically on its documents.
What the PDF places is `selectors_access.document_signature_images`."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError, NotFound, PermissionDenied
from agnitio.core.ids import new_public_id
from agnitio.core.models import AuditEvent
from agnitio.core.permissions import require
from agnitio.core.services import audit_record
from agnitio.organisations import images

from ..models import DocumentSignatureChoice, HostSignature, MobilityDocument
from ._common import clean_text, validation_messages
from .access import actor_label

HOST_SIGNATURES_MAX = 20  # a host's stored signature and stamp images (each an original kept beside its variant)


def _own(actor, signature: HostSignature) -> HostSignature:
    """The host's own image, locked; NotFound for anybody else's (as if it did not exist)."""
    if signature.user_id != getattr(actor, "pk", None):
        raise NotFound()
    return HostSignature.objects.select_for_update().get(pk=signature.pk)


def _check_box(signature: HostSignature, box: images.Box | None) -> None:
    try:
        images.check_crop_box(box, size=(signature.original_width, signature.original_height))
    except ValidationError as exc:
        raise ApplicationError(exc.messages[0], code="bad_crop") from exc


def _render(signature: HostSignature, *, box: images.Box, variant: str) -> None:
    """The processed image (the selected part in the variant) replaces the previous one, whose file is deleted once
    the change is committed."""
    data = images.signature_render(signature.original, box=box, variant=variant)
    old = signature.image.name if signature.image else ""
    signature.image.save(f"{new_public_id()}.png", ContentFile(data), save=False)
    if old:
        storage = signature.image.storage
        transaction.on_commit(lambda: storage.delete(old))


@transaction.atomic
def host_signature_upload(*, actor, kind: str, label: str, upload) -> HostSignature:
    """Step 1 of 3: the host's image, checked by content and re-encoded without metadata."""
    from ..selectors_access import is_host_account

    if not is_host_account(actor=actor):
        raise NotFound()
    if kind not in HostSignature.Kind.values:
        raise ApplicationError(_("Choose whether the image is a signature or a stamp."), code="kind")
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()  # one count of the host's at a time
    if HostSignature.objects.filter(user=actor).count() >= HOST_SIGNATURES_MAX:
        raise ApplicationError(_("You can keep at most %(n)d signature and stamp images. Delete one you no longer "
                                 "use, then upload the new one.") % {"n": HOST_SIGNATURES_MAX}, code="too_many")
    label = clean_text(label, label=_("label"), max_length=200) or str(HostSignature.Kind(kind).label)
    try:
        checked = images.process_upload(upload, purpose="signature")
    except ValidationError as exc:
        raise ApplicationError(validation_messages(exc), code="image") from exc
    signature = HostSignature(user=actor, kind=kind, label=label)
    signature.original_width, signature.original_height = checked.size
    signature.original.save(f"{new_public_id()}.png", ContentFile(checked.content), save=False)
    signature.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=signature,
                 changes={"kind": [None, kind], "label": [None, label],
                          "size": [None, f"{signature.original_width}×{signature.original_height}"]},
                 verb="host signature uploaded")
    return signature


@transaction.atomic
def host_signature_crop(*, actor, signature: HostSignature, box: images.Box | None) -> HostSignature:
    """Step 2 of 3: the selected part (x, y, width, height in the original's pixels; None = the whole image). An
    image already activated is remade from it in its variant, so what the documents carry follows the selection."""
    signature = _own(actor, signature)
    _check_box(signature, box)
    before = list(signature.crop_box) if signature.crop_box else None
    box = box or (0, 0, signature.original_width, signature.original_height)
    if signature.image and signature.variant in images.VARIANTS:
        _render(signature, box=box, variant=signature.variant)
    signature.crop_x, signature.crop_y, signature.crop_width, signature.crop_height = box
    signature.save()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=signature,
                 changes={"crop": [before, list(box)]}, verb="host signature cropped")
    return signature


@transaction.atomic
def host_signature_activate(*, actor, signature: HostSignature, variant: str, is_default: bool = True
                            ) -> HostSignature:
    """Step 3 of 3: the selected part (the whole image if none was selected) in the chosen variant becomes the image
    used; the default (one per kind) is placed automatically on the host's documents."""
    signature = _own(actor, signature)
    if variant not in images.VARIANTS:
        raise ApplicationError(_("Choose one of the four variants."), code="variant")
    before = {"variant": signature.variant or None, "is_default": signature.is_default,
              "crop": list(signature.crop_box) if signature.crop_box else None}
    box = signature.crop_box or (0, 0, signature.original_width, signature.original_height)
    _render(signature, box=box, variant=variant)
    signature.crop_x, signature.crop_y, signature.crop_width, signature.crop_height = box
    signature.variant = variant
    if is_default:
        HostSignature.objects.filter(user=actor, kind=signature.kind, is_default=True).exclude(
            pk=signature.pk).update(is_default=False)
    signature.is_default = is_default
    signature.save()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=signature,
                 changes={"variant": [before["variant"], variant], "crop": [before["crop"], list(box)],
                          "is_default": [before["is_default"], is_default]}, verb="host signature activated")
    return signature


@transaction.atomic
def host_signature_delete(*, actor, signature: HostSignature) -> None:
    """The host's image goes (its files once committed); documents that carried it carry the host's default."""
    signature = _own(actor, signature)
    audit_record(actor=actor, action=AuditEvent.Action.DELETE, target=signature,
                 changes={"kind": [signature.kind, None], "label": [signature.label, None],
                          "variant": [signature.variant or None, None]}, verb="host signature deleted")
    names = [(f.storage, f.name) for f in (signature.original, signature.image) if f and f.name]

    def delete_files() -> None:
        for storage, name in names:
            storage.delete(name)

    signature.delete()
    transaction.on_commit(delete_files)


def _choice(document: MobilityDocument) -> DocumentSignatureChoice:
    choice, _created = DocumentSignatureChoice.objects.select_for_update().get_or_create(document=document)
    return choice


@transaction.atomic
def document_signature_choose(*, actor, document: MobilityDocument, signature_id: str = "",
                              stamp_id: str = "") -> DocumentSignatureChoice:
    """The sending institution chooses, for this document, which of its active signatures and stamps it carries
    (empty: its default, placed automatically)."""
    from agnitio.organisations.selectors import signature_get

    require(actor, "europass.choose_document_signature", document)
    institution = document.institution
    if institution is None:
        raise ApplicationError(_("Signatures are stored by a sending institution."), code="no_institution")
    organisation = institution.organisation
    choice = _choice(document)
    changes = {}
    for kind, public_id in (("signature", signature_id), ("stamp", stamp_id)):
        chosen = None
        if public_id:
            chosen = signature_get(actor=actor, organisation=organisation, public_id=public_id)
            if chosen.kind != kind or not chosen.is_active or not chosen.image_cropped:
                raise ApplicationError(_("Choose an active %(kind)s.") % {"kind": chosen.get_kind_display()},
                                       code="inactive")
        name = f"sending_{kind}"
        before = getattr(choice, f"{name}_id")
        if before != (chosen.pk if chosen else None):
            changes[name] = [before, chosen.public_id if chosen else None]
            setattr(choice, name, chosen)
    if changes:
        choice.save()
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=document, organisation=organisation,
                     changes=changes, verb="signature chosen")
    return choice


@transaction.atomic
def document_host_signature_choose(*, actor, document: MobilityDocument, signature: HostSignature | None,
                                   kind: str = "signature") -> DocumentSignatureChoice:
    """The host chooses which of its own stored signatures (or stamps) this document carries (None: its default)."""
    require(actor, "europass.sign_document_as_host", document)
    if kind not in HostSignature.Kind.values:
        raise ApplicationError(_("Choose whether the image is a signature or a stamp."), code="kind")
    if signature is not None and (signature.user_id != actor.pk or signature.kind != kind):
        raise PermissionDenied(_("Choose one of your own images of this kind."))
    if signature is not None and not signature.image:
        raise ApplicationError(_("Select the part of the image and a variant first."), code="not_cropped")
    choice = _choice(document)
    name = f"host_{kind}"
    before = getattr(choice, f"{name}_id")
    if before != (signature.pk if signature else None):
        setattr(choice, name, signature)
        choice.save()
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=document,
                     organisation=document.institution.organisation if document.institution else None,
                     changes={name: [before, signature.public_id if signature else None]},
                     verb="host signature chosen", actor_label=actor_label(actor, document))
    return choice
