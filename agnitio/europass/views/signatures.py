"""Signature pages (seed 002 "Ievietot savu parakstu un/vai iestādes zīmogu"): the sending institution chooses,
per document, which of its stored signatures/stamps it carries (they are stored, cropped and activated on the
organisation's signature pages); a host stores its own — upload (1 of 3), select the part (2 of 3), choose a variant
and activate (3 of 3) — and chooses it per document. Crop by numbers: no JavaScript needed."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.http import not_found_as_404

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


def _data_uri(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode()


@login_required
@not_found_as_404
def host_signature(request, sid):
    """Steps 2 and 3: the selected area, then the four variants side by side to choose from and activate."""
    stored = selectors_access.host_signature_get(actor=request.user, public_id=sid)
    form = forms_access.HostSignatureCropForm(request.POST or None)
    variants = []
    if request.method == "POST" and form.is_valid():
        try:
            box = form.box()
            if request.POST.get("action") == "activate" and form.cleaned_data.get("variant"):
                signatures.host_signature_activate(actor=request.user, signature=stored, box=box,
                                                   variant=form.cleaned_data["variant"],
                                                   is_default=form.cleaned_data["is_default"])
                messages.success(request, _("Your signature is active."))
                return redirect("europass:host_signatures")
            with stored.original.open("rb") as fh:
                original = fh.read()
            variants = [(v, forms_access.VARIANT_LABELS[v],
                         _data_uri(signatures.signature_variant(original, box=box, variant=v)))
                        for v in signatures.VARIANTS]
        except NotFound:
            raise
        except (ApplicationError, forms_access.forms.ValidationError) as error:
            form.add_error(None, error.messages[0] if hasattr(error, "messages") else str(error))
    with stored.original.open("rb") as fh:
        original_uri = _data_uri(fh.read())
    return render(request, "europass/host_signature.html", {
        "signature": stored, "form": form, "variants": variants, "original_uri": original_uri})


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
