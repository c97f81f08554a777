"""The participant's own part (the invitation link is the invitations app's): their personal data and their
learning outcomes. Forms work without JavaScript; HTMX only adds autosave of learning-outcome drafts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agnitio.core import versioning
from agnitio.core.errors import ApplicationError
from agnitio.core.http import not_found_as_404
from agnitio.core.validators import TEXT_MAX_LENGTH

from .. import forms, selectors, services
from ._common import form_error, journal_context

# --- the participant's own part ----------------------------------------------------------------------------------

@login_required
@not_found_as_404
def learner_data(request, ppid):
    participant = selectors.participant_get_for_learner(actor=request.user, public_id=ppid)
    form = forms.LearnerDataForm(request.POST or None, instance=participant)
    versioning.add_version_field(form, participant)
    if request.method == "POST" and form.is_valid():
        try:
            saved = versioning.versioned_save(form=form, instance=participant, save=lambda: (
                services.participant_personal_data_confirm(
                    actor=request.user, participant=selectors.reread(participant), data=form.cleaned_data)))
        except ApplicationError as error:
            form_error(form, error)
        else:
            if saved:
                messages.success(request, _("Thank you. Your data are confirmed."))
                return redirect("youthpass:learner_outcomes", ppid)
    return render(request, "youthpass/learner_data.html", {"participant": participant, "form": form})


def _outcomes_save(request, participant, *, submit: bool = False) -> None:
    services.outcomes_save(actor=request.user, participant=participant,
                           texts=forms.outcome_texts_from_post(request.POST), submit=submit,
                           version=request.POST.get(versioning.VERSION_FIELD))


@login_required
@not_found_as_404
def learner_outcomes(request, ppid):
    participant = selectors.participant_get_for_learner(actor=request.user, public_id=ppid)
    languages = forms.outcome_writing_languages(
        request.GET.get("write") or request.POST.get("write") or "", participant)
    error = conflict = None
    if request.method == "POST":
        try:
            _outcomes_save(request, participant, submit="submit" in request.POST)
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
    sections = forms.outcome_sections(participant, texts, languages=languages,
                                      posted=request.POST if error or conflict else None)
    version = services.outcomes_page_version(
        participant=participant, sections=sections, conflict=conflict,
        posted_version=request.POST.get(versioning.VERSION_FIELD, "") if error else "")
    write = "both" if len(languages) == 2 else languages[0]
    return render(request, "youthpass/learner_outcomes.html", {
        "participant": participant, "sections": sections, "error": error, "write": write, "conflict": conflict,
        "version": version, "locked": participant.outcomes_locked, "text_max_length": TEXT_MAX_LENGTH,
        **journal_context(request, actor=request.user, participant=participant, size=10)})


@login_required
@require_POST
@not_found_as_404
def learner_outcomes_draft(request, ppid):
    """HTMX autosave target: saves the posted texts as a draft and answers with a short status line, and (out of
    band) the page's new version, or the conflict with both versions when another session changed a text since."""
    participant = selectors.participant_get_for_learner(actor=request.user, public_id=ppid)
    try:
        _outcomes_save(request, participant)
    except versioning.EditConflict as conflict:
        return render(request, "youthpass/_autosave_status.html", {"conflict": conflict})
    except ApplicationError as error:
        return render(request, "youthpass/_autosave_status.html", {"error": str(error)})
    return render(request, "youthpass/_autosave_status.html", {
        "saved_at": timezone.localtime(),
        "version": services.outcomes_version(participant=participant, names=[
            services.outcome_field_name(*key) for key in forms.outcome_texts_from_post(request.POST)])})


# --- the learning journal: goals at the start, dated reflection notes during the project ------------------------

@login_required
@not_found_as_404
def learner_journal(request, ppid):
    """The participant's learning goals and reflection notes (seed 001): write, share with the supervisor/mentor,
    make private again, remove. Two plain forms (no JavaScript needed)."""
    participant = selectors.participant_get_for_learner(actor=request.user, public_id=ppid)
    adding = request.POST.get("add") if request.method == "POST" else None
    goal_form = forms.LearningGoalForm(request.POST if adding == "goal" else None, prefix="goal")
    note_form = forms.ReflectionNoteForm(request.POST if adding == "note" else None, prefix="note",
                                         initial={"written_on": timezone.localdate()})
    form = {"goal": goal_form, "note": note_form}.get(adding or "")
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if adding == "goal":
                services.learning_goal_add(actor=request.user, participant=participant, text=data["goal_text"],
                                           shared=data["goal_shared"])
            else:
                services.reflection_note_add(actor=request.user, participant=participant, text=data["note_text"],
                                             written_on=data["written_on"], shared=data["note_shared"])
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Learning goal saved.") if adding == "goal" else _("Reflection saved."))
            return redirect("youthpass:learner_journal", ppid)
    return render(request, "youthpass/learner_journal.html", {
        "participant": participant, "goal_form": goal_form, "note_form": note_form,
        **journal_context(request, actor=request.user, participant=participant)})


@login_required
@require_POST
@not_found_as_404
def learner_journal_entry(request, ppid, kind, eid):
    """Share a goal or note with the supervisor/mentor, make it private again, or remove it."""
    participant = selectors.participant_get_for_learner(actor=request.user, public_id=ppid)
    if kind not in services.JOURNAL_KINDS:
        raise Http404
    action = request.POST.get("action")
    try:
        if action in ("share", "private"):
            services.journal_entry_share(actor=request.user, participant=participant, kind=kind, public_id=eid,
                                         shared=action == "share")
            messages.success(request, _("Shared with your supervisor or mentor.") if action == "share"
                             else _("Private now: only you can read it."))
        elif action == "delete":
            services.journal_entry_delete(actor=request.user, participant=participant, kind=kind, public_id=eid)
            messages.success(request, _("Removed."))
        else:
            raise Http404
    except ApplicationError as error:
        messages.error(request, str(error))
    return redirect("youthpass:learner_journal", ppid)
