"""Reads about the signed-in person's own account."""

from allauth.mfa.adapter import DefaultMFAAdapter, get_adapter
from allauth.mfa.models import Authenticator

from agnitio.core.prepared import PreparedQuery


def _authenticators_of(user_id: int):
    return Authenticator.objects.filter(user_id=user_id).order_by().only("pk")[:1]


# "My account" shows whether two-factor sign-in is on at every visit: one prepared query (ADR 0019).
_ANY_AUTHENTICATOR = PreparedQuery(_authenticators_of, markers={"user_id": -7_318_046_233},
                                   name="accounts.any_authenticator")


def mfa_enabled(*, user) -> bool:
    """allauth's `is_mfa_enabled(user)`: whether the person has an authenticator of any type. allauth's default
    adapter asks `Authenticator.objects.filter(user_id=user.pk).exists()`; this reads the same row through a
    prepared query. An adapter of the project's own (MFA_ADAPTER) is asked as allauth asks it."""
    adapter = get_adapter()
    if (type(adapter).is_mfa_enabled is not DefaultMFAAdapter.is_mfa_enabled or user.is_anonymous
            or type(user.pk) is not int):
        return adapter.is_mfa_enabled(user)
    return _ANY_AUTHENTICATOR.one(user_id=user.pk) is not None
