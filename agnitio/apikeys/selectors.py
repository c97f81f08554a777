"""Reads for personal API tokens: a user sees only their own."""

from django.db.models import QuerySet

from agnitio.core.errors import NotFound

from .models import ApiToken


def api_token_list(*, actor) -> QuerySet[ApiToken]:
    if not getattr(actor, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=actor).select_related("organisation")


def api_token_get(*, actor, public_id: str) -> ApiToken:
    token = api_token_list(actor=actor).filter(public_id=public_id).first()
    if token is None:
        raise NotFound()
    return token
