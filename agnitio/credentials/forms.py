import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agnitio.core.validators import JSON_BODY_MAX_BYTES, TextPolicyFormMixin

MAX_UPLOAD = 10 * 1024 * 1024


class CodeForm(TextPolicyFormMixin, forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=40,
                           help_text=_("As printed on the document or under its QR code, e.g. 7K3M-Q9TZ-2HWA-XR4F."))


class FileVerifyForm(TextPolicyFormMixin, forms.Form):
    file = forms.FileField(label=_("PDF or credential file (.pdf, .json)"), required=False)
    credential_json = forms.CharField(label=_("…or paste the credential JSON"), required=False,
                                      max_length=JSON_BODY_MAX_BYTES, widget=forms.Textarea(attrs={"rows": 6}))

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None and upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 10 MB; upload the document as issued."))
        if upload is None and not (data.get("credential_json") or "").strip():
            raise forms.ValidationError(_("Choose a PDF or credential file, or paste the credential JSON."))
        return data


class RevokeForm(TextPolicyFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for revoking (shown on the verification page)"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class ShareForm(TextPolicyFormMixin, forms.Form):
    expires_on = forms.DateField(label=_("Link works until (inclusive)"),
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].initial = timezone.localdate() + datetime.timedelta(days=30)


class StoreForm(TextPolicyFormMixin, forms.Form):
    file = forms.FileField(label=_("Credential file (.json) from another issuer"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload
