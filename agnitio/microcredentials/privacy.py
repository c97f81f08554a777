"""What Micro-credentials hold about a person, for the personal-data export and the account erasure (registered
with agnitio.core.privacy_registry in apps.py; the rules are in docs/retention.md)."""

from __future__ import annotations

import datetime

from agnitio.core.emails import email_q_any_case, verified_emails
from agnitio.core.models import AuditEvent
from agnitio.core.privacy_registry import iso
from agnitio.core.services import audit_record

from .models import Award, Evidence, Feedback, RecognitionRequest
from .services.awards import LEARNER_ERASED

SECTION = "microcredentials"


def _awards(emails: set[str]):
    """Awards to one of the person's confirmed addresses, whatever their status."""
    return (Award.objects.filter(email_q_any_case("learner_email", emails))
            .select_related("organisation", "specification", "credential", "prior_learning", "feedback")
            .prefetch_related("evidence").order_by("created_at", "id"))


def _prior_learning(award: Award) -> dict | None:
    try:
        p = award.prior_learning
    except Award.prior_learning.RelatedObjectDoesNotExist:
        return None
    return {"learning_validated": p.learning_context, "method": p.method, "assessed_on": iso(p.assessed_on),
            "assessor": p.assessor, "criteria": p.criteria, "result": p.result}


def _feedback(award: Award) -> dict | None:
    try:
        f = award.feedback
    except Award.feedback.RelatedObjectDoesNotExist:
        return None
    return {"rating": f.rating, "comment": f.comment, "show_name": f.show_name, "given": iso(f.created_at)}


def microcredentials_export(user) -> tuple[str, dict, list]:
    """Awards with the learner's identification, grade, evidence (files in the archive), the assessment of prior
    learning and the person's feedback; the person's recognition requests with the document they submitted."""
    emails = verified_emails(user)
    files: list = []
    awards = []
    for award in _awards(emails):
        evidence = []
        for e in award.evidence.all():
            item = {"kind": e.kind, "title": e.title, "url": e.url, "added": iso(e.created_at)}
            if e.file and e.file.name:
                item["file"] = f"microcredentials/evidence/{e.public_id}-{e.file.name.rsplit('/', 1)[-1]}"
                files.append((item["file"], e.file))
            evidence.append(item)
        awards.append({
            "provider": award.organisation.legal_name, "micro_credential": award.specification.title,
            "version": award.specification.version, "learner_name": award.learner_name,
            "learner_email": award.learner_email, "date_of_birth": iso(award.learner_date_of_birth),
            "national_identifier": award.learner_national_id, "basis": award.basis, "grade": award.grade,
            "assessed_on": iso(award.assessed_on), "issued_on": iso(award.issued_on),
            "valid_until": iso(award.valid_until), "status": award.status,
            "document": award.credential.number if award.credential_id else None,
            "evidence": evidence, "prior_learning": _prior_learning(award), "feedback": _feedback(award),
        })
    requests = []
    for r in RecognitionRequest.objects.filter(learner=user).select_related("organisation").order_by("created_at",
                                                                                                      "id"):
        entry = {"provider": r.organisation.legal_name, "kind": r.kind, "micro_credential": r.title,
                 "issuer": r.issuer_name, "verified": r.verified, "checks": r.checks, "note": r.learner_note,
                 "status": r.status, "reason": r.decision_reason, "submitted": iso(r.created_at),
                 "decided": iso(r.decided_at), "document": None}
        if r.document:
            entry["document"] = f"microcredentials/recognition/{r.public_id}.json"
            files.append((entry["document"], r.document))  # the submitted JSON document itself (a PDF is not kept)
        requests.append(entry)
    return SECTION, {"awards": awards, "recognition_requests": requests}, files


def microcredentials_erase(user, pseudonym: str, now: datetime.datetime) -> list[tuple]:
    """Awards are pseudonymised like Youthpass participations (the provider keeps the award's grade, dates and
    status for its records; name replaced by the pseudonym; e-mail, date of birth and national identifier
    removed); their evidence is deleted (files after commit); feedback is anonymised (the rating stays for the
    aggregates, the comment and the link to the person go); recognition requests are deleted. Issued credentials
    stay verifiable through `credential_holder_erase` (run by the account erasure); a pending award fails and is
    never issued afterwards."""
    emails = verified_emails(user)
    files: list[tuple] = []
    awards = list(_awards(emails))
    for award in awards:
        for e in award.evidence.all():
            if e.file and e.file.name:
                files.append((e.file.storage, e.file.name))
        Evidence.objects.filter(award=award).delete()
        Award.objects.filter(pk=award.pk).update(learner_name=pseudonym, learner_email="",
                                                 learner_date_of_birth=None, learner_national_id="", updated_at=now)
        award.learner_name = pseudonym  # what the audit entry names
        audit_record(actor=None, action=AuditEvent.Action.UPDATE, target=award, organisation=award.organisation,
                     verb="award_learner_erased", changes={"learner": ["…", pseudonym]})
    # A pending award would otherwise be issued later to the pseudonym: it fails, saying why.
    Award.objects.filter(pk__in=[a.pk for a in awards], status=Award.Status.PENDING).update(
        status=Award.Status.FAILED, failure=str(LEARNER_ERASED)[:500], updated_at=now)
    Feedback.objects.filter(award__in=awards).update(user=None, comment="", show_name=False, updated_at=now)
    Feedback.objects.filter(user=user).update(user=None, comment="", show_name=False, updated_at=now)
    requests = list(RecognitionRequest.objects.filter(learner=user))
    for request in requests:
        audit_record(actor=None, action=AuditEvent.Action.DELETE, target=request, organisation=request.organisation,
                     verb="recognition_request_erased", changes={"learner": ["…", pseudonym]})
    RecognitionRequest.objects.filter(pk__in=[r.pk for r in requests]).delete()
    # Earlier entries about these records hold the person's data in their changes and labels: kept, unnamed.
    ids = [a.public_id for a in awards] + [r.public_id for r in requests]
    (AuditEvent.objects.filter(object_id__in=ids)
     .exclude(verb__in=["award_learner_erased", "recognition_request_erased"])
     .update(object_repr=pseudonym, changes={}))
    return files
