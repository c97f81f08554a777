"""Signatures and stamps on Europass documents (seed 002 "Ievietot savu parakstu un/vai iestādes zīmogu"; issue 12,
point 10). The sending institution's signatures are its organisation's (`organisations` upload → crop → activate, and
its default); here they are chosen per document. A host stores its own: upload (step 1 of 3), select the part to use
(step 2), choose one of the variants and activate it (step 3); its default is placed automatically on its documents.
What the PDF places is `selectors_access.document_signature_images`."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError, NotFound, PermissionDenied
from agnitio.core.ids import new_public_id
from agnitio.core.models import AuditEvent
from agnitio.core.permissions import require
from agnitio.core.services import audit_record

from ..models import DocumentSignatureChoice, HostSignature, MobilityDocument
from ._common import clean_text, validation_messages

# The four variants offered after cropping (seed 002: "jums tiks piedāvāti četri varianti").
VARIANTS = ("original", "transparent", "black", "blue")
_INK = {"black": (20, 20, 20), "blue": (16, 52, 166)}


def signature_variant(original_png: bytes, *, box: tuple[int, int, int, int] | None, variant: str) -> bytes:
    """One variant of the selected part: as it is, on a transparent background, or in black or blue ink."""
    from PIL import Image

    from agnitio.organisations import images

    if variant not in VARIANTS:
        raise ApplicationError(_("Choose one of the variants."), code="variant")
    with Image.open(io.BytesIO(original_png), formats=["PNG"]) as image:
        image.load()
        data = images.signature_crop(image, box=box, remove_background=variant != "original")
    if variant in _INK:
        with Image.open(io.BytesIO(data)) as cropped:
            alpha = cropped.convert("RGBA").getchannel("A")
            inked = Image.new("RGBA", cropped.size, (*_INK[variant], 255))
            inked.putalpha(alpha)
            data = images.encode(inked, fmt="PNG")
    return data


def _check_box(signature: HostSignature, box: tuple[int, int, int, int] | None) -> None:
    if box is None:
        return
    x, y, w, h = box
    if min(x, y) < 0 or w < 8 or h < 8 or x + w > signature.original_width or y + h > signature.original_height:
        raise ApplicationError(_("The selected area must be at least 8 × 8 pixels and inside the image "
                                 "(%(width)s × %(height)s pixels).") % {"width": signature.original_width,
                                                                        "height": signature.original_height},
                               code="bad_crop")


@transaction.atomic
def host_signature_upload(*, actor, kind: str, label: str, upload) -> HostSignature:
    """Step 1 of 3: the host's image, checked by content and re-encoded without metadata."""
    from agnitio.organisations import images

    from ..selectors_access import is_host_account

    if not is_host_account(actor=actor):
        raise NotFound()
    if kind not in HostSignature.Kind.values:
        raise ApplicationError(_("Choose whether the image is a signature or a stamp."), code="kind")
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
                 changes={"kind": [None, kind], "label": [None, label]}, verb="host signature uploaded")
    return signature


@transaction.atomic
def host_signature_activate(*, actor, signature: HostSignature, box: tuple[int, int, int, int] | None,
                            variant: str, is_default: bool = True) -> HostSignature:
    """Steps 2 and 3: the selected part in the chosen variant becomes the image used; the default (one per kind) is
    placed automatically on the host's documents."""
    if signature.user_id != getattr(actor, "pk", None):
        raise NotFound()
    signature = HostSignature.objects.select_for_update().get(pk=signature.pk)
    _check_box(signature, box)
    with signature.original.open("rb") as fh:
        data = signature_variant(fh.read(), box=box, variant=variant)
    old = signature.image.name if signature.image else ""
    signature.image.save(f"{new_public_id()}.png", ContentFile(data), save=False)
    signature.variant = variant
    if is_default:
        HostSignature.objects.filter(user=actor, kind=signature.kind, is_default=True).exclude(
            pk=signature.pk).update(is_default=False)
    signature.is_default = is_default
    signature.save()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=signature,
                 changes={"variant": [None, variant], "crop": [None, list(box) if box else None],
                          "is_default": [None, is_default]}, verb="host signature activated")
    if old:
        storage = signature.image.storage
        transaction.on_commit(lambda: storage.delete(old))
    return signature


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
                     verb="host signature chosen")
    return choice
