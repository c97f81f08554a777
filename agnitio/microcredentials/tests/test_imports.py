"""Learners from a spreadsheet: the preview names each bad row, the good rows are awarded and issued in a job,
the bad ones are kept to download and fix; the pages work without JavaScript; outsiders get 404."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.spreadsheets import read_table, xlsx_bytes
from agnitio.microcredentials.models import Award, AwardImport
from agnitio.microcredentials.services import imports

HEADERS = ["Vārds", "Uzvārds", "E-pasts", "Dzimšanas datums", "Vērtējums", "Novērtēšanas datums", "Pierādījumi"]
ROWS = [
    ["Anna", "Bērziņa", "anna@example.org", "14.05.2001", "9", "2026-11-10", "https://portfolio.example/anna"],
    ["", "Kalns", "kalns@example.org", "", "8", "", ""],                       # no first name
    ["Jonas", "Petraitis", "not-an-email", "", "7", "", ""],                    # bad e-mail
    ["Līga", "Ozoliņa", "liga@example.org", "31.02.2001", "10", "", ""],       # impossible date
    ["Pēteris", "Zariņš", "peteris@example.org", "", "", "", "ftp://x y"],     # bad evidence links
    ["Anna", "Bērziņa", "ANNA@example.org", "", "", "", ""],                   # same e-mail as row 2
    ["Ilze", "Kalniņa", "ilze@example.org", "", "Pass", "", ""],
]


def _xlsx(rows=ROWS, headers=HEADERS) -> bytes:
    return xlsx_bytes(headers, rows)


@pytest.fixture
def upload(owner, published):
    return imports.award_import_upload(actor=owner, specification=published, data=_xlsx(), filename="learners.xlsx")


def test_preview_recognises_the_headings_and_names_each_bad_row(published):
    table = read_table(_xlsx(), "learners.xlsx")
    preview = imports.preview_table(specification=published, table=table)
    assert set(preview.mapping.values()) == {"first_name", "last_name", "email", "date_of_birth", "grade",
                                             "assessed_on", "evidence"}
    errors = {r.line: " ".join(map(str, r.errors)) for r in preview.error_rows}
    assert sorted(errors) == [3, 4, 5, 6, 7]
    assert "name" in errors[3] and "e-mail" in errors[4] and "date of birth" in errors[5]
    assert "web link" in errors[6] and "also on row 2" in errors[7]
    assert preview.valid_count == 2
    assert not Award.objects.exists()  # a preview saves nothing


def test_import_awards_good_rows_issues_them_and_keeps_bad_rows(owner, upload, published,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = imports.award_import_run(actor=owner, upload=upload)
    assert sorted(a.learner_email for a in result.awards) == ["anna@example.org", "ilze@example.org"]
    assert [r["line"] for r in result.rejected] == [3, 4, 5, 6, 7]
    anna = Award.objects.get(learner_email="anna@example.org")
    assert anna.status == Award.Status.ISSUED and anna.grade == "9" and str(anna.assessed_on) == "2026-11-10"
    assert str(anna.learner_date_of_birth) == "2001-05-14"
    assert [e.url for e in anna.evidence.all()] == ["https://portfolio.example/anna"]
    assert anna.award_import == upload and anna.job_id == result.job.public_id
    result.job.refresh_from_db()
    assert (result.job.total, result.job.done) == (2, 2)
    upload.refresh_from_db()
    assert upload.status == AwardImport.Status.PARTIAL and upload.imported_count == 2
    # the rows to fix, as a table with their problems
    table = read_table(imports.award_import_rejected_xlsx(actor=owner, upload=upload), "fix.xlsx")
    assert table.headers[:len(HEADERS)] == HEADERS and len(table.rows) == 5
    assert "e-mail" in table.rows[1][len(HEADERS)]
    # imported once only
    with pytest.raises(ApplicationError) as info:
        imports.award_import_run(actor=owner, upload=upload)
    assert info.value.code == "imported"
    assert Award.objects.count() == 2


def test_a_table_without_any_good_row_saves_nothing(owner, published):
    upload = imports.award_import_upload(actor=owner, specification=published, data=_xlsx(ROWS[1:3]),
                                         filename="bad.xlsx")
    with pytest.raises(ApplicationError) as info:
        imports.award_import_run(actor=owner, upload=upload)
    assert info.value.code == "rows" and info.value.extra["preview"]["error_count"] == 2
    upload.refresh_from_db()
    assert upload.status == AwardImport.Status.UPLOADED and not Award.objects.exists()


def test_mapping_needs_name_and_email(published):
    table = read_table(_xlsx([["a", "b"]], ["Something", "Else"]), "x.xlsx")
    with pytest.raises(ApplicationError) as info:
        imports.preview_table(specification=published, table=table)
    assert info.value.code == "mapping"


def test_uploads_are_checked_by_content(owner, published):
    with pytest.raises(ApplicationError):
        imports.award_import_upload(actor=owner, specification=published, data=b"%PDF-1.4 not a table",
                                    filename="learners.xlsx")
    assert not AwardImport.objects.exists()


def test_outsider_cannot_upload_or_import(outsider, owner, published, upload):
    with pytest.raises(NotFound):
        imports.award_import_upload(actor=outsider, specification=published, data=_xlsx(), filename="x.xlsx")
    with pytest.raises(NotFound):
        imports.award_import_run(actor=outsider, upload=upload)
    upload.refresh_from_db()
    assert upload.status == AwardImport.Status.UPLOADED and AwardImport.objects.count() == 1
    assert not Award.objects.exists()


def test_pages_upload_preview_and_import_without_javascript(client, owner, published,
                                                           django_capture_on_commit_callbacks):
    client.force_login(owner)
    url = reverse("microcredentials:import_upload", args=[published.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": SimpleUploadedFile("learners.xlsx", _xlsx()), "languages": "en"})
    assert response.status_code == 302
    upload = AwardImport.objects.get()
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "Rows with problems" in html
    assert "Issue to the 2 learners without problems" in html
    mapping = {f"col_{i}": f for i, f in imports.import_mapping_guess(HEADERS).items()}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response["Location"], {**mapping, "commit": "1"})
    assert response.status_code == 302 and "/batches/" in response["Location"]
    assert client.get(response["Location"]).status_code == 200
    result = client.get(reverse("microcredentials:import_map", args=[published.public_id, upload.public_id]))
    assert "Rows not imported" in result.content.decode()
    fix = client.get(reverse("microcredentials:import_rejected", args=[published.public_id, upload.public_id]))
    assert fix.status_code == 200 and read_table(fix.content, "fix.xlsx").rows
    example = client.get(reverse("microcredentials:import_example"))
    assert example.status_code == 200
    table = read_table(example.content, "example.xlsx")
    assert set(imports.import_mapping_guess(table.headers).values()) >= {"first_name", "last_name", "email"}


def test_csv_with_a_full_name_column(owner, published):
    data = "Name;E-mail;Grade\nAnna Bērziņa;anna@example.org;Pass\n".encode()
    preview = imports.preview_table(specification=published, table=read_table(data, "x.csv"))
    assert preview.valid_count == 1 and preview.rows[0].learner.name == "Anna Bērziņa"


def test_abandoned_tables_and_rows_left_out_expire_after_a_day(owner, published, upload,
                                                              django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    from agnitio.microcredentials.tasks import award_imports_purge

    imported = imports.award_import_upload(actor=owner, specification=published, data=_xlsx(), filename="b.xlsx")
    with django_capture_on_commit_callbacks(execute=True):
        imports.award_import_run(actor=owner, upload=imported)
    assert imports.award_imports_purge() == 0  # nothing is a day old yet
    later = timezone.now() + datetime.timedelta(hours=25)
    storage, name = upload.file.storage, upload.file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert imports.award_imports_purge(now=later) == 2
    assert not AwardImport.objects.filter(pk=upload.pk).exists() and not storage.exists(name)
    imported.refresh_from_db()
    assert imported.rejected_rows == [] and imported.imported_count == 2  # the import itself stays on record
    assert award_imports_purge() == 0  # idempotent


@pytest.fixture
def reader_language():
    """Pages read in Latvian leave Latvian active in this thread (the test client does not reset it): back to the
    default language after the test."""
    from django.utils import translation

    yield
    translation.deactivate()


def test_rows_to_fix_are_shown_in_the_readers_language(client, owner, make_user, organisation, published, upload,
                                                       reader_language, django_capture_on_commit_callbacks):
    """Imported by an English colleague, read by a Latvian one: the page, the table to fix and the API give the
    problems in Latvian (kept untranslated: core.problems), the English colleague still reads English."""
    from django.conf import settings
    from django.utils import translation
    from openpyxl import load_workbook

    from agnitio.organisations.models import Membership

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        imports.award_import_run(actor=owner, upload=upload)
    upload.refresh_from_db()
    assert upload.rejected_rows[1]["problems"] == [
        {"msgid": "Enter the learner's e-mail address (such as name@example.org).", "params": {}}]
    latvian = make_user("redaktore@tilts.example", language="lv")
    Membership.objects.create(organisation=organisation, user=latvian, role="editor")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "lv"
    client.force_login(latvian)
    page = client.get(reverse("microcredentials:import_map", args=[published.public_id, upload.public_id]))
    html = page.content.decode()
    assert "Ierakstiet izglītojamā e-pasta adresi (piemēram, vards@example.org)." in html
    assert "Enter the learner's e-mail address" not in html
    fix = client.get(reverse("microcredentials:import_rejected", args=[published.public_id, upload.public_id]))
    rows = list(load_workbook(io.BytesIO(fix.content)).active.values)
    assert rows[0][-2:] == ("Problēmas", "Rinda augšupielādētajā failā")
    assert rows[2][len(HEADERS)] == "Ierakstiet izglītojamā e-pasta adresi (piemēram, vards@example.org)."
    with translation.override("en"):
        english = read_table(imports.award_import_rejected_xlsx(actor=owner, upload=upload), "fix.xlsx")
    assert english.rows[1][len(HEADERS)] == "Enter the learner's e-mail address (such as name@example.org)."


def test_the_api_answers_in_the_requesters_language(client, owner, published, reader_language):
    from agnitio.apikeys.services import api_token_create

    token = api_token_create(actor=owner, name="t")[1]
    response = client.post(f"/api/v1/microcredentials/specifications/{published.public_id}/awards/import",
                           {"file": SimpleUploadedFile("l.xlsx", _xlsx()), "dry_run": "true"},
                           HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="lv")
    errors = {e["line"]: e["errors"] for e in response.json()["errors"]}
    assert errors[4] == ["Ierakstiet izglītojamā e-pasta adresi (piemēram, vards@example.org)."]
