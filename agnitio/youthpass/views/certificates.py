"""Certificates: preview, issue, download, the ZIP of all and issuing in the background."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agnitio.core.errors import ApplicationError
from agnitio.core.http import not_found_as_404
from agnitio.core.storage import private_file_response

from .. import selectors
from ..services import certificates
from ._common import project_of, skipped_message


@login_required
@not_found_as_404
def certificate_preview(request, pid, ppid):
    project = project_of(request, pid)
    participant = selectors.participant_get(actor=request.user, project=project, public_id=ppid)
    try:
        pdf = certificates.certificate_preview(actor=request.user, participant=participant)
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("youthpass:participant_detail", pid, ppid)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="youthpass-preview.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def certificate_issue(request, pid, ppid):
    """Issue the certificate (POST). While the person holds a current certificate, a re-issue is confirmed first
    on a page naming the certificate it replaces; its button posts that certificate's id as `replace`, which
    the service checks is still the current one."""
    project = project_of(request, pid)
    participant = selectors.participant_get(actor=request.user, project=project, public_id=ppid)
    current = certificates.certificate_current(participant=participant)
    replace = request.POST.get("replace") if request.method == "POST" else None
    if current is not None and not replace:
        return render(request, "youthpass/certificate_reissue.html", {
            "project": project, "participant": participant, "current": current, "tab": "participants"})
    if request.method != "POST":
        return redirect("youthpass:participant_detail", pid, ppid)
    try:
        credential = certificates.certificate_issue(actor=request.user, participant=participant, replace=replace)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Certificate %(number)s issued.") % {"number": credential.number})
    return redirect("youthpass:participant_detail", pid, ppid)


@login_required
@not_found_as_404
def certificate_download(request, pid, ppid):
    project = project_of(request, pid)
    participant = selectors.participant_get(actor=request.user, project=project, public_id=ppid)
    credential = participant.certificate
    if credential is None or not credential.pdf:
        raise Http404
    return private_file_response(credential.pdf, filename=f"{credential.number}.pdf", content_type="application/pdf")


@login_required
@not_found_as_404
def certificates_zip(request, pid):
    project = project_of(request, pid)
    data = certificates.certificates_zip(actor=request.user, project=project)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="youthpass-{project.grant_number}.zip"'
    return response


@login_required
@require_POST
@not_found_as_404
def batch_start(request, pid):
    """Issue the certificates of everyone ready, in the background."""
    project = project_of(request, pid)
    try:
        batch = certificates.certificate_batch_start(actor=request.user, project=project)
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("youthpass:participant_list", pid)
    skipped_message(request, batch.skipped)
    return redirect("youthpass:batch_detail", pid, batch.public_id)


@login_required
@not_found_as_404
def batch_detail(request, pid, bid):
    project = project_of(request, pid)
    if request.method == "POST":
        progress = certificates.certificate_batch_progress(actor=request.user, project=project, public_id=bid)
        certificates.certificate_batch_resume(actor=request.user, batch=progress["batch"])
        return redirect("youthpass:batch_detail", pid, bid)
    progress = certificates.certificate_batch_progress(actor=request.user, project=project, public_id=bid)
    template = "youthpass/_batch_progress.html" if request.htmx else "youthpass/batch_detail.html"
    return render(request, template, {"project": project, "tab": "participants", **progress})
