"""Demo data: a signatory and a default signature and stamp for the demo organisation (idempotent)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from . import images, services
from .models import Membership, Organisation, Signatory, SignatureImage


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


DEMO_ORGANISATION = {
    "legal_name": "Biedrība “Jauniešu iniciatīvu centrs”", "short_name": "JIC", "country": "LV",
    "address": "Brīvības iela 1, Rīga, LV-1010", "website": "https://example.org", "email": "info@jic.example",
    "phone": "+37167000000", "identifier": "E10000000",
}


def demo_organisation(*, owner) -> Organisation:
    """The demo organisation, with `owner` as its owner (created on the first call)."""
    fields = dict(DEMO_ORGANISATION)
    organisation, _ = Organisation.objects.get_or_create(legal_name=fields.pop("legal_name"), defaults=fields)
    Membership.objects.get_or_create(organisation=organisation, user=owner, defaults={"role": Membership.Role.OWNER})
    return organisation


def demo_owner_membership(*, email: str) -> Membership | None:
    """The membership of the demo owner (by e-mail) in an organisation they own, or None before `demo_data`."""
    return (Membership.objects.filter(user__email=email, role=Membership.Role.OWNER)
            .select_related("organisation", "user").first())


def sample_organisation() -> Organisation:
    """The organisation whose seal sample documents carry (created on the first call)."""
    organisation, _ = Organisation.objects.get_or_create(
        identifier="SAMPLE-SEAL",
        defaults={"legal_name": "Agnitio sample organisation", "country": "LV", "address": "Rīga",
                  "email": "sample@agnitio.example"},
    )
    return organisation


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
        services.signature_crop(actor=owner, signature=signature, box=None, variant="transparent")
        services.signature_update(actor=owner, signature=signature, label=label, signatory=signature.signatory,
                                  is_active=True, is_default=True)
    stdout.write("  Organisation: signatory, default signature and stamp ready.")
