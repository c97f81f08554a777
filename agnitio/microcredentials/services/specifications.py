"""Writes for specifications and the provider's page: describe (draft), publish, new version, withdraw.

A draft may be incomplete; publishing checks every mandatory element of Annex I and refuses with the list of
what is missing. A published specification never changes: `specification_new_version` copies it into a new draft
of the same lineage, and publishing that draft replaces the old version in the catalogue (which stays, as
"superseded", for the credentials issued for it)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from agnitio.core.errors import ApplicationError
from agnitio.core.permissions import require
from agnitio.core.services import audit_record, model_update

from ..models import ProviderProfile, Specification
from ..selectors import specification_get

# The fields a provider edits (the rest — lineage, version, status, dates — belong to the services).
SPECIFICATION_FIELDS = [
    "title", "description", "languages", "issuer_countries", "issuer_regions", "co_awarding_bodies",
    "isced_field", "learning_outcomes", "esco_skills", "credits_ects", "workload_hours", "eqf_level", "qf_ehea_cycle",
    "national_level", "level_not_applicable", "assessment_type", "assessment_description", "participation",
    "quality_assurance_type", "quality_assurance_description", "prerequisites", "supervision", "grading_scheme",
    "grading_description", "stackability", "stackability_description", "further_information",
    "further_information_url", "validity_months", "renewal",
]
PROFILE_FIELDS = ["quality_assurance", "recognition_policy", "listed"]

ESCO_SKILL_URI = re.compile(r"^http://data\.europa\.eu/esco/skill/[A-Za-z0-9-]{1,64}$")
ESCO_SKILLS_MAX = 50
CO_AWARDING_BODIES_MAX = 10
COUNTRIES_MAX = 30
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
LANGUAGES_MAX = 24
# The numbers of a specification, as the pages and the API bound them (Annex I: a small volume of learning).
ECTS_MIN, ECTS_MAX = Decimal("0.1"), Decimal("999")
WORKLOAD_HOURS_MAX = 100_000
VALIDITY_MONTHS_MAX = 600
AWARDING_BODY_NAME_MAX, AWARDING_BODY_IDENTIFIER_MAX = 255, 100


# --- normalising what a form or the API sent -------------------------------------------------------------------

def _codes(values: Any, *, what, pattern=None, valid=None, maximum: int) -> list[str]:
    if values in (None, ""):
        return []
    if isinstance(values, str):
        values = [v for v in re.split(r"[\s,;]+", values) if v]
    if not isinstance(values, list | tuple):
        raise ApplicationError(_("%(what)s: give a list.") % {"what": what}, code="list")
    result: list[str] = []
    for value in values:
        value = str(value).strip()
        if not value:
            continue
        if (pattern is not None and not pattern.match(value)) or (valid is not None and value not in valid):
            raise ApplicationError(_("%(what)s: “%(value)s” is not a valid code.")
                                   % {"what": what, "value": value[:20]}, code="code")
        if value not in result:
            result.append(value)
    if len(result) > maximum:
        raise ApplicationError(_("%(what)s: at most %(n)d.") % {"what": what, "n": maximum}, code="too_many")
    return result


def esco_skills_clean(values: Any) -> list[dict[str, str]]:
    """ESCO skill links as [{"uri", "label"}]: URIs of the form http://data.europa.eu/esco/skill/<id>, each once,
    at most ESCO_SKILLS_MAX; a plain string of URIs (one a line) is accepted too."""
    if values in (None, ""):
        return []
    if isinstance(values, str):
        values = [v for v in values.split() if v]
    if not isinstance(values, list | tuple):
        raise ApplicationError(_("ESCO skills: give a list of ESCO skill links."), code="esco_skills")
    skills: list[dict[str, str]] = []
    seen: set[str] = set()
    for value in values:
        uri, label = (value.get("uri"), value.get("label") or "") if isinstance(value, dict) else (value, "")
        uri = str(uri or "").strip()
        if uri.startswith("https://data.europa.eu/esco/"):
            uri = "http://" + uri[len("https://"):]  # ESCO's URIs are http; the https form names the same concept
        if not ESCO_SKILL_URI.match(uri):
            raise ApplicationError(_("“%(value)s” is not an ESCO skill link (http://data.europa.eu/esco/skill/…).")
                                   % {"value": uri[:80]}, code="esco_skills")
        label = str(label).strip()[:255]
        if uri not in seen:
            seen.add(uri)
            skills.append({"uri": uri, "label": label})
    if len(skills) > ESCO_SKILLS_MAX:
        raise ApplicationError(_("At most %(n)d ESCO skills.") % {"n": ESCO_SKILLS_MAX}, code="esco_skills")
    return skills


def co_awarding_bodies_clean(values: Any) -> list[dict[str, str]]:
    """Other awarding bodies: [{"name", "legal_identifier", "country"}], each with its name and legal
    identifier (Annex I: awarding body(ies)); the country is ISO 3166-1 alpha-2."""
    if values in (None, ""):
        return []
    if not isinstance(values, list | tuple):
        raise ApplicationError(_("Other awarding bodies: give a list."), code="co_awarding_bodies")
    bodies = []
    for value in values:
        if not isinstance(value, dict):
            raise ApplicationError(_("Other awarding bodies: each needs a name and a legal identifier."),
                                   code="co_awarding_bodies")
        name = " ".join(str(value.get("name") or "").split())
        identifier = str(value.get("legal_identifier") or "").strip()
        if len(name) > AWARDING_BODY_NAME_MAX or len(identifier) > AWARDING_BODY_IDENTIFIER_MAX:
            raise ApplicationError(_("Other awarding bodies: a name has at most %(name)d characters, a legal "
                                     "identifier at most %(identifier)d.")
                                   % {"name": AWARDING_BODY_NAME_MAX, "identifier": AWARDING_BODY_IDENTIFIER_MAX},
                                   code="co_awarding_bodies")
        country = str(value.get("country") or "").strip().upper()
        if not name and not identifier:
            continue
        if not name or not identifier:
            raise ApplicationError(_("Other awarding bodies: each needs a name and a legal identifier."),
                                   code="co_awarding_bodies")
        if country and country not in dict(countries):
            raise ApplicationError(_("Other awarding bodies: “%(value)s” is not a country code.")
                                   % {"value": country[:10]}, code="co_awarding_bodies")
        bodies.append({"name": name, "legal_identifier": identifier, "country": country})
    if len(bodies) > CO_AWARDING_BODIES_MAX:
        raise ApplicationError(_("At most %(n)d other awarding bodies.") % {"n": CO_AWARDING_BODIES_MAX},
                               code="co_awarding_bodies")
    return bodies


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise ApplicationError(_("ECTS credits: enter a number such as 2 or 2.5."), code="credits_ects") from None
    if not number.is_finite() or not ECTS_MIN <= number <= ECTS_MAX:
        raise ApplicationError(_("ECTS credits: enter a number between 0.1 and 999."), code="credits_ects")
    return number


def _whole_number(clean: dict[str, Any], key: str, maximum: int, message) -> None:
    """`clean[key]`, when given, a whole number from 1 to `maximum` (the same bound as the page and the API)."""
    value = clean.get(key)
    if value is None:
        return
    if isinstance(value, int) and not isinstance(value, bool):
        number: int | None = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        number = None
    if number is None or not 1 <= number <= maximum:
        raise ApplicationError(message, code=key)
    clean[key] = number


def _specification_data(data: dict[str, Any]) -> dict[str, Any]:
    """The editable fields of `data`, normalised (lists, codes, ESCO links)."""
    clean = {key: data[key] for key in SPECIFICATION_FIELDS if key in data}
    if "languages" in clean:
        clean["languages"] = _codes(clean["languages"], what=_("Languages"), pattern=LANGUAGE_CODE,
                                    maximum=LANGUAGES_MAX)
    if "issuer_countries" in clean:
        clean["issuer_countries"] = _codes([str(c).upper() for c in clean["issuer_countries"] or []]
                                           if not isinstance(clean["issuer_countries"], str)
                                           else clean["issuer_countries"].upper(),
                                           what=_("Countries of the issuer"), valid=dict(countries),
                                           maximum=COUNTRIES_MAX)
    if "esco_skills" in clean:
        clean["esco_skills"] = esco_skills_clean(clean["esco_skills"])
    if "co_awarding_bodies" in clean:
        clean["co_awarding_bodies"] = co_awarding_bodies_clean(clean["co_awarding_bodies"])
    if "credits_ects" in clean:
        clean["credits_ects"] = _decimal(clean["credits_ects"])
    for key in ("workload_hours", "eqf_level", "validity_months"):
        if key in clean and clean[key] in ("", None):
            clean[key] = None
    for key, field in ((k, Specification._meta.get_field(k)) for k in clean):
        if getattr(field, "blank", False) and clean[key] is None and field.get_internal_type() in (
                "CharField", "TextField", "URLField"):
            clean[key] = ""
    if clean.get("eqf_level") is not None and not 1 <= int(clean["eqf_level"]) <= 8:
        raise ApplicationError(_("EQF level: choose a level from 1 to 8."), code="eqf_level")
    _whole_number(clean, "workload_hours", WORKLOAD_HOURS_MAX,
                  _("Notional workload: enter the hours, from 1 to %(max)d.") % {"max": WORKLOAD_HOURS_MAX})
    _whole_number(clean, "validity_months", VALIDITY_MONTHS_MAX,
                  _("Valid for: enter the months, from 1 to %(max)d (empty: it does not expire).")
                  % {"max": VALIDITY_MONTHS_MAX})
    return clean


def _label(name: str) -> str:
    if name == "__all__":
        return ""
    return str(getattr(Specification._meta.get_field(name), "verbose_name", name))


def _validation_message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return " ".join(f"{_label(k)}: {' '.join(v)}".lstrip(": ") for k, v in error.message_dict.items())
    return " ".join(error.messages)


def _full_clean(instance) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        raise ApplicationError(_validation_message(error), code="invalid") from error


# --- the mandatory elements (Annex I) ---------------------------------------------------------------------------

def specification_missing(*, specification: Specification) -> list[str]:
    """What is missing before the specification may be published: one message per mandatory element of Annex I
    (the learner's identification and the date of issue come with each award)."""
    s = specification
    missing: list[str] = []
    if not s.title.strip():
        missing.append(str(_("the title of the micro-credential")))
    if not s.issuer_countries:
        missing.append(str(_("the country or countries of the issuer")))
    if not (s.organisation.identifier or "").strip():
        missing.append(str(_("the legal identifier of the awarding body (in the organisation's data)")))
    if not s.isced_field:
        missing.append(str(_("the field of education (ISCED-F)")))
    if not s.outcome_lines:
        missing.append(str(_("the learning outcomes")))
    if s.credits_ects is None and not s.workload_hours:
        missing.append(str(_("the notional workload (ECTS credits and/or hours)")))
    if s.eqf_level is None and not s.qf_ehea_cycle and not s.national_level.strip() and not s.level_not_applicable:
        missing.append(str(_("the level (EQF, QF-EHEA cycle or national level), or that no level applies")))
    if not s.assessment_type:
        missing.append(str(_("the type of assessment")))
    elif s.assessment_type == Specification.Assessment.OTHER and not s.assessment_description.strip():
        missing.append(str(_("a description of the assessment (“other” was chosen)")))
    if not s.participation:
        missing.append(str(_("the form of participation (online, onsite or blended)")))
    if not s.quality_assurance_type:
        missing.append(str(_("the type of quality assurance")))
    if not s.languages:
        missing.append(str(_("the language(s) of instruction")))
    return missing


# --- writes -----------------------------------------------------------------------------------------------------

def _require_member(actor, organisation, perm: str = "microcredentials.change_specification") -> None:
    require(actor, perm, organisation, hide=False,
            message=_("Only members of the organisation may describe its micro-credentials."))


@transaction.atomic
def specification_create(*, actor, organisation, data: dict[str, Any]) -> Specification:
    """A new draft of the organisation (version 1 of a new lineage)."""
    _require_member(actor, organisation)
    clean = _specification_data(data)
    if not str(clean.get("title") or "").strip():
        raise ApplicationError(_("Enter the title of the micro-credential."), code="title")
    specification = Specification(organisation=organisation, created_by=actor, **clean)
    _full_clean(specification)
    specification.save()
    audit_record(actor=actor, action="create", target=specification, organisation=organisation,
                 verb="micro-credential specification created", changes={"title": [None, specification.title]})
    return specification


def _locked(actor, specification: Specification) -> Specification:
    specification = specification_get(actor=actor, public_id=specification.public_id)
    return Specification.objects.select_for_update().select_related("organisation").get(pk=specification.pk)


@transaction.atomic
def specification_update(*, actor, specification: Specification, data: dict[str, Any]) -> Specification:
    """Change a draft. A published (or older) version never changes: make a new version to change it."""
    specification = _locked(actor, specification)
    _require_member(actor, specification.organisation)
    if not specification.is_editable:
        raise ApplicationError(_("A published micro-credential cannot be changed: make a new version and publish "
                                 "that."), code="immutable")
    clean = _specification_data(data)
    if "title" in clean and not str(clean["title"] or "").strip():
        raise ApplicationError(_("Enter the title of the micro-credential."), code="title")
    try:
        changes = model_update(instance=specification, fields=list(clean), data=clean)
    except ValidationError as error:
        raise ApplicationError(_validation_message(error), code="invalid") from error
    if changes:
        audit_record(actor=actor, action="update", target=specification, organisation=specification.organisation,
                     verb="micro-credential specification changed", changes=changes)
    return specification


@transaction.atomic
def specification_publish(*, actor, specification: Specification) -> Specification:
    """Publish a complete draft; refused (code "incomplete", the list in `.missing`) while a mandatory element is
    missing. The lineage's previously published version becomes "superseded" (it stays for its credentials)."""
    specification = _locked(actor, specification)
    require(actor, "microcredentials.publish_specification", specification.organisation, hide=False,
            message=_("Only members of the organisation may publish its micro-credentials."))
    if specification.status != Specification.Status.DRAFT:
        raise ApplicationError(_("Only a draft can be published."), code="not_draft")
    missing = specification_missing(specification=specification)
    if missing:
        error = ApplicationError(_("It cannot be published yet. Missing: %(missing)s.")
                                 % {"missing": "; ".join(missing)}, code="incomplete")
        error.missing = missing  # type: ignore[attr-defined]
        raise error
    previous = list(Specification.objects.select_for_update().filter(
        lineage=specification.lineage, status=Specification.Status.PUBLISHED).exclude(pk=specification.pk))
    for old in previous:
        old.status = Specification.Status.SUPERSEDED
        old.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="update", target=old, organisation=old.organisation,
                     verb="micro-credential specification superseded",
                     changes={"status": [Specification.Status.PUBLISHED, old.status]})
    specification.status = Specification.Status.PUBLISHED
    specification.published_at = timezone.now()
    specification.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(actor=actor, action="update", target=specification, organisation=specification.organisation,
                 verb="micro-credential specification published",
                 changes={"status": [Specification.Status.DRAFT, specification.status]})
    return specification


@transaction.atomic
def specification_new_version(*, actor, specification: Specification) -> Specification:
    """A new draft copying the latest version of the lineage (published or superseded). While a draft of the
    lineage exists, that draft is the one to edit (code "draft_exists")."""
    specification = _locked(actor, specification)
    _require_member(actor, specification.organisation)
    versions = Specification.objects.select_for_update().filter(lineage=specification.lineage).order_by("-version")
    latest = versions.first()
    assert latest is not None
    if latest.status == Specification.Status.DRAFT:
        raise ApplicationError(_("Version %(n)d is still a draft: change that one.") % {"n": latest.version},
                               code="draft_exists")
    copy = Specification(organisation=latest.organisation, lineage=latest.lineage, version=latest.version + 1,
                         previous_version=latest, created_by=actor,
                         **{field: getattr(latest, field) for field in SPECIFICATION_FIELDS})
    _full_clean(copy)
    copy.save()
    from .stacking import composition_copy

    composition = composition_copy(source=latest, target=copy)
    changes: dict[str, list] = {"version": [latest.version, copy.version]}
    if composition is not None:  # stacking: the new version starts with the copied parts
        changes["composition"] = [None, list(composition.parts)]
    audit_record(actor=actor, action="create", target=copy, organisation=copy.organisation,
                 verb="micro-credential specification new version", changes=changes)
    return copy


@transaction.atomic
def specification_withdraw(*, actor, specification: Specification) -> Specification:
    """Take a published version out of the catalogue (issued credentials stay valid; no new awards)."""
    specification = _locked(actor, specification)
    require(actor, "microcredentials.publish_specification", specification.organisation, hide=False,
            message=_("Only members of the organisation may withdraw its micro-credentials."))
    if specification.status != Specification.Status.PUBLISHED:
        raise ApplicationError(_("Only a published micro-credential can be withdrawn."), code="not_published")
    specification.status = Specification.Status.WITHDRAWN
    specification.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="update", target=specification, organisation=specification.organisation,
                 verb="micro-credential specification withdrawn",
                 changes={"status": [Specification.Status.PUBLISHED, specification.status]})
    return specification


@transaction.atomic
def specification_delete(*, actor, specification: Specification) -> None:
    """Delete a draft (a published version is kept: withdraw it instead)."""
    specification = _locked(actor, specification)
    _require_member(actor, specification.organisation)
    if not specification.is_editable:
        raise ApplicationError(_("Only a draft can be deleted; withdraw a published micro-credential instead."),
                               code="immutable")
    audit_record(actor=actor, action="delete", target=specification, organisation=specification.organisation,
                 verb="micro-credential specification deleted", changes={"title": [specification.title, None]})
    specification.delete()


@transaction.atomic
def provider_profile_update(*, actor, organisation, data: dict[str, Any]) -> ProviderProfile:
    """The provider's published quality-assurance information and recognition policy (owners and admins)."""
    require(actor, "microcredentials.change_profile", organisation, visible="microcredentials.view_specification",
            message=_("Only the organisation's owners and admins may change its provider page."))
    profile, created = ProviderProfile.objects.select_for_update().get_or_create(organisation=organisation)
    clean = {key: data[key] for key in PROFILE_FIELDS if key in data}
    for key in ("quality_assurance", "recognition_policy"):
        if key in clean:
            clean[key] = (clean[key] or "").strip()
    try:
        changes = model_update(instance=profile, fields=list(clean), data=clean)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages), code="invalid") from error
    if changes or created:
        audit_record(actor=actor, action="create" if created else "update", target=profile,
                     organisation=organisation, verb="micro-credential provider page changed", changes=changes)
    return profile

