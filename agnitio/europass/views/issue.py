"""Making documents: the PDF of a learning agreement (or of a Try Out document), issuing a mobility certificate
through the Trust layer, and bulk generation for a whole application with its progress page (which refreshes
itself without JavaScript while the job runs)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.http import not_found_as_404

from .. import selectors, services
from ._common import render_document_detail


def _refused(request, document, error: ApplicationError):
    """The document page again, with the reason (and, when incomplete, the list it already shows)."""
    messages.error(request, str(error))
    return render_document_detail(request, document,
                                  status=422 if isinstance(error, services.DocumentIncomplete) else 400)


@login_required
@not_found_as_404
def document_pdf(request, did):
    document = selectors.document_get(actor=request.user, public_id=did)
    try:
        pdf = services.document_pdf_render(actor=request.user, document=document)
    except NotFound:
        raise
    except ApplicationError as error:
        return _refused(request, document, error)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = document.number if not document.try_out else f"try-out-{document.public_id}"
    response["Content-Disposition"] = f'attachment; filename="europass-{name}.pdf"'
    return response


@login_required
@require_POST
@not_found_as_404
def document_issue(request, did):
    document = selectors.document_get(actor=request.user, public_id=did)
    try:
        credential = services.document_certificate_issue(actor=request.user, document=document)
    except NotFound:
        raise
    except ApplicationError as error:
        return _refused(request, document, error)
    messages.success(request, _("The mobility certificate was issued (%(number)s) and offered to the participant's "
                                "wallet.") % {"number": credential.number})
    return redirect("europass:document_detail", document.public_id)


@login_required
@require_POST
@not_found_as_404
def application_generate(request, aid):
    application = selectors.application_get(actor=request.user, public_id=aid)
    try:
        started = services.application_documents_generate(actor=request.user, application=application)
    except NotFound:
        raise
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("europass:application_detail", application.public_id)
    return redirect("europass:application_job", application.public_id, started.job.public_id)


@login_required
@not_found_as_404
def application_job(request, aid, jid):
    application = selectors.application_get(actor=request.user, public_id=aid)
    job = selectors.application_job_get(actor=request.user, application=application, public_id=jid)
    items, left_out = selectors.application_job_rows(job=job, application=application)
    return render(request, "europass/application_job.html", {
        "application": application, "job": job, "items": items, "left_out": left_out})
