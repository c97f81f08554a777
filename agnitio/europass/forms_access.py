"""Forms of issue 12, points 7-10: access grants, copying data, signatures. Plain forms: everything works without
JavaScript (choose → preview → confirm). A host's image is cropped and its variant chosen with the same forms as an
institution's (`organisations.forms.CropForm`, `SignatureVariantForm`)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from agnitio.core.validators import ImageSizeValidator, TextPolicyFormMixin

LANGUAGES = [("lv", _("Latvian")), ("en", _("English"))]


class ParticipantAccessForm(forms.Form):
    write_until = forms.DateField(label=_("The participant may write until (inclusive)"),
                                  widget=forms.DateInput(attrs={"type": "date"}))
    language = forms.ChoiceField(label=_("Language of the e-mail"), choices=LANGUAGES)


class HostAccessForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the e-mail"), choices=LANGUAGES)


class CopyForm(forms.Form):
    fields = forms.MultipleChoiceField(label=_("Fields to copy"), widget=forms.CheckboxSelectMultiple)
    targets = forms.MultipleChoiceField(label=_("Documents that receive them"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, field_choices, target_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields"].choices = field_choices
        self.fields["targets"].choices = target_choices


class DocumentSignatureForm(forms.Form):
    signature = forms.ChoiceField(label=_("Signature"), required=False)
    stamp = forms.ChoiceField(label=_("Stamp"), required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        default = [("", _("the default (placed automatically)"))]
        self.fields["signature"].choices = default + [(s.public_id, s.label) for s in choices
                                                      if s.kind == "signature"]
        self.fields["stamp"].choices = default + [(s.public_id, s.label) for s in choices if s.kind == "stamp"]


class HostSignatureUploadForm(TextPolicyFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Signature or stamp"), choices=[("signature", _("signature")),
                                                                     ("stamp", _("stamp"))])
    label = forms.CharField(label=_("Label"), max_length=200, required=False)
    # Checked by content (format, pixels) and re-encoded by the service; the size before anything is read.
    image = forms.FileField(label=_("Image file (PNG or JPEG)"),
                            validators=[ImageSizeValidator(lambda: settings.SIGNATURE_IMAGE_MAX_BYTES)],
                            widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}))


class HostDocumentSignatureForm(forms.Form):
    signature = forms.ChoiceField(label=_("My signature on this document"), required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signature"].choices = [("", _("my default (placed automatically)"))] + [
            (s.public_id, f"{s.get_kind_display()}: {s.label}") for s in choices if s.image]
