"""Steps 2 and 3 of the upload → select → choose a variant → activate flow (seed 002), the same for an institution's
and a host's images: the posted step's valid form calls its service; a refusal shows on that form, with what was
typed kept; success says what comes next and redirects."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from agnitio.core.errors import ApplicationError
from agnitio.core.http import private_png_response

from . import images


def signature_step(request, *, action: str | None, crop_form, variant_form, crop: Callable[[tuple | None], object],
                   activate: Callable[[str, bool], object], activated_message: str, activated_url: str):
    """`crop(box)` for step 2, `activate(variant, is_default)` for step 3; the redirect to make, or None to show the
    page again (nothing posted, a form invalid, or the service refused)."""
    if action == "crop" and crop_form.is_valid():
        try:
            crop(crop_form.cleaned_data["box"])
        except ApplicationError as error:
            crop_form.add_error(None, str(error))
        else:
            messages.success(request, _("The selected part was saved. Now choose one of the four variants and "
                                        "activate it."))
            return redirect(request.path + "#variants")
    elif action == "activate" and variant_form.is_valid():
        try:
            activate(variant_form.cleaned_data["variant"], variant_form.cleaned_data["is_default"])
        except ApplicationError as error:
            variant_form.add_error(None, str(error))
        else:
            messages.success(request, activated_message)
            return redirect(activated_url)
    return None


def variant_preview(original, *, box, name: str):
    """The preview of "variant-<name>" of the selected part, made on request (an institution's and a host's image
    alike; the caller has checked who asks); 404 for an unknown variant or a missing original."""
    choice = name.removeprefix("variant-")
    if choice not in images.VARIANTS or not original:
        raise Http404()
    try:
        data = images.signature_render(original, box=box, variant=choice)
    except OSError as exc:  # the stored original is gone
        raise Http404() from exc
    return private_png_response(data)
