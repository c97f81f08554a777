from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from agnitio.core.models import BaseModel


class Invitation(BaseModel):
    """An e-mailed, single-use invitation of some registered `kind` to some `target` object.

    Only a SHA-256 hash of the random token is stored; the token itself exists only in the e-mail. The token leaves
    PENDING on accept or revoke, and stops working at `expires_at`. `mailed_to` is the normalised address the link
    was sent to: only that address, verified, may accept (`addresses`). The target is generic so one table serves
    organisation memberships (the organisation), project editors (the ProjectEditor row), participants and
    supervisors (the Participant row), and Europass hosts and participants later. Kind-specific data (the role of a
    membership, …) is in `payload`.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        REVOKED = "revoked", _("revoked")
        EXPIRED = "expired", _("expired")

    kind = models.CharField(_("kind"), max_length=40)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation"),
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    mailed_to = models.EmailField(_("e-mail"))
    full_name = models.CharField(_("name"), max_length=200)
    language = models.CharField(_("preferred language"), max_length=8, choices=settings.LANGUAGES)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    expires_at = models.DateTimeField(_("expires"))
    sent_at = models.DateTimeField(_("sent"))
    send_count = models.PositiveIntegerField(_("times sent"), default=1)
    payload = models.JSONField(default=dict, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("invited by"),
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("accepted by"),
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["target_type", "target_id", "status"], name="invitation_target")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target_type", "target_id", "mailed_to"], condition=models.Q(status="pending"),
                name="uniq_pending_invitation_per_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.mailed_to}"

    @property
    def is_expired(self) -> bool:
        from django.utils import timezone

        return self.expires_at <= timezone.now()
