from django import forms
from django.utils.translation import gettext_lazy as _

from agnitio.core.validators import TextPolicyFormMixin


class SealUploadForm(TextPolicyFormMixin, forms.Form):
    pkcs12 = forms.FileField(
        label=_("Seal file (PKCS#12, .p12 or .pfx)"),
        help_text=_("A file with your organisation's private key and certificate, e.g. a qualified electronic seal."),
        widget=forms.ClearableFileInput(attrs={"accept": ".p12,.pfx,application/x-pkcs12"}),
    )
    password = forms.CharField(
        label=_("Password of the file"), required=False, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
