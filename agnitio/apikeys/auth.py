"""django-ninja authentication: personal API tokens (Bearer) and the browser session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from .services import api_token_authenticate


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer agn_…`. Sets `request.auth` to the user and `request.api_token` to the token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        api_token = api_token_authenticate(raw=token.strip())
        if api_token is None:
            return None
        request.api_token = api_token
        request.user = api_token.user
        return api_token.user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session. Writes need the CSRF token, as everywhere else on the site."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None  # nothing to protect: answer 401, not a CSRF failure
        if "Authorization" in request.headers:
            return None  # a program sent credentials: a wrong token is refused, never rescued by a cookie
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        if key is None:
            return None
        if request.user.is_authenticated and request.user.is_active:
            request.api_token = None
            return request.user
        return None


def token_allows_organisation(request: HttpRequest, organisation) -> bool:
    """False when the request's API token is bound to a different organisation than `organisation`."""
    token = getattr(request, "api_token", None)
    return token is None or token.organisation_id is None or token.organisation_id == organisation.pk


def check_token_organisation(request: HttpRequest, organisation) -> None:
    """Raise NotFound (the same answer as for a stranger) if the token may not reach `organisation`."""
    if not token_allows_organisation(request, organisation):
        from agnitio.core.errors import NotFound

        raise NotFound()
