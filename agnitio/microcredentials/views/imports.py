"""Learners from a spreadsheet: upload, column mapping with preview and per-row errors, import (awards for the good
rows, issued in the background), the rows to fix, and the example file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from agnitio.core import spreadsheets
from agnitio.core.errors import ApplicationError
from agnitio.core.http import not_found_as_404, upload_refused_page

from .. import forms, selectors
from ..models import AwardImport
from ..services import imports
from ._common import XLSX


@login_required
@not_found_as_404
def import_upload(request, sid):
    specification = selectors.specification_get(actor=request.user, public_id=sid)
    if refused := upload_refused_page(request, group=imports.RATE_GROUP):  # per account and hour, with the API
        return refused
    form = forms.ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > spreadsheets.MAX_BYTES:  # before reading it into memory
            form.add_error("file", _("The file is larger than %(mb)d MB. Split it into smaller files.")
                           % {"mb": spreadsheets.MAX_BYTES // (1024 * 1024)})
        else:
            try:
                row = imports.award_import_upload(actor=request.user, specification=specification,
                                                  data=upload.read(), filename=upload.name,
                                                  languages=form.cleaned_data["languages"])
            except ApplicationError as error:
                form.add_error("file", str(error))
            else:
                return redirect("microcredentials:import_map", sid, row.public_id)
    return render(request, "microcredentials/import_upload.html", {"specification": specification, "form": form})


@login_required
@not_found_as_404
def import_map(request, sid, iid):
    specification = selectors.specification_get(actor=request.user, public_id=sid)
    upload = selectors.award_import_get(actor=request.user, specification=specification, public_id=iid)
    if upload.status != AwardImport.Status.UPLOADED:
        job = upload.awards.exclude(job_id="").values_list("job_id", flat=True).first()
        return render(request, "microcredentials/import_result.html",
                      {"specification": specification, "upload": upload, "job_id": job,
                       "rejected": spreadsheets.rejected_rows_shown(upload.rejected_rows)})
    with upload.file.open("rb") as handle:
        data = handle.read()
    try:
        table = spreadsheets.read_table(data, upload.original_name)
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("microcredentials:import_upload", sid)
    guessed = imports.import_mapping_guess(table.headers)
    form = forms.ImportMappingForm(request.POST or None, headers=table.headers,
                                   initial={f"col_{i}": f for i, f in guessed.items()})
    preview = error = None
    mapping = guessed
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        if "commit" in request.POST:
            try:
                result = imports.award_import_run(actor=request.user, upload=upload, mapping=mapping, data=data)
            except ApplicationError as exc:
                if exc.code == "imported":
                    return redirect("microcredentials:import_map", sid, iid)
                error = str(exc)
            else:
                messages.success(request, _("%(n)d learners imported: their micro-credentials are being issued.")
                                 % {"n": len(result.awards)})
                if result.job is not None:
                    return redirect("microcredentials:batch_detail", sid, result.job.public_id)
                return redirect("microcredentials:import_map", sid, iid)
    try:
        preview = imports.preview_table(specification=specification, table=table, mapping=mapping)
    except ApplicationError as exc:
        error = error or str(exc)
    return render(request, "microcredentials/import_map.html", {
        "specification": specification, "upload": upload, "form": form, "preview": preview, "error": error,
        "shown_rows": preview.rows[:imports.PREVIEW_ROWS] if preview else [],
        "error_rows": preview.error_rows[:500] if preview else []})


@login_required
@not_found_as_404
def import_rejected(request, sid, iid):
    specification = selectors.specification_get(actor=request.user, public_id=sid)
    upload = selectors.award_import_get(actor=request.user, specification=specification, public_id=iid)
    try:
        content = imports.award_import_rejected_xlsx(actor=request.user, upload=upload)
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("microcredentials:import_map", sid, iid)
    response = HttpResponse(content, content_type=XLSX)
    name = "labojamas-rindas.xlsx" if (translation.get_language() or "").startswith("lv") else "rows-to-fix.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def import_example(request):
    language = (translation.get_language() or "en")[:2]
    response = HttpResponse(imports.example_table(language), content_type=XLSX)
    name = "izglitojamie-paraugs.xlsx" if language == "lv" else "learners-example.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
