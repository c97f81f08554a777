"""Who may do what with Youthpass projects.

* organisation owners and admins see and edit every project of their organisation and manage its editors;
* a project editor (invited to one project, access active) sees and edits only the projects they are on;
* any member of an organisation may start a project in it (and becomes its editor);
* a participant sees only their own record, through the account that accepted their invitation;
* the learning journal (learning goals and dated reflection notes, issue 11 point 8, seed 001) is the
  participant's own: only they write it and read all of it. Each goal or note is private or shared with their
  supervisor/mentor (the account that accepted the supervisor invitation of that record), who reads the shared ones
  only. The organisation's owners, admins and project editors read neither: the seed makes the mentor or
  supervisor the person who supports the learning through dialogue and reflection, while the organiser recognises
  its result, the self-assessment the participant submits. (An organiser who is also someone's mentor sees what
  that person shared, as their mentor.)

Callers ask the named permissions through `agnitio.core.permissions` (`require` / `allowed`); the predicates are
for this file. Membership is read through `organisations.access`, so a bound API token's scope holds here too.
"""

from __future__ import annotations

import rules

from agnitio.organisations.access import organisation_scope
from agnitio.organisations.rules import is_org_admin, is_org_member

from .models import ProjectEditor


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def _in_scope(obj) -> bool:
    """The request's organisation scope (a bound API token) also holds for rights that are not memberships."""
    return organisation_scope() in (None, obj.organisation_id)


@rules.predicate
def is_project_admin(user, project) -> bool:
    return project is not None and is_org_admin(user, project.organisation)


@rules.predicate
def is_project_editor(user, project) -> bool:
    if project is None or not _authenticated(user) or not _in_scope(project):
        return False
    return ProjectEditor.objects.filter(project=project, user=user, status=ProjectEditor.Status.ACTIVE).exists()


@rules.predicate
def is_own_participant_record(user, participant) -> bool:
    return (_authenticated(user) and participant is not None and participant.user_id == user.pk
            and _in_scope(participant))


@rules.predicate
def is_supervisor_of_record(user, participant) -> bool:
    return (_authenticated(user) and participant is not None and participant.supervisor_user_id == user.pk
            and _in_scope(participant))


@rules.predicate
def may_start_project(user, organisation) -> bool:
    return is_org_member(user, organisation)


can_edit_project = is_project_admin | is_project_editor


@rules.predicate
def may_edit_participants_project(user, participant) -> bool:
    return participant is not None and can_edit_project(user, participant.project)


# The object is the organisation:
rules.add_perm("youthpass.add_project", may_start_project)
rules.add_perm("youthpass.view_all_projects", is_org_admin)  # every project of the organisation, not only one's own
# The object is the project:
rules.add_perm("youthpass.view_project", can_edit_project)
rules.add_perm("youthpass.change_project", can_edit_project)
rules.add_perm("youthpass.manage_project", is_project_admin)  # what only the organisation's owners/admins may do
rules.add_perm("youthpass.delete_project", is_project_admin)
rules.add_perm("youthpass.manage_editors", is_project_admin)
# The object is the participant record:
rules.add_perm("youthpass.change_own_record", is_own_participant_record)
# an organiser or editor writes the self-assessment (and confirms the personal data) on the participant's behalf:
# for people without e-mail or who worked on paper; recorded as entered by the editor on their behalf
rules.add_perm("youthpass.write_outcomes_for", may_edit_participants_project)
# the learning journal (goals and reflection notes): the participant keeps it; their supervisor/mentor reads what
# was shared with them (the selectors filter to the shared entries); nobody else, organisers included
rules.add_perm("youthpass.keep_learning_journal", is_own_participant_record)
rules.add_perm("youthpass.view_shared_journal", is_supervisor_of_record)
