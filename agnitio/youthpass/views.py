"""HTML views: parse input, call one service or selector, render. Forms work without JavaScript; HTMX only adds
autosave of learning-outcome drafts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agnitio.core import versioning
from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.http import not_found_as_404
from agnitio.core.invitations import stash_invited_address
from agnitio.core.storage import private_file_response
from agnitio.core.validators import TEXT_MAX_LENGTH

from . import certificates, forms, imports, reminders, selectors, services
from . import rules as yp_rules
from .models import Participant, ParticipantImport, ProjectPartner
from .spreadsheets import MAX_BYTES, example_table, xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 100




def _project(request, pid):
    return selectors.project_get(actor=request.user, public_id=pid)


def _form_error(form, error: ApplicationError, field: str | None = None):
    form.add_error(field if field in form.fields else None, str(error))


def _ids(request) -> list[str]:
    return request.POST.getlist("selected")


# --- projects ----------------------------------------------------------------------------------------------------

@login_required
def project_list(request):
    projects = selectors.project_list(actor=request.user, with_counts=True).order_by("-created_at")
    learner_records = selectors.participant_list_for_learner(actor=request.user)
    can_start = request.organisation is not None
    return render(request, "youthpass/project_list.html",
                  {"projects": projects, "learner_records": learner_records, "can_start": can_start})


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
            _form_error(form, error, {"grant_number": "grant_number", "duplicate": "grant_number",
                                      "project_type": "project_type"}.get(error.code))
        else:
            messages.success(request, _("Project started. Now enter its data."))
            return redirect("youthpass:project_edit", project.public_id)
    return render(request, "youthpass/project_start.html", {"form": form})


@login_required
@not_found_as_404
def project_detail(request, pid):
    project = _project(request, pid)
    return render(request, "youthpass/project_detail.html", {
        "project": project, "activities": project.activities.all(), "partners": project.partners.all(),
        "is_admin": yp_rules.is_project_admin(request.user, project),
        "partner_form": forms.PartnerForm(), "tab": "overview",
        "status_counts": {s.label: project.participants.filter(status=s.value).count()
                          for s in Participant.Status},
    })


@login_required
@not_found_as_404
def project_edit(request, pid):
    project = _project(request, pid)
    version_of_shown = project.__class__.objects.get(pk=project.pk)  # the instance below is mutated by validation
    form = forms.ProjectForm(request.POST or None, request.FILES or None, instance=project)
    versioning.add_version_field(form, version_of_shown)
    # the model form never saves: the service does (validation mutates the instance, so it is re-read)
    if request.method == "POST" and form.is_valid():
        def save():
            data = {k: v for k, v in form.cleaned_data.items() if k != "logo_upload"}
            if form.cleaned_data.get("logo_upload"):
                data["logo"] = form.cleaned_data["logo_upload"]
            services.project_update(actor=request.user, project=project.__class__.objects.get(pk=project.pk),
                                    data=data)
        try:
            saved = versioning.versioned_save(form=form, instance=version_of_shown, save=save)
        except ApplicationError as error:
            _form_error(form, error, {"grant_number": "grant_number", "duplicate": "grant_number",
                                      "dates": "end_date", "project_type": "project_type"}.get(error.code))
        else:
            if saved:
                messages.success(request, _("Project saved."))
                return redirect("youthpass:project_detail", project.public_id)
    return render(request, "youthpass/project_form.html", {"project": project, "form": form, "tab": "overview"})


@login_required
@require_POST
@not_found_as_404
def project_delete(request, pid):
    project = _project(request, pid)
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
    project = _project(request, pid)
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
    project = _project(request, pid)
    partner = ProjectPartner.objects.filter(project=project, public_id=partner_id).first()
    if partner is None:
        raise Http404
    services.project_partner_remove(actor=request.user, partner=partner)
    messages.success(request, _("Partner organisation removed."))
    return redirect("youthpass:project_detail", pid)


# --- editors -----------------------------------------------------------------------------------------------------

@login_required
@not_found_as_404
def editor_list(request, pid):
    project = _project(request, pid)
    is_admin = yp_rules.is_project_admin(request.user, project)
    form = forms.EditorInviteForm(request.POST or None)
    if request.method == "POST" and is_admin and form.is_valid():
        try:
            services.project_editor_invite(actor=request.user, project=project, **form.cleaned_data)
        except ApplicationError as error:
            _form_error(form, error, {"email": "email", "duplicate": "email"}.get(error.code))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
            return redirect("youthpass:editor_list", pid)
    return render(request, "youthpass/editor_list.html", {
        "project": project, "editors": selectors.project_editor_list(actor=request.user, project=project),
        "form": form, "is_admin": is_admin, "tab": "editors"})


@login_required
@require_POST
@not_found_as_404
def editor_revoke(request, pid, editor_id):
    project = _project(request, pid)
    editor = project.editors.filter(public_id=editor_id).first()
    if editor is None:
        raise Http404
    try:
        services.project_editor_revoke(actor=request.user, editor=editor)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s can no longer see or edit this project.") % {"name": editor.full_name})
    return redirect("youthpass:editor_list", pid)


def _sign_in_links(request, email: str) -> dict:
    """Sign-in and sign-up addresses that come back to the invitation. `email` is the address the link was mailed
    to: holding the link proves that address only, so a sign-up with exactly it needs no second e-mail round trip
    (core.invitations); any other address is confirmed as usual and cannot accept the invitation."""
    if request.user.is_authenticated:
        return {}
    from urllib.parse import urlencode

    stash_invited_address(request, email)
    here = request.get_full_path()
    return {"login_url": reverse("account_login") + "?" + urlencode({"next": here}),
            "signup_url": reverse("account_signup") + "?" + urlencode({"email": email, "next": here})}


def editor_invitation(request, token):
    try:
        editor = selectors.project_editor_by_token(token=token)
    except NotFound:
        return render(request, "youthpass/invitation_invalid.html", status=404)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            editor = services.project_editor_accept(user=request.user, token=token)
        except NotFound:
            return render(request, "youthpass/invitation_invalid.html", status=404)
        except ApplicationError as error:
            messages.error(request, str(error))
            return redirect(request.path)
        messages.success(request, _("You can now see and edit the project."))
        return redirect("youthpass:project_detail", editor.project.public_id)
    return render(request, "youthpass/invitation_editor.html",
                  {"editor": editor, **_sign_in_links(request, editor.email)})


# --- activities --------------------------------------------------------------------------------------------------

@login_required
@not_found_as_404
def activity_form(request, pid, aid=None):
    project = _project(request, pid)
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
                    actor=request.user, activity=activity.__class__.objects.get(pk=activity.pk),
                    data=form.cleaned_data))
        except ApplicationError as error:
            _form_error(form, error, {"dates": "end_date", "activity_type": "activity_type"}.get(error.code))
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
    project = _project(request, pid)
    activity = selectors.activity_get(actor=request.user, project=project, public_id=aid)
    services.activity_delete(actor=request.user, activity=activity)
    messages.success(request, _("Activity deleted."))
    return redirect("youthpass:project_detail", pid)


# --- participants ------------------------------------------------------------------------------------------------

@login_required
@not_found_as_404
def participant_list(request, pid):
    project = _project(request, pid)
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
        chosen = list(people if request.POST.get("all_matching") else people.filter(public_id__in=_ids(request)))
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
            batch = certificates.certificate_batch_start(actor=request.user, project=project, participants=chosen)
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
    project = _project(request, pid)
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
                        actor=request.user, participant=Participant.objects.get(pk=participant.pk),
                        data={k: v for k, v in form.cleaned_data.items() if k != "activities"},
                        activities=form.cleaned_data["activities"])))
        except ApplicationError as error:
            _form_error(form, error, {"duplicate": "email"}.get(error.code))
        else:
            if saved:
                messages.success(request, _("Saved."))
                return redirect("youthpass:participant_detail", pid, participant.public_id)
    return render(request, "youthpass/participant_form.html",
                  {"project": project, "participant": participant, "form": form, "tab": "participants"})


@login_required
@not_found_as_404
def participant_detail(request, pid, ppid):
    project = _project(request, pid)
    participant = selectors.participant_get(actor=request.user, project=project, public_id=ppid)
    supervisor = forms.SupervisorForm(request.POST or None, instance=participant)
    versioning.add_version_field(supervisor, participant)
    if request.method == "POST" and supervisor.is_valid() and versioning.versioned_save(
            form=supervisor, instance=participant, save=lambda: services.supervisor_assessment_update(
                actor=request.user, participant=Participant.objects.get(pk=participant.pk),
                data=supervisor.cleaned_data)):
        messages.success(request, _("Saved."))
        return redirect("youthpass:participant_detail", pid, ppid)
    texts = selectors.outcome_texts(participant=participant)
    sections = _outcome_sections(participant, texts, languages=["lv", "en"], only_written=True)
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
    project = _project(request, pid)
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
    project = _project(request, pid)
    people = selectors.participant_list(actor=request.user, project=project)
    headers = [_("First name"), _("Last name"), _("E-mail"), _("Country"), _("Date of birth"), _("Role"),
               _("Status"), _("Activities")]
    rows = [[p.first_name, p.last_name, p.email, p.country.code if p.country else "", p.date_of_birth,
             p.get_role_display(), p.get_status_display(), "; ".join(a.title for a in p.activities.all())]
            for p in people]
    response = HttpResponse(xlsx_bytes([str(h) for h in headers], rows, title=_("Participants")),
                            content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="participants-{project.grant_number}.xlsx"'
    return response


# --- import ------------------------------------------------------------------------------------------------------

@login_required
@not_found_as_404
def import_upload(request, pid):
    project = _project(request, pid)
    form = forms.ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:  # before reading it into memory
            form.add_error("file", _("The file is larger than %(mb)d MB. Split it into smaller files.")
                           % {"mb": MAX_BYTES // (1024 * 1024)})
        else:
            try:
                row = imports.participant_import_upload(actor=request.user, project=project, data=upload.read(),
                                                        filename=upload.name)
            except ApplicationError as error:
                form.add_error("file", str(error))
            else:
                return redirect("youthpass:import_map", pid, row.public_id)
    return render(request, "youthpass/import_upload.html", {"project": project, "form": form, "tab": "participants"})


@login_required
@not_found_as_404
def import_map(request, pid, iid):
    project = _project(request, pid)
    upload = project.imports.filter(public_id=iid, status=ParticipantImport.Status.UPLOADED).first()
    if upload is None:
        raise Http404
    with upload.file.open("rb") as handle:
        data = handle.read()
    encoding = request.POST.get("encoding", "") if request.method == "POST" else ""
    try:
        table = imports.read_table(data, upload.original_name, encoding=encoding)
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("youthpass:import_upload", pid)
    guessed = imports.guess_mapping(table.headers)
    initial = {f"col_{i}": f for i, f in guessed.items()}
    form = forms.ImportMappingForm(request.POST or None, headers=table.headers, project=project, initial=initial)
    preview = error = None
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        try:
            if "commit" in request.POST:
                people = imports.participants_import_commit(
                    actor=request.user, project=project, data=data, filename=upload.original_name, mapping=mapping,
                    encoding=form.cleaned_data["encoding"], activities=form.cleaned_data["activities"],
                    default_role=form.cleaned_data["default_role"], upload=upload)
                messages.success(request, _("%(n)d people imported.") % {"n": len(people)})
                return redirect("youthpass:participant_list", pid)
            preview = imports.preview_table(project=project, table=table, mapping=mapping,
                                            default_role=form.cleaned_data["default_role"])
        except ApplicationError as exc:
            error = str(exc)
            if exc.extra.get("preview"):
                preview = imports.preview_table(project=project, table=table, mapping=mapping,
                                                default_role=form.cleaned_data["default_role"])
    elif request.method == "GET":
        try:
            preview = imports.preview_table(project=project, table=table, mapping=guessed)
        except ApplicationError as exc:
            error = str(exc)
    return render(request, "youthpass/import_map.html", {
        "project": project, "upload": upload, "form": form, "table": table, "preview": preview, "error": error,
        "shown_rows": preview.rows[:imports.PREVIEW_ROWS] if preview else [],
        "error_rows": preview.error_rows[:500] if preview else [], "tab": "participants"})


@login_required
def import_example(request):
    language = translation.get_language() or "en"
    response = HttpResponse(example_table(language[:2]), content_type=XLSX)
    name = "dalibnieki-paraugs.xlsx" if language.startswith("lv") else "participants-example.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- finalisation, reminders, certificates -----------------------------------------------------------------------

@login_required
@not_found_as_404
def project_finalise(request, pid):
    from agnitio.organisations.selectors import signatory_list

    project = _project(request, pid)
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
            _form_error(form, error)
        else:
            messages.success(request, _("The certificates are confirmed. You can now issue them."))
            return redirect("youthpass:participant_list", pid)
    return render(request, "youthpass/project_finalise.html",
                  {"project": project, "form": form, "signatories": signatories, "tab": "finalise"})


@login_required
@not_found_as_404
def reminder_list(request, pid):
    project = _project(request, pid)
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
                                actor=request.user, reminder=r.__class__.objects.get(pk=r.pk), data=f.cleaned_data))
                    except ApplicationError as error:
                        form.add_error(None, str(error))
                    else:
                        if saved:
                            messages.success(request, _("Reminder saved."))
                            return redirect("youthpass:reminder_list", pid)
                rows[index] = (reminder, status, form)
    return render(request, "youthpass/reminder_list.html", {"project": project, "rows": rows, "tab": "reminders"})


@login_required
@not_found_as_404
def certificate_preview(request, pid, ppid):
    project = _project(request, pid)
    participant = selectors.participant_get(actor=request.user, project=project, public_id=ppid)
    try:
        pdf = certificates.certificate_preview(actor=request.user, participant=participant)
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("youthpass:participant_detail", pid, ppid)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="youthpass-preview.pdf"'
    return response


@login_required
@require_POST
@not_found_as_404
def certificate_issue(request, pid, ppid):
    project = _project(request, pid)
    participant = selectors.participant_get(actor=request.user, project=project, public_id=ppid)
    try:
        credential = certificates.certificate_issue(actor=request.user, participant=participant)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Certificate %(number)s issued.") % {"number": credential.number})
    return redirect("youthpass:participant_detail", pid, ppid)


@login_required
@not_found_as_404
def certificate_download(request, pid, ppid):
    project = _project(request, pid)
    participant = selectors.participant_get(actor=request.user, project=project, public_id=ppid)
    credential = participant.certificate
    if credential is None or not credential.pdf:
        raise Http404
    return private_file_response(credential.pdf, filename=f"{credential.number}.pdf", content_type="application/pdf")


@login_required
@not_found_as_404
def certificates_zip(request, pid):
    project = _project(request, pid)
    data = certificates.certificates_zip(actor=request.user, project=project)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="youthpass-{project.grant_number}.zip"'
    return response


@login_required
@require_POST
@not_found_as_404
def batch_start(request, pid):
    """Issue the certificates of everyone ready, in the background."""
    project = _project(request, pid)
    try:
        batch = certificates.certificate_batch_start(actor=request.user, project=project)
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("youthpass:participant_list", pid)
    return redirect("youthpass:batch_detail", pid, batch.public_id)


@login_required
@not_found_as_404
def batch_detail(request, pid, bid):
    project = _project(request, pid)
    if request.method == "POST":
        progress = certificates.certificate_batch_progress(actor=request.user, project=project, public_id=bid)
        certificates.certificate_batch_resume(actor=request.user, batch=progress["batch"])
        return redirect("youthpass:batch_detail", pid, bid)
    progress = certificates.certificate_batch_progress(actor=request.user, project=project, public_id=bid)
    template = "youthpass/_batch_progress.html" if request.htmx else "youthpass/batch_detail.html"
    return render(request, template, {"project": project, "tab": "participants", **progress})


@login_required
@require_POST
@not_found_as_404
def supervisor_invite(request, pid, ppid):
    project = _project(request, pid)
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


def supervisor_invitation(request, token):
    try:
        participant = selectors.participant_by_supervisor_token(token=token)
    except NotFound:
        return render(request, "youthpass/invitation_invalid.html", status=404)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            participant = services.supervisor_invitation_accept(user=request.user, token=token)
        except NotFound:
            return render(request, "youthpass/invitation_invalid.html", status=404)
        except ApplicationError as error:
            messages.error(request, str(error))
            return redirect(request.path)
        return redirect("youthpass:supervisor_assess", participant.public_id)
    return render(request, "youthpass/invitation_supervisor.html",
                  {"participant": participant, **_sign_in_links(request, participant.supervisor_invitation_email)})


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
            _form_error(form, error)
        else:
            messages.success(request, _("Thank you. Your assessment is saved."))
            return redirect("youthpass:supervisor_assess", ppid)
    return render(request, "youthpass/supervisor_assess.html", {"participant": participant, "form": form})


# --- the participant's own part ----------------------------------------------------------------------------------

def invitation(request, token):
    try:
        participant = selectors.participant_by_invitation_token(token=token)
    except NotFound:
        return render(request, "youthpass/invitation_invalid.html", status=404)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            participant = services.participant_invitation_accept(user=request.user, token=token)
        except NotFound:
            return render(request, "youthpass/invitation_invalid.html", status=404)
        except ApplicationError as error:  # signed in with another address than the one the link was mailed to
            messages.error(request, str(error))
            return redirect(request.path)
        return redirect("youthpass:learner_data", participant.public_id)
    return render(request, "youthpass/invitation_participant.html",
                  {"participant": participant, **_sign_in_links(request, participant.invitation_email)})


@login_required
@not_found_as_404
def learner_data(request, ppid):
    participant = selectors.participant_get_for_learner(actor=request.user, public_id=ppid)
    form = forms.LearnerDataForm(request.POST or None, instance=participant)
    versioning.add_version_field(form, participant)
    if request.method == "POST" and form.is_valid():
        try:
            saved = versioning.versioned_save(form=form, instance=participant, save=lambda: (
                services.participant_personal_data_confirm(actor=request.user, participant=Participant.objects.get(
                    pk=participant.pk), data=form.cleaned_data)))
        except ApplicationError as error:
            _form_error(form, error)
        else:
            if saved:
                messages.success(request, _("Thank you. Your data are confirmed."))
                return redirect("youthpass:learner_outcomes", ppid)
    return render(request, "youthpass/learner_data.html", {"participant": participant, "form": form})


def _field_name(framework_id: str, competence_id: str, language: str) -> str:
    return f"o__{framework_id}__{competence_id or '-'}__{language}"


def _parse_outcomes(post) -> dict[tuple[str, str, str], str]:
    texts = {}
    for name, value in post.items():
        if name.startswith("o__"):
            parts = name.split("__")
            if len(parts) == 4:
                competence = "" if parts[2] == "-" else parts[2]
                texts[(parts[1], competence, parts[3])] = value
    return texts


def _outcome_sections(participant, texts, *, languages, only_written=False, posted=None):
    sections = []
    for framework in selectors.participant_frameworks(participant=participant):
        items = ([(framework, "", framework.title(), framework.used_for, [])] if framework.is_free_section
                 else [(framework, c.id, c.title(), c.description(), c.prompts) for c in framework.competences])
        entries = []
        for fw, competence_id, title, description, prompts in items:
            fields = []
            for language in languages:
                name = _field_name(fw.id, competence_id, language)
                value = posted.get(name) if posted is not None and name in posted else texts.get(
                    (fw.id, competence_id, language), "")
                fields.append({"name": name, "language": language, "value": value, "id": f"id_{name}"})
            if only_written and not any(f["value"] for f in fields):
                continue
            entries.append({"title": title, "description": description, "prompts": prompts, "fields": fields,
                            "free": not competence_id})
        if entries:
            sections.append({"framework": framework, "title": framework.title(), "entries": entries})
    return sections


def _writing_languages(request, participant) -> list[str]:
    choice = request.GET.get("write") or request.POST.get("write") or ""
    if choice in ("lv", "en"):
        return [choice]
    if choice == "both":
        return ["lv", "en"]
    written = {o.language for o in participant.outcomes.all()}
    if written == {"lv", "en"}:
        return ["lv", "en"]
    return [written.pop()] if written else [participant.language]


def _outcome_labels(participant) -> dict[str, str]:
    """Field name → "<competence> (<language>)", to name the texts in an edit conflict."""
    names = {"lv": _("In Latvian"), "en": _("In English")}
    return {f["name"]: f"{entry['title']} ({names.get(f['language'], f['language'])})"
            for section in _outcome_sections(participant, {}, languages=["lv", "en"])
            for entry in section["entries"] for f in entry["fields"]}


def _saved_outcomes(participant) -> dict[str, str]:
    return {_field_name(*key): text for key, text in selectors.outcome_texts(participant=participant).items()}


def _outcomes_save_checked(request, participant, *, submit: bool = False) -> None:
    """Save the posted texts unless another session (another tab or device) changed one of them since this page
    showed it (issue 8, point 8; the page's hidden `version`, see `versioning.values_token`): EditConflict."""
    texts = _parse_outcomes(request.POST)
    with transaction.atomic():
        current = Participant.objects.select_for_update().get(pk=participant.pk)
        if not current.outcomes_locked:  # submitted: the service says so, whatever the version
            versioning.check_values(
                request.POST.get(versioning.VERSION_FIELD), current=current, saved=_saved_outcomes(current),
                data={_field_name(*key): (text or "").strip() for key, text in texts.items()},
                labels=_outcome_labels(current))
        services.outcomes_save(actor=request.user, participant=current, texts=texts, submit=submit)


def _shown_token(participant, names) -> str:
    saved = _saved_outcomes(participant)
    return versioning.values_token({name: saved.get(name, "") for name in names})


@login_required
@not_found_as_404
def learner_outcomes(request, ppid):
    participant = selectors.participant_get_for_learner(actor=request.user, public_id=ppid)
    languages = _writing_languages(request, participant)
    error = conflict = None
    if request.method == "POST":
        try:
            _outcomes_save_checked(request, participant, submit="submit" in request.POST)
        except versioning.EditConflict as exc:
            conflict = exc
        except ApplicationError as exc:
            error = str(exc)
        else:
            if "submit" in request.POST:
                messages.success(request, _("Your learning outcomes are submitted to the organiser. Thank you!"))
                return redirect("youthpass:learner_outcomes", ppid)
            messages.success(request, _("Draft saved."))
            url = reverse("youthpass:learner_outcomes", args=[ppid])
            return redirect(f"{url}?write={request.POST.get('write', '')}")
    participant.refresh_from_db()
    texts = selectors.outcome_texts(participant=participant)
    sections = _outcome_sections(participant, texts, languages=languages,
                                 posted=request.POST if error or conflict else None)
    # The page's version: after a conflict, that of the saved texts compared (saving again replaces them knowingly);
    # after another error, still the one it was shown with; else that of the texts shown.
    if conflict is not None:
        version = conflict.version
    elif error and request.POST.get(versioning.VERSION_FIELD):
        version = request.POST[versioning.VERSION_FIELD]
    else:
        version = _shown_token(participant, [f["name"] for section in sections for entry in section["entries"]
                                             for f in entry["fields"]])
    write = "both" if len(languages) == 2 else languages[0]
    return render(request, "youthpass/learner_outcomes.html", {
        "participant": participant, "sections": sections, "error": error, "write": write, "conflict": conflict,
        "version": version, "locked": participant.outcomes_locked, "text_max_length": TEXT_MAX_LENGTH})


@login_required
@require_POST
@not_found_as_404
def learner_outcomes_draft(request, ppid):
    """HTMX autosave target: saves the posted texts as a draft and answers with a short status line, and (out of
    band) the page's new version, or the conflict with both versions when another session changed a text since."""
    participant = selectors.participant_get_for_learner(actor=request.user, public_id=ppid)
    try:
        _outcomes_save_checked(request, participant)
    except versioning.EditConflict as conflict:
        return render(request, "youthpass/_autosave_status.html", {"conflict": conflict})
    except ApplicationError as error:
        return render(request, "youthpass/_autosave_status.html", {"error": str(error)})
    return render(request, "youthpass/_autosave_status.html", {
        "saved_at": timezone.localtime(),
        "version": _shown_token(participant, [_field_name(*key) for key in _parse_outcomes(request.POST)])})



