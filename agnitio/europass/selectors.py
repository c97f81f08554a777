"""Reads about Europass mobility. Every selector returns only what the actor may see; not found = not allowed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from agnitio.core.errors import NotFound
from agnitio.core.permissions import allowed

from . import sections
from .choices import ApplicationStatus, DocumentKind
from .models import Application, GroupLearningProgramme, Institution, InstitutionUser, MobilityDocument, NationalCentre

APPLICATION_ORDER = ("-submitted_at", "-id")
NEC_QUEUE_ORDER = ("submitted_at", "id")  # oldest first: the ones waiting longest are at the top
FOLDER_QUEUE_ORDER = ("submitted_at", "id")
DOCUMENT_ORDER = ("-created_at", "-id")
NEC_ANSWER_WITHIN = datetime.timedelta(hours=48)


def _member_org_ids(actor) -> set[int]:
    from agnitio.organisations.selectors import organisation_ids_of_member

    if not getattr(actor, "is_authenticated", False):
        return set()
    return organisation_ids_of_member(user=actor)


def _scoped_org_ids(actor) -> set[int]:
    """The actor's organisations, within a bound API token's organisation scope."""
    from agnitio.organisations.access import organisation_scope

    ids = _member_org_ids(actor)
    scope = organisation_scope()
    return ids if scope is None else ids & {scope}


def institution_for(*, actor, organisation=None) -> Institution | None:
    """The sending institution the actor works for: the one of `organisation` (the request's current one) when
    it is an institution the actor belongs to, else their first."""
    ids = _scoped_org_ids(actor)
    if not ids:
        return None
    institutions = Institution.objects.select_related("organisation").filter(organisation_id__in=ids)
    if organisation is not None:
        current = institutions.filter(organisation_id=organisation.pk).first()
        if current is not None:
            return current
    return institutions.order_by("organisation__legal_name", "id").first()


def institution_get(*, actor, public_id: str) -> Institution:
    institution = Institution.objects.select_related("organisation").filter(
        public_id=public_id, organisation_id__in=_scoped_org_ids(actor)).first()
    if institution is None:
        raise NotFound()
    return institution


def institution_user_list(*, actor, institution: Institution) -> QuerySet[InstitutionUser]:
    if not allowed(actor, "europass.view_institution", institution):
        return InstitutionUser.objects.none()
    return InstitutionUser.objects.filter(institution=institution).exclude(
        status=InstitutionUser.Status.REMOVED).order_by("created_at", "id")


def institution_user_get(*, actor, institution: Institution, public_id: str) -> InstitutionUser:
    row = institution_user_list(actor=actor, institution=institution).filter(public_id=public_id).first()
    if row is None:
        raise NotFound()
    return row


def national_centres_for(*, actor) -> QuerySet[NationalCentre]:
    """The NECs whose staff the actor is."""
    return NationalCentre.objects.select_related("organisation").filter(
        organisation_id__in=_scoped_org_ids(actor)).order_by("display_name", "id")


def national_centre_choices() -> QuerySet[NationalCentre]:
    return NationalCentre.objects.order_by("display_name", "id")


def application_list(*, actor) -> QuerySet[Application]:
    """The actor's own applications: their institutions', or their individual ones (procedure C)."""
    if not getattr(actor, "is_authenticated", False):
        return Application.objects.none()
    own = Q(institution__organisation_id__in=_scoped_org_ids(actor))
    from agnitio.organisations.access import organisation_scope

    if organisation_scope() is None:
        own |= Q(institution__isnull=True, applicant=actor)
    return Application.objects.filter(own).select_related("institution__organisation", "national_centre")


def application_get(*, actor, public_id: str) -> Application:
    """An application the actor applied for, or one their NEC decides on."""
    application = (application_list(actor=actor).filter(public_id=public_id).first()
                   or nec_application_list(actor=actor).filter(public_id=public_id).first())
    if application is None:
        raise NotFound()
    return application


def nec_application_list(*, actor) -> QuerySet[Application]:
    """Every application sent to a NEC whose staff the actor is."""
    return Application.objects.filter(national_centre__in=national_centres_for(actor=actor)).select_related(
        "institution__organisation", "national_centre", "applicant")


def nec_application_queue(*, actor) -> QuerySet[Application]:
    """Applications waiting for the actor's NEC, oldest first."""
    return nec_application_list(actor=actor).filter(status=ApplicationStatus.SUBMITTED)


def waiting_too_long(application: Application, *, now: datetime.datetime | None = None) -> bool:
    """Waiting for a decision longer than the 48 hours the NEC promises."""
    return (application.status == ApplicationStatus.SUBMITTED
            and (now or timezone.now()) - application.submitted_at > NEC_ANSWER_WITHIN)


def nec_folder_queue(*, actor) -> QuerySet[Application]:
    """Approved applications whose document folders are still to be posted (one folder per participant)."""
    return nec_application_list(actor=actor).filter(status=ApplicationStatus.APPROVED, folders_by_post=True,
                                                    folders_sent_at__isnull=True)


def document_list(*, actor, application: Application | None = None) -> QuerySet[MobilityDocument]:
    """The documents the actor's institutions (or the actor as an individual applicant) own."""
    if not getattr(actor, "is_authenticated", False):
        return MobilityDocument.objects.none()
    own = Q(institution__organisation_id__in=_scoped_org_ids(actor))
    from agnitio.organisations.access import organisation_scope

    if organisation_scope() is None:
        own |= Q(institution__isnull=True, applicant=actor)
    documents = MobilityDocument.objects.filter(own).select_related("application", "institution__organisation")
    if application is not None:
        documents = documents.filter(application=application)
    return documents


def document_get(*, actor, public_id: str) -> MobilityDocument:
    document = document_list(actor=actor).filter(public_id=public_id).first()
    if document is None:
        raise NotFound()
    return document


def group_programme_list(*, actor, institution: Institution) -> QuerySet[GroupLearningProgramme]:
    if not allowed(actor, "europass.view_institution", institution):
        return GroupLearningProgramme.objects.none()
    return GroupLearningProgramme.objects.filter(institution=institution).order_by("-created_at", "-id")


def group_programme_get(*, actor, institution: Institution, public_id: str) -> GroupLearningProgramme:
    programme = group_programme_list(actor=actor, institution=institution).filter(public_id=public_id).first()
    if programme is None:
        raise NotFound()
    return programme


# --- what is missing -----------------------------------------------------------------------------------------------

@dataclass
class MissingSection:
    key: str
    label: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # (field name, label)


def _empty(document: MobilityDocument, name: str) -> bool:
    if name == "outcomes":
        return not document.outcomes.exists()
    if name == "signing_parties":
        return sections.signing_parties_problem(document.kind, document.signing_parties or []) is not None
    value = getattr(document, name)
    return value in (None, "", []) or (hasattr(value, "name") and not value.name and not isinstance(value, str)
                                       and not str(value))


def _field_label(name: str) -> str:
    if name == "outcomes":
        return str(sections.SECTIONS_BY_KEY["outcomes"].label)
    return str(getattr(MobilityDocument._meta.get_field(name), "verbose_name", name))


def document_missing_fields(*, document: MobilityDocument) -> list[MissingSection]:
    """What must still be filled before the document of its kind can be made, section by section (the PDF and the
    API ask this; an empty list means complete). Also: a removed section that still has content must be emptied."""
    from .choices import OTHER

    missing: list[MissingSection] = []
    for section in sections.SECTIONS:
        rule = sections.rule(section.key, document.kind)
        if rule != sections.Rule.MANDATORY:
            continue
        names = [name for name in section.required if _empty(document, name)]
        if section.key == "project":
            if document.activity_type == OTHER and not document.activity_type_other:
                names.append("activity_type_other")
            if document.purpose == OTHER and not document.purpose_other:
                names.append("purpose_other")
        if section.key == "host":
            if document.host_type == OTHER and not document.host_type_other:
                names.append("host_type_other")
            if document.host_country and not document.host_country_in_scope():
                names.append("host_country")
        if names:
            missing.append(MissingSection(section.key, str(section.label),
                                          [(name, _field_label(name)) for name in names]))
    return missing


def document_is_certificate(document: MobilityDocument) -> bool:
    return document.kind == DocumentKind.CERTIFICATE


# --- the plain data of a document (for the PDF and EDC work) ------------------------------------------------------

ENGINE_KINDS: dict[str, str] = {DocumentKind.AGREEMENT: "europass_agreement",
                                DocumentKind.CERTIFICATE: "europass_certificate"}
KEY_COMPETENCES_FRAMEWORK = "key_competences_2018"


def _label(choices, value: str, other: str = "") -> str:
    from .choices import OTHER

    if value == OTHER or not value:
        return other
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _country(value) -> str:
    return (getattr(value, "code", "") or str(value or "")).upper()


def _framework_name(outcome, language: str) -> str:
    """The outcome's framework as printed: A the key competences (frameworks data), B ESCO, C its own name."""
    from agnitio.frameworks.selectors import framework_get

    from .choices import OutcomeFramework

    if outcome.framework == OutcomeFramework.KEY_COMPETENCES:
        return framework_get(framework_id=KEY_COMPETENCES_FRAMEWORK).title(language)
    if outcome.framework == OutcomeFramework.ESCO:
        return "ESCO"
    return outcome.framework_name or str(outcome.get_framework_display())


def document_number_for_print(document: MobilityDocument) -> str:
    """The Europass number or the KA1 mobility ID; a Try Out document has a trial mark, never a real number."""
    if document.try_out:
        return f"TRY-OUT-{document.public_id}"
    return document.number


def document_uses_esco(document: MobilityDocument) -> bool:
    return any(o.esco_uris for o in document.outcomes.all())


def mobility_document_data(document: MobilityDocument, *, issued_on: datetime.date | None = None) -> dict:
    """The document as `agnitio.documents.europass.EuropassDocument` (the shape the documents engine and the Trust
    layer take): the sending institution's base data, host, project, outcomes (framework names and ESCO labels
    resolved by the frameworks app, in the document's language), the sections its kind keeps (D4: a certificate
    has no additional terms or contact block), signatures (names, and the stored signature and stamp images of the
    sending institution and the host: `selectors_access.document_signature_images`), the Europass number or KA1
    mobility ID, the Try Out flag and the document's own language — never the interface's."""
    from django.utils import translation

    from agnitio.frameworks.selectors import esco_concepts_get

    from .choices import ActivityType, HostType, SigningParty, StayPurpose

    language = document.language
    with translation.override(language):
        institution = document.institution
        if institution is not None:
            org = institution.organisation
            sending: dict = {"name": org.legal_name, "address": org.address, "country": _country(org.country),
                             "contact_name": institution.contact_person, "email": org.email,
                             "phone": str(org.phone) if org.phone else "", "website": org.website,
                             "logo": org.logo if org.logo else None}
        else:  # procedure C: the individual applicant is their own sender
            applicant = document.applicant
            name = (applicant.get_full_name() if applicant is not None else "") or document.participant_name
            sending = {"name": name, "address": document.address, "country": _country(document.nationality),
                       "email": getattr(applicant, "email", "") or ""}
        host_type = _label(HostType, document.host_type, document.host_type_other)
        host: dict = {"name": document.host_name, "type": host_type, "country": _country(document.host_country),
                      "address": document.host_address,
                      "mentor": {"name": document.mentor_name, "position": document.mentor_position,
                                 "phone": str(document.mentor_phone) if document.mentor_phone else "",
                                 "email": document.mentor_email}}
        application = document.application
        project: dict = {
            "programme": document.programme,
            "activity_type": _label(ActivityType, document.activity_type, document.activity_type_other),
            "stay": document.stay_mode or "physical",
            "purpose": _label(StayPurpose, document.purpose, document.purpose_other),
            "start": document.start_date.isoformat() if document.start_date else "",
            "end": document.end_date.isoformat() if document.end_date else "",
            "status_at_sending": document.participant_status,
            "project_number": document.project_number or (application.project_number if application is not None
                                                          else "") or "",
        }
        outcome_rows = list(document.outcomes.all())
        concepts = esco_concepts_get(uris=[u for o in outcome_rows for u in o.esco_uris], language=language)
        outcomes = []
        for o in outcome_rows:
            item: dict = {"framework": o.framework, "framework_name": _framework_name(o, language), "text": o.text}
            if o.esco_uris:
                item["esco"] = [{"uri": uri, "label": concepts[uri].preferred_label if uri in concepts else uri}
                                for uri in o.esco_uris]
            outcomes.append(item)
        participant_name = document.participant_name
        signer = {
            SigningParty.SENDING: {"name": sending.get("contact_name") or sending["name"],
                                   "organisation": sending["name"]},
            SigningParty.HOST: {"name": document.mentor_name or document.host_name,
                                "position": document.mentor_position, "organisation": document.host_name},
            SigningParty.PARTICIPANT: {"name": participant_name},
            SigningParty.LEGAL_REPRESENTATIVE: {"name": ""},
        }
        # the stored images (chosen for this document, else the default) go to the sending and host entries of the
        # parties that sign: an agreement's 3–4, a certificate's one (sending or host), D4
        from .selectors_access import document_signature_images

        images = document_signature_images(document)
        signer[SigningParty.SENDING].update(images["sending"])
        signer[SigningParty.HOST].update(images["host"])
        signatures = [{"party": party, **signer.get(party, {"name": ""})} for party in document.signing_parties or []]
        data: dict = {
            "kind": ENGINE_KINDS[document.kind], "language": language, "try_out": document.try_out,
            "participant": {"first_name": document.first_name, "surname": document.last_name,
                            "birth_date": document.date_of_birth, "nationality": _country(document.nationality),
                            "address": document.address, "email": document.email,
                            "photo": document.photo if document.photo else None},
            "sending": sending, "host": host, "project": project, "outcomes": outcomes,
            "activities": document.activities_tasks, "evaluation": document.evaluation,
            "signatures": signatures, "issued_on": issued_on,
        }
        if document.mobility_id and not document.try_out:
            data["mobility_id"] = document.mobility_id
        else:
            data["europass_number"] = document_number_for_print(document)
        kept = {section.key for section in sections.sections_for(document.kind)}
        if "mentoring" in kept:
            data["mentoring"] = document.mentoring
        if "additional_terms" in kept:
            data["additional_terms"] = document.additional_terms
        if "contact" in kept:
            contact = [{"role": str(SigningParty.SENDING.label), "name": sending.get("contact_name") or sending["name"],
                        "email": sending.get("email", ""), "phone": sending.get("phone", "")},
                       {"role": str(SigningParty.HOST.label), "name": document.mentor_name,
                        "email": document.mentor_email, "phone": host["mentor"]["phone"]},
                       {"role": str(SigningParty.PARTICIPANT.label), "name": participant_name,
                        "email": document.email}]
            if document.contact_information:
                contact.append({"role": str(sections.SECTIONS_BY_KEY["contact"].label),
                                "name": document.contact_information})
            data["contact"] = contact
        if document.group_programme is not None:
            gp = document.group_programme
            data["group_programme"] = {"reference": gp.public_id, "title": gp.title, "summary": gp.description}
    return data


DOCUMENTS_JOB = "europass.documents"  # the documents-engine handler of bulk generation (services.bulk)


# --- what was made of a document -----------------------------------------------------------------------------------

def document_issued_credential(*, document: MobilityDocument):
    """The credential issued for a mobility certificate (None until it is issued). The caller has the document
    from `document_get`, so the actor may see it."""
    from agnitio.credentials.selectors import issued_credential_for_source

    if document.kind != DocumentKind.CERTIFICATE or document.try_out:
        return None
    return issued_credential_for_source(source=document)


def application_job_get(*, actor, application: Application, public_id: str):
    """A bulk job of the application's documents, for the institution's members."""
    from agnitio.documents.selectors import job_get_scoped

    if application.institution is None:
        raise NotFound()
    return job_get_scoped(actor=actor, organisation=application.institution.organisation, handler=DOCUMENTS_JOB,
                          scope=application.public_id, public_id=public_id)


def application_job_rows(*, job, application: Application) -> tuple[list, list[tuple[MobilityDocument, list]]]:
    """The job's items (label, status, outcome, error) and the application's documents it left out, each with
    what it still misses now."""
    items = list(job.items.order_by("index").only("index", "label", "status", "outcome", "error", "data", "file"))
    included = {item.data.get("document") for item in items}
    left_out = [(d, document_missing_fields(document=d)) for d in
                application.documents.exclude(pk__in=included).order_by("position", "id")]
    return items, left_out
