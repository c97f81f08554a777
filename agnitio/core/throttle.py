"""Throttling with django-ratelimit, counted in the shared cache.

* `address_throttled`: anonymous clients per address, shared by the public endpoints (ESCO search, the
  micro-credential catalogue). A request without an address (a misconfigured proxy) counts against one shared
  "no-address" budget instead of escaping the limit.
* `account_throttle`: what one signed-in account may do per hour (recognition requests, uploads), whichever way it
  comes — page, session or API token — so a page and its API share one budget. Beyond it: `Throttled` (the page
  shows the styled 429 page, `core.http.throttled_page`; the API answers 429 JSON), both with Retry-After."""

from __future__ import annotations

from django.conf import settings
from django_ratelimit.core import get_usage, is_ratelimited

from .errors import Throttled

UPLOAD_DEFAULT_RATE = "60/h"


def _no_address(group, request) -> str:
    return "no-address"


def address_throttled(request, *, group: str, rate: str | None) -> bool:
    """Count this request against its address's budget for `group`; True when it is over. No rate: no limit."""
    if not rate:
        return False
    key = "ip" if request.META.get("REMOTE_ADDR") or getattr(settings, "RATELIMIT_IP_META_KEY", None) else _no_address
    return is_ratelimited(request, group=group, key=key, rate=rate, increment=True)


def upload_rate() -> str:
    """The budget of one account for one kind of upload (`AGNITIO_UPLOAD_RATE_LIMIT`; empty = no limit)."""
    return getattr(settings, "AGNITIO_UPLOAD_RATE_LIMIT", UPLOAD_DEFAULT_RATE)


def upload_message():
    from django.utils.translation import gettext_lazy as _

    return _("You have uploaded too many files in a short while.")


def account_throttle(request, *, actor, group: str, rate: str | None, message=None) -> None:
    """Count one `group` action of the signed-in `actor` (keyed by the account, not the session or the token);
    raise `Throttled` (with the seconds until the window renews) when it is over `rate`. No rate: no limit."""
    if not rate or actor is None or not getattr(actor, "is_authenticated", False):
        return
    usage = get_usage(request, group=group, key=lambda _group, _request: f"account:{actor.pk}", rate=rate,
                      increment=True)
    if usage is not None and usage["should_limit"]:
        raise Throttled(message, retry_after=usage["time_left"])


def upload_throttle(request, *, actor, group: str) -> None:
    """Count one upload of `actor` in the API against the same hourly budget as the page of that kind
    (`core.http.upload_refused_page` with the same `group`): `Throttled` (429 JSON, Retry-After) beyond it."""
    account_throttle(request, actor=actor, group=group, rate=upload_rate(), message=upload_message())
