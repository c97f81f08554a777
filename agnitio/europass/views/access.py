"""Pages of issue 12, points 8-9: the accesses a sending institution gives (host, participant, whole group, block),
and the documents shared with a host or a participant (list, one document, the sections they may edit). There is
no PDF page here: a participant never makes the PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.http import not_found_as_404
from agnitio.core.pagination import keyset_page

from .. import forms, forms_access, sections, selectors, selectors_access
from ..services import access, document_section_update
from ._common import form_error, outcome_forms_used, outcomes_error


def _initial(document, form_class) -> dict:
    """The form's fields as the document has them (the photo is not edited here)."""
    initial = {}
    for name in form_class.base_fields:
        if hasattr(document, name) and name != "photo":
            value = getattr(document, name)
            initial[name] = str(value) if name == "mentor_phone" and value else value
    return initial


@login_required
@not_found_as_404
def document_access(request, did):
    """The sender's page: send access to the host, give the participant access, block."""
    document = selectors.document_get(actor=request.user, public_id=did)
    grants = list(selectors_access.document_access_list(actor=request.user, document=document))
    host_form = forms_access.HostAccessForm(request.POST if request.POST.get("action") == "host" else None,
                                            initial={"language": document.language})
    participant_form = forms_access.ParticipantAccessForm(
        request.POST if request.POST.get("action") == "participant" else None,
        initial={"language": document.language})
    if request.method == "POST":
        try:
            if host_form.is_bound and host_form.is_valid():
                access.host_access_send(actor=request.user, document=document,
                                        language=host_form.cleaned_data["language"])
                messages.success(request, _("The host was sent a personal link. You will be told when the host "
                                            "has registered."))
                return redirect("europass:document_access", document.public_id)
            if participant_form.is_bound and participant_form.is_valid():
                access.participant_access_grant(actor=request.user, documents=[document],
                                                write_until=participant_form.cleaned_data["write_until"],
                                                language=participant_form.cleaned_data["language"])
                messages.success(request, _("The participant was sent a personal link."))
                return redirect("europass:document_access", document.public_id)
        except NotFound:
            raise
        except ApplicationError as error:
            if participant_form.is_bound:  # beside the field it is about, the typed values kept
                form_error(participant_form, error, error.code)
            else:
                messages.error(request, str(error))
    return render(request, "europass/document_access.html", {
        "document": document, "grants": grants, "host_form": host_form, "participant_form": participant_form})


@login_required
@require_POST
@not_found_as_404
def document_access_block(request, did, gid):
    document = selectors.document_get(actor=request.user, public_id=did)
    grant = selectors_access.document_access_get(actor=request.user, document=document, public_id=gid)
    access.document_access_block(actor=request.user, grant=grant)
    messages.success(request, _("Access blocked."))
    return redirect("europass:document_access", document.public_id)


@login_required
@not_found_as_404
def application_access(request, aid):
    """Give the whole group of an application access at once."""
    application = selectors.application_list(actor=request.user).filter(public_id=aid).first()
    if application is None:
        raise NotFound()
    documents = list(application.documents.order_by("position", "id"))
    form = forms_access.ParticipantAccessForm(request.POST or None, initial={"language": application.language})
    if request.method == "POST" and form.is_valid():
        try:
            grants, left_out = access.participant_access_grant_group(
                actor=request.user, application=application, write_until=form.cleaned_data["write_until"],
                language=form.cleaned_data["language"])
        except NotFound:
            raise
        except ApplicationError as error:
            form_error(form, error, error.code)
        else:
            messages.success(request, _("%(count)d participants were sent a personal link.") % {"count": len(grants)})
            if left_out:
                messages.warning(request, _("Without an e-mail, so not sent: %(list)s") % {
                    "list": ", ".join(d.number or str(d.position) for d in left_out)})
            return redirect("europass:application_detail", application.public_id)
    return render(request, "europass/application_access.html", {"application": application, "form": form,
                                                                "documents": documents})


@login_required
def shared_document_list(request):
    page = keyset_page(selectors_access.shared_document_list(actor=request.user),
                       ordering=selectors_access.SHARED_ORDER, request=request)
    return render(request, "europass/shared_document_list.html", {
        "page": page, "is_host": selectors_access.is_host_account(actor=request.user)})


@login_required
@not_found_as_404
def shared_document_detail(request, did):
    shared = selectors_access.shared_document_get(actor=request.user, public_id=did)
    document = shared.document
    rows = [{"section": s, "editable": s.key in shared.sections} for s in sections.sections_for(document.kind)]
    return render(request, "europass/shared_document_detail.html", {
        "shared": shared, "document": document, "rows": rows, "outcomes": document.outcomes.all()})


@login_required
@not_found_as_404
def shared_document_section(request, did, section):
    shared = selectors_access.shared_document_get(actor=request.user, public_id=did)
    document = shared.document
    if section not in shared.sections or sections.rule(section, document.kind) == sections.Rule.REMOVED:
        raise NotFound()
    if section == "outcomes":
        return _outcomes(request, shared)
    form_class = forms.SECTION_FORMS.get(section)
    if form_class is None:
        raise Http404
    form = form_class(request.POST or None, initial=_initial(document, form_class))
    if "photo" in form.fields:
        del form.fields["photo"]
    form.fields.pop("photo_clear", None)
    form.fields.pop("language", None)  # the document's language stays the sending institution's choice
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("photo", "photo_clear")}
        try:
            document_section_update(actor=request.user, document=document, section=section, data=data)
        except NotFound:
            raise
        except ApplicationError as error:
            form_error(form, error, error.code)
        else:
            messages.success(request, _("Saved."))
            return redirect("europass:shared_document_detail", document.public_id)
    return render(request, "europass/shared_document_section.html", {
        "document": document, "form": form, "section": sections.SECTIONS_BY_KEY[section]})


def _outcomes(request, shared):
    document = shared.document
    initial = [{"framework": o.framework, "framework_name": o.framework_name, "text": o.text,
                "esco_uris": "\n".join(o.esco_uris)} for o in document.outcomes.all()]
    formset = forms.OutcomeFormSet(request.POST or None, initial=initial, prefix="outcomes")
    if request.method == "POST" and formset.is_valid():
        used = outcome_forms_used(formset)
        items = []
        for f in used:
            item = {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
            item["esco_uris"] = [u.strip() for u in item.get("esco_uris", "").splitlines() if u.strip()]
            items.append(item)
        try:
            document_section_update(actor=request.user, document=document, section="outcomes",
                                    data={"outcomes": items})
        except NotFound:
            raise
        except ApplicationError as error:
            if not outcomes_error(formset, used, error):
                messages.error(request, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("europass:shared_document_detail", document.public_id)
    return render(request, "europass/shared_document_outcomes.html", {
        "document": document, "formset": formset, "section": sections.SECTIONS_BY_KEY["outcomes"]})
