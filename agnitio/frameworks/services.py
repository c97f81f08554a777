"""Writes of the frameworks app: importing an ESCO language file (reference data, no organisation)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from agnitio.core.models import AuditEvent
from agnitio.core.services import audit_record

from .esco.importer import ImportResult, load
from .models import EscoDataset
from .selectors import esco_index_invalidate


def esco_import(*, path: Path, language: str | None = None, actor=None) -> ImportResult:
    """Import (or update) one language of ESCO from a zip, a folder or a CSV file as downloaded from the ESCO
    portal. Idempotent: the same file again changes nothing. Raises EscoImportError (an ApplicationError) with a
    message saying what is wrong with the file; nothing is written then. `actor` is None for the command line."""
    with transaction.atomic():
        result = load(Path(path), language=language)
        dataset = EscoDataset.objects.get(language=result.language)
        existed = any(c.updated or c.unchanged for c in result.counts.values())
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE if existed else AuditEvent.Action.CREATE,
                     target=dataset, verb="esco_import",
                     changes={kind: [None, {"created": c.created, "updated": c.updated, "unchanged": c.unchanged,
                                            "skipped": c.skipped}] for kind, c in result.counts.items()})
        transaction.on_commit(lambda: esco_index_invalidate(result.language))
    esco_index_invalidate(result.language)
    return result
