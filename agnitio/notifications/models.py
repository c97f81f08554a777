from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agnitio.core.models import BaseModel


class OutboxEmail(BaseModel):
    """One e-mail to one recipient: rendered when queued, delivered by `tasks.deliver_email`.

    The row is the source of truth: the task only carries its id. `related_type` + `related_id`
    (model label + public id) say which object the message is about, for a history of communication.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    to = models.EmailField(_("to"), max_length=254)
    reply_to = models.EmailField(
        _("reply to"), max_length=254, blank=True, help_text=_("Answers go here: the organisation's e-mail.")
    )
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    language = models.CharField(_("language"), max_length=8)
    template = models.CharField(_("template"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="outbox_emails",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="outbox_emails",
    )
    # Retention: bodies of sent or failed messages are dropped after AGNITIO_OUTBOX_RETENTION_DAYS; the metadata
    # (who, when, which template, status) stays as the history of communication.
    body_pruned_at = models.DateTimeField(_("content removed"), null=True, blank=True)
    related_type = models.CharField(_("about (type)"), max_length=100, blank=True)
    related_id = models.CharField(_("about (id)"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["organisation", "-created_at"]),
            models.Index(fields=["related_type", "related_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
