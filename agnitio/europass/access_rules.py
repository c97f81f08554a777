"""Who may do what with a document besides its sending institution (issue 12, points 8-9; seed 002):

* the host (uzņēmējorganizācija) whose e-mail the document names, verified on its account, with an access the
  sender sent: reads the document, edits the sections a host fills (HOST_SECTIONS), stores its own signature/stamp
  and chooses it for the document, and may make the PDF;
* the participant with an access the sender gave: reads their own document and edits only their personal data and
  learning outcomes (PARTICIPANT_SECTIONS) until the date the sender set, and only reads it after that date; never
  makes the PDF (seed 002: "individuālas personas nevar noformēt dokumentu PDF formātā"). A blocked access (host
  or participant) opens nothing.

Only the sending institution sends, blocks or withdraws these accesses. Imported at the end of `rules.py`."""

from __future__ import annotations

from dataclasses import dataclass

import rules
from django.utils import timezone

from agnitio.core.emails import email_normalise

from .rules import is_own_document

# Seed 002: the host "var pieteikties sistēmā … un apstrādāt dokumentus" — the host fills what the host knows and
# agrees: its own data, the learning outcomes, activities and tasks, mentoring and monitoring, evaluation and
# recognition. Personal data, the project, additional terms, contact information and the signing parties stay
# with the sending institution (which controls the final versions).
HOST_SECTIONS = frozenset({"host", "outcomes", "activities", "mentoring", "evaluation"})
PARTICIPANT_SECTIONS = frozenset({"personal", "outcomes"})


@dataclass(frozen=True)
class SectionTarget:
    """A permission object: one section of one document."""

    document: object
    section: str


def _grant(user, document, role: str):
    """The access of `role` to `document` usable by `user` now (not checking write dates), or None."""
    from agnitio.invitations.addresses import user_has_verified_address

    from .models import DocumentAccess

    if document is None or not getattr(user, "is_authenticated", False):
        return None
    grant = DocumentAccess.objects.filter(document_id=document.pk, role=role).first()
    if grant is None or not user_has_verified_address(user, grant.email):
        return None
    if grant.blocked_at is not None:  # blocked: neither the host nor the participant opens the document
        return None
    if role == DocumentAccess.Role.HOST:
        if grant.blocked_at is not None or email_normalise(document.mentor_email) != email_normalise(grant.email):
            return None
    elif grant.user_id != user.pk:
        return None
    return grant


def participant_may_write(grant, *, today=None) -> bool:
    today = today or timezone.localdate()
    return grant.blocked_at is None and (grant.write_until is None or today <= grant.write_until)


@rules.predicate
def is_document_host(user, document) -> bool:
    from .models import DocumentAccess

    return _grant(user, document, DocumentAccess.Role.HOST) is not None


@rules.predicate
def is_document_participant(user, document) -> bool:
    from .models import DocumentAccess

    return _grant(user, document, DocumentAccess.Role.PARTICIPANT) is not None


@rules.predicate
def may_edit_section(user, target) -> bool:
    from .models import DocumentAccess

    if not isinstance(target, SectionTarget):
        return False
    if is_own_document(user, target.document):
        return True
    if target.section in HOST_SECTIONS and is_document_host(user, target.document):
        return True
    if target.section in PARTICIPANT_SECTIONS:
        grant = _grant(user, target.document, DocumentAccess.Role.PARTICIPANT)
        return grant is not None and participant_may_write(grant)
    return False


rules.add_perm("europass.edit_document_section", may_edit_section)
rules.add_perm("europass.manage_document_access", is_own_document)
rules.add_perm("europass.copy_document_data", is_own_document)
rules.add_perm("europass.read_shared_document", is_document_host | is_document_participant)
rules.add_perm("europass.sign_document_as_host", is_document_host)
rules.add_perm("europass.choose_document_signature", is_own_document)
rules.add_perm("europass.make_document_pdf", is_own_document | is_document_host)
