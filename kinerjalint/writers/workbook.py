"""XLSX (openpyxl): the whole document as a workbook the importer reads back.

Sheets: "Pohon" (the tree, one row per (node, indicator), :mod:`.rows`), "Tahap 3",
"Tahap 4", "Tahap 5" (the tables the document carries), "Info" (metadata and Tahap 1,
one key and value per row) and "Pengecualian" (waivers), the names the workbook importer
looks for (:mod:`kinerjalint.loaders.workbook`, :mod:`kinerjalint.loaders.infosheets`).
Every sheet has a bold, frozen header row with a filter, set column widths and wrapped
text; text cells are always string cells (:func:`.safety.set_cell`).

:func:`build_workbook` also returns the cell of every value (document path ->
``Pohon!D3``), used to annotate a workbook made from a YAML/JSON/TSV/CSV file.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from typing import Any

from kinerjalint.loaders.workbook import cell_ref
from kinerjalint.model import SCHEMA_VERSION, DocumentModel
from kinerjalint.tree import Path, Tree
from kinerjalint.writers.rows import Table, table_rows, tree_table
from kinerjalint.writers.safety import set_cell

__all__ = ["build_workbook", "fit_rows", "render_workbook", "save_bytes"]

TABLE_SHEETS = (("tahap3", "Tahap 3"), ("tahap4", "Tahap 4"), ("tahap5", "Tahap 5"))
_HEADER_FILL = "D9E1F2"
_WAIVER_COLUMNS = (("kode", "Kode", 10), ("node", "Node", 10), ("alasan", "Alasan", 50),
                   ("penyetuju", "Penyetuju", 24), ("tanggal", "Tanggal", 12), ("kedaluwarsa", "Kedaluwarsa", 12))


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Font, PatternFill

    return {"bold": Font(bold=True), "fill": PatternFill("solid", fgColor=_HEADER_FILL),
            "wrap": Alignment(wrap_text=True, vertical="top")}


def _sheet(wb: Any, title: str, headers: list[tuple[str, int]], rows: list[list[Any]]) -> Any:
    """A sheet with a styled, frozen header row and the rows under it."""
    from openpyxl.utils import get_column_letter

    st = _styles()
    ws = wb.create_sheet(title)
    for c, (label, width) in enumerate(headers, 1):
        cell = ws.cell(row=1, column=c)
        set_cell(cell, label)
        cell.font, cell.fill, cell.alignment = st["bold"], st["fill"], st["wrap"]
        ws.column_dimensions[get_column_letter(c)].width = width
    for r, values in enumerate(rows, 2):
        for c, value in enumerate(values, 1):
            if value is None or value == "":
                continue
            cell = ws.cell(row=r, column=c)
            set_cell(cell, value)
            cell.alignment = st["wrap"]
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    fit_rows(ws)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if headers:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(rows) + 1)}"
    return ws


def fit_rows(ws: Any, first_row: int = 1, line_height: float = 15.0) -> None:
    """Give rows with wrapped text the height their longest cell needs.

    Spreadsheet programs do not all grow a row to fit wrapped text when they open a file
    (LibreOffice keeps the default height, and prints the lines over each other), so the
    height is set from the text length and the column width: one character per unit of
    width, erring on the tall side.
    """
    from openpyxl.utils import get_column_letter

    widths: dict[int, float] = {}
    for row in ws.iter_rows(min_row=first_row):
        lines = 1
        for cell in row:
            if not isinstance(cell.value, str) or not cell.value:
                continue
            c = cell.column
            if c not in widths:
                widths[c] = ws.column_dimensions[get_column_letter(c)].width or 8.43
            per_line = max(1, int(widths[c]))
            lines = max(lines, sum(max(1, math.ceil(len(part) / per_line)) for part in cell.value.split("\n")))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = round(lines * line_height + 2, 1)


def _table_sheet(wb: Any, title: str, table: Table, refs: dict[Path, str]) -> None:
    keys = [c.key for c in table.columns]
    _sheet(wb, title, [(c.label, c.width) for c in table.columns],
           [[row.get(k) for k in keys] for row in table.rows])
    col_of = {k: i + 1 for i, k in enumerate(keys)}
    for path, (r, key) in table.places.items():
        if key in col_of:
            refs[path] = cell_ref(title, r + 2, col_of[key])


def _info_rows(doc: DocumentModel) -> list[tuple[Path, str, Any]]:
    rows: list[tuple[Path, str, Any]] = []
    if doc.versi != SCHEMA_VERSION:
        rows.append((("versi",), "versi", doc.versi))
    for key in ("instansi", "pemda", "periode", "tahun"):
        value = getattr(doc, key)
        if value is not None:
            rows.append(((key,), key, value))
    if doc.tahap1 is not None:
        for key in ("mandat", "permasalahan", "ekspektasi"):
            rows.extend((("tahap1", key, i), key, v) for i, v in enumerate(getattr(doc.tahap1, key)))
    return rows


def build_workbook(tree: Tree) -> tuple[Any, dict[Path, str]]:
    """(openpyxl Workbook, document path -> cell reference) of a tree and its document."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    refs: dict[Path, str] = {}
    _table_sheet(wb, "Pohon", tree_table(tree), refs)
    doc = tree.model
    if doc is not None and doc.tabel is not None:
        for name, title in TABLE_SHEETS:
            rows = getattr(doc.tabel, name)
            if rows:
                _table_sheet(wb, title, table_rows(rows, name), refs)
    info = _info_rows(doc) if doc is not None else []
    if info:
        _sheet(wb, "Info", [("Kunci", 16), ("Nilai", 90)], [[key, value] for _, key, value in info])
        for r, (path, _key, _value) in enumerate(info, 2):
            refs[path] = cell_ref("Info", r, 2)
    waivers = list(doc.pengecualian) if doc is not None else []
    if waivers:
        _sheet(wb, "Pengecualian", [(label, width) for _, label, width in _WAIVER_COLUMNS],
               [[getattr(w, key) for key, _, _ in _WAIVER_COLUMNS] for w in waivers])
        for i in range(len(waivers)):
            refs[("pengecualian", i)] = cell_ref("Pengecualian", i + 2, 1)
            for c, (key, _, _) in enumerate(_WAIVER_COLUMNS, 1):
                refs[("pengecualian", i, key)] = cell_ref("Pengecualian", i + 2, c)
    wb.active = 0
    return wb, refs


def save_bytes(wb: Any) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def render_workbook(tree: Tree) -> bytes:
    return save_bytes(build_workbook(tree)[0])
