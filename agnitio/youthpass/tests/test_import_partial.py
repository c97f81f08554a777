"""Issue 11 point 5: files that are not tables are refused; an import with bad rows can save the good ones now and
keep the bad ones to download, fix and upload again."""

import datetime
import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from agnitio.apikeys.services import api_token_create
from agnitio.core.errors import ApplicationError
from agnitio.core.models import AuditEvent
from agnitio.core.spreadsheets import rejected_row_problems
from agnitio.core.tests.spreadsheet_files import xlsx
from agnitio.youthpass import spreadsheets
from agnitio.youthpass.models import Participant, ParticipantImport
from agnitio.youthpass.services import imports

MIXED = [["Vārds", "Uzvārds", "E-pasts", "Valsts"],
         ["Līga", "Ozoliņa", "liga@example.org", "Latvija"],
         ["Pēteris", "Kalns", "not-an-email", "LV"],
         ["Jonas", "Petraitis", "jonas@example.org", "LT"],
         ["", "Bezvārda", "", "Atlantīda"]]


@pytest.mark.parametrize(("data", "code"), [
    (b"Anna Berzina\nJanis Kalns\nLiga Ozolina\n", "not_table"),  # lines without a separator
    (b"Vards\nAnna\nJanis\n", "not_table"),  # a real one-column csv cannot hold first and last name apart
    (b"<!DOCTYPE html><html><body><table><tr><td>a</td><td>b</td></tr></table></body></html>", "not_table"),
    (b"<?xml version='1.0'?><root><a>1;2</a></root>", "not_table"),
    (bytes(range(1, 32)) * 40 + b";x\n", "not_table"),  # binary bytes renamed .csv
    (b"{\\rtf1\\ansi first;last}", "format"),
    (b"\x89PNG\r\n\x1a\nrest", "format"),
])
def test_files_that_are_not_tables_are_refused(data, code):
    with pytest.raises(ApplicationError) as info:
        spreadsheets.read_table(data, "people.csv")
    assert info.value.code == code
    assert "not a spreadsheet" in str(info.value)


def test_a_one_column_sheet_says_what_the_import_needs():
    with pytest.raises(ApplicationError) as info:
        spreadsheets.read_table(xlsx([["Vārds"], ["Anna"], ["Jānis"]]), "x.xlsx")
    assert info.value.code == "one_column" and "first name and the last name" in str(info.value)


def test_real_tables_still_read():
    table = spreadsheets.read_table("Vārds;Uzvārds\nAnna;Bērziņa\n".encode(), "x.csv")
    assert table.headers == ["Vārds", "Uzvārds"] and table.rows == [["Anna", "Bērziņa"]]
    # a Western 8-bit file with a few typographic quotes is still text
    table = spreadsheets.read_table("First name,Last name\nJosé,Müller “Jr”\n".encode("cp1252"), "x.csv")
    assert table.rows[0][0] == "José"


def test_partial_import_saves_the_good_rows_and_keeps_the_bad(owner, project, django_capture_on_commit_callbacks):
    data = xlsx(MIXED)
    with pytest.raises(ApplicationError) as info:  # all or nothing stays the default
        imports.participants_import_commit(actor=owner, project=project, data=data)
    assert "import the rows without problems now" in str(info.value)
    assert not project.participants.exists()
    upload = imports.participant_import_upload(actor=owner, project=project, data=data, filename="t.xlsx")
    with django_capture_on_commit_callbacks(execute=True):
        result = imports.participants_import_run(actor=owner, project=project, data=data, upload=upload,
                                                 partial=True)
    assert sorted(p.last_name for p in result.people) == ["Ozoliņa", "Petraitis"]
    assert sorted(project.participants.values_list("last_name", flat=True)) == ["Ozoliņa", "Petraitis"]
    upload.refresh_from_db()
    assert upload.status == ParticipantImport.Status.PARTIAL
    assert (upload.row_count, upload.imported_count) == (4, 2)
    assert upload.headers == MIXED[0]
    assert [r["line"] for r in upload.rejected_rows] == [3, 5]
    assert upload.rejected_rows[0]["cells"] == ["Pēteris", "Kalns", "not-an-email", "LV"]
    assert "not a valid e-mail" in " ".join(rejected_row_problems(upload.rejected_rows[0]))
    assert "Atlantīda" in " ".join(rejected_row_problems(upload.rejected_rows[1]))
    assert not default_storage.exists(upload.file.name)  # the table itself is not kept
    event = AuditEvent.objects.filter(verb="participants imported").get()
    assert event.changes["rows not imported"] == [None, 2]

    # pressing the button again does not import anyone twice
    with pytest.raises(ApplicationError) as info:
        imports.participants_import_run(actor=owner, project=project, data=data, upload=upload, partial=True)
    assert info.value.code == "imported"
    assert project.participants.count() == 2

    # the bad rows as a table to fix: headings, cells, problems, row number; it reads back as an import
    sheet = load_workbook(io.BytesIO(imports.import_rejected_xlsx(actor=owner, upload=upload))).active
    values = list(sheet.values)
    assert values[0] == ("Vārds", "Uzvārds", "E-pasts", "Valsts", "Problems", "Row in the uploaded file")
    assert values[1][:4] == ("Pēteris", "Kalns", "not-an-email", "LV") and values[1][5] == 3
    fixed = xlsx([list(values[0]), ["Pēteris", "Kalns", "peteris@example.org", "LV", values[1][4], 3],
                  ["Ieva", "Bezvārda", "", "LV", values[2][4], 5]])
    imports.participants_import_commit(actor=owner, project=project, data=fixed)
    assert project.participants.count() == 4


def test_partial_import_with_no_good_row_saves_nothing(owner, project):
    data = xlsx([MIXED[0], MIXED[2], MIXED[4]])
    with pytest.raises(ApplicationError) as info:
        imports.participants_import_run(actor=owner, project=project, data=data, partial=True)
    assert info.value.code == "rows" and "no row is without problems" in str(info.value)
    assert not project.participants.exists()


def test_partial_import_twice_without_upload_does_not_duplicate(owner, project):
    data = xlsx(MIXED)
    imports.participants_import_run(actor=owner, project=project, data=data, partial=True)
    with pytest.raises(ApplicationError):  # every good row is now "already in this project"
        imports.participants_import_run(actor=owner, project=project, data=data, partial=True)
    assert project.participants.count() == 2


def test_rejected_rows_are_cleared_after_a_day(owner, project):
    data = xlsx(MIXED)
    upload = imports.participant_import_upload(actor=owner, project=project, data=data, filename="t.xlsx")
    imports.participants_import_run(actor=owner, project=project, data=data, upload=upload, partial=True)
    imports.participant_imports_purge_abandoned()  # (counts other tests' orphan files in the shared media folder)
    upload.refresh_from_db()
    assert len(upload.rejected_rows) == 2  # kept within the day
    later = timezone.now() + datetime.timedelta(hours=25)
    assert imports._rejected_rows_purge(now=later) == 1
    upload.refresh_from_db()
    assert upload.rejected_rows == [] and upload.headers == [] and upload.status == "partial"
    assert imports._rejected_rows_purge(now=later) == 0
    assert AuditEvent.objects.filter(verb="rows not imported expired").count() == 1
    # the hourly task runs it
    second = imports.participant_import_upload(actor=owner, project=project, data=xlsx([MIXED[0], MIXED[2]]),
                                               filename="u.xlsx")
    second.status, second.rejected_rows, second.headers = "partial", [{"line": 2, "cells": [], "errors": []}], ["a"]
    second.save()
    imports.participant_imports_purge_abandoned(now=later)
    second.refresh_from_db()
    assert second.rejected_rows == []


def test_rejected_rows_are_the_projects_own(owner, outsider, project):
    data = xlsx(MIXED)
    upload = imports.participant_import_upload(actor=owner, project=project, data=data, filename="t.xlsx")
    imports.participants_import_run(actor=owner, project=project, data=data, upload=upload, partial=True)
    with pytest.raises(Exception) as info:
        imports.import_rejected_xlsx(actor=outsider, upload=upload)
    assert type(info.value).__name__ in ("NotFound", "PermissionDenied")


def test_view_walk_partial_import_and_download(client, owner, project, django_capture_on_commit_callbacks):
    client.force_login(owner)
    pid = project.public_id
    response = client.post(reverse("youthpass:import_upload", args=[pid]),
                           {"file": SimpleUploadedFile("names.csv", b"Anna Berzina\nJanis Kalns\n")})
    assert response.status_code == 200 and "not a spreadsheet" in response.content.decode()
    map_url = client.post(reverse("youthpass:import_upload", args=[pid]),
                          {"file": SimpleUploadedFile("t.xlsx", xlsx(MIXED))})["Location"]
    page = client.get(map_url).content.decode()
    assert "Import the 2 rows without problems now" in page and 'name="commit_partial"' in page
    form = {"col_0": "first_name", "col_1": "last_name", "col_2": "email", "col_3": "country",
            "default_role": "participant"}
    response = client.post(map_url, {**form, "commit": "1"})  # all or nothing: refused, nothing saved
    assert response.status_code == 200 and not project.participants.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(map_url, {**form, "commit_partial": "1"})
    assert response.status_code == 302 and response["Location"] == map_url
    assert project.participants.count() == 2
    page = client.get(map_url).content.decode()
    assert "Rows to fix" in page and "not-an-email" in page and "Atlantīda" in page
    response = client.post(map_url, {**form, "commit_partial": "1"})  # a second press lands on the result
    assert response.status_code == 200 and project.participants.count() == 2
    upload = project.imports.get()
    response = client.get(reverse("youthpass:import_rejected", args=[pid, upload.public_id]))
    assert response["Content-Disposition"].endswith('rows-to-fix.xlsx"')
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert [r[0] for r in rows[1:]] == ["Pēteris", None]


def test_api_partial_import(client, owner, project):
    token = api_token_create(actor=owner, name="t")[1]
    response = client.post(f"/api/v1/youthpass/projects/{project.public_id}/participants/import",
                           {"file": SimpleUploadedFile("t.xlsx", xlsx(MIXED)), "partial": "true"},
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    body = response.json()
    assert response.status_code == 200 and body["imported"] == 2
    assert body["headers"] == MIXED[0] and [r["line"] for r in body["rejected"]] == [3, 5]
    assert body["rejected"][0]["cells"][2] == "not-an-email" and body["rejected"][0]["errors"]
    assert Participant.objects.filter(project=project).count() == 2


@pytest.fixture
def reader_language():
    """Pages read in Latvian leave Latvian active in this thread (the test client does not reset it): back to the
    default language after the test, so the tests after it read English."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture
def latvian_editor(make_user, organisation):
    from agnitio.organisations.models import Membership

    user = make_user("redaktore@tilts.example", language="lv")
    Membership.objects.create(organisation=organisation, user=user, role="admin")
    return user


def test_rows_to_fix_are_shown_in_the_readers_language(client, owner, latvian_editor, project, reader_language,
                                                       django_capture_on_commit_callbacks):
    """An English colleague imports; the rows to fix are kept untranslated (core.problems) and a Latvian colleague
    reads them in Latvian on the page, in the downloaded table and in the API; the English one in English."""
    from django.conf import settings
    from django.utils import translation

    data = xlsx(MIXED)
    with translation.override("en"):
        upload = imports.participant_import_upload(actor=owner, project=project, data=data, filename="t.xlsx")
        with django_capture_on_commit_callbacks(execute=True):
            imports.participants_import_run(actor=owner, project=project, data=data, upload=upload, partial=True)
    upload.refresh_from_db()
    assert upload.rejected_rows[0]["problems"] == [
        {"msgid": "“%(value)s” is not a valid e-mail address.", "params": {"value": "not-an-email"}}]

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "lv"
    client.force_login(latvian_editor)
    page = client.get(reverse("youthpass:import_map", args=[project.public_id, upload.public_id])).content.decode()
    assert "“not-an-email” nav derīga e-pasta adrese." in page and "is not a valid e-mail address" not in page
    assert "Nezināma valsts “Atlantīda”" in page
    response = client.get(reverse("youthpass:import_rejected", args=[project.public_id, upload.public_id]))
    assert response["Content-Disposition"].endswith('labojamas-rindas.xlsx"')
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][-2:] == ("Problēmas", "Rinda augšupielādētajā failā")
    assert rows[1][4] == "“not-an-email” nav derīga e-pasta adrese." and rows[1][5] == 3
    with translation.override("en"):
        table = imports.import_rejected_xlsx(actor=owner, upload=upload)
    english = list(load_workbook(io.BytesIO(table)).active.values)
    assert english[1][4] == "“not-an-email” is not a valid e-mail address."


def test_rows_kept_as_text_by_older_versions_still_show(client, owner, project, reader_language):
    """Rows stored before problems were kept untranslated hold text: shown as stored (a message without
    parameters, stored in English, is translated again)."""
    from django.conf import settings

    upload = imports.participant_import_upload(actor=owner, project=project, data=xlsx(MIXED), filename="t.xlsx")
    ParticipantImport.objects.filter(pk=upload.pk).update(
        status="partial", headers=MIXED[0],
        rejected_rows=[{"line": 3, "cells": MIXED[2], "errors": ["“x” is not a valid e-mail address.",
                                                                  "Last name is missing."]}])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "lv"
    client.force_login(owner)
    page = client.get(reverse("youthpass:import_map", args=[project.public_id, upload.public_id])).content.decode()
    assert "“x” is not a valid e-mail address." in page and "Nav norādīts uzvārds." in page
    upload.refresh_from_db()
    rows = list(load_workbook(io.BytesIO(imports.import_rejected_xlsx(actor=owner, upload=upload))).active.values)
    assert rows[1][4] == "“x” is not a valid e-mail address. Nav norādīts uzvārds."
