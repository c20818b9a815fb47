"""Source locations.

Every value of an imported tree keeps the place it came from. Positions are 1-based
wherever a person sees them; the 0-based positions of parsers are converted here, in
:func:`from_zero_based`, and nowhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Where a value sits: line/column for text files, ``ref`` (``Sheet!C12``) for workbooks."""

    line: int
    column: int
    end_line: int
    end_column: int
    ref: str | None = None

    def label(self) -> str:
        return self.ref if self.ref else f"{self.line}:{self.column}"


# A worksheet place ("Tahap 3, tabel 1, baris 5, kolom 2", "Tahap 1, paragraf 7") in English.
_PLACE_EN = (("judul kolom ", "header column "), ("Awal dokumen", "Start of document"), ("tidak ada; setelah", "missing; after"), ("tabel ", "table "),
             ("baris ", "row "), ("kolom ", "column "), ("paragraf ", "paragraph "), ("judul", "heading"))
_WORKSHEET_PLACE = re.compile(r"^(?:Tahap \d|Awal dokumen)")


def is_worksheet_place(ref: str | None) -> bool:
    """Is ``ref`` a place in a worksheet (rather than a workbook cell such as ``Pohon!C12``)?"""
    return bool(ref) and _WORKSHEET_PLACE.match(ref or "") is not None


def place_label(ref: str, lang: str = "id") -> str:
    """A place as people read it in their language: worksheet places are written in
    Indonesian ("Tahap 3, tabel 1, baris 5"), "Tahap 3, table 1, row 5" in English;
    workbook cells are the same in both."""
    if lang != "en" or not is_worksheet_place(ref):
        return ref
    for word, english in _PLACE_EN:
        ref = ref.replace(word, english)
    return ref


def place_parts(ref: str) -> list[str]:
    """'Tahap 3, tabel 1, baris 5, kolom 2' -> ['Tahap 3', 'tabel 1', 'baris 5', 'kolom 2']."""
    return [p.strip() for p in ref.split(",") if p.strip()]


def from_zero_based(line0: int, col0: int, end_line0: int, end_col0: int) -> Span:
    """Convert a parser's 0-based (line, column) pair to the 1-based Span people read."""
    return Span(line0 + 1, col0 + 1, end_line0 + 1, end_col0 + 1)


def caret_excerpt(text: str, line: int, column: int, end_column: int | None = None) -> str:
    """The source line with a caret under the column (lark's get_context, for any text)."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    src = lines[line - 1].expandtabs(1)
    width = 1
    if end_column is not None and end_column > column:
        width = min(end_column - column, max(1, len(src) - column + 1))
    return f"  {src}\n  {' ' * (column - 1)}{'^' * width}"
