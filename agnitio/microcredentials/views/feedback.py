"""Validation of prior learning (the provider awards from an assessment) and learner feedback (the learner's
page of their micro-credentials with the invitation, the feedback form; the provider's aggregate)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agnitio.core.errors import ApplicationError
from agnitio.core.http import not_found_as_404

from .. import forms_more, selectors
from ..services import awards as award_services
from ..services import feedback as services
from ..services import prior_learning
from ._common import form_error, form_errors


@login_required
@not_found_as_404
def award_prior_learning(request, sid):
    specification = selectors.specification_get(actor=request.user, public_id=sid)
    form = forms_more.PriorLearningAwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        learner = award_services.LearnerIn(name=data["name"], email=data["email"],
                                           date_of_birth=data["date_of_birth"], national_id=data["national_id"],
                                           grade=data["grade"], evidence_links=data["evidence_links"])
        assessment = prior_learning.AssessmentIn(
            learning_context=data["learning_context"], method=data["method"], assessed_on=data["prior_assessed_on"],
            assessor=data["assessor"], criteria=data["criteria"], result=data["result"])
        try:
            award = prior_learning.award_issue_prior_learning(actor=request.user, specification=specification,
                                                              learner=learner, assessment=assessment,
                                                              languages=data["languages"])
        except ApplicationError as error:
            # the assessment's date is the award's date of assessment: one field, prior_assessed_on
            form_errors(form, error, error.code, rename={"assessed_on": "prior_assessed_on"})
        else:
            messages.success(request, _("Issued from the validation of prior learning."))
            return redirect("microcredentials:award_detail", award.public_id)
    return render(request, "microcredentials/prior_learning_form.html",
                  {"specification": specification, "form": form})


@login_required
def learner_awards(request):
    awards = list(selectors.learner_award_list(actor=request.user).order_by("-issued_on", "-id")[:100])
    given = set(selectors.learner_feedback_award_ids(actor=request.user))
    return render(request, "microcredentials/learner_awards.html", {"awards": awards, "given": given})


@login_required
@not_found_as_404
def feedback_give(request, aid):
    award = selectors.learner_award_get(actor=request.user, public_id=aid)
    existing = selectors.learner_feedback_get(actor=request.user, award=award)
    initial = ({"rating": existing.rating, "comment": existing.comment, "show_name": existing.show_name}
               if existing else None)
    form = forms_more.FeedbackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_give(actor=request.user, award_public_id=award.public_id, **form.cleaned_data)
        except ApplicationError as error:
            form_error(form, error, error.code)
        else:
            messages.success(request, _("Thank you: your feedback is saved."))
            return redirect("microcredentials:learner_awards")
    return render(request, "microcredentials/feedback_form.html",
                  {"award": award, "form": form, "existing": existing, "edit_days": services.FEEDBACK_EDIT_DAYS})


@login_required
@not_found_as_404
def specification_feedback(request, sid):
    specification = selectors.specification_get(actor=request.user, public_id=sid)
    summary = selectors.feedback_summary(actor=request.user, specification=specification)
    return render(request, "microcredentials/feedback_summary.html",
                  {"specification": specification, "summary": summary})
