"""Writes for Youthpass projects: creation, data, partners, editors and finalisation."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError
from agnitio.core.permissions import allowed, require
from agnitio.core.services import audit_record, model_update
from agnitio.invitations.addresses import normalise_address
from agnitio.invitations.services import invitation_send, invitation_void

from ..choices import project_types_for
from ..invitation_kinds import EDITOR
from ..models import CertificateLanguage, Project, ProjectEditor, ProjectPartner
from ..validators import normalise_grant_number, validate_grant_number, validate_grant_number_action
from ._common import (
    check_dates,
    require_admin,
    require_edit,
    validation_message,
)

PROJECT_FIELDS = ["title", "description", "aims", "start_date", "end_date", "venue", "logo", "yans_opt_in"]


def _logo_value(value):
    """A project logo only ever as a re-encoded image under a random name (organisations.images)."""
    from agnitio.organisations import images

    if not value:
        return ""
    if not isinstance(value, images.CheckedImage):
        try:
            value = images.process_upload(value, purpose="logo")
        except ValidationError as error:
            raise ApplicationError(" ".join(error.messages), code="logo") from error
    return value.file()


# --- projects --------------------------------------------------------------------------------------------------

def grant_number_clean(value: str) -> str:
    number = normalise_grant_number(value)
    try:
        validate_grant_number(number)
    except ValidationError as error:
        raise ApplicationError(validation_message(error), code="grant_number") from error
    return number


def grant_number_fits(number: str, *, programme: str, project_type: str) -> None:
    """The number's action code must fit the programme and project type (ApplicationError code "action")."""
    try:
        validate_grant_number_action(number, programme=programme, project_type=project_type)
    except ValidationError as error:
        raise ApplicationError(validation_message(error), code="action") from error


@transaction.atomic
def project_create(*, actor, organisation, grant_number: str, programme: str, project_type: str,
                   **fields) -> Project:
    """Start a project: the grant agreement number first (validated, unique in the organisation)."""
    require(actor, "youthpass.add_project", organisation)
    number = grant_number_clean(grant_number)
    if project_type not in project_types_for(programme):
        raise ApplicationError(_("Choose a project type of the chosen programme."), code="project_type")
    grant_number_fits(number, programme=programme, project_type=project_type)
    if Project.objects.filter(organisation=organisation, grant_number=number).exists():
        raise ApplicationError(
            _("Your organisation already has a project with the number %(number)s. Open that project instead.")
            % {"number": number}, code="duplicate")
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    check_dates(fields.get("start_date"), fields.get("end_date"))
    if "logo" in fields:
        fields["logo"] = _logo_value(fields["logo"])
    project = Project(organisation=organisation, grant_number=number, programme=programme,
                      project_type=project_type, created_by=actor, **fields)
    project.full_clean(exclude=["organisation"])
    try:
        with transaction.atomic():
            project.save()
    except IntegrityError as error:  # a parallel request created the same number
        raise ApplicationError(_("Your organisation already has a project with the number %(number)s.")
                               % {"number": number}, code="duplicate") from error
    audit_record(actor=actor, action="create", target=project, organisation=organisation,
                 changes={"grant_number": [None, number], "programme": [None, programme]})
    if not allowed(actor, "youthpass.view_all_projects", organisation):
        # An editor who starts a project may keep working on it.
        ProjectEditor.objects.create(organisation=organisation, project=project, email=actor.email,
                                     full_name=actor.display_name, language=actor.language, user=actor,
                                     status=ProjectEditor.Status.ACTIVE, accepted_at=timezone.now(),
                                     invited_by=actor)
    return project


@transaction.atomic
def project_update(*, actor, project: Project, data: dict) -> dict:
    project = require_edit(actor, project)
    data = dict(data)
    if "grant_number" in data:
        number = grant_number_clean(data["grant_number"])
        if number != project.grant_number and Project.objects.filter(
                organisation=project.organisation, grant_number=number).exists():
            raise ApplicationError(_("Your organisation already has a project with the number %(number)s.")
                                   % {"number": number}, code="duplicate")
        data["grant_number"] = number
    if "programme" in data or "project_type" in data:
        programme = data.get("programme", project.programme)
        project_type = data.get("project_type", project.project_type)
        if project_type not in project_types_for(programme):
            raise ApplicationError(_("Choose a project type of the chosen programme."), code="project_type")
    # The action code is checked only when the number, programme or type changes: a project saved before the check
    # existed (or imported with a mismatching number) still opens and its other fields stay editable.
    programme = data.get("programme", project.programme)
    project_type = data.get("project_type", project.project_type)
    number = data.get("grant_number", project.grant_number)
    if (number, programme, project_type) != (project.grant_number, project.programme, project.project_type):
        grant_number_fits(number, programme=programme, project_type=project_type)
    check_dates(data.get("start_date", project.start_date), data.get("end_date", project.end_date))
    old_logo = project.logo.name if project.logo else ""
    if "logo" in data:
        data["logo"] = _logo_value(data["logo"])
    changes = model_update(instance=project, data=data,
                           fields=["grant_number", "programme", "project_type", *PROJECT_FIELDS])
    if "logo" in changes:
        changes["logo"] = [old_logo or None, project.logo.name or None]
        if old_logo:
            storage = project.logo.storage
            transaction.on_commit(lambda: storage.delete(old_logo))
    if changes:
        audit_record(actor=actor, action="update", target=project, organisation=project.organisation,
                     changes=changes)
    return changes


@transaction.atomic
def project_delete(*, actor, project: Project) -> None:
    project = require_admin(actor, project)
    audit_record(actor=actor, action="delete", target=project, organisation=project.organisation)
    project.delete()


@transaction.atomic
def project_partner_add(*, actor, project: Project, name: str, country: str) -> ProjectPartner:
    project = require_edit(actor, project)
    if not name.strip() or not country:
        raise ApplicationError(_("Enter the partner organisation's name and country."))
    partner = ProjectPartner(organisation=project.organisation, project=project, name=name.strip(), country=country)
    partner.full_clean()
    partner.save()
    audit_record(actor=actor, action="create", target=partner, organisation=project.organisation)
    return partner


@transaction.atomic
def project_partner_remove(*, actor, partner: ProjectPartner) -> None:
    require_edit(actor, partner.project)
    audit_record(actor=actor, action="delete", target=partner, organisation=partner.organisation)
    partner.delete()


# --- project editors -------------------------------------------------------------------------------------------

@transaction.atomic
def project_editor_invite(*, actor, project: Project, email: str, full_name: str, language: str) -> ProjectEditor:
    """Invite a person by e-mail to view and edit the project: the pending editor row is the invitation's target
    (invitations app); the e-mail carries a single-use link that only this address may accept."""
    project = require_admin(actor, project)
    email = normalise_address(email)
    try:
        validate_email(email)
    except ValidationError as error:
        raise ApplicationError(_("Enter a valid e-mail address."), code="email") from error
    if not full_name.strip():
        raise ApplicationError(_("Enter the person's name."), code="full_name")
    if language not in dict(settings.LANGUAGES):
        raise ApplicationError(_("Choose a language."), code="language")
    editor = ProjectEditor.objects.select_for_update().filter(project=project, email=email).first()
    if editor and editor.status == ProjectEditor.Status.ACTIVE:
        raise ApplicationError(_("%(email)s is already an editor of this project.") % {"email": email},
                               code="duplicate")
    if editor is None:
        editor = ProjectEditor(organisation=project.organisation, project=project, email=email)
    editor.full_name, editor.language, editor.status = full_name.strip(), language, ProjectEditor.Status.PENDING
    editor.invited_by, editor.user = actor, None
    editor.save()
    audit_record(actor=actor, action="grant", target=editor, organisation=project.organisation,
                 verb="editor invited", changes={"email": [None, email]})
    _invitation, token = invitation_send(actor=actor, kind=EDITOR, organisation=project.organisation, target=editor,
                                         email=email, full_name=editor.full_name, language=language)
    editor._token = token  # for the caller (tests, API); never stored
    return editor


@transaction.atomic
def project_editor_revoke(*, actor, editor: ProjectEditor) -> None:
    """The admin takes the right away; it stops working on the next request, and an open invitation link dies."""
    require_admin(actor, editor.project)
    old = editor.status
    editor.status = ProjectEditor.Status.REVOKED
    editor.save(update_fields=["status", "updated_at"])
    invitation_void(actor=actor, target=editor, kind=EDITOR)
    audit_record(actor=actor, action="revoke", target=editor, organisation=editor.organisation,
                 changes={"status": [old, editor.status]})


# --- finalisation ----------------------------------------------------------------------------------------------

@transaction.atomic
def project_finalise(*, actor, project: Project, signing_place: str, signing_date: datetime.date,
                     certificate_language: str, signatory_page1=None, signatory_part2=None,
                     extra_signatory_name: str = "", extra_signatory_position: str = "") -> dict:
    """Place and date of signing, the signatories of page 1 (legal representative) and part 2 (person responsible
    for the project; may be the same person), certificate language(s) and the optional additional official
    signatory (e.g. the mayor)."""
    project = require_edit(actor, project)
    for signatory, page, label in ((signatory_page1, "legal_representative", _("page 1")),
                                   (signatory_part2, "project_responsible", _("part 2"))):
        if signatory is None:
            raise ApplicationError(_("Choose who signs %(part)s.") % {"part": label}, code="signatory")
        if signatory.organisation_id != project.organisation_id or not signatory.is_active:
            raise ApplicationError(_("Choose an active signatory of your organisation."), code="signatory")
        if signatory.pages and page not in signatory.pages:
            raise ApplicationError(_("%(name)s may not sign %(part)s: change what they may sign in the "
                                     "organisation's signatories.") % {"name": signatory.full_name, "part": label},
                                   code="signatory")
    if not signing_place.strip() or not signing_date:
        raise ApplicationError(_("Enter the place and the date of signing."), code="signing")
    if certificate_language not in CertificateLanguage.values:
        raise ApplicationError(_("Choose the certificate language."), code="language")
    if bool(extra_signatory_name.strip()) != bool(extra_signatory_position.strip()):
        raise ApplicationError(_("Enter both the name and the position of the additional signatory, or neither."),
                               code="extra_signatory")
    changes = model_update(instance=project, fields=[
        "signing_place", "signing_date", "certificate_language", "signatory_page1", "signatory_part2",
        "extra_signatory_name", "extra_signatory_position"], data={
        "signing_place": signing_place.strip(), "signing_date": signing_date,
        "signatory_page1": signatory_page1, "signatory_part2": signatory_part2,
        "certificate_language": certificate_language, "extra_signatory_name": extra_signatory_name.strip(),
        "extra_signatory_position": extra_signatory_position.strip()})
    project.finalised_at = timezone.now()
    project.save(update_fields=["finalised_at", "updated_at"])
    audit_record(actor=actor, action="update", target=project, organisation=project.organisation,
                 verb="finalised", changes=changes)
    return changes
