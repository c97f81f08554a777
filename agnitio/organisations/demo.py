"""Demo data: a signatory and a default signature and stamp for the demo organisation (idempotent)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from . import images, services
from .models import Signatory, SignatureImage


def _png(kind: str) -> bytes:
    image = Image.new("RGB", (600, 300) if kind == "signature" else (400, 400), "white")
    draw = ImageDraw.Draw(image)
    if kind == "signature":
        draw.line([(60, 200), (160, 90), (240, 210), (330, 100), (420, 190), (540, 120)], fill=(20, 30, 110), width=7)
    else:
        draw.ellipse((40, 40, 360, 360), outline=(30, 60, 150), width=10)
        draw.ellipse((90, 90, 310, 310), outline=(30, 60, 150), width=5)
        draw.text((150, 190), "DEMO", fill=(30, 60, 150))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def load(*, owner, organisation, stdout) -> None:
    signatory = Signatory.objects.filter(organisation=organisation, full_name="Anna Bērziņa").first()
    if signatory is None:
        signatory = services.signatory_create(
            actor=owner, organisation=organisation, full_name="Anna Bērziņa", position="Valdes priekšsēdētāja",
            pages=[Signatory.Page.LEGAL_REPRESENTATIVE, Signatory.Page.PROJECT_RESPONSIBLE,
                   Signatory.Page.EUROPASS_SENDING],
        )
    for kind, label in (("signature", "Anna Bērziņa"), ("stamp", "Zīmogs")):
        if SignatureImage.objects.filter(organisation=organisation, kind=kind).exists():
            continue
        checked = images.process_upload(SimpleUploadedFile(f"{kind}.png", _png(kind)), purpose="signature")
        signature = services.signature_upload(actor=owner, organisation=organisation, kind=kind, label=label,
                                              checked=checked, signatory=signatory if kind == "signature" else None)
        services.signature_crop(actor=owner, signature=signature, box=None, remove_background=True)
        services.signature_update(actor=owner, signature=signature, label=label, signatory=signature.signatory,
                                  is_active=True, is_default=True)
    stdout.write("  Organisation: signatory, default signature and stamp ready.")
