"""A worksheet as blocks: paragraphs and tables in document order, their stages and places.

The lower half of the worksheet reader (:mod:`.worksheet` builds the submission from
these blocks; :mod:`.worksheet_docx` makes them from Word). The text export has one line
a paragraph and one tab-separated line a table row; rows separated only by blank lines
belong to one table. A stage heading opens a stage (:func:`stage_of_heading`), and every
block after it belongs to that stage: its paragraphs and tables are numbered within it,
which gives the places people find in the document ("Tahap 1, paragraf 7", "Tahap 3,
tabel 1, baris 5, kolom 2"). A :class:`~kinerjalint.span.Span` carries the place as its
``ref`` and the text-export line as its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kinerjalint.loaders.columns import norm
from kinerjalint.span import Span

__all__ = ["HEADING", "LIST_ITEM", "Block", "Place", "Stages", "assign_stages", "block_places", "blocks_of_text",
           "cell_span", "header_rows", "looks_like_worksheet", "paragraph_span", "stage_of_heading"]

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}
_HEADING = re.compile(
    r"^\s*(?:[(\[]?\d{1,2}\s*[.)\]]\s*|[a-e]\s*[.)]\s+|[-\u2022*]\s*)?"  # "3.", "(3)", "c)", "-" before
    r"tahap(?:an)?\s*(?:ke\s*-?\s*)?[.:]?\s*(?P<n>[1-5]|iv|v|i{1,3})(?![0-9a-z])", re.IGNORECASE)
_BARE_HEADING = re.compile(r"^\s*(?:[(\[]?\d{1,2}\s*[.)\]]\s*)?tahap(?:an)?\b", re.IGNORECASE)
# The work each stage names, for headings without a number ("TAHAP MENERJEMAHKAN ...").
_STAGE_WORDS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (5, re.compile(r"menerjemahkan|komponen perencanaan|kinerja jabatan|pohon kinerja kedalam")),
    (4, re.compile(r"merumuskan indikator|indikator kinerja")),
    (3, re.compile(r"uraikan|menguraikan|kondisi antara|kondisi operasional")),
    (2, re.compile(r"\bcsf\b|critical success|faktor kunci")),
    (1, re.compile(r"menentukan outcome|\boutcome\b")),
)
_MAX_HEADING = 160  # characters: a longer paragraph is text, not a heading
HEADING, LIST_ITEM = 2, 1  # how Word marks a paragraph (Block.heading)
_LIST_LEAD = 12  # a list item names its stage's work at its start: "Menentukan outcome"


@dataclass
class Block:
    """A paragraph (``rows`` is None) or a table, where it is in the document.

    ``lines`` is the text-export line of the paragraph or of each table row; ``columns``
    the 1-based column where each cell starts on that line (text exports only);
    ``handle`` the paragraph or table object of a Word document (for annotation);
    ``heading`` how Word marks the paragraph: HEADING (a heading style), LIST_ITEM (a
    numbered or bulleted item, as "Tahap 1-5" are often numbered) or 0."""

    text: str = ""
    rows: list[list[str]] | None = None
    lines: list[int] = field(default_factory=list)
    columns: list[list[int]] = field(default_factory=list)
    handle: Any = None
    heading: int = 0

    @property
    def is_table(self) -> bool:
        return self.rows is not None


# -- reading the text export ------------------------------------------------------------


def blocks_of_text(text: str) -> list[Block]:
    """Paragraphs and tables of a text export: lines with a tab are table rows, and rows
    separated only by blank lines belong to one table."""
    blocks: list[Block] = []
    table: Block | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if "\t" in line:
            if table is None:
                table = Block(rows=[])
                blocks.append(table)
            cells, starts, col = [], [], 1
            for cell in line.split("\t"):
                stripped = cell.strip()
                starts.append(col + (len(cell) - len(cell.lstrip())))
                cells.append(" ".join(stripped.split()))
                col += len(cell) + 1
            assert table.rows is not None
            table.rows.append(cells)
            table.lines.append(number)
            table.columns.append(starts)
            continue
        if not line.strip():
            continue  # a blank line: between paragraphs, or inside a table
        table = None
        blocks.append(Block(text=" ".join(line.split()), lines=[number],
                            columns=[[len(line) - len(line.lstrip()) + 1]]))
    return blocks


def looks_like_worksheet(text: str) -> bool:
    """A cheap first look (folders, pre-commit): does the text name a stage heading?"""
    return any(stage_of_heading(line.strip()) is not None for line in text.splitlines()[:5000]
               if "\t" not in line and line.strip())


# -- stages -----------------------------------------------------------------------------


def stage_of_heading(text: str, heading_style: int = 0) -> int | None:
    """The stage a heading paragraph opens, or None for an ordinary paragraph.

    "Tahap N" opens stage N wherever it is typed. Without the number, the words of a
    stage's work open it in a paragraph starting with "Tahap" or in a Word heading; in a
    list item (the guideline lists are list items too) only when they lead the text."""
    if not text or len(text) > _MAX_HEADING:
        return None
    m = _HEADING.match(text)
    if m is not None:
        n = m.group("n").lower()
        return int(n) if n.isdigit() else _ROMAN[n]
    if heading_style or _BARE_HEADING.match(text):
        low = text.casefold()
        lead = heading_style == LIST_ITEM and not _BARE_HEADING.match(text)
        for stage, words in _STAGE_WORDS:
            m = words.search(low)
            if m is not None and (not lead or m.start() <= _LIST_LEAD):
                return stage
    return None


@dataclass
class Place:
    """Numbering of blocks within their stage: the location people read."""

    stage: int
    index: int  # paragraph number or table number within the stage (1-based)

    def stage_text(self) -> str:
        return f"Tahap {self.stage}" if self.stage else "Awal dokumen"


@dataclass
class Stages:
    blocks: list[tuple[Block, Place]] = field(default_factory=list)
    headings: dict[int, tuple[Block, Place]] = field(default_factory=dict)  # first heading of each stage


def assign_stages(blocks: list[Block]) -> Stages:
    out = Stages()
    stage = 0
    paragraphs: dict[int, int] = {}
    tables: dict[int, int] = {}
    for b in blocks:
        if not b.is_table:
            found = stage_of_heading(b.text, b.heading)
            if found is not None:
                stage = found
                place = Place(stage, 0)
                out.headings.setdefault(stage, (b, place))
                out.blocks.append((b, place))
                continue
            paragraphs[stage] = paragraphs.get(stage, 0) + 1
            out.blocks.append((b, Place(stage, paragraphs[stage])))
        else:
            tables[stage] = tables.get(stage, 0) + 1
            out.blocks.append((b, Place(stage, tables[stage])))
    return out


def paragraph_span(block: Block, place: Place) -> Span:
    line = block.lines[0] if block.lines else 1
    col = block.columns[0][0] if block.columns else 1
    where = "judul" if place.index == 0 else f"paragraf {place.index}"
    return Span(line, col, line, col + len(block.text), ref=f"{place.stage_text()}, {where}")


_HEADER_WORDS = re.compile(r"\b(csf|kondisi|keterangan|kinerja|indikator|rujukan|tahapan|sasaran|level|no|nomor)\b")


def header_rows(block: Block) -> int:
    """1 when the table's first row is a header row (it names a column), else 0."""
    assert block.rows is not None
    return int(bool(block.rows) and any(_HEADER_WORDS.search(norm(c)) for c in block.rows[0]))


def cell_span(block: Block, place: Place, r: int, c: int) -> Span:
    """Row ``r`` and column ``c`` (0-based) of a table block. Rows are counted below the
    header row, as the rule messages count a table's rows ("baris 1" is the first data
    row: CSF 1 of the Tahap 2 table); the header row itself is "judul kolom N"."""
    assert block.rows is not None
    line = block.lines[r] if r < len(block.lines) else 1
    starts = block.columns[r] if r < len(block.columns) else []
    col = starts[c] if c < len(starts) else 1
    width = len(block.rows[r][c]) if c < len(block.rows[r]) else 0
    row = r + 1 - header_rows(block)
    where = f"judul kolom {c + 1}" if row == 0 else f"baris {row}, kolom {c + 1}"
    return Span(line, col, line, col + width, ref=f"{place.stage_text()}, tabel {place.index}, {where}")


def block_places(blocks: list[Block]) -> dict[str, Any]:
    """Each place ("Tahap 1, paragraf 7", "Tahap 3, tabel 1, baris 5, kolom 2") -> the
    handle of its paragraph or cell (what ``check --annotate`` comments on)."""
    out: dict[str, Any] = {}
    for b, place in assign_stages(blocks).blocks:
        if not b.is_table:
            ref = paragraph_span(b, place).ref
            if ref is not None:
                out[ref] = b.handle
            continue
        assert b.rows is not None
        handles = b.handle or []
        for r, row in enumerate(b.rows):
            for c in range(len(row)):
                ref = cell_span(b, place, r, c).ref
                if ref is not None and r < len(handles) and c < len(handles[r]):
                    out[ref] = handles[r][c]
    return out
