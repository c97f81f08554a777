"""allauth adapter: e-mails go through the notifications outbox in the recipient's language, and signing in
switches the interface to the user's preferred language."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.utils import translation

from .services import user_language_for_email
from .throttle import signin_attempt, signin_failures_forget


def _login_of(credentials: dict) -> str:
    return credentials.get("email") or credentials.get("username") or ""


def set_language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language,
        max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        data = getattr(form, "cleaned_data", {}) or {}
        if data.get("full_name"):
            user.full_name = data["full_name"].strip()
        if data.get("language") in dict(settings.LANGUAGES):
            user.language = data["language"]
        saved = super().save_user(request, user, form, commit=commit)
        if request is not None:
            request._agnitio_signup_email = saved.email  # for unstash_verified_email, just after this
        return saved

    def pre_authenticate(self, request, **credentials):
        """Refuse before checking the password when this account, this address or the pair has used up its budget
        of failures (agnitio.accounts.throttle). The address's budget is charged only after a wrong password, so a
        class signing in at once from one address is never refused because of the others in flight."""
        attempt = signin_attempt(request, email=_login_of(credentials))
        if not attempt.allowed:
            raise self.validation_error("too_many_login_attempts")
        self._signin_attempt = attempt

    def _rollback_login_failed_rl_usage(self) -> None:
        """A correct password takes back what its attempt reserved on the account."""
        super()._rollback_login_failed_rl_usage()
        attempt = getattr(self, "_signin_attempt", None)
        if attempt:
            attempt.succeeded()

    def authentication_failed(self, request, **credentials):
        attempt = getattr(self, "_signin_attempt", None)
        if attempt:
            attempt.failed()
        super().authentication_failed(request, **credentials)

    def _delete_login_attempts_cached_email(self, request, **credentials):
        """A password reset lifts the account's sign-in lock."""
        super()._delete_login_attempts_cached_email(request, **credentials)
        signin_failures_forget(email=_login_of(credentials))

    def unstash_verified_email(self, request):
        """An invitation link proves only the address it was mailed to (invitations.addresses.stash_invited_address).
        allauth would add that address to *any* new account as verified and primary; here it counts only when the
        person signs up with exactly that address — any other address is confirmed by e-mail as usual."""
        stashed = super().unstash_verified_email(request)
        signing_up_as = getattr(request, "_agnitio_signup_email", None)
        if stashed and signing_up_as and stashed.strip().lower() == signing_up_as.strip().lower():
            return stashed
        return None

    def recipient_language(self, email: str, context: dict[str, Any]) -> str:
        user = context.get("user")
        language = getattr(user, "language", None) or user_language_for_email(email)
        if language in dict(settings.LANGUAGES):
            return language
        current = translation.get_language()
        return current if current in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Queue the message in the outbox (rendered in the recipient's language) instead of sending it now."""
        from agnitio.notifications.services import email_queue

        request = allauth_context.request
        # allauth's texts greet "from {site name}" and sign with its domain: the platform, not the request's host.
        site = SimpleNamespace(name="Agnitio", domain=urlsplit(settings.SITE_URL).netloc or "agnitio.localhost")
        ctx: dict[str, Any] = {"email": email, "current_site": site}
        if request is not None:
            ctx["request"] = request
        ctx.update(context)
        user = context.get("user")
        if user is None or not getattr(user, "pk", None):
            from .models import User

            user = User.objects.filter(email__iexact=email).first()
        email_queue(
            to=email, template=template_prefix, context=ctx,
            language=self.recipient_language(email, context), user=user,
        )

    def get_login_redirect_url(self, request):
        """A sending institution's users see the Europass "next steps" page first after signing in (seed 002)."""
        from django.urls import reverse

        from agnitio.europass.selectors import institution_for

        if institution_for(actor=request.user) is not None:
            return reverse("europass:next_steps")
        return super().get_login_redirect_url(request)

    def post_login(self, request, user, **kwargs):
        """Switch the interface to the user's preferred language for this and later requests."""
        language = getattr(user, "language", None)
        if language not in dict(settings.LANGUAGES):
            return super().post_login(request, user, **kwargs)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = super().post_login(request, user, **kwargs)
        if response is not None and hasattr(response, "set_cookie"):
            set_language_cookie(response, language)
        return response
