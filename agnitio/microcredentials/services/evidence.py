"""Evidence attached to an award: web links, or files checked by their content (PDF, or a PNG/JPEG image that is
re-encoded), bounded in size, stored privately under a random name and served only after a permission check.
The award's page and the JSON API (`api.awards`) both call these services: the same checks, bounds and audit."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError
from agnitio.core.permissions import require
from agnitio.core.services import audit_record

from ..models import Award, Evidence
from ..selectors import award_get

RATE_GROUP = "microcredentials.evidence"  # files, per account and hour, page and API together
EVIDENCE_PER_AWARD_MAX = 20


def evidence_max_bytes() -> int:
    return getattr(settings, "MICROCREDENTIAL_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)


def _require(actor, award: Award) -> Award:
    award = award_get(actor=actor, public_id=award.public_id)
    require(actor, "microcredentials.issue_award", award.organisation, hide=False,
            message=_("Only members of the organisation may add evidence to its awards."))
    return award


def _room(award: Award) -> None:
    """At most EVIDENCE_PER_AWARD_MAX pieces: the award's row is locked first, so two uploads at once cannot both
    take the last place (callers are inside a transaction)."""
    Award.objects.select_for_update().filter(pk=award.pk).values_list("pk", flat=True).first()
    if award.evidence.count() >= EVIDENCE_PER_AWARD_MAX:
        raise ApplicationError(_("An award can have at most %(n)d pieces of evidence.")
                               % {"n": EVIDENCE_PER_AWARD_MAX}, code="too_many")


def _title(title: str, fallback: str) -> str:
    title = " ".join((title or "").split())[:255]
    return title or fallback[:255]


def evidence_link_add_checked(*, actor, award: Award, url: str, title: str) -> Evidence:
    """Add a link to an award the caller already checked (inside its transaction)."""
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ApplicationError(_("Enter a web link (https://…)."), code="url") from None
    if len(url) > 1000:
        raise ApplicationError(_("An evidence link is too long (at most 1000 characters)."), code="url")
    _room(award)
    evidence = Evidence(organisation=award.organisation, award=award, kind=Evidence.Kind.LINK, url=url,
                        title=_title(title, url), added_by=actor if getattr(actor, "is_authenticated", False) else None)
    evidence.full_clean()
    evidence.save()
    audit_record(actor=actor, action="create", target=evidence, organisation=award.organisation,
                 verb="micro-credential evidence added", changes={"link": [None, url]})
    return evidence


@transaction.atomic
def evidence_link_add(*, actor, award: Award, url: str, title: str = "") -> Evidence:
    award = _require(actor, award)
    return evidence_link_add_checked(actor=actor, award=award, url=url, title=title)


def _read(upload, max_bytes: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ApplicationError(_("The file is too large (at most %(mb)d MB).") % {"mb": max_bytes // (1024 * 1024)},
                               code="too_large")
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ApplicationError(_("The file is too large (at most %(mb)d MB).") % {"mb": max_bytes // (1024 * 1024)},
                               code="too_large")
    return data


def evidence_file_check(upload) -> tuple[bytes, str, str]:
    """(stored bytes, content type, extension) of an uploaded evidence file, by its content: a PDF as uploaded, or
    a PNG/JPEG image decoded and re-encoded (metadata and anything hidden dropped). Anything else is refused."""
    from agnitio.organisations import images

    data = _read(upload, evidence_max_bytes())
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]:
        return data, "application/pdf", "pdf"
    if data[:8] == b"\x89PNG\r\n\x1a\n" or data[:3] == b"\xff\xd8\xff":
        try:
            checked = images.check_image(ContentFile(data), formats=("PNG", "JPEG"), max_bytes=evidence_max_bytes(),
                                         max_pixels=getattr(settings, "SIGNATURE_IMAGE_MAX_PIXELS", 40_000_000))
        except ValidationError as error:
            raise ApplicationError(" ".join(error.messages), code="file") from error
        fmt = "JPEG" if checked.format == "JPEG" else "PNG"
        return images.encode(checked.image, fmt=fmt), f"image/{fmt.lower()}", "jpg" if fmt == "JPEG" else "png"
    raise ApplicationError(_("This file is not a PDF, PNG or JPEG file (whatever its name says). Save it as PDF "
                             "and upload it again."), code="file")


@transaction.atomic
def evidence_file_add(*, actor, award: Award, upload, title: str = "") -> Evidence:
    award = _require(actor, award)
    _room(award)
    data, content_type, extension = evidence_file_check(upload)
    evidence = Evidence(organisation=award.organisation, award=award, kind=Evidence.Kind.FILE,
                        title=_title(title, getattr(upload, "name", "") or str(_("evidence"))),
                        content_type=content_type, size=len(data),
                        added_by=actor if getattr(actor, "is_authenticated", False) else None)
    evidence.file.save(f"{secrets.token_urlsafe(18)}.{extension}", ContentFile(data), save=False)
    try:
        evidence.full_clean()
        evidence.save()
    except BaseException:
        evidence.file.delete(save=False)
        raise
    audit_record(actor=actor, action="create", target=evidence, organisation=award.organisation,
                 verb="micro-credential evidence added", changes={"file": [None, evidence.title]})
    return evidence


@transaction.atomic
def evidence_delete(*, actor, evidence: Evidence) -> None:
    award = _require(actor, evidence.award)
    evidence = award.evidence.get(pk=evidence.pk)
    name = evidence.file.name if evidence.file else ""
    audit_record(actor=actor, action="delete", target=evidence, organisation=award.organisation,
                 verb="micro-credential evidence deleted", changes={"title": [evidence.title, None]})
    evidence.delete()
    if name:
        storage = Evidence._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(name))
