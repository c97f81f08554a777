"""Awarding: issue to one learner, follow a bulk job, an award's page with its evidence, renewal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agnitio.core.errors import ApplicationError
from agnitio.core.http import not_found_as_404, upload_refused_page
from agnitio.core.storage import private_file_response

from .. import forms, selectors
from ..services import awards as services
from ..services import evidence as evidence_services
from ._common import form_error, form_errors


@login_required
@not_found_as_404
def award_issue(request, sid):
    specification = selectors.specification_get(actor=request.user, public_id=sid)
    form = forms.AwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        learner = services.LearnerIn(name=data["name"], email=data["email"], date_of_birth=data["date_of_birth"],
                                     national_id=data["national_id"], grade=data["grade"],
                                     assessed_on=data["assessed_on"], evidence_links=data["evidence_links"])
        try:
            award = services.award_issue(actor=request.user, specification=specification, learner=learner,
                                         languages=data["languages"])
        except ApplicationError as error:
            form_errors(form, error, error.code)
        else:
            messages.success(request, _("Issued: the learner finds it in their wallet."))
            return redirect("microcredentials:award_detail", award.public_id)
    return render(request, "microcredentials/award_form.html", {"specification": specification, "form": form})


@login_required
@not_found_as_404
def batch_detail(request, sid, jid):
    specification = selectors.specification_get(actor=request.user, public_id=sid)
    progress = services.award_batch_progress(actor=request.user, specification=specification, public_id=jid)
    template = ("microcredentials/_batch_progress.html" if request.headers.get("HX-Request")
                else "microcredentials/batch_detail.html")
    return render(request, template, {"specification": specification, **progress})


@login_required
@not_found_as_404
def award_detail(request, aid):
    award = selectors.award_get(actor=request.user, public_id=aid)
    link_form = forms.EvidenceLinkForm(prefix="link")
    file_form = forms.EvidenceFileForm(prefix="file")
    if refused := upload_refused_page(request, group=evidence_services.RATE_GROUP):  # one budget with the API
        return refused
    if request.method == "POST":
        try:
            if "add_link" in request.POST:
                link_form = forms.EvidenceLinkForm(request.POST, prefix="link")
                if link_form.is_valid():
                    evidence_services.evidence_link_add(actor=request.user, award=award,
                                                        url=link_form.cleaned_data["url"],
                                                        title=link_form.cleaned_data["title"])
                    messages.success(request, _("Evidence added."))
                    return redirect("microcredentials:award_detail", aid)
            elif "add_file" in request.POST:
                file_form = forms.EvidenceFileForm(request.POST, request.FILES, prefix="file")
                if file_form.is_valid():
                    evidence_services.evidence_file_add(actor=request.user, award=award,
                                                        upload=file_form.cleaned_data["file"],
                                                        title=file_form.cleaned_data["title"])
                    messages.success(request, _("Evidence added."))
                    return redirect("microcredentials:award_detail", aid)
        except ApplicationError as error:
            if "add_link" in request.POST:
                form_error(link_form, error, "url" if error.code == "url" else None)
            else:
                form_error(file_form, error, "file" if error.code in ("file", "too_large") else None)
    return render(request, "microcredentials/award_detail.html", {
        "award": award, "evidence": selectors.evidence_list(actor=request.user, award=award),
        "link_form": link_form, "file_form": file_form})


@login_required
@not_found_as_404
def evidence_download(request, aid, eid):
    award = selectors.award_get(actor=request.user, public_id=aid)
    evidence = selectors.evidence_get(actor=request.user, award=award, public_id=eid)
    if not evidence.file:  # a link: the page links to it directly
        raise Http404
    extension = evidence.file.name.rsplit(".", 1)[-1]
    return private_file_response(evidence.file, filename=f"evidence-{evidence.public_id}.{extension}",
                                 content_type=evidence.content_type or "application/octet-stream")


@login_required
@require_POST
@not_found_as_404
def evidence_delete(request, aid, eid):
    award = selectors.award_get(actor=request.user, public_id=aid)
    evidence = selectors.evidence_get(actor=request.user, award=award, public_id=eid)
    try:
        evidence_services.evidence_delete(actor=request.user, evidence=evidence)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Evidence removed."))
    return redirect("microcredentials:award_detail", aid)


@login_required
@require_POST
@not_found_as_404
def award_renew(request, aid):
    award = selectors.award_get(actor=request.user, public_id=aid)
    try:
        renewed = services.award_renew(actor=request.user, award=award)
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("microcredentials:award_detail", aid)
    messages.success(request, _("Renewed: a new credential replaces the old one."))
    return redirect("microcredentials:award_detail", renewed.public_id)
