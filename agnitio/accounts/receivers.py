"""allauth tells what it did to an account through signals; each is recorded in the audit trail by a service.
(Connected in AccountsConfig.ready. No logic here beyond choosing the event's name.)"""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals

from .services import account_event_record


def _simple(verb):
    def receiver(sender, request=None, user=None, **kwargs):
        if user is not None:
            account_event_record(user=user, verb=verb)

    receiver.__name__ = f"on_{verb}"
    return receiver


def _email(verb):
    def receiver(sender, request=None, user=None, email_address=None, **kwargs):
        if user is None and email_address is not None:
            user = email_address.user
        if user is not None:
            account_event_record(user=user, verb=verb, changes={"email": [None, getattr(email_address, "email", "")]})

    receiver.__name__ = f"on_{verb}"
    return receiver


def on_email_changed(sender, request=None, user=None, from_email_address=None, to_email_address=None, **kwargs):
    if user is not None:
        account_event_record(user=user, verb="email_changed", changes={
            "email": [getattr(from_email_address, "email", None), getattr(to_email_address, "email", None)],
        })


def _authenticator(action):
    def receiver(sender, request=None, user=None, authenticator=None, **kwargs):
        kind = getattr(authenticator, "type", "")
        if user is not None and kind in ("totp", "recovery_codes"):  # passkeys are not enabled
            account_event_record(user=user, verb=f"mfa_{kind}_{action}")

    receiver.__name__ = f"on_authenticator_{action}"
    return receiver


RECEIVERS = [
    (account_signals.user_signed_up, _simple("signed_up")),
    (account_signals.password_changed, _simple("password_changed")),
    (account_signals.password_set, _simple("password_set")),
    (account_signals.password_reset, _simple("password_reset")),
    (account_signals.email_added, _email("email_added")),
    (account_signals.email_confirmed, _email("email_confirmed")),
    (account_signals.email_removed, _email("email_removed")),
    (account_signals.email_changed, on_email_changed),
    (mfa_signals.authenticator_added, _authenticator("added")),
    (mfa_signals.authenticator_removed, _authenticator("removed")),
    (mfa_signals.authenticator_reset, _authenticator("reset")),
]


def connect() -> None:
    for signal, receiver in RECEIVERS:
        signal.connect(receiver, dispatch_uid=f"agnitio.accounts.{receiver.__name__}")
