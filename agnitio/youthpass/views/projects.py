"""Pages of a Youthpass project: list, start, data, partners, editors, finalisation and reminders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agnitio.core import versioning
from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.http import not_found_as_404, upload_refused_page
from agnitio.core.pagination import keyset_page
from agnitio.core.permissions import allowed
from agnitio.invitations.selectors import invitations_open_by_target

from .. import forms, organiser_reminders, reminders, rows, selectors, services
from ..invitation_kinds import EDITOR
from ._common import form_error, project_of

LOGO_UPLOADS = "youthpass.logo"  # a project's logo, per account and hour (AGNITIO_UPLOAD_RATE_LIMIT)

# --- projects ----------------------------------------------------------------------------------------------------

@login_required
def project_list(request):
    page = keyset_page(lambda: selectors.project_list_rows(actor=request.user), ordering=selectors.PROJECT_ORDER,
                       request=request, default_size=selectors.PROJECT_PAGE_SIZE,
                       first_rows=lambda n: selectors.project_list_first_rows(actor=request.user, rows=n))
    # the learner's own records are shown with the first page only (one per project they took part in)
    learner_records = selectors.learner_records(actor=request.user) if page.is_first else []
    can_start = request.organisation is not None
    return render(request, "youthpass/project_list.html", {
        "page": page, "rows": rows.project_rows(page), "learner_records": learner_records, "can_start": can_start})


@login_required
def project_create(request):
    if request.organisation is None:
        messages.error(request, _("Create or join an organisation first: projects belong to an organisation."))
        return redirect("organisations:list")
    form = forms.ProjectStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(actor=request.user, organisation=request.organisation,
                                              **form.cleaned_data)
        except NotFound as error:
            raise Http404 from error
        except ApplicationError as error:
            form_error(form, error, {"grant_number": "grant_number", "duplicate": "grant_number",
                                      "action": "grant_number", "project_type": "project_type"}.get(error.code))
        else:
            messages.success(request, _("Project started. Now enter its data."))
            return redirect("youthpass:project_edit", project.public_id)
    return render(request, "youthpass/project_start.html", {"form": form})


@login_required
@not_found_as_404
def project_detail(request, pid):
    project = project_of(request, pid)
    numbers = selectors.participant_status_numbers(project=project)  # one query for the counts and the notices
    return render(request, "youthpass/project_detail.html", {
        "project": project, "activities": selectors.project_activities(actor=request.user, project=project),
        "partners": selectors.project_partners(actor=request.user, project=project),
        "is_admin": allowed(request.user, "youthpass.manage_project", project),
        "partner_form": forms.PartnerForm(), "tab": "overview",
        "status_counts": selectors.participant_status_counts(project=project, numbers=numbers),
        "notices": organiser_reminders.project_notices(project=project,
                                                       counts=organiser_reminders.counts_of(numbers)),
        "organiser_reminders_form": forms.OrganiserRemindersForm(instance=project),
    })


@login_required
@require_POST
@not_found_as_404
def organiser_reminders_update(request, pid):
    project = project_of(request, pid)
    form = forms.OrganiserRemindersForm(request.POST, instance=selectors.reread(project))
    if form.is_valid():
        organiser_reminders.organiser_reminders_set(actor=request.user, project=project, data=form.cleaned_data)
        messages.success(request, _("Reminder settings saved."))
    return redirect("youthpass:project_detail", project.public_id)


@login_required
@not_found_as_404
def project_edit(request, pid):
    project = project_of(request, pid)
    if refused := upload_refused_page(request, group=LOGO_UPLOADS):  # a logo: per account and hour
        return refused
    version_of_shown = selectors.reread(project)  # the instance below is mutated by validation
    form = forms.ProjectForm(request.POST or None, request.FILES or None, instance=project)
    versioning.add_version_field(form, version_of_shown)
    # the model form never saves: the service does (validation mutates the instance, so it is re-read)
    if request.method == "POST" and form.is_valid():
        def save():
            data = {k: v for k, v in form.cleaned_data.items() if k != "logo_upload"}
            if form.cleaned_data.get("logo_upload"):
                data["logo"] = form.cleaned_data["logo_upload"]
            services.project_update(actor=request.user, project=selectors.reread(project),
                                    data=data)
        try:
            saved = versioning.versioned_save(form=form, instance=version_of_shown, save=save)
        except ApplicationError as error:
            form_error(form, error, {"grant_number": "grant_number", "duplicate": "grant_number",
                                      "action": "grant_number", "dates": "end_date",
                                      "project_type": "project_type"}.get(error.code))
        else:
            if saved:
                messages.success(request, _("Project saved."))
                return redirect("youthpass:project_detail", project.public_id)
    return render(request, "youthpass/project_form.html", {"project": project, "form": form, "tab": "overview"})


@login_required
@require_POST
@not_found_as_404
def project_delete(request, pid):
    project = project_of(request, pid)
    try:
        services.project_delete(actor=request.user, project=project)
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("youthpass:project_detail", pid)
    messages.success(request, _("Project deleted."))
    return redirect("youthpass:project_list")


@login_required
@require_POST
@not_found_as_404
def partner_add(request, pid):
    project = project_of(request, pid)
    form = forms.PartnerForm(request.POST)
    if form.is_valid():
        services.project_partner_add(actor=request.user, project=project, **form.cleaned_data)
        messages.success(request, _("Partner organisation added."))
    else:
        messages.error(request, _("Enter the partner organisation's name and country."))
    return redirect("youthpass:project_detail", pid)


@login_required
@require_POST
@not_found_as_404
def partner_remove(request, pid, partner_id):
    project = project_of(request, pid)
    partner = selectors.project_partner_get(project=project, public_id=partner_id)
    services.project_partner_remove(actor=request.user, partner=partner)
    messages.success(request, _("Partner organisation removed."))
    return redirect("youthpass:project_detail", pid)


# --- editors -----------------------------------------------------------------------------------------------------

@login_required
@not_found_as_404
def editor_list(request, pid):
    project = project_of(request, pid)
    is_admin = allowed(request.user, "youthpass.manage_project", project)
    form = forms.EditorInviteForm(request.POST or None)
    if request.method == "POST" and is_admin and form.is_valid():
        try:
            services.project_editor_invite(actor=request.user, project=project, **form.cleaned_data)
        except ApplicationError as error:
            form_error(form, error, {"email": "email", "duplicate": "email"}.get(error.code))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
            return redirect("youthpass:editor_list", pid)
    page = keyset_page(selectors.project_editor_list(actor=request.user, project=project), ordering=("full_name", "id"),
                       request=request)
    # the open link of each pending editor on the page, to send again (invitations:manage); admins only
    pending = [e for e in page if e.status == e.Status.PENDING] if is_admin else []
    open_links = invitations_open_by_target(actor=request.user, kind=EDITOR, targets=pending)
    for editor in page:
        editor.open_invitation = open_links.get(editor.pk)
    return render(request, "youthpass/editor_list.html", {
        "project": project, "page": page, "form": form, "is_admin": is_admin, "tab": "editors"})


@login_required
@require_POST
@not_found_as_404
def editor_revoke(request, pid, editor_id):
    project = project_of(request, pid)
    editor = selectors.project_editor_get(project=project, public_id=editor_id)
    try:
        services.project_editor_revoke(actor=request.user, editor=editor)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s can no longer see or edit this project.") % {"name": editor.full_name})
    return redirect("youthpass:editor_list", pid)


# --- finalisation, reminders, certificates -----------------------------------------------------------------------

@login_required
@not_found_as_404
def project_finalise(request, pid):
    from agnitio.organisations.selectors import signatory_list

    project = project_of(request, pid)
    signatories = signatory_list(actor=request.user, organisation=project.organisation, active_only=True)
    initial = {"signing_place": project.signing_place, "signing_date": project.signing_date,
               "signatory_page1": project.signatory_page1_id, "signatory_part2": project.signatory_part2_id,
               "extra_signatory_name": project.extra_signatory_name,
               "extra_signatory_position": project.extra_signatory_position,
               "certificate_language": project.certificate_language}
    form = forms.FinaliseForm(request.POST or None, signatories=signatories, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_finalise(actor=request.user, project=project, **form.cleaned_data)
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The certificates are confirmed. You can now issue them."))
            return redirect("youthpass:participant_list", pid)
    return render(request, "youthpass/project_finalise.html",
                  {"project": project, "form": form, "signatories": signatories, "tab": "finalise"})


@login_required
@not_found_as_404
def reminder_list(request, pid):
    project = project_of(request, pid)
    if request.method == "POST" and "opt" in request.POST:
        try:
            reminders.project_reminders_opt(actor=request.user, project=project,
                                            opt_in=request.POST["opt"] == "in")
        except ApplicationError as error:
            messages.error(request, str(error))
        return redirect("youthpass:reminder_list", pid)
    def reminder_form(reminder, data=None):
        form = forms.ReminderForm(data, instance=reminder, prefix=reminder.public_id)
        versioning.add_version_field(form, reminder)
        return form

    rows = [(r, reminders.reminder_status(r), reminder_form(r))
            for r in selectors.reminder_list(actor=request.user, project=project)]
    if request.method == "POST" and "reminder" in request.POST:
        for index, (reminder, status, _form) in enumerate(rows):
            if reminder.public_id == request.POST["reminder"]:
                form = reminder_form(reminder, request.POST)
                if form.is_valid():
                    try:
                        saved = versioning.versioned_save(
                            form=form, instance=reminder, save=lambda r=reminder, f=form: reminders.reminder_update(
                                actor=request.user, reminder=selectors.reread(r), data=f.cleaned_data))
                    except ApplicationError as error:
                        form.add_error(None, str(error))
                    else:
                        if saved:
                            messages.success(request, _("Reminder saved."))
                            return redirect("youthpass:reminder_list", pid)
                rows[index] = (reminder, status, form)
    return render(request, "youthpass/reminder_list.html", {"project": project, "rows": rows, "tab": "reminders"})
