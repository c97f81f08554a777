"""Forms: parse and validate input with messages that say how to fix it. No domain logic here."""

from __future__ import annotations

import re
import secrets

import phonenumbers
from django import forms
from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField
from phonenumber_field.phonenumber import to_python

from agnitio.core.validators import TextPolicyFormMixin

from . import images
from .models import Membership, Organisation, Signatory, SignatureImage

PENDING_LOGO_MAX_AGE = 24 * 3600
IDENTIFIER_RE = re.compile(r"^[\w][\w .\-/]*$", re.UNICODE)


class OrganisationForm(TextPolicyFormMixin, forms.Form):
    legal_name = forms.CharField(
        label=_("Legal name"), max_length=255,
        error_messages={"required": _("Enter the organisation's legal name as registered.")},
        help_text=_("As registered, e.g. Biedrība “Jauniešu iniciatīvu centrs”. Shown on every document."),
    )
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False,
                                 help_text=_("Optional, e.g. JIC. Used in menus."))
    country = LazyTypedChoiceField(
        label=_("Country"), choices=lambda: [("", "---------"), *countries],  # listed in the request's language
        error_messages={"required": _("Choose the country where the organisation is registered."),
                        "invalid_choice": _("Choose a country from the list.")},
    )
    address = forms.CharField(label=_("Address"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": _("Enter the address: street, city, postal code.")},
                              help_text=_("Street, city, postal code."))
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https",
                             error_messages={"invalid": _("Enter the website address, e.g. https://www.example.org")},
                             help_text=_("e.g. https://www.example.org"))
    email = forms.EmailField(
        label=_("E-mail"), help_text=_("The organisation's e-mail, e.g. info@example.org"),
        error_messages={"required": _("Enter the organisation's e-mail address."),
                        "invalid": _("Enter the e-mail address in the form name@example.org.")},
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False,
                            help_text=_("With the country code if it is not in the organisation's country, "
                                        "e.g. +371 67 000 000."))
    identifier = forms.CharField(
        label=_("Organisation identifier"), max_length=64, required=False,
        help_text=_("OID (e.g. E10000000), PIC (9 digits) or national registration number."),
    )
    logo = forms.FileField(
        label=_("Logo"), required=False,
        help_text=_("PNG, JPEG or WebP, up to %(size)s MB.") % {"size": settings.ORGANISATION_LOGO_MAX_BYTES // 2**20},
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    logo_clear = forms.BooleanField(label=_("Remove the current logo"), required=False)
    # A checked logo kept across a failed submission (signed reference to a stored copy), so it need not be re-chosen.
    logo_pending = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)

    required_css_class = "required"

    def __init__(self, *args, instance: Organisation | None = None, user=None, **kwargs):
        self.user = user
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "legal_name": instance.legal_name, "short_name": instance.short_name,
                "country": instance.country.code, "address": instance.address, "website": instance.website,
                "email": instance.email, "phone": instance.phone.as_international if instance.phone else "",
                "identifier": instance.identifier,
            }
        super().__init__(*args, **kwargs)
        if instance is None or not instance.logo:
            del self.fields["logo_clear"]
        self.checked_logo: images.CheckedImage | None = None
        self.pending_logo_name = ""

    def clean_legal_name(self):
        return self.cleaned_data["legal_name"].strip()

    def clean_identifier(self):
        value = self.cleaned_data["identifier"].strip()
        if value and not IDENTIFIER_RE.match(value):
            raise forms.ValidationError(
                _("Use only letters, digits, spaces and . - / in the identifier, e.g. E10000000."))
        return value

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload or not hasattr(upload, "read"):
            return upload
        self.checked_logo = images.process_upload(upload, purpose="logo")
        return upload

    def clean(self):
        cleaned = super().clean()
        raw_phone = (cleaned.get("phone") or "").strip()
        country = cleaned.get("country") or settings.PHONENUMBER_DEFAULT_REGION
        if raw_phone:
            number = to_python(raw_phone, region=country)
            if number is None or not number.is_valid():
                example = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.FIXED_LINE)
                hint = (
                    phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
                    if example else "+371 67 000 000"
                )
                self.add_error("phone", _(
                    "This is not a valid phone number for the chosen country. Write it with the country code, "
                    "e.g. %(example)s."
                ) % {"example": hint})
            else:
                cleaned["phone"] = number
        else:
            cleaned["phone"] = ""
        if self.checked_logo is None and not self.errors.get("logo"):
            self._restore_pending_logo(cleaned.get("logo_pending") or "")
        if self.errors and self.checked_logo is not None and "logo" not in self.errors and not self.pending_logo_name:
            self._keep_pending_logo()
        return cleaned

    def _signer(self):
        return signing.TimestampSigner(salt=f"organisations.logo_pending.{getattr(self.user, 'pk', '')}")

    def _keep_pending_logo(self) -> None:
        """Store the checked logo so the corrected form can be sent without choosing the file again."""
        name = default_storage.save(f"organisations/pending/{secrets.token_urlsafe(16)}.{self.checked_logo.extension}",
                                    ContentFile(self.checked_logo.content))
        self.data = self.data.copy()
        self.data[self.add_prefix("logo_pending")] = self._signer().sign(name)
        self.pending_logo_name = getattr(self.files.get("logo"), "name", "") or self.pending_logo_name

    def _restore_pending_logo(self, token: str) -> None:
        if not token:
            return
        try:
            name = self._signer().unsign(token, max_age=PENDING_LOGO_MAX_AGE)
        except signing.BadSignature:
            return  # forged or expired: as if no logo had been chosen
        if not name.startswith("organisations/pending/") or not default_storage.exists(name):
            return
        with default_storage.open(name, "rb") as fh:
            self.checked_logo = images.process_upload(fh, purpose="logo")
        self.pending_logo_name = name.rsplit("/", 1)[-1]

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("logo", "logo_clear", "logo_pending")}

    @property
    def remove_logo(self) -> bool:
        return bool(self.cleaned_data.get("logo_clear"))


class SwitchOrganisationForm(TextPolicyFormMixin, forms.Form):
    organisation = forms.CharField(max_length=32)
    next = forms.CharField(required=False, max_length=2000)


class InvitationForm(TextPolicyFormMixin, forms.Form):
    required_css_class = "required"

    full_name = forms.CharField(label=_("Name"), max_length=200, help_text=_("First and last name."))
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.EDITOR,
        help_text=_("Editors prepare documents; admins also manage members, signatures and the organisation's "
                    "data; owners can also appoint owners."),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=settings.LANGUAGES,
        help_text=_("The e-mail is written in this language."),
    )

    def __init__(self, *args, can_grant_owner: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_grant_owner:
            self.fields["role"].choices = [c for c in Membership.Role.choices if c[0] != Membership.Role.OWNER]


class RoleForm(TextPolicyFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class SignatoryForm(TextPolicyFormMixin, forms.Form):
    required_css_class = "required"

    full_name = forms.CharField(label=_("Name"), max_length=200)
    position = forms.CharField(label=_("Position"), max_length=200,
                               help_text=_("e.g. Chairperson of the board, Project coordinator"))
    pages = forms.MultipleChoiceField(
        label=_("May sign"), choices=Signatory.Page.choices, widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("Which pages or parts of documents this person signs."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True,
                                   help_text=_("Inactive signatories are kept but not offered for new documents."))


class SignatoryChoiceMixin:
    def _set_signatories(self, signatories):
        field = self.fields["signatory"]
        field.queryset = signatories


class SignatureUploadForm(TextPolicyFormMixin, SignatoryChoiceMixin, forms.Form):
    required_css_class = "required"

    kind = forms.ChoiceField(label=_("Kind"), choices=SignatureImage.Kind.choices, widget=forms.RadioSelect,
                             initial=SignatureImage.Kind.SIGNATURE)
    label = forms.CharField(label=_("Label"), max_length=200,
                            help_text=_("So you recognise it later, e.g. “Chairperson's signature 2026”."))
    signatory = forms.ModelChoiceField(label=_("Signatory"), queryset=Signatory.objects.none(), required=False,
                                       to_field_name="public_id", empty_label=_("(none)"))
    image = forms.FileField(
        label=_("Image file"),
        help_text=_("A scan or photo, PNG or JPEG, up to %(size)s MB. You select the part to use next.")
        % {"size": settings.SIGNATURE_IMAGE_MAX_BYTES // 2**20},
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )

    def __init__(self, *args, signatories, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_signatories(signatories)
        self.checked: images.CheckedImage | None = None

    def clean_image(self):
        upload = self.cleaned_data["image"]
        self.checked = images.process_upload(upload, purpose="signature")
        return upload


class CropForm(TextPolicyFormMixin, forms.Form):
    """Step 2 of 3 (an institution's and a host's images alike): the selected area in the original image's pixels,
    filled by dragging over the image (crop.js) or typed in without JavaScript. All empty = the whole image."""

    x = forms.IntegerField(label=_("Left (x)"), min_value=0, required=False)
    y = forms.IntegerField(label=_("Top (y)"), min_value=0, required=False)
    width = forms.IntegerField(label=_("Width"), min_value=8, required=False)
    height = forms.IntegerField(label=_("Height"), min_value=8, required=False)

    def __init__(self, *args, image_size: tuple[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.image_size = image_size
        w, h = image_size
        self.fields["x"].max_value = w - 1
        self.fields["y"].max_value = h - 1
        self.fields["width"].max_value = w
        self.fields["height"].max_value = h
        for name in ("x", "y", "width", "height"):
            self.fields[name].widget.attrs.update({"data-crop": name, "min": 0 if name in "xy" else 8})

    def clean(self):
        cleaned = super().clean()
        values = [cleaned.get(k) for k in ("x", "y", "width", "height")]
        if self.errors:
            return cleaned
        if all(v is None for v in values):
            cleaned["box"] = None
            return cleaned
        if any(v is None for v in values):
            raise forms.ValidationError(_("Fill in all four numbers (left, top, width, height), or leave all four "
                                          "empty to use the whole image."))
        x, y, w, h = values
        iw, ih = self.image_size
        if x + w > iw or y + h > ih:
            raise forms.ValidationError(
                _("The selected area goes outside the image (%(width)s × %(height)s pixels). Make it smaller or "
                  "move it.") % {"width": iw, "height": ih})
        cleaned["box"] = (x, y, w, h)
        return cleaned


class SignatureVariantForm(forms.Form):
    """Step 3 of 3 (an institution's and a host's images alike): one of the four variants, activated; as the default
    of its kind it is placed automatically. The template shows each choice with its preview
    (organisations/_signature_variants.html)."""

    variant = forms.ChoiceField(label=_("Variant"), choices=list(images.VARIANT_LABELS.items()),
                                widget=forms.RadioSelect,
                                error_messages={"required": _("Choose one of the four variants."),
                                                "invalid_choice": _("“%(value)s” is not one of the four variants: "
                                                                    "choose one of them.")})
    is_default = forms.BooleanField(label=_("Default for its kind (placed automatically)"), required=False)

    def __init__(self, *args, default_label=None, **kwargs):
        kwargs.setdefault("auto_id", "variant_%s")  # its own ids next to the settings form's is_default
        super().__init__(*args, **kwargs)
        if default_label:
            self.fields["is_default"].label = default_label


class SignatureSettingsForm(TextPolicyFormMixin, SignatoryChoiceMixin, forms.Form):
    required_css_class = "required"

    label = forms.CharField(label=_("Label"), max_length=200)
    signatory = forms.ModelChoiceField(label=_("Signatory"), queryset=Signatory.objects.none(), required=False,
                                       to_field_name="public_id", empty_label=_("(none)"))
    is_active = forms.BooleanField(label=_("Active (may be used on documents)"), required=False)
    is_default = forms.BooleanField(label=_("Default for its kind (placed automatically)"), required=False)

    def __init__(self, *args, signatories, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_signatories(signatories)


def object_type_label(label: str) -> str:
    """'organisations.Signatory' → 'Signatory' in the interface language (the raw label if the model is gone)."""
    from django.apps import apps

    try:
        return str(apps.get_model(label)._meta.verbose_name).capitalize()
    except (LookupError, ValueError):
        return label


class AuditFilterForm(TextPolicyFormMixin, forms.Form):
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    person = forms.ChoiceField(label=_("Person"), required=False)

    def __init__(self, *args, object_types: list[str], people: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("(all)")), *[(t, object_type_label(t)) for t in object_types]]
        self.fields["person"].choices = [("", _("(everyone)")), *people]
