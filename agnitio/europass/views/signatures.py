"""Signature pages (seed 002 "Ievietot savu parakstu un/vai iestādes zīmogu"): the sending institution chooses,
per document, which of its stored signatures/stamps it carries (they are stored, cropped and activated on the
organisation's signature pages); a host stores its own through the same flow, forms and page parts — upload (1 of 3),
select the part (2 of 3: drag over the image, or type the numbers without JavaScript), choose one of the four
variants and activate it (3 of 3) — and chooses it per document."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.http import not_found_as_404, upload_refused_page
from agnitio.core.storage import private_file_response
from agnitio.organisations import images
from agnitio.organisations.forms import CropForm, SignatureVariantForm
from agnitio.organisations.signature_steps import signature_step, variant_preview

from .. import forms_access, selectors, selectors_access
from ..services import signatures


@login_required
@not_found_as_404
def document_signature(request, did):
    document = selectors.document_get(actor=request.user, public_id=did)
    choices = selectors_access.sending_signature_choices(actor=request.user, document=document)
    choice = getattr(document, "signature_choice", None)
    initial = {"signature": choice.sending_signature.public_id if choice and choice.sending_signature else "",
               "stamp": choice.sending_stamp.public_id if choice and choice.sending_stamp else ""}
    form = forms_access.DocumentSignatureForm(request.POST or None, initial=initial, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            signatures.document_signature_choose(actor=request.user, document=document,
                                                 signature_id=form.cleaned_data["signature"],
                                                 stamp_id=form.cleaned_data["stamp"])
        except NotFound:
            raise
        except ApplicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("europass:document_detail", document.public_id)
    return render(request, "europass/document_signature.html", {
        "document": document, "form": form, "placed": selectors_access.document_signature_images(document),
        "organisation": document.institution.organisation if document.institution_id else None})


@login_required
@not_found_as_404
def host_signature_list(request):
    if not selectors_access.is_host_account(actor=request.user):
        raise NotFound()
    if refused := upload_refused_page(request, group="europass.host_signature"):  # per account and hour
        return refused
    form = forms_access.HostSignatureUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            stored = signatures.host_signature_upload(actor=request.user, kind=form.cleaned_data["kind"],
                                                      label=form.cleaned_data["label"],
                                                      upload=form.cleaned_data["image"])
        except NotFound:
            raise
        except ApplicationError as error:
            form.add_error({"kind": "kind", "image": "image"}.get(error.code, "label"), str(error))
        else:
            return redirect("europass:host_signature", stored.public_id)
    return render(request, "europass/host_signatures.html", {
        "form": form, "signatures": selectors_access.host_signature_list(actor=request.user)[:50]})


def _variant_choices(signature) -> list[dict]:
    """The four variants of the selected part, each with the address of its preview (`host_signature_file`)."""
    version = int(signature.updated_at.timestamp())
    return [{"value": value, "label": label,
             "src": reverse("europass:host_signature_file", args=[signature.public_id, f"variant-{value}"])
             + f"?v={version}"}
            for value, label in images.VARIANT_LABELS.items()]


@login_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def host_signature(request, sid):
    """Step 2 of 3 (select the part: drag over the image, or type the numbers in) and step 3 (choose one of the four
    variants side by side and activate it) — the page parts of an institution's signature page."""
    stored = selectors_access.host_signature_get(actor=request.user, public_id=sid)
    action = request.POST.get("action") if request.method == "POST" else None
    box = stored.crop_box
    crop_form = CropForm(request.POST if action == "crop" else None,
                         image_size=(stored.original_width, stored.original_height),
                         initial=dict(zip(("x", "y", "width", "height"), box, strict=True)) if box else {})
    first_of_kind = not selectors_access.host_signature_list(actor=request.user).filter(
        kind=stored.kind, is_default=True).exclude(image="").exists()
    variant_form = SignatureVariantForm(
        request.POST if action == "activate" else None,
        initial={"variant": stored.variant or images.VARIANTS[0], "is_default": stored.is_default or first_of_kind},
        default_label=_("Place it automatically on my documents (default)"))
    done = signature_step(
        request, action=action, crop_form=crop_form, variant_form=variant_form,
        crop=lambda box: signatures.host_signature_crop(actor=request.user, signature=stored, box=box),
        activate=lambda variant, is_default: signatures.host_signature_activate(
            actor=request.user, signature=stored, variant=variant, is_default=is_default),
        activated_message=_("Your signature is active."), activated_url=reverse("europass:host_signatures"))
    if done:
        return done
    return render(request, "europass/host_signature.html", {
        "signature": stored, "crop_form": crop_form, "variant_form": variant_form,
        "variants": _variant_choices(stored) if box else [],
        "variant_label": images.VARIANT_LABELS.get(stored.variant, ""),
        "original_url": reverse("europass:host_signature_file", args=[stored.public_id, "original"])})


@login_required
@not_found_as_404
def host_signature_file(request, sid, variant):
    """The host's uploaded original, its processed image, or a preview of one of the four variants of the selected
    part ("variant-<name>", made on request): to that host only, never by the file's path."""
    stored = selectors_access.host_signature_get(actor=request.user, public_id=sid)
    if variant.startswith("variant-"):
        return variant_preview(stored.original, box=stored.crop_box, name=variant)
    field = {"original": stored.original, "image": stored.image}.get(variant)
    if not field:
        raise Http404()
    return private_file_response(field, filename="image.png", as_attachment=False, content_type="image/png",
                                 cache="private, max-age=300")


@login_required
@require_POST
@not_found_as_404
def host_signature_delete(request, sid):
    stored = selectors_access.host_signature_get(actor=request.user, public_id=sid)
    signatures.host_signature_delete(actor=request.user, signature=stored)
    messages.success(request, _("The image %(label)s was deleted.") % {"label": stored.label})
    return redirect("europass:host_signatures")


@login_required
@not_found_as_404
def shared_document_signature(request, did):
    shared = selectors_access.shared_document_get(actor=request.user, public_id=did)
    if shared.role != "host":
        raise NotFound()
    choices = list(selectors_access.host_signature_list(actor=request.user))
    form = forms_access.HostDocumentSignatureForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        chosen = next((s for s in choices if s.public_id == form.cleaned_data["signature"]), None)
        try:
            signatures.document_host_signature_choose(actor=request.user, document=shared.document,
                                                      signature=chosen, kind=chosen.kind if chosen else "signature")
        except NotFound:
            raise
        except ApplicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("europass:shared_document_detail", shared.document.public_id)
    return render(request, "europass/shared_document_signature.html", {"document": shared.document, "form": form})
