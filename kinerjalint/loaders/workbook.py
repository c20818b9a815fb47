"""XLSX loader (openpyxl): every sheet that holds a tree or a Tahap 4 / Tahap 5 table.

A sheet counts when one of its first rows is a recognisable header (a title row above
it is fine). The first tree-like sheet becomes ``pohon``; a sheet named or titled like
"Tahap 4" / "indikator" becomes ``tabel.tahap4`` and one like "Tahap 5" / "terjemah" /
"komponen" ``tabel.tahap5`` (without a tree sheet, the Tahap 5, else Tahap 4, table is
the tree). Sheets named "Info" and "Pengecualian" hold metadata and waivers
(:mod:`.infosheets`). Cells are read as their cached values (formulas as last computed),
a merged range gives its top-left value to every cell of the range, and every value
keeps its cell reference (``Pohon!C12``, ``'Tahap 4'!B3``).

The workbook is read in openpyxl's streaming mode after its archive is checked: a
workbook whose unpacked size or number of filled rows is beyond the limits below is
refused with SYS-01 rather than exhausting memory, and so is anything that is not a
readable XLSX archive.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
import zlib
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
