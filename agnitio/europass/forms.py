"""Forms: parse and present input; the rules live in services."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from agnitio.core.validators import EMAIL_MAX_LENGTH, ImageSizeValidator, TextPolicyFormMixin

from .choices import (
    ActivityType,
    DocumentLanguage,
    HostType,
    IssuingBody,
    OutcomeFramework,
    Procedure,
    Programme,
    SigningParty,
    StayMode,
    StayPurpose,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BLANK = [("", "---------")]


class RegisterForm(TextPolicyFormMixin, forms.Form):
    name = forms.CharField(label=_("Institution name"), max_length=255)
    email = forms.EmailField(label=_("E-mail"), max_length=EMAIL_MAX_LENGTH,
                             help_text=_("The confirmation link (valid 48 hours) is sent here."))
    language = forms.ChoiceField(label=_("Language of e-mails"), choices=DocumentLanguage.choices)


class ResendForm(forms.Form):
    email = forms.EmailField(label=_("E-mail the registration was made with"), max_length=EMAIL_MAX_LENGTH)


class ConfirmForm(TextPolicyFormMixin, forms.Form):
    country = forms.ChoiceField(label=_("Country"), choices=list(countries), initial="LV")
    address = forms.CharField(label=_("Address"), max_length=500)
    contact_person = forms.CharField(label=_("Contact person"), max_length=200)
    postal_address = forms.CharField(label=_("Postal address (for document folders)"), max_length=1000,
                                     required=False, widget=forms.Textarea(attrs={"rows": 3}))


class InstitutionForm(TextPolicyFormMixin, forms.Form):
    legal_name = forms.CharField(label=_("Institution name"), max_length=255)
    address = forms.CharField(label=_("Address"), max_length=500)
    email = forms.EmailField(label=_("E-mail"), max_length=EMAIL_MAX_LENGTH)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    contact_person = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    postal_address = forms.CharField(label=_("Postal address (for document folders)"), max_length=1000,
                                     required=False, widget=forms.Textarea(attrs={"rows": 3}))
    language = forms.ChoiceField(label=_("Language of e-mails"), choices=DocumentLanguage.choices)


class UserInviteForm(TextPolicyFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), max_length=EMAIL_MAX_LENGTH)
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=DocumentLanguage.choices)


class ApplicationForm(TextPolicyFormMixin, forms.Form):
    conditions_accepted = forms.BooleanField(
        label=_("I accept the conditions: Europass mobility documents are requested only for our own participants, "
                "and the quality criteria of the learning abroad are met."))
    participants_count = forms.IntegerField(label=_("Number of participants"), min_value=1, max_value=500,
                                            help_text=_("One application covers a whole group (for an Erasmus+ "
                                                        "project, the expected total for the whole project)."))
    start_date = forms.DateField(label=_("Start of the learning abroad"), widget=DATE)
    end_date = forms.DateField(label=_("End of the learning abroad"), widget=DATE)
    folders_by_post = forms.BooleanField(label=_("Send Europass document folders by post (one per participant)"),
                                         required=False)
    folders_address = forms.CharField(label=_("Postal address for the folders"), required=False, max_length=1000,
                                      widget=forms.Textarea(attrs={"rows": 3}),
                                      help_text=_("Empty: the institution's postal address."))
    issuing_body = forms.ChoiceField(label=_("Issuing body"), choices=IssuingBody.choices, widget=forms.RadioSelect,
                                     help_text=_("Europass Try Out: no approval, usable at once, watermarked, never "
                                                 "numbered, and everything is deleted after 24 hours."))
    national_centre = forms.ChoiceField(label=_("Nacionālais Europass centrs"), required=False)
    procedure = forms.ChoiceField(label=_("Procedure"), choices=Procedure.choices, widget=forms.RadioSelect)
    programme = forms.ChoiceField(label=_("Programme (procedures A and C)"), choices=BLANK + Programme.choices,
                                  required=False)
    programme_name = forms.CharField(label=_("Name of the bilateral programme"), required=False, max_length=200)
    project_number = forms.CharField(label=_("Project number"), required=False, max_length=80)
    document_number = forms.CharField(label=_("Document number (procedure A, instead of the project number)"),
                                      required=False, max_length=80)
    description = forms.CharField(label=_("Short description, keywords (procedure B)"), required=False,
                                  max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    criterion_written_agreement = forms.BooleanField(
        label=_("Procedure B: a written agreement between the sending and the host organisation on the content, "
                "aims and duration"), required=False)
    criterion_language_preparation = forms.BooleanField(label=_("Procedure B: linguistic preparation"),
                                                        required=False)
    criterion_mentor = forms.BooleanField(label=_("Procedure B: a mentor's support abroad"), required=False)
    criterion_geographic_scope = forms.BooleanField(
        label=_("Procedure B: within the geographic scope (the EU and EEA countries)"), required=False)

    def __init__(self, *args, centres=(), individual: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["national_centre"].choices = [(c.public_id, c.display_name) for c in centres]
        if individual:
            self.fields["procedure"].choices = [(Procedure.C, Procedure.C.label)]
            self.fields["procedure"].initial = Procedure.C
        else:
            self.fields["procedure"].choices = [(p, p.label) for p in (Procedure.A, Procedure.B)]


class DecisionForm(TextPolicyFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for rejection (the applicant receives it)"), required=False,
                             max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class KA1Form(TextPolicyFormMixin, forms.Form):
    mobility_id = forms.CharField(
        label=_("Mobility ID (Beneficiary Module)"), max_length=64,
        help_text=_("The Unique Erasmus+ Mobility ID of the mobility activity (call year 2024 or later): call year, "
                    "activity type code, the mobility's number and the end of the project code, for example "
                    "2024-LONGT-0012-KA121-SCH-000005151."))
    project_number = forms.CharField(
        label=_("Project number (optional)"), max_length=80, required=False,
        help_text=_("As in the grant agreement, for example 2024-1-FR01-KA121-SCH-000005151. When given, it is "
                    "checked against the mobility ID and printed on the document."))
    language = forms.ChoiceField(label=_("Document language"), choices=DocumentLanguage.choices)


def _country_choices():
    return BLANK + list(countries)


class PersonalForm(TextPolicyFormMixin, forms.Form):
    language = forms.ChoiceField(label=_("Document language"), choices=DocumentLanguage.choices,
                                 help_text=_("The language of the document itself; the interface language never "
                                             "changes it."))
    first_name = forms.CharField(label=_("First name(s)"), max_length=200, required=False)
    last_name = forms.CharField(label=_("Surname(s)"), max_length=200, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    nationality = forms.ChoiceField(label=_("Nationality"), choices=_country_choices, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=EMAIL_MAX_LENGTH)
    address = forms.CharField(label=_("Address"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.FileField(label=_("Photo (optional)"), required=False,
                            help_text=_("PNG or JPEG. It is re-encoded and stored without any metadata."),
                            validators=[ImageSizeValidator(lambda: settings.ORGANISATION_LOGO_MAX_BYTES)],
                            widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}))
    photo_clear = forms.BooleanField(label=_("Remove the photo"), required=False)


class HostForm(TextPolicyFormMixin, forms.Form):
    host_name = forms.CharField(label=_("Name of the host organisation"), max_length=255, required=False)
    host_type = forms.ChoiceField(label=_("Type of organisation"), choices=BLANK + HostType.choices, required=False)
    host_type_other = forms.CharField(label=_("Type of organisation (other)"), max_length=200, required=False)
    host_country = forms.ChoiceField(label=_("Country"), choices=_country_choices, required=False)
    host_address = forms.CharField(label=_("Address"), max_length=1000, required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    mentor_name = forms.CharField(label=_("Mentor's name"), max_length=200, required=False)
    mentor_position = forms.CharField(label=_("Mentor's position"), max_length=200, required=False)
    mentor_phone = forms.CharField(label=_("Mentor's phone"), max_length=40, required=False,
                                   help_text=_("With the country code, e.g. +371 2000 0000."))
    mentor_email = forms.EmailField(label=_("Mentor's e-mail"), required=False, max_length=EMAIL_MAX_LENGTH)


class ProjectForm(TextPolicyFormMixin, forms.Form):
    programme = forms.CharField(label=_("Programme"), max_length=200, required=False)
    activity_type = forms.ChoiceField(label=_("Activity type"), choices=BLANK + ActivityType.choices,
                                      required=False)
    activity_type_other = forms.CharField(label=_("Activity type (other)"), max_length=200, required=False)
    stay_mode = forms.ChoiceField(label=_("Stay"), choices=StayMode.choices, widget=forms.RadioSelect,
                                  required=False)
    purpose = forms.ChoiceField(label=_("Purpose of the stay"), choices=BLANK + StayPurpose.choices, required=False)
    purpose_other = forms.CharField(label=_("Purpose of the stay (other)"), max_length=200, required=False)
    start_date = forms.DateField(label=_("Start date (without travel days)"), required=False, widget=DATE)
    end_date = forms.DateField(label=_("End date (without travel days)"), required=False, widget=DATE)
    participant_status = forms.CharField(
        label=_("Status at the sending organisation"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The programme of study the learner follows; for staff, their position."))


def _text_form(name: str, label):
    field = forms.CharField(label=label, max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 6}))
    return type(f"{name.title()}Form", (TextPolicyFormMixin, forms.Form), {name: field})


ActivitiesForm = _text_form("activities_tasks", _("Activities and tasks"))
MentoringForm = _text_form("mentoring", _("Mentoring and monitoring arrangements"))
EvaluationForm = _text_form("evaluation", _("Evaluation and recognition"))
AdditionalTermsForm = _text_form("additional_terms", _("Additional terms (host family, conduct, …)"))
ContactForm = _text_form("contact_information", _("Contact information"))


class SignaturesForm(forms.Form):
    signing_parties = forms.MultipleChoiceField(
        label=_("Who signs"), choices=SigningParty.choices, widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("A learning agreement: the participant, the sending and the host organisation (and the legal "
                    "representative when needed). A certificate: one — the sending or the host organisation."))


class OutcomeForm(TextPolicyFormMixin, forms.Form):
    # The first choice, which the browser shows selected anyway: an untouched new outcome then has not "changed"
    # and is left out, rather than refused for its empty text when the written ones are saved.
    framework = forms.ChoiceField(label=_("Framework"), choices=OutcomeFramework.choices,
                                  initial=OutcomeFramework.KEY_COMPETENCES)
    framework_name = forms.CharField(label=_("Name of the other framework (C)"), max_length=200, required=False)
    text = forms.CharField(label=_("Learning outcome"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}))
    esco_uris = forms.CharField(label=_("ESCO URIs (one a line)"), required=False, max_length=16_000,
                                widget=forms.Textarea(attrs={"rows": 2}))
    DELETE = forms.BooleanField(label=_("Remove"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any outcome on the page can receive text from the ESCO panel (frameworks/_esco_panel.html, esco_choices),
        # its URIs going into its own field.
        self.fields["text"].widget.attrs.update({"data-esco-choice": "outcomes",
                                                 "data-esco-uris": self["esco_uris"].auto_id})


OutcomeFormSet = forms.formset_factory(OutcomeForm, extra=1, max_num=50, validate_max=True, can_delete=False)

SECTION_FORMS = {
    "personal": PersonalForm, "host": HostForm, "project": ProjectForm, "activities": ActivitiesForm,
    "mentoring": MentoringForm, "evaluation": EvaluationForm, "additional_terms": AdditionalTermsForm,
    "contact": ContactForm, "signatures": SignaturesForm,
}


class GroupProgrammeForm(TextPolicyFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    language = forms.ChoiceField(label=_("Document language"), choices=DocumentLanguage.choices)
    description = forms.CharField(label=_("Programme of the group mobility"), max_length=10_000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 6}))
    activities = forms.CharField(label=_("Shared activities and tasks"), max_length=10_000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 4}))
    learning_outcomes = forms.CharField(label=_("Shared learning outcomes"), max_length=10_000, required=False,
                                        widget=forms.Textarea(attrs={"rows": 4}))
    documents = forms.MultipleChoiceField(label=_("Participants' documents that refer to it"), required=False,
                                          widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = [(d.public_id, f"{d.number or d.position} {d.participant_name}".strip())
                                            for d in documents]
