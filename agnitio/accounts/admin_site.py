"""The Django admin behind the same door as the rest of the site (issue 8, point 2).

`/admin/login/` never takes a password: it sends the visitor to allauth's sign-in (same throttling, the TOTP step
when the account has it) and back. Staff must use two-factor authentication: an account without an active TOTP
authenticator is sent to set one up, and a session that was not confirmed with a code (e.g. signed in before the
authenticator was added) is asked for one before any admin page opens.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin import AdminSite
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def session_confirmed_with_second_factor(request) -> bool:
    """This session's sign-in (or a later re-authentication) included a one-time code."""
    from allauth.account.authentication import get_authentication_records

    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


class AgnitioAdminSite(AdminSite):
    def has_permission(self, request) -> bool:
        return (super().has_permission(request) and has_totp(request.user)
                and session_confirmed_with_second_factor(request))

    def _next(self, request) -> str:
        target = request.GET.get(REDIRECT_FIELD_NAME) or request.POST.get(REDIRECT_FIELD_NAME) or ""
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                      require_https=request.is_secure()):
            return target
        return reverse("admin:index", current_app=self.name)

    def login(self, request, extra_context=None):
        """Never a password form here: send the visitor to the step they are missing."""
        target = self._next(request)
        user = request.user
        if not user.is_authenticated:
            return redirect(reverse("account_login") + "?" + urlencode({REDIRECT_FIELD_NAME: target}))
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        if not has_totp(user):
            messages.warning(request, _("The administration site needs two-factor authentication. Set up an "
                                        "authenticator app here, then open the administration site again."))
            return redirect("mfa_activate_totp")
        if not session_confirmed_with_second_factor(request):
            messages.info(request, _("Enter a code from your authenticator app to open the administration site."))
            return redirect(reverse("mfa_reauthenticate") + "?" + urlencode({REDIRECT_FIELD_NAME: target}))
        return redirect(target)
