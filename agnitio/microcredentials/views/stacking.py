"""Stacking: compose a draft micro-credential of others; see who qualifies (keyset pages) and issue the combined
micro-credential to them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agnitio.core.emails import email_normalise
from agnitio.core.errors import ApplicationError
from agnitio.core.http import not_found_as_404
from agnitio.core.pagination import keyset_page

from .. import forms_more, selectors
from ..models import Specification
from ..services import stacking as services
from ._common import form_error


@login_required
@not_found_as_404
def composition_edit(request, sid):
    specification = selectors.specification_get(actor=request.user, public_id=sid)
    candidates = selectors.specification_list(actor=request.user, organisation=specification.organisation,
                                              status=Specification.Status.PUBLISHED).exclude(
        lineage=specification.lineage).order_by("title", "id")[:200]
    composition = selectors.composition_get(actor=request.user, specification=specification)
    initial = None
    if composition is not None:
        by_lineage = {s.lineage: s.public_id for s in candidates}
        initial = {"parts": [by_lineage[x] for x in composition.parts if x in by_lineage], "rule": composition.rule,
                   "required": composition.required or None, "ordered": composition.ordered}
    form = forms_more.CompositionForm(request.POST or None, initial=initial,
                                      choices=[(s.public_id, s.title) for s in candidates])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.composition_set(actor=request.user, specification=specification, parts=data["parts"],
                                     rule=data["rule"], required=data["required"] or 0, ordered=data["ordered"])
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The composition is saved."))
            return redirect("microcredentials:specification_detail", sid)
    return render(request, "microcredentials/composition_form.html",
                  {"specification": specification, "form": form})


@login_required
@not_found_as_404
def stack_qualifiers(request, sid):
    specification = selectors.specification_get(actor=request.user, public_id=sid)
    composition = selectors.composition_get(actor=request.user, specification=specification)
    page = keyset_page(selectors.stack_qualifiers(actor=request.user, specification=specification),
                       ordering=selectors.QUALIFIER_ORDER, request=request)
    rows = []
    if composition is not None and page.items:
        emails = [a.learner_email for a in page.items]
        held: dict[str, list] = {}
        for award in selectors.stack_part_awards(composition=composition, emails=emails):
            held.setdefault(award.learner_email, []).append(award)
        recognised: dict[str, list] = {}
        for item in selectors.stack_recognised_parts(composition=composition, emails=emails):
            recognised.setdefault(email_normalise(item.learner.email), []).append(item)
        for award in page.items:
            parts = services.qualifying_parts(composition, held.get(award.learner_email, []),
                                              recognised.get(award.learner_email, []))
            rows.append({"award": award, "parts": parts})
    return render(request, "microcredentials/stack_qualifiers.html", {
        "specification": specification, "composition": composition, "page": page, "rows": rows})


@login_required
@require_POST
@not_found_as_404
def stack_issue(request, sid):
    specification = selectors.specification_get(actor=request.user, public_id=sid)
    form = forms_more.StackIssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a learner."))
        return redirect("microcredentials:stack_qualifiers", sid)
    try:
        award = services.stack_award_issue(actor=request.user, specification=specification,
                                           learner_email=form.cleaned_data["learner_email"])
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("microcredentials:stack_qualifiers", sid)
    messages.success(request, _("Issued the combined micro-credential."))
    return redirect("microcredentials:award_detail", award.public_id)
