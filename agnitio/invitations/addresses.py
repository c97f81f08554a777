"""Invitation links bound to the address they were mailed to (one rule for every kind of invitation).

An invitation row stores the address the link was e-mailed to when it was created (``mailed_to``). Only that
address may accept it: the accepting account must have it as a *verified* address (allauth ``EmailAddress``),
compared case-insensitively. Holding the link proves only that address, so a sign-up through the link is treated
as verified only when it uses exactly that address (``stash_invited_address``); any other address goes through
the normal confirmation e-mail. Changing a person's e-mail voids their open invitation (``address_changed`` says
when; ``invitation_void`` in ``services`` revokes it): a new invitation must be sent to the new address.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from agnitio.core.emails import email_normalise

# The platform's one rule (agnitio.core.emails), under the name the invitation kinds use.
normalise_address = email_normalise


def user_has_verified_address(user, email: str | None) -> bool:
    """True when `email` is one of the user's confirmed addresses. An empty address never matches."""
    from allauth.account.models import EmailAddress

    email = normalise_address(email)
    if not email or not getattr(user, "is_authenticated", False):
        return False
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def invitation_address_problem(*, user, mailed_to: str | None) -> str | None:
    """Why `user` may not accept an invitation mailed to `mailed_to` (a message for the user); None if they may."""
    if user_has_verified_address(user, mailed_to):
        return None
    if not normalise_address(mailed_to):
        return _("This invitation is no longer valid. Ask the organiser to send a new one.")
    return _(
        "This invitation was sent to %(invited)s, but you are signed in as %(current)s. Sign out and sign in "
        "(or sign up) with %(invited)s, or ask the organiser to invite %(current)s instead."
    ) % {"invited": normalise_address(mailed_to), "current": user.email}


# The invitation whose link page this browser opened (its token's hash): a sign-up with the address it was mailed
# to is not counted against the per-address sign-up limit while it is open (`selectors.invitation_for_signup`).
SIGNUP_SESSION_KEY = "agnitio.invitation_signup"


def stash_invited_address(request, mailed_to: str | None, *, token: str = "") -> None:
    """The visitor holds a link mailed to `mailed_to`: a sign-up with exactly that address needs no second
    confirmation e-mail (any other address is confirmed as usual), and is not held up by the sign-up limit of the
    network it comes from (a group signing up at once from one venue's Wi-Fi)."""
    from allauth.account.adapter import get_adapter

    from agnitio.core.tokens import token_hash

    mailed_to = normalise_address(mailed_to)
    if mailed_to:
        get_adapter(request).stash_verified_email(request, mailed_to)
        if token:
            request.session[SIGNUP_SESSION_KEY] = token_hash(token)


def address_changed(old: str | None, new: str | None) -> bool:
    return normalise_address(old) != normalise_address(new)
