"""Shared write helpers: audit events and field updates that report what changed."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from .models import AuditEvent


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return getattr(value, "public_id", None) or str(value.pk)
    if isinstance(value, FieldFile):  # .url raises on an empty file, so only the name is recorded
        return value.name or ""
    return str(value)


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model,
    organisation=None,
    changes: dict | None = None,
    verb: str = "",
    actor_label: str = "",
) -> AuditEvent:
    """Record an audit event. `changes` maps field name to [old, new]. `actor_label`: how the organisation's
    history names the actor instead of their account's address — for someone outside it (a host, a participant)
    the address the organisation itself gave, so that it learns no other address of theirs."""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_label=actor_label or ((getattr(actor_obj, "email", "") or "") if actor_obj else "system"),
        organisation=organisation,
        action=action,
        verb=verb,
        object_type=target._meta.label,
        object_id=str(getattr(target, "public_id", None) or target.pk),
        object_repr=str(target)[:255],
        changes={k: [_jsonable(a), _jsonable(b)] for k, (a, b) in (changes or {}).items()},
    )


def model_update(*, instance: models.Model, fields: list[str], data: dict[str, Any]) -> dict[str, list]:
    """Set the given fields from `data` (missing keys are left alone), save them, return what changed."""
    changes: dict[str, list] = {}
    for field in fields:
        if field not in data:
            continue
        old, new = getattr(instance, field), data[field]
        if old != new:
            setattr(instance, field, new)
            changes[field] = [old, new]
    if changes:
        instance.full_clean()
        instance.save(update_fields=[*changes.keys(), *(["updated_at"] if hasattr(instance, "updated_at") else [])])
    return changes
