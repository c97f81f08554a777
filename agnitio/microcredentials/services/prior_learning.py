"""Validation of prior learning (Annex II, principle on assessment): a published micro-credential awarded from an
assessment of non-formal or informal learning. The assessment (context, method, date, assessor, criteria, result)
is recorded with the award, shown on its page and carried into the credential: the signed achievement's
`prior_learning` and, in the EDC export, a note on the learning assessment. Evidence is attached as for any award
(links here, files on the award's page)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError
from agnitio.core.services import audit_record

from ..models import Award, PriorLearningAssessment, Specification
from .awards import ASSESSED_FROM, LearnerIn, _require_issue, award_create, award_credential_issue

ASSESSOR_MAX = 200
TEXT_MAX = 2000


@dataclass
class AssessmentIn:
    learning_context: str
    method: str
    assessed_on: datetime.date | None
    assessor: str
    criteria: str
    result: str


def assessment_clean(assessment: AssessmentIn, *, today: datetime.date | None = None) -> AssessmentIn:
    """Every part of the assessment present and bounded; one message naming every problem (`extra["fields"]`: the
    messages by the AssessmentIn field each is about, so a page shows each beside its field)."""
    today = today or timezone.localdate()
    fields: dict[str, list[str]] = {}

    def problem(field: str, message) -> None:
        fields.setdefault(field, []).append(str(message))

    if assessment.learning_context not in PriorLearningAssessment.Context.values:
        problem("learning_context", _("Choose whether non-formal or informal learning was validated."))
    if assessment.method not in PriorLearningAssessment.Method.values:
        problem("method", _("Choose the assessment method."))
    if assessment.assessed_on is None:
        problem("assessed_on", _("Enter the date of the assessment."))
    elif assessment.assessed_on > today:
        problem("assessed_on", _("The date of assessment cannot be in the future."))
    elif assessment.assessed_on < ASSESSED_FROM:
        problem("assessed_on", _("The date of assessment cannot be before 1950."))
    assessor = " ".join((assessment.assessor or "").split())
    criteria = (assessment.criteria or "").strip()
    result = (assessment.result or "").strip()
    if not assessor:
        problem("assessor", _("Enter the assessor's name and role."))
    elif len(assessor) > ASSESSOR_MAX:
        problem("assessor", _("The assessor is too long (at most %(n)d characters).") % {"n": ASSESSOR_MAX})
    for field, value, empty, long in (("criteria", criteria, _("Enter the criteria the learning was assessed against."),
                                       _("The criteria are too long (at most %(n)d characters).")),
                                      ("result", result, _("Enter the result of the assessment."),
                                       _("The result is too long (at most %(n)d characters)."))):
        if not value:
            problem(field, empty)
        elif len(value) > TEXT_MAX:
            problem(field, str(long) % {"n": TEXT_MAX})
    if fields:
        raise ApplicationError(" ".join(m for messages in fields.values() for m in messages), code="assessment",
                               extra={"fields": fields})
    return AssessmentIn(learning_context=assessment.learning_context, method=assessment.method,
                        assessed_on=assessment.assessed_on, assessor=assessor, criteria=criteria, result=result)


def prior_learning_achievement(award: Award) -> dict[str, Any] | None:
    """The assessment as the signed achievement carries it (codes and the provider's words; no personal data of
    the learner), or None when the award is not from prior learning."""
    record = PriorLearningAssessment.objects.filter(award_id=award.pk).first()
    if record is None:
        return None
    return {"learning_context": record.learning_context, "method": record.method,
            "assessed_on": record.assessed_on.isoformat(), "assessor": record.assessor,
            "criteria": record.criteria, "result": record.result}


def award_issue_prior_learning(*, actor, specification: Specification, learner: LearnerIn,
                               assessment: AssessmentIn, languages: str = Award.DocumentLanguage.BOTH) -> Award:
    """Award the micro-credential from a validation of prior learning: the award, its assessment and its
    credential, or nothing when any part fails."""
    specification = _require_issue(actor, specification)
    assessment = assessment_clean(assessment)
    assessed_on = assessment.assessed_on
    if assessed_on is None:  # assessment_clean refused it already
        raise ApplicationError(_("Enter the date of the assessment."), code="assessment")
    learner = replace(learner, assessed_on=assessed_on, grade=learner.grade or "")
    with transaction.atomic():
        award = award_create(actor=actor, specification=specification, learner=learner, languages=languages,
                             checked=True)
        award.basis = Award.Basis.PRIOR_LEARNING
        award.save(update_fields=["basis", "updated_at"])
        record = PriorLearningAssessment.objects.create(
            organisation=award.organisation, award=award, learning_context=assessment.learning_context,
            method=assessment.method, assessed_on=assessed_on, assessor=assessment.assessor,
            criteria=assessment.criteria, result=assessment.result)
        audit_record(actor=actor, action="create", target=record, organisation=award.organisation,
                     verb="prior learning assessment recorded",
                     changes={"award": [None, award.public_id], "method": [None, record.method]})
    try:
        return award_credential_issue(actor=actor, award=award)
    except BaseException:
        Award.objects.filter(pk=award.pk, status=Award.Status.PENDING).delete()
        raise
