"""The organisation's outbox for its owners and admins: what was sent, what failed and why; send again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.pagination import keyset_page

from . import selectors, services
from .forms import OutboxFilterForm
from .models import OutboxEmail


def _organisation(request):
    organisation = selectors.outbox_admin_organisation(
        actor=request.user, current=getattr(request, "organisation", None)
    )
    if organisation is None:
        raise Http404(_("Only an organisation's owners and admins see its e-mails."))
    return organisation


@login_required
def outbox_list(request):
    organisation = _organisation(request)
    form = OutboxFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_bound and form.is_valid() else ""
    emails = selectors.outbox_list(actor=request.user, organisation=organisation, status=status)
    counts = selectors.outbox_status_counts(actor=request.user, organisation=organisation)
    # the columns the table shows (never the bodies), one keyset page (core.pagination)
    page = keyset_page(emails.only(*selectors.OUTBOX_ROW_FIELDS), ordering=("-created_at", "-id"), request=request)
    return render(request, "notifications/outbox_list.html", {
        "organisation": organisation,
        "form": form,
        "page": page,
        "status": status,
        "status_counts": [(value, label, counts[value]) for value, label in OutboxEmail.Status.choices],
    })


@login_required
@require_POST
def outbox_retry(request, public_id):
    organisation = _organisation(request)
    try:
        email = selectors.outbox_get(actor=request.user, organisation=organisation, public_id=public_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    try:
        services.outbox_retry(actor=request.user, email=email)
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The e-mail to %(to)s is queued to be sent again.") % {"to": email.to})
    url = reverse("notifications:outbox")
    status = request.POST.get("status", "")
    if status in OutboxEmail.Status.values:
        url += "?" + urlencode({"status": status})
    return redirect(url)
