"""Pages of a project's participants: the filtered list with bulk actions, the form, the detail page, reopening
the outcomes and the spreadsheet export."""

from __future__ import annotations

from html import escape as quoted  # Django's escape less its lazy-text wrapper

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agnitio.core import versioning
from agnitio.core.errors import ApplicationError
from agnitio.core.http import not_found_as_404
from agnitio.core.pagination import keyset_page
from agnitio.core.rows import html
from agnitio.core.validators import TEXT_MAX_LENGTH

from .. import forms, selectors, services
from ..choices import participant_role_label
from ..models import Participant
from ..services import certificates
from ._common import PAGE_SIZE, XLSX, form_error, ids_chosen, project_of, skipped_message

# --- participants ------------------------------------------------------------------------------------------------

@login_required
@not_found_as_404
def participant_list(request, pid):
    project = project_of(request, pid)
    activities = selectors.project_activities(actor=request.user, project=project)
    activity = next((a for a in activities if a.public_id == request.GET.get("activity")), None)
    status = request.GET.get("status") if request.GET.get("status") in Participant.Status.values else ""
    role = request.GET.get("role") if request.GET.get("role") in Participant.Role.values else ""
    search = request.GET.get("q", "").strip()[:100]

    def people():  # built when needed: the first page of everyone comes from a prepared query, without it
        return selectors.participant_list(actor=request.user, project=project, status=status, role=role,
                                          activity=activity, search=search)

    bulk = forms.BulkForm(request.POST or None)
    if request.method == "POST":
        # "everyone matching the filter" spans all pages; otherwise the ticked rows
        chosen = list(people() if request.POST.get("all_matching")
                      else people().filter(public_id__in=ids_chosen(request)))
        if not chosen:
            messages.error(request, _("Choose at least one person in the list."))
        elif bulk.is_valid():
            return _bulk_action(request, project, bulk, chosen)
    unfiltered = not (status or role or activity or search)  # the first page of everyone: a prepared query
    page = keyset_page(lambda: people().only(*selectors.PARTICIPANT_ROW_FIELDS).prefetch_related(None),
                       ordering=selectors.PARTICIPANT_ORDER, request=request, default_size=PAGE_SIZE,
                       first_rows=(lambda n: selectors.participant_first_rows(actor=request.user, project=project,
                                                                             rows=n)) if unfiltered else None)
    return render(request, "youthpass/participant_list.html", {
        "project": project, "page": page, "rows": _rows(project, page, activities),
        # every matching person is on a first page without a next one: no COUNT query then
        "matching": len(page.items) if page.is_first and not page.has_next else people().count(),
        "activities": activities, "bulk": bulk, "tab": "participants",
        "filters": {"status": status, "role": role, "activity": activity.public_id if activity else "",
                    "q": search},
        "statuses": Participant.Status.choices, "roles": Participant.role_choices(project.project_type)})


def _rows(project, page, activities) -> str:
    """The table's rows for the people on the page, as HTML made here in one pass: the labels of a status or
    role, the activities' titles and the links come from dictionaries made once per page. (Done row by row in
    the template, with a query for each person's activities, a list of a hundred cost 30 ms of CPU; escaping
    is the same: core.rows.html escapes every value.)"""
    titles = {a.pk: a.title for a in activities}  # in the order of the project's activities
    order = {a.pk: position for position, a in enumerate(activities)}
    of_person = selectors.participant_activity_ids(participants=page.items)
    statuses = {value: str(label) for value, label in Participant.Status.choices}
    roles = dict(Participant.role_choices(project.project_type))
    kinds = {a.pk: a.activity_type for a in activities}
    link = reverse("youthpass:participant_detail", args=[project.public_id, _ROW_ID])
    on_behalf = reverse("youthpass:outcomes_on_behalf", args=[project.public_id, _ROW_ID])
    no_email = _("no e-mail, so no invitation: write the outcomes on their behalf")
    choose = _("Choose %(name)s")

    def email_cell(p):
        if p.email or p.outcomes_locked:
            return quoted(p.email or "—")
        return html('— <a class="muted" href="{}">{}</a>', on_behalf.replace(_ROW_ID, p.public_id), no_email)

    # the role and activities cells, and the status's, repeat from row to row: each made and escaped once a page
    # (escape: what core.rows.html does to a plain string)
    cells: dict[tuple, tuple[SafeString, SafeString]] = {}
    status_cells: dict[str, tuple[SafeString, SafeString]] = {}

    def role_and_activities(p) -> tuple[SafeString, SafeString]:
        ids = tuple(of_person.get(p.pk, ()))
        done = cells.get((p.role, ids))
        if done is None:
            done = cells[(p.role, ids)] = (
                escape(participant_role_label(p.role, roles.get(p.role, p.role), project.project_type,
                                              [kinds[a] for a in ids if a in kinds])),
                escape("; ".join(titles[a] for a in sorted((a for a in ids if a in order), key=order.__getitem__))))
        return done

    def status_cell(p) -> tuple[SafeString, SafeString]:
        done = status_cells.get(p.status)
        if done is None:
            done = status_cells[p.status] = (escape(p.status), escape(statuses.get(p.status, p.status)))
        return done

    def row(p) -> str:  # every value escaped as core.rows.html escapes it (the cells made above already are)
        public_id = quoted(p.public_id)
        (role, titles_cell), (status, status_label) = role_and_activities(p), status_cell(p)
        return (f'<tr><td><input type="checkbox" name="selected" value="{public_id}" id="sel-{public_id}" '
                f'aria-label="{quoted(choose % {"name": f"{p.first_name} {p.last_name}"})}"></td>'
                f'<td><a href="{quoted(link.replace(_ROW_ID, p.public_id))}">{quoted(f"{p.last_name}, {p.first_name}")}'
                f'</a></td><td>{email_cell(p)}</td><td>{role}</td><td>{titles_cell}</td>'
                f'<td><span class="badge status-{status}">{status_label}</span></td></tr>')

    return mark_safe("\n".join(row(p) for p in page.items))  # noqa: S308 (every value escaped)


_ROW_ID = "__row__"


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
            skipped_message(request, batch.skipped)
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
    if action in ("invite", "message"):
        skipped = _explain_no_email(request, chosen, skipped)
    if skipped:
        messages.warning(request, _("Not done for: %(names)s.") % {"names": "; ".join(skipped)})
    return redirect(request.get_full_path())


def _explain_no_email(request, chosen, skipped: list[str]) -> list[str]:
    """People without e-mail are never a dead end: say why nothing was sent to them and what to do instead.
    Returns the other names skipped."""
    without = [p.full_name for p in chosen if not p.email]
    if without:
        messages.info(request, _("No e-mail address, so nothing could be sent to: %(names)s. Add their e-mail "
                                 "address, or write their learning outcomes on their behalf (on their page: "
                                 "“Write learning outcomes on their behalf”).") % {"names": "; ".join(without)})
    rest = list(skipped)
    for name in without:
        if name in rest:
            rest.remove(name)
    return rest


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
    changes = [(event, _change_text(event, participant))
               for event in selectors.participant_history(actor=request.user, participant=participant)]
    certificate = participant.certificate
    return render(request, "youthpass/participant_detail.html", {
        "project": project, "participant": participant, "supervisor": supervisor, "sections": sections,
        "supervisor_invite": forms.SupervisorInviteForm(initial={
            "full_name": participant.supervisor_name, "email": participant.supervisor_email,
            "position": participant.supervisor_position, "language": participant.language}),
        "history": history, "changes": changes, "certificate": certificate, "tab": "participants",
        "earlier_certificates": certificates.certificate_history(participant=participant)[1:],
        "missing": certificates.certificate_missing(participant=participant)})


def _change_text(event, participant) -> str:
    """One line of the participant's history: work done on their behalf names the editor and the participant."""
    from ..services.learner import ON_BEHALF_DATA_VERB, ON_BEHALF_SUBMIT_VERB, ON_BEHALF_VERB

    editor = (getattr(event.actor, "full_name", "") or event.actor_label) if event.actor_id else event.actor_label
    names = {"editor": editor, "participant": participant.full_name}
    on_behalf = {
        ON_BEHALF_VERB: _("Learning outcomes entered by %(editor)s on behalf of %(participant)s"),
        ON_BEHALF_SUBMIT_VERB: _("Learning outcomes submitted by %(editor)s on behalf of %(participant)s"),
        ON_BEHALF_DATA_VERB: _("Personal data confirmed by %(editor)s on behalf of %(participant)s"),
    }
    if event.verb in on_behalf:
        return on_behalf[event.verb] % names
    known = {
        "learning outcomes draft saved": _("Learning outcomes saved as a draft"),
        "learning outcomes submitted": _("Learning outcomes submitted"),
        "learning outcomes reopened": _("Learning outcomes reopened for changes"),
        "personal data confirmed": _("Personal data confirmed"),
        "invitation accepted": _("Invitation accepted"),
        "imported": _("Imported from a table"),
    }
    what = known.get(event.verb) or event.get_action_display()
    return f"{what} ({editor})" if editor else str(what)


@login_required
@not_found_as_404
def outcomes_on_behalf(request, pid, ppid):
    """An organiser or editor writes (or pastes) the participant's self-assessment for them, with the learner's
    form; submitting asks for a confirmation first. Recorded as entered by the editor on the participant's behalf."""
    project = project_of(request, pid)
    participant = selectors.participant_get(actor=request.user, project=project, public_id=ppid)
    languages = forms.outcome_writing_languages(
        request.GET.get("write") or request.POST.get("write") or "", participant)
    error = conflict = None
    confirming = False
    if request.method == "POST":
        try:
            if "confirm_submit" in request.POST:
                services.outcomes_save_on_behalf(actor=request.user, participant=participant, texts={}, submit=True)
                messages.success(request, _("The learning outcomes are submitted on behalf of %(name)s.")
                                 % {"name": participant.full_name})
                return redirect("youthpass:participant_detail", pid, ppid)
            services.outcomes_save_on_behalf(
                actor=request.user, participant=participant, texts=forms.outcome_texts_from_post(request.POST),
                version=request.POST.get(versioning.VERSION_FIELD))
        except versioning.EditConflict as exc:
            conflict = exc
        except ApplicationError as exc:
            error = str(exc)
        else:
            if "submit" not in request.POST:
                messages.success(request, _("Draft saved."))
                url = reverse("youthpass:outcomes_on_behalf", args=[pid, ppid])
                return redirect(f"{url}?write={request.POST.get('write', '')}")
            confirming = True  # the draft is saved; the next step confirms the submission
    participant.refresh_from_db()
    texts = selectors.outcome_texts(participant=participant)
    if confirming:
        return render(request, "youthpass/outcomes_on_behalf_confirm.html", {
            "project": project, "participant": participant, "tab": "participants",
            "sections": forms.outcome_sections(participant, texts, languages=["lv", "en"], only_written=True)})
    sections = forms.outcome_sections(participant, texts, languages=languages,
                                      posted=request.POST if error or conflict else None)
    version = services.outcomes_page_version(
        participant=participant, sections=sections, conflict=conflict,
        posted_version=request.POST.get(versioning.VERSION_FIELD, "") if error else "")
    return render(request, "youthpass/outcomes_on_behalf.html", {
        "project": project, "participant": participant, "sections": sections, "error": error,
        "conflict": conflict, "version": version, "write": "both" if len(languages) == 2 else languages[0],
        "locked": participant.outcomes_locked, "text_max_length": TEXT_MAX_LENGTH, "tab": "participants"})


@login_required
@require_POST
@not_found_as_404
def data_confirm_on_behalf(request, pid, ppid):
    project = project_of(request, pid)
    participant = selectors.participant_get(actor=request.user, project=project, public_id=ppid)
    services.participant_personal_data_confirm_on_behalf(actor=request.user, participant=participant)
    messages.success(request, _("The personal data are confirmed on behalf of %(name)s.")
                     % {"name": participant.full_name})
    return redirect("youthpass:participant_detail", pid, ppid)


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
