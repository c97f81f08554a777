from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from agnitio.core.validators import TextPolicyFormMixin

from .models import User


class SignupForm(TextPolicyFormMixin, forms.Form):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("As it should appear on documents you sign or receive."),
    )
    language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.LANGUAGES,
        help_text=_("Used for the interface and for e-mails sent to you."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = translation.get_language() or settings.LANGUAGE_CODE
        self.fields["language"].initial = current if current in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE

    def signup(self, request, user):
        """Required by allauth; the adapter's `save_user` already stored full name and language."""


class ProfileForm(TextPolicyFormMixin, forms.Form):
    """My account: the user's own details. A plain form (not a ModelForm) so the service sees the old values."""

    FIELDS = ["full_name", "language"]

    full_name = User._meta.get_field("full_name").formfield(widget=forms.TextInput(attrs={"autocomplete": "name"}))
    language = User._meta.get_field("language").formfield()


class EraseForm(forms.Form):
    """Confirm erasure of one's own account with an explicit tick; who it is was confirmed by allauth's
    reauthentication (password, or the second factor) right before (`accounts.views.erase`)."""

    confirm = forms.BooleanField(
        label=_("I understand that my account and personal data are erased for good."), required=True,
    )
