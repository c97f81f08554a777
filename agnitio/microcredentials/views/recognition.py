"""Recognition of other providers' micro-credentials: the learner submits (a bounded upload, checked by content)
and follows their requests; the receiving provider's members list and decide. Others get 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.http import not_found_as_404, throttled_page
from agnitio.core.pagination import keyset_page
from agnitio.organisations.selectors import organisation_get

from .. import forms_more, selectors
from ..models import Specification
from ..services import recognition as services
from ._common import form_error


@login_required
def recognition_submit(request):
    providers = [(p.organisation.public_id, p.organisation.legal_name)
                 for p in selectors.recognition_providers()[:500]]
    form = forms_more.RecognitionSubmitForm(request.POST or None, request.FILES or None, providers=providers,
                                            initial={"provider": request.GET.get("provider", "")})
    if request.method == "POST":  # every attempt counts (each costs a check of the file), per account
        refused = throttled_page(request, group=services.RATE_GROUP, rate=services.recognition_rate(),
                                 message=services.recognition_rate_message())
        if refused is not None:
            return refused
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > services.UPLOAD_MAX_BYTES:
            form.add_error("file", _("The file is too large (at most 2 MB)."))
        else:
            try:
                submitted = services.recognition_submit(actor=request.user,
                                                        provider_public_id=form.cleaned_data["provider"],
                                                        raw=upload.read(services.UPLOAD_MAX_BYTES + 1),
                                                        note=form.cleaned_data["note"])
            except ApplicationError as error:
                form_error(form, error, {"provider": "provider", "note": "note"}.get(error.code, "file"))
            else:
                messages.success(request, _("Sent to the provider."))
                return redirect("microcredentials:recognition_detail", submitted.public_id)
    mine = selectors.recognition_list(actor=request.user).order_by(*selectors.RECOGNITION_ORDER)[:100]
    return render(request, "microcredentials/recognition_submit.html", {"form": form, "mine": mine})


@login_required
@not_found_as_404
def recognition_list(request, oid):
    organisation = organisation_get(actor=request.user, public_id=oid)
    page = keyset_page(selectors.recognition_list(actor=request.user, organisation=organisation),
                       ordering=selectors.RECOGNITION_ORDER, request=request)
    return render(request, "microcredentials/recognition_list.html", {"organisation": organisation, "page": page})


@login_required
@not_found_as_404
def recognition_detail(request, rid):
    item = selectors.recognition_get(actor=request.user, public_id=rid)
    may_decide = selectors.recognition_list(actor=request.user, organisation=item.organisation).filter(
        pk=item.pk).exists()
    specifications = []
    if may_decide and item.status == "submitted":
        specifications = [(s.public_id, f"{s.title} (v{s.version})") for s in selectors.specification_list(
            actor=request.user, organisation=item.organisation, status=Specification.Status.PUBLISHED
        ).order_by("title", "id")[:500]]
    form = forms_more.RecognitionDecideForm(request.POST or None, specifications=specifications)
    if request.method == "POST":
        if not may_decide:  # the learner cannot decide on their own request
            raise NotFound()
        if form.is_valid():
            try:
                services.recognition_decide(actor=request.user, public_id=rid, **form.cleaned_data)
            except ApplicationError as error:
                form_error(form, error, error.code)
            else:
                messages.success(request, _("Decision recorded; the learner is told by e-mail."))
                return redirect("microcredentials:recognition_detail", rid)
    return render(request, "microcredentials/recognition_detail.html",
                  {"item": item, "form": form, "may_decide": may_decide})
