"""Controlled lists of the Europass mobility database (DOMAIN D3, D4; seeds 002 and 003).

Every list that allows free text pairs a choice field with a `*_other` text field: the choice "other" (or an empty
choice) lets the free text stand instead."""

from django.db import models
from django.utils.translation import gettext_lazy as _

OTHER = "other"


class IssuingBody(models.TextChoices):
    NEC = "nec", _("Nacionālais Europass centrs (NEC)")
    TRY_OUT = "try_out", _("Europass Try Out")


class Procedure(models.TextChoices):
    A = "A", _("A procedure: Erasmus+, Nordplus or a bilateral programme")
    B = "B", _("B procedure: outside those programmes")
    C = "C", _("C procedure: individual applicant within a programme")


class Programme(models.TextChoices):
    """Programmes of procedures A and C (seed 002: Erasmus+, Nordplus, certain bilateral programmes)."""

    ERASMUS_PLUS = "erasmus_plus", _("Erasmus+")
    NORDPLUS = "nordplus", _("Nordplus")
    BILATERAL = "bilateral", _("Bilateral programme")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("waiting for approval")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class DocumentKind(models.TextChoices):
    """D4: the same form before (agreement) and after (certificate) the mobility."""

    AGREEMENT = "agreement", _("Europass Learning Agreement")
    CERTIFICATE = "certificate", _("Europass Mobility certificate")


class DocumentLanguage(models.TextChoices):
    """The document's own language (never the interface language)."""

    LV = "lv", _("Latvian")
    EN = "en", _("English")


class ActivityType(models.TextChoices):
    """Activity types (mandatory on every document; seed 003 gives the ErasmusPro example). 'other' = free text."""

    SCH_LEARNERS_SHORT = "sch_learners_short", _("Erasmus+ Short-term learning mobility SCH learners")
    SCH_LEARNERS_LONG = "sch_learners_long", _("Erasmus+ Long-term learning mobility SCH learners")
    VET_LEARNERS_SHORT = "vet_learners_short", _("Erasmus+ Short-term learning mobility VET learners")
    VET_ERASMUSPRO = "vet_erasmuspro", _("Erasmus+ Long-term learning mobility VET learners (ErasmusPro)")
    ADU_LEARNERS = "adu_learners", _("Erasmus+ Learning mobility of adult learners")
    STAFF_JOB_SHADOWING = "staff_job_shadowing", _("Erasmus+ Staff mobility: job shadowing")
    STAFF_TEACHING = "staff_teaching", _("Erasmus+ Staff mobility: teaching or training assignment")
    STAFF_COURSE = "staff_course", _("Erasmus+ Staff mobility: course or training")
    GROUP_MOBILITY = "group_mobility", _("Erasmus+ Group mobility of school pupils")
    NORDPLUS_MOBILITY = "nordplus_mobility", _("Nordplus mobility")
    SCHOOL_EXCHANGE = "school_exchange", _("School partnership exchange visit")
    TRAINEESHIP = "traineeship", _("Traineeship (stažēšanās)")
    OTHER = OTHER, _("Other (describe)")


class StayMode(models.TextChoices):
    PHYSICAL = "physical", _("physical stay")
    VIRTUAL = "virtual", _("virtual stay")


class StayPurpose(models.TextChoices):
    STUDY = "study", _("Study")
    WORK_PLACEMENT = "work_placement", _("Work placement")
    TRAINING = "training", _("Training")
    TEACHING = "teaching", _("Teaching")
    JOB_SHADOWING = "job_shadowing", _("Job shadowing")
    EXCHANGE = "exchange", _("Exchange of experience")
    VOLUNTEERING = "volunteering", _("Volunteering")
    OTHER = OTHER, _("Other (describe)")


class HostType(models.TextChoices):
    SCHOOL = "school", _("School")
    VET_PROVIDER = "vet_provider", _("Vocational education and training provider")
    HIGHER_EDUCATION = "higher_education", _("Higher education institution")
    ADULT_EDUCATION = "adult_education", _("Adult education provider")
    COMPANY = "company", _("Company")
    PUBLIC_BODY = "public_body", _("Public body")
    NGO = "ngo", _("Non-governmental organisation")
    OTHER = OTHER, _("Other")


class OutcomeFramework(models.TextChoices):
    """Seed 003: A key competences, B ESCO, C another framework; may be combined."""

    KEY_COMPETENCES = "A", _("A: European key competences for lifelong learning")
    ESCO = "B", _("B: ESCO (European Skills, Competences, Qualifications and Occupations)")
    OTHER = "C", _("C: another competence framework")


class SigningParty(models.TextChoices):
    PARTICIPANT = "participant", _("participant")
    SENDING = "sending", _("nosūtītājorganizācija (sending organisation)")
    HOST = "host", _("uzņēmējorganizācija (host organisation)")
    LEGAL_REPRESENTATIVE = "legal_representative", _("likumīgais pārstāvis (legal representative)")


# D3: procedure A (and C, "as for A"): the EU, Norway, Iceland, Liechtenstein, Türkiye, North Macedonia, Serbia (33);
# procedure B: the EU and the EEA (30). ISO 3166-1 alpha-2 codes.
EU_COUNTRIES = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT",
    "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
})
EEA_NON_EU = frozenset({"NO", "IS", "LI"})
PROGRAMME_ONLY = frozenset({"TR", "MK", "RS"})
COUNTRIES_BY_PROCEDURE: dict[str, frozenset[str]] = {
    Procedure.A: EU_COUNTRIES | EEA_NON_EU | PROGRAMME_ONLY,
    Procedure.B: EU_COUNTRIES | EEA_NON_EU,
    Procedure.C: EU_COUNTRIES | EEA_NON_EU | PROGRAMME_ONLY,
}
assert len(COUNTRIES_BY_PROCEDURE[Procedure.A]) == 33 and len(COUNTRIES_BY_PROCEDURE[Procedure.B]) == 30  # noqa: S101
