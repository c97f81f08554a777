"""Reads for personal API tokens: a user sees only their own."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from agnitio.core.errors import NotFound
from agnitio.core.prepared import PreparedQuery

from .models import ApiToken


def api_token_list(*, actor, usable_only: bool = False) -> QuerySet[ApiToken]:
    """The actor's own tokens, newest first; `usable_only`: neither revoked nor expired."""
    if not getattr(actor, "is_authenticated", False):
        return ApiToken.objects.none()
    tokens = ApiToken.objects.filter(user=actor).select_related("organisation")
    if usable_only:
        tokens = _usable(tokens, timezone.now())
    return tokens


def _usable(tokens: QuerySet[ApiToken], now: datetime.datetime) -> QuerySet[ApiToken]:
    return tokens.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now), revoked_at__isnull=True)


def _usable_count(user_id: int, now: datetime.datetime):
    """The user's row (its key only) with the number of `api_token_list(usable_only=True)` at `now` annotated."""
    usable = _usable(ApiToken.objects.filter(user_id=OuterRef("pk")), now).order_by().values("user_id").annotate(
        n=Count("pk")).values("n")
    return get_user_model()._default_manager.filter(pk=user_id).order_by().only("pk").annotate(
        usable_api_tokens=Coalesce(Subquery(usable, output_field=IntegerField()), Value(0)))[:1]


# "My account" shows this count on every visit: one prepared query (ADR 0019), the time bound as a value.
_USABLE_COUNT = PreparedQuery(_usable_count, markers={
    "user_id": -7_318_046_231, "now": datetime.datetime(1901, 3, 5, 7, 11, 13, 170_019, tzinfo=datetime.UTC)},
    name="apikeys.usable_count")


def api_token_usable_count(*, actor) -> int:
    """`api_token_list(actor=actor, usable_only=True).count()`, in one prepared query."""
    if not getattr(actor, "is_authenticated", False):
        return 0
    now = timezone.now()
    if type(actor.pk) is not int or type(now) is not datetime.datetime:
        return _usable(api_token_list(actor=actor), now).count()
    row = _USABLE_COUNT.one(user_id=actor.pk, now=now)
    return row.usable_api_tokens if row is not None else 0


def api_token_get(*, actor, public_id: str) -> ApiToken:
    token = api_token_list(actor=actor).filter(public_id=public_id).first()
    if token is None:
        raise NotFound()
    return token
