"""Pages of a project's participants: the filtered list with bulk actions, the form, the detail page, reopening
the outcomes and the spreadsheet export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agnitio.core import versioning
from agnitio.core.errors import ApplicationError
from agnitio.core.http import not_found_as_404

from .. import forms, selectors, services
from ..models import Participant
from ..services import certificates
from . import certificates as certificate_views
from ._common import PAGE_SIZE, XLSX, form_error, ids_chosen, project_of

# --- participants ------------------------------------------------------------------------------------------------

@login_required
@not_found_as_404
def participant_list(request, pid):
    project = project_of(request, pid)
    activities = list(project.activities.all())
    activity = next((a for a in activities if a.public_id == request.GET.get("activity")), None)
    status = request.GET.get("status") if request.GET.get("status") in Participant.Status.values else ""
    role = request.GET.get("role") if request.GET.get("role") in Participant.Role.values else ""
    search = request.GET.get("q", "").strip()[:100]
    people = selectors.participant_list(actor=request.user, project=project, status=status, role=role,
                                        activity=activity, search=search)
    bulk = forms.BulkForm(request.POST or None)
    if request.method == "POST":
        # "everyone matching the filter" spans all pages; otherwise the ticked rows
        chosen = list(people if request.POST.get("all_matching") else people.filter(public_id__in=ids_chosen(request)))
        if not chosen:
            messages.error(request, _("Choose at least one person in the list."))
        elif bulk.is_valid():
            return _bulk_action(request, project, bulk, chosen)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "youthpass/participant_list.html", {
        "project": project, "participants": page.object_list, "page": page, "query": query.urlencode(),
        "activities": activities, "bulk": bulk, "tab": "participants",
        "filters": {"status": status, "role": role, "activity": activity.public_id if activity else "",
                    "q": search},
        "statuses": Participant.Status.choices, "roles": Participant.Role.choices})


def _bulk_action(request, project, bulk, chosen):
    action = bulk.cleaned_data["action"]
    message = bulk.cleaned_data["personal_message"]
    try:
        if action == "invite":
            skipped = services.participant_invite(actor=request.user, participants=chosen, personal_message=message)
            messages.success(request, _("Invitations sent: %(n)d.") % {"n": len(chosen) - len(skipped)})
        elif action == "withdraw":
            skipped = services.participant_invitation_withdraw(actor=request.user, participants=chosen)
            messages.success(request, _("Invitations withdrawn: %(n)d.") % {"n": len(chosen) - len(skipped)})
        elif action == "message":
            skipped = services.participant_message_send(actor=request.user, participants=chosen,
                                                        personal_message=message)
            messages.success(request, _("Messages sent: %(n)d.") % {"n": len(chosen) - len(skipped)})
        elif action == "issue":
            batch = certificates.certificate_batch_start(actor=request.user, project=project, participants=chosen,
                                                         reissue=bulk.cleaned_data["reissue"])
            certificate_views.skipped_message(request, batch.skipped)
            return redirect("youthpass:batch_detail", project.public_id, batch.public_id)
        else:
            if not bulk.cleaned_data["confirm_delete"]:
                messages.error(request, _("Tick the box to confirm that you want to delete the chosen people."))
                return redirect(request.get_full_path())
            count = services.participant_delete(actor=request.user, participants=chosen)
            skipped = []
            messages.success(request, _("Deleted: %(n)d.") % {"n": count})
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect(request.get_full_path())
    if skipped:
        messages.warning(request, _("Not done for: %(names)s.") % {"names": "; ".join(skipped)})
    return redirect(request.get_full_path())


@login_required
@not_found_as_404
def participant_form(request, pid, ppid=None):
    project = project_of(request, pid)
    participant = selectors.participant_get(actor=request.user, project=project, public_id=ppid) if ppid else None
    form = forms.ParticipantForm(request.POST or None, instance=participant, project=project)
    versioning.add_version_field(form, participant)
    if request.method == "POST" and form.is_valid():
        try:
            if participant is None:
                data = {k: v for k, v in form.cleaned_data.items() if k != "activities"}
                participant = services.participant_create(actor=request.user, project=project,
                                                          activities=form.cleaned_data["activities"], **data)
                saved = True
            else:
                saved = versioning.versioned_save(form=form, instance=participant, save=lambda: (
                    services.participant_update(
                        actor=request.user, participant=selectors.reread(participant),
                        data={k: v for k, v in form.cleaned_data.items() if k != "activities"},
                        activities=form.cleaned_data["activities"])))
        except ApplicationError as error:
            form_error(form, error, {"duplicate": "email"}.get(error.code))
        else:
            if saved:
                messages.success(request, _("Saved."))
                return redirect("youthpass:participant_detail", pid, participant.public_id)
    return render(request, "youthpass/participant_form.html",
                  {"project": project, "participant": participant, "form": form, "tab": "participants"})


@login_required
@not_found_as_404
def participant_detail(request, pid, ppid):
    project = project_of(request, pid)
    participant = selectors.participant_get(actor=request.user, project=project, public_id=ppid)
    supervisor = forms.SupervisorForm(request.POST or None, instance=participant)
    versioning.add_version_field(supervisor, participant)
    if request.method == "POST" and supervisor.is_valid() and versioning.versioned_save(
            form=supervisor, instance=participant, save=lambda: services.supervisor_assessment_update(
                actor=request.user, participant=selectors.reread(participant),
                data=supervisor.cleaned_data)):
        messages.success(request, _("Saved."))
        return redirect("youthpass:participant_detail", pid, ppid)
    texts = selectors.outcome_texts(participant=participant)
    sections = forms.outcome_sections(participant, texts, languages=["lv", "en"], only_written=True)
    history = selectors.communication_list(actor=request.user, participant=participant)[:100]
    certificate = participant.certificate
    return render(request, "youthpass/participant_detail.html", {
        "project": project, "participant": participant, "supervisor": supervisor, "sections": sections,
        "supervisor_invite": forms.SupervisorInviteForm(initial={
            "full_name": participant.supervisor_name, "email": participant.supervisor_email,
            "position": participant.supervisor_position, "language": participant.language}),
        "history": history, "certificate": certificate, "tab": "participants",
        "earlier_certificates": certificates.certificate_history(participant=participant)[1:],
        "missing": certificates.certificate_missing(participant=participant)})


@login_required
@require_POST
@not_found_as_404
def outcomes_reopen(request, pid, ppid):
    project = project_of(request, pid)
    participant = selectors.participant_get(actor=request.user, project=project, public_id=ppid)
    try:
        services.outcomes_reopen(actor=request.user, participant=participant)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The participant can change their learning outcomes again."))
    return redirect("youthpass:participant_detail", pid, ppid)


@login_required
@not_found_as_404
def participant_export(request, pid):
    project = project_of(request, pid)
    response = HttpResponse(services.participant_export_xlsx(actor=request.user, project=project),
                            content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="participants-{project.grant_number}.xlsx"'
    return response
