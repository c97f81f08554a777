"""Micro-credential data (DOMAIN D5, seed 004 Annex I). Every row carries its organisation (tenancy); URLs use
public_id. A specification's content never changes once published: a change is a new version in the same lineage,
and each award points at the version it was issued for."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agnitio.core.ids import new_public_id
from agnitio.core.models import BaseModel, SpreadsheetImport
from agnitio.core.validators import TEXT_MAX_LENGTH

from .choices import ISCED_F_CHOICES


class ProviderProfile(BaseModel):
    """What a provider publishes about itself on its catalogue page: its quality assurance and its policy for
    recognising micro-credentials from other providers (Annex II, principles 1 and 6)."""

    organisation = models.OneToOneField("organisations.Organisation", on_delete=models.CASCADE,
                                        related_name="microcredential_profile", verbose_name=_("organisation"))
    quality_assurance = models.TextField(_("quality assurance"), blank=True, max_length=TEXT_MAX_LENGTH)
    recognition_policy = models.TextField(_("recognition policy for micro-credentials from other providers"),
                                          blank=True, max_length=TEXT_MAX_LENGTH)
    listed = models.BooleanField(_("show the provider's page in the public catalogue"), default=True)

    class Meta:
        verbose_name = _("micro-credential provider")
        verbose_name_plural = _("micro-credential providers")

    def __str__(self) -> str:
        return str(self.organisation_id)


class Specification(BaseModel):
    """One version of a micro-credential as its provider describes it with the Annex I standard elements (the
    learner's identification and the date of issue belong to each award)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        SUPERSEDED = "superseded", _("replaced by a newer version")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Participation(models.TextChoices):
        ONLINE = "online", _("online")
        ONSITE = "onsite", _("onsite")
        BLENDED = "blended", _("blended")

    class Assessment(models.TextChoices):
        WRITTEN_EXAM = "written_exam", _("written examination")
        ORAL_EXAM = "oral_exam", _("oral examination")
        PRACTICAL = "practical", _("practical demonstration")
        PROJECT = "project", _("project or portfolio")
        CONTINUOUS = "continuous", _("continuous assessment")
        ONLINE_TEST = "online_test", _("online test")
        OTHER = "other", _("other (described)")

    class QualityAssurance(models.TextChoices):
        INTERNAL = "internal", _("internal quality assurance")
        EXTERNAL = "external", _("external quality assurance (accreditation)")
        BOTH = "internal_external", _("internal and external quality assurance")

    class QfEheaCycle(models.TextChoices):
        SHORT = "short", _("short cycle")
        FIRST = "first", _("first cycle")
        SECOND = "second", _("second cycle")
        THIRD = "third", _("third cycle")

    class Supervision(models.TextChoices):
        # the four options of Annex I (frameworks data: supervision_and_identity_verification)
        UNSUPERVISED_NO_ID = "unsupervised_no_id", _("Unsupervised with no identity verification")
        SUPERVISED_NO_ID = "supervised_no_id", _("Supervised with no identity verification")
        SUPERVISED_ONLINE_ID = "supervised_online_id", _("Supervised online with identity verification")
        SUPERVISED_ONSITE_ID = "supervised_onsite_id", _("Supervised onsite with identity verification")

    class Grading(models.TextChoices):
        PASS_FAIL = "pass_fail", _("pass or fail")
        NUMERIC = "numeric", _("numeric grade")
        LETTER = "letter", _("letter grade")
        OTHER = "other", _("other (described)")

    class Stackability(models.TextChoices):
        STANDALONE = "standalone", _("stand-alone micro-credential")
        STACKABLE = "stackable", _("integrated or stackable towards another credential")


    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE,
                                     related_name="microcredential_specifications", verbose_name=_("provider"))
    lineage = models.CharField(_("lineage"), max_length=32, default=new_public_id, db_index=True, editable=False,
                               help_text=_("Shared by every version of the same micro-credential."))
    version = models.PositiveIntegerField(_("version"), default=1)
    previous_version = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                            related_name="next_version", verbose_name=_("previous version"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    # Annex I, mandatory
    title = models.CharField(_("title of the micro-credential"), max_length=255)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX_LENGTH)
    languages = models.JSONField(_("languages of instruction"), default=list, blank=True)
    issuer_countries = models.JSONField(_("country(ies) of the issuer"), default=list, blank=True)
    issuer_regions = models.CharField(_("region(s) of the issuer"), max_length=255, blank=True)
    # further awarding bodies beside the provider: [{"name", "legal_identifier", "country"}]
    co_awarding_bodies = models.JSONField(_("other awarding bodies"), default=list, blank=True)
    isced_field = models.CharField(_("field of education (ISCED-F)"), max_length=4, choices=ISCED_F_CHOICES,
                                   blank=True)
    learning_outcomes = models.TextField(_("learning outcomes"), blank=True, max_length=TEXT_MAX_LENGTH,
                                         help_text=_("One learning outcome per line."))
    esco_skills = models.JSONField(_("ESCO skills"), default=list, blank=True)  # [{"uri", "label"}]
    credits_ects = models.DecimalField(_("ECTS credits"), max_digits=5, decimal_places=1, null=True, blank=True)
    workload_hours = models.PositiveIntegerField(_("notional workload (hours)"), null=True, blank=True)
    eqf_level = models.PositiveSmallIntegerField(_("EQF level"), null=True, blank=True)
    qf_ehea_cycle = models.CharField(_("QF-EHEA cycle"), max_length=8, choices=QfEheaCycle.choices, blank=True)
    national_level = models.CharField(_("national qualifications framework level"), max_length=100, blank=True)
    level_not_applicable = models.BooleanField(_("no level applies"), default=False)
    assessment_type = models.CharField(_("type of assessment"), max_length=16, choices=Assessment.choices,
                                       blank=True)
    assessment_description = models.TextField(_("assessment: description"), blank=True, max_length=TEXT_MAX_LENGTH)
    participation = models.CharField(_("form of participation"), max_length=8, choices=Participation.choices,
                                     blank=True)
    quality_assurance_type = models.CharField(_("type of quality assurance"), max_length=20,
                                              choices=QualityAssurance.choices, blank=True)
    quality_assurance_description = models.TextField(_("quality assurance: description"), blank=True,
                                                     max_length=TEXT_MAX_LENGTH)
    # Annex I, optional
    prerequisites = models.TextField(_("prerequisites"), blank=True, max_length=TEXT_MAX_LENGTH)
    supervision = models.CharField(_("supervision and identity verification during assessment"), max_length=24,
                                   choices=Supervision.choices, blank=True)
    grading_scheme = models.CharField(_("grading scheme"), max_length=12, choices=Grading.choices, blank=True)
    grading_description = models.TextField(_("grading scheme: description"), blank=True, max_length=TEXT_MAX_LENGTH)
    stackability = models.CharField(_("integration or stackability"), max_length=12,
                                    choices=Stackability.choices, blank=True)
    stackability_description = models.TextField(_("integration or stackability: description"), blank=True,
                                                max_length=TEXT_MAX_LENGTH)
    further_information = models.TextField(_("further information"), blank=True, max_length=TEXT_MAX_LENGTH)
    further_information_url = models.URLField(_("further information: web page"), blank=True, max_length=500)
    validity_months = models.PositiveSmallIntegerField(_("valid for (months)"), null=True, blank=True,
                                                       help_text=_("Empty: does not expire."))
    renewal = models.TextField(_("renewal"), blank=True, max_length=TEXT_MAX_LENGTH,
                               help_text=_("How a holder renews the micro-credential before it expires."))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("micro-credential specification")
        verbose_name_plural = _("micro-credential specifications")
        constraints = [
            models.UniqueConstraint(fields=["lineage", "version"], name="uniq_mc_specification_version"),
            models.CheckConstraint(condition=models.Q(eqf_level__isnull=True) | models.Q(eqf_level__gte=1,
                                                                                        eqf_level__lte=8),
                                   name="mc_specification_eqf_1_8"),
        ]
        indexes = [models.Index(fields=["status", "-published_at", "-id"], name="mc_spec_catalogue_idx"),
                   models.Index(fields=["organisation", "status", "-published_at", "-id"],
                                name="mc_spec_provider_idx")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def outcome_lines(self) -> list[str]:
        return [line.strip() for line in (self.learning_outcomes or "").splitlines() if line.strip()]


class AwardImport(SpreadsheetImport):
    """An uploaded spreadsheet of learners for one specification, waiting for its column mapping and preview;
    nothing is saved until commit. After a partial import the rows with problems stay in `rejected_rows`."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    specification = models.ForeignKey(Specification, on_delete=models.CASCADE, related_name="imports")
    file = models.FileField(upload_to="microcredentials/imports/")
    languages = models.CharField(max_length=8, default="lv+en")


class Award(BaseModel):
    """A micro-credential awarded to one learner for one specification version: the learner's identification and
    the date of issue (Annex I), the grade and assessment, and the issued credential once the trust layer made it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be issued")
        ISSUED = "issued", _("issued")
        FAILED = "failed", _("could not be issued")

    class Basis(models.TextChoices):
        LEARNING = "learning", _("completed learning experience")
        PRIOR_LEARNING = "prior_learning", _("validation of non-formal or informal learning")

    class DocumentLanguage(models.TextChoices):
        LV = "lv", _("Latvian")
        EN = "en", _("English")
        BOTH = "lv+en", _("Latvian and English")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    specification = models.ForeignKey(Specification, on_delete=models.PROTECT, related_name="awards",
                                      verbose_name=_("micro-credential"))
    # Learner identification (personal data: never on public pages)
    learner_name = models.CharField(_("learner's name"), max_length=200)
    learner_email = models.EmailField(_("learner's e-mail"))
    learner_date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    learner_national_id = models.CharField(_("national identifier"), max_length=64, blank=True)
    basis = models.CharField(_("awarded for"), max_length=16, choices=Basis.choices, default=Basis.LEARNING)
    grade = models.CharField(_("grade achieved"), max_length=100, blank=True)
    assessed_on = models.DateField(_("date of assessment"), null=True, blank=True)
    issued_on = models.DateField(_("date of issue"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    languages = models.CharField(_("document language"), max_length=8, choices=DocumentLanguage.choices,
                                 default=DocumentLanguage.BOTH)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    failure = models.CharField(_("why it could not be issued"), max_length=500, blank=True)
    credential = models.ForeignKey("credentials.IssuedCredential", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("issued credential"))
    renews = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="renewals",
                               verbose_name=_("renews"))
    award_import = models.ForeignKey(AwardImport, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="awards")
    job_id = models.CharField(_("bulk job"), max_length=32, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("awarded micro-credential")
        verbose_name_plural = _("awarded micro-credentials")
        indexes = [models.Index(fields=["specification", "-created_at", "-id"], name="mc_award_spec_idx"),
                   models.Index(fields=["organisation", "-created_at", "-id"], name="mc_award_org_idx")]

    def __str__(self) -> str:
        return f"{self.learner_name}: {self.specification_id}"


class Evidence(BaseModel):
    """A file or a link attached to an award as evidence of the assessment. Files are private (served only after
    a permission check)."""

    class Kind(models.TextChoices):
        FILE = "file", _("file")
        LINK = "link", _("link")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    url = models.URLField(_("link"), blank=True, max_length=1000)
    file = models.FileField(_("file"), upload_to="microcredentials/evidence/", blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.title


class PriorLearningAssessment(BaseModel):
    """Validation of prior learning (Annex II, principle on assessment): the assessment of non-formal or informal
    learning a micro-credential was awarded from — how, when, by whom and against what. Kept with the award and
    carried into the credential (the achievement's `prior_learning`, the EDC assessment's note)."""

    class Context(models.TextChoices):
        NON_FORMAL = "non_formal", _("non-formal learning")
        INFORMAL = "informal", _("informal learning")

    class Method(models.TextChoices):
        PORTFOLIO = "portfolio", _("portfolio review")
        INTERVIEW = "interview", _("interview")
        DEMONSTRATION = "demonstration", _("practical demonstration")
        TEST = "test", _("test or examination")
        OTHER = "other", _("other (described)")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    award = models.OneToOneField(Award, on_delete=models.CASCADE, related_name="prior_learning",
                                 verbose_name=_("awarded micro-credential"))
    learning_context = models.CharField(_("learning validated"), max_length=12, choices=Context.choices)
    method = models.CharField(_("assessment method"), max_length=16, choices=Method.choices)
    assessed_on = models.DateField(_("date of assessment"))
    assessor = models.CharField(_("assessor (name and role)"), max_length=200)
    criteria = models.TextField(_("assessment criteria"), max_length=2000)
    result = models.TextField(_("result of the assessment"), max_length=2000)

    class Meta:
        verbose_name = _("assessment of prior learning")
        verbose_name_plural = _("assessments of prior learning")

    def __str__(self) -> str:
        return f"{self.award_id}: {self.method}"


class Feedback(BaseModel):
    """A learner's rating (1–5) and comment on the learning experience behind one award (Annex II, principles 1
    and 8): one per award, editable by the learner for FEEDBACK_EDIT_DAYS after it was first given. The learner's
    name is shown to the provider only when `show_name` is set; the public catalogue shows only aggregates."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    specification = models.ForeignKey(Specification, on_delete=models.CASCADE, related_name="feedback")
    award = models.OneToOneField(Award, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    rating = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    show_name = models.BooleanField(_("show my name to the provider with my comment"), default=False)
    editable_until = models.DateTimeField(_("can be changed until"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("learner feedback")
        verbose_name_plural = _("learner feedback")
        constraints = [models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5),
                                              name="mc_feedback_rating_1_5")]
        indexes = [models.Index(fields=["specification", "-created_at", "-id"], name="mc_feedback_spec_idx")]

    def __str__(self) -> str:
        return f"{self.award_id}: {self.rating}"


class Composition(BaseModel):
    """Stacking: one version of a micro-credential is made of others of the same provider — all of them, or at
    least `required` of them — optionally earned in the listed order. Each version has its own (a new version
    starts with a copy), changed only while that version is a draft: a published version's composition never
    changes."""

    class Rule(models.TextChoices):
        ALL = "all", _("all of the parts")
        AT_LEAST = "at_least", _("at least a number of the parts")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    specification = models.OneToOneField(Specification, on_delete=models.CASCADE, related_name="composition",
                                         verbose_name=_("combined micro-credential"))
    lineage = models.CharField(_("lineage of the combined micro-credential"), max_length=32, db_index=True)
    rule = models.CharField(_("rule"), max_length=10, choices=Rule.choices, default=Rule.ALL)
    required = models.PositiveSmallIntegerField(_("number of parts required"), default=0)
    ordered = models.BooleanField(_("the parts must be earned in the listed order"), default=False)
    # [lineage of each part, in order]; parts are specifications of the same provider, counted in any version
    parts = models.JSONField(_("parts"), default=list)

    class Meta:
        verbose_name = _("composition of a micro-credential")
        verbose_name_plural = _("compositions of micro-credentials")

    def __str__(self) -> str:
        return self.lineage

    @property
    def needed(self) -> int:
        return len(self.parts) if self.rule == self.Rule.ALL else self.required


class StackedPart(BaseModel):
    """A part that counted towards a combined award: an award of this provider, or a recognised micro-credential
    of another provider (`recognition`, decided "recognised" and mapped to one of the parts). The combined
    credential references it; an award part shows what it counts towards."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    combined = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="stacked_parts")
    part = models.ForeignKey(Award, null=True, blank=True, on_delete=models.PROTECT, related_name="counts_towards")
    recognition = models.ForeignKey("RecognitionRequest", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="counts_towards")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["combined", "part"], name="uniq_mc_stacked_part"),
                       models.UniqueConstraint(fields=["combined", "recognition"],
                                               name="uniq_mc_stacked_recognition"),
                       models.CheckConstraint(condition=(models.Q(part__isnull=False, recognition__isnull=True)
                                                         | models.Q(part__isnull=True, recognition__isnull=False)),
                                              name="mc_stacked_part_one_source")]

    def __str__(self) -> str:
        return f"{self.part_id} → {self.combined_id}"


class RecognitionRequest(BaseModel):
    """A learner asks a provider to recognise a micro-credential from another provider (Annex II, principle on
    recognition), under the provider's published recognition policy. The platform records what it could check
    (a signed credential: signature, status, issuer; a PDF: our seal and our record; an EDC file: only its
    structure — an unsigned EDC proves nothing about who issued it); the provider decides, with a reason. Only the
    learner and the provider's members see it."""

    class Kind(models.TextChoices):
        VC = "vc", _("signed credential (JSON)")
        EDC = "edc", _("European Digital Credential file (JSON-LD, unsigned)")
        PDF = "pdf", _("PDF sealed by this platform")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("waiting for the provider's decision")
        RECOGNISED = "recognised", _("recognised")
        PARTLY = "partly", _("partly recognised")
        REFUSED = "refused", _("refused")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("receiving provider"))
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    document = models.JSONField(_("submitted document"), default=dict, blank=True)
    title = models.CharField(_("micro-credential"), max_length=500, blank=True)
    issuer_name = models.CharField(_("issuer (as the document says)"), max_length=500, blank=True)
    issuer_id = models.CharField(_("issuer identifier"), max_length=500, blank=True)
    verified = models.BooleanField(_("authenticity verified"), default=False)
    checks = models.JSONField(_("what was checked"), default=list, blank=True)  # [{"ok": bool, "text": str}]
    learner_note = models.TextField(_("learner's note"), blank=True, max_length=1000)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED,
                              db_index=True)
    decision_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    # The external credential's own identifier (a signed credential's id, our document number for a sealed PDF) and,
    # when the platform knows it, its verification address: the combined credential references them.
    reference = models.CharField(_("credential identifier"), max_length=500, blank=True)
    verification_url = models.URLField(_("verification address"), max_length=500, blank=True)
    issuer_country = models.CharField(_("issuer's country"), max_length=2, blank=True)  # ISO alpha-2, when known
    # Recognised as holding one of the provider's own published micro-credentials (stacking, services.stacking);
    # set only with the decision "recognised".
    counts_as = models.ForeignKey(Specification, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("counts as"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("recognition request")
        verbose_name_plural = _("recognition requests")
        indexes = [models.Index(fields=["organisation", "-created_at", "-id"], name="mc_recognition_org_idx"),
                   models.Index(fields=["learner", "-created_at", "-id"], name="mc_recognition_learner_idx")]

    def __str__(self) -> str:
        return self.title or self.public_id

    @property
    def checks_shown(self) -> list[dict]:
        """What was checked, in the reader's language (texts kept as catalogue messages are translated now)."""
        from agnitio.core.problems import problem_text

        return [{"ok": bool(c.get("ok")), "text": problem_text(c.get("text"))}
                for c in (self.checks or []) if isinstance(c, dict)]

