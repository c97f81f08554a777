"""Reading uploaded tables: xlsx / xls / ods through python-calamine, csv through the standard library; writing
xlsx exports with formulas neutralised. Shared by every import (Youthpass participants, micro-credential
learners).

Uploads are checked by content (magic bytes, zip member sizes), size and row count before they are parsed.
The first row holds the column names; `guess_mapping` matches them against an import's known headings.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError
from agnitio.core.problems import Problem, problem_text

MAX_BYTES = getattr(settings, "SPREADSHEET_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
MAX_ROWS = getattr(settings, "SPREADSHEET_IMPORT_MAX_ROWS", 20_000)
MAX_COLUMNS = 100
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # zip bombs: the sum of the members' declared sizes
# A sheet is refused before it is loaded when its XML (really decompressed, not as declared) is larger than this,
# or when it spans more cells than MAX_CELLS (rows × columns up to its farthest cell: readers allocate the whole
# rectangle). With MAX_BYTES this keeps any import within about 100 MB of memory.
MAX_SHEET_XML_BYTES = 48 * 1024 * 1024
MAX_CELLS = 600_000
# Parts of an xlsx that hold no cells; every other xl/*.xml part is measured as a sheet could be.
NOT_SHEET_PARTS = ("xl/workbook.xml", "xl/styles.xml", "xl/theme/", "xl/_rels/", "xl/drawings/", "xl/charts/",
                   "xl/printerSettings/", "xl/calcChain.xml", "xl/externalLinks/", "xl/media/")
# .xls: python-calamine keeps more per cell of the binary format (about 230 bytes, measured with xlwt-written files in
# test_import_limits: 350,000 distinct strings took 93 MB above idle), so its sheets (all of a workbook's sheets
# together: the reader loads every one) take fewer.
MAX_XLS_CELLS = 300_000
MAX_CELL_CHARS = 128 * 1024  # csv: a longer cell stops the reader (the error names the row); shorter cells that
# are too long for their field are row errors of the preview, naming row and column
# A file that is not a table at all (a PDF, picture, document or web page, whatever its name says) is refused with
# this message rather than read as one column of text.
NOT_A_SPREADSHEET = _("This file is not a spreadsheet. Upload an xlsx, xls, ods or csv file.")
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1257", "latin-1"]

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


def normalise_heading(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "", text)


def guess_mapping(headers: list[str], headings: dict[str, list[str]]) -> dict[int, str]:
    """Column index → field for the headings recognised (`headings`: field → the headings that name it, compared
    by `normalise_heading`); each field at most once, the first column wins."""
    index = {normalise_heading(h): field for field, hs in headings.items() for h in hs}
    mapping: dict[int, str] = {}
    for column, heading in enumerate(headers):
        field = index.get(normalise_heading(heading))
        if field and field not in mapping.values():
            mapping[column] = field
    return mapping



@dataclass
class Table:
    file_format: str
    headers: list[str]
    rows: list[list]  # values as read (str, int, float, date, datetime, bool, "")
    encoding: str = ""
    delimiter: str = ""


def sniff_format(data: bytes, filename: str = "") -> str:
    """The real format from the content; the file name only decides between look-alikes."""
    if data.startswith(OLE2_MAGIC):
        _check_xls_sheets(data)
        return "xls"
    if data.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if sum(i.file_size for i in archive.infolist()) > MAX_UNZIPPED_BYTES:
                    raise ApplicationError(_("The file unpacks to too much data. Save a smaller table."),
                                           code="too_large")
                if "xl/workbook.bin" in names:  # xlsb: binary sheets, which cannot be measured before loading
                    raise ApplicationError(_("Binary Excel workbooks (.xlsb) are not read. Save the table as .xlsx, "
                                             ".ods or .csv and upload it again."), code="format")
                if "xl/workbook.xml" in names:
                    # Every part a workbook could name as a sheet (its link file may point anywhere), not only
                    # xl/worksheets/: the parts that cannot hold cells are left out.
                    _check_sheet_members(archive, [n for n in names if n.startswith("xl/") and n.endswith(".xml")
                                                   and not n.startswith(NOT_SHEET_PARTS)])
                    return "xlsx"
                if "mimetype" in names and _read_head(archive, "mimetype").startswith(
                        b"application/vnd.oasis.opendocument.spreadsheet"):
                    _check_sheet_members(archive, ["content.xml"] if "content.xml" in names else [])
                    if "content.xml" in names:
                        _check_ods_content(archive)
                    return "ods"
        except zipfile.BadZipFile as error:
            raise ApplicationError(_("The file is damaged: it could not be opened as a spreadsheet."),
                                   code="damaged") from error
        raise ApplicationError(_("This archive is not a spreadsheet. Upload an xlsx, xls, ods or csv file."),
                               code="format")
    # NUL bytes: UTF-16 text without a byte order mark, or a binary file
    if (b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
            and _utf16_without_bom(data) is None):
        raise ApplicationError(NOT_A_SPREADSHEET,
                                   code="format")
    if data.startswith((b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"MZ", b"{\\rtf", b"BM",
                        b"RIFF", b"7z\xbc\xaf", b"Rar!", b"\x00\x00\x01\x00", b"II*\x00", b"MM\x00*")):
        raise ApplicationError(NOT_A_SPREADSHEET, code="format")
    return "csv"


_CELL_COLUMN = re.compile(rb"r=\"([A-Z]{1,3})[0-9]")  # a cell's reference, e.g. r="AB12": its column
_CELL_ROW = re.compile(rb"r=\"[A-Z]{0,3}([0-9]{1,7})\"")  # a cell's or row's reference: its row


def _read_head(archive: zipfile.ZipFile, name: str, size: int = 100) -> bytes:
    with archive.open(name) as member:
        return member.read(size)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _too_large(cells: int = MAX_CELLS) -> ApplicationError:
    return ApplicationError(
        _("The sheet is too large: at most %(rows)d rows and %(cells)d cells can be imported at once. Delete empty "
          "rows and columns or split the table into smaller files.") % {"rows": MAX_ROWS, "cells": cells},
        code="too_large")


def _check_sheet_members(archive: zipfile.ZipFile, names: list[str]) -> None:
    """Decompress each sheet's XML as a stream (bounded: the declared sizes of a zip may lie) and find the farthest
    cell it names, so an over-large or sparse-but-huge sheet is refused before a reader allocates it."""
    for name in names:
        total, tail, max_row, max_column, rows, cells, strings = 0, b"", 0, 0, 0, 0, 0
        with archive.open(name) as member:
            while chunk := member.read(1024 * 1024):
                total += len(chunk)
                if total > MAX_SHEET_XML_BYTES:
                    raise _too_large()
                # Shared strings, wherever the workbook's links put them: a reader keeps every one (3.6 million
                # empty ones fit in 47 MB of XML, 93 KB zipped, and took 83 MB), yet no sheet within MAX_CELLS uses
                # more distinct strings than that.
                strings += chunk.count(b"<si>") + chunk.count(b"<si ") + chunk.count(b"<si/>")
                if strings > MAX_CELLS:
                    raise _too_large()
                if not name.startswith("xl/") or name == "xl/sharedStrings.xml":
                    continue  # content.xml (ods): measured below, by its rows and cells; shared strings: bytes only
                data = tail + chunk
                cells += chunk.count(b"<c ") + chunk.count(b"<c>")  # cells without a position (r=) count too
                # sets of the distinct references: C speed, whatever the order of rows and cells
                columns = set(_CELL_COLUMN.findall(data))
                if columns:
                    max_column = max(max_column, *(_column_number(c) for c in columns))
                row_numbers = set(_CELL_ROW.findall(data))
                if row_numbers:
                    max_row = max(max_row, *(int(r) for r in row_numbers))
                rows += chunk.count(b"<row")
                tail = data[-32:]
                if max(max_row, rows) > MAX_ROWS + 1:
                    raise ApplicationError(_("The table has more than %(max)d rows. Split it into smaller files.")
                                           % {"max": MAX_ROWS}, code="too_many_rows")
                if max(max(max_row, rows) * max(max_column, 1), cells) > MAX_CELLS:
                    raise _too_large()


# BIFF records (MS-XLS) that name a cell by row and column (their first four bytes), in BIFF5 and BIFF8: FORMULA,
# RSTRING, MULRK, MULBLANK (these two end with their last column), LABELSST, BLANK, NUMBER, LABEL, BOOLERR, ROW, RK.
_XLS_CELL_RECORDS = {0x0006, 0x0206, 0x0406, 0x00D6, 0x00BD, 0x00BE, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205,
                     0x0208, 0x027E}
_XLS_BOF, _XLS_EOF, _XLS_DIMENSIONS = 0x0809, 0x000A, 0x0200


def _check_xls_sheets(data: bytes) -> None:
    """An .xls names its cells in binary records, and a reader allocates each sheet's whole rectangle (from the
    DIMENSIONS record and from the farthest cell), for every sheet of the workbook: a 5 KB file with a cell at IV65536
    takes a gigabyte, a few sheets of them take all the memory there is. Read the Workbook stream with olefile (bounded
    by the upload size), walk its records and refuse the file before it is loaded when the sheets together span more
    than MAX_XLS_CELLS cells or a sheet has more than MAX_ROWS rows."""
    import struct

    import olefile

    damaged = ApplicationError(_("The file is damaged: it could not be opened as a spreadsheet."), code="damaged")
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            if name is None:
                raise ApplicationError(NOT_A_SPREADSHEET,
                                       code="format")
            stream = ole.openstream(name).read()
    except ApplicationError:
        raise
    except Exception as error:  # olefile raises OSError and others on a broken container
        raise damaged from error
    position, total_cells, outer = 0, 0, []  # outer: the extent of the substreams an embedded one (a chart) is in
    rows = columns = 0
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        body = stream[position + 4:position + 4 + length]
        position += 4 + length
        if kind in (0x0009, 0x0209, 0x0409, _XLS_BOF):
            if len(outer) > 16:
                raise damaged
            outer.append((rows, columns))
            rows = columns = 0
        elif kind == _XLS_EOF:
            total_cells += rows * columns
            rows, columns = outer.pop() if outer else (0, 0)
        elif kind == _XLS_DIMENSIONS and len(body) >= 10:
            if len(body) >= 14:  # BIFF8: first row, row after the last (32 bits), first column, column after the last
                last_row, last_column = struct.unpack_from("<I", body, 4)[0], struct.unpack_from("<H", body, 10)[0]
            else:  # BIFF5: 16-bit rows
                last_row, last_column = struct.unpack_from("<H", body, 2)[0], struct.unpack_from("<H", body, 6)[0]
            rows, columns = max(rows, last_row), max(columns, last_column)
        elif kind in _XLS_CELL_RECORDS and len(body) >= 4:
            row, column = struct.unpack_from("<HH", body, 0)
            if kind in (0x00BD, 0x00BE) and len(body) >= 6:  # MULRK, MULBLANK: the last column closes the record
                column = struct.unpack_from("<H", body, len(body) - 2)[0]
            elif kind == 0x0208 and len(body) >= 6:  # ROW: first column, column after the last
                column = max(struct.unpack_from("<H", body, 4)[0] - 1, 0)
            rows, columns = max(rows, row + 1), max(columns, column + 1)
        else:
            continue
        if rows > MAX_ROWS + 1:
            raise ApplicationError(_("The table has more than %(max)d rows. Split it into smaller files.")
                                   % {"max": MAX_ROWS}, code="too_many_rows")
        if total_cells + rows * columns > MAX_XLS_CELLS:
            raise _too_large(MAX_XLS_CELLS)


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_VALUE_TYPE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"


def _check_ods_content(archive: zipfile.ZipFile) -> None:
    """An ods sheet names repeated rows and cells (`number-rows-repeated`, `number-columns-repeated`), which a
    reader expands: a few bytes can stand for billions of cells. Count what the tables really span (trailing empty
    rows and cells, which every office suite writes, do not count) and refuse too much before loading."""
    from xml.etree.ElementTree import XMLPullParser

    parser = XMLPullParser(events=("start", "end"))
    stack: list = []
    state = {"rows": 0, "pending": 0, "width": 0}

    def row_done(row) -> None:
        repeat = min(int(row.get(_ODS_TABLE + "number-rows-repeated", "1") or 1), 10**7)
        extent = used = 0
        for cell in row:
            extent += min(int(cell.get(_ODS_TABLE + "number-columns-repeated", "1") or 1), 10**7)
            if len(cell) or cell.get(_ODS_VALUE_TYPE):
                used = extent
        if not used:
            state["pending"] += repeat
            return
        state["rows"] += state["pending"] + repeat
        state["pending"] = 0
        state["width"] = max(state["width"], used)
        if state["rows"] > MAX_ROWS + 1:
            raise ApplicationError(_("The table has more than %(max)d rows. Split it into smaller files.")
                                   % {"max": MAX_ROWS}, code="too_many_rows")
        if state["rows"] * state["width"] > MAX_CELLS:
            raise _too_large()

    try:
        with archive.open("content.xml") as member:
            while chunk := member.read(1024 * 1024):
                parser.feed(chunk)
                for event, element in parser.read_events():
                    if event == "start":
                        stack.append(element)
                        continue
                    stack.pop()
                    if element.tag == _ODS_TABLE + "table-row":
                        row_done(element)
                        if stack:
                            stack[-1].remove(element)  # keep memory flat
                    elif element.tag == _ODS_TABLE + "table":
                        state.update(rows=0, pending=0, width=0)
                        if stack:
                            stack[-1].remove(element)
    except ValueError as error:  # a repeat count that is not a number; ParseError is a SyntaxError
        raise ApplicationError(_("The file is damaged: it could not be opened as a spreadsheet."),
                               code="damaged") from error
    except SyntaxError as error:
        raise ApplicationError(_("The file is damaged: it could not be opened as a spreadsheet."),
                               code="damaged") from error


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the NULs sit where UTF-16 puts them for mostly-Latin text, else None."""
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    if not even or not odd:
        return None
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > 0.5 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.5 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def decode_text(data: bytes, encoding: str = "") -> tuple[str, str]:
    """(text, encoding). BOMs first, then UTF-8, then the more likely of cp1257 (Baltic) and latin-1."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as error:
            raise ApplicationError(_("The file cannot be read as %(encoding)s. Choose another encoding.")
                                   % {"encoding": encoding}, code="encoding") from error
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        enc = _utf16_without_bom(data) or "utf-16-le"
        return data.decode(enc, errors="replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    enc = _baltic_or_western(data)
    return data.decode(enc, errors="replace"), enc


# Letters of the languages each 8-bit code page serves, at the byte values where cp1257 and latin-1 differ, weighted
# by how common they are in those languages (Latvian ā, ē, ī, š…; French è, ç, à; Spanish ñ…).
_BALTIC_LETTERS = {**dict.fromkeys("āĀ", 3), **dict.fromkeys("ēĒīĪšŠūŪņŅžŽėĖųŲ", 2),
                   **dict.fromkeys("čČļĻķĶģĢąĄęĘįĮ", 1)}
_WESTERN_LETTERS = {**dict.fromkeys("ñÑ", 3), **dict.fromkeys("èÈçÇàÀ", 2),
                    **dict.fromkeys("êÊâÂîÎôÔûÛùÙëËïÏáÁíÍúÚÿ", 1)}


def _baltic_or_western(data: bytes) -> str:
    """'cp1257' or 'latin-1' for text that is not UTF-8: count the bytes that decode to a letter of Latvian or
    Lithuanian in cp1257 against those that decode to a letter of a Western language in latin-1 (weighted); when
    no such letter occurs, charset-normalizer (a declared dependency) decides, and cp1257 is the default. The
    person can still choose another encoding on the mapping page."""
    sample = data[:200_000]
    baltic = western = 0
    for byte in set(sample):
        if byte < 0x80:
            continue
        count = sample.count(bytes([byte]))
        as_baltic = bytes([byte]).decode("cp1257", errors="replace")
        as_western = bytes([byte]).decode("latin-1")
        if as_baltic == as_western:
            continue
        baltic += count * _BALTIC_LETTERS.get(as_baltic, 0)
        western += count * _WESTERN_LETTERS.get(as_western, 0)
    if baltic or western:
        return "latin-1" if western > baltic else "cp1257"  # a tie: cp1257, the platform's own region
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=["cp1257", "latin_1"]).best()
    return "latin-1" if best is not None and best.encoding == "latin_1" else "cp1257"


def _clip_rows(rows: Iterator[list]) -> list[list]:
    """The rows, at most MAX_COLUMNS wide: empty cells beyond are dropped (office suites write many), a filled one
    refuses the table rather than lose what it holds."""
    result, cells = [], 0
    for row in rows:
        if len(result) > MAX_ROWS:  # heading row + MAX_ROWS rows
            raise ApplicationError(_("The table has more than %(max)d rows. Split it into smaller files.")
                                   % {"max": MAX_ROWS}, code="too_many_rows")
        if len(row) > MAX_COLUMNS and any(value is not None and str(value).strip() for value in row[MAX_COLUMNS:]):
            raise ApplicationError(_("The table has more than %(max)d columns. Keep only the columns the import "
                                     "needs and upload it again.") % {"max": MAX_COLUMNS}, code="too_many_columns")
        row = list(row[:MAX_COLUMNS])
        cells += sum(1 for value in row if value != "" and value is not None)
        if cells > MAX_CELLS:
            raise _too_large()
        result.append(row)
    return result


def _bounded_csv(reader) -> Iterator[list]:
    """csv rows; a cell over the reader's limit (MAX_CELL_CHARS) names its row and column."""
    previous = csv.field_size_limit(MAX_CELL_CHARS)
    try:
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                if "field larger than field limit" not in str(error):
                    raise
                raise ApplicationError(
                    _("Row %(line)d has a cell longer than %(max)d characters. Shorten it and upload the file again.")
                    % {"line": reader.line_num, "max": MAX_CELL_CHARS}, code="cell_too_long") from error
            yield row
    finally:
        csv.field_size_limit(previous)


def _check_text_is_table(sample: str) -> None:
    """Text that no spreadsheet program writes as a table: a web page or XML, or text with control characters (a
    binary file decoded as text)."""
    head = sample.lstrip("\ufeff \t\r\n")[:200].lower()
    if head.startswith(("<!doctype", "<html", "<?xml", "<table", "<head", "<body", "<svg")):
        raise ApplicationError(NOT_A_SPREADSHEET, code="not_table")
    controls = sum(1 for ch in sample if (ch < " " and ch not in "\t\r\n") or ch == "\x7f")
    if controls > max(2, len(sample) // 100) or sample.count("\ufffd") > max(2, len(sample) // 20):
        raise ApplicationError(NOT_A_SPREADSHEET, code="not_table")


def _row_width(row: list) -> int:
    """The number of cells up to the last one that holds something."""
    width = 0
    for index, value in enumerate(row):
        if value is not None and str(value).strip():
            width = index + 1
    return width


def _check_columns(table: Table) -> None:
    """A table of one column cannot be a participant list: the import needs the first and the last name in separate
    columns. A text file whose lines have no separator is not a table at all."""
    if max(_row_width(row) for row in table.rows) >= 2:
        return
    if table.file_format == "csv":
        raise ApplicationError(_("This file is not a spreadsheet: its lines have no columns separated by commas, "
                                 "semicolons or tabs. Save the list as a table (xlsx, ods or csv) with the first name "
                                 "and the last name in separate columns."), code="not_table")
    raise ApplicationError(_("The table has only one column. The import needs at least the first name and the last "
                             "name, in separate columns."), code="one_column")


def read_table(data: bytes, filename: str = "", *, encoding: str = "") -> Table:
    if not data:
        raise ApplicationError(_("The file is empty."), code="empty")
    if len(data) > MAX_BYTES:
        raise ApplicationError(_("The file is larger than %(mb)d MB. Split it into smaller files.")
                               % {"mb": MAX_BYTES // (1024 * 1024)}, code="too_large")
    file_format = sniff_format(data, filename)
    if file_format == "csv":
        text, used = decode_text(data, encoding)
        sample = text[:20_000]
        _check_text_is_table(sample)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
            delimiter = dialect.delimiter
        except csv.Error:
            delimiter = ";" if sample.count(";") > sample.count(",") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        del text
        try:
            rows = _clip_rows(_bounded_csv(reader))
        except csv.Error as error:
            raise ApplicationError(_("Row %(line)d cannot be read as CSV (%(reason)s). Correct it and upload the "
                                     "file again.") % {"line": reader.line_num, "reason": error}, code="csv") from error
        table = Table(file_format, [], rows, encoding=used, delimiter=delimiter)
    else:
        import python_calamine

        try:
            workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheet = workbook.get_sheet_by_index(0)
            if sheet.height > MAX_ROWS + 1:
                raise ApplicationError(_("The table has more than %(max)d rows. Split it into smaller files.")
                                       % {"max": MAX_ROWS}, code="too_many_rows")
            if sheet.height * sheet.width > MAX_CELLS:
                raise _too_large()
            rows = _clip_rows(iter(sheet.to_python(skip_empty_area=False)))
        except python_calamine.CalamineError as error:
            raise ApplicationError(_("The file is damaged: it could not be opened as a spreadsheet."),
                                   code="damaged") from error
        table = Table(file_format, [], rows)
    # drop completely empty rows; the first non-empty row holds the headings
    table.rows = [r for r in table.rows if any(str(v).strip() for v in r if v is not None)]
    if not table.rows:
        raise ApplicationError(_("The table has no rows."), code="empty")
    _check_columns(table)
    table.headers = [str(h).strip() for h in table.rows.pop(0)]
    return table


# --- writing: the example table and exports ---------------------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value):
    """Text that a spreadsheet would run as a formula is written as plain text (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def xlsx_bytes(headers: list[str], rows: list[list], *, title: str = "Sheet") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([neutralise(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise(v) for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(14, len(header) + 4)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the rows an import left out ("rows to fix") -----------------------------------------------------------------

def rejected_row(*, line: int, cells: list, problems: list[Problem]) -> dict:
    """One row an import left out, as `SpreadsheetImport.rejected_rows` keeps it: its row number, its cells and its
    problems untranslated (core.problems), so whoever opens the import reads them in their own language."""
    return {"line": line, "cells": cells, "problems": [p.as_json() for p in problems]}


def rejected_row_problems(row: dict) -> list[str]:
    """A kept row's problems in the active language; rows kept by older versions hold text ("errors")."""
    return [problem_text(p) for p in (row.get("problems") or row.get("errors") or [])]


def rejected_rows_shown(rows: list[dict]) -> list[dict]:
    """Kept rows as pages and the API show them: {"line", "cells", "errors": [text in the active language]}."""
    return [{"line": row.get("line"), "cells": list(row.get("cells") or []), "errors": rejected_row_problems(row)}
            for row in rows]


def rejected_rows_xlsx(*, headers: list[str], rows: list[dict]) -> bytes:
    """The rows an import left out as a table to fix and upload again: the original headings and cells, then the
    problems (in the active language: the requester's) and the row number in two more columns that no import
    reads."""
    table = []
    for row in rows:
        cells = list(row.get("cells") or [])[:len(headers)]
        cells += [""] * (len(headers) - len(cells))
        table.append([*cells, " ".join(rejected_row_problems(row)), row.get("line")])
    return xlsx_bytes([*headers, gettext("Problems"), gettext("Row in the uploaded file")], table,
                      title=gettext("To fix"))
