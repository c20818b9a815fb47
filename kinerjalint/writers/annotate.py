"""`kinerjalint check FILE --annotate OUT.xlsx`: the agency's workbook with its problems marked.

(A Word worksheet annotated as OUT.docx gets Word comments instead: :mod:`.docx_annotate`.)

For an XLSX file, OUT is a copy of the agency's own workbook: loaded by openpyxl with
its formatting and formulas (not the cached values the checker read), the original file
only read, never written. For a YAML, JSON, TSV or CSV file, OUT is the workbook the
converter makes of it (:mod:`.workbook`), each finding moved to its value's cell
(:mod:`.placing`).

Each cell a finding names gets the fill of the worst severity on it (error red, warning
amber, info light blue), a thicker border, and one comment listing every finding on it
(code, severity, message, fix), after any comment the cell already had. A summary sheet
goes first (:mod:`.summary`). Accepted (suppressed, waived, baselined) findings are
listed on the summary only. OUT is written atomically.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kinerjalint.errors import KinerjalintError
from kinerjalint.findings import Finding
from kinerjalint.writers.summary import SEVERITY_COLOURS, add_summary

__all__ = ["Annotation", "AnnotationError", "annotate", "annotate_all", "parse_ref"]

_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Za-z]{1,3})\$?([0-9]+)$")
_COMMENT_WIDTH = 380  # points; about 60 characters a line


class AnnotationError(KinerjalintError):
    """The workbook cannot be annotated (unreadable input, OUT is the input file...)."""


@dataclass
class Annotation:
    source: str
    target: Path
    cells: int  # cells marked
    unplaced: int  # active findings with no cell (listed on the summary only)


def parse_ref(ref: str) -> tuple[str, str] | None:
    """"'Tahap 4'!B3" -> ('Tahap 4', 'B3'); None when it is not a cell reference."""
    m = _REF.match(ref.strip())
    if m is None:
        return None
    sheet = m.group(1).replace("''", "'") if m.group(1) is not None else m.group(2)
    return sheet, f"{m.group(3).upper()}{m.group(4)}"


def _open_original(source: Path, target: Path) -> Any:
    import warnings

    import openpyxl

    keep_vba = source.suffix.lower() == ".xlsm" and target.suffix.lower() == ".xlsm"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(source, keep_vba=keep_vba, rich_text=True)
    except Exception as exc:  # noqa: BLE001 -- whatever openpyxl raises on a damaged file
        raise AnnotationError("annotate.cannot_open", source=str(source), kind=type(exc).__name__) from exc


def _comment_text(findings: Sequence[Finding], lang: str) -> str:
    parts = []
    for f in findings:
        text = f"[{f.code}] {f.severity.label(lang)}: {f.message(lang)}"
        if f.fix is not None:
            text += f"\n{'Fix' if lang == 'en' else 'Saran'}: {f.fix.text(lang)}"
        parts.append(text)
    return "\n\n".join(parts)


def _target_cell(ws: Any, coord: str) -> Any:
    """The cell, or the top-left cell of the merged range it lies in."""
    cell = ws[coord]
    if type(cell).__name__ == "MergedCell":
        for rng in ws.merged_cells.ranges:
            if coord in rng:
                return ws.cell(row=rng.min_row, column=rng.min_col)
    return cell


def _mark(cell: Any, findings: Sequence[Finding], lang: str) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Border, PatternFill, Side

    worst = max(f.severity for f in findings)
    fill, edge = SEVERITY_COLOURS[worst]
    cell.fill = PatternFill("solid", fgColor=fill)
    side = Side(style="medium", color=edge)
    cell.border = Border(left=side, right=side, top=side, bottom=side)
    text = _comment_text(findings, lang)
    if cell.comment is not None and cell.comment.text:
        text = f"{cell.comment.text.rstrip()}\n\n--- kinerjalint ---\n{text}"
    lines = sum(max(1, math.ceil(len(line) / 60)) for line in text.splitlines())
    cell.comment = Comment(text, "kinerjalint", height=min(600, 24 + 15 * lines), width=_COMMENT_WIDTH)


def mark_cells(wb: Any, placed: Sequence[tuple[Finding, str | None]], lang: str) -> tuple[int, int]:
    """Mark every cell named by an active finding; (cells marked, active findings without a cell)."""
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    unplaced = 0
    for f, ref in placed:
        if f.status != "active":
            continue
        where = parse_ref(ref) if ref else None
        if where is None or where[0] not in wb.sheetnames or not hasattr(wb[where[0]], "merged_cells"):
            unplaced += 1
            continue
        by_cell.setdefault(where, []).append(f)
    for (sheet, coord), found in by_cell.items():
        _mark(_target_cell(wb[sheet], coord), found, lang)
    return len(by_cell), unplaced


def _workbook_of(result: Any, source: Path, target: Path) -> tuple[Any, list[tuple[Finding, str | None]], bool]:
    """(workbook, findings with their cells, whether the workbook was built from a text file)."""
    if result.fmt == "xlsx":
        return _open_original(source, target), [(f, f.ref) for f in result.findings], False
    from kinerjalint.loaders import load_path
    from kinerjalint.writers.placing import place_findings
    from kinerjalint.writers.workbook import build_workbook

    loaded = load_path(source)  # the file's locator: spans back to document paths
    if result.tree is None or loaded.tree is None:
        raise AnnotationError("annotate.unreadable", source=str(result.source))
    wb, cells = build_workbook(loaded.tree)
    return wb, place_findings(result.findings, loaded.tree, loaded.locator, cells), True


def annotate(result: Any, target: Path, lang: str = "id") -> Annotation:
    """Write the annotated workbook of one check result (a :class:`~kinerjalint.api.CheckResult`)."""
    from kinerjalint.writers.atomic import write_atomically
    from kinerjalint.writers.workbook import save_bytes

    source = Path(result.source)
    word = target.suffix.lower() == ".docx"
    if word and result.fmt != "docx":
        raise AnnotationError("annotate.docx_needs_docx", name=source.name)
    if not word and target.suffix.lower() not in (".xlsx", ".xlsm"):
        raise AnnotationError("annotate.not_xlsx", name=target.name)
    if target.exists() and target.resolve() == source.resolve():
        raise AnnotationError("annotate.same_file", path=str(target))
    if not target.parent.is_dir():
        raise AnnotationError("convert.no_folder", path=str(target.parent))
    if word:
        from kinerjalint.writers.docx_annotate import WordAnnotationError, annotate_docx

        try:
            commented, unplaced = annotate_docx(result, source, target, lang)
        except WordAnnotationError as exc:
            raise AnnotationError(str(exc)) from exc
        return Annotation(result.source, target, commented, unplaced)
    wb, placed, built = _workbook_of(result, source, target)
    cells, unplaced = mark_cells(wb, placed, lang)
    add_summary(wb, result, placed, lang, origin=built)
    write_atomically(target, save_bytes(wb))
    return Annotation(result.source, target, cells, unplaced)


def _targets(results: Sequence[Any], out: Path) -> list[Path]:
    """OUT itself for one file; for several (or a folder), OUT/<name>-kinerjalint.xlsx each."""
    if not out.is_dir():
        if len(results) != 1:
            raise AnnotationError("cli.annotate_folder", out=str(out))
        return [out]
    taken: set[str] = set()
    targets = []
    for r in results:
        source = Path(r.source)
        suffix = ".docx" if getattr(r, "fmt", "") == "docx" else ".xlsx"  # a Word worksheet stays in Word
        name = f"{source.stem}-kinerjalint{suffix}"
        if name in taken:  # 'x.yaml' beside 'x.xlsx': 'x-yaml-kinerjalint.xlsx'
            name = f"{source.stem}-{source.suffix.lstrip('.')}-kinerjalint.xlsx"
        n = 1
        while name in taken:
            n += 1
            name = f"{source.stem}-kinerjalint-{n}.xlsx"
        taken.add(name)
        targets.append(out / name)
    return targets


def annotate_all(results: Sequence[Any], out: Path, lang: str = "id") -> tuple[list[Annotation], list[str]]:
    """Annotate every result; (annotations written, why the others were skipped).

    With one file, a failure raises; with several, the files that cannot be annotated
    (unreadable) are skipped and named, and the others are written.
    """
    done: list[Annotation] = []
    skipped: list[str] = []
    for result, target in zip(results, _targets(results, out)):
        try:
            done.append(annotate(result, target, lang))
        except AnnotationError as exc:
            if len(results) == 1:
                raise
            skipped.append(exc.render(lang))
    return done, skipped
