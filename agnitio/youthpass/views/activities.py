"""Pages of a project's activities."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agnitio.core import versioning
from agnitio.core.errors import ApplicationError
from agnitio.core.http import not_found_as_404

from .. import forms, selectors, services
from ._common import form_error, project_of

# --- activities --------------------------------------------------------------------------------------------------

@login_required
@not_found_as_404
def activity_form(request, pid, aid=None):
    project = project_of(request, pid)
    activity = selectors.activity_get(actor=request.user, project=project, public_id=aid) if aid else None
    form = forms.ActivityForm(request.POST or None, instance=activity, project=project)
    versioning.add_version_field(form, activity)
    if request.method == "POST" and form.is_valid():
        try:
            if activity is None:
                services.activity_create(actor=request.user, project=project, **form.cleaned_data)
                saved = True
            else:
                saved = versioning.versioned_save(form=form, instance=activity, save=lambda: services.activity_update(
                    actor=request.user, activity=selectors.reread(activity),
                    data=form.cleaned_data))
        except ApplicationError as error:
            form_error(form, error, {"dates": "end_date", "activity_type": "activity_type"}.get(error.code))
        else:
            if saved:
                messages.success(request, _("Activity saved."))
                return redirect("youthpass:project_detail", pid)
    return render(request, "youthpass/activity_form.html",
                  {"project": project, "activity": activity, "form": form, "tab": "overview"})


@login_required
@require_POST
@not_found_as_404
def activity_delete(request, pid, aid):
    project = project_of(request, pid)
    activity = selectors.activity_get(actor=request.user, project=project, public_id=aid)
    services.activity_delete(actor=request.user, activity=activity)
    messages.success(request, _("Activity deleted."))
    return redirect("youthpass:project_detail", pid)
