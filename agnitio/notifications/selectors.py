"""Reads of the outbox for the people who may see them. Not found and not allowed are the same answer."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from agnitio.core.emails import email_q_any_case
from agnitio.core.errors import NotFound
from agnitio.core.permissions import allowed
from agnitio.organisations.access import ADMIN_ROLES, memberships_of

from .models import OutboxEmail


def _is_admin(actor, organisation) -> bool:
    return organisation is not None and allowed(actor, "notifications.view_outbox", organisation)


def outbox_admin_organisation(*, actor, current=None):
    """The organisation whose outbox `actor` manages: the current one if they are its owner/admin,
    otherwise (no current organisation chosen) the first one they administer; None if there is none."""
    if current is not None:
        return current if _is_admin(actor, current) else None
    if not getattr(actor, "is_authenticated", False):
        return None
    membership = (
        memberships_of(actor).filter(role__in=ADMIN_ROLES)
        .select_related("organisation")
        .order_by("organisation__legal_name")
        .first()
    )
    return membership.organisation if membership else None


def outbox_list(*, actor, organisation, status: str = "") -> QuerySet[OutboxEmail]:
    """The organisation's outgoing e-mails for its owners and admins, newest first."""
    if not _is_admin(actor, organisation):
        return OutboxEmail.objects.none()
    qs = OutboxEmail.objects.filter(organisation=organisation)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


OUTBOX_ROW_FIELDS = ("id", "public_id", "created_at", "to", "language", "subject", "status", "sent_at", "attempts",
                     "next_attempt_at", "last_error")


def outbox_status_counts(*, actor, organisation) -> dict[str, int]:
    counts = dict.fromkeys(OutboxEmail.Status.values, 0)
    rows = outbox_list(actor=actor, organisation=organisation).order_by().values("status").annotate(n=Count("id"))
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def outbox_get(*, actor, organisation, public_id: str) -> OutboxEmail:
    email = outbox_list(actor=actor, organisation=organisation).filter(public_id=public_id).first()
    if email is None:
        raise NotFound()
    return email


def outbox_emails_to_person(*, user, emails: set[str]) -> QuerySet[OutboxEmail]:
    """The e-mails sent to a person — to their account or one of their confirmed `emails` — oldest first (their
    data export)."""
    return OutboxEmail.objects.filter(Q(user=user) | email_q_any_case("to", emails)).order_by("created_at")
