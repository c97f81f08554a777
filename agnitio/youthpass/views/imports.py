"""The spreadsheet import of participants: upload, column mapping with preview, and the example file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from agnitio.core.errors import ApplicationError
from agnitio.core.http import not_found_as_404, upload_refused_page
from agnitio.core.spreadsheets import rejected_rows_shown

from .. import forms, selectors
from ..models import ParticipantImport
from ..services import imports
from ..spreadsheets import MAX_BYTES, example_table
from ._common import XLSX, project_of

# --- import ------------------------------------------------------------------------------------------------------

@login_required
@not_found_as_404
def import_upload(request, pid):
    project = project_of(request, pid)
    if refused := upload_refused_page(request, group=imports.RATE_GROUP):  # per account and hour, with the API
        return refused
    form = forms.ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:  # before reading it into memory
            form.add_error("file", _("The file is larger than %(mb)d MB. Split it into smaller files.")
                           % {"mb": MAX_BYTES // (1024 * 1024)})
        else:
            try:
                row = imports.participant_import_upload(actor=request.user, project=project, data=upload.read(),
                                                        filename=upload.name)
            except ApplicationError as error:
                form.add_error("file", str(error))
            else:
                return redirect("youthpass:import_map", pid, row.public_id)
    return render(request, "youthpass/import_upload.html", {"project": project, "form": form, "tab": "participants"})


@login_required
@not_found_as_404
def import_map(request, pid, iid):
    project = project_of(request, pid)
    upload = selectors.participant_import_get(project=project, public_id=iid)
    if upload.status != ParticipantImport.Status.UPLOADED:
        # imported (a second press of the button lands here too): what was imported and the rows left to fix
        return render(request, "youthpass/import_result.html", {
            "project": project, "upload": upload, "tab": "participants",
            "rejected": rejected_rows_shown(upload.rejected_rows)})
    with upload.file.open("rb") as handle:
        data = handle.read()
    encoding = request.POST.get("encoding", "") if request.method == "POST" else ""
    try:
        table = imports.read_table(data, upload.original_name, encoding=encoding)
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("youthpass:import_upload", pid)
    guessed = imports.guess_mapping(table.headers)
    initial = {f"col_{i}": f for i, f in guessed.items()}
    form = forms.ImportMappingForm(request.POST or None, headers=table.headers, project=project, initial=initial)
    preview = error = None
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        try:
            if "commit" in request.POST or "commit_partial" in request.POST:
                result = imports.participants_import_run(
                    actor=request.user, project=project, data=data, filename=upload.original_name, mapping=mapping,
                    encoding=form.cleaned_data["encoding"], activities=form.cleaned_data["activities"],
                    default_role=form.cleaned_data["default_role"], upload=upload,
                    partial="commit_partial" in request.POST)
                messages.success(request, _("%(n)d people imported.") % {"n": len(result.people)})
                if result.rejected:
                    return redirect("youthpass:import_map", pid, upload.public_id)
                return redirect("youthpass:participant_list", pid)
            preview = imports.preview_table(project=project, table=table, mapping=mapping,
                                            default_role=form.cleaned_data["default_role"])
        except ApplicationError as exc:
            if exc.code == "imported":  # pressed twice: the first press imported the table
                return redirect("youthpass:import_map", pid, upload.public_id)
            error = str(exc)
            if exc.extra.get("preview"):
                preview = imports.preview_table(project=project, table=table, mapping=mapping,
                                                default_role=form.cleaned_data["default_role"])
    elif request.method == "GET":
        try:
            preview = imports.preview_table(project=project, table=table, mapping=guessed)
        except ApplicationError as exc:
            error = str(exc)
    return render(request, "youthpass/import_map.html", {
        "project": project, "upload": upload, "form": form, "table": table, "preview": preview, "error": error,
        "shown_rows": preview.rows[:imports.PREVIEW_ROWS] if preview else [],
        "error_rows": preview.error_rows[:500] if preview else [], "tab": "participants"})


@login_required
@not_found_as_404
def import_rejected(request, pid, iid):
    """The rows a partial import left out, as a spreadsheet to fix and upload again."""
    project = project_of(request, pid)
    upload = selectors.participant_import_get(project=project, public_id=iid)
    try:
        content = imports.import_rejected_xlsx(actor=request.user, upload=upload)
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("youthpass:import_map", pid, iid)
    response = HttpResponse(content, content_type=XLSX)
    name = "labojamas-rindas.xlsx" if (translation.get_language() or "").startswith("lv") else "rows-to-fix.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def import_example(request):
    language = translation.get_language() or "en"
    response = HttpResponse(example_table(language[:2]), content_type=XLSX)
    name = "dalibnieki-paraugs.xlsx" if language.startswith("lv") else "participants-example.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
