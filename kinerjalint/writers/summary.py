"""The "Hasil kinerjalint" sheet of an annotated workbook: the grade and every finding.

At the top: the file, the agency, the score and predikat, the sub-score of each
dimension, the number of active findings by severity and of accepted ones, the
disclaimer, and the colour legend. Below: one row per finding (code, severity, cell,
message, fix, status; and, for a workbook built from a text file, the finding's line
and column in that file), the cell a link to the offending cell. Every text goes
through :func:`.safety.set_cell`: a message quoting the agency's text never becomes a
formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kinerjalint.findings import Finding, Severity
from kinerjalint.grading import DIMENSIONS
from kinerjalint.loaders.infosheets import SUMMARY_SHEET
from kinerjalint.writers.safety import set_cell

__all__ = ["SEVERITY_COLOURS", "SUMMARY_SHEET", "add_summary"]

# severity -> (fill, border): error red, warning amber, info light blue
SEVERITY_COLOURS = {Severity.error: ("FFB3B3", "C00000"), Severity.warning: ("FFD966", "BF8F00"),
                    Severity.info: ("DDEBF7", "2E75B6")}
_WORDS = {
    "id": {"title": "Hasil pemeriksaan kinerjalint", "file": "Berkas", "agency": "Instansi", "score": "Nilai",
           "predikat": "Predikat", "not_gradable": "tidak dapat dinilai", "accepted": "Dikecualikan",
           "legend": "Warna sel", "code": "Kode", "severity": "Tingkat", "cell": "Sel", "message": "Pesan",
           "fix": "Saran perbaikan", "status": "Status", "origin": "Baris:kolom asal", "findings": "Temuan",
           "none": "Tidak ada temuan.", "active": "aktif", "no_cell": "(seluruh berkas)"},
    "en": {"title": "kinerjalint check results", "file": "File", "agency": "Agency", "score": "Score",
           "predikat": "Predikat", "not_gradable": "not gradable", "accepted": "Accepted",
           "legend": "Cell colours", "code": "Code", "severity": "Severity", "cell": "Cell", "message": "Message",
           "fix": "Suggested fix", "status": "Status", "origin": "Original line:column", "findings": "Findings",
           "none": "No findings.", "active": "active", "no_cell": "(whole file)"},
}
_WIDTHS = {"A": 26, "B": 14, "C": 18, "D": 80, "E": 60, "F": 14, "G": 16}


def _put(ws: Any, row: int, col: int, value: Any, **style: Any) -> Any:
    cell = ws.cell(row=row, column=col)
    set_cell(cell, value)
    for key, val in style.items():
        setattr(cell, key, val)
    return cell


def _head(ws: Any, result: Any, lang: str) -> int:
    """The grade block; returns the next free row."""
    from openpyxl.styles import Alignment, Font

    w, bold = _WORDS[lang], Font(bold=True)
    _put(ws, 1, 1, w["title"], font=Font(bold=True, size=14))
    rows: list[tuple[str, Any]] = [(w["file"], Path(result.source).name)]
    if result.tree is not None and result.tree.instansi:
        rows.append((w["agency"], result.tree.instansi))
    g = result.grade
    gradable = g is not None and g.gradable
    rows.append((w["score"], g.score if gradable else w["not_gradable"]))
    rows.append((w["predikat"], g.predikat if gradable else w["not_gradable"]))
    if gradable:
        rows += [(lid if lang == "id" else len_, g.dimensions[key])
                 for key, lid, len_, _groups, _weight in DIMENSIONS if key in g.dimensions]
    rows += [(s.label(lang).capitalize(), result.count(s)) for s in (Severity.error, Severity.warning, Severity.info)]
    rows.append((w["accepted"], len(result.accepted)))
    r = 3
    for label, value in rows:
        _put(ws, r, 1, label, font=bold)
        cell = _put(ws, r, 2, value, alignment=Alignment(horizontal="left"))
        if isinstance(value, float):
            cell.number_format = "0.0"
        r += 1
    from kinerjalint.grading import DISCLAIMER_EN, DISCLAIMER_ID

    _put(ws, r, 1, DISCLAIMER_EN if lang == "en" else DISCLAIMER_ID, font=Font(italic=True))
    return _legend(ws, r + 1, lang)


def _legend(ws: Any, r: int, lang: str) -> int:
    from openpyxl.styles import Font, PatternFill

    _put(ws, r, 1, _WORDS[lang]["legend"], font=Font(bold=True))
    for c, (sev, (fill, _border)) in enumerate(SEVERITY_COLOURS.items(), 2):
        _put(ws, r, c, sev.label(lang), fill=PatternFill("solid", fgColor=fill))
    return r + 2


def _link(cell: Any, ref: str) -> None:
    from openpyxl.worksheet.hyperlink import Hyperlink

    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=ref, display=ref)
    cell.style = "Hyperlink"


def add_summary(wb: Any, result: Any, placed: Sequence[tuple[Finding, str | None]], lang: str = "id",
                origin: bool = False) -> Any:
    """Put the summary sheet first (replacing an older one) and make it the active sheet."""
    from openpyxl.styles import Alignment, Font, PatternFill

    if SUMMARY_SHEET in wb.sheetnames:
        wb.remove(wb[SUMMARY_SHEET])
    for ws in wb.worksheets:  # several selected tabs would group the sheets in Excel
        ws.sheet_view.tabSelected = False
    ws = wb.create_sheet(SUMMARY_SHEET, 0)
    wb.active = 0
    w = _WORDS[lang]
    for letter, width in _WIDTHS.items():
        ws.column_dimensions[letter].width = width
    r = _head(ws, result, lang)
    _put(ws, r, 1, w["findings"], font=Font(bold=True, size=12))
    r += 1
    headers = ["code", "severity", "cell", "message", "fix", "status"] + (["origin"] if origin else [])
    for c, key in enumerate(headers, 1):
        _put(ws, r, c, w[key], font=Font(bold=True), fill=PatternFill("solid", fgColor="D9E1F2"))
    first = r
    wrap = Alignment(wrap_text=True, vertical="top")
    ordered = sorted(placed, key=lambda p: (p[0].status != "active", -p[0].severity, p[0].sort_key()))
    for f, ref in ordered:
        r += 1
        fill = PatternFill("solid", fgColor=SEVERITY_COLOURS[f.severity][0]) if f.status == "active" else None
        values = [f.code, f.severity.label(lang), ref or w["no_cell"], f.message(lang),
                  f.fix.text(lang) if f.fix else "", w["active"] if f.status == "active" else f.status]
        if origin:
            values.append(f"{f.line}:{f.column}")
        for c, value in enumerate(values, 1):
            cell = _put(ws, r, c, value, alignment=wrap)
            if c == 2 and fill is not None:
                cell.fill = fill
        if ref:
            _link(ws.cell(row=r, column=3), ref)
            ws.cell(row=r, column=3).alignment = wrap
    if not placed:
        _put(ws, r + 1, 1, w["none"])
    from kinerjalint.writers.workbook import fit_rows

    fit_rows(ws, first + 1)
    ws.auto_filter.ref = f"A{first}:{chr(ord('A') + len(headers) - 1)}{max(r, first + 1)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return ws
