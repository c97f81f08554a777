import datetime
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from agnitio.core import spreadsheets as core_spreadsheets
from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.tests.spreadsheet_files import ods_of_rows_xml, xlsx
from agnitio.youthpass import spreadsheets
from agnitio.youthpass.models import Participant
from agnitio.youthpass.services import imports

DATA = Path(__file__).parent / "data"


def ods(rows) -> bytes:
    """A minimal OpenDocument spreadsheet (what LibreOffice writes, without styles)."""
    def cell(v):
        return f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
    body = "".join(f"<table:table-row>{''.join(cell(v) for v in row)}</table:table-row>" for row in rows)
    return ods_of_rows_xml(body)


LV_ROWS = [["Vārds", "Uzvārds", "E-pasts", "Valsts", "Dzimšanas datums", "Loma"],
           ["Līga", "Ozoliņa", "liga@example.org", "Latvija", "15.03.2004", "dalībniece"],
           ["Jonas", "Petraitis", "jonas@example.org", "LT", "01.02.1990", "komandas loceklis"]]


def _check_two_people(people):
    assert [(p.first_name, p.last_name, p.country.code, p.role) for p in people] == [
        ("Līga", "Ozoliņa", "LV", "participant"), ("Jonas", "Petraitis", "LT", "team_member")]
    assert people[0].date_of_birth == datetime.date(2004, 3, 15)


@pytest.mark.parametrize("maker", ["xlsx", "ods", "xls", "csv-utf8", "csv-utf8-sig", "csv-cp1257", "csv-utf16",
                                   "csv-utf16le", "csv-tab", "csv-comma"])
def test_every_format_and_encoding_imports_the_same_people(owner, project, activity, maker):
    if maker == "xlsx":
        data = xlsx(LV_ROWS)
    elif maker == "ods":
        data = ods(LV_ROWS)
    elif maker == "xls":
        data = (DATA / "participants.xls").read_bytes()
    else:
        delimiter = {"csv-tab": "\t", "csv-comma": ","}.get(maker, ";")
        text = "\r\n".join(delimiter.join(r) for r in LV_ROWS) + "\r\n"
        encoding = {"csv-utf8-sig": "utf-8-sig", "csv-cp1257": "cp1257", "csv-utf16": "utf-16",
                    "csv-utf16le": "utf-16-le"}.get(maker, "utf-8")
        data = text.encode(encoding)
    preview = imports.participants_import_preview(actor=owner, project=project, data=data, filename="x")
    assert preview.ok, preview.as_dict()["errors"]
    assert set(preview.mapping.values()) == {"first_name", "last_name", "email", "country", "date_of_birth", "role"}
    assert not project.participants.exists()  # the preview saves nothing
    people = imports.participants_import_commit(actor=owner, project=project, data=data, activities=[activity])
    _check_two_people(list(project.participants.order_by("id")))
    assert len(people) == 2 and set(activity.participants.all()) == set(project.participants.all())


def test_cp1257_is_told_from_latin1_and_can_be_overridden(owner, project):
    text = "Vārds;Uzvārds\nJānis;Bērziņš\nŠarlote;Žīgure\n"
    table = spreadsheets.read_table(text.encode("cp1257"))
    assert table.encoding == "cp1257" and table.rows[0] == ["Jānis", "Bērziņš"]
    table = spreadsheets.read_table("First name,Last name\nJosé,Müller\n".encode("latin-1"), encoding="latin-1")
    assert table.rows[0] == ["José", "Müller"]


def test_english_headings_and_country_names_in_english_and_latvian():
    headers = ["First name", "Surname", "E-mail address", "Country", "Date of birth", "Role", "Notes"]
    assert spreadsheets.guess_mapping(headers) == {0: "first_name", 1: "last_name", 2: "email", 3: "country",
                                                   4: "date_of_birth", 5: "role"}
    assert imports.country_from_text("Vācija") == "DE" == imports.country_from_text("germany")
    assert imports.country_from_text("DEU") == "DE" and imports.country_from_text("el") == "GR"
    assert imports.country_from_text("Atlantis") is None


def test_preview_lists_every_row_error_and_commit_saves_nothing(owner, project, participant):
    rows = [["Vārds", "Uzvārds", "E-pasts", "Valsts", "Dzimšanas datums"],
            ["Ok", "Person", "ok@example.org", "LV", "2000-01-01"],
            ["", "Bez Vārda", "", "", ""],
            ["Bad", "Mail", "not-an-email", "", ""],
            ["Un", "Known", "", "Atlantīda", ""],
            ["Dup", "One", "dup@example.org", "", ""],
            ["Dup", "Two", "DUP@example.org", "", ""],
            ["Anna", "Bērziņa", "anna@example.org", "", ""],       # already in the project (e-mail)
            ["Old", "Date", "", "", "31.02.2000"]]
    data = xlsx(rows)
    preview = imports.participants_import_preview(actor=owner, project=project, data=data)
    errors = {r.line: " ".join(map(str, r.errors)) for r in preview.error_rows}
    assert set(errors) == {3, 4, 5, 7, 8, 9}
    assert "First name" in errors[3] and "not a valid e-mail" in errors[4] and "Atlantīda" in errors[5]
    assert "row 6" in errors[7] and "already in this project" in errors[8] and "31.02.2000" in errors[9]
    before = Participant.objects.count()
    with pytest.raises(ApplicationError) as info:
        imports.participants_import_commit(actor=owner, project=project, data=data)
    assert info.value.extra["preview"]["error_count"] == 6
    assert Participant.objects.count() == before


def test_mapping_can_be_chosen_and_needs_separate_name_columns(owner, project):
    data = xlsx([["A", "B", "C"], ["x@example.org", "Ieva", "Kalna"]])
    with pytest.raises(ApplicationError) as info:
        imports.participants_import_preview(actor=owner, project=project, data=data)
    assert info.value.code == "mapping"
    preview = imports.participants_import_preview(actor=owner, project=project, data=data,
                                                  mapping={0: "email", 1: "first_name", 2: "last_name"})
    assert preview.ok and preview.rows[0].data["email"] == "x@example.org"
    with pytest.raises(ApplicationError):
        imports.participants_import_preview(actor=owner, project=project, data=data,
                                            mapping={0: "first_name", 1: "first_name", 2: "last_name"})


@pytest.mark.parametrize(("data", "code"), [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "format"),
    (b"PK\x03\x04not really a zip", "damaged"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "damaged"),
])
def test_uploads_are_checked_by_content_before_parsing(owner, project, data, code):
    with pytest.raises(ApplicationError) as info:
        imports.participants_import_preview(actor=owner, project=project, data=data, filename="table.xlsx")
    assert info.value.code == code


def test_a_zip_that_is_no_spreadsheet_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ApplicationError) as info:
        spreadsheets.read_table(buffer.getvalue(), "x.xlsx")
    assert info.value.code == "format"


def test_size_and_row_limits(monkeypatch):
    monkeypatch.setattr(core_spreadsheets, "MAX_BYTES", 100)
    with pytest.raises(ApplicationError) as info:
        spreadsheets.read_table(b"a;b\n" * 50)
    assert info.value.code == "too_large"
    monkeypatch.setattr(core_spreadsheets, "MAX_BYTES", 10_000_000)
    monkeypatch.setattr(core_spreadsheets, "MAX_ROWS", 3)
    with pytest.raises(ApplicationError) as info:
        spreadsheets.read_table(b"a;b\n" + b"x;y\n" * 4)
    assert info.value.code == "too_many_rows"
    with pytest.raises(ApplicationError) as info:
        spreadsheets.read_table(xlsx([["a", "b"]] + [["x", "y"]] * 4))
    assert info.value.code == "too_many_rows"
    assert len(spreadsheets.read_table(b"a;b\n" + b"x;y\n" * 3).rows) == 3


def test_outsider_cannot_import(outsider, project):
    with pytest.raises(NotFound):
        imports.participants_import_commit(actor=outsider, project=project, data=xlsx(LV_ROWS))
    assert not project.participants.exists()


@pytest.mark.parametrize("language", ["lv", "en"])
def test_example_table_is_in_the_users_language_and_imports_cleanly(owner, project, language):
    data = spreadsheets.example_table(language)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == ("Vārds" if language == "lv" else "First name")
    preview = imports.participants_import_preview(actor=owner, project=project, data=data)
    assert preview.ok and len(preview.rows) == 2 and preview.rows[1].data["role"] == "team_member"


def test_exports_neutralise_formulas():
    data = spreadsheets.xlsx_bytes(["Name"], [["=HYPERLINK(\"http://evil\")"], ["+1"], ["@SUM(A1)"], ["Anna"]])
    sheet = load_workbook(io.BytesIO(data)).active
    values = [sheet.cell(row=i, column=1).value for i in range(2, 6)]
    assert values == ["'=HYPERLINK(\"http://evil\")", "'+1", "'@SUM(A1)", "Anna"]
    assert all(sheet.cell(row=i, column=1).data_type == "s" for i in range(2, 6))
