"""Pages of the Nacionālais Europass centrs: the queue of applications to decide, the queue of folders to post."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.http import not_found_as_404
from agnitio.core.pagination import keyset_page

from .. import forms, selectors, services


def _require_nec(request):
    if not selectors.national_centres_for(actor=request.user).exists():
        raise NotFound()


@login_required
@not_found_as_404
def nec_queue(request):
    _require_nec(request)
    return _queue_page(request)


def _queue_page(request, *, refused: dict | None = None):
    """The queue; `refused` ({"application", "public_id", "reason", "error"}): a rejection that was not saved,
    shown first with the typed reason and the error beside it (400)."""
    page = keyset_page(selectors.nec_application_queue(actor=request.user), ordering=selectors.NEC_QUEUE_ORDER,
                       request=request)
    applications = list(page.items)
    if refused is not None:  # first, wherever its page is
        applications = [refused["application"]] + [a for a in applications if a.pk != refused["application"].pk]
    rows = [(application, selectors.waiting_too_long(application)) for application in applications]
    return render(request, "europass/nec_queue.html", {"page": page, "rows": rows, "refused": refused,
                                                       "decision_form": forms.DecisionForm()},
                  status=400 if refused else 200)


@login_required
@require_POST
@not_found_as_404
def application_decide(request, aid):
    application = selectors.nec_application_list(actor=request.user).filter(public_id=aid).first()
    if application is None:
        raise NotFound()
    form = forms.DecisionForm(request.POST)
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            services.application_approve(actor=request.user, application=application)
            messages.success(request, _("Approved: the documents were made and the applicant told."))
        elif decision == "reject":
            if not form.is_valid():
                return _queue_page(request, refused={"application": application, "public_id": aid,
                                                     "reason": request.POST.get("reason", ""),
                                                     "error": " ".join(form.errors.get("reason", []))})
            services.application_reject(actor=request.user, application=application,
                                        reason=form.cleaned_data["reason"])
            messages.success(request, _("Rejected: the applicant was told the reason."))
        else:
            messages.error(request, _("Choose to approve, or to reject with a reason."))
    except NotFound:
        raise
    except ApplicationError as error:
        if decision == "reject":  # the reason typed stays, with what to fix beside it
            return _queue_page(request, refused={"application": application, "public_id": aid,
                                                 "reason": request.POST.get("reason", ""), "error": str(error)})
        messages.error(request, str(error))
    return redirect("europass:nec_queue")


@login_required
@not_found_as_404
def folder_queue(request):
    _require_nec(request)
    page = keyset_page(selectors.nec_folder_queue(actor=request.user), ordering=selectors.FOLDER_QUEUE_ORDER,
                       request=request)
    return render(request, "europass/folder_queue.html", {"page": page})


@login_required
@require_POST
@not_found_as_404
def folders_mark_sent(request, aid):
    application = selectors.nec_application_list(actor=request.user).filter(public_id=aid).first()
    if application is None:
        raise NotFound()
    try:
        services.application_folders_mark_sent(actor=request.user, application=application)
    except NotFound:
        raise
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Marked sent."))
    return redirect("europass:folder_queue")
