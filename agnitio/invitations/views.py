"""The invitation link (every kind) and the organiser's resend/withdraw buttons."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.http import not_found_as_404

from . import kinds, selectors, services
from .addresses import stash_invited_address

# Anonymous and answered by a look-up: bounded per address, but generously, since a whole group opens its links
# from one venue's Wi-Fi at once (the styled 429 page says when to try again).
ACCEPT_RATE = "120/m"


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=ACCEPT_RATE, block=True)
def invitation_accept(request, token):
    """The link from the e-mail. Anyone holding the token may see what it is for; accepting needs the right account."""
    try:
        invitation = selectors.invitation_for_token(token=token)
    except NotFound as exc:
        return render(request, "invitations/accept.html", {"invalid": str(exc)}, status=404)
    kind = kinds.get(invitation.kind)
    user = request.user if request.user.is_authenticated else None
    problem = services.invitation_problem(invitation=invitation, user=user)
    if request.method == "POST" and user is not None and problem is None:
        try:
            _invitation, result = services.invitation_accept(user=request.user, token=token)
        except ApplicationError as exc:
            problem = str(exc)
        else:
            if kind.accepted_url is not None:
                return HttpResponseRedirect(kind.accepted_url(request, result))
            messages.success(request, _("The invitation was accepted."))
            return HttpResponseRedirect(reverse("core:home"))
    context = {"invitation": invitation, "description": kind.describe(invitation), "problem": problem}
    if user is None and problem is None:
        # Holding the token proves the mailed-to address: allauth may treat a sign-up with it as verified.
        stash_invited_address(request, invitation.mailed_to, token=token)
        here = request.get_full_path()
        context.update({
            "has_account": get_user_model().objects.filter(email__iexact=invitation.mailed_to).exists(),
            "login_url": reverse("account_login") + "?" + urlencode({"next": here}),
            "signup_url": reverse("account_signup") + "?" + urlencode({"email": invitation.mailed_to, "next": here}),
        })
    return render(request, "invitations/accept.html", context)


@login_required
@require_POST
@not_found_as_404
def invitation_manage(request, public_id, action):
    """Resend or withdraw an invitation, for whoever its kind lets manage it; back to the kind's list."""
    invitation = selectors.invitation_get(actor=request.user, public_id=public_id)
    try:
        if action == "resend":
            services.invitation_resend(actor=request.user, invitation=invitation)
            messages.success(request, _("The invitation to %(email)s was sent again with a new link.")
                             % {"email": invitation.mailed_to})
        elif action == "withdraw":
            services.invitation_revoke(actor=request.user, invitation=invitation)
            messages.success(request, _("The invitation to %(email)s was withdrawn; its link no longer works.")
                             % {"email": invitation.mailed_to})
        else:
            raise Http404()
    except ApplicationError as exc:
        messages.error(request, str(exc))
    return HttpResponseRedirect(kinds.get(invitation.kind).manage_url(invitation))
