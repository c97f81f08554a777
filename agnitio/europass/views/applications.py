"""Pages of applications: apply (A/B for an institution, C for a person), list, detail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.http import not_found_as_404
from agnitio.core.pagination import keyset_page
from agnitio.core.permissions import allowed

from .. import forms, selectors, services
from ._common import form_error


@login_required
def application_list(request):
    page = keyset_page(selectors.application_list(actor=request.user), ordering=selectors.APPLICATION_ORDER,
                       request=request)
    return render(request, "europass/application_list.html", {"page": page})


@login_required
@not_found_as_404
def application_create(request):
    """Conditions first, then the application. `?individual=1`: a person applying for themself (procedure C)."""
    institution = selectors.institution_for(actor=request.user, organisation=getattr(request, "organisation", None))
    individual = institution is None or request.GET.get("individual") == "1"
    form = forms.ApplicationForm(request.POST or None, centres=selectors.national_centre_choices(),
                                 individual=individual)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                actor=request.user, institution=None if individual else institution,
                data={**form.cleaned_data, "language": request.LANGUAGE_CODE})
        except NotFound:
            raise
        except ApplicationError as error:
            form_error(form, error, {"too_early": "start_date", "end_date": "end_date", "criteria": None,
                                     "conditions": "conditions_accepted", "programme": "programme",
                                     "project_number": "project_number", "description": "description",
                                     "issuing_body": "issuing_body", "folders_address": "folders_address",
                                     "participants_count": "participants_count"}.get(error.code, error.code))
        else:
            if application.is_try_out:
                messages.success(request, _("Europass Try Out: the documents are ready. Everything is deleted "
                                            "after 24 hours."))
            else:
                messages.success(request, _("Application sent. The Nacionālais Europass centrs decides within 48 "
                                            "hours; you will be told by e-mail."))
            return redirect("europass:application_detail", application.public_id)
    return render(request, "europass/application_form.html", {"form": form, "individual": individual,
                                                              "institution": institution})


@login_required
@not_found_as_404
def application_detail(request, aid):
    application = selectors.application_get(actor=request.user, public_id=aid)
    documents = selectors.document_list(actor=request.user, application=application).order_by("position", "id")
    return render(request, "europass/application_detail.html", {
        "application": application, "documents": documents,
        "waiting_too_long": selectors.waiting_too_long(application),
        "can_generate": application.institution is not None
        and allowed(request.user, "europass.apply_for_mobility", application.institution),
    })
