"""Reads for documents. Every selector takes the actor and returns only what the actor may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from agnitio.core.errors import NotFound
from agnitio.core.permissions import allowed
from agnitio.organisations.access import memberships_of

from .jobs import RENDER, job_handler_get
from .models import DocumentJob, DocumentJobItem, OrganisationSeal

if TYPE_CHECKING:  # annotations only; other apps reach organisations through its selectors
    from agnitio.organisations.models import Organisation


def job_list(*, actor, organisation: Organisation | None = None) -> QuerySet[DocumentJob]:
    """Document-making ("render") jobs of the organisations the actor is a member of (optionally one of them).
    Jobs of other handlers are shown by the app that registered the handler (see `job_get_scoped`)."""
    if not getattr(actor, "is_authenticated", False):
        return DocumentJob.objects.none()
    qs = (DocumentJob.objects.filter(organisation__in=memberships_of(actor).values("organisation"), handler=RENDER)
          .select_related("organisation", "owner"))
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


def job_get_scoped(*, actor, organisation: Organisation, handler: str, scope: str, public_id: str) -> DocumentJob:
    """A job of `handler` belonging to `scope` (e.g. a project), if the handler lets the actor manage it."""
    job = DocumentJob.objects.filter(organisation=organisation, handler=handler, scope=scope,
                                     public_id=public_id).first()
    if job is None or not job_handler_get(handler).may_manage(actor, organisation, scope):
        raise NotFound()
    return job


def job_item_counts(*, job: DocumentJob) -> dict[str, int]:
    """How many of the job's items are done and failed, counted now (the job's own counts move per chunk)."""
    return job.items.aggregate(done=Count("id", filter=Q(status=DocumentJobItem.Status.DONE)),
                               failed=Count("id", filter=Q(status=DocumentJobItem.Status.FAILED)))


def job_items_failed(*, job: DocumentJob, with_data: bool = False) -> QuerySet[DocumentJobItem]:
    """The job's failed items (with their data when asked: a render job's data can be large)."""
    fields = ("index", "label", "error", "data") if with_data else ("index", "label", "error")
    return job.items.filter(status=DocumentJobItem.Status.FAILED).only(*fields)


def seal_get(*, actor, organisation: Organisation) -> OrganisationSeal | None:
    """The organisation's active seal, for its owners and admins (NotFound for everyone else)."""
    if organisation is None or not allowed(actor, "documents.manage_seal", organisation):
        raise NotFound()
    return OrganisationSeal.objects.filter(organisation=organisation, is_active=True).first()
