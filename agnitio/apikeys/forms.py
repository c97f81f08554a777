import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agnitio.core.validators import TextPolicyFormMixin

EXPIRY_CHOICES = [
    ("30", _("30 days")),
    ("90", _("90 days")),
    ("365", _("1 year")),
    ("never", _("Never")),
]


class ApiTokenCreateForm(TextPolicyFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100,
        help_text=_("What the token is for, e.g. “reporting script”."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=None, required=False, empty_label=_("All my organisations"),
        to_field_name="public_id",
        help_text=_("Limit the token to one organisation. It can never reach more than you can yourself."),
    )
    expires = forms.ChoiceField(label=_("Expires after"), choices=EXPIRY_CHOICES, initial="90")

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def expires_at(self) -> datetime.datetime | None:
        value = self.cleaned_data["expires"]
        if value == "never":
            return None
        return timezone.now() + datetime.timedelta(days=int(value))
