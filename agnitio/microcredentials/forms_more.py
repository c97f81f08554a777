"""Forms of validation of prior learning and of learner feedback (no JavaScript needed)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agnitio.core.validators import EMAIL_MAX_LENGTH

from .forms import DATE, AwardForm
from .models import Composition, PriorLearningAssessment


class PriorLearningAwardForm(AwardForm):
    """The learner (as for any award) and the assessment of their non-formal or informal learning."""

    learning_context = forms.ChoiceField(label=_("Learning validated"), choices=PriorLearningAssessment.Context.choices)
    method = forms.ChoiceField(label=_("Assessment method"), choices=PriorLearningAssessment.Method.choices)
    prior_assessed_on = forms.DateField(label=_("Date of the assessment"),
                                        widget=DATE)
    assessor = forms.CharField(label=_("Assessor (name and role)"), max_length=200)
    criteria = forms.CharField(label=_("Assessment criteria"), max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 3}))
    result = forms.CharField(label=_("Result of the assessment"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("assessed_on", None)  # the assessment's own date


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Your rating of the learning experience (1 poor – 5 excellent)"),
                                    choices=[(i, str(i)) for i in range(1, 6)], coerce=int,
                                    widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}))
    show_name = forms.BooleanField(label=_("Show my name to the provider with my comment"), required=False)


class CompositionForm(forms.Form):
    parts = forms.MultipleChoiceField(label=_("Parts (micro-credentials it is made of)"),
                                      widget=forms.CheckboxSelectMultiple)
    rule = forms.ChoiceField(label=_("Rule"), choices=Composition.Rule.choices, widget=forms.RadioSelect)
    required = forms.IntegerField(label=_("Number of parts required (for “at least”)"), required=False,
                                  min_value=1, max_value=20)
    ordered = forms.BooleanField(label=_("The parts must be earned in order"), required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parts"].choices = list(choices)


class StackIssueForm(forms.Form):
    learner_email = forms.EmailField(widget=forms.HiddenInput, max_length=EMAIL_MAX_LENGTH)


class RecognitionSubmitForm(forms.Form):
    provider = forms.ChoiceField(label=_("Provider asked to recognise it"))
    file = forms.FileField(label=_("The micro-credential: signed credential (JSON), EDC file (JSON-LD) or PDF "
                                   "sealed by this platform"),
                           widget=forms.FileInput(attrs={"accept": "application/json,application/ld+json,"
                                                                   "application/pdf,.json,.jsonld,.pdf"}))
    note = forms.CharField(label=_("Note to the provider (optional)"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "—"), *providers]


class RecognitionDecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        ("recognised", _("recognised")), ("partly", _("partly recognised")), ("refused", _("refused"))])
    reason = forms.CharField(label=_("Reason under your recognition policy"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 4}))
    counts_as = forms.ChoiceField(
        label=_("Counts as (optional, only when recognised in full)"), required=False,
        help_text=_("One of your published micro-credentials: the learner then holds it as a part of your combined "
                    "micro-credentials. A partly recognised micro-credential never counts as a part."))

    def __init__(self, *args, specifications=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counts_as"].choices = [("", "—"), *specifications]
