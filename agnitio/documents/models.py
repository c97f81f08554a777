from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agnitio.core.models import BaseModel


class SealAuthority(models.Model):
    """The platform's own certification authority, which issues the default organisation seal certificates.

    One row per name (normally one, "platform"); its private key is encrypted at rest (see agnitio.core.keystore).
    """

    name = models.CharField(_("name"), max_length=64, unique=True)
    certificate_pem = models.TextField(_("certificate"))
    private_key_encrypted = models.BinaryField(_("encrypted private key"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("seal authority")
        verbose_name_plural = _("seal authorities")

    def __str__(self) -> str:
        return self.name


class OrganisationSeal(BaseModel):
    """An organisation's seal: private key (encrypted at rest) and certificate used to seal its PDFs."""

    class Source(models.TextChoices):
        PLATFORM = "platform", _("issued by the platform")
        UPLOADED = "uploaded", _("uploaded by the organisation (PKCS#12)")

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="document_seals",
        verbose_name=_("organisation"),
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    certificate_pem = models.TextField(_("certificate"))
    chain_pem = models.TextField(_("certificate chain"), blank=True)
    private_key_encrypted = models.BinaryField(_("encrypted private key"))
    fingerprint_sha256 = models.CharField(_("certificate fingerprint"), max_length=64, db_index=True)
    subject = models.CharField(_("subject"), max_length=500)
    issuer = models.CharField(_("issuer"), max_length=500)
    not_valid_after = models.DateTimeField(_("valid until"))
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("organisation seal")
        verbose_name_plural = _("organisation seals")
        constraints = [
            models.UniqueConstraint(fields=["organisation"], condition=Q(is_active=True), name="uniq_active_seal"),
        ]

    def __str__(self) -> str:
        return self.subject


class DocumentJob(BaseModel):
    skipped: int  # set by a handler's start function on the job it returns: requested items it left out (not stored)

    """A bulk job: many items done in the background by one handler (`agnitio.documents.jobs`), with progress.

    The "render" handler makes one document of `kind` per item and the job a ZIP of them; other handlers (e.g.
    "youthpass.certificate", which issues one participant's certificate per item) are registered by their apps.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("in progress")
        FINALISING = "finalising", _("packing the ZIP file")
        FINISHED = "finished", _("finished")
        FAILED = "failed", _("failed")

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="document_jobs",
        verbose_name=_("organisation"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="document_jobs",
        verbose_name=_("started by"),
    )
    handler = models.CharField(_("handler"), max_length=32, default="render")
    # What the job belongs to, in its handler's terms (a certificate job: its project's public id).
    scope = models.CharField(_("belongs to"), max_length=64, blank=True, db_index=True)
    kind = models.CharField(_("document kind"), max_length=32)
    title = models.CharField(_("title"), max_length=200, blank=True)
    languages = models.JSONField(_("languages"), default=list)
    seal = models.BooleanField(_("sealed"), default=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(_("documents"), default=0)
    done = models.PositiveIntegerField(_("made"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    result = models.FileField(_("ZIP of all documents"), upload_to="documents/jobs/", blank=True, max_length=300)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Set when handing the job's tasks to the broker failed (broker down): the sweeper queues them at its next run.
    requeue = models.BooleanField(_("to be queued again"), default=False)
    # Retention (docs/retention.md): set when the job's PDFs and ZIP were deleted, AGNITIO_DOCUMENT_JOB_RETENTION_DAYS
    # after it finished; the row stays as the record of what was made.
    files_removed_at = models.DateTimeField(_("files deleted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("document job")
        verbose_name_plural = _("document jobs")

    def __str__(self) -> str:
        return self.title or f"{self.kind} ({self.total})"

    @property
    def processed(self) -> int:
        return self.done + self.failed

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 100

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING, self.Status.FINALISING)


class DocumentJobItem(models.Model):
    """One item of a job (a document; a participant's certificate). Its status makes the work idempotent: a done
    item is never done again. `data` is what the handler needs (the document data; the participant's id)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        DONE = "done", _("made")
        FAILED = "failed", _("failed")

    job = models.ForeignKey(DocumentJob, on_delete=models.CASCADE, related_name="items")
    index = models.PositiveIntegerField(_("number in the job"))
    label = models.CharField(_("label"), max_length=255, blank=True)
    data = models.JSONField(_("item data"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("PDF"), upload_to="documents/jobs/", blank=True, max_length=300)
    # What the handler made besides a file (a certificate job: the issued credential's public id).
    outcome = models.CharField(_("outcome"), max_length=64, blank=True)
    error = models.TextField(_("reason"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["job", "index"]
        verbose_name = _("document job item")
        verbose_name_plural = _("document job items")
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="uniq_job_item_index")]
        indexes = [models.Index(fields=["job", "status"])]

    def __str__(self) -> str:
        return self.label or f"#{self.index + 1}"
