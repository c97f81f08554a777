"""The e-mail outbox: queue a rendered message, deliver it once, retry with back-off, let admins retry."""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Iterable
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import F, Q
from django.template.exceptions import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError

from agnitio.core.emails import email_q_any_case
from agnitio.core.errors import ApplicationError
from agnitio.core.permissions import require
from agnitio.core.services import audit_record

from .models import OutboxEmail

logger = logging.getLogger(__name__)

# Delivery attempts before a message is marked failed, and the back-off between them:
# BACKOFF_BASE * 2**(attempt-1) seconds, capped at BACKOFF_CAP (30 s, 1 min, 2 min, ... 1 h).
MAX_ATTEMPTS = 8
BACKOFF_BASE = 30
BACKOFF_CAP = 3600
# A queued message whose attempt is this much overdue lost its task (broker restart, crash before
# the enqueue); a message "sending" for this long lost its worker. The sweeper re-enqueues both.
LOST_QUEUED_AFTER = datetime.timedelta(minutes=5)
LOST_SENDING_AFTER = datetime.timedelta(minutes=15)


def _language(language: str | None) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    return language if language in codes else settings.LANGUAGE_CODE


def _related_key(related: models.Model | None) -> tuple[str, str]:
    if related is None:
        return "", ""
    return related._meta.label, str(getattr(related, "public_id", None) or related.pk)


def email_render(*, template: str, context: dict, language: str) -> tuple[str, str, str]:
    """Render (subject, text, html) from `{template}_subject.txt`, `_message.txt`, optional `_message.html`.

    Text templates should wrap their content in `{% autoescape off %}` (allauth's convention).
    """
    ctx = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject: str = render_to_string(f"{template}_subject.txt", ctx)
        body_text = render_to_string(f"{template}_message.txt", ctx).strip() + "\n"
        try:
            body_html: str = render_to_string(f"{template}_message.html", ctx)
        except TemplateDoesNotExist:
            body_html = ""
    subject = " ".join(subject.split())[:255]
    return subject, body_text, body_html


def email_queue(
    *,
    to: str,
    template: str,
    context: dict,
    language: str,
    organisation=None,
    user=None,
    related: models.Model | None = None,
) -> OutboxEmail:
    """Render the message in `language`, store it in the outbox and deliver it after the commit."""
    try:
        validate_email(to)
    except ValidationError as exc:
        raise ApplicationError(
            _("“%(address)s” is not an e-mail address we can send to.") % {"address": to}, code="invalid_email"
        ) from exc
    language = _language(language)
    subject, body_text, body_html = email_render(template=template, context=context, language=language)
    related_type, related_id = _related_key(related)
    email = OutboxEmail.objects.create(
        to=to,
        reply_to=(getattr(organisation, "email", "") or "") if organisation is not None else "",
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        language=language,
        template=template,
        organisation=organisation,
        user=user,
        related_type=related_type,
        related_id=related_id,
        next_attempt_at=timezone.now(),
    )
    _enqueue_on_commit(email.pk)
    return email


def _enqueue(outbox_id: int) -> None:
    from . import tasks

    try:
        tasks.deliver_email.delay(outbox_id)
    except (OperationalError, OSError):
        # The broker is down: the message is safe in the outbox and the sweeper enqueues it later.
        logger.exception("Could not enqueue outbox e-mail %s; it stays queued for the sweeper.", outbox_id)


def _enqueue_on_commit(outbox_id: int) -> None:
    transaction.on_commit(lambda: _enqueue(outbox_id))


def outbox_list_for(*, related: models.Model, also: Iterable[models.Model] = ()) -> models.QuerySet[OutboxEmail]:
    """Every message about `related` and about each of `also` (its invitations, say), newest first (the history
    of communication with it)."""
    match = models.Q(pk__in=[])
    for obj in (related, *also):
        related_type, related_id = _related_key(obj)
        match |= models.Q(related_type=related_type, related_id=related_id)
    return OutboxEmail.objects.filter(match)


def backoff_seconds(attempt: int) -> int:
    """Seconds to wait after failed attempt number `attempt` (1-based)."""
    return min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(0, attempt - 1))


def _message_id(email: OutboxEmail) -> str:
    # Stable per outbox row, so a receiver can spot the rare duplicate after a lost worker.
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or urlsplit(settings.SITE_URL).hostname
    return f"<{email.public_id}@{domain or 'agnitio.localhost'}>"


@dataclasses.dataclass(frozen=True)
class Delivery:
    """What one delivery attempt did. `retry_in` is set when the caller should try again later."""

    status: str
    retry_in: int | None = None


def outbox_deliver(*, outbox_id: int) -> Delivery:
    """Send one outbox message at most once; on failure record the error and say when to retry.

    Safe to call twice or concurrently for the same id: the row is claimed with a conditional
    update (queued -> sending), so only one caller sends it; the others see it is not queued and stop.
    """
    now = timezone.now()
    claimed = OutboxEmail.objects.filter(pk=outbox_id, status=OutboxEmail.Status.QUEUED).update(
        status=OutboxEmail.Status.SENDING, attempts=F("attempts") + 1, updated_at=now
    )
    if not claimed:
        status = OutboxEmail.objects.filter(pk=outbox_id).values_list("status", flat=True).first()
        return Delivery(status=status or "missing")
    email = OutboxEmail.objects.get(pk=outbox_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        reply_to=[email.reply_to] if email.reply_to else None,
        headers={"Message-ID": _message_id(email), "Content-Language": email.language},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        message.send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - any backend error is recorded and retried
        error = f"{type(exc).__name__}: {exc}"[:2000]
        logger.warning("E-mail %s to %s failed (attempt %s): %s", email.public_id, email.to, email.attempts, error)
        if email.attempts >= MAX_ATTEMPTS:
            OutboxEmail.objects.filter(pk=outbox_id).update(
                status=OutboxEmail.Status.FAILED, last_error=error, next_attempt_at=None, updated_at=timezone.now()
            )
            return Delivery(status=OutboxEmail.Status.FAILED)
        delay = backoff_seconds(email.attempts)
        OutboxEmail.objects.filter(pk=outbox_id).update(
            status=OutboxEmail.Status.QUEUED,
            last_error=error,
            next_attempt_at=timezone.now() + datetime.timedelta(seconds=delay),
            updated_at=timezone.now(),
        )
        return Delivery(status=OutboxEmail.Status.QUEUED, retry_in=delay)
    sent_at = timezone.now()
    OutboxEmail.objects.filter(pk=outbox_id).update(
        status=OutboxEmail.Status.SENT, sent_at=sent_at, next_attempt_at=None, updated_at=sent_at
    )
    return Delivery(status=OutboxEmail.Status.SENT)


@transaction.atomic
def outbox_retry(*, actor, email: OutboxEmail) -> OutboxEmail:
    """An owner or admin of the e-mail's organisation (or platform staff, in the admin site) asks to try a failed
    message again: a fresh round of attempts, starting now. Anyone else: not found."""
    require(actor, "notifications.retry_email", email)
    email = OutboxEmail.objects.select_for_update().get(pk=email.pk)
    if email.status != OutboxEmail.Status.FAILED:
        raise ApplicationError(_("Only a message that failed can be sent again."), code="not_failed")
    old_attempts = email.attempts
    email.status = OutboxEmail.Status.QUEUED
    email.attempts = 0
    email.next_attempt_at = timezone.now()
    email.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
    audit_record(
        actor=actor, action="other", verb="email_retry", target=email, organisation=email.organisation,
        changes={"status": [OutboxEmail.Status.FAILED, OutboxEmail.Status.QUEUED], "attempts": [old_attempts, 0]},
    )
    _enqueue_on_commit(email.pk)
    return email


def outbox_requeue_lost(*, now: datetime.datetime | None = None) -> int:
    """Re-enqueue messages whose task was lost; returns how many. Duplicates are harmless (see deliver)."""
    now = now or timezone.now()
    # A worker that died while sending: give the message back to the queue (it may go out twice, rarely).
    stuck = OutboxEmail.objects.filter(status=OutboxEmail.Status.SENDING, updated_at__lt=now - LOST_SENDING_AFTER)
    lost = OutboxEmail.objects.filter(status=OutboxEmail.Status.QUEUED, next_attempt_at__lt=now - LOST_QUEUED_AFTER)
    ids = list(stuck.values_list("pk", flat=True)[:500]) + list(lost.values_list("pk", flat=True)[:500])
    # Queued now; the next sweep looks at these rows again only LOST_QUEUED_AFTER from now.
    OutboxEmail.objects.filter(pk__in=ids, status__in=[OutboxEmail.Status.SENDING, OutboxEmail.Status.QUEUED]).update(
        status=OutboxEmail.Status.QUEUED, next_attempt_at=now, updated_at=now
    )
    for pk in ids:
        _enqueue_on_commit(pk)
    return len(ids)


def outbox_bodies_prune(*, now: datetime.datetime | None = None, days: int | None = None) -> int:
    """Drop the text and HTML of messages that were sent or failed more than `days`
    (AGNITIO_OUTBOX_RETENTION_DAYS) ago, keeping the metadata. Idempotent; returns how many were pruned."""
    from django.conf import settings

    now = now or timezone.now()
    days = settings.AGNITIO_OUTBOX_RETENTION_DAYS if days is None else days
    limit = now - datetime.timedelta(days=days)
    done = [OutboxEmail.Status.SENT, OutboxEmail.Status.FAILED]
    return OutboxEmail.objects.filter(status__in=done, body_pruned_at__isnull=True, updated_at__lt=limit).update(
        body_text="", body_html="", body_pruned_at=now,
    )


def outbox_person_erase(*, user, emails: set[str], now: datetime.datetime) -> int:
    """Empty the e-mails sent to a person (their account or confirmed `emails`) at their erasure request: the rows
    stay for the organisation's delivery counts, without address, subject or text. Returns how many."""
    return OutboxEmail.objects.filter(Q(user=user) | email_q_any_case("to", emails)).update(
        to="", subject="", body_text="", body_html="", reply_to="", user=None, body_pruned_at=now,
    )
