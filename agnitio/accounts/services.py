"""Writes on the user's own account (profile, preferred language). Sign-in flows themselves are allauth's."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError
from agnitio.core.permissions import require
from agnitio.core.services import audit_record, model_update

from .models import User

PROFILE_FIELDS = ["full_name", "language"]


def _check_language(language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ApplicationError(_("Choose one of the offered languages."), code="invalid_language")


@transaction.atomic
def user_update(*, actor: User, user: User, data: dict[str, Any]) -> User:
    """Change a user's own profile (full name, preferred language). Only the user may do it."""
    require(actor, "accounts.change_user", user, hide=False)
    if "language" in data:
        _check_language(data["language"])
    if "full_name" in data:
        data = {**data, "full_name": (data["full_name"] or "").strip()}
    changes = model_update(instance=user, fields=PROFILE_FIELDS, data=data)
    if changes:
        audit_record(actor=actor, action="update", target=user, changes=changes, verb="profile_update")
    return user


# What allauth did to an account, recorded in the audit trail (verb -> audit action).
SECURITY_EVENTS = {
    "signed_up": "create",
    "password_changed": "update",
    "password_set": "update",
    "password_reset": "update",
    "email_added": "update",
    "email_confirmed": "update",
    "email_changed": "update",
    "email_removed": "update",
    "mfa_totp_added": "update",
    "mfa_totp_removed": "update",
    "mfa_recovery_codes_added": "update",
    "mfa_recovery_codes_removed": "update",
    "mfa_recovery_codes_reset": "update",
}


def account_event_record(*, user: User, verb: str, changes: dict | None = None) -> None:
    """Audit a change allauth made to the user's account (password, e-mail addresses, two-factor)."""
    if verb not in SECURITY_EVENTS:
        raise ValueError(f"unknown account event {verb!r}")
    audit_record(actor=user, action=SECURITY_EVENTS[verb], target=user, changes=changes, verb=verb)


def user_language_for_email(email: str) -> str | None:
    """The preferred language of whoever owns this e-mail address, or None for unknown addresses."""
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    if address is not None:
        return address.user.language
    user = User.objects.filter(email__iexact=email).only("language").first()
    return user.language if user else None
