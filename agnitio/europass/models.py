"""Europass Mobility data (DOMAIN D3, D4; seeds 002, 003; ADR 0016).

A nosūtītājorganizācija (sending institution) is an `organisations.Organisation` (issuer keys, seals, members,
tenancy) with its mobility data in `Institution`. The Nacionālais Europass centrs (NEC) is an organisation named by
a `NationalCentre` row; its members act as NEC staff. An `Application` (procedure A, B or C) is approved by the NEC
(or is a Try Out, approved at once and deleted after 24 hours); approval makes one `MobilityDocument` per participant,
each with its own Europass number. A document is a learning agreement (before) or a mobility certificate (after);
which sections each kind has and requires is the one rule table in `sections.py`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField

from agnitio.core.models import BaseModel
from agnitio.core.validators import TEXT_MAX_LENGTH

from .choices import (
    ActivityType,
    ApplicationStatus,
    DocumentKind,
    DocumentLanguage,
    HostType,
    IssuingBody,
    OutcomeFramework,
    Procedure,
    Programme,
    StayMode,
    StayPurpose,
)

LANGUAGE_CHOICES = DocumentLanguage.choices


class NationalCentre(BaseModel):
    """The organisation that acts as a Nacionālais Europass centrs; its members are NEC staff."""

    organisation = models.OneToOneField("organisations.Organisation", on_delete=models.CASCADE,
                                        related_name="europass_national_centre", verbose_name=_("organisation"))
    country = CountryField(_("country"))
    display_name = models.CharField(_("name shown to applicants"), max_length=255)

    class Meta:
        verbose_name = _("Nacionālais Europass centrs")
        verbose_name_plural = _("Nacionālie Europass centri")
        constraints = [models.UniqueConstraint(fields=["country"], name="europass_one_nec_per_country")]

    def __str__(self) -> str:
        return self.display_name


class InstitutionRegistration(BaseModel):
    """A registration waiting for its confirmation link (valid 48 hours, can be sent again)."""

    name = models.CharField(_("institution name"), max_length=255)
    name_key = models.CharField(max_length=255, editable=False)  # normalised name: the duplicate check
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default=DocumentLanguage.LV)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("link valid until"))
    sent_count = models.PositiveSmallIntegerField(default=1)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    institution = models.ForeignKey("Institution", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("institution registration")
        verbose_name_plural = _("institution registrations")


class Institution(BaseModel):
    """A registered nosūtītājorganizācija: its base data appear as the sending institution on every document."""

    MULTILINE_TEXT_FIELDS = ("postal_address",)
    organisation = models.OneToOneField("organisations.Organisation", on_delete=models.CASCADE,
                                        related_name="europass_institution", verbose_name=_("organisation"))
    name_key = models.CharField(max_length=255, unique=True, editable=False)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    postal_address = models.TextField(_("postal address (for document folders)"), max_length=1000, blank=True)
    language = models.CharField(_("language of e-mails"), max_length=8, choices=LANGUAGE_CHOICES,
                                default=DocumentLanguage.LV)

    class Meta:
        verbose_name = _("sending institution")
        verbose_name_plural = _("sending institutions")

    def __str__(self) -> str:
        return str(self.organisation)


class InstitutionUser(BaseModel):
    """One of the (at most three) additional users of an institution, invited through the invitations app."""

    class Status(models.TextChoices):
        INVITED = "invited", _("invited")
        ACTIVE = "active", _("active")
        REMOVED = "removed", _("removed")

    MAX_ADDITIONAL = 3
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="additional_users")
    email = models.EmailField(_("e-mail"))
    full_name = models.CharField(_("name"), max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.INVITED)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("additional user")
        verbose_name_plural = _("additional users")


class Application(BaseModel):
    """A request for Europass mobility documents for a group (or a whole project period)."""

    MULTILINE_TEXT_FIELDS = ("description", "rejection_reason", "folders_address")
    institution = models.ForeignKey(Institution, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="applications", verbose_name=_("sending institution"))
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="europass_applications",
                                  verbose_name=_("individual applicant (procedure C)"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    language = models.CharField(_("language of e-mails"), max_length=8, choices=LANGUAGE_CHOICES,
                                default=DocumentLanguage.LV)
    conditions_accepted_at = models.DateTimeField(_("conditions accepted"))
    issuing_body = models.CharField(_("issuing body"), max_length=16, choices=IssuingBody.choices)
    national_centre = models.ForeignKey(NationalCentre, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="applications", verbose_name=_("Nacionālais Europass centrs"))
    procedure = models.CharField(_("procedure"), max_length=1, choices=Procedure.choices)
    programme = models.CharField(_("programme"), max_length=32, choices=Programme.choices, blank=True)
    programme_name = models.CharField(_("programme name (bilateral programme)"), max_length=200, blank=True)
    project_number = models.CharField(_("project number"), max_length=80, blank=True)
    document_number = models.CharField(_("document number"), max_length=80, blank=True)
    description = models.TextField(_("short description (keywords)"), max_length=2000, blank=True)
    criterion_written_agreement = models.BooleanField(_("written agreement on content, aims and duration"),
                                                      default=False)
    criterion_language_preparation = models.BooleanField(_("linguistic preparation"), default=False)
    criterion_mentor = models.BooleanField(_("mentor support abroad"), default=False)
    criterion_geographic_scope = models.BooleanField(_("geographic scope"), default=False)
    participants_count = models.PositiveIntegerField(_("number of participants"))
    start_date = models.DateField(_("start of the learning abroad"))
    end_date = models.DateField(_("end of the learning abroad"))
    folders_by_post = models.BooleanField(_("document folders by post"), default=False)
    folders_address = models.TextField(_("postal address for the folders"), max_length=1000, blank=True)
    folders_sent_at = models.DateTimeField(_("folders sent"), null=True, blank=True)
    folders_sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    rejection_reason = models.TextField(_("reason for rejection"), max_length=2000, blank=True)
    purge_at = models.DateTimeField(_("deleted at (Try Out)"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("Europass mobility application")
        verbose_name_plural = _("Europass mobility applications")
        constraints = [
            models.CheckConstraint(condition=Q(institution__isnull=False) | Q(applicant__isnull=False),
                                   name="europass_application_has_applicant"),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                   name="europass_application_dates"),
        ]
        indexes = [models.Index(fields=["status", "submitted_at", "id"], name="europass_app_queue")]

    def __str__(self) -> str:
        return f"{self.get_procedure_display()} {self.start_date}–{self.end_date}"

    @property
    def is_try_out(self) -> bool:
        return self.issuing_body == IssuingBody.TRY_OUT


class GroupLearningProgramme(BaseModel):
    """Seed 003 "Europass Learning programme for group mobility": the shared programme, described once and
    referenced by each participant's document."""

    MULTILINE_TEXT_FIELDS = ("description", "activities", "learning_outcomes")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="group_programmes")
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="group_programmes")
    title = models.CharField(_("title"), max_length=255)
    language = models.CharField(_("document language"), max_length=8, choices=LANGUAGE_CHOICES,
                                default=DocumentLanguage.EN)
    description = models.TextField(_("programme of the group mobility"), max_length=TEXT_MAX_LENGTH, blank=True)
    activities = models.TextField(_("shared activities and tasks"), max_length=TEXT_MAX_LENGTH, blank=True)
    learning_outcomes = models.TextField(_("shared learning outcomes"), max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("group learning programme")
        verbose_name_plural = _("group learning programmes")

    def __str__(self) -> str:
        return self.title


def _photo_upload_to(instance, filename: str) -> str:
    return f"europass/photos/{instance.public_id}.png"


class MobilityDocument(BaseModel):
    """One participant's Europass mobility document: a learning agreement or a mobility certificate.

    Its sections are fields of this row (and its learning outcomes); `sections.py` says which fields make each
    section and, per kind, whether the section is mandatory, optional or removed."""

    MULTILINE_TEXT_FIELDS = ("address", "participant_status", "activities_tasks", "mentoring", "evaluation",
                             "additional_terms", "contact_information", "host_address")
    # Whose it is: an institution's, or an individual applicant's (procedure C).
    institution = models.ForeignKey(Institution, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="documents", verbose_name=_("sending institution"))
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="europass_documents")
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="documents")
    kind = models.CharField(_("document"), max_length=16, choices=DocumentKind.choices,
                            default=DocumentKind.AGREEMENT)
    language = models.CharField(_("document language"), max_length=8, choices=LANGUAGE_CHOICES,
                                default=DocumentLanguage.EN)
    position = models.PositiveIntegerField(_("participant no."), default=1)
    europass_number = models.CharField(_("Europass number"), max_length=32, null=True, blank=True, unique=True,
                                       editable=False)
    mobility_id = models.CharField(_("mobility ID (Beneficiary Module)"), max_length=64, null=True, blank=True)
    # KA1 only: the project code the mobility ID belongs to, when given (checked against it on creation); a
    # document made under an application prints the application's project number instead.
    project_number = models.CharField(_("project number"), max_length=80, blank=True, editable=False)
    try_out = models.BooleanField(_("Europass Try Out"), default=False, editable=False)
    agreement = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="certificate",
                                     verbose_name=_("learning agreement this certificate was made from"))
    group_programme = models.ForeignKey(GroupLearningProgramme, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="documents", verbose_name=_("group learning programme"))
    # Personal data
    first_name = models.CharField(_("first name(s)"), max_length=200, blank=True)
    last_name = models.CharField(_("surname(s)"), max_length=200, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.TextField(_("address"), max_length=1000, blank=True)
    photo = models.ImageField(_("photo"), upload_to=_photo_upload_to, blank=True)
    # Host organisation (uzņēmējorganizācija)
    host_name = models.CharField(_("host organisation"), max_length=255, blank=True)
    host_type = models.CharField(_("type of organisation"), max_length=32, choices=HostType.choices, blank=True)
    host_type_other = models.CharField(_("type of organisation (other)"), max_length=200, blank=True)
    host_country = CountryField(_("country"), blank=True)
    host_address = models.TextField(_("address"), max_length=1000, blank=True)
    mentor_name = models.CharField(_("mentor's name"), max_length=200, blank=True)
    mentor_position = models.CharField(_("mentor's position"), max_length=200, blank=True)
    mentor_phone = PhoneNumberField(_("mentor's phone"), blank=True)
    mentor_email = models.EmailField(_("mentor's e-mail"), blank=True)
    # Project
    programme = models.CharField(_("programme"), max_length=200, blank=True)
    activity_type = models.CharField(_("activity type"), max_length=32, choices=ActivityType.choices, blank=True)
    activity_type_other = models.CharField(_("activity type (other)"), max_length=200, blank=True)
    stay_mode = models.CharField(_("stay"), max_length=16, choices=StayMode.choices, blank=True)
    purpose = models.CharField(_("purpose of the stay"), max_length=32, choices=StayPurpose.choices, blank=True)
    purpose_other = models.CharField(_("purpose of the stay (other)"), max_length=200, blank=True)
    start_date = models.DateField(_("start date (without travel days)"), null=True, blank=True)
    end_date = models.DateField(_("end date (without travel days)"), null=True, blank=True)
    participant_status = models.TextField(_("status at the sending organisation"), max_length=1000, blank=True)
    # The other sections
    activities_tasks = models.TextField(_("activities and tasks"), max_length=TEXT_MAX_LENGTH, blank=True)
    mentoring = models.TextField(_("mentoring and monitoring arrangements"), max_length=TEXT_MAX_LENGTH,
                                 blank=True)
    evaluation = models.TextField(_("evaluation and recognition"), max_length=TEXT_MAX_LENGTH, blank=True)
    additional_terms = models.TextField(_("additional terms"), max_length=TEXT_MAX_LENGTH, blank=True)
    contact_information = models.TextField(_("contact information"), max_length=TEXT_MAX_LENGTH, blank=True)
    # Signatures, as data: who signs (3 or 4 parties before; one — sending or host — after).
    signing_parties = models.JSONField(_("signing parties"), default=list, blank=True)

    class Meta:
        verbose_name = _("Europass mobility document")
        verbose_name_plural = _("Europass mobility documents")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(institution__isnull=False) | Q(applicant__isnull=False),
                                   name="europass_document_has_owner"),
            # a KA1 mobility has one agreement and one certificate, both numbered with its mobility ID
            models.UniqueConstraint(fields=["mobility_id", "kind"], condition=Q(mobility_id__isnull=False),
                                    name="europass_one_document_per_mobility_id_and_kind"),
        ]

    def __str__(self) -> str:
        return self.number or str(self.position)

    @property
    def number(self) -> str:
        """The number printed: the Europass number, or the Beneficiary Module mobility ID (KA1)."""
        return self.europass_number or self.mobility_id or ""

    @property
    def scope_procedure(self) -> str:
        """The procedure whose geographic scope holds for the host country: the application's, or A for a KA1
        (Erasmus+) document numbered with a mobility ID."""
        return self.application.procedure if self.application_id else Procedure.A

    def host_country_in_scope(self, country: str | None = None) -> bool:
        from .choices import COUNTRIES_BY_PROCEDURE

        country = (self.host_country if country is None else country) or ""
        return not country or str(country).upper() in COUNTRIES_BY_PROCEDURE[self.scope_procedure]

    @property
    def participant_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


class LearningOutcome(BaseModel):
    """One learning outcome (expected in an agreement, achieved in a certificate) with its framework."""

    MULTILINE_TEXT_FIELDS = ("text",)
    document = models.ForeignKey(MobilityDocument, on_delete=models.CASCADE, related_name="outcomes")
    position = models.PositiveIntegerField(default=1)
    framework = models.CharField(_("framework"), max_length=1, choices=OutcomeFramework.choices)
    framework_name = models.CharField(_("name of the other framework"), max_length=200, blank=True)
    text = models.TextField(_("learning outcome"), max_length=TEXT_MAX_LENGTH)
    esco_uris = models.JSONField(_("ESCO URIs"), default=list, blank=True)

    class Meta:
        verbose_name = _("learning outcome")
        verbose_name_plural = _("learning outcomes")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:80]


# --- access for the host and the participants; signatures (issue 12, points 8-10; services/access.py) ----------------

class DocumentAccess(BaseModel):
    """A personal access to one document, sent by the sending institution by e-mail (an invitation):

    * the host (uzņēmējorganizācija): mailed to the mentor's e-mail of the document; the host's account sees the
      document only while the document still names that e-mail and the account has it verified;
    * the participant: mailed to the participant's e-mail; may write their personal data and learning outcomes
      until `write_until` (inclusive) and not after the sender blocked it; reads afterwards."""

    class Role(models.TextChoices):
        HOST = "host", _("host organisation (uzņēmējorganizācija)")
        PARTICIPANT = "participant", _("participant")

    document = models.ForeignKey(MobilityDocument, on_delete=models.CASCADE, related_name="access_grants")
    role = models.CharField(_("access for"), max_length=16, choices=Role.choices)
    email = models.EmailField(_("e-mail"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="europass_document_access")
    accepted_at = models.DateTimeField(_("registered"), null=True, blank=True)
    write_until = models.DateField(_("may write until (inclusive)"), null=True, blank=True)
    blocked_at = models.DateTimeField(_("blocked"), null=True, blank=True)

    class Meta:
        verbose_name = _("access to a Europass document")
        verbose_name_plural = _("access to Europass documents")
        constraints = [models.UniqueConstraint(fields=["document", "role"], name="europass_one_access_per_role")]
        indexes = [models.Index(fields=["email", "role"], name="europass_access_email")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.document}"


def _host_signature_upload_to(instance, filename: str) -> str:
    return f"europass/host-signatures/{instance.public_id}/{filename}"


class HostSignature(BaseModel):
    """A host's own signature or stamp (the host is a person with an account, not an organisation here): uploaded,
    cropped, one of the variants chosen and activated — the same flow and image processing as an institution's
    (organisations.SignatureImage, `organisations.images.signature_variant`); `image` is the selected part (crop_*)
    in the chosen variant, empty until activated. The default is placed automatically on the host's documents."""

    class Kind(models.TextChoices):
        SIGNATURE = "signature", _("signature")
        STAMP = "stamp", _("stamp")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="europass_signatures")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.SIGNATURE)
    label = models.CharField(_("label"), max_length=200)
    original = models.ImageField(_("original image"), upload_to=_host_signature_upload_to)
    original_width = models.PositiveIntegerField(default=0)
    original_height = models.PositiveIntegerField(default=0)
    image = models.ImageField(_("processed image"), upload_to=_host_signature_upload_to, blank=True)
    crop_x = models.PositiveIntegerField(null=True, blank=True)
    crop_y = models.PositiveIntegerField(null=True, blank=True)
    crop_width = models.PositiveIntegerField(null=True, blank=True)
    crop_height = models.PositiveIntegerField(null=True, blank=True)
    variant = models.CharField(_("variant"), max_length=16, blank=True)
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        verbose_name = _("host signature or stamp")
        verbose_name_plural = _("host signatures and stamps")
        ordering = ["kind", "-is_default", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "kind"], condition=Q(is_default=True),
                                               name="europass_one_default_host_signature")]

    def __str__(self) -> str:
        return self.label

    @property
    def crop_box(self) -> tuple[int, int, int, int] | None:
        """The selected part (x, y, width, height in the original's pixels), None before one is selected."""
        x, y, w, h = self.crop_x, self.crop_y, self.crop_width, self.crop_height
        if x is None or y is None or w is None or h is None:
            return None
        return (x, y, w, h)


class DocumentSignatureChoice(BaseModel):
    """Which stored signature/stamp a document carries, chosen per document; an empty choice means the default of
    the sending institution (its organisation's) or of the host, placed automatically."""

    document = models.OneToOneField(MobilityDocument, on_delete=models.CASCADE, related_name="signature_choice")
    sending_signature = models.ForeignKey("organisations.SignatureImage", null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+")
    sending_stamp = models.ForeignKey("organisations.SignatureImage", null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    host_signature = models.ForeignKey(HostSignature, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    host_stamp = models.ForeignKey(HostSignature, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("signatures chosen for a document")
        verbose_name_plural = _("signatures chosen for documents")
