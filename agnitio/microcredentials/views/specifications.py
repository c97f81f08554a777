"""The provider's pages: its micro-credential specifications (list, describe, publish, versions, withdraw) and its
provider page (quality assurance, recognition policy)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agnitio.core.errors import ApplicationError
from agnitio.core.http import not_found_as_404
from agnitio.core.pagination import keyset_page
from agnitio.core.permissions import allowed, require
from agnitio.organisations.selectors import organisation_get

from .. import forms, selectors
from ..services import specifications as services
from ._common import form_error


@login_required
def specification_list(request):
    organisation = request.organisation
    queryset = selectors.specification_list(actor=request.user, organisation=organisation)
    page = keyset_page(queryset, ordering=selectors.SPECIFICATION_ORDER, request=request)
    return render(request, "microcredentials/specification_list.html", {
        "page": page, "organisation": organisation,
        "can_edit_profile": organisation is not None and allowed(request.user, "microcredentials.change_profile",
                                                                 organisation)})


@login_required
def specification_create(request):
    if request.organisation is None:
        messages.error(request, _("Create or join an organisation first: micro-credentials belong to a provider."))
        return redirect("organisations:list")
    form = forms.SpecificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            specification = services.specification_create(actor=request.user, organisation=request.organisation,
                                                          data=form.data_for_service())
        except ApplicationError as error:
            form_error(form, error, error.code)
        else:
            messages.success(request, _("Draft saved. Publish it when every required element is filled in."))
            return redirect("microcredentials:specification_detail", specification.public_id)
    return render(request, "microcredentials/specification_form.html", {"form": form, "specification": None})


@login_required
@not_found_as_404
def specification_detail(request, sid):
    specification = selectors.specification_get(actor=request.user, public_id=sid)
    awards = keyset_page(selectors.award_list(actor=request.user, specification=specification),
                         ordering=selectors.AWARD_ORDER, request=request)
    return render(request, "microcredentials/specification_detail.html", {
        "specification": specification,
        "missing": services.specification_missing(specification=specification),
        "versions": selectors.specification_versions(actor=request.user, specification=specification),
        "awards": awards,
        "esco_skills": selectors.specification_esco_skills(specification=specification,
                                                           language=translation.get_language()),
    })


@login_required
@not_found_as_404
def specification_edit(request, sid):
    specification = selectors.specification_get(actor=request.user, public_id=sid)
    if not specification.is_editable:
        messages.error(request, _("A published micro-credential cannot be changed: make a new version and publish "
                                  "that."))
        return redirect("microcredentials:specification_detail", sid)
    form = forms.SpecificationForm(request.POST or None, instance=specification)
    if request.method == "POST" and form.is_valid():
        try:
            services.specification_update(actor=request.user, specification=specification,
                                          data=form.data_for_service())
        except ApplicationError as error:
            form_error(form, error, error.code)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("microcredentials:specification_detail", sid)
    return render(request, "microcredentials/specification_form.html",
                  {"form": form, "specification": specification})


@login_required
@require_POST
@not_found_as_404
def specification_publish(request, sid):
    specification = selectors.specification_get(actor=request.user, public_id=sid)
    try:
        services.specification_publish(actor=request.user, specification=specification)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Published: it is now in the public catalogue."))
    return redirect("microcredentials:specification_detail", sid)


@login_required
@require_POST
@not_found_as_404
def specification_new_version(request, sid):
    specification = selectors.specification_get(actor=request.user, public_id=sid)
    try:
        draft = services.specification_new_version(actor=request.user, specification=specification)
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("microcredentials:specification_detail", sid)
    messages.success(request, _("A new version was made as a draft. The published version stays until this one is "
                                "published."))
    return redirect("microcredentials:specification_edit", draft.public_id)


@login_required
@require_POST
@not_found_as_404
def specification_withdraw(request, sid):
    specification = selectors.specification_get(actor=request.user, public_id=sid)
    try:
        services.specification_withdraw(actor=request.user, specification=specification)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Withdrawn from the catalogue. Credentials already issued stay valid."))
    return redirect("microcredentials:specification_detail", sid)


@login_required
@require_POST
@not_found_as_404
def specification_delete(request, sid):
    specification = selectors.specification_get(actor=request.user, public_id=sid)
    try:
        services.specification_delete(actor=request.user, specification=specification)
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("microcredentials:specification_detail", sid)
    messages.success(request, _("Draft deleted."))
    return redirect("microcredentials:specification_list")


@login_required
@not_found_as_404
def provider_edit(request, oid):
    organisation = organisation_get(actor=request.user, public_id=oid)
    require(request.user, "microcredentials.change_profile", organisation)
    profile = selectors.provider_profile_get(organisation=organisation)
    initial = {"quality_assurance": profile.quality_assurance if profile else "",
               "recognition_policy": profile.recognition_policy if profile else "",
               "listed": profile.listed if profile else True}
    form = forms.ProviderProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_profile_update(actor=request.user, organisation=organisation, data=form.cleaned_data)
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Provider page saved."))
            return redirect("microcredentials:specification_list")
    return render(request, "microcredentials/provider_form.html", {"form": form, "organisation": organisation})
