from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .ids import new_public_id


class BaseModel(models.Model):
    """Timestamps and a random public id for every domain row."""

    public_id = models.CharField(
        _("public id"), max_length=32, unique=True, default=new_public_id, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        """Also the text policy (no control characters, bounded length; `core.validators`) for every text field,
        so each service's `full_clean()` applies it."""
        from .validators import clean_fields_with_text_policy

        clean_fields_with_text_policy(self, super().clean_fields, exclude=exclude)


class SpreadsheetImport(BaseModel):
    """An uploaded spreadsheet waiting for its column mapping and preview; nothing is saved until commit. What every
    import keeps (Youthpass participants, micro-credential learners): each app adds its organisation, its target
    and the file. After a partial import the rows with problems stay in `rejected_rows`
    ([{"line": 7, "cells": [...], "errors": ["..."]}], the headings in `headers`) until fixed in a new upload."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded")
        IMPORTED = "imported", _("imported")
        PARTIAL = "partial", _("partly imported")

    original_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=8)
    mapping = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.UPLOADED)
    row_count = models.PositiveIntegerField(default=0)
    imported_count = models.PositiveIntegerField(default=0)
    rejected_rows = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name


class AuditEvent(models.Model):
    """Who did what to which object, when, and which fields changed."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        GRANT = "grant", _("access granted")
        REVOKE = "revoke", _("access revoked")
        ISSUE = "issue", _("issued")
        OTHER = "other", _("other")

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    actor_label = models.CharField(_("person"), max_length=254, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="audit_events",
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    verb = models.CharField(_("what happened"), max_length=64, blank=True)
    object_type = models.CharField(_("object type"), max_length=100, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, db_index=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    changes = models.JSONField(_("changed fields"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"
