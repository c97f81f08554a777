"""Stacking (issue 13, point 5): a micro-credential composed of others of the same provider — all of them or at
least N of them, optionally earned in order. The provider sees who qualifies (`selectors.stack_qualifier_page`) and
issues the combined micro-credential through the trust layer; its credential lists its parts (the achievement's
`parts`, in the EDC export `hasPart` learning achievements) and each part's award shows what it counted towards.

Learner identity across parts: the learner e-mail address on the awards (lower case; the same address the
learner's wallet confirms). Parts awarded to another address do not count.

Parts from other providers (issue 13, point 5 with point 6): a micro-credential of another provider that this
provider decided "recognised" and mapped to one of its own published specifications (`counts_as`, chosen when
deciding; services.recognition) counts as holding that part for the learner whose account e-mail is the award
e-mail. "Partly recognised", pending and refused requests never count, nor another provider's recognitions. The
combined credential references such a part by its issuer, title, identifier and verification address (the
achievement's `parts` with `"external": true`; in the EDC export a `hasPart` achievement awarded by that issuer).
For the order rule a recognised part dates from the decision.

One rule: whether a learner qualifies, and which of their parts count, is `selectors.qualifying_parts`, which the
qualifiers list (page and API) and `stack_award_issue` both apply (through `selectors.stack_holdings`): the list
shows exactly the learners the service would issue to, whatever mix of own awards and recognitions they hold."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from agnitio.core.emails import email_normalise
from agnitio.core.errors import ApplicationError
from agnitio.core.permissions import require
from agnitio.core.services import audit_record

from ..models import Award, Composition, Specification, StackedPart
from ..selectors import specification_get, stack_holdings
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
            specification=specification, defaults={"organisation": specification.organisation,
                                                   "lineage": specification.lineage})
        before = {"parts": composition.parts, "rule": composition.rule, "required": composition.required,
                  "ordered": composition.ordered}
        composition.parts, composition.rule, composition.ordered = lineages, rule, bool(ordered)
        composition.required = required if rule == Composition.Rule.AT_LEAST else 0
        composition.save()
        audit_record(actor=actor, action="create" if created else "update", target=composition,
                     organisation=specification.organisation, verb="micro-credential composition set",
                     changes={k: [None if created else before[k], getattr(composition, k)] for k in before})
    return composition


def composition_copy(*, source: Specification, target: Specification) -> Composition | None:
    """A new version starts with the composition of the version it copies (services.specifications)."""
    composition = Composition.objects.filter(specification=source).first()
    if composition is None:
        return None
    return Composition.objects.create(organisation=target.organisation, specification=target,
                                      lineage=target.lineage, rule=composition.rule, required=composition.required,
                                      ordered=composition.ordered, parts=list(composition.parts))


def stack_award_issue(*, actor, specification: Specification, learner_email: str,
                      issued_on: datetime.date | None = None,
                      languages: str = Award.DocumentLanguage.BOTH) -> Award:
    """Issue the combined micro-credential to a learner who holds its parts; it references them."""
    specification = _require_issue(actor, specification)
    composition = Composition.objects.filter(specification=specification).first()  # this version's
    if composition is None:
        raise ApplicationError(_("This micro-credential is not composed of others."), code="not_composed")
    email = email_normalise(learner_email)
    if Award.objects.filter(specification__lineage=specification.lineage, learner_email=email,
                            status=Award.Status.ISSUED).exists():
        raise ApplicationError(_("%(email)s already holds this micro-credential.") % {"email": email},
                               code="already_holds")
    qualifier = stack_holdings(composition=composition, emails=[email]).get(email)  # the rule: selectors
    if qualifier is None:
        raise ApplicationError(_("The learner does not hold the parts this micro-credential requires."),
                               code="not_qualified")
    held = qualifier.parts
    if qualifier.latest_award is not None:
        latest = qualifier.latest_award
        learner = LearnerIn(name=latest.learner_name, email=email, date_of_birth=latest.learner_date_of_birth,
                            national_id=latest.learner_national_id)
    else:  # every part recognised: the learner's account names them
        learner = LearnerIn(name=qualifier.learner_name, email=email)
    with transaction.atomic():
        award = award_create(actor=actor, specification=specification, learner=learner, issued_on=issued_on,
                             languages=languages, checked=True)
        StackedPart.objects.bulk_create([
            StackedPart(organisation=award.organisation, combined=award, position=i,
                        **({"part": item} if isinstance(item, Award) else {"recognition": item}))
            for i, item in enumerate(held)])
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
    parts: list[dict] = []
    for link in StackedPart.objects.filter(combined_id=award.pk).select_related(
            "part__specification", "part__credential", "recognition__counts_as", "recognition__organisation"):
        if link.recognition is not None:
            r = link.recognition
            assert r.counts_as is not None  # only a request mapped to a part is stacked
            parts.append({"name": r.title or r.counts_as.title, "external": True, "issuer": r.issuer_name,
                          "issuer_id": r.issuer_id, "issuer_country": r.issuer_country,
                          "credential": r.reference or None,
                          "verification_url": r.verification_url or None, "verified": r.verified,
                          "recognised_by": r.organisation.legal_name,
                          "recognised_on": r.decided_at.date().isoformat() if r.decided_at else None,
                          "counts_as": r.counts_as.title, "specification": r.counts_as.public_id})
            continue
        part = link.part
        assert part is not None  # one source per link (mc_stacked_part_one_source)
        parts.append({"name": part.specification.title, "specification": part.specification.public_id,
                      "issued_on": part.issued_on.isoformat(),
                      "credential": part.credential.number if part.credential else None,
                      "verification_url": part.credential.verification_url if part.credential else None})
    return parts
