"""Imports never crash on real files (issue 8 point 6) and bound what they take (points 7, 9/3)."""

import codecs
import csv
import io
import zipfile

import pytest
import xlwt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from agnitio.core import spreadsheets as core_spreadsheets
from agnitio.core.errors import ApplicationError
from agnitio.core.tests.spreadsheet_files import (
    corner_xlsx,
    largest_xlsx,
    ods_repeated,
    peak_memory_of_reading,
    xlsx_parts,
    xlsx_with_sheet_xml,
)
from agnitio.youthpass import spreadsheets
from agnitio.youthpass.services import imports

ROWS = [["Vārds", "Uzvārds", "E-pasts"], ["Līga", "Ozoliņa", "liga@example.org"],
        ["Jānis", "Bērziņš", "janis@example.org"]]
LATIN_ROWS = [["First name", "Last name"], ["José", "Peña"], ["Zoë", "Müller"]]
FRENCH_ROWS = [["Prénom", "Nom"], ["François", "Hélène"], ["André", "Crème"]]


def _csv(rows, encoding: str, bom: bytes = b"") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return bom + buffer.getvalue().encode(encoding)


ENCODED = {
    "utf-8": (_csv(ROWS, "utf-8"), ROWS, "utf-8"),
    "utf-8-bom": (_csv(ROWS, "utf-8", codecs.BOM_UTF8), ROWS, "utf-8-sig"),
    "utf-16-le-bom": (_csv(ROWS, "utf-16-le", codecs.BOM_UTF16_LE), ROWS, "utf-16"),
    "utf-16-be-bom": (_csv(ROWS, "utf-16-be", codecs.BOM_UTF16_BE), ROWS, "utf-16"),
    "cp1257": (_csv(ROWS, "cp1257"), ROWS, "cp1257"),
    "latin-1": (_csv(LATIN_ROWS, "latin-1"), LATIN_ROWS, "latin-1"),
    "latin-1-french": (_csv(FRENCH_ROWS, "latin-1"), FRENCH_ROWS, "latin-1"),
}


@pytest.mark.parametrize("name", list(ENCODED))
def test_csv_in_every_common_encoding_is_read(name):
    data, rows, encoding = ENCODED[name]
    table = spreadsheets.read_table(data, "people.csv")
    assert table.encoding == encoding
    assert [table.headers, *table.rows] == rows


@pytest.mark.parametrize("name", list(ENCODED))
def test_upload_in_every_encoding_goes_to_the_mapping_step(client, owner, project, name):
    """Through the page, as a person uploads it: never a server error, the mapping page shows the names."""
    data, rows, _encoding = ENCODED[name]
    client.force_login(owner)
    response = client.post(reverse("youthpass:import_upload", args=[project.public_id]),
                           {"file": SimpleUploadedFile("people.csv", data, content_type="text/csv")})
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert rows[1][1] in page.content.decode()


def test_an_oversized_cell_is_an_error_of_its_row_naming_row_and_column(owner, project):
    data = _csv([["Vārds", "Uzvārds"], ["Līga", "Ozoliņa"], ["A" * 5000, "Bērziņš"]], "utf-8")
    preview = imports.participants_import_preview(actor=owner, project=project, data=data)
    errors = preview.as_dict()["errors"]
    assert [e["line"] for e in errors] == [3]
    message = " ".join(errors[0]["errors"])
    assert "row 3" in message.lower() and "Vārds" in message and "150" in message
    assert preview.valid_count == 1
    with pytest.raises(ApplicationError) as info:
        imports.participants_import_commit(actor=owner, project=project, data=data)
    assert info.value.code == "rows" and not project.participants.exists()


def test_a_cell_beyond_what_the_csv_reader_takes_names_its_row(owner, project):
    data = ("Vārds;Uzvārds\r\nLīga;Ozoliņa\r\nJānis;" + "x" * (core_spreadsheets.MAX_CELL_CHARS + 10)).encode()
    with pytest.raises(ApplicationError) as info:
        imports.participants_import_preview(actor=owner, project=project, data=data)
    assert info.value.code == "cell_too_long" and "3" in str(info.value)


@pytest.mark.parametrize("value", ["Jā\x07nis", "Jā\x07\x0cnis", "Jā\tnis", "Jā\nnis", "Ja\x7fnis"])
def test_control_characters_in_a_cell_are_a_row_error(owner, project, value):
    data = _csv([["Vārds", "Uzvārds"], ["Līga", "Ozoliņa"], [value, "Bērziņš"]], "utf-8")
    preview = imports.participants_import_preview(actor=owner, project=project, data=data)
    errors = preview.as_dict()["errors"]
    assert [e["line"] for e in errors] == [3]
    assert "Vārds" in errors[0]["errors"][0]
    assert len(errors[0]["errors"]) == 1  # not also "first name is missing"


def test_a_sheet_whose_farthest_cell_makes_it_huge_is_refused_before_loading():
    workbook = Workbook()
    workbook.active["A1"] = "Vārds"
    workbook.active["XFD1048576"] = "x"  # a reader would allocate 17 billion cells
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ApplicationError) as info:
        spreadsheets.read_table(buffer.getvalue(), "x.xlsx")
    assert info.value.code == "too_many_rows"
    workbook = Workbook()
    workbook.active["A1"] = "Vārds"
    workbook.active["XFD100"] = "x"  # 100 rows, but 16384 columns wide
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ApplicationError) as info:
        spreadsheets.read_table(buffer.getvalue(), "x.xlsx")
    assert info.value.code == "too_large"


def test_sheet_xml_larger_than_the_limit_is_refused_though_the_zip_is_small():
    data = xlsx_with_sheet_xml(60)  # 60 MB of XML in well under 1 MB of zip, under the 200 MB archive limit
    assert len(data) < 1024 * 1024
    with pytest.raises(ApplicationError) as info:
        spreadsheets.read_table(data, "x.xlsx")
    assert info.value.code == "too_large"


def test_a_zip_bomb_is_refused():
    data = xlsx_with_sheet_xml(600)
    with pytest.raises(ApplicationError) as info:
        spreadsheets.read_table(data, "x.xlsx")
    assert info.value.code == "too_large"


def test_a_zip_that_lies_about_its_sizes_is_refused():
    data = bytearray(xlsx_with_sheet_xml(60))
    # rewrite the declared uncompressed size of the sheet (central directory) to 1 KB
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    central = data.rfind(b"PK\x01\x02", 0, len(data))
    while central != -1 and b"xl/worksheets/sheet1.xml" not in data[central:central + 120]:
        central = data.rfind(b"PK\x01\x02", 0, central)
    assert central != -1 and info.file_size > 50 * 1024 * 1024
    with pytest.raises(ApplicationError) as raised:
        spreadsheets.read_table(bytes(data[:central + 24]) + (1024).to_bytes(4, "little") + bytes(data[central + 28:]),
                                "x.xlsx")
    assert raised.value.code in ("damaged", "too_large")


@pytest.mark.parametrize("rows, columns, code", [(100_000_000, 2, "too_many_rows"), (1000, 10_000, "too_large"),
                                                 (10_000, 100, "too_large")])
def test_ods_repeated_rows_and_cells_are_counted_before_loading(rows, columns, code):
    with pytest.raises(ApplicationError) as info:
        spreadsheets.read_table(ods_repeated(rows, columns), "x.ods")
    assert info.value.code == code


def test_ods_trailing_empty_rows_as_office_suites_write_them_are_fine():
    table = spreadsheets.read_table(ods_repeated(3, 2, trailing_empty=1_048_000), "x.ods")
    assert table.headers == ["Vārds", "Uzvārds"] and table.rows == [["x", "x"]] * 3


# --- bounded memory: each upload within the size limit stays within 100 MB above idle, measured in a subprocess
# (core.tests.spreadsheet_files.peak_memory_of_reading: python-calamine allocates outside Python) ----------------

def _worst_csv() -> bytes:
    """Just under 10 MB and accepted: the most rows, as many non-empty cells as the cell limit lets through."""
    columns = core_spreadsheets.MAX_CELLS // (core_spreadsheets.MAX_ROWS + 1)
    width = core_spreadsheets.MAX_BYTES // ((core_spreadsheets.MAX_ROWS + 1) * columns) - 2
    row = ",".join(f"{c:02d}".ljust(width, "x") for c in range(columns)) + "\n"
    return (row * (core_spreadsheets.MAX_ROWS + 1)).encode()


def _wide_csv() -> bytes:
    row = ",".join("ab" for _ in range(100)) + "\n"
    return (row * (core_spreadsheets.MAX_BYTES // len(row) - 10)).encode()


@pytest.mark.parametrize("maker, expected", [
    (_worst_csv, "ok"), (_wide_csv, "refused too_large"), (largest_xlsx, "ok"),
    (corner_xlsx, "refused too_many_rows"), (lambda: xlsx_with_sheet_xml(45, filler=b"<row/>"), "refused too_large"),
    (lambda: xlsx_with_sheet_xml(600), "refused too_large"),
    (lambda: ods_repeated(100_000, 1000), "refused too_many_rows"), (lambda: ods_repeated(1000, 1000), "refused"),
])
def test_memory_stays_bounded_for_any_upload_within_the_size_limit(tmp_path, maker, expected):
    data = maker()
    assert len(data) <= core_spreadsheets.MAX_BYTES
    figures = peak_memory_of_reading(data, tmp_path, reader="agnitio.youthpass.spreadsheets")
    assert figures["outcome"].startswith(expected)
    assert figures["delta_mb"] <= 100, figures


# --- legacy .xls (BIFF8 in an OLE2 container), written with xlwt (a dev dependency) ------------------------------

def _xls(fill, sheets: int = 1) -> bytes:
    workbook = xlwt.Workbook(encoding="utf-8")
    for number in range(sheets):
        fill(workbook.add_sheet(f"S{number}"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xls_cells(rows: int, columns: int, text=lambda r, c: "ab"):
    def fill(sheet):
        sheet.write(0, 0, "Vārds")
        if columns == 1:  # a heading for a second column: a table of one column is refused as not a participant list
            sheet.write(0, 1, "Uzvārds")
        for r in range(1 if columns == 1 else 0, rows):
            for c in range(columns):
                if r or c:
                    sheet.write(r, c, text(r, c))
    return fill


def _xls_corner(sheet):  # a 5 KB file whose sheet spans the whole BIFF8 grid: 65536 × 256 cells
    sheet.write(0, 0, "Vārds")
    sheet.write(65535, 255, "x")


def _xls_most_cells() -> bytes:
    """The most cells an .xls may have (MAX_XLS_CELLS, MAX_ROWS + heading) as distinct strings, within 10 MB."""
    columns = -(-core_spreadsheets.MAX_XLS_CELLS // (core_spreadsheets.MAX_ROWS + 1))
    rows = core_spreadsheets.MAX_XLS_CELLS // columns
    assert rows <= core_spreadsheets.MAX_ROWS + 1 and rows * columns > core_spreadsheets.MAX_XLS_CELLS - columns
    return _xls(_xls_cells(rows, columns, lambda r, c: f"{r:05d}-{c:02d}"))


def _xls_long_cells() -> bytes:  # the longest cells that fit 10 MB: 150 rows of 32,000 characters
    return _xls(_xls_cells(150, 1, lambda r, c: f"{r:06d}" + "y" * 32_000))


def _xls_long_rows() -> bytes:  # every row with a long cell
    return _xls(_xls_cells(core_spreadsheets.MAX_ROWS + 1, 1, lambda r, c: f"{r:06d}" + "y" * 240))


def _xls_forged_dimensions() -> bytes:
    """A sheet whose DIMENSIONS record claims 2**32 rows × 256 columns (a reader reserves what it declares)."""
    import struct

    data = bytearray(_xls(_xls_cells(3, 2)))
    marker = struct.pack("<HH", 0x0200, 14)
    at = data.find(marker)
    assert at != -1
    data[at + 4:at + 18] = struct.pack("<IIHHH", 0, 0xFFFFFFFF, 0, 256, 0)
    return bytes(data)


def _xls_fat_loop(where: str) -> bytes:
    """The container's sector chain of the Workbook stream loops back to its start (a reader that follows chains
    without a bound never ends): from its last sector, or from one half-way."""
    import struct

    data = bytearray(_xls(_xls_cells(300, 1, lambda r, c: f"x{r}")))
    size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < 0xFFFFFFFA]
    fat = [e for s in fat_sectors for e in struct.unpack_from(f"<{size // 4}I", data, 512 + s * size)]
    directory = 512 + struct.unpack_from("<I", data, 0x30)[0] * size
    start = next(struct.unpack_from("<I", data, directory + i * 128 + 116)[0] for i in range(size // 128)
                 if data[directory + i * 128:directory + i * 128 + 16] == "Workbook".encode("utf-16-le"))
    chain = [start]
    while fat[chain[-1]] < 0xFFFFFFFA:
        chain.append(fat[chain[-1]])
    assert len(chain) > 4
    last = chain[-1] if where == "end" else chain[len(chain) // 2]
    fat_sector = fat_sectors[last // (size // 4)]
    struct.pack_into("<I", data, 512 + fat_sector * size + (last % (size // 4)) * 4, chain[0])
    return bytes(data)


def test_xls_sheets_too_large_are_refused_before_loading_with_the_common_message(monkeypatch):
    import python_calamine

    def not_before_the_check(*args, **kwargs):
        raise AssertionError("the .xls was loaded before it was checked")
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", not_before_the_check)
    with pytest.raises(ApplicationError) as info:
        spreadsheets.read_table(_xls(_xls_corner), "x.xls")
    assert info.value.code == "too_many_rows"
    wide = _xls(lambda sheet: (sheet.write(0, 0, "Vārds"), sheet.write(2000, 255, "x")))  # 2001 × 256 cells
    with pytest.raises(ApplicationError) as info:
        spreadsheets.read_table(wide, "x.xls")
    assert info.value.code == "too_large" and str(core_spreadsheets.MAX_XLS_CELLS) in str(info.value)
    with pytest.raises(ApplicationError) as info:
        spreadsheets.read_table(_xls_forged_dimensions(), "x.xls")
    assert info.value.code == "too_many_rows"
    # a substream inside a sheet (an embedded chart) does not make the sheet forget its extent: one cell at the
    # right edge before it and one at the last row after it make 20,001 × 256 cells
    import struct

    def fill(sheet):
        sheet.write(0, 255, "x")
        sheet.write(1, 0, "filler")
        sheet.write(core_spreadsheets.MAX_ROWS, 0, "y")
    data = _xls(fill)
    filler = struct.pack("<HHHH", 0x00FD, 10, 1, 0)
    assert data.count(filler) == 1
    at = data.index(filler)
    embedded = struct.pack("<HH", 0x0809, 6) + bytes(6) + struct.pack("<HH", 0x000A, 0)
    data = data[:at] + embedded + data[at + 14:]
    dimensions = data.index(struct.pack("<HH", 0x0200, 14))  # and the sheet claims to be one cell
    data = data[:dimensions + 4] + struct.pack("<IIHHH", 0, 1, 0, 1, 0) + data[dimensions + 18:]
    with pytest.raises(ApplicationError) as info:
        spreadsheets.read_table(data, "x.xls")
    assert info.value.code == "too_large"
    # every sheet is loaded, so the sheets count together
    with pytest.raises(ApplicationError) as info:
        spreadsheets.read_table(_xls(_xls_cells(1000, 200), sheets=2), "x.xls")
    assert info.value.code == "too_large"


def test_xls_within_the_limits_is_read():
    table = spreadsheets.read_table(_xls(_xls_cells(4, 2, lambda r, c: f"v{r}{c}")), "people.xls")
    assert table.file_format == "xls" and table.headers == ["Vārds", "v01"]
    assert table.rows == [["v10", "v11"], ["v20", "v21"], ["v30", "v31"]]


def test_a_damaged_xls_is_refused_as_damaged():
    data = core_spreadsheets.OLE2_MAGIC + b"\x00" * 600
    with pytest.raises(ApplicationError) as info:
        spreadsheets.read_table(data, "x.xls")
    assert info.value.code == "damaged"


@pytest.mark.parametrize("maker, expected", [
    (_xls_most_cells, "ok"), (_xls_long_cells, "ok 149"), (_xls_long_rows, "ok 20000"),
    (lambda: _xls(_xls_cells(core_spreadsheets.MAX_ROWS + 1, 20)), "refused too_large"),
    (lambda: _xls(_xls_corner), "refused too_many_rows"),
    (lambda: _xls(_xls_corner, sheets=200), "refused too_many_rows"),  # without the check: about 20 GB
    (_xls_forged_dimensions, "refused too_many_rows"),
    (lambda: _xls_fat_loop("end"), "ok 299"), (lambda: _xls_fat_loop("middle"), "refused"),
], ids=["most-cells", "long-cells", "long-rows", "over-cells", "corner", "corner-200-sheets", "forged-dimensions",
        "fat-loop-end", "fat-loop-middle"])
def test_xls_memory_stays_bounded(tmp_path, maker, expected):
    test_memory_stays_bounded_for_any_upload_within_the_size_limit(tmp_path, maker, expected)


def test_a_sheet_moved_out_of_the_worksheets_folder_is_still_measured():
    """The workbook's link file may point its sheet anywhere; the reader follows it, so the check must too."""
    sheet = b'<worksheet><sheetData><row r="1"><c r="A1"/><c r="ZZ20000"/></row></sheetData></worksheet>'
    data = xlsx_parts({"xl/workbook.xml": b"<workbook/>", "xl/other/s.xml": sheet})
    with pytest.raises(ApplicationError) as info:  # 20,000 rows × 702 columns: refused before any reader runs
        core_spreadsheets.sniff_format(data, "x.xlsx")
    assert info.value.code == "too_large"


def test_cells_without_a_position_are_counted_before_loading():
    row = b"<row>" + b"<c><v>1</v></c>" * 200 + b"</row>"
    sheet = b"<worksheet><sheetData>" + row * 15_000 + b"</sheetData></worksheet>"
    data = xlsx_parts({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": sheet})
    assert len(data) < core_spreadsheets.MAX_BYTES
    with pytest.raises(ApplicationError) as info:
        core_spreadsheets.sniff_format(data, "x.xlsx")
    assert info.value.code == "too_large"


def test_binary_xlsb_workbooks_are_refused_with_what_to_do():
    with pytest.raises(ApplicationError) as info:
        core_spreadsheets.sniff_format(xlsx_parts({"xl/workbook.bin": b"\x00"}), "x.xlsb")
    assert info.value.code == "format" and "Save the table as .xlsx" in str(info.value.message)
