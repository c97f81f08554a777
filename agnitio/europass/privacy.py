"""What Europass Mobility holds about a person, for the personal-data export and the account erasure (registered
with agnitio.core.privacy_registry in apps.py; the rules are in docs/retention.md)."""

from __future__ import annotations

import datetime

from django.db.models import Q

from agnitio.core.emails import email_q_any_case, verified_emails
from agnitio.core.models import AuditEvent
from agnitio.core.privacy_registry import iso
from agnitio.core.services import audit_record

from .models import DocumentAccess, HostSignature, InstitutionUser, MobilityDocument
from .sections import SECTIONS_BY_KEY, sections_for

SECTION = "europass"


def _participant_documents(user, emails: set[str]):
    """Documents naming the person as participant: by one of their confirmed e-mails, or through a participant
    access they accepted (for as long as it names one of those addresses), or their own (an individual applicant)."""
    accepted = (DocumentAccess.objects.filter(email_q_any_case("email", emails), role=DocumentAccess.Role.PARTICIPANT,
                                              user=user).values("document_id"))
    return (MobilityDocument.objects
            .filter(email_q_any_case("email", emails) | Q(pk__in=accepted) | Q(applicant=user)
                    | Q(application__applicant=user))
            .select_related("institution__organisation", "application").prefetch_related("outcomes")
            .order_by("created_at", "id"))


def _host_documents(emails: set[str]):
    """Documents shared with the person as the host: an access mailed to their address that the document still
    names as the mentor's."""
    grants = (DocumentAccess.objects.filter(email_q_any_case("email", emails),
                                            email_q_any_case("document__mentor_email", emails),
                                            role=DocumentAccess.Role.HOST).values("document_id"))
    return (MobilityDocument.objects.filter(pk__in=grants).select_related("institution__organisation")
            .order_by("created_at", "id"))


def _value(document: MobilityDocument, field: str):
    if field == "outcomes":
        return [{"framework": o.framework, "framework_name": o.framework_name, "text": o.text,
                 "esco_uris": o.esco_uris} for o in document.outcomes.all()]
    value = getattr(document, field)
    if field in ("nationality", "host_country", "mentor_phone"):
        return str(value or "")
    return iso(value)


def _head(document: MobilityDocument, role: str) -> dict:
    return {"role": role, "number": document.number, "kind": document.kind, "language": document.language,
            "institution": document.institution.organisation.legal_name if document.institution else None,
            "created": iso(document.created_at)}


def europass_export(user) -> tuple[str, dict, list]:
    """The person's documents with every section (and their photo); as the host, the host section of the
    documents shared with them (the participant's personal data there is someone else's)."""
    emails = verified_emails(user)
    files: list = []
    documents = []
    participant_ids = set()
    for document in _participant_documents(user, emails):
        participant_ids.add(document.pk)
        entry = _head(document, "participant")
        entry["sections"] = {
            section.key: {field: _value(document, field) for field in section.fields if field != "photo"}
            for section in sections_for(document.kind)
        }
        if document.photo and document.photo.name:
            entry["sections"]["personal"]["photo"] = f"europass/{document.public_id}-photo.png"
            files.append((entry["sections"]["personal"]["photo"], document.photo))
        documents.append(entry)
    for document in _host_documents(emails).exclude(pk__in=participant_ids):
        entry = _head(document, "host")
        entry["sections"] = {"host": {field: _value(document, field) for field in SECTIONS_BY_KEY["host"].fields}}
        documents.append(entry)
    access = [{"document": g.document.number, "role": g.role, "email": g.email, "accepted": iso(g.accepted_at),
               "write_until": iso(g.write_until), "blocked": iso(g.blocked_at)}
              for g in _access_rows(user, emails).select_related("document")]
    signatures = []
    for signature in HostSignature.objects.filter(user=user).order_by("created_at", "id"):
        entry = {"kind": signature.kind, "label": signature.label, "variant": signature.variant,
                 "crop": list(signature.crop_box) if signature.crop_box else None,
                 "created": iso(signature.created_at)}
        for field in ("original", "image"):
            image = getattr(signature, field)
            if image and image.name:
                entry[field] = f"europass/signatures/{signature.public_id}-{field}.png"
                files.append((entry[field], image))
        signatures.append(entry)
    institution_accounts = [{"institution": u.institution.organisation.legal_name, "email": u.email,
                             "name": u.full_name, "status": u.status, "accepted": iso(u.accepted_at)}
                            for u in _institution_users(user, emails).select_related("institution__organisation")]
    return SECTION, {"documents": documents, "document_access": access, "host_signatures": signatures,
                     "institution_accounts": institution_accounts}, files


def _access_rows(user, emails: set[str]):
    return DocumentAccess.objects.filter(Q(user=user) | email_q_any_case("email", emails)).order_by("created_at", "id")


def _institution_users(user, emails: set[str]):
    return (InstitutionUser.objects.filter(Q(user=user) | email_q_any_case("email", emails))
            .order_by("created_at", "id"))


def _file(field) -> list[tuple]:
    return [(field.storage, field.name)] if field and field.name else []


def europass_erase(user, pseudonym: str, now: datetime.datetime) -> list[tuple]:
    """Institutions' documents naming the person are pseudonymised like Youthpass participations (name replaced by
    the pseudonym; e-mail, birth date, address and photo removed; the sections the institution wrote stay); an
    individual applicant's own documents go with the account. The person's access rows, host signatures and
    additional-user rows are deleted. Issued certificates stay verifiable through `credential_holder_erase`."""
    emails = verified_emails(user)
    files: list[tuple] = []
    documents = list(_participant_documents(user, emails))
    # An agreement and its certificate share one photo file: deleted once no other document names it.
    photos = {d.photo.name: d.photo.storage for d in documents if d.photo and d.photo.name}
    shared = set(MobilityDocument.objects.filter(photo__in=list(photos)).exclude(pk__in=[d.pk for d in documents])
                 .values_list("photo", flat=True))
    files += [(storage, name) for name, storage in photos.items() if name not in shared]
    for document in documents:
        if document.applicant_id == user.pk or (document.application_id and
                                                 document.application.applicant_id == user.pk):
            continue  # deleted with the account (its applications cascade)
        MobilityDocument.objects.filter(pk=document.pk).update(
            first_name="", last_name=pseudonym, email="", date_of_birth=None, address="", photo="", updated_at=now)
        audit_record(actor=None, action=AuditEvent.Action.UPDATE, target=document,
                     organisation=document.institution.organisation if document.institution else None,
                     verb="europass_participant_erased", changes={"participant": ["…", pseudonym]})
    # Earlier edits of those documents recorded the person's data in their changes: the record stays, unnamed.
    (AuditEvent.objects.filter(object_type=MobilityDocument._meta.label,
                               object_id__in=[d.public_id for d in documents])
     .exclude(verb="europass_participant_erased").update(changes={}))
    _access_rows(user, emails).delete()
    for signature in HostSignature.objects.filter(user=user):
        files += _file(signature.original) + _file(signature.image)
        signature.delete()
    _institution_users(user, emails).delete()
    return files
