"""Forms of issue 12, points 7-10: access grants, copying data, signatures. Plain forms: everything works without
JavaScript (choose → preview → confirm; crop by numbers)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from agnitio.core.validators import ImageSizeValidator, TextPolicyFormMixin

from .services.signatures import VARIANTS

LANGUAGES = [("lv", _("Latvian")), ("en", _("English"))]
CROP_MAX = 100_000
VARIANT_LABELS = {"original": _("as uploaded"), "transparent": _("transparent background"),
                  "black": _("black ink"), "blue": _("blue ink")}


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


class HostSignatureCropForm(forms.Form):
    # Pixels of the uploaded image (the service checks the area lies inside it); no image has a side this long.
    x = forms.IntegerField(label=_("From the left (pixels)"), min_value=0, max_value=CROP_MAX, required=False)
    y = forms.IntegerField(label=_("From the top (pixels)"), min_value=0, max_value=CROP_MAX, required=False)
    width = forms.IntegerField(label=_("Width (pixels)"), min_value=8, max_value=CROP_MAX, required=False)
    height = forms.IntegerField(label=_("Height (pixels)"), min_value=8, max_value=CROP_MAX, required=False)
    variant = forms.ChoiceField(label=_("Variant"), choices=[(v, VARIANT_LABELS[v]) for v in VARIANTS],
                                widget=forms.RadioSelect, required=False)
    is_default = forms.BooleanField(label=_("Place it automatically on my documents (default)"), required=False,
                                    initial=True)

    def box(self):
        values = [self.cleaned_data.get(k) for k in ("x", "y", "width", "height")]
        if all(v is None for v in values):
            return None
        if any(v is None for v in values):
            raise forms.ValidationError(_("Enter all four numbers of the selected area, or none for the whole "
                                          "image."))
        return tuple(values)


class HostDocumentSignatureForm(forms.Form):
    signature = forms.ChoiceField(label=_("My signature on this document"), required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signature"].choices = [("", _("my default (placed automatically)"))] + [
            (s.public_id, f"{s.get_kind_display()}: {s.label}") for s in choices if s.image]
