"""The supervisor's or mentor's part: the organiser invites them, they accept (invitations app) and write their
assessment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agnitio.core.errors import ApplicationError
from agnitio.core.http import not_found_as_404

from .. import forms, selectors, services
from ._common import form_error, journal_context, project_of


@require_POST
@not_found_as_404
def supervisor_invite(request, pid, ppid):
    project = project_of(request, pid)
    participant = selectors.participant_get(actor=request.user, project=project, public_id=ppid)
    form = forms.SupervisorInviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the supervisor's name and a valid e-mail address."))
    else:
        try:
            services.supervisor_invite(actor=request.user, participant=participant, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The supervisor was asked for their assessment."))
    return redirect("youthpass:participant_detail", pid, ppid)


@login_required
@not_found_as_404
def supervisor_assess(request, ppid):
    participant = selectors.participant_get_for_supervisor(actor=request.user, public_id=ppid)
    form = forms.SupervisorAssessmentForm(request.POST or None, initial={
        "assessment": participant.supervisor_assessment, "position": participant.supervisor_position})
    if request.method == "POST" and form.is_valid():
        try:
            services.supervisor_assessment_write(actor=request.user, participant=participant, **form.cleaned_data)
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Thank you. Your assessment is saved."))
            return redirect("youthpass:supervisor_assess", ppid)
    return render(request, "youthpass/supervisor_assess.html", {
        "participant": participant, "form": form,
        **journal_context(request, actor=request.user, participant=participant)})
