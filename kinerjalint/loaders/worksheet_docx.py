"""Word (.docx) worksheets: paragraphs and tables in document order, as :mod:`.worksheet` blocks.

python-docx reads the body; the blocks then go through the same stage, table and
location logic as the text export, so a .docx and its text export give the same
findings. Merged cells: a cell spanning several grid columns is one cell (its text once,
at its first column), and a vertically merged cell counts in its first row only, the
rows below read empty, as the text export shows them. Only the body is read: a table
nested in a cell, text boxes and drawings (the Tahap 5 tree is often drawn with shapes)
are not. Each block remembers its python-docx object so that
``check --annotate`` can put a comment on the paragraph or cell a finding names; each
paragraph and table row gets the line it has in the text export (one line each).

A file that is not a .docx archive (an old .doc, a password-protected document, which
Word stores as an encrypted OLE file, or anything else) is one SYS-01 problem.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from kinerjalint.loaders.base import LoadResult, Problem
from kinerjalint.loaders.worksheet import build_document
from kinerjalint.loaders.worksheet_blocks import (
    HEADING,
    LIST_ITEM,
    Block,
    looks_like_worksheet,
)
from kinerjalint.span import Span

__all__ = ["MAX_UNCOMPRESSED", "docx_blocks", "load_docx", "looks_like_worksheet_file", "open_docx"]

MAX_UNCOMPRESSED = 200 * 1024 * 1024
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class DocxRefused(Exception):
    def __init__(self, detail: str, detail_en: str) -> None:
        super().__init__(detail_en)
        self.detail = detail
        self.detail_en = detail_en


def open_docx(raw: bytes) -> Any:
    """The python-docx Document of ``raw``; DocxRefused with a plain reason otherwise."""
    if raw.startswith(_OLE):
        raise DocxRefused("berkas Word lama (.doc) atau dilindungi kata sandi (terenkripsi); buka di Word, hapus "
                          "kata sandinya dan simpan sebagai .docx",
                          "an old Word file (.doc) or a password-protected (encrypted) document; open it in Word, "
                          "remove the password and save it as .docx")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DocxRefused(f"bukan berkas Word .docx yang sah (bukan arsip zip: {exc})",
                          f"not a valid Word .docx file (not a zip archive: {exc})") from exc
    if "word/document.xml" not in names:
        raise DocxRefused("arsip ini bukan dokumen Word (tidak ada word/document.xml)",
                          "this archive is not a Word document (no word/document.xml)")
    if total > MAX_UNCOMPRESSED:
        raise DocxRefused(f"isi .docx setelah dibuka {total // 2**20} MB, melebihi batas "
                          f"{MAX_UNCOMPRESSED // 2**20} MB", f"the unpacked .docx holds {total // 2**20} MB, "
                          f"over the {MAX_UNCOMPRESSED // 2**20} MB limit")
    import docx

    try:
        return docx.Document(io.BytesIO(raw))
    except Exception as exc:  # noqa: BLE001 -- whatever python-docx/lxml raise on a damaged part
        raise DocxRefused(f".docx rusak atau tidak dapat dibaca ({type(exc).__name__}: {exc})",
                          f"damaged or unreadable .docx ({type(exc).__name__}: {exc})") from exc


def _heading_kind(paragraph: Any) -> int:
    """HEADING for a heading style, LIST_ITEM for a numbered or bulleted paragraph, else 0."""
    style = getattr(paragraph.style, "name", "") or ""
    if style.casefold().startswith(("heading", "judul", "title")):
        return HEADING
    ppr = paragraph._p.pPr
    listed = ppr is not None and ppr.numPr is not None
    return LIST_ITEM if listed or style.casefold().startswith("list") else 0


def _rows(table: Any) -> tuple[list[list[str]], list[list[Any]]]:
    """Cell texts and cell objects per row; merged cells once, as described above."""
    texts: list[list[str]] = []
    handles: list[list[Any]] = []
    above: list[Any] = []
    for row in table.rows:
        cells = list(row.cells)
        row_texts, row_handles = [], []
        for c, cell in enumerate(cells):
            same_left = c > 0 and cells[c - 1]._tc is cell._tc
            same_above = c < len(above) and above[c] is cell._tc
            text = "" if same_left or same_above else " ".join(cell.text.split())
            row_texts.append(text)
            row_handles.append(cell)
        above = [cell._tc for cell in cells]
        texts.append(row_texts)
        handles.append(row_handles)
    return texts, handles


def docx_blocks(document: Any) -> list[Block]:
    """The body of a Word document as blocks, in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[Block] = []
    line = 0
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            line += 1
            text = " ".join(item.text.split())
            if text:
                blocks.append(Block(text=text, lines=[line], handle=item, heading=_heading_kind(item)))
        elif isinstance(item, Table):
            texts, handles = _rows(item)
            lines = list(range(line + 1, line + 1 + len(texts)))
            line += len(texts)
            if texts:
                blocks.append(Block(rows=texts, lines=lines, handle=handles))
    return blocks


def looks_like_worksheet_file(path: Any, fmt: str) -> bool:
    """In a folder: is this .txt/.docx a worksheet (it names a stage heading)? A file that
    cannot be read is kept, so that checking it says why."""
    try:
        raw = path.read_bytes()
    except OSError:
        return True
    if fmt == "worksheet":
        return looks_like_worksheet(raw.decode("utf-8", errors="replace"))
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            xml = archive.read("word/document.xml")[:20_000_000].decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return True
    import re

    text = "\n".join(re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<w:p[ >].*?</w:p>", xml, re.DOTALL))
    return looks_like_worksheet(text)


def load_docx(raw: bytes, source: str) -> LoadResult:
    result = LoadResult(source=source, fmt="docx")
    try:
        document = open_docx(raw)
        blocks = docx_blocks(document)
    except DocxRefused as exc:
        result.problems.append(Problem("SYS-01", Span(1, 1, 1, 1), {"detail": exc.detail,
                                                                       "detail_en": exc.detail_en}))
        return result
    return build_document(blocks, result)
