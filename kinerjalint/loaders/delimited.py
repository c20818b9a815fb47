"""TSV and CSV loader: one file is one table (FORMATS.md section 2).

Files come from Excel as often as from scripts, so the bytes are decoded as UTF-8
(with or without BOM), UTF-16 with BOM (Excel's "Unicode Text"), else Windows-1252;
the delimiter is sniffed among tab, semicolon (Indonesian Excel) and comma by which
one yields a recognisable header row. A finding's position is ``line:field``: the
physical line where the row starts (the header is line 1 when nothing is above it)
and the 1-based field index, so that ``12:3`` reads "line 12, third column" (the span
ends at field + 1, exclusive like every text span). The text is not kept on the
result: a reporter's caret under character 3 of the line would mislead.
"""

from __future__ import annotations

import codecs
import csv
import io
import re

from kinerjalint.loaders.base import DictLocator, LoadResult, Problem, finish
from kinerjalint.loaders.columns import MAX_HEADER_SCAN, find_header, header_score
from kinerjalint.loaders.tables import Grid, table_document
from kinerjalint.span import Span

__all__ = ["FORMULA_START", "decode", "load_delimited", "load_delimited_text", "sniff_delimiter",
           "unquote_formula"]

_DELIMITERS = ("\t", ";", ",")
_SEP_LINE = re.compile(r"^\ufeff?sep=(.)\s*$")  # Excel's "sep=;" first line
# Text starting with one of these reads as a formula in a spreadsheet program; exports put an
# apostrophe before it (OWASP "CSV injection"), and reading takes that apostrophe off again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def unquote_formula(cell: str) -> str:
    """"'=SUM(A1)" -> "=SUM(A1)"; "''=x" -> "'=x"; any other text as it is."""
    if cell[:1] == "'" and cell.lstrip("'")[:1] in FORMULA_START:
        return cell[1:]
    return cell


class _Unreadable(Exception):
    def __init__(self, line: int, detail: str) -> None:
        super().__init__(detail)
        self.line = line
        self.detail = detail


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding name) of a table file; never fails (Windows-1252, then Latin-1)."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace"), "utf-16"
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), "latin-1"


def _rows(text: str, delimiter: str, limit: int | None = None) -> tuple[list[list[str]], list[int]]:
    """Records and the physical line each starts on (quoted cells may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    starts: list[int] = []
    last = 0
    try:
        for record in reader:
            rows.append(record)
            starts.append(last + 1)
            last = reader.line_num
            if limit is not None and len(rows) >= limit:
                break
    except csv.Error as exc:
        raise _Unreadable(reader.line_num or 1, str(exc)) from exc
    return rows, starts


def sniff_delimiter(text: str, preferred: str = ",") -> str:
    """The delimiter under which the first rows name the most known columns."""
    first = text.split("\n", 1)[0].rstrip("\r")
    m = _SEP_LINE.match(first)
    if m:
        return m.group(1)
    order = (preferred,) + tuple(d for d in _DELIMITERS if d != preferred)
    best, best_key = preferred, (-1, -1)
    for d in order:
        try:
            rows, _ = _rows(text, d, limit=MAX_HEADER_SCAN * 2)
        except _Unreadable:
            continue
        score = max((header_score(r) for r in rows[:MAX_HEADER_SCAN]), default=0)
        width = max((len(r) for r in rows), default=0)
        key = (score, width if width > 1 else 0)
        if key > best_key:
            best, best_key = d, key
    return best


def load_delimited(raw: bytes, source: str, fmt: str) -> LoadResult:
    if raw.startswith(b"PK\x03\x04"):
        result = LoadResult(source=source, fmt=fmt)
        result.problems.append(Problem("SYS-01", Span(1, 1, 1, 1), {
            "detail": f"berkas ini arsip XLSX/zip, bukan tabel teks {fmt.upper()}; beri nama berakhiran .xlsx",
            "detail_en": f"this file is an XLSX/zip archive, not a {fmt.upper()} text table; name it .xlsx"}))
        return result
    text, _encoding = decode(raw)
    return load_delimited_text(text, source, fmt)


def load_delimited_text(text: str, source: str, fmt: str) -> LoadResult:
    result = LoadResult(source=source, fmt=fmt)
    if not text.strip():
        result.problems.append(Problem("SYS-01", Span(1, 1, 1, 1), {
            "detail": "berkas kosong", "detail_en": "the file is empty"}))
        return result
    nul = text.find("\0")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        result.problems.append(Problem("SYS-01", Span(line, 1, line, 1), {
            "detail": "berkas berisi byte NUL: berkas biner, bukan tabel teks",
            "detail_en": "the file holds NUL bytes: a binary file, not a text table"}))
        return result
    delimiter = sniff_delimiter(text, "\t" if fmt == "tsv" else ",")
    try:
        rows, starts = _rows(text, delimiter)
    except _Unreadable as exc:
        result.problems.append(Problem("SYS-01", Span(exc.line, 1, exc.line, 1), {
            "detail": f"tabel tidak dapat dibaca: {exc.detail}", "detail_en": f"unreadable table: {exc.detail}"}))
        return result

    if "'" in text:
        rows = [[unquote_formula(c) if c[:1] == "'" else c for c in row] for row in rows]

    def span(r: int, c: int) -> Span:
        line = starts[r] if r < len(starts) else (starts[-1] + 1 if starts else 1)
        return Span(line, c + 1, line, c + 2)

    data, spans, problems = table_document(Grid(source, rows, span))
    del rows  # the cells that became values live on in data; the rest can go before validation
    result.problems.extend(problems)
    if data is None:
        return result
    return finish(result, data, DictLocator(spans), shallow=True)  # nodes, indicators, targets: 5 deep


def looks_like_table(raw: bytes) -> bool:
    """Does a delimited file carry a pohon kinerja table (a recognisable header row)?

    Folder walks use this so that a catalog or another CSV lying beside the trees is not
    reported as an unreadable tree; a file named on the command line is always checked.
    """
    text, _ = decode(raw[:65536])
    try:
        rows, _ = _rows(text, sniff_delimiter(text), limit=MAX_HEADER_SCAN)
    except _Unreadable:
        return False
    return find_header(rows) is not None
