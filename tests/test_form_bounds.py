"""Every text column of Europass Mobility and micro-credentials is bounded where people type it: the form that
enters it refuses a value longer than the column (beside the field), takes one of exactly the form's limit, and
the JSON API schema for the same field has the same limit (page and API refuse the same). Choice columns refuse
an unknown value with a message beside the field.

The tables below say where each column is entered; a column in neither table fails the first test, so a new
column cannot be left unbounded by forgetting it here."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.db import models

from agnitio.europass import forms as ef
from agnitio.europass import forms_access as efa
from agnitio.europass.api import applications as e_api_applications
from agnitio.europass.api import documents as e_api_documents
from agnitio.europass.api import institutions as e_api_institutions
from agnitio.microcredentials import forms as mf
from agnitio.microcredentials import forms_more as mfm
from agnitio.microcredentials.api import awards as m_api_awards
from agnitio.microcredentials.api import feedback as m_api_feedback
from agnitio.microcredentials.api import recognition as m_api_recognition
from agnitio.microcredentials.api import specifications as m_api_specifications
from agnitio.organisations.forms import SignatureVariantForm

APPS = ("europass", "microcredentials")


@dataclass(frozen=True)
class Entry:
    """A form field that enters a column, and how to build its form."""

    form: type
    field: str
    kwargs: dict = field(default_factory=dict, hash=False, compare=False)

    def build(self, data: dict):
        return self.form(data=data, **self.kwargs)

    def __str__(self) -> str:
        return f"{self.form.__name__}.{self.field}"


APPLICATION = {"centres": (), "individual": False}
SPEC = mf.SpecificationForm

# (app, model, column) → the form fields that enter it.
ENTERED: dict[tuple[str, str, str], list[Entry]] = {
    ("europass", "InstitutionRegistration", "name"): [Entry(ef.RegisterForm, "name")],
    ("europass", "InstitutionRegistration", "email"): [Entry(ef.RegisterForm, "email")],
    ("europass", "InstitutionRegistration", "language"): [Entry(ef.RegisterForm, "language")],
    ("europass", "Institution", "contact_person"): [Entry(ef.ConfirmForm, "contact_person"),
                                                    Entry(ef.InstitutionForm, "contact_person")],
    ("europass", "Institution", "postal_address"): [Entry(ef.ConfirmForm, "postal_address"),
                                                    Entry(ef.InstitutionForm, "postal_address")],
    ("europass", "Institution", "language"): [Entry(ef.InstitutionForm, "language")],
    ("europass", "InstitutionUser", "email"): [Entry(ef.UserInviteForm, "email")],
    ("europass", "InstitutionUser", "full_name"): [Entry(ef.UserInviteForm, "full_name")],
    ("europass", "Application", "issuing_body"): [Entry(ef.ApplicationForm, "issuing_body", APPLICATION)],
    ("europass", "Application", "procedure"): [Entry(ef.ApplicationForm, "procedure", APPLICATION)],
    ("europass", "Application", "programme"): [Entry(ef.ApplicationForm, "programme", APPLICATION)],
    ("europass", "Application", "programme_name"): [Entry(ef.ApplicationForm, "programme_name", APPLICATION)],
    ("europass", "Application", "project_number"): [Entry(ef.ApplicationForm, "project_number", APPLICATION)],
    ("europass", "Application", "document_number"): [Entry(ef.ApplicationForm, "document_number", APPLICATION)],
    ("europass", "Application", "description"): [Entry(ef.ApplicationForm, "description", APPLICATION)],
    ("europass", "Application", "folders_address"): [Entry(ef.ApplicationForm, "folders_address", APPLICATION)],
    ("europass", "Application", "rejection_reason"): [Entry(ef.DecisionForm, "reason")],
    ("europass", "GroupLearningProgramme", "title"): [Entry(ef.GroupProgrammeForm, "title")],
    ("europass", "GroupLearningProgramme", "language"): [Entry(ef.GroupProgrammeForm, "language")],
    ("europass", "GroupLearningProgramme", "description"): [Entry(ef.GroupProgrammeForm, "description")],
    ("europass", "GroupLearningProgramme", "activities"): [Entry(ef.GroupProgrammeForm, "activities")],
    ("europass", "GroupLearningProgramme", "learning_outcomes"): [Entry(ef.GroupProgrammeForm, "learning_outcomes")],
    ("europass", "MobilityDocument", "language"): [Entry(ef.PersonalForm, "language"), Entry(ef.KA1Form, "language")],
    ("europass", "MobilityDocument", "mobility_id"): [Entry(ef.KA1Form, "mobility_id")],
    **{("europass", "MobilityDocument", name): [Entry(ef.PersonalForm, name)]
       for name in ("first_name", "last_name", "nationality", "email", "address")},
    **{("europass", "MobilityDocument", name): [Entry(ef.HostForm, name)]
       for name in ("host_name", "host_type", "host_type_other", "host_country", "host_address", "mentor_name",
                    "mentor_position", "mentor_phone", "mentor_email")},
    **{("europass", "MobilityDocument", name): [Entry(ef.ProjectForm, name)]
       for name in ("programme", "activity_type", "activity_type_other", "stay_mode", "purpose", "purpose_other",
                    "participant_status")},
    ("europass", "MobilityDocument", "activities_tasks"): [Entry(ef.ActivitiesForm, "activities_tasks")],
    ("europass", "MobilityDocument", "mentoring"): [Entry(ef.MentoringForm, "mentoring")],
    ("europass", "MobilityDocument", "evaluation"): [Entry(ef.EvaluationForm, "evaluation")],
    ("europass", "MobilityDocument", "additional_terms"): [Entry(ef.AdditionalTermsForm, "additional_terms")],
    ("europass", "MobilityDocument", "contact_information"): [Entry(ef.ContactForm, "contact_information")],
    ("europass", "LearningOutcome", "framework"): [Entry(ef.OutcomeForm, "framework")],
    ("europass", "LearningOutcome", "framework_name"): [Entry(ef.OutcomeForm, "framework_name")],
    ("europass", "LearningOutcome", "text"): [Entry(ef.OutcomeForm, "text")],
    ("europass", "HostSignature", "kind"): [Entry(efa.HostSignatureUploadForm, "kind")],
    ("europass", "HostSignature", "label"): [Entry(efa.HostSignatureUploadForm, "label")],
    ("europass", "HostSignature", "variant"): [Entry(SignatureVariantForm, "variant")],
    ("microcredentials", "ProviderProfile", "quality_assurance"): [Entry(mf.ProviderProfileForm, "quality_assurance")],
    ("microcredentials", "ProviderProfile", "recognition_policy"): [
        Entry(mf.ProviderProfileForm, "recognition_policy")],
    **{("microcredentials", "Specification", name): [Entry(SPEC, name)]
       for name in ("title", "description", "issuer_regions", "isced_field", "learning_outcomes", "qf_ehea_cycle",
                    "national_level", "assessment_type", "assessment_description", "participation",
                    "quality_assurance_type", "quality_assurance_description", "prerequisites", "supervision",
                    "grading_scheme", "grading_description", "stackability", "stackability_description",
                    "further_information", "further_information_url", "renewal")},
    ("microcredentials", "AwardImport", "languages"): [Entry(mf.ImportUploadForm, "languages")],
    ("microcredentials", "Award", "learner_name"): [Entry(mf.AwardForm, "name"), Entry(mfm.PriorLearningAwardForm,
                                                                                       "name")],
    ("microcredentials", "Award", "learner_email"): [Entry(mf.AwardForm, "email"),
                                                     Entry(mfm.PriorLearningAwardForm, "email"),
                                                     Entry(mfm.StackIssueForm, "learner_email")],
    ("microcredentials", "Award", "learner_national_id"): [Entry(mf.AwardForm, "national_id")],
    ("microcredentials", "Award", "grade"): [Entry(mf.AwardForm, "grade")],
    ("microcredentials", "Award", "languages"): [Entry(mf.AwardForm, "languages")],
    ("microcredentials", "Evidence", "title"): [Entry(mf.EvidenceLinkForm, "title"), Entry(mf.EvidenceFileForm,
                                                                                          "title")],
    ("microcredentials", "Evidence", "url"): [Entry(mf.EvidenceLinkForm, "url")],
    ("microcredentials", "PriorLearningAssessment", "learning_context"): [
        Entry(mfm.PriorLearningAwardForm, "learning_context")],
    ("microcredentials", "PriorLearningAssessment", "method"): [Entry(mfm.PriorLearningAwardForm, "method")],
    ("microcredentials", "PriorLearningAssessment", "assessor"): [Entry(mfm.PriorLearningAwardForm, "assessor")],
    ("microcredentials", "PriorLearningAssessment", "criteria"): [Entry(mfm.PriorLearningAwardForm, "criteria")],
    ("microcredentials", "PriorLearningAssessment", "result"): [Entry(mfm.PriorLearningAwardForm, "result")],
    ("microcredentials", "Feedback", "comment"): [Entry(mfm.FeedbackForm, "comment")],
    ("microcredentials", "Composition", "rule"): [Entry(mfm.CompositionForm, "rule")],
    ("microcredentials", "RecognitionRequest", "learner_note"): [Entry(mfm.RecognitionSubmitForm, "note")],
    ("microcredentials", "RecognitionRequest", "decision_reason"): [Entry(mfm.RecognitionDecideForm, "reason")],
}

# (app, model, column) → why no form enters it (the service writes it, bounded there).
NOT_ENTERED: dict[tuple[str, str, str], str] = {
    ("europass", "NationalCentre", "display_name"): "named by platform staff (national_centre_create)",
    ("europass", "NationalCentre", "country"): "named by platform staff (national_centre_create)",
    ("europass", "InstitutionUser", "status"): "the invitation's state (services)",
    ("europass", "Application", "language"): "the language of the page the application was sent from",
    ("europass", "Application", "status"): "the NEC's decision (services)",
    ("europass", "MobilityDocument", "kind"): "agreement or certificate, made by the services",
    ("europass", "DocumentAccess", "role"): "host or participant, by the page's button",
    ("europass", "DocumentAccess", "email"): "the document's own host or participant e-mail",
    ("microcredentials", "Specification", "status"): "publish / withdraw (services)",
    ("microcredentials", "AwardImport", "original_name"): "the uploaded file's name, cut to 255 by the service",
    ("microcredentials", "AwardImport", "file_format"): "read from the file's content",
    ("microcredentials", "AwardImport", "status"): "the import's state (services)",
    ("microcredentials", "Award", "basis"): "learning or prior learning, by the page used",
    ("microcredentials", "Award", "status"): "the issue's state (services)",
    ("microcredentials", "Award", "failure"): "why an issue failed, written by the job (cut to 500)",
    ("microcredentials", "Award", "job_id"): "the bulk job's public id",
    ("microcredentials", "Evidence", "kind"): "link or file, by the form used",
    ("microcredentials", "Evidence", "content_type"): "read from the file's content",
    ("microcredentials", "Composition", "lineage"): "the combined micro-credential's lineage",
    **{("microcredentials", "RecognitionRequest", name): "read from the submitted document, cut by the service"
       for name in ("kind", "title", "issuer_name", "issuer_id", "reference", "verification_url", "issuer_country")},
    ("microcredentials", "RecognitionRequest", "status"): "the provider's decision",
}

# (app, model, column) → the JSON API input fields for it.
API: dict[tuple[str, str, str], list[tuple[type, str]]] = {
    **{("europass", "MobilityDocument", name): [(e_api_documents.MobilitySectionIn, name)]
       for name in ("first_name", "last_name", "email", "address", "host_name", "host_type_other", "host_address",
                    "mentor_name", "mentor_position", "mentor_phone", "mentor_email", "programme",
                    "activity_type_other", "purpose_other", "participant_status", "activities_tasks", "mentoring",
                    "evaluation", "additional_terms", "contact_information")},
    ("europass", "LearningOutcome", "framework_name"): [(e_api_documents.MobilityOutcomeIn, "framework_name")],
    ("europass", "LearningOutcome", "text"): [(e_api_documents.MobilityOutcomeIn, "text")],
    **{("europass", "Application", name): [(e_api_applications.MobilityApplicationIn, name)]
       for name in ("programme_name", "project_number", "document_number", "description", "folders_address")},
    ("europass", "Application", "rejection_reason"): [(e_api_applications.MobilityRejectIn, "reason")],
    ("europass", "Institution", "contact_person"): [(e_api_institutions.MobilityInstitutionPatch, "contact_person")],
    ("europass", "Institution", "postal_address"): [(e_api_institutions.MobilityInstitutionPatch, "postal_address")],
    **{("microcredentials", "Specification", name): [(m_api_specifications.SpecificationIn, name),
                                                     (m_api_specifications.SpecificationPatch, name)]
       for name in ("title", "description", "issuer_regions", "learning_outcomes", "national_level",
                    "assessment_description", "quality_assurance_description", "prerequisites",
                    "grading_description", "stackability_description", "further_information",
                    "further_information_url", "renewal")},
    ("microcredentials", "ProviderProfile", "quality_assurance"): [(m_api_specifications.ProviderPageIn,
                                                                   "quality_assurance")],
    ("microcredentials", "ProviderProfile", "recognition_policy"): [(m_api_specifications.ProviderPageIn,
                                                                    "recognition_policy")],
    ("microcredentials", "Award", "learner_name"): [(m_api_awards.LearnerIn, "name")],
    ("microcredentials", "Award", "learner_email"): [(m_api_awards.LearnerIn, "email")],
    ("microcredentials", "Award", "learner_national_id"): [(m_api_awards.LearnerIn, "national_id")],
    ("microcredentials", "Award", "grade"): [(m_api_awards.LearnerIn, "grade")],
    ("microcredentials", "Evidence", "title"): [(m_api_awards.EvidenceLinkIn, "title")],
    ("microcredentials", "Evidence", "url"): [(m_api_awards.EvidenceLinkIn, "url")],
    ("microcredentials", "Feedback", "comment"): [(m_api_feedback.FeedbackIn, "comment")],
    ("microcredentials", "RecognitionRequest", "decision_reason"): [(m_api_recognition.DecisionIn, "reason")],
}


def _columns() -> dict[tuple[str, str, str], models.Field]:
    """Every CharField / TextField (e-mails, links, countries included) a person could fill, of both apps."""
    found = {}
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            for column in model._meta.get_fields():
                if (isinstance(column, (models.CharField, models.TextField)) and column.editable
                        and not column.auto_created and column.name != "public_id"):
                    found[(app, model.__name__, column.name)] = column
    return found


def _column(key) -> models.Field:
    app, model, name = key
    return apps.get_model(app, model)._meta.get_field(name)


def _is_choice(key, entry: Entry) -> bool:
    from django import forms

    return isinstance(entry.form.base_fields.get(entry.field) or _form_field(entry), forms.ChoiceField)


def _form_field(entry: Entry):
    return entry.build({}).fields[entry.field]


def _email(length: int) -> str:
    """A valid address of exactly `length` characters (labels of at most 63)."""
    local, top = "a" * 20, ".lv"
    remaining = length - len(local) - 1 - len(top)
    labels = []
    while remaining > 0:
        take = min(63, remaining)
        if 0 < remaining - take < 2:  # leave room for a dot and one more letter
            take -= 2
        labels.append("b" * take)
        remaining -= take + 1
    address = f"{local}@{'.'.join(labels)}{top}"
    assert len(address) == length, (len(address), length)
    return address


def _text(column: models.Field, length: int) -> str:
    if isinstance(column, models.EmailField):
        return _email(length)
    if isinstance(column, models.URLField):
        return "https://example.org/" + "a" * (length - len("https://example.org/"))
    return "x" * length


TEXT_CASES = [(key, entry) for key, entries in ENTERED.items() for entry in entries]


def test_every_column_is_classified():
    columns = set(_columns())
    classified = set(ENTERED) | set(NOT_ENTERED)
    assert columns - classified == set(), "say in ENTERED or NOT_ENTERED where these columns are typed"
    assert classified - columns == set(), "these columns no longer exist"
    assert not set(ENTERED) & set(NOT_ENTERED)
    assert all(_column(key).max_length for key in columns), "every column has a max_length"


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "entry"), TEXT_CASES, ids=[f"{k[1]}.{k[2]}-{e}" for k, e in TEXT_CASES])
def test_the_form_refuses_what_the_column_cannot_hold(key, entry):
    column = _column(key)
    form_field = _form_field(entry)
    if _is_choice(key, entry):
        form = entry.build({entry.field: "zz-not-on-the-list"})
        assert not form.is_valid() and form.errors.get(entry.field), (entry, form.errors)
        assert "zz-not-on-the-list" in " ".join(form.errors[entry.field])  # the message names what was sent
        return
    limit = form_field.max_length
    assert limit is not None and limit <= column.max_length, (entry, limit, column.max_length)
    form = entry.build({entry.field: _text(column, limit + 1)})
    assert not form.is_valid()
    assert f"at most {limit} characters" in " ".join(form.errors.get(entry.field, [])), (entry, form.errors)
    form = entry.build({entry.field: _text(column, limit)})
    form.is_valid()
    assert entry.field not in form.errors, (entry, form.errors.get(entry.field))
    assert str(limit) == form[entry.field].field.widget.attrs.get("maxlength", str(limit))  # the browser knows


API_CASES = [(key, schema, name) for key, pairs in API.items() for schema, name in pairs]


def _schema_max_length(schema, name) -> int | None:
    return next((m.max_length for m in schema.model_fields[name].metadata
                 if getattr(m, "max_length", None) is not None), None)


@pytest.mark.parametrize(("key", "schema", "name"), API_CASES,
                         ids=[f"{k[1]}.{k[2]}-{s.__name__}.{n}" for k, s, n in API_CASES])
def test_the_api_refuses_the_same_as_the_page(key, schema, name):
    column = _column(key)
    limit = _schema_max_length(schema, name)
    assert limit is not None and limit <= column.max_length, (schema, name, limit, column.max_length)
    page_limits = {_form_field(entry).max_length for entry in ENTERED.get(key, []) if not _is_choice(key, entry)}
    assert page_limits <= {limit}, f"page {page_limits} and API {limit} differ for {key}"
