"""Every uploaded image goes through `process_upload` here: logos (organisations and projects), signature and
stamp images; and the one way a signature or stamp is cropped into one of its four variants (`signature_variant`),
for a sending institution and a host alike.

Files are judged by their content (Pillow), never by their name or the browser's content type:
byte size first, then the format and the pixel count read from the header (before decoding, so a
decompression bomb is rejected without being expanded), then a full decode. What is stored is a
re-encoded copy (metadata dropped, EXIF orientation applied), so what the browser shows and the
coordinates a user selects match the stored pixels. The copy carries no metadata at all (EXIF with GPS, XMP,
ICC profiles — colours converted to sRGB first —, text chunks, comments), is PNG (or JPEG for a logo
without transparency that came as JPEG) and is stored under a random name whose extension and content type come
from the re-encoded format, never from the upload.
"""

from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageChops, ImageCms, ImageOps

FORMAT_NAMES = {"PNG": "PNG", "JPEG": "JPEG", "WEBP": "WebP"}
EXTENSIONS = {"PNG": "png", "JPEG": "jpg"}
# What each kind of upload accepts, and the longest side it is stored with (None: as uploaded).
PURPOSES = {
    "logo": {"formats": ("PNG", "JPEG", "WEBP"), "limits": "logo", "max_side": "ORGANISATION_LOGO_MAX_SIDE"},
    "signature": {"formats": ("PNG", "JPEG"), "limits": "signature", "max_side": None},
}


def logo_limits() -> tuple[int, int]:
    return settings.ORGANISATION_LOGO_MAX_BYTES, settings.ORGANISATION_LOGO_MAX_PIXELS


def signature_limits() -> tuple[int, int]:
    return settings.SIGNATURE_IMAGE_MAX_BYTES, settings.SIGNATURE_IMAGE_MAX_PIXELS


@dataclass
class CheckedImage:
    image: Image.Image  # decoded, orientation applied, metadata dropped
    format: str  # the real format found in the content
    content: bytes = b""  # the re-encoded file that is stored (set by process_upload)
    stored_format: str = "PNG"

    @property
    def size(self) -> tuple[int, int]:
        return self.image.size

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.stored_format]

    def file(self, *, suffix: str = "") -> ContentFile:
        """The re-encoded bytes under a new random name (the uploaded name is never used)."""
        return ContentFile(self.content, name=f"{secrets.token_urlsafe(18)}{suffix}.{self.extension}")


def process_upload(upload, *, purpose: str) -> CheckedImage:
    """THE path of every uploaded image: size, format and pixel checks by content (see `check_image`), then a
    re-encoded, metadata-free copy ready to store. Raises ValidationError (translated, says how to fix it)."""
    rules = PURPOSES[purpose]
    max_bytes, max_pixels = logo_limits() if rules["limits"] == "logo" else signature_limits()
    checked = check_image(upload, formats=rules["formats"], max_bytes=max_bytes, max_pixels=max_pixels)
    return finish(checked, purpose=purpose)


def finish(checked: CheckedImage, *, purpose: str) -> CheckedImage:
    """Scale (logos) and re-encode a checked image into the bytes that are stored."""
    rules = PURPOSES[purpose]
    image = checked.image
    if rules["max_side"]:
        longest = getattr(settings, rules["max_side"])
        if max(image.size) > longest:
            image = image.copy()
            image.thumbnail((longest, longest), Image.Resampling.LANCZOS)
    fmt = "JPEG" if purpose == "logo" and checked.format == "JPEG" and not _has_alpha(image) else "PNG"
    checked.image = image
    checked.stored_format = fmt
    checked.content = encode(image, fmt=fmt)
    return checked


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def _to_srgb(image: Image.Image) -> Image.Image:
    """Colours as the embedded ICC profile meant them, in sRGB, so the profile can be dropped."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


def _read(upload, max_bytes: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s. Save it smaller (e.g. at a lower resolution) "
              "and upload it again.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
            code="file_too_large",
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            _("The file is larger than the limit of %(limit)s. Save it smaller and upload it again.")
            % {"limit": filesizeformat(max_bytes)},
            code="file_too_large",
        )
    if not data:
        raise ValidationError(_("The file is empty. Choose the image file again."), code="empty")
    return data


def check_image(upload, *, formats: tuple[str, ...], max_bytes: int, max_pixels: int) -> CheckedImage:
    """Validate an uploaded image by its content; return it decoded. Raises ValidationError with a fix-it message."""
    data = _read(upload, max_bytes)
    allowed = ", ".join(FORMAT_NAMES[f] for f in formats)
    not_image = ValidationError(
        _("This file is not a %(formats)s image (whatever its name says). Export the image as %(formats)s "
          "and upload it again.")
        % {"formats": allowed},
        code="invalid_image",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=list(formats))
        except Image.DecompressionBombError as exc:
            raise _too_many_pixels(max_pixels) from exc
        except Image.DecompressionBombWarning as exc:
            raise _too_many_pixels(max_pixels) from exc
        except (OSError, SyntaxError, ValueError) as exc:
            raise not_image from exc
        if image.format not in formats:
            raise not_image
        width, height = image.size
        if width < 1 or height < 1:
            raise not_image
        if width * height > max_pixels:
            # Decided from the header alone: the pixels are never decoded.
            raise _too_many_pixels(max_pixels, width=width, height=height)
        try:
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _too_many_pixels(max_pixels) from exc
        except (OSError, SyntaxError, ValueError) as exc:
            raise ValidationError(
                _("The image could not be read; the file may be damaged or cut short. Save it again and upload it."),
                code="damaged_image",
            ) from exc
    real_format = image.format
    image = _to_srgb(ImageOps.exif_transpose(image))
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    image.info = {}  # EXIF (GPS), XMP, ICC, text chunks, comments: none of it is kept
    return CheckedImage(image=image, format=real_format)


def _too_many_pixels(max_pixels: int, *, width: int | None = None, height: int | None = None) -> ValidationError:
    megapixels = f"{max_pixels / 1_000_000:.0f}"
    if width and height:
        return ValidationError(
            _("The image is %(width)s × %(height)s pixels; at most %(mp)s million pixels are accepted. "
              "Scale it down and upload it again.") % {"width": width, "height": height, "mp": megapixels},
            code="too_many_pixels",
        )
    return ValidationError(
        _("The image has too many pixels (possibly a decompression bomb); at most %(mp)s million pixels are "
          "accepted. Scale it down and upload it again.") % {"mp": megapixels},
        code="too_many_pixels",
    )


def encode(image: Image.Image, *, fmt: str = "PNG") -> bytes:
    """Re-encode (drops metadata and anything hidden after the image data)."""
    out = io.BytesIO()
    image = image.copy()
    image.info = {}
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=90, optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def logo_process(checked: CheckedImage) -> tuple[bytes, str]:
    """Logo as stored (from `process_upload(..., purpose="logo")`). Returns (bytes, extension)."""
    if not checked.content:
        finish(checked, purpose="logo")
    return checked.content, checked.extension


# --- signatures and stamps: select the part to use, then one of four variants -------------------------------------
# The same for a sending institution's images (organisations.SignatureImage) and a host's own (europass.HostSignature):
# seed 002 "Ievietot savu parakstu un/vai iestādes zīmogu" — upload (step 1 of 3), select the part to use (step 2),
# "jums tiks piedāvāti četri varianti": choose one and activate it (step 3).

VARIANTS = ("original", "transparent", "black", "blue")
VARIANT_LABELS = {"original": gettext_lazy("as uploaded"), "transparent": gettext_lazy("transparent background"),
                  "black": gettext_lazy("black ink"), "blue": gettext_lazy("blue ink")}
INK = {"black": (20, 20, 20), "blue": (16, 52, 166)}
MIN_CROP_SIDE = 8

Box = tuple[int, int, int, int]


def check_crop_box(box: Box | None, *, size: tuple[int, int]) -> None:
    """The selected area (x, y, width, height in the original's pixels; None = the whole image) lies inside the
    image and is at least 8 × 8 pixels. Raises ValidationError (code "bad_crop") saying how to fix it."""
    if box is None:
        return
    x, y, w, h = box
    width, height = size
    if min(x, y) < 0 or w < MIN_CROP_SIDE or h < MIN_CROP_SIDE:
        raise ValidationError(_("Select an area of at least 8 × 8 pixels, starting inside the image."),
                              code="bad_crop")
    if x + w > width or y + h > height:
        raise ValidationError(
            _("The selected area goes outside the image (%(width)s × %(height)s pixels). Make it smaller or move it.")
            % {"width": width, "height": height},
            code="bad_crop",
        )


def _crop(image: Image.Image, *, box: Box | None, remove_background: bool, max_side: int) -> Image.Image:
    if box is not None:
        x, y, w, h = box
        image = image.crop((x, y, x + w, y + h))
    image = image.convert("RGBA")
    if remove_background:
        lightness = image.convert("L")
        alpha_from_paper = lightness.point(lambda v: 0 if v >= 235 else 255 if v <= 180 else int((235 - v) * 255 / 55))
        image.putalpha(ImageChops.multiply(image.getchannel("A"), alpha_from_paper))
    if max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return image


def signature_crop(
    image: Image.Image, *, box: Box | None, remove_background: bool, max_side: int = 1600
) -> bytes:
    """Crop (x, y, width, height) out of the image and return a PNG with an alpha channel.

    Existing transparency is kept. With `remove_background`, near-white paper becomes transparent
    (soft edge between 180 and 235 lightness) so a scanned signature or stamp sits cleanly on a document.
    """
    return encode(_crop(image, box=box, remove_background=remove_background, max_side=max_side), fmt="PNG")


def signature_variant(image: Image.Image, *, box: Box | None, variant: str, max_side: int = 1600) -> bytes:
    """One of the four variants of the selected part, as the PNG a document places: "original" (as uploaded),
    "transparent" (white paper made transparent), "black" or "blue" (the transparent one, every visible pixel in
    that ink; the alpha channel keeps the strokes' soft edges). Raises ValueError for any other variant."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown signature variant {variant!r}")
    cropped = _crop(image, box=box, remove_background=variant != "original", max_side=max_side)
    if variant in INK:
        inked = Image.new("RGBA", cropped.size, (*INK[variant], 255))
        inked.putalpha(cropped.getchannel("A"))
        cropped = inked
    return encode(cropped, fmt="PNG")


def signature_render(original, *, box: Box | None, variant: str) -> bytes:
    """`signature_variant` of a stored original (a FieldFile of the re-encoded PNG `process_upload` made)."""
    with original.open("rb") as handle, Image.open(handle, formats=["PNG"]) as image:
        image.load()
        return signature_variant(image, box=box, variant=variant)
