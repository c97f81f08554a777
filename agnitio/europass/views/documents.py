"""Pages of documents: list, one document with its sections and what is missing, a section's form, learning
outcomes, KA1 documents, the certificate from the agreement, group learning programmes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.http import not_found_as_404, upload_refused_page
from agnitio.core.pagination import keyset_page

from .. import forms, sections, selectors, services
from ._common import form_error, institution_of, outcome_forms_used, outcomes_error, render_document_detail


@login_required
def document_list(request):
    page = keyset_page(selectors.document_list(actor=request.user), ordering=selectors.DOCUMENT_ORDER,
                       request=request)
    return render(request, "europass/document_list.html", {"page": page})


@login_required
@not_found_as_404
def document_detail(request, did):
    document = selectors.document_get(actor=request.user, public_id=did)
    return render_document_detail(request, document)


def _initial(document, form_class) -> dict:
    initial = {}
    for name in form_class.base_fields:
        if hasattr(document, name) and name != "photo":
            value = getattr(document, name)
            initial[name] = str(value) if name == "mentor_phone" and value else value
    return initial


@login_required
@not_found_as_404
def document_section(request, did, section):
    document = selectors.document_get(actor=request.user, public_id=did)
    if section == "outcomes":
        return _outcomes(request, document)
    form_class = forms.SECTION_FORMS.get(section)
    if form_class is None or sections.rule(section, document.kind) == sections.Rule.REMOVED:
        raise Http404
    if refused := upload_refused_page(request, group="europass.photo"):  # a photo: per account and hour
        return refused
    form = form_class(request.POST or None, request.FILES or None, initial=_initial(document, form_class))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("photo", "photo_clear")}
        for key in ("date_of_birth", "start_date", "end_date"):
            if key in data and data[key] is None:
                data[key] = None
        try:
            services.document_section_update(actor=request.user, document=document, section=section, data=data)
            if section == "personal" and (form.cleaned_data.get("photo") or form.cleaned_data.get("photo_clear")):
                services.document_photo_set(actor=request.user, document=document,
                                            upload=form.cleaned_data.get("photo"),
                                            clear=bool(form.cleaned_data.get("photo_clear")))
        except NotFound:
            raise
        except ApplicationError as error:
            form_error(form, error, error.code)
        else:
            messages.success(request, _("Saved."))
            return redirect("europass:document_detail", document.public_id)
    return render(request, "europass/document_section.html", {
        "document": document, "form": form, "section": sections.SECTIONS_BY_KEY[section],
        "rule": sections.rule(section, document.kind), "multipart": section == "personal"})


def _outcomes(request, document):
    initial = [{"framework": o.framework, "framework_name": o.framework_name, "text": o.text,
                "esco_uris": "\n".join(o.esco_uris)} for o in document.outcomes.all()]
    formset = forms.OutcomeFormSet(request.POST or None, initial=initial, prefix="outcomes")
    if request.method == "POST" and formset.is_valid():
        used = outcome_forms_used(formset)
        items = [{**f.cleaned_data, "esco_uris": [u.strip() for u in f.cleaned_data["esco_uris"].splitlines()
                                                   if u.strip()]} for f in used]
        for item in items:
            item.pop("DELETE", None)
        try:
            services.document_section_update(actor=request.user, document=document, section="outcomes",
                                             data={"outcomes": items})
        except NotFound:
            raise
        except ApplicationError as error:
            if not outcomes_error(formset, used, error):
                messages.error(request, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("europass:document_detail", document.public_id)
    agreement_outcomes = document.agreement.outcomes.all() if document.agreement_id else []
    return render(request, "europass/document_outcomes.html", {
        "document": document, "formset": formset, "agreement_outcomes": agreement_outcomes,
        "section": sections.SECTIONS_BY_KEY["outcomes"]})


@login_required
@require_POST
@not_found_as_404
def certificate_create(request, did):
    agreement = selectors.document_get(actor=request.user, public_id=did)
    try:
        certificate = services.certificate_create_from_agreement(actor=request.user, agreement=agreement)
    except NotFound:
        raise
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("europass:document_detail", agreement.public_id)
    messages.success(request, _("The mobility certificate was made from the agreement. Now enter the achieved "
                                "learning outcomes and who signs."))
    return redirect("europass:document_detail", certificate.public_id)


@login_required
@not_found_as_404
def document_ka1_create(request):
    institution = institution_of(request)
    form = forms.KA1Form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_ka1_create(actor=request.user, institution=institution,
                                                    **form.cleaned_data)
        except NotFound:
            raise
        except ApplicationError as error:
            form_error(form, error, "project_number" if error.code == "project_number" else "mobility_id")
        else:
            return redirect("europass:document_detail", document.public_id)
    return render(request, "europass/document_ka1.html", {"form": form})


@login_required
@not_found_as_404
def group_programme_form(request, gid=None):
    institution = institution_of(request)
    programme = selectors.group_programme_get(actor=request.user, institution=institution, public_id=gid) \
        if gid else None
    documents = list(selectors.document_list(actor=request.user).filter(institution=institution)
                     .order_by("-created_at", "-id")[:500])
    initial = {}
    if programme is not None:
        initial = {"title": programme.title, "language": programme.language, "description": programme.description,
                   "activities": programme.activities, "learning_outcomes": programme.learning_outcomes,
                   "documents": [d.public_id for d in documents if d.group_programme_id == programme.pk]}
    form = forms.GroupProgrammeForm(request.POST or None, initial=initial, documents=documents)
    if request.method == "POST" and form.is_valid():
        chosen = [d for d in documents if d.public_id in set(form.cleaned_data["documents"])]
        try:
            if programme is None:
                programme = services.group_programme_create(actor=request.user, institution=institution,
                                                            data=form.cleaned_data, documents=chosen)
            else:
                services.group_programme_update(actor=request.user, programme=programme, data=form.cleaned_data,
                                                documents=chosen)
        except NotFound:
            raise
        except ApplicationError as error:
            form_error(form, error, error.code)
        else:
            messages.success(request, _("Saved."))
            return redirect("europass:group_programme_edit", programme.public_id)
    programmes = selectors.group_programme_list(actor=request.user, institution=institution)[:100]
    return render(request, "europass/group_programme_form.html", {"form": form, "programme": programme,
                                                                  "programmes": programmes})
