"""Reads. Each selector returns only what the actor may see; "not found" and "not allowed" are the same 404.

The catalogue selectors are public: they return published specifications (the current version of each) of
providers whose page is listed, and nothing personal."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from agnitio.core.emails import email_q, email_q_any_case, verified_emails
from agnitio.core.errors import NotFound
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

QUALIFIER_ORDER = ("-id",)


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
            .select_related("specification"))


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


def stack_qualifiers(*, actor, specification: Specification) -> QuerySet[Award]:
    """Who holds enough parts of the combined micro-credential and does not hold it yet: one row per learner (their
    latest part award), newest first, for keyset pages. Parts held are the provider's own awards and the other
    providers' micro-credentials it recognised as one of the parts (`stack_recognised_parts`, counted once per
    part). A learner is listed from their part awards, so one who holds every part through recognitions alone is
    not listed (the provider can still issue to them by e-mail: `services.stacking.stack_award_issue`). The order
    rule (when set) is checked per page (`services.stacking.qualifying_parts`)."""
    from django.db.models import Count, IntegerField, Max, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    from .models import RecognitionRequest

    composition = composition_get(actor=actor, specification=specification)
    if composition is None:
        return Award.objects.none()
    holders = Award.objects.filter(specification__lineage=specification.lineage,
                                   status=Award.Status.ISSUED).values("learner_email")
    own = Award.objects.filter(organisation_id=composition.organisation_id, status=Award.Status.ISSUED,
                               specification__lineage__in=composition.parts)
    recognised = (RecognitionRequest.objects.filter(
        organisation_id=composition.organisation_id, status=RecognitionRequest.Status.RECOGNISED,
        counts_as__lineage__in=composition.parts, learner__email__lower=OuterRef("learner_email"))
        .exclude(counts_as__lineage__in=own.filter(learner_email=OuterRef(OuterRef("learner_email")))
                 .values("specification__lineage"))
        .order_by().values("learner_id").annotate(c=Count("counts_as__lineage", distinct=True)).values("c")[:1])
    latest = (own.exclude(learner_email__in=holders).order_by().values("learner_email")
              .annotate(n=Count("specification__lineage", distinct=True)
                        + Coalesce(Subquery(recognised, output_field=IntegerField()), Value(0)), last=Max("id"))
              .filter(n__gte=composition.needed).values("last"))
    return Award.objects.filter(id__in=latest).select_related("specification")


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
