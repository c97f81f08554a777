"""Document job pages (progress, downloads) and the organisation seal page. Thin: selectors and services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.http import upload_refused_page
from agnitio.core.pagination import keyset_page
from agnitio.core.storage import private_file_response

from . import selectors, services
from .forms import SealUploadForm
from .seal import platform_ca_pem


def _get_job(request, public_id):
    try:
        return selectors.job_get(actor=request.user, public_id=public_id)
    except NotFound as exc:
        raise Http404 from exc


@login_required
def job_list(request):
    page = keyset_page(selectors.job_list(actor=request.user, organisation=request.organisation),
                       ordering=("-created_at", "-id"), request=request)
    return render(request, "documents/job_list.html", {"page": page})


@login_required
def job_detail(request, public_id):
    job = _get_job(request, public_id)
    return render(request, "documents/job_detail.html", {"job": job, "failed": selectors.job_items_failed(job=job)})


@login_required
def job_progress(request, public_id):
    job = _get_job(request, public_id)
    response = render(request, "documents/_job_progress.html",
                      {"job": job, "failed": selectors.job_items_failed(job=job)})
    if not job.is_active and request.htmx:
        response.status_code = 286  # htmx: stop polling
    return response


def _file_response(field_file, filename: str, content_type: str):
    """A stored file through this (permission-checked) view: streamed, or a short-lived signed URL with S3."""
    return private_file_response(field_file, filename=filename, content_type=content_type)


def _files_removed(request, job):
    """410 Gone with a page that says why: the job's files were deleted under the retention rules."""
    return render(request, "documents/job_files_removed.html",
                  {"job": job, "retention_days": settings.AGNITIO_DOCUMENT_JOB_RETENTION_DAYS}, status=410)


@login_required
def job_download(request, public_id):
    job = _get_job(request, public_id)
    if job.files_removed_at:
        return _files_removed(request, job)
    if not job.result:
        raise Http404
    return _file_response(job.result, f"documents-{job.kind}-{job.public_id}.zip", "application/zip")


@login_required
def job_item_download(request, public_id, number: int):
    job = _get_job(request, public_id)
    if job.files_removed_at:
        return _files_removed(request, job)
    try:
        item = selectors.job_item_get(actor=request.user, job_public_id=public_id, number=number)
    except NotFound as exc:
        raise Http404 from exc
    return _file_response(item.file, f"{item.job.kind}-{number:05d}.pdf", "application/pdf")


@login_required
@require_POST
def job_resume(request, public_id):
    job = _get_job(request, public_id)
    try:
        services.job_resume(actor=request.user, job=job)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The remaining documents were queued again."))
    return redirect("documents:job_detail", public_id=job.public_id)


@login_required
def seal_detail(request):
    organisation = request.organisation
    try:
        seal = selectors.seal_get(actor=request.user, organisation=organisation)
    except NotFound as exc:
        raise Http404 from exc
    if refused := upload_refused_page(request, group="documents.seal"):  # a seal file: per account and hour
        return refused
    form = SealUploadForm()
    if request.method == "POST":
        form = SealUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.seal_upload(actor=request.user, organisation=organisation,
                                     pkcs12=form.cleaned_data["pkcs12"].read(),
                                     password=form.cleaned_data["password"])
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The uploaded seal is now used for new documents."))
                return redirect("documents:seal")
    return render(request, "documents/seal.html", {"seal": seal, "form": form, "organisation": organisation})


@login_required
@require_POST
def seal_reset(request):
    try:
        selectors.seal_get(actor=request.user, organisation=request.organisation)
        services.seal_reset(actor=request.user, organisation=request.organisation)
    except NotFound as exc:
        raise Http404 from exc
    messages.success(request, _("A new seal issued by the platform is now used for new documents."))
    return redirect("documents:seal")


def ca_certificate(request):
    """The platform seal CA certificate (public), for adding to a PDF reader's trusted certificates."""
    response = HttpResponse(platform_ca_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="agnitio-seal-ca.pem"'
    return response
