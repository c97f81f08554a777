"""Applications for Europass mobility documents (seed 002 "Pieteikuma iesniegšana") and the NEC's decisions.

- Conditions first; not earlier than 10 weeks before the start (the refusal names the first allowed date); after
  the end is allowed.
- Procedure A (programme + project or document number), B (keywords + each of the four quality criteria confirmed),
  C (an individual applicant: programme + project number). An institution applies with A or B; a person with C.
- Issuing body: the NEC (approval within 48 hours) or Europass Try Out (approved at once, documents never numbered
  from the real series, everything deleted 24 hours later by `tryout_purge`).
- Approval makes one blank document per participant with its own Europass number, allocated inside the approving
  transaction once the application is locked (so an approval refused as already decided takes no numbers). On
  PostgreSQL a number is `nextval()` of the kind and year's database sequence (`credentials.numbering`): nothing
  shared across applications is held while the documents are written, and concurrent approvals never share a
  number (unique, not gapless). On SQLite (one writer at a time anyway) the per-kind counter row is written in the
  same transaction."""

from __future__ import annotations

import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.models import AuditEvent
from agnitio.core.permissions import allowed, require
from agnitio.core.services import audit_record
from agnitio.core.storage import orphan_files_delete
from agnitio.notifications.services import email_queue

from ..choices import ApplicationStatus, DocumentKind, DocumentLanguage, IssuingBody, Procedure, Programme
from ..models import Application, Institution, MobilityDocument, NationalCentre
from ._common import clean_text, validation_messages

EARLIEST_BEFORE_START = datetime.timedelta(weeks=10)
TRY_OUT_LIFETIME = datetime.timedelta(hours=24)
MAX_PARTICIPANTS = 500
NUMBER_KIND: dict[str, str] = {DocumentKind.AGREEMENT: "europass_agreement",
                               DocumentKind.CERTIFICATE: "europass_certificate"}
CRITERIA = ("criterion_written_agreement", "criterion_language_preparation", "criterion_mentor",
            "criterion_geographic_scope")


def first_allowed_date(start_date: datetime.date) -> datetime.date:
    """The first day an application for a mobility starting on `start_date` may be made."""
    return start_date - EARLIEST_BEFORE_START


def numbers_allocate(*, kind: str, count: int, year: int) -> list[str]:
    """`count` new Europass numbers of the document kind (never for Try Out documents: their callers pass none).
    Holds nothing shared once it returns on PostgreSQL, so call it inside the transaction that writes them."""
    from agnitio.credentials.numbering import number_allocate

    return [number_allocate(kind=NUMBER_KIND[kind], year=year) for _ in range(count)]


def _date(value, label) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise ApplicationError(_("%(field)s: enter a date.") % {"field": label}, code="date") from None


def _procedure_fields(procedure: str, data: dict) -> dict:
    """The fields of the chosen procedure, checked; the other procedures' fields are cleared."""
    fields: dict = {"programme": "", "programme_name": "", "project_number": "", "document_number": "",
                    "description": "", **dict.fromkeys(CRITERIA, False)}
    if procedure in (Procedure.A, Procedure.C):
        programme = data.get("programme") or ""
        if programme not in Programme.values:
            raise ApplicationError(_("Choose the programme: Erasmus+, Nordplus or a bilateral programme."),
                                   code="programme")
        fields["programme"] = programme
        fields["programme_name"] = clean_text(data.get("programme_name"), label=_("programme name"), max_length=200)
        if programme == Programme.BILATERAL and not fields["programme_name"]:
            raise ApplicationError(_("Name the bilateral programme."), code="programme_name")
        fields["project_number"] = clean_text(data.get("project_number"), label=_("project number"), max_length=80)
        fields["document_number"] = clean_text(data.get("document_number"), label=_("document number"),
                                               max_length=80)
        if procedure == Procedure.A and not (fields["project_number"] or fields["document_number"]):
            raise ApplicationError(_("Procedure A: enter the project number or the document number."),
                                   code="project_number")
        if procedure == Procedure.C and not fields["project_number"]:
            raise ApplicationError(_("Procedure C: enter the project number."), code="project_number")
        if procedure == Procedure.C:
            fields["document_number"] = ""
    elif procedure == Procedure.B:
        fields["description"] = clean_text(data.get("description"), label=_("short description"), max_length=2000,
                                           multiline=True)
        if not fields["description"]:
            raise ApplicationError(_("Procedure B: describe the project briefly (keywords)."), code="description")
        missing = [str(getattr(Application._meta.get_field(c), "verbose_name", c)) for c in CRITERIA
                   if data.get(c) is not True]
        if missing:
            raise ApplicationError(
                _("Procedure B: confirm each quality criterion was met. Not confirmed: %(criteria)s.")
                % {"criteria": ", ".join(missing)}, code="criteria")
        fields.update(dict.fromkeys(CRITERIA, True))
    else:
        raise ApplicationError(_("Choose procedure A, B or C."), code="procedure")
    return fields


def _blank_documents(application: Application, numbers: list[str] | None) -> list[MobilityDocument]:
    language = application.language if application.language in DocumentLanguage.values else DocumentLanguage.EN
    programme = ""
    if application.programme:
        programme = application.programme_name or str(Programme(application.programme).label)
    documents = [
        MobilityDocument(
            institution=application.institution, applicant=application.applicant, application=application,
            kind=DocumentKind.AGREEMENT, language=language, position=index + 1,
            europass_number=numbers[index] if numbers else None, try_out=application.is_try_out,
            programme=programme, start_date=application.start_date, end_date=application.end_date,
        )
        for index in range(application.participants_count)
    ]
    return MobilityDocument.objects.bulk_create(documents)


def _organisation(application: Application):
    return application.institution.organisation if application.institution is not None else None


def application_create(*, actor, institution: Institution | None, data: dict,
                       now: datetime.datetime | None = None) -> Application:
    """A sending institution's member (procedure A or B), or a person for themself (`institution` None,
    procedure C), applies. A Try Out application is approved at once and its blank documents made."""
    now = now or timezone.now()
    if not getattr(actor, "is_authenticated", False):
        raise NotFound()
    if institution is not None:
        require(actor, "europass.apply_for_mobility", institution)
    if data.get("conditions_accepted") is not True:
        raise ApplicationError(_("Accept the conditions first (among them: you may apply only for your own "
                                 "participants)."), code="conditions")
    procedure = data.get("procedure") or ""
    if institution is not None and procedure == Procedure.C:
        raise ApplicationError(_("Procedure C is for an individual applicant without a sending institution."),
                               code="procedure")
    if institution is None and procedure != Procedure.C:
        raise ApplicationError(_("An individual applicant applies with procedure C; a sending institution applies "
                                 "with procedure A or B."), code="procedure")
    fields = _procedure_fields(procedure, data)
    start = _date(data.get("start_date"), _("start"))
    end = _date(data.get("end_date"), _("end"))
    if end < start:
        raise ApplicationError(_("The end of the learning abroad cannot be before its start."), code="end_date")
    today = timezone.localdate(now)
    if today < first_allowed_date(start):
        raise ApplicationError(
            _("You can apply at the earliest 10 weeks before the start of the learning abroad: from %(date)s.")
            % {"date": formats.date_format(first_allowed_date(start), "DATE_FORMAT")},
            code="too_early", extra={"first_allowed_date": first_allowed_date(start).isoformat()})
    try:
        count = int(data.get("participants_count") or 0)
    except (TypeError, ValueError):
        count = 0
    if not 1 <= count <= MAX_PARTICIPANTS:
        raise ApplicationError(_("Enter the number of participants (1 to %(max)d).") % {"max": MAX_PARTICIPANTS},
                               code="participants_count")
    body = data.get("issuing_body") or ""
    centre = None
    if body == IssuingBody.NEC:
        centre = NationalCentre.objects.filter(public_id=data.get("national_centre") or "").first()
        if centre is None:
            centre = NationalCentre.objects.order_by("id").first() if NationalCentre.objects.count() == 1 else None
        if centre is None:
            raise ApplicationError(_("Choose the Nacionālais Europass centrs that issues the documents."),
                                   code="national_centre")
    elif body != IssuingBody.TRY_OUT:
        raise ApplicationError(_("Choose the issuing body: the Nacionālais Europass centrs or Europass Try Out."),
                               code="issuing_body")
    folders = data.get("folders_by_post") is True
    folders_address = clean_text(data.get("folders_address"), label=_("postal address for the folders"),
                                 max_length=1000, multiline=True)
    if folders and body == IssuingBody.TRY_OUT:
        raise ApplicationError(_("Europass Try Out sends no document folders."), code="folders_by_post")
    if folders and not folders_address:
        folders_address = (institution.postal_address or institution.organisation.address) if institution else ""
        if not folders_address:
            raise ApplicationError(_("Enter the postal address for the document folders."), code="folders_address")
    language = data.get("language") or (institution.language if institution else DocumentLanguage.LV)
    if language not in DocumentLanguage.values:
        language = DocumentLanguage.LV
    with transaction.atomic():
        application = Application(
            institution=institution, applicant=None if institution else actor, created_by=actor, language=language,
            conditions_accepted_at=now, issuing_body=body, national_centre=centre, procedure=procedure,
            participants_count=count, start_date=start, end_date=end, folders_by_post=folders,
            folders_address=folders_address if folders else "", submitted_at=now, **fields)
        if body == IssuingBody.TRY_OUT:
            application.status, application.decided_at = ApplicationStatus.APPROVED, now
            application.purge_at = now + TRY_OUT_LIFETIME
        try:
            application.full_clean()
        except ValidationError as exc:
            raise ApplicationError(validation_messages(exc)) from exc
        application.save()
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=application,
                     organisation=_organisation(application),
                     changes={"procedure": [None, procedure], "issuing_body": [None, body],
                              "participants_count": [None, count]}, verb="Europass application")
        if application.is_try_out:
            _blank_documents(application, None)
    return application


def _notify(application: Application, template: str) -> None:
    if application.institution is not None:
        to = application.institution.organisation.email
    else:
        to = application.applicant.email if application.applicant is not None else ""
    with override(application.language):
        email_queue(to=to, template=template, language=application.language,
                    context={"application": application}, organisation=_organisation(application),
                    related=application)


def _decidable(actor, application: Application) -> Application:
    require(actor, "europass.decide_application", application, visible="europass.view_application",
            message=_("Only the Nacionālais Europass centrs decides on applications."))
    locked = Application.objects.select_for_update(of=("self",)).select_related(
        "institution__organisation", "applicant").get(pk=application.pk)
    if locked.status != ApplicationStatus.SUBMITTED:
        raise ApplicationError(_("This application was already decided."), code="decided")
    return locked


def application_approve(*, actor, application: Application, now: datetime.datetime | None = None) -> Application:
    """The NEC approves: one blank document per participant, each with its own Europass number; the applicant is
    told by e-mail in their language."""
    now = now or timezone.now()
    require(actor, "europass.decide_application", application, visible="europass.view_application",
            message=_("Only the Nacionālais Europass centrs decides on applications."))
    if application.status != ApplicationStatus.SUBMITTED:
        raise ApplicationError(_("This application was already decided."), code="decided")
    with transaction.atomic():
        application = _decidable(actor, application)
        numbers = numbers_allocate(kind=DocumentKind.AGREEMENT, count=application.participants_count,
                                   year=timezone.localdate(now).year)
        application.status, application.decided_at, application.decided_by = ApplicationStatus.APPROVED, now, actor
        application.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
        _blank_documents(application, numbers)
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=application,
                     organisation=_organisation(application),
                     changes={"status": [ApplicationStatus.SUBMITTED, ApplicationStatus.APPROVED]},
                     verb="application approved")
        _notify(application, "europass/email/approved")
    return application


@transaction.atomic
def application_reject(*, actor, application: Application, reason: str,
                       now: datetime.datetime | None = None) -> Application:
    """The NEC rejects with a reason, which the applicant receives by e-mail in their language."""
    reason = clean_text(reason, label=_("reason for rejection"), max_length=2000, multiline=True)
    application = _decidable(actor, application)
    if not reason:
        raise ApplicationError(_("Give the reason for the rejection: the applicant receives it."), code="reason")
    application.status, application.decided_at, application.decided_by = ApplicationStatus.REJECTED, now or \
        timezone.now(), actor
    application.rejection_reason = reason
    application.save(update_fields=["status", "decided_at", "decided_by", "rejection_reason", "updated_at"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=application,
                 organisation=_organisation(application),
                 changes={"status": [ApplicationStatus.SUBMITTED, ApplicationStatus.REJECTED],
                          "rejection_reason": [None, reason]}, verb="application rejected")
    _notify(application, "europass/email/rejected")
    return application


@transaction.atomic
def application_folders_mark_sent(*, actor, application: Application,
                                  now: datetime.datetime | None = None) -> Application:
    """NEC staff: the document folders of an approved application were posted."""
    centre = application.national_centre
    if centre is None or not allowed(actor, "europass.act_as_nec", centre):
        raise NotFound()
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not application.folders_by_post or application.status != ApplicationStatus.APPROVED:
        raise ApplicationError(_("This application asked for no document folders, or is not approved."),
                               code="no_folders")
    if application.folders_sent_at is not None:
        raise ApplicationError(_("These folders were already marked sent."), code="already_sent")
    application.folders_sent_at, application.folders_sent_by = now or timezone.now(), actor
    application.save(update_fields=["folders_sent_at", "folders_sent_by", "updated_at"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=application,
                 organisation=centre.organisation,
                 changes={"folders_sent_at": [None, application.folders_sent_at]}, verb="folders sent")
    return application


def _files_delete(names: list[str]) -> None:
    storage = MobilityDocument._meta.get_field("photo").storage
    for name in names:
        storage.delete(name)


PHOTO_ORPHAN_AGE = datetime.timedelta(hours=1)  # older than any upload still on its way to its row


def tryout_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete every Try Out application whose 24 hours are over, with everything made under it (documents,
    outcomes, accesses and their links, group programmes, photos). Idempotent and catching up: a run after missed
    ones (the broker was down) purges all that is due. Each application goes in one transaction (a worker lost
    inside it leaves it whole for the next run); its photos go after the commit, and photos that a worker lost
    before deleting them are swept by the next run (`_photo_orphans_delete`). Returns how many applications went."""
    from agnitio.invitations.services import invitations_erase

    from ..models import DocumentAccess
    from .access import HOST_KIND, PARTICIPANT_KIND

    now = now or timezone.now()
    deleted = 0
    for application in Application.objects.filter(issuing_body=IssuingBody.TRY_OUT, purge_at__lte=now):
        with transaction.atomic():
            photos = [name for name in MobilityDocument.objects.filter(application=application).exclude(photo="")
                      .values_list("photo", flat=True) if name]
            # The access links mailed for its documents (invitations name their target loosely): revoked, without
            # the address and name they were mailed to.
            invitations_erase(pseudonym="Try Out", kinds=[HOST_KIND, PARTICIPANT_KIND],
                              targets=DocumentAccess.objects.filter(document__application=application))
            audit_record(actor=None, action=AuditEvent.Action.DELETE, target=application,
                         organisation=_organisation(application), verb="Try Out deleted after 24 hours")
            application.delete()
            if photos:
                transaction.on_commit(partial(_files_delete, photos))
        deleted += 1
    _photo_orphans_delete(now=now)
    return deleted


def _photo_orphans_delete(*, now: datetime.datetime) -> list[str]:
    """Delete stored photos that no document names and that are older than PHOTO_ORPHAN_AGE: left by a worker lost
    between a commit that deleted (or replaced) a photo's row and the deletion of its file."""
    return orphan_files_delete(model=MobilityDocument, field="photo", folder="europass/photos",
                               cutoff=now - PHOTO_ORPHAN_AGE)
