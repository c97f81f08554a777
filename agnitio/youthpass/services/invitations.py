"""The links an invitation page offers a visitor who is not signed in."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from agnitio.core.invitations import stash_invited_address


def invitation_sign_in_links(request, *, email: str) -> dict:
    """Sign-in and sign-up addresses that come back to the invitation. `email` is the address the link was mailed
    to: holding the link proves that address only, so a sign-up with exactly it needs no second e-mail round trip
    (core.invitations); any other address is confirmed as usual and cannot accept the invitation."""
    if request.user.is_authenticated:
        return {}
    stash_invited_address(request, email)
    here = request.get_full_path()
    return {"login_url": reverse("account_login") + "?" + urlencode({"next": here}),
            "signup_url": reverse("account_signup") + "?" + urlencode({"email": email, "next": here})}
