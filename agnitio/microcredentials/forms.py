"""Forms: parse and present input; the rules live in services."""

from __future__ import annotations

from django import forms
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from agnitio.core.validators import EMAIL_MAX_LENGTH, TextPolicyFormMixin
from agnitio.frameworks.forms import esco_uris_field
from agnitio.frameworks.selectors import esco_concepts_get

from .models import Award, Specification
from .services import specifications as specification_rules
from .services.specifications import SPECIFICATION_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Languages of instruction: the EU's official languages and a few more, named in their own language.
LANGUAGE_CODES = ["bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it", "lt", "lv",
                  "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv", "uk", "ru", "no", "is", "tr"]
LANGUAGE_CHOICES = [(code, LANG_INFO[code]["name_local"]) for code in LANGUAGE_CODES if code in LANG_INFO]


def _lines(value) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def _bound(field, minimum, maximum) -> None:
    """A number field of a ModelForm held to a range (its validators, and the browser's min and max)."""
    from django.core.validators import MaxValueValidator, MinValueValidator

    field.min_value, field.max_value = minimum, maximum
    field.validators += [MinValueValidator(minimum), MaxValueValidator(maximum)]
    field.widget.attrs.update({"min": str(minimum), "max": str(maximum)})


class SpecificationForm(TextPolicyFormMixin, forms.ModelForm):
    """A draft may be saved incomplete; publishing lists what is missing."""

    languages = forms.MultipleChoiceField(label=_("Languages of instruction"), choices=LANGUAGE_CHOICES,
                                          required=False, widget=forms.SelectMultiple(attrs={"size": 6}))
    issuer_countries = forms.MultipleChoiceField(label=_("Country(ies) of the issuer"), choices=countries,
                                                 required=False, widget=forms.SelectMultiple(attrs={"size": 6}))
    # The ESCO panel beside the form (frameworks/_esco_panel.html) inserts a skill's wording into the learning
    # outcomes and its link here; without JavaScript, links are pasted from the ESCO search page.
    esco_skills = esco_uris_field(
        kind="skill", label=_("ESCO skills (optional)"),
        help_text=_("Links to ESCO skills, one a line (http://data.europa.eu/esco/skill/…): insert them from the "
                    "ESCO panel; remove a line to drop its link."))
    further_information_url = forms.URLField(label=_("Further information: web page"), required=False,
                                             max_length=500, assume_scheme="https")
    co_awarding_bodies = forms.CharField(
        label=_("Other awarding bodies (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line: name; legal identifier; country code (e.g. LV). Your organisation is the first "
                    "awarding body."))

    class Meta:
        model = Specification
        fields = SPECIFICATION_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in (
            "description", "assessment_description", "quality_assurance_description", "prerequisites",
            "grading_description", "stackability_description", "further_information", "renewal")}
        widgets["learning_outcomes"] = forms.Textarea(attrs={"rows": 6})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["eqf_level"] = forms.TypedChoiceField(
            label=_("EQF level"), required=False, coerce=int, empty_value=None,
            choices=[("", "—"), *[(n, str(n)) for n in range(1, 9)]])
        # The same ranges as the service and the API (services.specifications).
        _bound(self.fields["credits_ects"], specification_rules.ECTS_MIN, specification_rules.ECTS_MAX)
        _bound(self.fields["workload_hours"], 1, specification_rules.WORKLOAD_HOURS_MAX)
        _bound(self.fields["validity_months"], 1, specification_rules.VALIDITY_MONTHS_MAX)
        if self.instance and self.instance.pk:
            self.initial["esco_skills"] = [s["uri"] for s in self.instance.esco_skills or [] if s.get("uri")]
            self.initial["co_awarding_bodies"] = "\n".join(
                "; ".join([b.get("name", ""), b.get("legal_identifier", ""), b.get("country", "")])
                for b in self.instance.co_awarding_bodies or [])

    def clean_esco_skills(self):
        """[{"uri", "label"}]: the field checked that each URI is an ESCO skill; the stored label is ESCO's English
        one (the credentials and the EDC export carry it; pages show it in the reader's language)."""
        uris = self.cleaned_data.get("esco_skills") or []
        concepts = esco_concepts_get(uris=uris, language="en")
        return [{"uri": uri, "label": concepts[uri].preferred_label if uri in concepts else ""} for uri in uris]

    def clean_co_awarding_bodies(self):
        bodies = []
        for line in _lines(self.cleaned_data.get("co_awarding_bodies")):
            parts = [p.strip() for p in line.split(";")]
            parts += [""] * (3 - len(parts))
            if (len(parts[0]) > specification_rules.AWARDING_BODY_NAME_MAX
                    or len(parts[1]) > specification_rules.AWARDING_BODY_IDENTIFIER_MAX):
                raise forms.ValidationError(
                    _("“%(line)s…”: a name has at most %(name)d characters, a legal identifier at most "
                      "%(identifier)d.") % {"line": line[:40], "name": specification_rules.AWARDING_BODY_NAME_MAX,
                                            "identifier": specification_rules.AWARDING_BODY_IDENTIFIER_MAX})
            bodies.append({"name": parts[0], "legal_identifier": parts[1], "country": parts[2]})
        if len(bodies) > specification_rules.CO_AWARDING_BODIES_MAX:
            raise forms.ValidationError(_("At most %(n)d other awarding bodies.")
                                        % {"n": specification_rules.CO_AWARDING_BODIES_MAX})
        return bodies

    def _post_clean(self):
        # The services check and save (incl. the model's validation); a form only parses.
        pass

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in SPECIFICATION_FIELDS if name in self.cleaned_data}


class ProviderProfileForm(TextPolicyFormMixin, forms.Form):
    quality_assurance = forms.CharField(
        label=_("Quality assurance"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("How your micro-credentials are quality-assured (internal procedures, external review or "
                    "accreditation)."))
    recognition_policy = forms.CharField(
        label=_("Recognition policy"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("How you recognise micro-credentials issued by other providers."))
    listed = forms.BooleanField(label=_("Show our page and micro-credentials in the public catalogue"),
                                required=False, initial=True)


class AwardForm(TextPolicyFormMixin, forms.Form):
    name = forms.CharField(label=_("Learner's name"), max_length=200)
    email = forms.EmailField(label=_("Learner's e-mail"), max_length=EMAIL_MAX_LENGTH)
    date_of_birth = forms.DateField(label=_("Date of birth (optional)"), required=False, widget=DATE)
    national_id = forms.CharField(label=_("National identifier (optional)"), required=False, max_length=64)
    grade = forms.CharField(label=_("Grade achieved (optional)"), required=False, max_length=100)
    assessed_on = forms.DateField(label=_("Date of assessment (optional)"), required=False, widget=DATE)
    evidence_links = forms.CharField(label=_("Evidence links (optional)"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}),
                                     help_text=_("One web link a line."))
    languages = forms.ChoiceField(label=_("Language of the document"), choices=Award.DocumentLanguage.choices,
                                  initial=Award.DocumentLanguage.BOTH)

    def clean_evidence_links(self):
        return _lines(self.cleaned_data.get("evidence_links"))


class EvidenceLinkForm(TextPolicyFormMixin, forms.Form):
    url = forms.URLField(label=_("Link"), max_length=1000, assume_scheme="https")
    title = forms.CharField(label=_("Title (optional)"), required=False, max_length=255)


class EvidenceFileForm(TextPolicyFormMixin, forms.Form):
    file = forms.FileField(label=_("File (PDF, PNG or JPEG)"),
                           widget=forms.FileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}))
    title = forms.CharField(label=_("Title (optional)"), required=False, max_length=255)


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (xlsx, xls, ods or csv)"))
    languages = forms.ChoiceField(label=_("Language of the documents"), choices=Award.DocumentLanguage.choices,
                                  initial=Award.DocumentLanguage.BOTH)


class CatalogueFilterForm(forms.Form):
    """The public catalogue's filters: every value bounded; an invalid value is ignored, never an error page."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    eqf_level = forms.TypedChoiceField(label=_("EQF level"), required=False, coerce=int, empty_value=None,
                                       choices=[("", _("any")), *[(n, str(n)) for n in range(1, 9)]])
    ects_min = forms.DecimalField(label=_("ECTS credits from"), required=False, min_value=0, max_value=999,
                                  max_digits=5, decimal_places=1)
    ects_max = forms.DecimalField(label=_("ECTS credits up to"), required=False, min_value=0, max_value=999,
                                  max_digits=5, decimal_places=1)
    participation = forms.ChoiceField(label=_("Form of participation"), required=False,
                                      choices=[("", _("any")), *Specification.Participation.choices])
    language = forms.ChoiceField(label=_("Language"), required=False, choices=[("", _("any")), *LANGUAGE_CHOICES])
    country = forms.ChoiceField(label=_("Country"), required=False, choices=[("", _("any")), *countries])
    provider = forms.CharField(label=_("Provider"), required=False, max_length=32)
    esco_skill = forms.CharField(label=_("ESCO skill"), required=False, max_length=200)


class ImportMappingForm(forms.Form):
    """Which column holds which field (one select per column of the uploaded table)."""

    def __init__(self, *args, headers: list[str], **kwargs):
        from .services.imports import FIELD_LABELS

        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [("", _("(not imported)")), *[(k, v) for k, v in FIELD_LABELS.items()]]
        for index, heading in enumerate(headers[:100]):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=heading or _("Column %(n)d") % {"n": index + 1}, choices=choices, required=False)

    def mapping(self) -> dict[int, str]:
        return {int(name[4:]): value for name, value in self.cleaned_data.items()
                if name.startswith("col_") and value}
