"""Writes about invitations: send, resend, revoke, void, accept. Every kind-specific step is the kind's (`kinds`)."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError, NotFound, PermissionDenied
from agnitio.core.models import AuditEvent
from agnitio.core.services import audit_record
from agnitio.core.tokens import token_hash

from . import kinds
from .addresses import invitation_address_problem, normalise_address
from .models import Invitation

RESEND_INTERVAL_SECONDS = 60  # an invitation e-mail is not sent again sooner than this

# One answer for a token that does not exist, has expired or was revoked: the page does not say which.
UNUSABLE = _("This invitation link is not valid: it is incomplete, has expired or has been withdrawn. "
             "Ask the organiser to send a new one.")
ALREADY_USED = _("This invitation has already been used. Ask the organiser for a new one if you need it.")


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("invitations:accept", kwargs={"token": token})


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _email(*, invitation: Invitation, token: str, personal_message: str = "") -> None:
    from agnitio.notifications.services import email_queue

    kind = kinds.get(invitation.kind)
    with translation.override(invitation.language):
        context = {
            "subject": str(kind.subject(invitation)),
            "invitation_text": str(kind.describe(invitation)),
            "invitee_name": invitation.full_name,
            "personal_message": personal_message,
            "url": invitation_url(token),
            "expires_at": invitation.expires_at,
        }
    email_queue(to=invitation.mailed_to, template=kind.email_template, context=context,
                language=invitation.language, organisation=invitation.organisation, related=invitation)


def _require_manager(kind: kinds.InvitationKind, actor, obj) -> None:
    if not getattr(actor, "is_authenticated", False) or not kind.may_manage(actor, obj):
        raise PermissionDenied()


def _target_key(target: models.Model) -> dict:
    return {"target_type": ContentType.objects.get_for_model(target), "target_id": target.pk}


def _revoke(*, actor, invitation: Invitation, verb: str) -> None:
    old = invitation.status
    invitation.status = Invitation.Status.REVOKED
    invitation.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=AuditEvent.Action.DELETE, target=invitation,
                 organisation=invitation.organisation, changes={"status": [old, invitation.status]}, verb=verb)


@transaction.atomic
def invitation_send(
    *, actor, kind: str, organisation, target: models.Model, email: str, full_name: str, language: str,
    payload: dict[str, Any] | None = None, personal_message: str = "",
) -> tuple[Invitation, str]:
    """Invite `email` to `target` as `kind`; returns the invitation and the one-time token (sent only by e-mail)."""
    spec = kinds.get(kind)
    _require_manager(spec, actor, target)
    payload = dict(payload or {})
    email = normalise_address(email)
    if spec.check_send is not None:
        spec.check_send(actor=actor, organisation=organisation, target=target, email=email, payload=payload)
    if language not in dict(settings.LANGUAGES):
        raise ApplicationError(_("Choose the language of the invitation e-mail."))
    key = _target_key(target)
    pending = Invitation.objects.select_for_update().filter(kind=kind, status=Invitation.Status.PENDING, **key)
    if spec.one_per_target:
        for old in pending:
            _revoke(actor=actor, invitation=old, verb="invitation replaced")
    elif pending.filter(mailed_to=email).exists():
        raise ApplicationError(
            _("%(email)s has already been invited. Resend or withdraw that invitation in the list below.")
            % {"email": email},
            code="already_invited",
        )
    token = _new_token()
    now = timezone.now()
    invitation = Invitation(
        kind=kind, organisation=organisation, mailed_to=email, full_name=full_name.strip(), language=language,
        token_hash=token_hash(token), sent_at=now, expires_at=now + spec.expiry(), invited_by=actor,
        payload=payload, **key,
    )
    try:
        invitation.full_clean()
    except ValidationError as exc:
        raise ApplicationError("; ".join(exc.messages)) from exc
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        raise ApplicationError(
            _("%(email)s has already been invited.") % {"email": email}, code="already_invited"
        ) from None
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, target=invitation, organisation=organisation,
        changes={"kind": [None, kind], "email": [None, email], "full_name": [None, invitation.full_name],
                 "language": [None, language], **{k: [None, v] for k, v in payload.items()}},
        verb="invitation sent",
    )
    _email(invitation=invitation, token=token, personal_message=personal_message.strip())
    return invitation, token


def _locked_open(actor, invitation: Invitation) -> tuple[kinds.InvitationKind, Invitation]:
    spec = kinds.get(invitation.kind)
    _require_manager(spec, actor, invitation)
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    if invitation.status not in (Invitation.Status.PENDING, Invitation.Status.EXPIRED):
        raise ApplicationError(_("This invitation is no longer pending."), code="not_pending")
    return spec, invitation


@transaction.atomic
def invitation_resend(*, actor, invitation: Invitation) -> tuple[Invitation, str]:
    """Send the invitation again with a new token and a new expiry; the old link stops working at once."""
    spec, invitation = _locked_open(actor, invitation)
    if spec.check_send is not None:  # what may no longer be granted (a role, a member since) is not sent again
        spec.check_send(actor=actor, organisation=invitation.organisation, target=invitation.target,
                        email=invitation.mailed_to, payload=invitation.payload)
    now = timezone.now()
    if invitation.sent_at > now - datetime.timedelta(seconds=RESEND_INTERVAL_SECONDS):
        raise ApplicationError(
            _("The invitation to %(email)s was sent less than a minute ago. Wait a moment before sending it again.")
            % {"email": invitation.mailed_to},
            code="too_soon",
        )
    token = _new_token()
    old_expiry = invitation.expires_at
    invitation.token_hash = token_hash(token)
    invitation.status = Invitation.Status.PENDING
    invitation.sent_at = now
    invitation.expires_at = now + spec.expiry()
    invitation.send_count += 1
    invitation.save(update_fields=["token_hash", "status", "sent_at", "expires_at", "send_count", "updated_at"])
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, target=invitation, organisation=invitation.organisation,
        changes={"expires_at": [old_expiry, invitation.expires_at]}, verb="invitation resent",
    )
    _email(invitation=invitation, token=token)
    return invitation, token


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    """Withdraw an open invitation: its link stops working."""
    _spec, invitation = _locked_open(actor, invitation)
    _revoke(actor=actor, invitation=invitation, verb="invitation revoked")
    return invitation


@transaction.atomic
def invitation_void(*, actor, target: models.Model, kind: str) -> int:
    """Revoke the open invitations of `kind` to `target` without a permission check of its own: the caller's
    service already checked the actor (e.g. a person's e-mail changed, so the link mailed to the old one dies)."""
    voided = 0
    for invitation in Invitation.objects.select_for_update().filter(
        kind=kind, status=Invitation.Status.PENDING, **_target_key(target)
    ):
        _revoke(actor=actor, invitation=invitation, verb="invitation voided")
        voided += 1
    return voided


def invitation_problem(*, invitation: Invitation, user=None) -> str | None:
    """Why this invitation cannot be accepted (by `user`, if given), as a message for the user; None if it can.
    Expired and withdrawn invitations get the same answer as a token that does not exist."""
    if invitation.status == Invitation.Status.ACCEPTED:
        return str(ALREADY_USED)
    if invitation.status != Invitation.Status.PENDING or invitation.is_expired:
        return str(UNUSABLE)
    if user is not None and getattr(user, "is_authenticated", False):
        # Only the address the link was mailed to, confirmed on the account, may accept (addresses).
        return invitation_address_problem(user=user, mailed_to=invitation.mailed_to)
    return None


@transaction.atomic
def invitation_accept(*, user, token: str) -> tuple[Invitation, Any]:
    """Accept an invitation with its token: `user`, holding the mailed-to address verified, gets what the kind
    grants. Returns the invitation and the granted object."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to accept the invitation."))
    invitation = (
        Invitation.objects.select_for_update().select_related("organisation")
        .filter(token_hash=token_hash(token or "")).first()
    )
    if invitation is None or (invitation.status != Invitation.Status.ACCEPTED
                              and invitation_problem(invitation=invitation) is not None):
        raise NotFound(UNUSABLE)
    if invitation.status == Invitation.Status.ACCEPTED:
        raise ApplicationError(ALREADY_USED, code="already_used")
    problem = invitation_address_problem(user=user, mailed_to=invitation.mailed_to)
    if problem:
        raise PermissionDenied(problem)
    result = kinds.get(invitation.kind).accept(invitation=invitation, user=user)
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_by = user
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["status", "accepted_by", "accepted_at", "updated_at"])
    # Named by the address the organisation invited (which the account holds confirmed), never by the account's
    # own address: a host or a participant may have another, and the organisation learns only that they accepted.
    audit_record(
        actor=user, action=AuditEvent.Action.GRANT, target=result if isinstance(result, models.Model) else invitation,
        organisation=invitation.organisation, actor_label=invitation.mailed_to,
        changes={"user": [None, invitation.mailed_to], "invitation": [None, invitation.public_id],
                 **{k: [None, v] for k, v in invitation.payload.items()}},
        verb="invitation accepted",
    )
    return invitation, result


def invitations_erase(*, pseudonym: str, targets: Iterable[models.Model] = (), kinds: Iterable[str] = (),
                      addresses: Iterable[str] = ()) -> int:
    """Erasure at a person's request (accounts.privacy): the invitations of `kinds` to `targets` (their records)
    and those mailed to `addresses` (their confirmed addresses) lose the address and name; open ones are revoked.
    The rows stay, without personal data, and so do their audit entries, relabelled `pseudonym`. Runs in the
    caller's transaction; returns how many rows were erased."""
    kinds, match = list(kinds), models.Q(pk__in=[])
    for target in targets:
        match |= models.Q(kind__in=kinds, **_target_key(target))
    normalised = [normalise_address(a) for a in addresses if normalise_address(a)]
    if normalised:
        match |= models.Q(mailed_to__in=normalised)
    rows = Invitation.objects.filter(match)
    public_ids = list(rows.values_list("public_id", flat=True))
    rows.filter(status=Invitation.Status.PENDING).update(status=Invitation.Status.REVOKED)
    erased = rows.update(mailed_to="", full_name="", updated_at=timezone.now())
    AuditEvent.objects.filter(object_type=Invitation._meta.label, object_id__in=public_ids).update(
        object_repr=pseudonym, changes={})
    return erased
