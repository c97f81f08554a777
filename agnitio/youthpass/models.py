"""Youthpass data (DOMAIN D1, D2). Every row carries its organisation (tenancy); URLs use public_id."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from agnitio.core.models import BaseModel, SpreadsheetImport
from agnitio.core.storage import public_storage
from agnitio.core.validators import TEXT_MAX_LENGTH

from .choices import ActivityType, Programme, ProjectType, participant_role_label

GOAL_MAX_LENGTH = 2_000  # one learning goal (a few sentences)


class CertificateLanguage(models.TextChoices):
    LV = "lv", _("Latvian")
    EN = "en", _("English")
    BOTH = "lv+en", _("Latvian and English")


class Project(BaseModel):
    """A funded project. The grant agreement number comes first; until titled, the project shows as its number."""

    _visible_to: int  # set by selectors.project_get on the instance it read for that user (never stored)

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE,
                                     related_name="youthpass_projects", verbose_name=_("organisation"))
    grant_number = models.CharField(_("grant agreement number"), max_length=40)
    programme = models.CharField(_("programme"), max_length=32, choices=Programme.choices)
    project_type = models.CharField(_("project type"), max_length=32, choices=ProjectType.choices)
    title = models.CharField(_("title"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX_LENGTH)
    aims = models.TextField(_("aims"), blank=True, max_length=TEXT_MAX_LENGTH)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    logo = models.ImageField(_("project logo"), upload_to="youthpass/logos/", blank=True, storage=public_storage)
    yans_opt_in = models.BooleanField(
        _("send reminders through the project (YANS)"), default=False,
        help_text=_("A planned series of e-mails to participants: before the start, during, at the end and after."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    # Reminders to the organiser side (notices on the project page and e-mails to its admins and editors).
    remind_before_start = models.BooleanField(
        _("before the start: add participants and invite them"), default=True)
    remind_at_end = models.BooleanField(_("at the end: learning outcomes still missing"), default=True)
    remind_after_end = models.BooleanField(_("after the end: finalise and issue the certificates"), default=True)
    # Finalisation (D1 step 5)
    signing_place = models.CharField(_("place of signing"), max_length=200, blank=True)
    signing_date = models.DateField(_("date of signing"), null=True, blank=True)
    certificate_language = models.CharField(_("certificate language"), max_length=8,
                                            choices=CertificateLanguage.choices, default=CertificateLanguage.EN)
    signatory_page1 = models.ForeignKey(
        "organisations.Signatory", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("signatory of page 1 (legal representative)"))
    signatory_part2 = models.ForeignKey(
        "organisations.Signatory", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("signatory of part 2 (person responsible for the project)"))
    extra_signatory_name = models.CharField(_("additional official signatory: name"), max_length=200, blank=True)
    extra_signatory_position = models.CharField(_("additional official signatory: position"), max_length=200,
                                                blank=True)
    finalised_at = models.DateTimeField(_("finalised"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Youthpass project")
        verbose_name_plural = _("Youthpass projects")
        constraints = [models.UniqueConstraint(fields=["organisation", "grant_number"],
                                               name="uniq_youthpass_grant_number")]

    def __str__(self) -> str:
        return self.title or self.grant_number

    @property
    def display_name(self) -> str:
        return self.title or self.grant_number


class ProjectPartner(BaseModel):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("partner organisation"), max_length=255)
    country = CountryField(_("country"))

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self) -> str:
        return f"{self.name} ({self.country.code})"


class ProjectEditor(BaseModel):
    """A person invited to view and edit one project. Only a hash of the invitation token is stored."""

    class Status(models.TextChoices):
        PENDING = "pending", _("invited")
        ACTIVE = "active", _("active")
        REVOKED = "revoked", _("revoked")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="editors")
    email = models.EmailField(_("e-mail"))
    full_name = models.CharField(_("name"), max_length=200)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="lv")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="youthpass_editor_roles")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    # The e-mailed link is an `invitations.Invitation` targeting this row; deleting the row deletes it.
    invitations = GenericRelation("invitations.Invitation", content_type_field="target_type",
                                  object_id_field="target_id")
    _token: str  # the plain token, set on the instance the inviting service returns (tests, API); never stored
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = _("project editor")
        verbose_name_plural = _("project editors")
        constraints = [models.UniqueConstraint(fields=["project", "email"], name="uniq_youthpass_project_editor")]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"


class Activity(BaseModel):
    class Format(models.TextChoices):
        ONSITE = "onsite", _("on site")
        ONLINE = "online", _("online")
        BLENDED = "blended", _("on site and online")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="activities")
    activity_type = models.CharField(_("type of activity"), max_length=40, choices=ActivityType.choices)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX_LENGTH)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    format = models.CharField(_("format"), max_length=16, choices=Format.choices, default=Format.ONSITE)
    venue_city = models.CharField(_("city"), max_length=200, blank=True)
    venue_country = CountryField(_("country"), blank=True)
    methods = models.TextField(_("methods used"), blank=True, max_length=TEXT_MAX_LENGTH)
    results = models.TextField(_("results"), blank=True, max_length=TEXT_MAX_LENGTH)

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.title


class Participant(BaseModel):
    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("participant")
        TEAM_MEMBER = "team_member", _("team member")

    class Status(models.TextChoices):
        NOT_INVITED = "not_invited", _("not invited")
        INVITED = "invited", _("invited")
        DATA_COMPLETED = "data_completed", _("data completed")
        OUTCOMES_SUBMITTED = "outcomes_submitted", _("learning outcomes submitted")
        CERTIFICATE_ISSUED = "certificate_issued", _("certificate issued")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participants")
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    country = CountryField(_("country"), blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    place_of_birth = models.CharField(_("place of birth"), max_length=200, blank=True)
    language = models.CharField(_("language for e-mails"), max_length=8, choices=settings.LANGUAGES, default="lv")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.PARTICIPANT)
    activities = models.ManyToManyField(Activity, related_name="participants", blank=True,
                                        verbose_name=_("activities"))
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.NOT_INVITED,
                              db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="youthpass_participations")
    # The participant's and the supervisor's e-mailed links are `invitations.Invitation` rows targeting this row
    # (each bound to the address it was mailed to); deleting the row deletes them.
    invitations = GenericRelation("invitations.Invitation", content_type_field="target_type",
                                  object_id_field="target_id")
    _token: str  # the plain invitation token, set on the instance the inviting service returns; never stored
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    data_confirmed_at = models.DateTimeField(_("personal data confirmed"), null=True, blank=True)
    outcomes_submitted_at = models.DateTimeField(_("learning outcomes submitted"), null=True, blank=True)
    # D2: the supervisor's / mentor's separate assessment, and who supported the learning (may sign part 3).
    supervisor_name = models.CharField(_("supervisor or mentor: name"), max_length=200, blank=True)
    supervisor_position = models.CharField(_("supervisor or mentor: position"), max_length=200, blank=True)
    supervisor_assessment = models.TextField(_("supervisor's assessment"), blank=True, max_length=TEXT_MAX_LENGTH)
    supervisor_email = models.EmailField(_("supervisor or mentor: e-mail"), blank=True)
    _supervisor_token: str  # the plain token, set on the instance supervisor_invite returns; never stored
    supervisor_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name=_("supervisor's account"))
    dialogue_partner_name = models.CharField(_("person who supported the learning (signs part 3)"),
                                             max_length=200, blank=True)
    dialogue_partner_position = models.CharField(_("their position"), max_length=200, blank=True)
    certificate = models.ForeignKey("credentials.IssuedCredential", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("current certificate"))

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [models.Index(fields=["project", "last_name", "first_name"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def outcomes_locked(self) -> bool:
        return self.outcomes_submitted_at is not None

    @property
    def role_label(self) -> str:
        """The role as the project type names it (a trainee or employee in ESC jobs and traineeships, D2); reads
        the person's activities (prefetched or one query)."""
        return participant_role_label(self.role, self.get_role_display(), self.project.project_type,
                                      [a.activity_type for a in self.activities.all()])

    @classmethod
    def role_choices(cls, project_type: str) -> list[tuple[str, str]]:
        """The roles to choose from in a project of the type, labelled as it names them."""
        return [(value, participant_role_label(value, label, project_type)) for value, label in cls.Role.choices]


class LearningOutcome(BaseModel):
    """What a learner wrote for one competence (or a free section) in one language. Saved as a draft until the
    participant submits; any subset of competences, at most TEXT_MAX_LENGTH characters each."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="outcomes")
    framework_id = models.CharField(_("framework"), max_length=64)
    competence_id = models.CharField(_("competence"), max_length=64, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    text = models.TextField(_("text"), blank=True, max_length=TEXT_MAX_LENGTH)

    class Meta:
        ordering = ["id"]
        verbose_name = _("learning outcome")
        verbose_name_plural = _("learning outcomes")
        constraints = [models.UniqueConstraint(fields=["participant", "framework_id", "competence_id", "language"],
                                               name="uniq_youthpass_outcome")]

    def __str__(self) -> str:
        return f"{self.participant}: {self.framework_id}/{self.competence_id} ({self.language})"


class ParticipantImport(SpreadsheetImport):
    """An uploaded spreadsheet waiting for its column mapping and preview; nothing is saved until commit.

    After a partial import (the rows without problems saved), the rows with problems stay in `rejected_rows` (their
    cells as read and what is wrong with each) until fixed in a new upload, for at most IMPORT_UPLOAD_MAX_AGE."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="imports")
    file = models.FileField(upload_to="youthpass/imports/")


class Reminder(BaseModel):
    """One planned YANS-like e-mail to the project's participants."""

    class Stage(models.TextChoices):
        BEFORE = "before", _("before the start: set learning goals")
        DURING = "during", _("during: reflect")
        END = "end", _("at the end: describe learning outcomes")
        AFTER = "after", _("after: certificates ready")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    send_on = models.DateField(_("send on"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["send_on", "id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self) -> str:
        return f"{self.get_stage_display()} — {self.send_on}"


class ReminderDelivery(models.Model):
    """A reminder went to a participant: the unique row makes sending idempotent across retries."""

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="deliveries")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="reminder_deliveries")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reminder", "participant"], name="uniq_reminder_delivery")]

    def __str__(self) -> str:
        return f"{self.reminder_id} → {self.participant_id}"


class OrganiserReminderDelivery(models.Model):
    """A milestone reminder went to one of the project's admins or editors: sent once per milestone and person."""

    class Milestone(models.TextChoices):
        BEFORE = "before", _("before the start")
        END = "end", _("at the end")
        AFTER = "after", _("after the end")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="organiser_reminder_deliveries")
    milestone = models.CharField(max_length=16, choices=Milestone.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "milestone", "user"],
                                               name="uniq_organiser_reminder_delivery")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.milestone} → {self.user_id}"



class LearningGoal(BaseModel):
    """A learning goal the participant sets for themselves at the start of the project (seed 001: "mācīšanās
    mērķi", a learning plan made with the support of a mentor or supervisor). Private to the participant unless
    `shared` with their supervisor/mentor; the organisation's admins and editors never see it (rules.py)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="learning_goals")
    text = models.TextField(_("learning goal"), max_length=GOAL_MAX_LENGTH)
    shared = models.BooleanField(_("shared with my supervisor or mentor"), default=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("learning goal")
        verbose_name_plural = _("learning goals")

    def __str__(self) -> str:  # names no text: audit entries carry it (object_repr)
        return f"learning goal {self.public_id}"


class ReflectionNote(BaseModel):
    """A dated reflection note the participant keeps during the project (seed 001: "pārdomas", a learning diary
    that becomes the basis of their Youthpass). Private unless `shared` with their supervisor/mentor."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="reflection_notes")
    written_on = models.DateField(_("date"))
    text = models.TextField(_("reflection"), max_length=TEXT_MAX_LENGTH)
    shared = models.BooleanField(_("shared with my supervisor or mentor"), default=False)

    class Meta:
        ordering = ["-written_on", "-id"]
        verbose_name = _("reflection note")
        verbose_name_plural = _("reflection notes")
        indexes = [models.Index(fields=["participant", "written_on", "id"], name="yp_note_participant_date")]

    def __str__(self) -> str:  # names no text: audit entries carry it (object_repr)
        return f"reflection note {self.written_on}"
