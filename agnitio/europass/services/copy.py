"""Copy data to other documents (seed 002 "Kopēt datus pārējos Europass dokumentos"; issue 12, point 7): for the
host, project and learning-outcomes sections, the user picks fields and the participants' documents that receive
them, sees a preview of what changes in each, then applies it in one transaction, audited per target document.

A preview carries, per target, a digest of the target's section as it was shown; applying compares it: when a
target's section changed in between, nothing at all is applied and the conflicting targets are named (preview again)
— never a silent overwrite (as `core/versioning.py` does for forms)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.models import AuditEvent
from agnitio.core.permissions import require
from agnitio.core.services import audit_record

from .. import sections
from ..models import MobilityDocument
from .documents import document_section_update

COPYABLE_SECTIONS = ("host", "project", "outcomes")


class CopyConflict(ApplicationError):
    status = 409

    def __init__(self, targets: list[MobilityDocument]):
        super().__init__(_("These documents changed after the preview, so nothing was copied: %(documents)s. Look at "
                           "the preview again.") % {"documents": ", ".join(_name(t) for t in targets)},
                         code="conflict")
        self.targets = targets


def _name(document: MobilityDocument) -> str:
    return f"{document.number or document.position} {document.participant_name}".strip()


def copyable_fields(section: str) -> tuple[str, ...]:
    if section not in COPYABLE_SECTIONS:
        raise NotFound()
    return sections.SECTIONS_BY_KEY[section].fields


def _value(document: MobilityDocument, name: str):
    if name == "outcomes":
        return [{"framework": o.framework, "framework_name": o.framework_name, "text": o.text,
                 "esco_uris": list(o.esco_uris)} for o in document.outcomes.all()]
    value = getattr(document, name)
    return str(value) if value not in (None, "") else ""


def _display(document: MobilityDocument, name: str) -> str:
    if name == "outcomes":
        return "\n".join(o["text"] for o in _value(document, name))
    getter = getattr(document, f"get_{name}_display", None)
    return str(getter()) if getter and getattr(document, name) else str(_value(document, name))


def section_digest(document: MobilityDocument, section: str) -> str:
    """The version of a document's section as shown in a preview."""
    data = {name: _value(document, name) for name in copyable_fields(section)}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:32]


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str


@dataclass
class TargetPreview:
    document: MobilityDocument
    version: str
    changes: list[FieldChange] = field(default_factory=list)


def _check(actor, source: MobilityDocument, section: str, fields: list[str], targets: list[MobilityDocument]
           ) -> list[str]:
    from ..selectors_access import copy_targets

    require(actor, "europass.copy_document_data", source)
    allowed_fields = copyable_fields(section)
    chosen = [name for name in allowed_fields if name in set(fields)]
    if not chosen or len(chosen) != len(set(fields)):
        raise ApplicationError(_("Choose the fields to copy (of this section only)."), code="fields")
    if not targets:
        raise ApplicationError(_("Choose the participants whose documents receive the data."), code="targets")
    possible = set(copy_targets(actor=actor, source=source).values_list("pk", flat=True))
    if any(t.pk not in possible for t in targets):
        raise NotFound()
    return chosen


def _label(name: str) -> str:
    if name == "outcomes":
        return str(sections.SECTIONS_BY_KEY["outcomes"].label)
    return str(getattr(MobilityDocument._meta.get_field(name), "verbose_name", name))


def document_copy_preview(*, actor, source: MobilityDocument, section: str, fields: list[str],
                          targets: list[MobilityDocument]) -> list[TargetPreview]:
    """What copying would change in each target (nothing is written)."""
    chosen = _check(actor, source, section, fields, targets)
    previews = []
    for target in targets:
        preview = TargetPreview(target, section_digest(target, section))
        for name in chosen:
            if _value(target, name) != _value(source, name):
                preview.changes.append(FieldChange(name, _label(name), _display(target, name),
                                                   _display(source, name)))
        previews.append(preview)
    return previews


@transaction.atomic
def document_copy_apply(*, actor, source: MobilityDocument, section: str, fields: list[str],
                        targets: list[MobilityDocument], versions: dict[str, str]) -> dict[str, dict]:
    """Copy the chosen fields into every target in one transaction, each target audited; `versions` (public id →
    the digest the preview showed) must still hold for every target, else CopyConflict and nothing is written.
    Returns the changes per target public id."""
    chosen = _check(actor, source, section, fields, targets)
    locked = list(MobilityDocument.objects.select_for_update().filter(pk__in=[t.pk for t in targets])
                  .order_by("pk"))
    stale = [t for t in locked if versions.get(t.public_id) != section_digest(t, section)]
    if stale:
        raise CopyConflict(stale)
    data = {name: _value(source, name) for name in chosen}
    result: dict[str, dict] = {}
    for target in locked:
        changes = document_section_update(actor=actor, document=target, section=section, data=data)
        result[target.public_id] = changes
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=target,
                     organisation=target.institution.organisation if target.institution else None,
                     changes={"copied_from": [None, source.public_id], "section": [None, section],
                              "fields": [None, sorted(changes)]},
                     verb="data copied from another document")
    return result
