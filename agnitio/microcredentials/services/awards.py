"""Awarding a published micro-credential: to one learner now, or to many in the background (a job of the
documents engine, one award per item), each through the trust layer (`credentials.services.credential_issue`:
number, signed credential with a status entry, wallet offer, sealed PDF from the documents engine). Evidence
(links or files) can be attached to an award."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from agnitio.core.emails import email_normalise
from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.permissions import require
from agnitio.core.problems import Problem
from agnitio.core.services import audit_record
from agnitio.core.validators import EMAIL_MAX_LENGTH

from ..models import Award, Specification
from ..selectors import award_get, specification_get, stack_relations

AWARD_JOB = "microcredentials.award"
NAME_MAX = 200
ASSESSED_FROM = datetime.date(1950, 1, 1)  # an earlier date of assessment is a typing slip (year 0202…)
GRADE_MAX_LENGTH = 100
NATIONAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./-]{0,63}$")
EVIDENCE_LINKS_MAX = 10


@dataclass
class LearnerIn:
    """One learner to award: what a form, an API call or a spreadsheet row gives."""

    name: str
    email: str
    date_of_birth: datetime.date | None = None
    national_id: str = ""
    grade: str = ""
    assessed_on: datetime.date | None = None
    evidence_links: list[str] | None = None


def country_code(organisation) -> str:
    """The organisation's ISO 3166-1 alpha-2 country code."""
    return str(getattr(organisation.country, "code", organisation.country) or "")


def languages_of(value: str) -> list[str]:
    return ["lv", "en"] if value == Award.DocumentLanguage.BOTH else [value]


def learner_clean(learner: LearnerIn, *, today: datetime.date | None = None) -> LearnerIn:
    """The learner's data checked and normalised; ApplicationError says what is wrong (one message per problem,
    joined, so a spreadsheet row lists them all). Its `extra` keeps them untranslated (core.problems): "problems"
    in order, "fields" by the LearnerIn field each is about (a page shows each beside its field)."""
    today = today or timezone.localdate()
    fields: dict[str, list[Problem]] = {}

    def problem(field: str, msgid: str, **params) -> None:
        fields.setdefault(field, []).append(Problem(msgid, params))

    name = " ".join((learner.name or "").split())
    if not name:
        problem("name", gettext_noop("Enter the learner's name."))
    elif len(name) > NAME_MAX:
        problem("name", gettext_noop("The learner's name is too long (at most 200 characters)."))
    email = email_normalise(learner.email)
    try:
        validate_email(email)
        if len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError("too long")
    except ValidationError:
        problem("email", gettext_noop("Enter the learner's e-mail address (such as name@example.org)."))
    if learner.date_of_birth is not None and not (datetime.date(1900, 1, 1) <= learner.date_of_birth < today):
        problem("date_of_birth", gettext_noop("The date of birth must be a past date."))
    national_id = (learner.national_id or "").strip()
    if national_id and not NATIONAL_ID.match(national_id):
        problem("national_id", gettext_noop("The national identifier may have letters, digits, spaces, dots, "
                                            "slashes and hyphens, at most 64."))
    grade = " ".join((learner.grade or "").split())
    if len(grade) > GRADE_MAX_LENGTH:
        problem("grade", gettext_noop("The grade is too long (at most %(n)d characters)."), n=GRADE_MAX_LENGTH)
    if learner.assessed_on is not None and learner.assessed_on > today:
        problem("assessed_on", gettext_noop("The date of assessment cannot be in the future."))
    elif learner.assessed_on is not None and learner.assessed_on < ASSESSED_FROM:
        problem("assessed_on", gettext_noop("The date of assessment cannot be before 1950."))
    links = []
    for link in learner.evidence_links or []:
        link = (link or "").strip()
        if not link:
            continue
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            problem("evidence_links", gettext_noop("“%(link)s” is not a web link (https://…)."), link=link[:60])
            continue
        if len(link) > 1000:
            problem("evidence_links", gettext_noop("An evidence link is too long (at most 1000 characters)."))
            continue
        links.append(link)
    if len(links) > EVIDENCE_LINKS_MAX:
        problem("evidence_links", gettext_noop("At most %(n)d evidence links."), n=EVIDENCE_LINKS_MAX)
    if fields:
        order = ("name", "email", "date_of_birth", "national_id", "grade", "assessed_on", "evidence_links")
        problems = [p for key in order for p in fields.get(key, [])]
        raise ApplicationError(" ".join(str(p) for p in problems), code="learner",
                               extra={"problems": problems, "fields": fields})
    return LearnerIn(name=name, email=email, date_of_birth=learner.date_of_birth, national_id=national_id,
                     grade=grade, assessed_on=learner.assessed_on, evidence_links=links)


def _require_issue(actor, specification: Specification) -> Specification:
    specification = specification_get(actor=actor, public_id=specification.public_id)
    require(actor, "microcredentials.issue_award", specification.organisation, hide=False,
            message=_("Only members of the organisation may award its micro-credentials."))
    if specification.status != Specification.Status.PUBLISHED:
        raise ApplicationError(_("Only a published micro-credential can be awarded (this version is %(status)s).")
                               % {"status": specification.get_status_display()}, code="not_published")
    return specification


def _valid_until(specification: Specification, issued_on: datetime.date) -> datetime.date | None:
    if not specification.validity_months:
        return None
    months = issued_on.month - 1 + specification.validity_months
    year, month = issued_on.year + months // 12, months % 12 + 1
    day = min(issued_on.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30,
                              31, 31, 30, 31, 30, 31][month - 1])
    return datetime.date(year, month, day)


def award_create(*, actor, specification: Specification, learner: LearnerIn, issued_on: datetime.date | None = None,
                 languages: str = Award.DocumentLanguage.BOTH, award_import=None, job_id: str = "",
                 renews: Award | None = None, checked: bool = False) -> Award:
    """A pending award (not yet issued) with its evidence links: the row a single issue or a bulk job issues.
    Runs inside the caller's transaction when there is one. `checked`: the caller already checked the actor."""
    if not checked:
        specification = _require_issue(actor, specification)
    learner = learner_clean(learner)
    if languages not in Award.DocumentLanguage.values:
        raise ApplicationError(_("Choose the language of the document."), code="languages")
    issued_on = issued_on or timezone.localdate()
    with transaction.atomic():
        award = Award(organisation=specification.organisation, specification=specification,
                      learner_name=learner.name, learner_email=learner.email,
                      learner_date_of_birth=learner.date_of_birth, learner_national_id=learner.national_id,
                      grade=learner.grade, assessed_on=learner.assessed_on, issued_on=issued_on,
                      valid_until=_valid_until(specification, issued_on), languages=languages,
                      award_import=award_import, job_id=job_id, renews=renews,
                      created_by=actor if getattr(actor, "is_authenticated", False) else None)
        award.full_clean()
        award.save()
        from .evidence import evidence_link_add_checked

        for link in learner.evidence_links or []:
            evidence_link_add_checked(actor=actor, award=award, url=link, title="")
        audit_record(actor=actor, action="create", target=award, organisation=award.organisation,
                     verb="micro-credential award created",
                     changes={"specification": [None, specification.public_id], "learner": [None, award.learner_name]})
    return award


def award_achievement(award: Award) -> dict[str, Any]:
    """The achievement the trust layer signs and the EDC export maps (`credentials.formats.elm_microcredential`):
    every standard element of the specification version, the awarding bodies, and the grade. No personal data.
    Texts of choices are in the document's first language (never the interface language)."""
    with translation.override(languages_of(award.languages)[0]):
        return _award_achievement(award)


def _award_achievement(award: Award) -> dict[str, Any]:
    from ..urls_public import catalogue_entry_url

    s = award.specification
    org = s.organisation
    bodies = [{"name": org.legal_name, "legal_identifier": org.identifier, "country": country_code(org)}]
    bodies += [dict(b) for b in s.co_awarding_bodies or []]
    achievement: dict[str, Any] = {
        "name": s.title,
        "description": s.description or s.title,
        "criteria": s.assessment_description or s.get_assessment_type_display(),
        "url": catalogue_entry_url(s),
        "achievement_type": "MicroCredential",
        "outcomes": [{"name": line} for line in s.outcome_lines],
        "esco_skills": [dict(x) for x in s.esco_skills or []],
        "specification": {"id": s.public_id, "lineage": s.lineage, "version": s.version},
        "languages_of_instruction": list(s.languages or []),
        "isced_field": s.isced_field,
        "issuer_countries": list(s.issuer_countries or []),
        "issuer_regions": s.issuer_regions,
        "awarding_bodies": bodies,
        "credits_ects": str(s.credits_ects) if s.credits_ects is not None else None,
        "workload_hours": s.workload_hours,
        "eqf_level": s.eqf_level,
        "qf_ehea_cycle": s.qf_ehea_cycle,
        "national_level": s.national_level,
        "assessment_type": s.assessment_type,
        "assessment": s.assessment_description or s.get_assessment_type_display(),
        "participation": s.participation,
        "quality_assurance_type": s.quality_assurance_type,
        "quality_assurance": s.quality_assurance_description or s.get_quality_assurance_type_display(),
        "quality_assurance_description": s.quality_assurance_description,
        "prerequisites": s.prerequisites,
        "supervision": s.supervision,
        "grading_scheme": s.grading_scheme,
        "grading_description": s.grading_description,
        "stackability": s.stackability,
        "stackability_description": s.stackability_description,
        "further_information": s.further_information,
        "further_information_url": s.further_information_url,
        "renewal": s.renewal,
        "basis": award.basis,
        "assessed_on": award.assessed_on.isoformat() if award.assessed_on else None,
        **stack_relations(specification=s),  # integration/stackability: part of / made of (ELM isPartOf, hasPart)
    }
    from .prior_learning import prior_learning_achievement

    prior = prior_learning_achievement(award)
    if prior is not None:
        achievement["prior_learning"] = prior
    from .stacking import stacked_parts_achievement

    parts = stacked_parts_achievement(award)
    if parts:
        achievement["parts"] = parts
    if award.grade:
        achievement["grade"] = award.grade
        achievement["results"] = [{"name": str(_("Grade achieved")), "value": award.grade,
                                   "result_type": "Status" if s.grading_scheme == "pass_fail" else "LetterGrade"}]
    return achievement


def award_pdf_data(award: Award) -> dict[str, Any]:
    """The data of the sealed PDF (documents kind "microcredential"): codes for the choices (the document
    translates them into its own languages), the learner's identification printed."""
    s = award.specification
    org = s.organisation
    return {
        "organisation": {"name": org.legal_name, "address": org.address, "logo": org.logo or None},
        "holder": {"name": award.learner_name,
                   "birth_date": award.learner_date_of_birth.isoformat() if award.learner_date_of_birth else None,
                   "national_id": award.learner_national_id},
        "issued_on": award.issued_on.isoformat(),
        "valid_until": award.valid_until.isoformat() if award.valid_until else None,
        "grade": award.grade,
        "assessed_on": award.assessed_on.isoformat() if award.assessed_on else None,
        "specification": {
            "title": s.title, "version": s.version, "description": s.description,
            "outcomes": [{"name": line} for line in s.outcome_lines],
            "esco_skills": [dict(x) for x in s.esco_skills or []],
            "credits_ects": str(s.credits_ects) if s.credits_ects is not None else None,
            "workload_hours": s.workload_hours, "eqf_level": s.eqf_level, "qf_ehea_cycle": s.qf_ehea_cycle,
            "national_level": s.national_level, "assessment_type": s.assessment_type,
            "assessment_description": s.assessment_description, "participation": s.participation,
            "quality_assurance_type": s.quality_assurance_type,
            "quality_assurance_description": s.quality_assurance_description,
            "prerequisites": s.prerequisites, "supervision": s.supervision, "grading_scheme": s.grading_scheme,
            "grading_description": s.grading_description, "stackability": s.stackability,
            "stackability_description": s.stackability_description,
            "further_information": s.further_information, "further_information_url": s.further_information_url,
            "issuer_countries": list(s.issuer_countries or []), "issuer_regions": s.issuer_regions,
            "awarding_bodies": [{"name": org.legal_name, "legal_identifier": org.identifier,
                                 "country": country_code(org)}, *[dict(b) for b in s.co_awarding_bodies or []]],
        },
    }


# An award whose learner erased their account (microcredentials/privacy.py) is never issued afterwards.
LEARNER_ERASED = _("The learner's personal data were erased at their request: this award can no longer be issued.")


def award_credential_issue(*, actor, award: Award, on_record=None) -> Award:
    """Issue the award's credential through the trust layer (no transaction held while the PDF is made); the
    award is marked issued in the trust layer's final transaction, only while it is still pending."""
    from agnitio.credentials.services import credential_issue

    award = Award.objects.select_related("specification", "specification__organisation").get(pk=award.pk)
    if award.status == Award.Status.ISSUED:
        raise ApplicationError(_("This micro-credential has already been issued."), code="already_issued")
    if not award.learner_email:
        raise ApplicationError(LEARNER_ERASED, code="learner_erased")

    def record(credential) -> None:
        locked = Award.objects.select_for_update().get(pk=award.pk)
        if locked.status == Award.Status.ISSUED:
            raise ApplicationError(_("This micro-credential has already been issued."), code="already_issued")
        locked.credential, locked.status, locked.failure = credential, Award.Status.ISSUED, ""
        locked.save(update_fields=["credential", "status", "failure", "updated_at"])
        audit_record(actor=actor, action="issue", target=locked, organisation=locked.organisation,
                     verb="micro-credential issued", changes={"credential": [None, credential.number]})
        award.credential, award.status = credential, locked.status
        from .feedback import feedback_invite

        feedback_invite(award=locked)
        if on_record is not None:
            on_record(credential)

    previous = award.renews.credential if award.renews_id and award.renews and award.renews.credential_id else None
    credential_issue(
        actor=actor, organisation=award.organisation, kind="microcredential", holder_name=award.learner_name,
        holder_email=award.learner_email, achievement=award_achievement(award),
        languages=languages_of(award.languages), issued_on=award.issued_on,
        place=", ".join(award.specification.issuer_countries or []), pdf_data=award_pdf_data(award),
        valid_until=award.valid_until, on_record=record, supersedes=previous)
    return award


def award_issue(*, actor, specification: Specification, learner: LearnerIn, issued_on: datetime.date | None = None,
                languages: str = Award.DocumentLanguage.BOTH) -> Award:
    """Award the micro-credential to one learner now: the award and its credential, or nothing when issuing fails
    (the award is removed again and the error raised)."""
    specification = _require_issue(actor, specification)
    award = award_create(actor=actor, specification=specification, learner=learner, issued_on=issued_on,
                         languages=languages, checked=True)
    try:
        return award_credential_issue(actor=actor, award=award)
    except BaseException:
        Award.objects.filter(pk=award.pk, status=Award.Status.PENDING).delete()
        raise


def award_renew(*, actor, award: Award, issued_on: datetime.date | None = None) -> Award:
    """Renew an issued award for the current published version of its micro-credential: a new award whose
    credential supersedes the old one (new expiry date)."""
    from ..selectors import catalogue_current_version

    award = award_get(actor=actor, public_id=award.public_id)
    if award.status != Award.Status.ISSUED:
        raise ApplicationError(_("Only an issued micro-credential can be renewed."), code="not_issued")
    current = catalogue_current_version(specification=award.specification)
    if current is None:
        raise ApplicationError(_("The micro-credential is no longer published, so it cannot be renewed."),
                               code="not_published")
    current = _require_issue(actor, current)
    learner = LearnerIn(name=award.learner_name, email=award.learner_email,
                        date_of_birth=award.learner_date_of_birth, national_id=award.learner_national_id,
                        grade=award.grade, assessed_on=award.assessed_on)
    renewed = award_create(actor=actor, specification=current, learner=learner, issued_on=issued_on,
                           languages=award.languages, renews=award, checked=True)
    try:
        return award_credential_issue(actor=actor, award=renewed)
    except BaseException:
        Award.objects.filter(pk=renewed.pk, status=Award.Status.PENDING).delete()
        raise


# --- bulk issuing in the background ------------------------------------------------------------------------------
# A job of the documents engine with the "microcredentials.award" handler: one item per award (its data the
# award's id), its outcome the issued credential's public id. The engine chunks, resumes and counts progress.

def award_job_may_manage(actor, organisation, scope: str) -> bool:
    """Who may start and follow an award job: members who may issue the specification (`scope`)."""
    try:
        specification = specification_get(actor=actor, public_id=scope)
    except NotFound:
        return False
    from agnitio.core.permissions import allowed

    return (specification.organisation_id == organisation.pk
            and allowed(actor, "microcredentials.issue_award", specification.organisation))


def award_job_item_process(*, job, item, done) -> None:
    """Issue one award's credential as the job's starter. Marked done in the transaction that records the
    credential, so a re-delivered task issues nothing twice; a failure is recorded on the award too."""
    award = Award.objects.filter(pk=item.data.get("award"), specification__public_id=job.scope).first()
    if award is None:
        raise ApplicationError(_("This award no longer exists."), code="missing")
    if award.status == Award.Status.ISSUED:
        done(outcome=award.credential.public_id if award.credential else "")
        return
    try:
        award_credential_issue(actor=job.owner, award=award,
                               on_record=lambda credential: done(outcome=credential.public_id))
    except ApplicationError as error:
        Award.objects.filter(pk=award.pk, status=Award.Status.PENDING).update(
            status=Award.Status.FAILED, failure=str(error.message)[:500])
        raise


def award_batch_start(*, actor, specification: Specification, awards: list[Award]):
    """Issue the given pending awards in the background; returns the documents job the page polls."""
    from agnitio.documents.services import JobItemIn, job_create

    specification = _require_issue(actor, specification)
    awards = [a for a in awards if a.specification_id == specification.pk and a.status != Award.Status.ISSUED]
    items = [JobItemIn(data={"award": a.pk}, label=a.learner_name) for a in awards]
    job = job_create(actor=actor, organisation=specification.organisation, handler=AWARD_JOB,
                     scope=specification.public_id, kind="microcredential",
                     languages=languages_of(awards[0].languages) if awards else ["lv", "en"],
                     title=specification.title, items=items, verb="micro-credential batch started")
    Award.objects.filter(pk__in=[a.pk for a in awards]).update(job_id=job.public_id, status=Award.Status.PENDING,
                                                                failure="")
    return job


def award_batch_progress(*, actor, specification: Specification, public_id: str) -> dict[str, Any]:
    """The job, its counts and the awards not issued with why."""
    from agnitio.documents.selectors import job_get_scoped

    specification = specification_get(actor=actor, public_id=specification.public_id)
    job = job_get_scoped(actor=actor, organisation=specification.organisation, handler=AWARD_JOB,
                         scope=specification.public_id, public_id=public_id)
    failed = list(Award.objects.filter(job_id=job.public_id, status=Award.Status.FAILED).order_by("learner_name"))
    return {"job": job, "failed": failed, "finished": job.done + job.failed >= job.total}


def award_sample(*, membership, holder_email: str):
    """`manage.py credential_sample --kind microcredential`: award the demo provider's first published
    micro-credential through the real path (award, trust layer, sealed PDF). Returns the issued credential."""
    from ..selectors import specification_list

    specification = (specification_list(actor=membership.user, organisation=membership.organisation,
                                        status=Specification.Status.PUBLISHED).order_by("created_at", "id").first())
    if specification is None:
        raise ApplicationError(_("The demo provider has no published micro-credential: run demo_data first."),
                               code="no_sample")
    learner = LearnerIn(name="Līga Kalniņa", email=holder_email, date_of_birth=datetime.date(2001, 5, 14),
                        grade="Pass", assessed_on=timezone.localdate(),
                        evidence_links=["https://agnitio.example/portfolio/liga"])
    award = award_issue(actor=membership.user, specification=specification, learner=learner)
    return award.credential


BULK_MAX = 1000


def awards_bulk_start(*, actor, specification: Specification, learners: list[LearnerIn],
                      languages: str = Award.DocumentLanguage.BOTH) -> tuple[list[Award], list[dict], Any]:
    """Award many learners given as data (the API's bulk issue): each learner checked on its own; the good ones
    become awards issued in one background job, the others come back as [{"index", "errors"}] (nothing is
    saved for them). Returns (awards, errors, job or None)."""
    specification = _require_issue(actor, specification)
    if len(learners) > BULK_MAX:
        raise ApplicationError(_("At most %(n)d learners at once.") % {"n": BULK_MAX}, code="too_many")
    holders = set(Award.objects.filter(specification=specification, status=Award.Status.ISSUED)
                  .values_list("learner_email", flat=True))
    errors: list[dict] = []
    good: list[LearnerIn] = []
    seen: dict[str, int] = {}
    for index, learner in enumerate(learners):
        try:
            learner = learner_clean(learner)
        except ApplicationError as error:
            errors.append({"index": index, "errors": [str(error.message)]})
            continue
        if learner.email in holders:
            errors.append({"index": index, "errors": [str(_("%(email)s already holds this micro-credential.")
                                                          % {"email": learner.email})]})
        elif learner.email in seen:
            errors.append({"index": index, "errors": [str(_("The e-mail %(email)s is also at %(n)d.")
                                                          % {"email": learner.email, "n": seen[learner.email]})]})
        else:
            seen[learner.email] = index
            good.append(learner)
    if not good:
        return [], errors, None
    with transaction.atomic():
        awards = [award_create(actor=actor, specification=specification, learner=learner, languages=languages,
                               checked=True) for learner in good]
        job = award_batch_start(actor=actor, specification=specification, awards=awards)
    return awards, errors, job
