"""Writes for personal API tokens: create (the secret is returned once), revoke, authenticate."""

from __future__ import annotations

import datetime
import hmac
import secrets
import string

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError
from agnitio.core.permissions import require
from agnitio.core.services import audit_record
from agnitio.core.tokens import token_hash

from .models import ApiToken

TOKEN_PREFIX = "agn_"  # noqa: S105 - a marker, not a secret
_ALPHABET = string.ascii_letters + string.digits
_ID_LENGTH = 10  # public part after "agn_": looked up by index
_SECRET_LENGTH = 40  # ≈ 238 random bits
PREFIX_LENGTH = len(TOKEN_PREFIX) + _ID_LENGTH
TOKEN_LENGTH = PREFIX_LENGTH + _SECRET_LENGTH
# Writing last_used_at on every request would turn every API read into a write; once a minute is enough.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def _random(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


@transaction.atomic
def api_token_create(
    *, actor, name: str, organisation=None, expires_at: datetime.datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for `actor`. Returns the token and its secret, which is never stored and never shown again."""
    require(actor, "apikeys.add_token", hide=False)
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Give the token a name so you can recognise it later."), code="name_required")
    if expires_at is not None and expires_at <= timezone.now():
        raise ApplicationError(_("The expiry date must be in the future."), code="expiry_in_past")
    if organisation is not None:
        from agnitio.organisations.selectors import organisation_get

        # Raises NotFound unless the actor belongs to the organisation.
        organisation = organisation_get(actor=actor, public_id=organisation.public_id)
    prefix = TOKEN_PREFIX + _random(_ID_LENGTH)
    while ApiToken.objects.filter(prefix=prefix).exists():  # 62**10 ids: practically never loops
        prefix = TOKEN_PREFIX + _random(_ID_LENGTH)
    raw = prefix + _random(_SECRET_LENGTH)
    token = ApiToken.objects.create(
        user=actor, name=name, organisation=organisation, prefix=prefix, secret_hash=token_hash(raw),
        expires_at=expires_at,
    )
    audit_record(
        actor=actor, action="grant", target=token, organisation=organisation, verb="api_token_created",
        changes={"name": [None, name], "prefix": [None, prefix],
                 "organisation": [None, organisation], "expires_at": [None, expires_at]},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a token at once (its owner, or a superuser, e.g. for a leaked one). Revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    require(actor, "apikeys.revoke_token", token)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        actor=actor, action="revoke", target=token, organisation=token.organisation, verb="api_token_revoked",
        changes={"revoked_at": [None, token.revoked_at]},
    )
    return token


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The usable token matching `raw` (not revoked, not expired, active user), or None."""
    if len(raw) != TOKEN_LENGTH or not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user", "organisation").filter(prefix=raw[:PREFIX_LENGTH]).first()
    )
    if token is None:
        return None
    if not hmac.compare_digest(token.secret_hash, token_hash(raw)):
        return None
    if not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
