"""Europass mobility documents: sections, learning outcomes, photo, KA1 documents with a mobility ID, the group
learning programme, and "create the certificate from the agreement". Which sections a kind has and requires is
`sections.py`; this file enforces it on every write."""

from __future__ import annotations

import datetime
import re
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.models import AuditEvent
from agnitio.core.permissions import require
from agnitio.core.services import audit_record

from .. import sections
from ..choices import (
    COUNTRIES_BY_PROCEDURE,
    OTHER,
    ActivityType,
    DocumentKind,
    DocumentLanguage,
    HostType,
    OutcomeFramework,
    StayMode,
    StayPurpose,
)
from ..models import GroupLearningProgramme, Institution, LearningOutcome, MobilityDocument
from ._common import clean_text, validation_messages

# The Beneficiary Module's "Unique Erasmus+ Mobility ID" (European Commission, NAITDOC wiki page 143439768, ADR
# 0016): generated, read-only, from call year 2024 in KA121, KA122 and KA182 mobility activities; call year, the
# activity type's five-letter code, a four-digit counter (per activity type) and the last characters of the project
# code, e.g. the 12th long-term mobility of pupils in project 2024-1-FR01-KA121-SCH-000005151 is
# 2024-LONGT-0012-KA121-SCH-000005151.
MOBILITY_ID_RE = re.compile(
    r"^(?P<year>\d{4})-(?P<activity>[A-Z]{5})-(?P<counter>\d{4})-(?P<project_tail>KA1\d{2}-[A-Z]{3}-\d{9})$")
MOBILITY_ID_FIRST_YEAR = 2024
MOBILITY_ID_EXAMPLE = "2024-LONGT-0012-KA121-SCH-000005151"
# An Erasmus+ KA1 project code: call year, round, national agency, action, field, number.
KA1_PROJECT_NUMBER_RE = re.compile(r"^(?P<year>\d{4})-[1-3]-[A-Z]{2}\d{2}-(?P<tail>KA1\d{2}-[A-Z]{3}-\d{9})$")
KA1_PROJECT_NUMBER_EXAMPLE = "2024-1-FR01-KA121-SCH-000005151"
MAX_OUTCOMES = 50
BORN_FROM = datetime.date(1900, 1, 1)
MAX_ESCO_URIS = 50
ESCO_PREFIX = "http://data.europa.eu/esco/"
_TEXT_LIMITS: dict[str, int] = {field.name: getattr(field, "max_length", 0)
                                 for field in MobilityDocument._meta.get_fields() if getattr(field, "max_length", None)}


def mobility_id_normalise(value: str) -> str:
    """Upper case, without spaces; dashes of every kind read as '-' (also for a KA1 project number)."""
    return re.sub(r"[\u2010-\u2015\u2212]", "-", re.sub(r"\s+", "", value or "")).upper()


def mobility_id_check(mobility_id: str, *, project_number: str = "",
                      today: datetime.date | None = None) -> tuple[str, str]:
    """The mobility ID and the KA1 project number (optional) normalised, or ApplicationError: the ID must have the
    Beneficiary Module's format from call year 2024 on; a project number, when given, must be a KA1 project code
    whose call year and end are the ID's."""
    mobility_id, project_number = mobility_id_normalise(mobility_id), mobility_id_normalise(project_number)
    match = MOBILITY_ID_RE.match(mobility_id)
    if not match:
        raise ApplicationError(
            _("Enter the Unique Erasmus+ Mobility ID as the Beneficiary Module shows it: call year, activity type "
              "code, the mobility's four-digit number and the end of the project code, e.g. %(example)s.")
            % {"example": MOBILITY_ID_EXAMPLE}, code="mobility_id")
    year = int(match["year"])
    if year < MOBILITY_ID_FIRST_YEAR:
        raise ApplicationError(
            _("The Beneficiary Module gives mobility IDs from call year %(first)s; for an earlier project apply to the "
              "Nacionālais Europass centrs for Europass numbers.") % {"first": MOBILITY_ID_FIRST_YEAR},
            code="mobility_id")
    if year > (today or timezone.localdate()).year + 1:
        raise ApplicationError(_("The call year %(year)s of this mobility ID has not come yet.") % {"year": year},
                               code="mobility_id")
    if project_number:
        project = KA1_PROJECT_NUMBER_RE.match(project_number)
        if not project:
            raise ApplicationError(_("Enter the KA1 project number as in the grant agreement, e.g. %(example)s.")
                                   % {"example": KA1_PROJECT_NUMBER_EXAMPLE}, code="project_number")
        if project["tail"] != match["project_tail"]:
            raise ApplicationError(
                _("This mobility ID is not of project %(project)s: its mobility IDs end with %(tail)s.")
                % {"project": project_number, "tail": project["tail"]}, code="project_number")
        if int(project["year"]) != year:
            raise ApplicationError(
                _("The call year of the mobility ID (%(id_year)s) is not the project's (%(project_year)s).")
                % {"id_year": year, "project_year": project["year"]}, code="project_number")
    return mobility_id, project_number


def _audit_org(document: MobilityDocument):
    return document.institution.organisation if document.institution is not None else None


def _editable(actor, document: MobilityDocument, section: str | None = None) -> MobilityDocument:
    """The document locked for writing; with `section`, the section's writers also include the host and the
    participant with access (access_rules)."""
    if section is None:
        require(actor, "europass.change_document", document)
    else:
        from ..access_rules import SectionTarget

        require(actor, "europass.edit_document_section", SectionTarget(document, section))
    return MobilityDocument.objects.select_for_update(of=("self",)).select_related("application").get(pk=document.pk)


def _choice(value: Any, choices, label) -> str:
    value = value or ""
    if value and value not in choices.values:
        raise ApplicationError(_("%(field)s: choose one of the list.") % {"field": label}, code="choice")
    return value


def _date_or_none(value: Any, label) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ApplicationError(_("%(field)s: enter a date.") % {"field": label}, code="date") from None


def _label(name: str):
    return getattr(MobilityDocument._meta.get_field(name), "verbose_name", name)


def _clean_field(document: MobilityDocument, name: str, value: Any) -> Any:
    """One field of a section, checked by its own rule."""
    if name in ("date_of_birth", "start_date", "end_date"):
        day = _date_or_none(value, _label(name))
        if name == "date_of_birth" and day is not None and not BORN_FROM <= day <= timezone.localdate():
            raise ApplicationError(_("Date of birth: enter a date between 1900 and today, such as 2005-12-31."),
                                   code="date_of_birth")
        return day
    if name in ("email", "mentor_email"):
        value = clean_text(value, label=_label(name), max_length=254)
        if value:
            try:
                validate_email(value)
            except ValidationError as exc:
                raise ApplicationError(_("%(field)s: enter a valid e-mail address.") % {"field": _label(name)},
                                       code=name) from exc
        return value
    if name == "mentor_phone":
        text = clean_text(value, label=_label(name), max_length=40)
        if not text:
            return ""
        try:
            number = phonenumbers.parse(text, None)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise ApplicationError(_("Mentor's phone: enter the number with its country code, e.g. +371 2000 0000."),
                                   code="mentor_phone")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if name == "host_country":
        country = (value or "").upper()
        if not document.host_country_in_scope(country):
            procedure = document.scope_procedure
            raise ApplicationError(
                _("The host country must be within the geographic scope of procedure %(procedure)s (%(count)d "
                  "countries).") % {"procedure": procedure, "count": len(COUNTRIES_BY_PROCEDURE[procedure])},
                code="host_country")
        return country
    if name == "nationality":
        from django_countries import countries

        country = (value or "").upper()
        if country and country not in dict(countries):
            raise ApplicationError(_("Nationality: choose a country."), code="nationality")
        return country
    choices = {"host_type": HostType, "activity_type": ActivityType, "stay_mode": StayMode, "purpose": StayPurpose}
    if name in choices:
        return _choice(value, choices[name], _label(name))
    if name == "signing_parties":
        parties = value or []
        if not isinstance(parties, list) or not all(isinstance(p, str) for p in parties):
            raise ApplicationError(_("Signatures: choose who signs."), code="signing_parties")
        parties = sorted(set(parties))
        if parties:
            problem = sections.signing_parties_problem(document.kind, parties)
            if problem:
                raise ApplicationError(problem, code="signing_parties")
        return parties
    multiline = name in MobilityDocument.MULTILINE_TEXT_FIELDS
    return clean_text(value, label=_label(name), max_length=_TEXT_LIMITS.get(name) or 200, multiline=multiline)


def _check_within_application(document: MobilityDocument, *, changed: dict) -> None:
    """Seed 002: an application covers the learning abroad it names (for an Erasmus+ project, possibly the whole
    project); each document then states its participant's own period, within it. A date the user just changed
    must lie there (older documents keep their dates until someone changes one)."""
    application = document.application
    if application is None:
        return
    for name in ("start_date", "end_date"):
        day = getattr(document, name)
        if name in changed and day is not None and not application.start_date <= day <= application.end_date:
            raise ApplicationError(
                _("%(field)s: the learning abroad of this document must lie within the period of its application, "
                  "%(start)s – %(end)s. Correct the date, or apply for documents for the other period.")
                % {"field": capfirst(str(_label(name))), "start": date_format(application.start_date),
                   "end": date_format(application.end_date)}, code=name)


def _outcome_text(value: Any, *, index: int, field: str, **kwargs) -> str:
    """clean_text for a field of outcome `index` (from 1): the error says which outcome and field."""
    try:
        return clean_text(value, **kwargs)
    except ApplicationError as error:
        raise ApplicationError(_("Learning outcome %(n)d: %(problem)s") % {"n": index, "problem": error.message},
                               code=error.code, extra={"index": index - 1, "field": field}) from error


def outcomes_clean(items: Any) -> list[dict]:
    """Learning outcomes as given: each with its framework (A, B, C — C names its framework), its text and a list
    of ESCO URIs (absolute URIs under data.europa.eu/esco). An error about one outcome says which
    (`extra["index"]`, from 0, and `extra["field"]`), so a page shows it beside that outcome's field."""
    if not isinstance(items, list) or len(items) > MAX_OUTCOMES:
        raise ApplicationError(_("Learning outcomes: at most %(max)d.") % {"max": MAX_OUTCOMES}, code="outcomes")
    cleaned = []
    uri = URLValidator(schemes=["http", "https"])
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ApplicationError(_("Learning outcome %(n)d: incomplete.") % {"n": index}, code="outcomes",
                                   extra={"index": index - 1, "field": "text"})
        framework = item.get("framework") or ""
        if framework not in OutcomeFramework.values:
            raise ApplicationError(_("Learning outcome %(n)d: choose its framework (A, B or C).") % {"n": index},
                                   code="framework", extra={"index": index - 1, "field": "framework"})
        name = _outcome_text(item.get("framework_name"), index=index, field="framework_name",
                             label=_("name of the other framework"), max_length=200)
        if framework == OutcomeFramework.OTHER and not name:
            raise ApplicationError(_("Learning outcome %(n)d: name the other framework.") % {"n": index},
                                   code="framework_name", extra={"index": index - 1, "field": "framework_name"})
        text = _outcome_text(item.get("text"), index=index, field="text", label=_("learning outcome"),
                             max_length=10_000, multiline=True)
        if not text:
            raise ApplicationError(_("Learning outcome %(n)d: write the outcome.") % {"n": index}, code="text",
                                   extra={"index": index - 1, "field": "text"})
        uris = item.get("esco_uris") or []
        if not isinstance(uris, list) or len(uris) > MAX_ESCO_URIS:
            raise ApplicationError(_("Learning outcome %(n)d: too many ESCO links.") % {"n": index}, code="esco",
                                   extra={"index": index - 1, "field": "esco_uris"})
        for value in uris:
            try:
                if not isinstance(value, str) or len(value) > 300:
                    raise ValidationError("uri")
                uri(value)
            except ValidationError:
                raise ApplicationError(_("Learning outcome %(n)d: “%(uri)s” is not an ESCO URI.")
                                       % {"n": index, "uri": str(value)[:80]}, code="esco",
                                       extra={"index": index - 1, "field": "esco_uris"}) from None
            if not value.startswith(ESCO_PREFIX):
                raise ApplicationError(_("Learning outcome %(n)d: “%(uri)s” is not an ESCO URI.")
                                       % {"n": index, "uri": value[:80]}, code="esco",
                                       extra={"index": index - 1, "field": "esco_uris"})
        cleaned.append({"framework": framework, "framework_name": name if framework == OutcomeFramework.OTHER else "",
                        "text": text, "esco_uris": list(dict.fromkeys(uris))})
    return cleaned


def _outcomes_replace(document: MobilityDocument, items: list[dict]) -> list:
    old = [o.text for o in document.outcomes.all()]
    document.outcomes.all().delete()
    LearningOutcome.objects.bulk_create([LearningOutcome(document=document, position=i, **item)
                                         for i, item in enumerate(items, start=1)])
    return [old, [item["text"] for item in items]]


@transaction.atomic
def document_section_update(*, actor, document: MobilityDocument, section: str, data: dict) -> dict:
    """Save one section of a document; a section the document's kind removes cannot be written. Returns the
    changes. Fields missing from `data` are left alone."""
    document = _editable(actor, document, section)
    spec = sections.SECTIONS_BY_KEY.get(section)
    if spec is None:
        raise NotFound()
    if sections.rule(section, document.kind) == sections.Rule.REMOVED:
        raise ApplicationError(_("A %(kind)s has no section “%(section)s”.")
                               % {"kind": document.get_kind_display(), "section": spec.label}, code="removed")
    changes: dict[str, list] = {}
    if section == "outcomes":
        if "outcomes" in data:
            changes["outcomes"] = _outcomes_replace(document, outcomes_clean(data["outcomes"]))
    else:
        for name in spec.fields:
            if name == "photo" or name not in data:
                continue
            value = _clean_field(document, name, data[name])
            if getattr(document, name) != value:
                changes[name] = [getattr(document, name), value]
                setattr(document, name, value)
        if "language" in data and section == "personal":
            language = _choice(data["language"], DocumentLanguage, _("document language"))
            if language and language != document.language:
                changes["language"] = [document.language, language]
                document.language = language
        if document.activity_type != OTHER:
            document.activity_type_other = document.activity_type_other if not document.activity_type else ""
        if document.purpose != OTHER and document.purpose:
            document.purpose_other = ""
        if document.host_type != OTHER and document.host_type:
            document.host_type_other = ""
        if document.start_date and document.end_date and document.end_date < document.start_date:
            raise ApplicationError(_("The end date cannot be before the start date."), code="end_date")
        _check_within_application(document, changed=changes)
        if changes:
            try:
                document.full_clean(exclude=["photo"])
            except ValidationError as exc:
                raise ApplicationError(validation_messages(exc)) from exc
            document.save()
    if changes:
        from .access import actor_label

        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=document, organisation=_audit_org(document),
                     changes=changes, verb=f"section {section}", actor_label=actor_label(actor, document))
    return changes


@transaction.atomic
def document_photo_set(*, actor, document: MobilityDocument, upload=None, clear: bool = False) -> MobilityDocument:
    """The participant's optional photo: checked by content, re-encoded without any metadata (organisations.images)."""
    from agnitio.organisations import images

    document = _editable(actor, document, "personal")
    old = document.photo.name if document.photo else ""
    if upload is not None:
        try:
            checked = images.process_upload(upload, purpose="logo")
        except ValidationError as exc:
            raise ApplicationError(validation_messages(exc), code="photo") from exc
        document.photo = checked.file()
    elif clear:
        document.photo = ""
    else:
        return document
    document.save(update_fields=["photo", "updated_at"])
    from .access import actor_label

    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=document, organisation=_audit_org(document),
                 changes={"photo": [old or None, document.photo.name or None]}, verb="photo",
                 actor_label=actor_label(actor, document))
    if old and not MobilityDocument.objects.filter(photo=old).exists():  # a certificate shares its agreement's
        storage = document.photo.storage
        transaction.on_commit(lambda: storage.delete(old))
    return document


def document_ka1_create(*, actor, institution: Institution, mobility_id: str, language: str = DocumentLanguage.EN,
                        kind: str = DocumentKind.AGREEMENT, project_number: str = "") -> MobilityDocument:
    """Erasmus+ KA1: a document numbered with the Beneficiary Module's mobility ID, with no NEC application. The
    project code, when given, is checked against the ID (`mobility_id_check`) and printed with the project."""
    require(actor, "europass.apply_for_mobility", institution)
    mobility_id, project_number = mobility_id_check(mobility_id, project_number=project_number)
    if kind not in DocumentKind.values or language not in DocumentLanguage.values:
        raise ApplicationError(_("Choose the document and its language."), code="kind")
    with transaction.atomic():
        if MobilityDocument.objects.filter(mobility_id=mobility_id, kind=kind).exists():
            raise ApplicationError(_("A document with this mobility ID already exists."), code="duplicate")
        document = MobilityDocument.objects.create(institution=institution, kind=kind, language=language,
                                                   mobility_id=mobility_id, project_number=project_number,
                                                   programme="Erasmus+")
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=document,
                     organisation=institution.organisation,
                     changes={"mobility_id": [None, mobility_id], "project_number": [None, project_number or None]},
                     verb="KA1 document")
    return document


CARRIED_SECTIONS = ("personal", "host", "project", "activities", "mentoring", "evaluation")


def certificate_create_from_agreement(*, actor, agreement: MobilityDocument,
                                      now: datetime.datetime | None = None) -> MobilityDocument:
    """After the mobility: a mobility certificate from the learning agreement. Carries over the sections the
    certificate keeps (`sections.RULES`), drops those it removes (additional terms, contact information), and
    leaves empty what is new: the achieved learning outcomes and the one signing party."""
    from .applications import numbers_allocate

    require(actor, "europass.change_document", agreement)
    if agreement.kind != DocumentKind.AGREEMENT:
        raise ApplicationError(_("A certificate is made from a learning agreement."), code="kind")
    if MobilityDocument.objects.filter(agreement=agreement).exists():
        raise ApplicationError(_("The certificate of this agreement already exists."), code="duplicate")
    with transaction.atomic():
        agreement = MobilityDocument.objects.select_for_update().get(pk=agreement.pk)
        if MobilityDocument.objects.filter(agreement=agreement).exists():
            raise ApplicationError(_("The certificate of this agreement already exists."), code="duplicate")
        number = None  # a Try Out or KA1 (mobility ID) certificate takes no number from the real series
        if not agreement.try_out and not agreement.mobility_id:
            number = numbers_allocate(kind=DocumentKind.CERTIFICATE, count=1,
                                      year=timezone.localdate(now or timezone.now()).year)[0]
        kept = [field for key in CARRIED_SECTIONS
                if sections.rule(key, DocumentKind.CERTIFICATE) != sections.Rule.REMOVED
                for field in sections.SECTIONS_BY_KEY[key].fields]
        certificate = MobilityDocument(
            institution_id=agreement.institution_id, applicant_id=agreement.applicant_id,
            application_id=agreement.application_id, kind=DocumentKind.CERTIFICATE, language=agreement.language,
            position=agreement.position, europass_number=number, try_out=agreement.try_out, agreement=agreement,
            group_programme_id=agreement.group_programme_id,
            mobility_id=agreement.mobility_id, project_number=agreement.project_number,
            **{field: getattr(agreement, field) for field in kept})
        certificate.save()
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=certificate,
                     organisation=_audit_org(certificate),
                     changes={"agreement": [None, agreement.public_id], "europass_number": [None, number]},
                     verb="certificate from agreement")
    return certificate


def _programme_fields(data: dict) -> dict:
    fields = {
        "title": clean_text(data.get("title"), label=_("title"), max_length=255),
        "description": clean_text(data.get("description"), label=_("programme of the group mobility"),
                                  max_length=10_000, multiline=True),
        "activities": clean_text(data.get("activities"), label=_("shared activities and tasks"), max_length=10_000,
                                 multiline=True),
        "learning_outcomes": clean_text(data.get("learning_outcomes"), label=_("shared learning outcomes"),
                                        max_length=10_000, multiline=True),
        "language": _choice(data.get("language") or DocumentLanguage.EN, DocumentLanguage, _("document language")),
    }
    if not fields["title"]:
        raise ApplicationError(_("Give the group learning programme a title."), code="title")
    return fields


@transaction.atomic
def group_programme_create(*, actor, institution: Institution, data: dict, documents=()) -> GroupLearningProgramme:
    """The shared programme of a group mobility, described once; `documents` (the institution's) refer to it."""
    require(actor, "europass.apply_for_mobility", institution)
    programme = GroupLearningProgramme(institution=institution, **_programme_fields(data))
    application = data.get("application")
    if application is not None:
        if application.institution_id != institution.pk:
            raise NotFound()
        programme.application = application
    programme.save()
    chosen = [d.pk for d in documents if d.institution_id == institution.pk]
    MobilityDocument.objects.filter(pk__in=chosen).update(group_programme=programme)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=programme, organisation=institution.organisation,
                 changes={"title": [None, programme.title], "documents": [None, len(chosen)]},
                 verb="group learning programme")
    return programme


@transaction.atomic
def group_programme_update(*, actor, programme: GroupLearningProgramme, data: dict, documents=None
                           ) -> GroupLearningProgramme:
    require(actor, "europass.apply_for_mobility", programme.institution)
    changes = {}
    for field, value in _programme_fields(data).items():
        if getattr(programme, field) != value:
            changes[field] = [getattr(programme, field), value]
            setattr(programme, field, value)
    programme.save()
    if documents is not None:
        chosen = [d.pk for d in documents if d.institution_id == programme.institution_id]
        MobilityDocument.objects.filter(group_programme=programme).exclude(pk__in=chosen).update(group_programme=None)
        MobilityDocument.objects.filter(pk__in=chosen).update(group_programme=programme)
        changes["documents"] = [None, len(chosen)]
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=programme,
                 organisation=programme.institution.organisation, changes=changes, verb="group learning programme")
    return programme
