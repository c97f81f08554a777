"""Pages of a sending institution: registration, confirmation, base data, additional users, next steps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.http import not_found_as_404
from agnitio.core.permissions import allowed
from agnitio.invitations.addresses import stash_invited_address

from .. import forms, selectors, services
from ..services.institutions import registration_for_token
from ._common import deny_unless, form_error, institution_of

# Anonymous forms that send e-mail: bounded per address (a school registers once; a few typos are fine).
REGISTER_RATE = "20/h"
RESEND = "resend"  # the resend form's prefix: both forms on the register page have an e-mail field (unique ids)


@ratelimit(group="europass.register", key="ip", rate=REGISTER_RATE, method="POST", block=True)
def register(request):
    """Anyone: register an institution (once) by name and e-mail."""
    form = forms.RegisterForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            services.institution_register(**form.cleaned_data)
        except ApplicationError as error:
            form_error(form, error, {"duplicate": "name", "pending": "name", "name": "name",
                                     "email": "email"}.get(error.code))
        else:
            return render(request, "europass/register_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "europass/register.html", {"form": form, "resend_form": forms.ResendForm(prefix=RESEND)})


@require_POST
@ratelimit(group="europass.register", key="ip", rate=REGISTER_RATE, method="POST", block=True)
def register_resend(request):
    """Anyone: send the confirmation link again (the answer is the same whether or not the address registered)."""
    form = forms.ResendForm(request.POST, prefix=RESEND)
    if form.is_valid():
        services.institution_registration_resend(email=form.cleaned_data["email"])
        return render(request, "europass/register_sent.html", {"email": form.cleaned_data["email"], "resent": True})
    return render(request, "europass/register.html", {"form": forms.RegisterForm(), "resend_form": form},
                  status=400)


def register_confirm(request, token):
    """The link from the e-mail: sign in (or create the account), then complete the base data. Only an account that
    holds the address the link was sent to may use it; any other gets the answer of a link that does not exist."""
    user = request.user if request.user.is_authenticated else None
    try:
        registration = registration_for_token(token=token, actor=user)
    except ApplicationError as error:
        return _link_refused(request, error)
    if user is None:
        # Holding the link proves the address it was sent to: a sign-up with it needs no second confirmation.
        stash_invited_address(request, registration.email)
        return redirect_to_login(request.get_full_path())
    form = forms.ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.institution_registration_confirm(actor=user, token=token, data=form.cleaned_data)
        except NotFound as error:
            return _link_refused(request, error)
        except ApplicationError as error:
            if error.code == "expired":
                return _link_refused(request, error)
            form_error(form, error, error.code)
        else:
            messages.success(request, _("The institution is registered. These are your next steps."))
            return redirect("europass:next_steps")
    return render(request, "europass/register_confirm.html", {"form": form, "registration": registration})


def _link_refused(request, error: ApplicationError):
    """A link that does not exist, was used, or is not this account's: 404; an expired one: 410 with the form that
    has a new link sent."""
    expired = error.code == "expired"
    return render(request, "europass/register_invalid.html", {
        "message": str(error), "resend_form": forms.ResendForm(prefix=RESEND) if expired else None,
    }, status=410 if expired else 404)


@login_required
def next_steps(request):
    """Shown first after sign-in: apply, edit existing documents, store a signature or stamp."""
    institution = selectors.institution_for(actor=request.user, organisation=getattr(request, "organisation", None))
    centres = selectors.national_centres_for(actor=request.user)
    return render(request, "europass/next_steps.html", {
        "institution": institution, "centres": centres,
        "waiting": selectors.application_list(actor=request.user).filter(status="submitted").count(),
    })


@login_required
@not_found_as_404
def institution_detail(request):
    institution = institution_of(request)
    users = selectors.institution_user_list(actor=request.user, institution=institution)
    can_manage = allowed(request.user, "europass.manage_institution_users", institution)
    invite_form = forms.UserInviteForm(initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST":
        deny_unless(request, "europass.manage_institution_users", institution)
        invite_form = forms.UserInviteForm(request.POST)
        if invite_form.is_valid():
            try:
                services.institution_user_invite(actor=request.user, institution=institution,
                                                 **invite_form.cleaned_data)
            except NotFound:
                raise
            except ApplicationError as error:
                form_error(invite_form, error, {"duplicate": "email", "cap": None}.get(error.code, error.code))
            else:
                messages.success(request, _("Invitation sent."))
                return redirect("europass:institution_detail")
    return render(request, "europass/institution_detail.html", {
        "institution": institution, "users": users, "can_manage": can_manage, "invite_form": invite_form,
        "can_edit": allowed(request.user, "europass.change_institution", institution),
        "slots_left": max(0, 3 - len(users)),
    })


@login_required
@not_found_as_404
def institution_edit(request):
    institution = institution_of(request)
    deny_unless(request, "europass.change_institution", institution)
    org = institution.organisation
    initial = {"legal_name": org.legal_name, "address": org.address, "email": org.email, "phone": str(org.phone or ""),
               "contact_person": institution.contact_person, "postal_address": institution.postal_address,
               "language": institution.language}
    form = forms.InstitutionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.institution_update(actor=request.user, institution=institution, data=form.cleaned_data)
        except NotFound:
            raise
        except ApplicationError as error:
            form_error(form, error, {"duplicate": "legal_name"}.get(error.code))
        else:
            messages.success(request, _("Saved."))
            return redirect("europass:institution_detail")
    return render(request, "europass/institution_edit.html", {"form": form, "institution": institution})


@login_required
@require_POST
@not_found_as_404
def institution_user_remove(request, uid):
    institution = institution_of(request)
    deny_unless(request, "europass.manage_institution_users", institution)
    row = selectors.institution_user_get(actor=request.user, institution=institution, public_id=uid)
    try:
        services.institution_user_remove(actor=request.user, row=row)
    except NotFound:
        raise
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The user was removed."))
    return redirect("europass:institution_detail")
