"""Reads for personal API tokens: a user sees only their own."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from agnitio.core.errors import NotFound

from .models import ApiToken


def api_token_list(*, actor, usable_only: bool = False) -> QuerySet[ApiToken]:
    """The actor's own tokens, newest first; `usable_only`: neither revoked nor expired."""
    if not getattr(actor, "is_authenticated", False):
        return ApiToken.objects.none()
    tokens = ApiToken.objects.filter(user=actor).select_related("organisation")
    if usable_only:
        tokens = tokens.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()), revoked_at__isnull=True)
    return tokens


def api_token_get(*, actor, public_id: str) -> ApiToken:
    token = api_token_list(actor=actor).filter(public_id=public_id).first()
    if token is None:
        raise NotFound()
    return token
