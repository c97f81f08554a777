"""Reads for documents. Every selector takes the actor and returns only what the actor may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from agnitio.core.errors import NotFound
from agnitio.core.permissions import allowed
from agnitio.organisations.access import memberships_of

from .models import DocumentJob, DocumentJobItem, OrganisationSeal

if TYPE_CHECKING:  # annotations only; other apps reach organisations through its selectors
    from agnitio.organisations.models import Organisation


def job_list(*, actor, organisation: Organisation | None = None) -> QuerySet[DocumentJob]:
    """Jobs of the organisations the actor is a member of (optionally one of them)."""
    if not getattr(actor, "is_authenticated", False):
        return DocumentJob.objects.none()
    qs = DocumentJob.objects.filter(organisation__in=memberships_of(actor).values("organisation")).select_related(
        "organisation", "owner")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs


def job_get(*, actor, public_id: str) -> DocumentJob:
    job = job_list(actor=actor).filter(public_id=public_id).first()
    if job is None:
        raise NotFound()
    return job


def job_item_get(*, actor, job_public_id: str, number: int) -> DocumentJobItem:
    """Item `number` (1-based, as shown and as named in the ZIP) of a job the actor may see."""
    job = job_get(actor=actor, public_id=job_public_id)
    item = job.items.filter(index=number - 1, status=DocumentJobItem.Status.DONE).first()
    if item is None or not item.file:
        raise NotFound()
    return item


def job_items_failed(*, job: DocumentJob) -> QuerySet[DocumentJobItem]:
    return job.items.filter(status=DocumentJobItem.Status.FAILED).only("index", "label", "error")


def seal_get(*, actor, organisation: Organisation) -> OrganisationSeal | None:
    """The organisation's active seal, for its owners and admins (NotFound for everyone else)."""
    if organisation is None or not allowed(actor, "documents.manage_seal", organisation):
        raise NotFound()
    return OrganisationSeal.objects.filter(organisation=organisation, is_active=True).first()
