"""Stacking (issue 13, point 5): a micro-credential composed of others of the same provider — all of them or at
least N of them, optionally earned in order. The provider sees who qualifies (`selectors.stack_qualifiers`) and
issues the combined micro-credential through the trust layer; its credential lists its parts (the achievement's
`parts`, in the EDC export `hasPart` learning achievements) and each part's award shows what it counted towards.

Learner identity across parts: the learner e-mail address on the awards (lower case; the same address the
learner's wallet confirms). Parts awarded to another address do not count. Parts from other providers are not
counted yet (they need recognition of other providers' micro-credentials)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError
from agnitio.core.permissions import require
from agnitio.core.services import audit_record

from ..models import Award, Composition, Specification, StackedPart
from ..selectors import specification_get, stack_part_awards
from .awards import LearnerIn, _require_issue, award_create, award_credential_issue

PARTS_MAX = 20


def composition_set(*, actor, specification: Specification, parts: list[str], rule: str = Composition.Rule.ALL,
                    required: int = 0, ordered: bool = False) -> Composition:
    """Compose the (draft) micro-credential of the given parts (public ids of published specifications of the
    same provider, in order)."""
    specification = specification_get(actor=actor, public_id=specification.public_id)
    require(actor, "microcredentials.change_specification", specification.organisation, hide=False)
    if not specification.is_editable:
        raise ApplicationError(_("Only a draft can be composed: make a new version to change a published one."),
                               code="not_draft")
    if rule not in Composition.Rule.values:
        raise ApplicationError(_("Choose the rule: all of the parts, or at least a number of them."), code="rule")
    if not 2 <= len(parts) <= PARTS_MAX or len(set(parts)) != len(parts):
        raise ApplicationError(_("Choose from 2 to %(n)d different parts.") % {"n": PARTS_MAX}, code="parts")
    found = {s.public_id: s for s in Specification.objects.filter(
        public_id__in=parts, organisation=specification.organisation, status=Specification.Status.PUBLISHED)}
    if set(found) != set(parts):
        raise ApplicationError(_("Every part must be a published micro-credential of the same provider."),
                               code="parts")
    lineages = [found[p].lineage for p in parts]
    if specification.lineage in lineages:
        raise ApplicationError(_("A micro-credential cannot be a part of itself."), code="parts")
    if rule == Composition.Rule.AT_LEAST and not 1 <= required <= len(parts):
        raise ApplicationError(_("The number of parts required must be from 1 to %(n)d.") % {"n": len(parts)},
                               code="required")
    with transaction.atomic():
        composition, created = Composition.objects.select_for_update().get_or_create(
            lineage=specification.lineage, defaults={"organisation": specification.organisation})
        before = {"parts": composition.parts, "rule": composition.rule, "required": composition.required,
                  "ordered": composition.ordered}
        composition.parts, composition.rule, composition.ordered = lineages, rule, bool(ordered)
        composition.required = required if rule == Composition.Rule.AT_LEAST else 0
        composition.save()
        audit_record(actor=actor, action="create" if created else "update", target=composition,
                     organisation=specification.organisation, verb="micro-credential composition set",
                     changes={k: [None if created else before[k], getattr(composition, k)] for k in before})
    return composition


def qualifying_parts(composition: Composition, awards: list[Award]) -> list[Award] | None:
    """The part awards that make the learner qualify (one per part, the earliest issued, in the parts' order),
    or None when the rule (and the order) is not met."""
    earliest: dict[str, Award] = {}
    for award in sorted(awards, key=lambda a: (a.issued_on, a.pk)):
        earliest.setdefault(award.specification.lineage, award)
    held = [earliest[lineage] for lineage in composition.parts if lineage in earliest]
    if len(held) < composition.needed:
        return None
    if composition.ordered:
        dates = [a.assessed_on or a.issued_on for a in held]
        if dates != sorted(dates):
            return None
    return held


def stack_award_issue(*, actor, specification: Specification, learner_email: str,
                      issued_on: datetime.date | None = None,
                      languages: str = Award.DocumentLanguage.BOTH) -> Award:
    """Issue the combined micro-credential to a learner who holds its parts; it references them."""
    specification = _require_issue(actor, specification)
    composition = Composition.objects.filter(lineage=specification.lineage).first()
    if composition is None:
        raise ApplicationError(_("This micro-credential is not composed of others."), code="not_composed")
    email = (learner_email or "").strip().lower()
    if Award.objects.filter(specification__lineage=specification.lineage, learner_email=email,
                            status=Award.Status.ISSUED).exists():
        raise ApplicationError(_("%(email)s already holds this micro-credential.") % {"email": email},
                               code="already_holds")
    awards = list(stack_part_awards(composition=composition, emails=[email]))
    held = qualifying_parts(composition, awards)
    if held is None:
        raise ApplicationError(_("The learner does not hold the parts this micro-credential requires."),
                               code="not_qualified")
    latest = max(held, key=lambda a: (a.issued_on, a.pk))
    learner = LearnerIn(name=latest.learner_name, email=email, date_of_birth=latest.learner_date_of_birth,
                        national_id=latest.learner_national_id)
    with transaction.atomic():
        award = award_create(actor=actor, specification=specification, learner=learner, issued_on=issued_on,
                             languages=languages, checked=True)
        StackedPart.objects.bulk_create([StackedPart(organisation=award.organisation, combined=award, part=part,
                                                     position=i) for i, part in enumerate(held)])
        audit_record(actor=actor, action="create", target=award, organisation=award.organisation,
                     verb="combined micro-credential awarded",
                     changes={"parts": [None, [p.public_id for p in held]]})
    try:
        return award_credential_issue(actor=actor, award=award)
    except BaseException:
        Award.objects.filter(pk=award.pk, status=Award.Status.PENDING).delete()
        raise


def stacked_parts_achievement(award: Award) -> list[dict]:
    """The parts as the combined credential carries them: name, specification, credential number and its
    verification address (no personal data)."""
    parts = []
    for link in StackedPart.objects.filter(combined_id=award.pk).select_related("part__specification",
                                                                                "part__credential"):
        part = link.part
        parts.append({"name": part.specification.title, "specification": part.specification.public_id,
                      "issued_on": part.issued_on.isoformat(),
                      "credential": part.credential.number if part.credential else None,
                      "verification_url": part.credential.verification_url if part.credential else None})
    return parts
