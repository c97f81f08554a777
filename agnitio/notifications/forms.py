from django import forms
from django.utils.translation import gettext_lazy as _

from agnitio.core.validators import TextPolicyFormMixin

from .models import OutboxEmail


class OutboxFilterForm(TextPolicyFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all")), *OutboxEmail.Status.choices]
    )
