from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField

from agnitio.core.models import BaseModel


class Organisation(BaseModel):
    """An issuing organisation. Its data are what documents show as issuer / sending institution."""

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
    logo = models.ImageField(_("logo"), upload_to="organisations/logos/", blank=True)

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
        return self.role in (self.Role.OWNER, self.Role.ADMIN)
