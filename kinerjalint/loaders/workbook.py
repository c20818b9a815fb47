"""XLSX loader (python-calamine, openpyxl): every sheet that holds a tree or a Tahap 4 / Tahap 5 table.

A sheet counts when one of its first rows is a recognisable header (a title row above
it is fine). The first tree-like sheet becomes ``pohon``; a sheet named or titled like
"Tahap 4" / "indikator" becomes ``tabel.tahap4`` and one like "Tahap 5" / "terjemah" /
"komponen" ``tabel.tahap5`` (without a tree sheet, the Tahap 5, else Tahap 4, table is
the tree). Sheets named "Info" and "Pengecualian" hold metadata and waivers
(:mod:`.infosheets`). Cells are read as their cached values (formulas as last computed),
a merged range gives its top-left value to every cell of the range, and every value
keeps its cell reference (``Pohon!C12``, ``'Tahap 4'!B3``).

The archive is checked first: a workbook whose unpacked size or number of filled rows is
beyond the limits below is refused with SYS-01 rather than exhausting memory, and so is
anything that is not a readable XLSX archive. The cells are then read by calamine (Rust,
about ten times faster than openpyxl's streaming mode), with openpyxl's reading of the
small parts (sheet names and parts, styles, date system) for what calamine does not give:
percent formats, openpyxl's choice of date formats, cached error values. A workbook
calamine cannot read exactly as openpyxl does, or safely (its cells spread over more than
CALAMINE_CELLS, an XML form the byte scans do not know), is read by openpyxl's streaming
mode as before; the values are the same either way.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import ParseError, iterparse

from kinerjalint.loaders.base import DictLocator, LoadResult, Problem, finish
from kinerjalint.loaders.columns import MAX_HEADER_SCAN, find_header, norm
from kinerjalint.loaders.infosheets import read_info, read_waivers, sheet_role
from kinerjalint.loaders.tables import Grid, Spans, build_rows, read_columns, table_document
from kinerjalint.span import Span

__all__ = ["MAX_MERGED_CELLS", "MAX_ROWS", "MAX_UNCOMPRESSED", "load_xlsx", "sheet_kind"]

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # bytes of the unpacked archive
MAX_ROWS = 200_000  # filled rows over all sheets
MAX_COLUMNS = 100  # columns read per row; trees use about ten
MAX_MERGED_CELLS = 1_000_000  # cells covered by merged ranges, after clipping to the data

_NO_CELLS: list[Any] = []  # shared by all empty rows; never mutated
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and encrypted .xlsx)


class _Refused(Exception):
    def __init__(self, detail: str, detail_en: str) -> None:
        super().__init__(detail_en)
        self.detail = detail
        self.detail_en = detail_en


def _sheet_prefix(sheet: str) -> str:
    """'Pohon!', "'Tahap 4'!": names with spaces are quoted the way Excel writes them."""
    name = sheet if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", sheet) else "'" + sheet.replace("'", "''") + "'"
    return name + "!"


def cell_ref(sheet: str, row: int, col: int) -> str:
    """'Pohon!C12' for 1-based row and column."""
    from openpyxl.utils import get_column_letter

    return f"{_sheet_prefix(sheet)}{get_column_letter(col)}{row}"


def sheet_kind(text: str, is_name: bool) -> str | None:
    """'pohon', 'tahap3', 'tahap4', 'tahap5' or None, from a sheet's name or its title row."""
    n = norm(text)
    if re.search(r"\btahap 5\b", n):
        return "tahap5"
    if re.search(r"\btahap 4\b", n):
        return "tahap4"
    if is_name and "pohon" not in n and re.search(r"\btahap 3\b", n):
        return "tahap3"  # the Tahap 3 decomposition table; the tree when no sheet is named Pohon
    tree = "pohon" in n or re.search(r"\btahap 3\b", n) is not None
    if is_name and tree:
        return "pohon"
    if re.search(r"terjemah|komponen|kinerja jabatan", n):
        return "tahap5"
    if tree:
        return "pohon"
    return "tahap4" if "indikator" in n else None


def _check_archive(raw: bytes) -> None:
    if raw.startswith(_OLE):
        raise _Refused("berkas Excel lama (.xls) atau terenkripsi; simpan ulang sebagai .xlsx tanpa kata sandi",
                       "an old Excel (.xls) or encrypted file; save it again as .xlsx without a password")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _Refused(f"bukan berkas XLSX yang sah ({exc})", f"not a valid XLSX file ({exc})") from exc
    if total > MAX_UNCOMPRESSED:
        mb, limit = total // 2**20, MAX_UNCOMPRESSED // 2**20
        raise _Refused(f"isi XLSX setelah dibuka {mb} MB, melebihi batas {limit} MB",
                       f"the unpacked XLSX holds {mb} MB, over the {limit} MB limit")


def _value(cell: Any) -> Any:
    """A cell's cached value; a percent-formatted number is shown as percent (0.8 -> 80)."""
    value = getattr(cell, "value", None)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and getattr(cell, "has_style", True):
        fmt = getattr(cell, "number_format", "") or ""  # a style lookup: only for styled cells
        if "%" in fmt:
            return round(value * 100, 10)
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    return value


def _merged_ranges(workbook: Any, sheet: Any) -> list[tuple[int, int, int, int]]:
    """Merged ranges (min_col, min_row, max_col, max_row), read from the sheet's XML.

    openpyxl's streaming mode does not expose them, so the <mergeCell> elements are
    read here from the same archive part (a second streaming pass, made only when the
    part mentions merged cells at all: most sheets have none, and the pass cost as much
    as reading the cells).
    """
    from openpyxl.utils import range_boundaries

    archive, part = getattr(workbook, "_archive", None), getattr(sheet, "_worksheet_path", None)
    if archive is None or part is None:
        return []
    if not _mentions(archive, part, b"mergeCell"):
        return []
    out: list[tuple[int, int, int, int]] = []
    with archive.open(part) as source:
        for _event, element in iterparse(source, events=("end",)):
            tag = element.tag.rpartition("}")[2]
            if tag == "mergeCell" and element.get("ref"):
                bounds = range_boundaries(element.get("ref"))
                if None not in bounds:
                    out.append(bounds)
            elif tag in {"row", "c"}:
                element.clear()
    return out


def _mentions(archive: Any, part: str, word: bytes, chunk: int = 1 << 20) -> bool:
    """Does the archive part hold these bytes anywhere? Read in chunks, never whole."""
    tail = b""
    with archive.open(part) as source:
        while block := source.read(chunk):
            if word in tail + block[:len(word)] or word in block:
                return True
            tail = block[-len(word):]
    return False


def _fill_merged(rows: list[list[Any]], ranges: list[tuple[int, int, int, int]]) -> dict[tuple[int, int], tuple[int, int]]:
    """Give each merged range's top-left value to all its cells; cell -> origin (0-based)."""
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    budget = MAX_MERGED_CELLS
    for min_col, min_row, max_col, max_row in ranges:
        r0, c0 = min_row - 1, min_col - 1
        if r0 >= len(rows):
            continue
        top_left = rows[r0][c0] if c0 < len(rows[r0]) else None
        last_row, last_col = min(max_row, len(rows)), min(max_col, MAX_COLUMNS)
        budget -= max(0, last_row - r0) * max(0, last_col - c0)
        if budget < 0:
            raise _Refused("sel gabungan (merge) terlalu banyak", "too many merged cells")
        for r in range(r0, last_row):
            if len(rows[r]) < last_col:  # a new list: empty rows share one
                rows[r] = rows[r] + [None] * (last_col - len(rows[r]))
            row = rows[r]
            for c in range(c0, last_col):
                row[c] = top_left
                origin[(r, c)] = (r0, c0)
    return origin


def _read_grids(raw: bytes) -> list[Grid]:
    """Every worksheet's cells: calamine when it gives exactly what openpyxl gives, else openpyxl.

    calamine (Rust) reads the 10k-row tree about ten times faster than openpyxl's streaming
    reader. Whatever it cannot give exactly, or safely, and whatever it fails on, openpyxl
    reads as before: a damaged file then gets openpyxl's own message.
    """
    try:
        return _read_grids_calamine(raw)
    except _Refused:
        raise
    except BaseException as exc:  # noqa: BLE001 -- a Rust panic arrives as a BaseException
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise  # KeyboardInterrupt, SystemExit
    return _read_grids_openpyxl(raw)


class _NotForCalamine(Exception):
    """calamine could not give what openpyxl gives for this workbook (or not safely)."""


@dataclass(frozen=True)
class _Styles:
    """What the cell styles change in the values, as openpyxl's streaming reader applies them."""

    percent: frozenset[int]  # cell style ids whose number format has a '%': the number is shown x100
    dates: frozenset[int]  # ids whose number makes a date or time
    durations: frozenset[int]  # ids whose number makes a duration ([h]:mm)
    epoch: dt.datetime

    @property
    def marked(self) -> frozenset[int]:
        return self.percent | self.dates


def _styles(workbook: Any) -> _Styles:
    """The style ids that matter, from the stylesheet openpyxl read (its own formats table)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

    percent = set()
    for style_id, style in enumerate(workbook._cell_styles):
        fmt_id = style.numFmtId
        if fmt_id < BUILTIN_FORMATS_MAX_SIZE:
            fmt = BUILTIN_FORMATS.get(fmt_id, "General")
        elif fmt_id - BUILTIN_FORMATS_MAX_SIZE < len(workbook._number_formats):
            fmt = workbook._number_formats[fmt_id - BUILTIN_FORMATS_MAX_SIZE]
        else:
            raise _NotForCalamine  # openpyxl fails on such a cell, if one uses the style: let it say so
        if style_id and "%" in (fmt or ""):  # style 0 is no style: openpyxl reads no format for it
            percent.add(style_id)
    dates = frozenset(workbook._date_formats)
    if 0 in dates:
        raise _NotForCalamine  # every unstyled number would be a date
    return _Styles(frozenset(percent), dates, frozenset(workbook._timedelta_formats), workbook.epoch)


# The worksheet XML in the form Excel, LibreOffice and openpyxl write: every cell opens with
# `<c r="B7"`, attributes in double quotes. In that form a few byte scans (no XML parse) find
# what calamine does not give: the extent of the cells, and the cells whose style or error
# value openpyxl would read.
_ODD_CELL_START = re.compile(rb'<c(?:[\t\n\r/>]| (?!r="))')  # a cell whose reference is not first
_PREFIXED_CELL = re.compile(rb":c[\s/>]")
_ODD_REF = re.compile(rb'<c r="(?![A-Z]{1,3}[1-9][0-9]{0,6}")')
_WIDE_REF = re.compile(rb'<c r="([A-Z]{2,3})[0-9]')  # beyond column Z
_DEEP_REF = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{6,7})"')  # beyond row 99999
_TOO_DEEP = re.compile(rb'<c r="[A-Z]{1,3}(?:[2-9][0-9]{5}|[0-9]{7})"')  # row 200000 on
_ERROR_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*?\st="e"[^>]*?(/?)>')
_ERROR_VALUE = re.compile(rb"\s*(?:<f\b[^>]*?(?:/>|>[^<]*</f>)\s*)?<v>([^<]*)</v>\s*(?:</c>)")
CALAMINE_CELLS = 200_000 * 26  # cells of a sheet's bounding box that calamine may allocate (32 bytes each)
_ESCAPED = re.compile(rb"_x[0-9A-Fa-f]{4}_")
_UTF16_SHEET = "sheetData".encode("utf-16-le")[:-1]  # in either byte order
_EXACT = 2.0**53  # integers calamine's floats hold exactly


@dataclass
class _Marks:
    """Cells of one worksheet that need more than calamine's value: 0-based (row, column) ->."""

    errors: dict[tuple[int, int], str | None]
    styled: dict[tuple[int, int], int]  # -> style id


def _sheet_marks(data: bytes, styles: _Styles) -> _Marks:
    """Check a worksheet part's form and extent, and find its error and percent/date cells.

    calamine allocates the whole rectangle between a sheet's first and last cell before
    anything can be checked (cells at A1 and XFD1048576 abort the process), so the extent
    is bounded here first; a sheet beyond CALAMINE_CELLS, or in another form, is for openpyxl.
    """
    if _PREFIXED_CELL.search(data):
        raise _NotForCalamine
    start = max(data.find(b"<sheetData"), 0)  # the cells; before them, the XML declaration may use '...'
    if any(data.find(odd, start) >= 0 for odd in (b"='", b' ="', b'= "')):
        raise _NotForCalamine
    if _ODD_CELL_START.search(data, start) or _ODD_REF.search(data, start):
        raise _NotForCalamine  # a cell without its reference first: calamine would place it by counting
    cols = max([26] + [_column(letters) for letters in set(_WIDE_REF.findall(data, start))])
    if cols == 26:  # the common case, in one scan: rows up to 199999
        if _TOO_DEEP.search(data, start):
            raise _NotForCalamine
    elif max([99_999] + [int(digits) for digits in set(_DEEP_REF.findall(data, start))]) * cols > CALAMINE_CELLS:
        raise _NotForCalamine
    marks = _Marks({}, {})
    if data.find(b't="e"', start) >= 0:
        for cell in _ERROR_CELL.finditer(data, start):
            where = (int(cell[2]) - 1, _column(cell[1]) - 1)
            if cell[3]:  # <c .../>: openpyxl reads no value
                marks.errors[where] = None
                continue
            value = _ERROR_VALUE.match(data, cell.end())
            if value is None:
                raise _NotForCalamine
            marks.errors[where] = value[1].decode().strip() or None
    if styles.marked:
        ids = b"|".join(str(i).encode() for i in sorted(styles.marked))
        pattern = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*?\ss="0*(' + ids + rb')"')
        for cell in pattern.finditer(data, start):
            marks.styled[(int(cell[2]) - 1, _column(cell[1]) - 1)] = int(cell[3])
    return marks


def _column(letters: bytes) -> int:
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(letters.decode())


def _read_grids_calamine(raw: bytes) -> list[Grid]:
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.xml.constants import SHARED_STRINGS
    from python_calamine import CalamineWorkbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "no default style", unsupported extensions...
        reader = ExcelReader(io.BytesIO(raw), read_only=True, data_only=True)
        reader.read_manifest()
        reader.read_workbook()  # sheet names and parts, the date system; not the cells
        apply_stylesheet(reader.archive, reader.wb)
    try:
        styles = _styles(reader.wb)
        sheets = [(sheet.name, rel.target) for sheet, rel in reader.parser.find_sheets()
                  if rel.target in reader.valid_files and "chartsheet" not in rel.Type]
        strings = reader.package.find(SHARED_STRINGS)
        text_parts = {"xl/sharedStrings.xml", strings.PartName[1:] if strings is not None else ""}
        marks: dict[str, _Marks] = {}
        for info in reader.archive.infolist():  # every part: calamine finds the sheets on its own
            data = reader.archive.read(info)
            if _UTF16_SHEET in data:
                raise _NotForCalamine  # the byte scans below read UTF-8 only
            has_cells = b"sheetData" in data
            if (has_cells or info.filename in text_parts) and _ESCAPED.search(data):
                raise _NotForCalamine  # "_x000D_": calamine decodes it, openpyxl keeps it as written
            if has_cells:
                marks[info.filename] = _sheet_marks(data, styles)
            del data
    finally:
        reader.archive.close()
    grids: list[Grid] = []
    filled = 0
    with CalamineWorkbook.from_filelike(io.BytesIO(raw)) as workbook:
        for name, part in sheets:
            sheet = workbook.get_sheet_by_name(name)
            rows = _calamine_rows(sheet.to_python(skip_empty_area=False), marks.get(part, _Marks({}, {})), styles)
            filled += sum(1 for row in rows if row)
            if filled > MAX_ROWS:
                raise _Refused(f"workbook berisi lebih dari {MAX_ROWS} baris terisi",
                               f"the workbook has more than {MAX_ROWS} filled rows")
            ranges = [(c0 + 1, r0 + 1, c1 + 1, r1 + 1) for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []]
            grids.append(_grid(name, rows, _fill_merged(rows, ranges)))
    return grids


_DATE_LIKE = (dt.date, dt.time, dt.timedelta)  # dt.datetime is a dt.date
_FIRST_SAFE_DATE = dt.datetime(1900, 3, 1)


def _calamine_rows(cells: list[list[Any]], marks: _Marks, styles: _Styles) -> list[list[Any]]:
    """calamine's rows as openpyxl's streaming reader gives them (see _value), trailing blanks cut."""
    rows: list[list[Any]] = []
    for r, row in enumerate(cells):
        values: list[Any] = []
        for v in row[:MAX_COLUMNS] if len(row) > MAX_COLUMNS else row:
            if type(v) is str:
                v = v.strip() or None
            elif type(v) is float:
                if v.is_integer():  # calamine's numbers are floats; openpyxl's an int for "2024"
                    if not -_EXACT < v < _EXACT:
                        raise _NotForCalamine  # the XML's digits are lost
                    v = int(v)
            elif isinstance(v, _DATE_LIKE) and marks.styled.get((r, len(values))) not in styles.dates:
                raise _NotForCalamine  # a date by calamine's reading of the format, or an ISO date cell
            values.append(v)
        rows.append(values)
    for (r, c), text in marks.errors.items():
        _put(rows, r, c, text)
    for (r, c), style_id in marks.styled.items():
        if r < len(rows) and c < len(rows[r]):
            _put(rows, r, c, _styled_value(rows[r][c], style_id, styles))
    for r, values in enumerate(rows):
        while values and values[-1] is None:
            values.pop()
        if not values:
            rows[r] = _NO_CELLS
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _put(rows: list[list[Any]], r: int, c: int, value: Any) -> None:
    if c >= MAX_COLUMNS or (value is None and (r >= len(rows) or c >= len(rows[r]))):
        return
    if r >= len(rows):
        rows.extend([] for _ in range(r + 1 - len(rows)))
    row = rows[r]
    if c >= len(row):
        row.extend([None] * (c + 1 - len(row)))
    row[c] = value


def _styled_value(value: Any, style_id: int, styles: _Styles) -> Any:
    """A cell's value under its number format, as openpyxl gives it: a date, then x100 for a percent."""
    from openpyxl.utils.datetime import from_excel

    if style_id in styles.dates:
        duration = style_id in styles.durations
        if isinstance(value, (int, float)) and not isinstance(value, bool):  # not a date to calamine
            try:
                value = from_excel(value, styles.epoch, timedelta=duration)
            except (OverflowError, ValueError):
                value = "#VALUE!"
        elif isinstance(value, _DATE_LIKE):
            if duration != isinstance(value, dt.timedelta):
                raise _NotForCalamine  # calamine and openpyxl read the format differently
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                value = dt.datetime(value.year, value.month, value.day)
            if isinstance(value, dt.datetime) and value < _FIRST_SAFE_DATE:
                raise _NotForCalamine  # Excel's serials count a 29 February 1900
            if (value.microseconds if isinstance(value, dt.timedelta) else value.microsecond) != 0:
                raise _NotForCalamine  # the two round a serial's fraction of a second differently
        if isinstance(value, dt.timedelta):
            return str(value)
        return value
    if style_id in styles.percent and isinstance(value, (int, float)) and not isinstance(value, bool):
        return round(value * 100, 10)
    return value


def _read_grids_openpyxl(raw: bytes) -> list[Grid]:
    import openpyxl
    from openpyxl.cell.read_only import EMPTY_CELL

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "no default style", unsupported extensions...
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    grids: list[Grid] = []
    filled = 0
    try:
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()  # a wrong <dimension> would cut rows off
            rows: list[list[Any]] = []
            empty: object = None  # openpyxl yields one shared tuple for every missing row
            for cells in sheet.iter_rows(min_row=1, min_col=1, max_col=MAX_COLUMNS):
                if cells is empty:
                    rows.append(_NO_CELLS)
                    continue
                values = [None if c is EMPTY_CELL else _value(c) for c in cells]
                while values and values[-1] is None:
                    values.pop()
                if not values:
                    empty = cells
                    rows.append(_NO_CELLS)
                    continue
                filled += 1
                if filled > MAX_ROWS:
                    raise _Refused(f"workbook berisi lebih dari {MAX_ROWS} baris terisi",
                                   f"the workbook has more than {MAX_ROWS} filled rows")
                rows.append(values)
            while rows and not rows[-1]:
                rows.pop()
            grids.append(_grid(sheet.title, rows, _fill_merged(rows, _merged_ranges(workbook, sheet))))
    finally:
        workbook.close()
    return grids


def _grid(title: str, rows: list[list[Any]], origin: dict[tuple[int, int], tuple[int, int]]) -> Grid:
    from openpyxl.utils import get_column_letter

    prefix = _sheet_prefix(title)
    letters = [get_column_letter(c + 1) for c in range(MAX_COLUMNS)]

    def span(r: int, c: int) -> Span:
        r0, c0 = origin.get((r, c), (r, c)) if origin else (r, c)
        letter = letters[c0] if c0 < MAX_COLUMNS else get_column_letter(c0 + 1)
        return Span(r0 + 1, c0 + 1, r0 + 1, c0 + 1, ref=f"{prefix}{letter}{r0 + 1}")

    return Grid(title, rows, span)


def _classify(grids: list[Grid]) -> dict[str, Grid]:
    """The first sheet of each kind among the sheets that have a header row."""
    found: dict[str, Grid] = {}
    for grid in grids:
        header = None if sheet_role(grid.name) else find_header(grid.rows)
        if header is None:
            continue
        kind = sheet_kind(grid.name, True) or sheet_kind(grid.title(header), False) or "pohon"
        found.setdefault(kind, grid)
    if "pohon" not in found:
        for kind in ("tahap3", "tahap5", "tahap4"):
            if kind in found:
                found["pohon"] = found.pop(kind)
                break
    return found


def _document(grids: list[Grid]) -> tuple[dict[str, Any] | None, Spans, list[Problem]]:
    sheets = _classify(grids)
    if "pohon" not in sheets:
        first = cell_ref(grids[0].name if grids else "Sheet1", 1, 1)
        return None, {}, [Problem("SYS-01", Span(1, 1, 1, 1, ref=first), {
            "detail": "tidak ada lembar kerja berisi tabel pohon kinerja (baris judul kolom seperti "
                      f"'Kinerja', 'Indikator kinerja', 'Rujukan tahapan' pada {MAX_HEADER_SCAN} baris pertama)",
            "detail_en": "no worksheet holds a performance tree table (a header row such as "
                         f"'Kinerja', 'Indikator kinerja', 'Level' in the first {MAX_HEADER_SCAN} rows)"})]
    problems: list[Problem] = []
    tree = sheets["pohon"]
    doc, spans, failed = table_document(tree, f"lembar '{tree.name}'", f"sheet '{tree.name}'")
    if doc is None:
        return None, {}, failed
    data: dict[str, Any] = dict(doc)
    tables: dict[str, Any] = {}
    for kind in ("tahap3", "tahap4", "tahap5"):
        grid = sheets.get(kind)
        if grid is None:
            continue
        table_cols = read_columns(grid)
        if isinstance(table_cols, Problem):
            problems.append(table_cols)
            continue
        rows, row_spans = build_rows(grid, table_cols, ("tabel", kind))
        if rows:
            tables[kind] = rows
            spans.update(row_spans)
            spans[("tabel", kind)] = grid.span(table_cols.header_row, 0)
    if tables:
        data["tabel"] = tables
    _info_and_waivers(grids, data, spans)
    return data, spans, problems


def _info_and_waivers(grids: list[Grid], data: dict[str, Any], spans: Spans) -> None:
    """The first "Info" and the first "Pengecualian" sheet, when the workbook has them."""
    roles = {sheet_role(g.name): g for g in reversed(grids)}
    if (info := roles.get("info")) is not None:
        meta, meta_spans = read_info(info)
        data.update(meta)
        spans.update(meta_spans)
    if (sheet := roles.get("pengecualian")) is not None:
        waivers, waiver_spans = read_waivers(sheet)
        if waivers:
            data["pengecualian"] = waivers
            spans.update(waiver_spans)
            spans[("pengecualian",)] = waiver_spans[("pengecualian", 0)]


def load_xlsx(raw: bytes, source: str) -> LoadResult:
    from openpyxl.utils.exceptions import InvalidFileException

    result = LoadResult(source=source, fmt="xlsx")
    try:
        _check_archive(raw)
        grids = _read_grids(raw)
    except _Refused as exc:
        result.problems.append(Problem("SYS-01", Span(1, 1, 1, 1), {"detail": exc.detail, "detail_en": exc.detail_en}))
        return result
    except (InvalidFileException, zipfile.BadZipFile, zlib.error, ParseError, KeyError, ValueError, TypeError,
            OSError, EOFError, IndexError, AttributeError, NotImplementedError) as exc:
        # Whatever openpyxl raises on a damaged archive; the message names the cause.
        result.problems.append(Problem("SYS-01", Span(1, 1, 1, 1), {
            "detail": f"XLSX rusak atau tidak dapat dibaca ({type(exc).__name__}: {exc})",
            "detail_en": f"damaged or unreadable XLSX ({type(exc).__name__}: {exc})"}))
        return result
    data, spans, problems = _document(grids)
    result.problems.extend(problems)
    if data is None:
        return result
    return finish(result, data, DictLocator(spans))
