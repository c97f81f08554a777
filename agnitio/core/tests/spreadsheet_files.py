"""Hostile and largest spreadsheets, made in memory, for the tests of every import that reads tables through
`core.spreadsheets` (Youthpass participants, micro-credential learners), and the measure of what reading one costs.

`peak_memory_of_reading` reads a file in a fresh interpreter and reports its peak resident memory above idle
(python-calamine allocates outside Python, so tracemalloc would not see it; ru_maxrss does)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook

from agnitio.core import spreadsheets

MEMORY_SCRIPT = r"""
import os, resource, sys, json, time
# a safety net: a regression fails the test instead of taking the machine's memory (an .xls could take 20 GB)
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
os.environ["DJANGO_SETTINGS_MODULE"] = "agnitio.settings.test"
import django
django.setup()
import importlib
import python_calamine, charset_normalizer  # noqa: F401 - loaded at idle, as in a running server
from agnitio.core.errors import ApplicationError
read_table = importlib.import_module(sys.argv[2]).read_table
data = open(sys.argv[1], "rb").read()


def high_water_kb():
    # VmHWM, the peak resident size, which writing "5" to clear_refs resets to the current size (Linux): the peak of
    # the reading alone, not of the imports before it; elsewhere ru_maxrss, the peak of the whole process
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


try:
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
except OSError:
    pass
idle = high_water_kb()
started = time.monotonic()
try:
    table = read_table(data, sys.argv[1])
    outcome = "ok %d" % len(table.rows)
except ApplicationError as error:
    outcome = "refused " + error.code
seconds = time.monotonic() - started
peak = high_water_kb()
print(json.dumps({"outcome": outcome, "delta_mb": (peak - idle) / 1024, "seconds": seconds}))
"""


def peak_memory_of_reading(data: bytes, tmp_path: Path, *, reader: str = "agnitio.core.spreadsheets") -> dict:
    """{"outcome": "ok <rows>" | "refused <code>", "delta_mb": peak above idle, "seconds": reading time} of
    `reader`.read_table(data) in a fresh interpreter."""
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT, str(path), reader], capture_output=True, text=True,
                            cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, timeout=300, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_parts(parts: dict[str, bytes]) -> bytes:
    """A zip with just these parts (and the content types): enough for the checks made before a reader runs."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in {"[Content_Types].xml": b"<Types/>", **parts}.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def xlsx_with_sheet_xml(payload_mb: int, *, filler: bytes = b" ") -> bytes:
    """A sheet whose XML decompresses to `payload_mb` MB of `filler` (a zip bomb from a few hundred MB on)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(b'<?xml version="1.0"?><worksheet><sheetData>')
            chunk = filler * (1 << 20)
            for _ in range(payload_mb):
                member.write(chunk)
            member.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def _replace_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    """A real workbook (as openpyxl writes it) with some of its parts replaced: what a reader really loads."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, parts.get(info.filename, source.read(info.filename)))
    return out.getvalue()


def _cell_ref(column: int, row: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def _sheet(rows_xml: bytes) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheetData>' + rows_xml + b"</sheetData></worksheet>")


def xlsx_many_rows(count: int = 1_000_000) -> bytes:
    """A real workbook whose sheet has `count` rows of two numbers."""
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><v>1</v></c></row>' % (r, r, r, r)
                    for r in range(1, count + 1))
    return _replace_parts(xlsx([["Vārds", "E-pasts"]]), {"xl/worksheets/sheet1.xml": _sheet(rows)})


def xlsx_many_columns(count: int = 20_000, rows: int = 3) -> bytes:
    """A real workbook whose rows each have `count` filled cells."""
    def row(r: int) -> bytes:
        cells = "".join(f'<c r="{_cell_ref(c, r)}" t="inlineStr"><is><t>v{c}</t></is></c>'
                        for c in range(1, count + 1))
        return f'<row r="{r}">{cells}</row>'.encode()
    return _replace_parts(xlsx([["Vārds", "E-pasts"]]),
                          {"xl/worksheets/sheet1.xml": _sheet(b"".join(row(r) for r in range(1, rows + 1)))})


def xlsx_shared_strings(count: int, *, text: bytes = b"s") -> bytes:
    """A real two-column workbook (two rows) whose shared-strings table holds `count` more distinct strings that
    no cell uses (each `text` and a number; empty strings when `text` is empty)."""
    used = ["Vārds", "Uzvārds", "Anna", "Bērziņa"]
    strings = b"".join(f"<si><t>{s}</t></si>".encode() for s in used)
    strings += (b"<si><t/></si>" * count if text == b"" else
                b"".join(b"<si><t>%s%d</t></si>" % (text, i) for i in range(count)))
    total = len(used) + count
    sst = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
           b'2006/main" count="%d" uniqueCount="%d">' % (total, total)) + strings + b"</sst>"
    sheet = _sheet(b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
                   b'<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>')
    data = xlsx([["x"]])
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        rels = source.read("xl/_rels/workbook.xml.rels").replace(
            b"</Relationships>", b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        types = source.read("[Content_Types].xml").replace(
            b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    data = _replace_parts(data, {"xl/worksheets/sheet1.xml": sheet, "xl/_rels/workbook.xml.rels": rels,
                                 "[Content_Types].xml": types})
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", sst)
    return out.getvalue()


def largest_xlsx() -> bytes:
    """The most rows accepted, 25 columns each."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for r in range(spreadsheets.MAX_ROWS + 1):
        sheet.append([f"Name{r}-{c}" for c in range(25)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def corner_xlsx() -> bytes:
    """Two cells, at A1 and at the farthest corner of the grid (a reader would allocate 17 billion cells)."""
    workbook = Workbook()
    workbook.active["A1"] = "x"
    workbook.active["XFD1048576"] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ods_repeated(rows: int, columns: int, *, trailing_empty: int = 0) -> bytes:
    """An ods whose one row of "x" cells is repeated: a few bytes standing for rows × columns cells."""
    def row(repeat, cells, value):
        kind = ' office:value-type="string"' if value else ""
        text = "<text:p>x</text:p>" if value else ""
        cell = f'<table:table-cell table:number-columns-repeated="{cells}"{kind}>{text}</table:table-cell>'
        return f'<table:table-row table:number-rows-repeated="{repeat}">{cell}</table:table-row>'
    heading = ('<table:table-row><table:table-cell office:value-type="string"><text:p>Vārds</text:p>'
               '</table:table-cell><table:table-cell office:value-type="string"><text:p>Uzvārds</text:p>'
               '</table:table-cell></table:table-row>')
    body = heading + row(rows, columns, True) + (row(trailing_empty, 1024, False) if trailing_empty else "")
    return ods_of_rows_xml(body)


def ods_of_rows_xml(body: str) -> bytes:
    """An OpenDocument spreadsheet (what LibreOffice writes, without styles) whose one sheet holds `body`, the
    `<table:table-row>` elements."""
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="S">{body}</table:table>'
               '</office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
