"""`kinerjalint check WORKSHEET.docx --annotate OUT.docx`: the agency's own Word document, commented.

OUT is a copy of the checked document: its bytes are read once (the original is never
written) and opened with python-docx, which keeps everything it does not touch as it
was. Each paragraph or table cell an active finding names gets one Word comment by
"kinerjalint" listing every finding there (code, severity, message, fix), anchored on
the text of that paragraph or cell; nothing else in the body changes. At the end of the
document a heading and a summary table list every finding: place, code, severity,
message and fix, accepted ones (suppressed, waived, baselined) with their status, and
the findings that have no paragraph or cell of their own (a missing stage, the whole
tree) are named there. OUT is written atomically.

The places are found the way the loader numbered them (:func:`~kinerjalint.loaders.
worksheet_blocks.block_places` over the same blocks), so "Tahap 3, tabel 1, baris 5, kolom 2"
is the cell the finding was made from.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kinerjalint.errors import KinerjalintError
from kinerjalint.findings import Finding

__all__ = ["AUTHOR", "SUMMARY_TITLE", "WordAnnotationError", "annotate_docx"]

AUTHOR = "kinerjalint"
SUMMARY_TITLE = {"id": "Hasil pemeriksaan kinerjalint", "en": "kinerjalint check results"}
_HEAD = {"id": ("Lokasi", "Kode", "Pesan", "Saran", "Status"),
         "en": ("Place", "Code", "Message", "Fix", "Status")}
_WIDTHS_CM = (3.0, 2.0, 6.5, 4.5, 1.8)  # a summary that fits a portrait A4/Letter page
_SUMMARY_PT = 8
_STATUS = {"id": {"active": "aktif", "suppressed": "diabaikan", "waived": "dikecualikan", "baselined": "baseline"},
           "en": {"active": "active", "suppressed": "suppressed", "waived": "waived", "baselined": "baselined"}}


class WordAnnotationError(KinerjalintError):
    """The Word document cannot be read again to be annotated (:mod:`.annotate` reports it)."""


def _lines(f: Finding, lang: str) -> list[str]:
    out = [f"[{f.code}] {f.severity.label(lang)}: {f.message(lang)}"]
    if f.fix is not None:
        out.append(f"{'Fix' if lang == 'en' else 'Saran'}: {f.fix.text(lang)}")
    return out


def _anchor_runs(handle: Any) -> list[Any]:
    """The runs a comment spans: a paragraph's, or every paragraph's of a cell."""
    paragraphs = handle.paragraphs if hasattr(handle, "paragraphs") else [handle]
    runs = [run for p in paragraphs for run in p.runs]
    if not runs:  # text only inside fields or hyperlinks, or an empty cell: an empty run to hold it
        runs = [paragraphs[0].add_run("")]
    return runs


def _comment(document: Any, handle: Any, findings: Sequence[Finding], lang: str) -> None:
    lines = [line for f in findings for line in _lines(f, lang)]
    comment = document.add_comment(_anchor_runs(handle), text=lines[0], author=AUTHOR, initials="KL")
    for line in lines[1:]:
        comment.add_paragraph(line)


def _has_style(document: Any, name: str) -> bool:
    """An agency's own document defines only the styles it uses: 'Heading 1' or 'Table Grid'
    may be missing, and python-docx refuses a style the document lacks."""
    try:
        document.styles[name]
    except KeyError:
        return False
    return True


def _grid_borders(table: Any) -> None:
    """Single borders on every cell edge, for a document without the 'Table Grid' style."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "808080")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def _summary(document: Any, result: Any, placed: set[int], lang: str) -> None:
    key = "en" if lang == "en" else "id"
    document.add_page_break()
    if _has_style(document, "Heading 1"):
        document.add_heading(SUMMARY_TITLE[key], level=1)
    else:
        document.add_paragraph().add_run(SUMMARY_TITLE[key]).bold = True
    active = [f for f in result.findings if f.status == "active"]
    counts = {s: sum(1 for f in active if f.severity == s) for s in {f.severity for f in active}}
    parts = ", ".join(f"{n} {s.label(lang)}" for s, n in sorted(counts.items(), key=lambda kv: -int(kv[0])))
    intro = (f"{len(active)} findings ({parts or 'none'}); {len(result.findings) - len(active)} accepted. "
             f"Each finding with a place is also a comment by '{AUTHOR}' in the text."
             if key == "en" else
             f"{len(active)} temuan ({parts or 'tidak ada'}); {len(result.findings) - len(active)} diterima. "
             f"Setiap temuan yang punya tempat juga menjadi komentar '{AUTHOR}' di naskah.")
    document.add_paragraph(intro)
    grade = getattr(result, "grade", None)
    if grade is not None:
        document.add_paragraph(grade.summary(lang))
    from docx.shared import Cm, Pt

    table = document.add_table(rows=1, cols=len(_HEAD[key]))
    if _has_style(document, "Table Grid"):
        table.style = "Table Grid"
    else:
        _grid_borders(table)
    table.autofit = False
    for c, width in enumerate(_WIDTHS_CM):  # the grid (LibreOffice reads it) and each cell (Word does)
        table.columns[c].width = Cm(width)

    def fill(cells: Any, values: Sequence[str], bold: bool = False) -> None:
        for c, value in enumerate(values):
            cells[c].width = Cm(_WIDTHS_CM[c])
            run = cells[c].paragraphs[0].add_run(value)
            run.font.size = Pt(_SUMMARY_PT)
            run.bold = bold

    fill(table.rows[0].cells, _HEAD[key], bold=True)
    for i, f in enumerate(result.findings):
        where = f.place(lang) if f.ref else "-"
        if f.status == "active" and i not in placed:
            where += " (tanpa komentar)" if key == "id" else " (no comment)"
        fill(table.add_row().cells, (where, f"{f.code} {f.severity.label(lang)}", f.message(lang),
                                     f.fix.text(lang) if f.fix else "", _STATUS[key].get(f.status, f.status)))


def annotate_docx(result: Any, source: Path, target: Path, lang: str = "id") -> tuple[int, int]:
    """Write OUT; (paragraphs and cells commented, active findings listed only in the summary)."""
    from kinerjalint.writers.atomic import write_atomically
    from kinerjalint.loaders.worksheet_blocks import block_places
    from kinerjalint.loaders.worksheet_docx import DocxRefused, docx_blocks, open_docx

    try:
        document = open_docx(source.read_bytes())
    except DocxRefused as exc:
        raise WordAnnotationError(f"{source}: tidak dapat dianotasi: {exc.detail}") from exc
    except OSError as exc:
        raise WordAnnotationError(f"{source}: tidak dapat dibaca ({exc.strerror})") from exc
    places = block_places(docx_blocks(document))
    by_place: dict[int, tuple[Any, list[Finding]]] = {}
    placed: set[int] = set()
    for i, f in enumerate(result.findings):
        handle = places.get(f.ref) if f.ref and f.status == "active" else None
        if handle is None:
            continue
        by_place.setdefault(id(handle), (handle, []))[1].append(f)
        placed.add(i)
    for handle, found in by_place.values():
        _comment(document, handle, found, lang)
    _summary(document, result, placed, lang)
    out = io.BytesIO()
    document.save(out)
    write_atomically(target, out.getvalue())
    unplaced = sum(1 for i, f in enumerate(result.findings) if f.status == "active" and i not in placed)
    return len(by_place), unplaced
