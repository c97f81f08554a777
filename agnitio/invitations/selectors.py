"""Reads about invitations. The token is the credential for the invitee; organisers see what the kind lets them."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import BigAutoField, QuerySet, Value
from django.utils import timezone

from agnitio.core.errors import NotFound
from agnitio.core.pagination import DEFAULT_SIZE
from agnitio.core.prepared import PreparedQuery
from agnitio.core.tokens import token_hash

from . import kinds
from .addresses import SIGNUP_SESSION_KEY, normalise_address
from .models import Invitation


def invitation_for_token(*, token: str) -> Invitation:
    """The invitation a link stands for, if it is open or already used; NotFound (one answer, whatever the reason)
    for a token that does not exist, has expired or was revoked."""
    from .services import UNUSABLE

    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=token_hash(token or "")).first()
    )
    if invitation is None or invitation.status in (Invitation.Status.REVOKED, Invitation.Status.EXPIRED) or (
        invitation.status == Invitation.Status.PENDING and invitation.is_expired
    ):
        raise NotFound(UNUSABLE)
    return invitation


def invitation_for_signup(*, session, email: str) -> str | None:
    """The personal invitation this browser opened (its link page put it in `session`), when it is still open
    (pending, not expired) and was mailed to `email`: its token's hash, for the sign-up limits to know the sign-up
    is an invited person's. None otherwise — no link page opened, another address, a used (accepted), withdrawn,
    replaced (resent) or expired invitation. Holding nothing but the hash of a valid token gets nothing here: it
    must be the session of a browser that opened the link."""
    digest = session.get(SIGNUP_SESSION_KEY) if session is not None else None
    email = normalise_address(email)
    if not isinstance(digest, str) or not digest or not email:
        return None
    found = Invitation.objects.filter(
        token_hash=digest, status=Invitation.Status.PENDING, expires_at__gt=timezone.now(), mailed_to__iexact=email,
    ).exists()
    return digest if found else None


def invitation_open_for(*, target: models.Model, kind: str) -> Invitation | None:
    """The open (pending) invitation of `kind` to `target`, newest first; None when there is none. For the
    target's own services (a changed address voids it), not for showing to a user: no actor check."""
    return Invitation.objects.filter(
        kind=kind, status=Invitation.Status.PENDING, target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
    ).order_by("-created_at").first()


def invitations_for(*, actor, target: models.Model, pending_only: bool = True,
                    kind: str | None = None) -> QuerySet[Invitation]:
    """The invitations to `target` of the kinds `actor` may manage there (none for anyone else); with `kind`, of
    that kind only (the caller knows it: no query to find which kinds the target's invitations have)."""
    qs = Invitation.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    ).select_related("invited_by", "organisation")
    if pending_only:
        qs = qs.filter(status=Invitation.Status.PENDING)
    registered = set(kinds.names())  # rows of a kind no app registers (any more) are nobody's to manage
    present = [kind] if kind is not None else qs.order_by().values_list("kind", flat=True).distinct()
    names = {name for name in present
             if name in registered and getattr(actor, "is_authenticated", False)
             and kinds.get(name).may_manage(actor, target)}
    return qs.filter(kind__in=names).order_by("-created_at")


def _pending_of_kind_first_page(target_type_id: int, target_id: int, kind: str) -> QuerySet[Invitation]:
    """The rows `keyset_page(invitations_for(..., kind=kind), ordering=INVITATION_ORDER)` asks for the first page
    (one more than the default size) when the actor may manage invitations of that kind to the target."""
    # The target's id as a `Value` of an auto field: the same SQL and value as `target_id=target_id`, bound as the
    # int it is — the column's own preparation wraps it in psycopg's `Int8` (equal, but another object), which
    # core.prepared refuses as a transformed value.
    return (Invitation.objects.filter(target_type_id=target_type_id,
                                      target_id=Value(target_id, output_field=BigAutoField()))
            .select_related("invited_by", "organisation").filter(status=Invitation.Status.PENDING)
            .filter(kind__in=[kind]).order_by(*INVITATION_ORDER)[:DEFAULT_SIZE + 1])


INVITATION_ORDER = ("-created_at", "-id")  # a target's invitations, newest first (core.pagination)
# The member list shows its organisation's pending invitations to its admins every time it opens: the first page's
# query is compiled once per connection (core.prepared, ADR 0019); the rows are read from the database each time.
_PENDING_FIRST_PAGE = PreparedQuery(
    _pending_of_kind_first_page,  # markers within the columns' ranges (a content type's id is a 32-bit integer)
    markers={"target_type_id": -1_318_046_213, "target_id": 7_318_046_214, "kind": "\u2063invitation-kind\u2063"},
    name="invitations.pending_first_page")


def invitations_first_page_for(*, actor, target: models.Model, kind: str) -> list[Invitation]:
    """The first page's rows (and one more) of `invitations_for(actor=actor, target=target, kind=kind)` (pending
    only) in INVITATION_ORDER: none unless the actor may manage invitations of that kind to the target."""
    if not (kind in kinds.names() and getattr(actor, "is_authenticated", False)
            and kinds.get(kind).may_manage(actor, target)):
        return []
    return _PENDING_FIRST_PAGE.list(target_type_id=ContentType.objects.get_for_model(target).pk,
                                    target_id=target.pk, kind=kind)


def invitations_open_by_target(*, actor, kind: str, targets: list[models.Model]) -> dict[int, Invitation]:
    """The newest open invitation of `kind` to each of `targets` (one query), keyed by the target's pk — only when
    `actor` may manage that kind for the target; for lists that offer "send again"."""
    if not targets or not getattr(actor, "is_authenticated", False):
        return {}
    allowed_ids = {t.pk for t in targets if kinds.get(kind).may_manage(actor, t)}
    if not allowed_ids:
        return {}
    found: dict[int, Invitation] = {}
    for invitation in Invitation.objects.filter(
        kind=kind, status=Invitation.Status.PENDING, target_type=ContentType.objects.get_for_model(targets[0]),
        target_id__in=allowed_ids,
    ).order_by("target_id", "-created_at"):
        found.setdefault(invitation.target_id, invitation)
    return found


def invitation_get(*, actor, public_id: str) -> Invitation:
    """One invitation by its public id, for someone who may manage it; NotFound for anyone else."""
    invitation = Invitation.objects.select_related("organisation", "invited_by").filter(public_id=public_id).first()
    if invitation is None or not getattr(actor, "is_authenticated", False) or not kinds.get(
        invitation.kind
    ).may_manage(actor, invitation):
        raise NotFound()
    return invitation
