"""My account → API tokens: list, create (the secret is shown once), revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.pagination import keyset_page

from .forms import ApiTokenCreateForm
from .selectors import api_token_get, api_token_list
from .services import api_token_create, api_token_revoke


def _organisations(user):
    from agnitio.organisations.selectors import organisation_list

    return organisation_list(actor=user)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_list(request):
    form = ApiTokenCreateForm(request.POST or None, organisations=_organisations(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = api_token_create(
                actor=request.user, name=form.cleaned_data["name"],
                organisation=form.cleaned_data["organisation"], expires_at=form.expires_at(),
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            # Rendered, not redirected: the secret must not be kept anywhere (session, URL) to show it later.
            return render(request, "apikeys/token_created.html", {"token": token, "secret": secret})
    status = 400 if form.errors else 200
    return render(
        request, "apikeys/token_list.html",
        {"page": keyset_page(api_token_list(actor=request.user), ordering=("-created_at", "-id"), request=request),
         "form": form}, status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request, public_id):
    try:
        token = api_token_get(actor=request.user, public_id=public_id)
    except NotFound as error:
        raise Http404(error.message) from error
    if request.method == "POST":
        api_token_revoke(actor=request.user, token=token)
        messages.success(request, _("The token “%(name)s” was revoked. It no longer works.") % {"name": token.name})
        return redirect("apikeys:list")
    return render(request, "apikeys/token_revoke.html", {"token": token})
