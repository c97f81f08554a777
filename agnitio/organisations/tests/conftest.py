import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(width=200, height=100, fmt="PNG", color=(20, 20, 120), mode="RGB") -> bytes:
    out = io.BytesIO()
    image = Image.new(mode, (width, height), color)
    if mode == "RGB":
        # white "paper" with a dark stroke, like a scanned signature
        image.paste((255, 255, 255), (0, 0, width, height))
        image.paste(color, (width // 4, height // 3, 3 * width // 4, height // 3 + 4))
    image.save(out, format=fmt)
    return out.getvalue()


def upload(name="image.png", data=None, content_type="image/png"):
    return SimpleUploadedFile(name, image_bytes() if data is None else data, content_type=content_type)


@pytest.fixture
def snapshot(db):
    """Everything a denied request must leave untouched."""
    from agnitio.core.models import AuditEvent
    from agnitio.invitations.models import Invitation
    from agnitio.notifications.models import OutboxEmail
    from agnitio.organisations.models import Membership, Organisation, Signatory, SignatureImage

    def take():
        return {
            "organisations": list(Organisation.objects.order_by("pk").values()),
            "memberships": list(Membership.objects.order_by("pk").values("pk", "organisation_id", "user_id", "role")),
            "invitations": list(Invitation.objects.order_by("pk").values()),
            "signatories": list(Signatory.objects.order_by("pk").values()),
            "signatures": list(SignatureImage.objects.order_by("pk").values()),
            "audit": AuditEvent.objects.count(),
            "outbox": OutboxEmail.objects.count(),
        }

    return take


@pytest.fixture
def client_for(client):
    def _as(user):
        client.force_login(user)
        return client

    return _as


# A scan of a signature: white paper with a dark red stroke (so each variant's ink is told apart from the original).
STROKE = (150, 40, 40)


def assert_variant(image, variant: str, *, stroke: tuple[int, int], paper: tuple[int, int]) -> None:
    """The pixels of a processed signature (a PIL image, or PNG bytes/a stored file) are those of `variant`: as
    uploaded (white paper opaque), transparent (paper transparent, ink as it was), black ink (dark) or blue ink."""
    if isinstance(image, bytes | bytearray):
        image = Image.open(io.BytesIO(image))
    elif not isinstance(image, Image.Image):
        with image.open("rb") as handle:
            image = Image.open(io.BytesIO(handle.read()))
    assert image.format in (None, "PNG") and image.mode == "RGBA", (image.format, image.mode)
    ink, background = image.getpixel(stroke), image.getpixel(paper)
    assert ink[3] == 255, ink  # every variant keeps the stroke opaque
    if variant == "original":
        assert background == (255, 255, 255, 255) and ink[:3] == STROKE, (ink, background)
        return
    assert background[3] == 0, background  # the paper became transparent
    if variant == "transparent":
        assert ink[:3] == STROKE, ink
    elif variant == "black":
        assert max(ink[:3]) <= 40, ink  # dark
    elif variant == "blue":
        red, green, blue = ink[:3]
        assert blue >= 140 and red <= 40 and green <= 80, ink  # blue
    else:
        raise AssertionError(f"unknown variant {variant}")
