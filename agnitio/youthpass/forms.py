"""Forms: parse and present input; the rules live in services."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField
from django_countries.widgets import LazySelect

from agnitio.core.renderers import OptionsOnceSelect
from agnitio.core.validators import TEXT_MAX_LENGTH, TextPolicyFormMixin

from .choices import PROJECT_TYPES, Programme, activity_types_for
from .models import GOAL_MAX_LENGTH, Activity, CertificateLanguage, Participant, Project, Reminder
from .selectors import participant_frameworks
from .services.learner import outcome_field_name
from .spreadsheets import ENCODINGS, FIELD_LABELS
from .validators import EXAMPLE, EXPECTED_FORM

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectStartForm(TextPolicyFormMixin, forms.Form):
    grant_number = forms.CharField(
        label=_("Grant agreement number"), max_length=60,
        help_text=format_lazy(_("As in your grant agreement, in the form {form}, for example {example}."),
                              form=EXPECTED_FORM, example=EXAMPLE),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "placeholder": EXAMPLE}))
    programme = forms.ChoiceField(label=_("Programme"), choices=Programme.choices)
    project_type = forms.ChoiceField(
        label=_("Project type"),
        choices=[(str(Programme(p).label), [(t.value, t.label) for t in types]) for p, types in PROJECT_TYPES.items()],
        help_text=_("Choose a type of the chosen programme."))


class ProjectForm(TextPolicyFormMixin, forms.ModelForm):
    logo_upload = forms.FileField(label=_("Project logo"), required=False,
                                  help_text=_("PNG or JPEG. If empty, the organisation's logo is used."),
                                  widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}))

    class Meta:
        model = Project
        fields = ["grant_number", "programme", "project_type", "title", "description", "aims", "start_date",
                  "end_date", "venue"]
        widgets = {"start_date": DATE, "end_date": DATE, "description": forms.Textarea(attrs={"rows": 5}),
                   "aims": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"title": _("Shown on the certificates. Until it is set, the project is listed by its number."),
                      "description": _("Shown in part 2 of the certificates.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project_type"].choices = [
            (str(Programme(p).label), [(t.value, t.label) for t in types]) for p, types in PROJECT_TYPES.items()]
        for name in ("title", "start_date", "end_date"):
            self.fields[name].required = True

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        if not upload:
            return None
        from agnitio.organisations.images import process_upload

        # stored re-encoded, without metadata, under a random name; the uploaded bytes and name are never kept
        return process_upload(upload, purpose="logo")


class CountrySelect(OptionsOnceSelect, LazySelect):
    """django-countries' select, its ≈ 250 options written once per language (core.renderers.OptionsOnceSelect)."""

    def use_required_attribute(self, initial):
        """LazySelectMixin's (`required` when any choice is empty), reading the choices without normalising each
        again (a test compares the output with LazySelect's)."""
        choices = self.plain_choices()
        if choices is None or self.is_hidden or self.allow_multiple_selected:
            return super().use_required_attribute(initial)
        return any(value == "" for value, _label in choices)


class PartnerForm(TextPolicyFormMixin, forms.Form):
    name = forms.CharField(label=_("Partner organisation"), max_length=255)
    # a callable, so the names are listed (and sorted) in the language of each request, not of the first import
    country = LazyTypedChoiceField(label=_("Country"), choices=lambda: list(countries), widget=CountrySelect)


class EditorInviteForm(TextPolicyFormMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    full_name = forms.CharField(label=_("Name"), max_length=200)
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES)


class ActivityForm(TextPolicyFormMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["activity_type", "title", "description", "start_date", "end_date", "format", "venue_city",
                  "venue_country", "methods", "results"]
        widgets = {"start_date": DATE, "end_date": DATE, "description": forms.Textarea(attrs={"rows": 4}),
                   "methods": forms.Textarea(attrs={"rows": 3}), "results": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "description": _("If the project has only this activity, its title and description replace the "
                             "project's on the certificates."),
            "methods": _("Optional: enriches part 2 of the certificates."),
        }

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_type"].choices = [(t.value, t.label) for t in activity_types_for(project.project_type)]


class ParticipantForm(TextPolicyFormMixin, forms.ModelForm):
    activities = forms.ModelMultipleChoiceField(label=_("Activities taken part in"), queryset=Activity.objects.none(),
                                                widget=forms.CheckboxSelectMultiple, required=False)

    class Meta:
        model = Participant
        fields = ["first_name", "last_name", "email", "country", "date_of_birth", "place_of_birth", "language",
                  "role"]
        widgets = {"date_of_birth": DATE, "role": forms.RadioSelect}
        help_texts = {"role": _("Participants describe their learning by the 8 key competences, team members by "
                                "the ETS competence model for youth workers."),
                      "email": _("Needed to invite the person.")}

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activities"].queryset = project.activities.all()
        self.fields["role"].choices = Participant.role_choices(project.project_type)
        if self.instance.pk:
            self.fields["activities"].initial = list(self.instance.activities.all())


class LearnerDataForm(TextPolicyFormMixin, forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["first_name", "last_name", "email", "country", "date_of_birth", "place_of_birth"]
        widgets = {"date_of_birth": DATE}
        help_texts = {"first_name": _("As it should appear on your certificate.")}


class SupervisorForm(TextPolicyFormMixin, forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["supervisor_name", "supervisor_position", "supervisor_assessment", "dialogue_partner_name",
                  "dialogue_partner_position"]
        widgets = {"supervisor_assessment": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"supervisor_assessment": _("Optional (ESC jobs and traineeships): the supervisor's overall "
                                                 "assessment, printed in a section of its own."),
                      "dialogue_partner_name": _("Optional: the person who supported the learning signs part 3.")}


class FinaliseForm(TextPolicyFormMixin, forms.Form):
    signing_place = forms.CharField(label=_("Place of signing"), max_length=200)
    signing_date = forms.DateField(label=_("Date of signing"), widget=DATE)
    signatory_page1 = forms.ModelChoiceField(label=_("Signs page 1 (legal representative)"), queryset=None)
    signatory_part2 = forms.ModelChoiceField(label=_("Signs part 2 (person responsible for the project)"),
                                             queryset=None, help_text=_("May be the same person."))
    extra_signatory_name = forms.CharField(label=_("Additional official signatory: name"), required=False,
                                           max_length=200, help_text=_("Optional, e.g. the mayor of the host town."))
    extra_signatory_position = forms.CharField(label=_("Additional official signatory: position"), required=False,
                                               max_length=200)
    certificate_language = forms.ChoiceField(label=_("Certificate language"), choices=CertificateLanguage.choices,
                                             widget=forms.RadioSelect)

    def __init__(self, *args, signatories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signatory_page1"].queryset = signatories
        self.fields["signatory_part2"].queryset = signatories


class ImportUploadForm(TextPolicyFormMixin, forms.Form):
    file = forms.FileField(label=_("Table (xlsx, xls, ods or csv)"),
                           help_text=_("First row: column names. One person per row; first and last name in "
                                       "separate columns."))


class ImportMappingForm(TextPolicyFormMixin, forms.Form):
    encoding = forms.ChoiceField(label=_("Text encoding (csv only)"), required=False,
                                 choices=[("", _("detect automatically"))] + [(e, e) for e in ENCODINGS])
    default_role = forms.ChoiceField(label=_("Role, where the table has no role column"),
                                     choices=Participant.Role.choices, initial=Participant.Role.PARTICIPANT,
                                     widget=forms.RadioSelect)
    activities = forms.ModelMultipleChoiceField(label=_("Activities all these people took part in"),
                                                queryset=Activity.objects.none(), required=False,
                                                widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, headers: list[str], project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        self.fields["activities"].queryset = project.activities.all()
        self.fields["default_role"].choices = Participant.role_choices(project.project_type)
        choices = [("", _("— do not import —"))] + [(k, v) for k, v in FIELD_LABELS.items()]
        for index, heading in enumerate(headers):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=_("Column %(n)d: “%(heading)s”") % {"n": index + 1, "heading": heading or "—"},
                choices=choices, required=False)

    def mapping(self) -> dict[int, str]:
        return {i: self.cleaned_data[f"col_{i}"] for i in range(len(self.headers)) if self.cleaned_data.get(f"col_{i}")}

    def column_fields(self):
        return [self[f"col_{i}"] for i in range(len(self.headers))]


class BulkForm(TextPolicyFormMixin, forms.Form):
    ACTIONS = [("invite", _("Invite to complete personal data and learning outcomes")),
               ("withdraw", _("Withdraw invitation")),
               ("message", _("Send a message")),
               ("issue", _("Issue certificates")),
               ("delete", _("Delete"))]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    personal_message = forms.CharField(label=_("Personal message"), required=False, widget=forms.Textarea(
        attrs={"rows": 3}), help_text=_("Added to the standard text of the invitation; required for a message."))
    confirm_delete = forms.BooleanField(label=_("Yes, delete the chosen people and everything they wrote"),
                                        required=False)
    reissue = forms.BooleanField(label=_("Also re-issue for people who already hold a current certificate (it is "
                                         "replaced)"), required=False)


class ReminderForm(TextPolicyFormMixin, forms.ModelForm):
    class Meta:
        model = Reminder
        fields = ["send_on", "subject", "body"]
        widgets = {"send_on": DATE, "body": forms.Textarea(attrs={"rows": 5})}


class OrganiserRemindersForm(forms.ModelForm):
    """The project's milestone reminders to its admins and editors, each switchable."""

    class Meta:
        model = Project
        fields = ["remind_before_start", "remind_at_end", "remind_after_end"]




class SupervisorInviteForm(TextPolicyFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Supervisor's or mentor's name"), max_length=200)
    email = forms.EmailField(label=_("Their e-mail"))
    position = forms.CharField(label=_("Their position"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language of the e-mail"), choices=settings.LANGUAGES)


class SupervisorAssessmentForm(TextPolicyFormMixin, forms.Form):
    assessment = forms.CharField(label=_("Your assessment"), widget=forms.Textarea(attrs={"rows": 10}),
                                 help_text=_("Your overall assessment of the person's learning and work, in your "
                                             "own words. It is printed in a section of its own."))
    position = forms.CharField(label=_("Your position"), max_length=200, required=False)


# --- learning outcomes: one text field per competence (or free section) and writing language -------------------

def outcome_texts_from_post(post) -> dict[tuple[str, str, str], str]:
    """The posted texts by (framework, competence, language), read from the fields `outcome_field_name` names."""
    texts = {}
    for name, value in post.items():
        if name.startswith("o__"):
            parts = name.split("__")
            if len(parts) == 4:
                competence = "" if parts[2] == "-" else parts[2]
                texts[(parts[1], competence, parts[3])] = value
    return texts


def outcome_sections(participant, texts, *, languages, only_written=False, posted=None) -> list[dict]:
    """The page's sections: per framework, its competences (or its free section), each with a field per language
    holding the posted text when given, else the saved one."""
    sections = []
    for framework in participant_frameworks(participant=participant):
        items = ([(framework, "", framework.title(), framework.description(), [])] if framework.is_free_section
                 else [(framework, c.id, c.title(), c.description(), c.prompts) for c in framework.competences])
        entries = []
        for fw, competence_id, title, description, prompts in items:
            fields = []
            for language in languages:
                name = outcome_field_name(fw.id, competence_id, language)
                value = posted.get(name) if posted is not None and name in posted else texts.get(
                    (fw.id, competence_id, language), "")
                fields.append({"name": name, "language": language, "value": value, "id": f"id_{name}"})
            if only_written and not any(f["value"] for f in fields):
                continue
            entries.append({"title": title, "description": description, "prompts": prompts, "fields": fields,
                            "free": not competence_id})
        if entries:
            sections.append({"framework": framework, "title": framework.title(), "entries": entries})
    return sections


def outcome_writing_languages(choice: str, participant) -> list[str]:
    """The languages the learner writes in: the one chosen (`lv`, `en` or `both`), else those written so far, else
    the participant's language."""
    if choice in ("lv", "en"):
        return [choice]
    if choice == "both":
        return ["lv", "en"]
    written = {o.language for o in participant.outcomes.all()}
    if written == {"lv", "en"}:
        return ["lv", "en"]
    return [written.pop()] if written else [participant.language]


# --- the learning journal (services.journal) ---------------------------------------------------------------------

class LearningGoalForm(TextPolicyFormMixin, forms.Form):
    goal_text = forms.CharField(
        label=_("A learning goal"), max_length=GOAL_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What do you want to learn in this project, and what or who could help you get there?"))
    goal_shared = forms.BooleanField(label=_("Share with my supervisor or mentor"), required=False)


class ReflectionNoteForm(TextPolicyFormMixin, forms.Form):
    written_on = forms.DateField(label=_("Date"), widget=DATE)
    note_text = forms.CharField(
        label=_("Reflection"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What happened, what did you learn from it, what will you try next?"))
    note_shared = forms.BooleanField(label=_("Share with my supervisor or mentor"), required=False,
                                     help_text=_("Unticked, the note is private: only you can read it."))
