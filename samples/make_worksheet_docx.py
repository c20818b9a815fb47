"""Build samples/worksheet/balangan-kesbangpol-worksheet.docx from its text export.

The text export (samples/worksheet/balangan-kesbangpol-worksheet.txt, a copy of the seed
document) has one line per paragraph and one tab-separated line per table row. The Word
document made of it looks like the agency's own: the stage headings ("Tahap 1 ...",
"TAHAP MENERJEMAHKAN ...") in the Heading 2 style, every other line a paragraph, each
run of table rows one bordered Word table with a bold header row, and in the Tahap 3
table the CSF cell merged down over the rows it decomposes (the text export shows those
cells empty). It reads the text on its own, without kinerjalint, so that the loaders are
tested against an independent rendering. Run from the repository root:

    .venv/bin/python samples/make_worksheet_docx.py
"""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.table import Table

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "worksheet" / "balangan-kesbangpol-worksheet.txt"
TARGET = HERE / "worksheet" / "balangan-kesbangpol-worksheet.docx"

_HEADING = re.compile(r"^\s*tahap\b", re.IGNORECASE)


def _blocks(text: str) -> list[str | list[list[str]]]:
    """Paragraph texts and tables (rows of cells); blank lines inside a table are skipped."""
    out: list[str | list[list[str]]] = []
    for line in text.splitlines():
        if "\t" in line:
            if not out or not isinstance(out[-1], list):
                out.append([])
            table = out[-1]
            assert isinstance(table, list)
            table.append([" ".join(c.split()) for c in line.split("\t")])
        elif line.strip():
            out.append(line.strip())
        elif out and isinstance(out[-1], list):
            continue
    return out


def _merge_down(table: Table, rows: list[list[str]], column: int) -> None:
    """Merge each filled cell of ``column`` with the empty cells below it (a CSF over its rows)."""
    start = None
    for r in range(1, len(rows) + 1):
        filled = r < len(rows) and bool(rows[r][column])
        if (filled or r == len(rows)) and start is not None and r - 1 > start:
            table.cell(start, column).merge(table.cell(r - 1, column))
        if filled:
            start = r


def _table(doc: DocumentObject, rows: list[list[str]]) -> None:
    width = max(len(r) for r in rows)
    table = doc.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, cells in enumerate(rows):
        for c in range(width):
            run = table.cell(r, c).paragraphs[0].add_run(cells[c] if c < len(cells) else "")
            run.bold = r == 0
    header = " ".join(rows[0]).casefold()
    if "csf" in header and "keterangan" in header:  # the Tahap 3 table
        _merge_down(table, rows, 0)


def build(source: Path = SOURCE, target: Path = TARGET) -> Path:
    doc = Document()
    doc.core_properties.title = "Lembar kerja pohon kinerja Badan Kesbangpol Kabupaten Balangan"
    doc.core_properties.author = "kinerjalint samples"
    for block in _blocks(source.read_text(encoding="utf-8")):
        if isinstance(block, list):
            _table(doc, block)
        elif _HEADING.match(block) and len(block) < 160:
            doc.add_heading(block, level=2)
        else:
            doc.add_paragraph(block)
    doc.save(str(target))
    return target


if __name__ == "__main__":
    print(build())
