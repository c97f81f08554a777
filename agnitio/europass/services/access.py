"""Access for the host and the participants (issue 12, points 8-9; seed 002 "Nosūtīt paroli uzņemošajai iestādei",
"Saglabāt paroli un nosūtīt personai"). The sending institution sends a personal link (an invitation of the kinds in
`access_invitation_kinds.py`); what the accepted access allows is `access_rules.py`; what it shows is
`selectors_access.py`. Every grant, change and block is audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agnitio.core.emails import email_normalise
from agnitio.core.errors import ApplicationError
from agnitio.core.models import AuditEvent
from agnitio.core.permissions import require
from agnitio.core.services import audit_record

from ..models import Application, DocumentAccess, Institution, MobilityDocument

HOST_KIND = "europass_host_access"
PARTICIPANT_KIND = "europass_participant_access"


def _institution(document: MobilityDocument) -> Institution:
    institution = document.institution
    if institution is None:
        raise ApplicationError(_("Access for others is given from a sending institution's documents."),
                               code="no_institution")
    return institution


def _organisation(document: MobilityDocument) -> Any:
    return _institution(document).organisation


def _upsert(*, actor, document: MobilityDocument, role: str, email: str,
            write_until: datetime.date | None) -> tuple[DocumentAccess, dict]:
    grant = DocumentAccess.objects.select_for_update().filter(document=document, role=role).first()
    email = email_normalise(email)
    if grant is None:
        grant = DocumentAccess(document=document, role=role, email=email, granted_by=actor, write_until=write_until)
        changes: dict = {"role": [None, role], "write_until": [None, write_until]}
    else:
        changes = {}
        if grant.email != email:
            # another address: the old one's account loses the access at once
            changes["email"] = ["(changed)", "(changed)"]
            grant.email, grant.user, grant.accepted_at = email, None, None
        if grant.write_until != write_until:
            changes["write_until"] = [grant.write_until, write_until]
            grant.write_until = write_until
        if grant.blocked_at is not None:
            changes["blocked_at"] = [grant.blocked_at, None]
            grant.blocked_at = None
        grant.granted_by = actor
    grant.save()
    return grant, changes


def _invite(*, actor, grant: DocumentAccess, kind: str, full_name: str, language: str) -> None:
    from agnitio.invitations.services import invitation_send

    document = grant.document
    invitation_send(actor=actor, kind=kind, organisation=_organisation(document), target=grant, email=grant.email,
                    full_name=full_name or grant.email, language=language if language in ("lv", "en") else "en")


@transaction.atomic
def host_access_send(*, actor, document: MobilityDocument, language: str = "en") -> DocumentAccess:
    """"Send access to the host": a personal link to the host e-mail the document names (the mentor's e-mail).
    The sender gets no copy of it; it is told when the host has registered."""
    require(actor, "europass.manage_document_access", document)
    _organisation(document)
    document = MobilityDocument.objects.select_for_update(of=("self",)).select_related(
        "institution__organisation").get(pk=document.pk)
    if not document.mentor_email:
        raise ApplicationError(_("Enter the host's e-mail (the mentor's e-mail) in the host organisation section "
                                 "first."), code="no_host_email")
    grant, changes = _upsert(actor=actor, document=document, role=DocumentAccess.Role.HOST,
                             email=document.mentor_email, write_until=None)
    _invite(actor=actor, grant=grant, kind=HOST_KIND, full_name=document.mentor_name, language=language)
    audit_record(actor=actor, action=AuditEvent.Action.GRANT, target=document,
                 organisation=_organisation(document), changes={"access": [None, "host"], **changes},
                 verb="host access sent")
    return grant


def _participant_grant(*, actor, document: MobilityDocument, write_until: datetime.date, language: str
                       ) -> DocumentAccess:
    require(actor, "europass.manage_document_access", document)
    _organisation(document)
    if not document.email:
        raise ApplicationError(_("Participant %(n)s: enter the participant's e-mail in the personal data first.")
                               % {"n": document.number or document.position}, code="no_participant_email")
    grant, changes = _upsert(actor=actor, document=document, role=DocumentAccess.Role.PARTICIPANT,
                             email=document.email, write_until=write_until)
    _invite(actor=actor, grant=grant, kind=PARTICIPANT_KIND, full_name=document.participant_name, language=language)
    audit_record(actor=actor, action=AuditEvent.Action.GRANT, target=document,
                 organisation=_organisation(document),
                 changes={"access": [None, "participant"], **changes}, verb="participant access given")
    return grant


def _check_until(write_until: datetime.date | None, now: datetime.datetime | None) -> datetime.date:
    if write_until is None:
        raise ApplicationError(_("Set the date after which the participant can no longer write."), code="write_until")
    if write_until < timezone.localdate(now or timezone.now()):
        raise ApplicationError(_("The last day of writing cannot be in the past."), code="write_until")
    return write_until


@transaction.atomic
def participant_access_grant(*, actor, documents: list[MobilityDocument], write_until: datetime.date | None,
                             language: str = "en", now: datetime.datetime | None = None) -> list[DocumentAccess]:
    """Give one participant, or several (a group), a personal link to their own document: they write their personal
    data and learning outcomes until `write_until` (inclusive), then only read. All or nothing."""
    until = _check_until(write_until, now)
    if not documents:
        raise ApplicationError(_("Choose at least one participant."), code="no_documents")
    return [_participant_grant(actor=actor, document=d, write_until=until, language=language)
            for d in MobilityDocument.objects.select_for_update(of=("self",))
            .select_related("institution__organisation").filter(pk__in=[d.pk for d in documents])
            .order_by("position", "id")]


@transaction.atomic
def participant_access_grant_group(*, actor, application: Application, write_until: datetime.date | None,
                                   language: str = "en", now: datetime.datetime | None = None
                                   ) -> tuple[list[DocumentAccess], list[MobilityDocument]]:
    """The whole group of an application: every document with a participant's e-mail gets access; returns the
    grants and the documents left out because they have no e-mail yet."""
    require(actor, "europass.view_application", application)
    documents = list(MobilityDocument.objects.filter(application=application).order_by("position", "id"))
    for document in documents:
        require(actor, "europass.manage_document_access", document)
    with_email = [d for d in documents if d.email]
    if not with_email:
        raise ApplicationError(_("No participant of this application has an e-mail yet: enter them in the personal "
                                 "data first."), code="no_participant_email")
    grants = participant_access_grant(actor=actor, documents=with_email, write_until=write_until,
                                      language=language, now=now)
    return grants, [d for d in documents if not d.email]


@transaction.atomic
def document_access_block(*, actor, grant: DocumentAccess, now: datetime.datetime | None = None) -> DocumentAccess:
    """Block an access: neither the host nor the participant opens the document any more (a participant who should
    still read it needs no block: after the last day of writing they only read)."""
    require(actor, "europass.manage_document_access", grant.document)
    grant = DocumentAccess.objects.select_for_update(of=("self",)).select_related(
        "document__institution__organisation").get(pk=grant.pk)
    if grant.blocked_at is None:
        grant.blocked_at = now or timezone.now()
        grant.save(update_fields=["blocked_at", "updated_at"])
        audit_record(actor=actor, action=AuditEvent.Action.REVOKE, target=grant.document,
                     organisation=_organisation(grant.document),
                     changes={"access": [grant.role, grant.role], "blocked_at": [None, grant.blocked_at]},
                     verb=f"{grant.role} access blocked")
    return grant


@transaction.atomic
def document_access_accept(*, grant_id: int, user) -> DocumentAccess:
    """The invitation was accepted by an account holding the mailed-to address verified: the access is theirs.
    The sender is told only that the host (or participant) registered — never the address."""
    from agnitio.notifications.services import email_queue

    grant = DocumentAccess.objects.select_for_update(of=("self",)).select_related(
        "document__institution__organisation", "granted_by").get(pk=grant_id)
    if grant.blocked_at is not None:
        raise ApplicationError(_("This access was blocked. Ask the sending institution for a new one."),
                               code="blocked")
    grant.user, grant.accepted_at = user, timezone.now()
    grant.save(update_fields=["user", "accepted_at", "updated_at"])
    document = grant.document
    audit_record(actor=user, action=AuditEvent.Action.GRANT, target=document,
                 organisation=_organisation(document), actor_label=grant.email,
                 changes={"access": [None, grant.role]}, verb=f"{grant.role} registered")
    sender = grant.granted_by
    if sender is not None and sender.email:
        email_queue(to=sender.email, template="europass/email/access_registered",
                    language=getattr(sender, "language", "") or _institution(document).language,
                    organisation=_organisation(document), user=sender, related=document,
                    context={"role": grant.role, "number": document.number, "participant": document.participant_name,
                             "host_name": document.host_name})
    return grant


def actor_label(actor, document: MobilityDocument) -> str:
    """How the sending institution's history names `actor` acting on `document`: a host or a participant by the
    address the institution gave them (never their account's own address); its own people as usual ("")."""
    from ..rules import is_own_document

    if is_own_document(actor, document):
        return ""
    grant = (DocumentAccess.objects.filter(document=document, user=actor).order_by("role").first()
             or DocumentAccess.objects.filter(document=document, role=DocumentAccess.Role.HOST).first())
    return grant.email if grant is not None else ""
