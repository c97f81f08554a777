"""Reads. Each selector returns only what the actor may see; "not found" and "not allowed" are the same 404.

The catalogue selectors are public: they return published specifications (the current version of each) of
providers whose page is listed, and nothing personal."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from agnitio.core.emails import email_normalise, email_q, email_q_any_case, verified_emails
from agnitio.core.errors import NotFound
from agnitio.core.pagination import Page
from agnitio.organisations.access import in_scope, memberships_of, within_scope

from .models import Award, AwardImport, Evidence, ProviderProfile, Specification

SPECIFICATION_ORDER = ("-created_at", "-id")
CATALOGUE_ORDER = ("-published_at", "-id")
AWARD_ORDER = ("-created_at", "-id")
SEARCH_MAX_LENGTH = 100


def _authenticated(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def _member_organisation_ids(actor):
    return memberships_of(actor).values("organisation_id")


# --- specifications (the provider's side) ------------------------------------------------------------------------

def specification_list(*, actor, organisation=None, status: str | None = None) -> QuerySet[Specification]:
    """Every version of the specifications of the organisations the actor is a member of."""
    if not _authenticated(actor):
        return Specification.objects.none()
    qs = within_scope(Specification.objects.filter(organisation_id__in=_member_organisation_ids(actor)))
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("organisation")


def specification_get(*, actor, public_id: str) -> Specification:
    specification = specification_list(actor=actor).filter(public_id=public_id).first()
    if specification is None:
        raise NotFound()
    return specification


def specification_versions(*, actor, specification: Specification) -> QuerySet[Specification]:
    """All versions of the specification's lineage, newest first (the actor must see the specification)."""
    specification_get(actor=actor, public_id=specification.public_id)
    return Specification.objects.filter(lineage=specification.lineage).order_by("-version")


def specification_esco_skills(*, specification: Specification, language: str | None = None) -> list[dict]:
    """The specification's ESCO skill links with their labels in `language` (ESCO's, falling back to English;
    the stored label where the ESCO data lacks the concept), for its pages."""
    from agnitio.frameworks.selectors import esco_concepts_get

    skills = [s for s in specification.esco_skills or [] if isinstance(s, dict) and s.get("uri")]
    concepts = esco_concepts_get(uris=[s["uri"] for s in skills], language=language)
    return [{"uri": s["uri"], "label": concepts[s["uri"]].preferred_label if s["uri"] in concepts
             else s.get("label") or s["uri"]} for s in skills]


def provider_profile_get(*, organisation) -> ProviderProfile | None:
    """The provider's published page text (public information), or None when it wrote none yet."""
    return ProviderProfile.objects.filter(organisation=organisation).first()


# --- catalogue (public) ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CatalogueFilters:
    """Bounded filters of the public catalogue (the view and the API parse and cap them)."""

    q: str = ""
    eqf_level: int | None = None
    ects_min: Decimal | None = None
    ects_max: Decimal | None = None
    participation: str = ""
    language: str = ""
    provider: str = ""  # organisation public id
    country: str = ""  # ISO 3166-1 alpha-2
    esco_skill: str = ""  # an ESCO skill URI


def _unlisted_providers():
    return ProviderProfile.objects.filter(listed=False).values("organisation_id")


def catalogue_list(*, filters: CatalogueFilters | None = None) -> QuerySet[Specification]:
    """Published specifications (the current version of each lineage) of listed providers, filtered."""
    qs = Specification.objects.filter(status=Specification.Status.PUBLISHED).exclude(
        organisation_id__in=_unlisted_providers())
    f = filters or CatalogueFilters()
    if f.q:
        q = f.q[:SEARCH_MAX_LENGTH]
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q) | Q(learning_outcomes__icontains=q)
                       | Q(organisation__legal_name__icontains=q))
    if f.eqf_level is not None:
        qs = qs.filter(eqf_level=f.eqf_level)
    if f.ects_min is not None:
        qs = qs.filter(credits_ects__gte=f.ects_min)
    if f.ects_max is not None:
        qs = qs.filter(credits_ects__lte=f.ects_max)
    if f.participation:
        qs = qs.filter(participation=f.participation)
    if f.language:
        qs = qs.filter(languages__contains=[f.language]) if _json_contains() else qs.filter(
            languages__icontains=f'"{f.language}"')
    if f.provider:
        qs = qs.filter(organisation__public_id=f.provider)
    if f.country:
        qs = qs.filter(issuer_countries__contains=[f.country]) if _json_contains() else qs.filter(
            issuer_countries__icontains=f'"{f.country}"')
    if f.esco_skill:
        qs = qs.filter(esco_skills__contains=[{"uri": f.esco_skill}]) if _json_contains() else qs.filter(
            esco_skills__icontains=f'"{f.esco_skill}"')
    return qs.select_related("organisation")


def _json_contains() -> bool:
    """JSON containment (`__contains` on a JSON list) exists on PostgreSQL; SQLite matches the quoted text."""
    from django.db import connection

    return connection.vendor == "postgresql"


def catalogue_get(*, public_id: str) -> Specification:
    """A published (or superseded: issued credentials point at it) specification, for its public page."""
    specification = (Specification.objects.filter(
        public_id=public_id, status__in=[Specification.Status.PUBLISHED, Specification.Status.SUPERSEDED])
        .exclude(organisation_id__in=_unlisted_providers()).select_related("organisation").first())
    if specification is None:
        raise NotFound()
    return specification


def catalogue_current_version(*, specification: Specification) -> Specification | None:
    """The published version of the specification's lineage (None when withdrawn)."""
    return Specification.objects.filter(lineage=specification.lineage,
                                        status=Specification.Status.PUBLISHED).first()


def catalogue_providers() -> QuerySet:
    """Ids of organisations with at least one published specification on a listed page (for the filter)."""
    return (catalogue_list().order_by().values("organisation_id", "organisation__public_id",
                                               "organisation__legal_name").distinct())


def provider_public_get(*, public_id: str):
    """The provider (organisation) of a public catalogue page: it has published at least one specification and
    its page is listed. Returns (organisation, profile or None)."""
    specification = catalogue_list().filter(organisation__public_id=public_id).first()
    if specification is None:
        raise NotFound()
    organisation = specification.organisation
    return organisation, provider_profile_get(organisation=organisation)


# --- awards -----------------------------------------------------------------------------------------------------

def award_list(*, actor, organisation=None, specification: Specification | None = None) -> QuerySet[Award]:
    if not _authenticated(actor):
        return Award.objects.none()
    qs = within_scope(Award.objects.filter(organisation_id__in=_member_organisation_ids(actor)))
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if specification is not None:
        qs = qs.filter(specification=specification)
    return qs.select_related("specification", "credential")


def award_get(*, actor, public_id: str) -> Award:
    award = award_list(actor=actor).filter(public_id=public_id).first()
    if award is None:
        raise NotFound()
    return award


def evidence_list(*, actor, award: Award) -> QuerySet[Evidence]:
    award_get(actor=actor, public_id=award.public_id)
    return award.evidence.all()


def evidence_get(*, actor, award: Award, public_id: str) -> Evidence:
    evidence = evidence_list(actor=actor, award=award).filter(public_id=public_id).first()
    if evidence is None:
        raise NotFound()
    return evidence


def award_import_get(*, actor, specification: Specification, public_id: str) -> AwardImport:
    specification_get(actor=actor, public_id=specification.public_id)
    upload = AwardImport.objects.filter(specification=specification, public_id=public_id).first()
    if upload is None:
        raise NotFound()
    return upload


# --- the learner's side: their awards and feedback (services.feedback) ------------------------------------------

def learner_award_list(*, actor) -> QuerySet[Award]:
    """Issued awards whose learner e-mail is one of the actor's confirmed addresses (the wallet's identity)."""
    emails = verified_emails(actor)
    if not emails:
        return Award.objects.none()
    # Under an API token bound to an organisation, only that organisation's awards (as Youthpass records).
    return (within_scope(Award.objects.filter(email_q("learner_email", emails), status=Award.Status.ISSUED))
            .select_related("specification", "organisation", "credential"))


def learner_award_get(*, actor, public_id: str) -> Award:
    award = learner_award_list(actor=actor).filter(public_id=public_id).first()
    if award is None:
        raise NotFound()
    return award


def learner_feedback_get(*, actor, award: Award):
    from .models import Feedback

    learner_award_get(actor=actor, public_id=award.public_id)
    return Feedback.objects.filter(award=award).first()


def _feedback_summary(specification: Specification, *, comments: int) -> dict:
    from django.db.models import Avg, Count

    from .models import Feedback

    qs = Feedback.objects.filter(specification__lineage=specification.lineage)
    counts = dict(qs.order_by().values_list("rating").annotate(n=Count("id")))
    total = sum(counts.values())
    average = qs.aggregate(avg=Avg("rating"))["avg"]
    recent = []
    if comments:
        for f in (qs.exclude(comment="").select_related("award").order_by("-created_at", "-id")[:comments]):
            recent.append({"rating": f.rating, "comment": f.comment, "date": f.created_at.date(),
                           "name": f.award.learner_name if f.show_name else ""})
    return {"count": total, "average": round(float(average), 1) if average is not None else None,
            "distribution": {r: counts.get(r, 0) for r in range(1, 6)}, "recent": recent}


def feedback_summary(*, actor, specification: Specification, comments: int = 20) -> dict:
    """Aggregated feedback of the micro-credential (every version) for its provider's members: count, average,
    distribution 1–5 and the recent comments (the learner's name only when they chose to show it)."""
    specification = specification_get(actor=actor, public_id=specification.public_id)
    return _feedback_summary(specification, comments=comments)


def feedback_public_summary(*, specification: Specification, minimum: int = 5) -> dict | None:
    """The aggregate the catalogue shows (no comments), or None below `minimum` ratings (anonymity)."""
    summary = _feedback_summary(specification, comments=0)
    if summary["count"] < minimum:
        return None
    return {k: summary[k] for k in ("count", "average", "distribution")}


def learner_feedback_award_ids(*, actor) -> QuerySet:
    """Ids (public) of the actor's awards they already gave feedback on."""
    return learner_award_list(actor=actor).filter(feedback__isnull=False).values_list("public_id", flat=True)


# --- stacking (services.stacking) -------------------------------------------------------------------------------
#
# Who qualifies for a combined micro-credential is decided in one place, `qualifying_parts` (below): the issuing
# service (`services.stacking.stack_award_issue`), the page and the API of qualifiers all call it through
# `stack_holdings`. The qualifiers list first narrows the learners in the database to those who hold at least as
# many different parts as the rule needs — own awards and recognitions together (`_stack_candidates`), a condition
# the rule implies — and then applies the rule itself to each page's learners, so a learner whose parts were not
# earned in the required order is not listed, exactly as the service refuses them.

QUALIFIER_ORDER = ("learner_email",)
QUALIFIER_WINDOWS = 4  # candidate windows read per page when the order rule leaves some out (bounded queries)


def composition_get(*, actor, specification: Specification):
    """The composition of this version of the micro-credential (None when it is not composed); the actor must see
    it."""
    from .models import Composition

    specification = specification_get(actor=actor, public_id=specification.public_id)
    return Composition.objects.filter(specification=specification).first()


def stack_part_awards(*, composition, emails) -> QuerySet[Award]:
    """Issued awards of the composition's parts (any version, same provider) to the given learner e-mails."""
    return (Award.objects.filter(organisation_id=composition.organisation_id, status=Award.Status.ISSUED,
                                 specification__lineage__in=composition.parts)
            .filter(email_q("learner_email", emails))
            .select_related("specification", "organisation"))


def stack_recognised_parts(*, composition, emails):
    """Micro-credentials of other providers that the composition's provider recognised in full and mapped to one
    of the parts (`RecognitionRequest.counts_as`), for the given learner e-mails (the learner's account e-mail:
    the same identity as the awards' learner e-mail, whatever the case of either: core.emails). Pending, partly
    recognised and refused requests, and other providers' recognitions, never count."""
    from .models import RecognitionRequest

    return (RecognitionRequest.objects.filter(organisation_id=composition.organisation_id,
                                              status=RecognitionRequest.Status.RECOGNISED,
                                              counts_as__lineage__in=composition.parts)
            .filter(email_q_any_case("learner__email", emails))
            .select_related("counts_as", "learner"))


def stack_held_on(item) -> datetime.date:
    """When a part was held, for the order rule: an award from its assessment (or issue), a recognised
    micro-credential from the provider's decision."""
    from .models import RecognitionRequest

    if isinstance(item, RecognitionRequest):
        return item.decided_at.date() if item.decided_at else item.created_at.date()
    return item.assessed_on or item.issued_on


def qualifying_parts(composition, awards, recognitions=()) -> list | None:
    """THE stacking rule. The parts that make the learner qualify (one per part, the earliest held — an award of
    this provider or a micro-credential of another that it recognised as the part — in the parts' order), or None
    when the rule is not met: fewer parts than `composition.needed`, or (when `ordered`) parts held out of the
    listed order."""
    items = [(a.issued_on, 0, a.pk, a.specification.lineage, a) for a in awards]
    items += [(stack_held_on(r), 1, r.pk, r.counts_as.lineage, r) for r in recognitions if r.counts_as is not None]
    earliest: dict = {}
    for _on, _kind, _pk, lineage, item in sorted(items, key=lambda x: x[:3]):
        earliest.setdefault(lineage, item)
    held = [earliest[lineage] for lineage in composition.parts if lineage in earliest]
    if len(held) < composition.needed:
        return None
    if composition.ordered:
        dates = [stack_held_on(a) for a in held]
        if dates != sorted(dates):
            return None
    return held


@dataclass
class Qualifier:
    """A learner who qualifies for the combined micro-credential: the parts that count (in the parts' order), the
    latest of them that is an own award (its learner data go on the combined award) or, when every part is
    recognised, the learner's account."""

    learner_email: str
    learner_name: str
    parts: list
    latest_award: Award | None = None
    account: object = None

    @property
    def own(self) -> list[Award]:
        return [p for p in self.parts if isinstance(p, Award)]

    @property
    def recognised(self) -> list:
        return [p for p in self.parts if not isinstance(p, Award)]


def stack_holdings(*, composition, emails) -> dict[str, Qualifier]:
    """Those of `emails` who qualify (`qualifying_parts`), with what counts: two queries whatever the number."""
    emails = [e.lower() for e in emails]
    awards: dict[str, list[Award]] = {}
    for award in stack_part_awards(composition=composition, emails=emails):
        awards.setdefault(award.learner_email, []).append(award)
    recognitions: dict[str, list] = {}
    for item in stack_recognised_parts(composition=composition, emails=emails):
        recognitions.setdefault(email_normalise(item.learner.email), []).append(item)
    found: dict[str, Qualifier] = {}
    for email in emails:
        parts = qualifying_parts(composition, awards.get(email, []), recognitions.get(email, []))
        if parts is None:
            continue
        own = [p for p in parts if isinstance(p, Award)]
        if own:
            latest = max(own, key=lambda a: (a.issued_on, a.pk))
            found[email] = Qualifier(email, latest.learner_name, parts, latest_award=latest)
        else:  # every part recognised: the learner's account names them
            account = parts[0].learner
            found[email] = Qualifier(email, account.full_name or email, parts, account=account)
    return found


def _stack_candidates(composition, specification: Specification, *, after: str | None, forward: bool):
    """E-mails (ordered, one row each) of the learners who hold at least `composition.needed` different parts —
    own awards and recognitions counted together, each part once — and not yet the combined micro-credential.
    Two arms of one UNION ALL: learners with at least one own part award, and learners whose parts are all
    recognitions."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce, Lower

    from .models import RecognitionRequest

    holders = Award.objects.filter(specification__lineage=specification.lineage,
                                   status=Award.Status.ISSUED).values("learner_email")
    own = Award.objects.filter(organisation_id=composition.organisation_id, status=Award.Status.ISSUED,
                               specification__lineage__in=composition.parts)
    recognised = RecognitionRequest.objects.filter(
        organisation_id=composition.organisation_id, status=RecognitionRequest.Status.RECOGNISED,
        counts_as__lineage__in=composition.parts)
    # recognised parts of the learner that are not also held as an own award (each part counts once)
    recognised_extra = (recognised.filter(learner__email__lower=OuterRef("learner_email"))
                        .exclude(counts_as__lineage__in=own.filter(learner_email=OuterRef(OuterRef("learner_email")))
                                 .values("specification__lineage"))
                        .order_by().values("learner_id").annotate(c=Count("counts_as__lineage", distinct=True))
                        .values("c")[:1])
    seek = {} if after is None else {"learner_email__gt" if forward else "learner_email__lt": after}
    with_awards = (own.filter(**seek).exclude(learner_email__in=holders).order_by().values("learner_email")
                   .annotate(n=Count("specification__lineage", distinct=True)
                             + Coalesce(Subquery(recognised_extra, output_field=IntegerField()), Value(0)))
                   .filter(n__gte=composition.needed).values("learner_email"))
    recognised_only = (recognised.annotate(learner_email=Lower("learner__email")).filter(**seek)
                       .exclude(learner_email__in=own.values("learner_email"))
                       .exclude(learner_email__in=holders).order_by().values("learner_email")
                       .annotate(n=Count("counts_as__lineage", distinct=True))
                       .filter(n__gte=composition.needed).values("learner_email"))
    return with_awards.union(recognised_only, all=True).order_by("learner_email" if forward else "-learner_email")


def stack_qualifier_page(*, actor, specification: Specification, request=None, cursor: str | None = None,
                         size=None, invalid: str = "first") -> Page[Qualifier]:
    """One keyset page (by learner e-mail) of the learners who qualify for the combined micro-credential and do not
    hold it yet (`Qualifier`s, with the parts that count: own awards and recognitions). The same cursors, sizes and
    links as `core.pagination.keyset_page`; a page costs the same few queries at any list size. When the order
    rule leaves candidates out, the page reads up to QUALIFIER_WINDOWS windows of candidates to fill itself;
    after that it ends short, with a next page that continues after the last learner read."""
    from agnitio.core.pagination import InvalidCursor, cursor_decode, cursor_encode, page_request

    composition = composition_get(actor=actor, specification=specification)
    cursor, limit, query, path = page_request(request, cursor=cursor, size=size)
    direction, after, cursor_invalid = "a", None, False
    if cursor:
        try:
            direction, values = cursor_decode(cursor, model=Award, fields=list(QUALIFIER_ORDER))
            after = values[0]
        except InvalidCursor:
            if invalid == "raise":
                raise
            cursor_invalid = True
    page: Page[Qualifier] = Page(items=[], size=limit, cursor_invalid=cursor_invalid, query=query, path=path)
    if composition is None:
        return page
    forward = direction == "a"
    found: list[Qualifier] = []
    position, exhausted = after, False
    for _window in range(QUALIFIER_WINDOWS):
        emails = [row["learner_email"] for row in _stack_candidates(
            composition, specification, after=position, forward=forward)[:limit + 1]]
        if len(emails) <= limit:
            exhausted = True
        holdings = stack_holdings(composition=composition, emails=emails)
        for email in emails:
            position = email
            if email in holdings:
                found.append(holdings[email])
                if len(found) > limit:
                    break
        if len(found) > limit or exhausted:
            break
    more = len(found) > limit or not exhausted
    items = found[:limit]
    # where the list continues: after the last learner shown when the page is full, else after the last one read
    edge = items[-1].learner_email if len(found) > limit else position
    if not forward:
        items.reverse()
    page.items = items
    came_from_elsewhere = after is not None
    if forward:
        if more and edge is not None:
            page.next_cursor = cursor_encode("a", [edge])
        if came_from_elsewhere:
            page.previous_cursor = cursor_encode("b", [items[0].learner_email if items else after])
    else:
        if more and edge is not None:
            page.previous_cursor = cursor_encode("b", [edge])
        if came_from_elsewhere:
            page.next_cursor = cursor_encode("a", [items[-1].learner_email if items else after])
    return page


def stack_relations(*, specification: Specification) -> dict[str, list[dict]]:
    """Public stacking facts of a specification version, for its ELM documents: the provider's published combined
    micro-credentials it is a part of (`part_of`) and, for a combined one, its parts (`composed_of`, the published
    version of each, in order) — each as {"name", "url"} (the catalogue entry)."""
    return stack_relations_many(specifications=[specification])[specification.pk]


def stack_relations_many(*, specifications) -> dict[int, dict[str, list[dict]]]:
    """`stack_relations` of many specifications (a provider's dataset) in three queries."""
    from .models import Composition
    from .urls_public import catalogue_entry_url

    specifications = list(specifications)
    relations: dict[int, dict[str, list[dict]]] = {s.pk: {"part_of": [], "composed_of": []} for s in specifications}
    if not specifications:
        return relations
    organisations = {s.organisation_id for s in specifications}
    combined = (Composition.objects.filter(organisation_id__in=organisations,
                                           specification__status=Specification.Status.PUBLISHED)
                .select_related("specification").order_by("specification__title", "id"))
    own = {c.specification_id: c for c in Composition.objects.filter(
        specification_id__in=list(relations))} if specifications else {}
    lineages = {lineage for c in own.values() for lineage in c.parts}
    published = {s.lineage: s for s in Specification.objects.filter(
        organisation_id__in=organisations, lineage__in=lineages, status=Specification.Status.PUBLISHED)}
    combined_list = list(combined)
    for s in specifications:
        relations[s.pk]["part_of"] = [
            {"name": c.specification.title, "url": catalogue_entry_url(c.specification)} for c in combined_list
            if c.organisation_id == s.organisation_id and s.lineage in c.parts]
        composition = own.get(s.pk)
        if composition is not None:
            relations[s.pk]["composed_of"] = [
                {"name": published[lineage].title, "url": catalogue_entry_url(published[lineage])}
                for lineage in composition.parts if lineage in published
                and published[lineage].organisation_id == s.organisation_id]
    return relations


def award_counts_towards(*, actor, award: Award) -> QuerySet[Award]:
    """The combined awards this award counted towards (shown on the part)."""
    award_get(actor=actor, public_id=award.public_id)
    return Award.objects.filter(stacked_parts__part=award).select_related("specification", "credential")


# --- recognition of other providers' micro-credentials (services.recognition) ----------------------------------

RECOGNITION_ORDER = ("-created_at", "-id")


def recognition_providers() -> QuerySet:
    """Listed providers that publish a recognition policy (where a learner may submit)."""
    return (ProviderProfile.objects.filter(listed=True).exclude(recognition_policy="")
            .select_related("organisation").order_by("organisation__legal_name", "id"))


def recognition_provider_get(*, public_id: str):
    profile = recognition_providers().filter(organisation__public_id=public_id).first()
    # A request sent under an API token bound to another organisation would be a record of the person with this
    # provider that the token could then never see: outside the token's organisation scope no provider is found.
    if profile is None or not in_scope(profile.organisation):
        raise NotFound()
    return profile.organisation


def recognition_list(*, actor, organisation=None):
    """Requests the actor submitted, or (with `organisation`) those sent to an organisation the actor is a
    member of."""
    from .models import RecognitionRequest

    if not _authenticated(actor):
        return RecognitionRequest.objects.none()
    if organisation is None:  # the learner's own requests: under a bound API token, those sent to its organisation
        return within_scope(RecognitionRequest.objects.filter(learner=actor)).select_related("organisation")
    return within_scope(RecognitionRequest.objects.filter(
        organisation_id__in=_member_organisation_ids(actor), organisation=organisation)).select_related(
        "organisation", "learner")


def recognition_get(*, actor, public_id: str):
    """Seen by its learner and by the receiving provider's members only."""
    from .models import RecognitionRequest

    if not _authenticated(actor):
        raise NotFound()
    request = (within_scope(RecognitionRequest.objects.filter(public_id=public_id))
               .filter(Q(learner=actor) | Q(organisation_id__in=_member_organisation_ids(actor)))
               .select_related("organisation", "learner").first())
    if request is None:
        raise NotFound()
    return request
