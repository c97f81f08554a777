"""Copy data to other documents (seed 002 "Kopēt datus pārējos Europass dokumentos"): the copyable fields are
highlighted, the user chooses fields and documents, sees the preview (what changes in each), then confirms. Plain
forms: choose → preview → confirm, no JavaScript needed; a target changed after the preview is reported."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.http import not_found_as_404

from .. import forms_access, sections, selectors, selectors_access
from ..models import MobilityDocument
from ..services.copy import CopyConflict, copyable_fields, document_copy_apply, document_copy_preview


def _field_label(name: str) -> str:
    if name == "outcomes":
        return str(sections.SECTIONS_BY_KEY["outcomes"].label)
    return str(MobilityDocument._meta.get_field(name).verbose_name)


@login_required
@not_found_as_404
def document_copy(request, did, section):
    source = selectors.document_get(actor=request.user, public_id=did)
    names = copyable_fields(section)
    candidates = list(selectors_access.copy_targets(actor=request.user, source=source)[:500])
    form = forms_access.CopyForm(
        request.POST or None, initial={"fields": list(names)},
        field_choices=[(n, _field_label(n)) for n in names if n != "host_type_other"] if section == "host"
        else [(n, _field_label(n)) for n in names],
        target_choices=[(d.public_id, f"{d.number or d.position} {d.participant_name}".strip()) for d in candidates])
    previews = None
    if request.method == "POST" and form.is_valid():
        chosen = [d for d in candidates if d.public_id in set(form.cleaned_data["targets"])]
        fields = form.cleaned_data["fields"]
        if section == "host" and "host_type" in fields:
            fields = [*fields, "host_type_other"]
        try:
            if request.POST.get("action") == "apply":
                versions = {d.public_id: request.POST.get(f"version-{d.public_id}", "") for d in chosen}
                document_copy_apply(actor=request.user, source=source, section=section, fields=fields,
                                    targets=chosen, versions=versions)
                messages.success(request, _("Copied to %(count)d documents.") % {"count": len(chosen)})
                return redirect("europass:document_detail", source.public_id)
            previews = document_copy_preview(actor=request.user, source=source, section=section, fields=fields,
                                             targets=chosen)
        except NotFound:
            raise
        except CopyConflict as conflict:
            messages.error(request, str(conflict))
            previews = document_copy_preview(actor=request.user, source=source, section=section, fields=fields,
                                             targets=chosen)
        except ApplicationError as error:
            form.add_error(None, str(error))
    return render(request, "europass/document_copy.html", {
        "document": source, "section": sections.SECTIONS_BY_KEY[section], "form": form, "previews": previews,
        "values": [(_field_label(n), getattr(source, f"get_{n}_display", lambda n=n: getattr(source, n))()
                    if n != "outcomes" else "; ".join(o.text[:80] for o in source.outcomes.all()))
                   for n in names]})
