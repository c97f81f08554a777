"""The participant's own part, once they accepted the invitation (invitations app): their personal data and
their learning outcomes."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agnitio.core import versioning
from agnitio.core.emails import email_normalise
from agnitio.core.errors import ApplicationError
from agnitio.core.permissions import require
from agnitio.core.services import audit_record, model_update
from agnitio.core.validators import TEXT_MAX_LENGTH, text_problem

from ..models import LearningOutcome, Participant
from ..selectors import outcome_texts, participant_frameworks
from ._common import invitation_void_on_new_address, require_edit, validation_message

LEARNER_FIELDS = ["first_name", "last_name", "email", "country", "date_of_birth", "place_of_birth"]


# --- the participant's own part --------------------------------------------------------------------------------

def _require_learner(actor, participant: Participant) -> None:
    require(actor, "youthpass.change_own_record", participant)


@transaction.atomic
def participant_personal_data_confirm(*, actor, participant: Participant, data: dict) -> dict:
    """The participant checks and corrects their own data."""
    _require_learner(actor, participant)
    data = {k: v for k, v in data.items() if k in LEARNER_FIELDS}
    if "email" in data:
        data["email"] = email_normalise(data["email"])
        if data["email"] and participant.project.participants.filter(email=data["email"]).exclude(
                pk=participant.pk).exists():
            raise ApplicationError(_("Another person in this project has the e-mail %(email)s. Use your own "
                                     "address.") % {"email": data["email"]}, code="duplicate")
    try:
        changes = model_update(instance=participant, fields=LEARNER_FIELDS, data=data)
    except ValidationError as error:
        raise ApplicationError(validation_message(error)) from error
    if "email" in changes:
        changes.update(invitation_void_on_new_address(actor=actor, participant=participant))
    return _data_confirmed(actor=actor, participant=participant, changes=changes, verb="personal data confirmed")


def _data_confirmed(*, actor, participant: Participant, changes: dict, verb: str) -> dict:
    """Record the confirmation of the personal data (a participant not further on is now "data completed")."""
    participant.data_confirmed_at = timezone.now()
    update = ["data_confirmed_at", "updated_at"]
    if participant.status in (Participant.Status.NOT_INVITED, Participant.Status.INVITED):
        changes["status"] = [participant.status, Participant.Status.DATA_COMPLETED]
        participant.status = Participant.Status.DATA_COMPLETED
        update.append("status")
    participant.save(update_fields=update)
    audit_record(actor=actor, action="update", target=participant, organisation=participant.organisation,
                 verb=verb, changes=changes)
    return changes


def _allowed_sections(participant: Participant) -> set[tuple[str, str]]:
    allowed: set[tuple[str, str]] = set()
    for framework in participant_frameworks(participant=participant):
        if framework.is_free_section:
            allowed.add((framework.id, ""))
        else:
            allowed.update((framework.id, c.id) for c in framework.competences)
    return allowed


def _section_label(participant: Participant, framework_id: str, competence_id: str) -> str:
    """The competence's (or free section's) title, to name it in an error message."""
    for framework in participant_frameworks(participant=participant):
        if framework.id == framework_id:
            if not competence_id:
                return framework.title()
            for competence in framework.competences:
                if competence.id == competence_id:
                    return competence.title()
    return competence_id or framework_id


def outcome_field_name(framework_id: str, competence_id: str, language: str) -> str:
    """The name of a text on the outcomes page (forms.outcome_sections) and in its version."""
    return f"o__{framework_id}__{competence_id or '-'}__{language}"


def _saved_by_name(participant: Participant) -> dict[str, str]:
    return {outcome_field_name(*key): text for key, text in outcome_texts(participant=participant).items()}


def outcomes_version(*, participant: Participant, names) -> str:
    """The version of the saved texts behind the named fields, for the page to send back (`outcomes_save`)."""
    saved = _saved_by_name(participant)
    return versioning.values_token({name: saved.get(name, "") for name in names})


def outcomes_page_version(*, participant: Participant, sections: list[dict], conflict=None,
                          posted_version: str = "") -> str:
    """The version a page of outcome fields carries: after an edit conflict, that of the saved texts it was compared
    with (saving again replaces them knowingly); after another error, the one it was shown with (`posted_version`);
    else that of the texts shown."""
    if conflict is not None:
        return conflict.version
    if posted_version:
        return posted_version
    return outcomes_version(participant=participant, names=[
        f["name"] for section in sections for entry in section["entries"] for f in entry["fields"]])


def _outcome_labels(participant: Participant) -> dict[str, str]:
    """Field name → "<competence> (<language>)", to name the texts in an edit conflict."""
    names = {"lv": gettext("In Latvian"), "en": gettext("In English")}
    labels = {}
    for framework in participant_frameworks(participant=participant):
        items = ([("", framework.title())] if framework.is_free_section
                 else [(c.id, c.title()) for c in framework.competences])
        for competence_id, title in items:
            for language in ("lv", "en"):
                labels[outcome_field_name(framework.id, competence_id, language)] = f"{title} ({names[language]})"
    return labels


@transaction.atomic
def outcomes_save(*, actor, participant: Participant, texts: dict[tuple[str, str, str], str],
                  submit: bool = False, version: str | None = None) -> int:
    """Save the learner's texts (a draft; autosave calls this too). Any subset, at most TEXT_MAX_LENGTH characters
    each, no control characters but tab and line breaks (core.validators); an empty text
    removes the entry. With `submit`, the outcomes are handed to the organiser and locked until reopened.

    `version`: the page's hidden version (`outcomes_version`); EditConflict when another session (another tab or
    device) changed one of the posted texts since the page showed it (issue 8, point 8). None: not checked."""
    _require_learner(actor, participant)
    return _outcomes_write(actor=actor, participant=participant, texts=texts, submit=submit, version=version,
                           on_behalf=False)


ON_BEHALF_VERB = "learning outcomes entered on behalf"  # AuditEvent.verb (at most 64 characters)
ON_BEHALF_SUBMIT_VERB = "learning outcomes submitted on behalf"
ON_BEHALF_DATA_VERB = "personal data confirmed on behalf"
ON_BEHALF_VERBS = (ON_BEHALF_VERB, ON_BEHALF_SUBMIT_VERB, ON_BEHALF_DATA_VERB)


@transaction.atomic
def outcomes_save_on_behalf(*, actor, participant: Participant, texts: dict[tuple[str, str, str], str],
                            submit: bool = False, version: str | None = None) -> int:
    """An organiser or editor writes (or pastes) the participant's self-assessment for them: for people without
    e-mail, or who worked on paper. The same rules as `outcomes_save` (sections, lengths, edit conflicts, the lock
    of submitted outcomes); the history records it as entered by the editor on behalf of the participant."""
    require(actor, "youthpass.write_outcomes_for", participant)
    return _outcomes_write(actor=actor, participant=participant, texts=texts, submit=submit, version=version,
                           on_behalf=True)


def _outcomes_write(*, actor, participant: Participant, texts, submit: bool, version: str | None,
                    on_behalf: bool) -> int:
    participant = Participant.objects.select_for_update().select_related("project").get(pk=participant.pk)
    if participant.outcomes_locked:
        if on_behalf:
            raise ApplicationError(_("The learning outcomes are submitted. Reopen them to change something."),
                                   code="locked")
        raise ApplicationError(_("Your learning outcomes were submitted. Ask the organiser to reopen them if you "
                                 "want to change something."), code="locked")
    if version is not None:
        versioning.check_values(
            version, current=participant, saved=_saved_by_name(participant),
            data={outcome_field_name(*key): (text or "").strip() for key, text in texts.items()},
            labels=_outcome_labels(participant))
    allowed = _allowed_sections(participant)
    languages = dict(settings.LANGUAGES)
    existing = {(o.framework_id, o.competence_id, o.language): o for o in participant.outcomes.all()}
    changed = 0
    for (framework_id, competence_id, language), text in texts.items():
        if (framework_id, competence_id) not in allowed or language not in languages:
            raise ApplicationError(_("This competence is not part of your certificate."), code="competence")
        text = (text or "").strip()
        problem = text_problem(text, label=_section_label(participant, framework_id, competence_id),
                               multiline=True, max_length=TEXT_MAX_LENGTH)
        if problem is not None:
            raise ApplicationError(problem[0], code=problem[1])
        current = existing.get((framework_id, competence_id, language))
        if current is None and text:
            LearningOutcome.objects.create(organisation=participant.organisation, participant=participant,
                                           framework_id=framework_id, competence_id=competence_id,
                                           language=language, text=text)
            changed += 1
        elif current is not None and not text:
            current.delete()
            changed += 1
        elif current is not None and current.text != text:
            current.text = text
            current.save(update_fields=["text", "updated_at"])
            changed += 1
    if submit:
        if not participant.outcomes.exists():
            raise ApplicationError(_("Write about at least one competence before you submit."), code="empty")
        old = participant.status
        participant.outcomes_submitted_at = timezone.now()
        participant.status = Participant.Status.OUTCOMES_SUBMITTED
        participant.save(update_fields=["outcomes_submitted_at", "status", "updated_at"])
        changes: dict[str, list] = {"status": [old, participant.status]}
        if on_behalf:
            changes["on behalf of"] = [None, participant.full_name]
        audit_record(actor=actor, action="update", target=participant, organisation=participant.organisation,
                     verb=ON_BEHALF_SUBMIT_VERB if on_behalf else "learning outcomes submitted", changes=changes)
    elif changed:
        changes = {"outcomes": [None, changed]}  # (the audit's changes: [before, after] per field)
        if on_behalf:
            changes["on behalf of"] = [None, participant.full_name]
        audit_record(actor=actor, action="update", target=participant, organisation=participant.organisation,
                     verb=ON_BEHALF_VERB if on_behalf else "learning outcomes draft saved", changes=changes)
    return changed


@transaction.atomic
def participant_personal_data_confirm_on_behalf(*, actor, participant: Participant) -> dict:
    """The organiser confirms the participant's personal data for them (checked with the person, on paper or in
    person), as the participant's own confirmation would; recorded as done on their behalf."""
    require(actor, "youthpass.write_outcomes_for", participant)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    return _data_confirmed(actor=actor, participant=participant,
                           changes={"on behalf of": [None, participant.full_name]}, verb=ON_BEHALF_DATA_VERB)



@transaction.atomic
def outcomes_reopen(*, actor, participant: Participant) -> None:
    """The organiser lets the participant change submitted outcomes again."""
    require_edit(actor, participant.project)
    # After a certificate was issued, reopening is how a correction starts: the current certificate stays valid
    # until a new one is issued, which supersedes it.
    if not participant.outcomes_locked:
        raise ApplicationError(_("The learning outcomes are not submitted yet."), code="not_submitted")
    old = participant.status
    participant.outcomes_submitted_at = None
    participant.status = Participant.Status.DATA_COMPLETED
    participant.save(update_fields=["outcomes_submitted_at", "status", "updated_at"])
    audit_record(actor=actor, action="update", target=participant, organisation=participant.organisation,
                 verb="learning outcomes reopened", changes={"status": [old, participant.status]})
