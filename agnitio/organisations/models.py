from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField

from agnitio.core.models import BaseModel
from agnitio.core.storage import public_storage


class Organisation(BaseModel):
    """An issuing organisation. Its data are what documents show as issuer / sending institution."""

    MULTILINE_TEXT_FIELDS = ("address",)  # the text policy (core.validators) keeps its line breaks
    legal_name = models.CharField(_("legal name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    country = CountryField(_("country"))
    address = models.CharField(_("address"), max_length=500)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"))
    phone = PhoneNumberField(_("phone"), blank=True)
    identifier = models.CharField(
        _("organisation identifier"), max_length=64, blank=True,
        help_text=_("OID, PIC or registration number."),
    )
    logo = models.ImageField(_("logo"), upload_to="organisations/logos/", blank=True, storage=public_storage)
    # Issuer identity (point 12): anyone may create an organisation under any name; platform staff (the national
    # agency) confirm who it really is. Set and withdrawn only by `organisation_identity_verify` (audited).
    identity_verified_at = models.DateTimeField(_("identity verified by the platform"), null=True, blank=True,
                                                editable=False)
    identity_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("identity verified by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.short_name or self.legal_name


class Membership(BaseModel):
    """A person's role in an organisation. Deleting the row revokes access on the next request."""

    class Role(models.TextChoices):
        OWNER = "owner", _("owner")
        ADMIN = "admin", _("admin")
        EDITOR = "editor", _("editor")

    # The roles that manage the organisation. The only definition: import it (or `organisations.access.ADMIN_ROLES`).
    ADMIN_ROLES = (Role.OWNER, Role.ADMIN)

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.EDITOR)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="uniq_membership")]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"

    @property
    def is_admin(self) -> bool:
        return self.role in self.ADMIN_ROLES


class Signatory(BaseModel):
    """A person who may sign the organisation's documents, and which pages/parts they may sign."""

    class Page(models.TextChoices):
        LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative (Youthpass page 1)")
        PROJECT_RESPONSIBLE = "project_responsible", _("Person responsible for the project (Youthpass part 2)")
        DIALOGUE_PARTNER = "dialogue_partner", _("Person who supported the learning (Youthpass part 3)")
        EUROPASS_SENDING = "europass_sending", _("Europass Mobility: sending organisation")
        EUROPASS_HOST = "europass_host", _("Europass Mobility: host organisation")
        MICROCREDENTIAL = "microcredential", _("Micro-credential issuer")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="signatories")
    full_name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200)
    pages = models.JSONField(_("may sign"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")

    def __str__(self) -> str:
        return f"{self.full_name}, {self.position}"

    def get_pages_display(self) -> list[str]:
        labels = dict(self.Page.choices)
        return [str(labels[p]) for p in self.pages if p in labels]


def _signature_upload_to(instance, filename: str) -> str:
    return f"organisations/signatures/{instance.organisation.public_id}/{filename}"


class SignatureImage(BaseModel):
    """An uploaded signature or stamp: the checked original and the processed PNG used on documents — the selected
    part (crop_*) in the chosen variant (`images.VARIANTS`: as uploaded, transparent background, black or blue ink).

    At most one active default per organisation and kind (database constraint).
    """

    class Kind(models.TextChoices):
        SIGNATURE = "signature", _("signature")
        STAMP = "stamp", _("stamp")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="signature_images")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.SIGNATURE)
    label = models.CharField(_("label"), max_length=200)
    signatory = models.ForeignKey(
        Signatory, null=True, blank=True, on_delete=models.SET_NULL, related_name="signature_images",
        verbose_name=_("signatory"),
    )
    original = models.ImageField(_("original image"), upload_to=_signature_upload_to)
    original_width = models.PositiveIntegerField(default=0)
    original_height = models.PositiveIntegerField(default=0)
    image_cropped = models.ImageField(_("processed image"), upload_to=_signature_upload_to, blank=True)
    crop_x = models.PositiveIntegerField(null=True, blank=True)
    crop_y = models.PositiveIntegerField(null=True, blank=True)
    crop_width = models.PositiveIntegerField(null=True, blank=True)
    crop_height = models.PositiveIntegerField(null=True, blank=True)
    variant = models.CharField(_("variant"), max_length=16, default="original")
    is_active = models.BooleanField(_("active"), default=False)
    is_default = models.BooleanField(_("default"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        ordering = ["kind", "-is_default", "-created_at"]
        verbose_name = _("signature or stamp image")
        verbose_name_plural = _("signature and stamp images")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"], condition=models.Q(is_default=True), name="uniq_default_signature"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"

    @property
    def crop_box(self) -> tuple[int, int, int, int] | None:
        """The selected part (x, y, width, height in the original's pixels), None before one is selected."""
        x, y, w, h = self.crop_x, self.crop_y, self.crop_width, self.crop_height
        if x is None or y is None or w is None or h is None:
            return None
        return (x, y, w, h)
