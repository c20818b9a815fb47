"""Rows of a table -> the plain document the YAML loader would produce, with cell spans.

Shared by the TSV/CSV and XLSX loaders. A table has one row per (node, indicator)
(FORMATS.md section 2). Rows become a flat ``pohon`` list of nodes with ``id`` and
``induk``: from the id/parent columns when they exist; else a node's id is its data row
number (counted from the header row: the row under it is 1, blank rows included, so the
id plus the header's line is the line) and its parent is the nearest previous row of the
level above (how the seed's "Rujukan tahapan" tables read). A row with an empty kinerja
cell (a merged cell) or repeating the previous statement at the same level and parent
adds an indicator to the previous node; entirely empty rows are skipped.

Nothing here judges the content: an unknown level or a target that is not a number is
passed through as written, so that :func:`~kinerjalint.loaders.base.validate` reports
it (SYS-02) at the cell through the locator built here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from kinerjalint.levels import AMBIGUOUS, Level, normalise_phrase, parse_level
from kinerjalint.loaders.base import Problem
from kinerjalint.loaders.columns import (
    MAX_HEADER_SCAN,
    Columns,
    cell_text,
    find_header,
    header_field,
    parse_number,
    recognise,
)
from kinerjalint.messages import text
from kinerjalint.span import Span
from kinerjalint.tree import Path

Spans = dict[Path, Span]

_YES = {"ya", "y", "yes", "x", "v", "\u2713", "\u221a", "true", "1", "crosscutting", "lintas sektor"}
_NO = {"", "tidak", "tdk", "no", "n", "-", "false", "0", "bukan"}
_LIST_SEP = re.compile(r"\s*[;\n]\s*")  # with a semicolon or a line break, commas stay in names
_COMMA_SEP = re.compile(r"\s*,\s*")


@dataclass
class Grid:
    """One table as read from a file: rows of raw cell values and where each cell is."""

    name: str
    rows: list[list[Any]]
    span: Callable[[int, int], Span]  # (row index in rows, 0-based column) -> Span

    def text(self, r: int, c: int | None) -> str:
        if c is None or c >= len(self.rows[r]):
            return ""
        return cell_text(self.rows[r][c])

    def value(self, r: int, c: int) -> Any:
        return self.rows[r][c] if c < len(self.rows[r]) else None

    def title(self, header_row: int | None) -> str:
        """The text above the header row (a sheet's title: 'Tahap 4 merumuskan indikator')."""
        end = header_row if header_row is not None else min(len(self.rows), MAX_HEADER_SCAN)
        return " ".join(dict.fromkeys(t for r in range(end) for c in range(len(self.rows[r]))
                                      if (t := self.text(r, c))))


def _sys01(span: Span, detail: str, detail_en: str) -> Problem:
    return Problem("SYS-01", span, {"detail": detail, "detail_en": detail_en})


def read_columns(grid: Grid) -> Columns | Problem:
    """The columns of a table, or a SYS-01 naming what is missing and what was found."""
    from kinerjalint.loaders.columndocs import accepted, required_hint

    header = find_header(grid.rows)
    if header is None:
        return _sys01(grid.span(0, 0), text("table.no_header", "id", rows=MAX_HEADER_SCAN, expected=required_hint("id")),
                      text("table.no_header", "en", rows=MAX_HEADER_SCAN, expected=required_hint("en")))
    cols = recognise(grid.rows, header)
    missing = cols.missing()
    if missing:
        names = [f"'{m}'" for m in missing]
        found = ", ".join(f"'{n}'" for n in cols.names)
        heads = ", ".join(f"'{h}'" for m in missing for f in ((m, "tahap") if m == "level" else (m,))
                          for h in accepted(f)[:4])

        def detail(lang: str) -> str:
            return text("table.missing", lang, names=text("word.and", lang).join(names),
                        found=found or text("word.none", lang), accepted=heads + ", ...")

        return _sys01(grid.span(header, 0), detail("id"), detail("en"))
    return cols


def _blank(row: Sequence[Any]) -> bool:
    return all(not cell_text(v) for v in row)


@dataclass
class _Level:
    value: str | None  # canonical level name, the unknown text as written, or None when empty
    span: Span | None


# A Pemda tree table (its file or sheet named for it): levels tujuan -> sasaran.
_PEMDA_LEVELS = {"tujuan": "tujuan", "sasaran": "sasaran"}
_PEMDA_QUALIFIERS = ("pemda", "daerah", "rpjmd", "pemerintah daerah", "kabupaten", "kota", "provinsi", "strategis")
_PEMDA_WORD = re.compile(r"\bpemda\b|pemerintah daerah|\brpjmd\b", re.IGNORECASE)


def _pemda_level(text: str) -> str | None:
    """'Tujuan', 'Sasaran Pemda', 'sasaran RPJMD' -> tujuan / sasaran; anything else None."""
    words = normalise_phrase(text).split()
    if not words or words[0] not in _PEMDA_LEVELS:
        return None
    rest = " ".join(words[1:])
    return _PEMDA_LEVELS[words[0]] if not rest or rest in _PEMDA_QUALIFIERS else None


def is_pemda_table(grid: Grid, cols: Columns) -> bool:
    """A table of a Pemda tree: its file or sheet name, or the title above its header, says
    Pemda (or RPJMD), and every level it writes is a tujuan or a sasaran."""
    from pathlib import PurePath

    named = _PEMDA_WORD.search(PurePath(grid.name).stem.replace("-", " ").replace("_", " "))
    if not named and not _PEMDA_WORD.search(grid.title(cols.header_row)):
        return False
    written = [grid.text(r, c) for r in range(cols.data_start, len(grid.rows)) for c in cols.levels]
    written = [w for w in written if w]
    return bool(written) and all(_pemda_level(w) is not None for w in written)


def _level(grid: Grid, cols: Columns, r: int, pemda: bool = False) -> _Level:
    """The row's level: its level cells, else keterangan when they are empty or say only
    "tahap 3" ('tahap 3' + 'kinerja operasional'). An unknown level is kept as written."""
    if pemda:
        for c in cols.levels:
            text = grid.text(r, c)
            if text:
                return _Level(_pemda_level(text) or text, grid.span(r, c))
        return _Level(None, grid.span(r, cols.levels[0]) if cols.levels else None)
    written: tuple[str, int] | None = None
    for c in cols.levels:
        text = grid.text(r, c)
        level = parse_level(text)
        if level is not None:
            return _Level(level.name, grid.span(r, c))
        if text and written is None:
            written = (text, c)
    ket = cols.single.get("keterangan")
    if ket is not None and (written is None or normalise_phrase(written[0]) in AMBIGUOUS):
        level = parse_level(grid.text(r, ket))
        if level is not None:
            return _Level(level.name, grid.span(r, ket))
        if written is None and cols.keterangan_is_level and grid.text(r, ket):
            written = (grid.text(r, ket), ket)
    if written is not None:
        return _Level(written[0], grid.span(r, written[1]))
    own = cols.levels or ([ket] if ket is not None and cols.keterangan_is_level else [])
    return _Level(None, grid.span(r, own[0]) if own else None)


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _keterangan(grid: Grid, cols: Columns, r: int, extras: Sequence[tuple[int, str]]) -> str:
    parts = [grid.text(r, cols.single.get("keterangan"))]
    parts += [f"{name}: {grid.text(r, c)}" for c, name in extras if grid.text(r, c)]
    return "; ".join(p for p in parts if p)


class _Builder:
    """Collects values and their spans under one base path (``pohon`` or a table)."""

    def __init__(self, grid: Grid, cols: Columns) -> None:
        self.grid = grid
        self.cols = cols
        self.spans: Spans = {}

    def put(self, obj: dict[str, Any], path: Path, key: str, fld: str, r: int, *, always: bool = False) -> str:
        c = self.cols.single.get(fld)
        text = self.grid.text(r, c)
        if c is not None and (text or always):
            self.spans[path + (key,)] = self.grid.span(r, c)
        if text:
            obj[key] = text
        return text

    def targets(self, obj: dict[str, Any], path: Path, r: int) -> None:
        cols, grid = self.cols, self.grid
        if set(cols.targets) == {""}:
            c = cols.targets[""]
            value = parse_number(grid.value(r, c))
            if value is not None:
                obj["target"] = value
                self.spans[path + ("target",)] = grid.span(r, c)
            return
        per_year: dict[str, Any] = {}
        for year, c in cols.targets.items():
            value = parse_number(grid.value(r, c))
            if year and value is not None:
                per_year[year] = value
                self.spans[path + ("target", year)] = grid.span(r, c)
                self.spans.setdefault(path + ("target",), grid.span(r, c))
        if per_year:
            obj["target"] = per_year
        elif "" in cols.targets:  # a plain target beside per-year columns, on a row without years
            c = cols.targets[""]
            value = parse_number(grid.value(r, c))
            if value is not None:
                obj["target"] = value
                self.spans[path + ("target",)] = grid.span(r, c)

    def indicator(self, r: int, path: Path) -> dict[str, Any] | None:
        ind: dict[str, Any] = {}
        self.put(ind, path, "nama", "indikator", r, always=True)
        for fld in ("satuan", "definisi", "formula", "sumber_data"):
            self.put(ind, path, fld, fld, r)
        self.targets(ind, path, r)
        c = self.cols.single.get("baseline")
        if c is not None and (base := parse_number(self.grid.value(r, c))) is not None:
            ind["baseline"] = base
            self.spans[path + ("baseline",)] = self.grid.span(r, c)
        if not ind:
            return None
        anchor = next((s for k in ("nama", "satuan", "target") if (s := self.spans.get(path + (k,)))), None)
        if anchor is not None:
            self.spans[path] = anchor
        return ind


def build_nodes(grid: Grid, cols: Columns, base: Path = ("pohon",),
                pemda: bool = False) -> tuple[list[dict[str, Any]], Spans]:
    """The flat node list of a tree table, and the span of every value in it (``pemda``: a Pemda
    tree, levels tujuan -> sasaran, no agency details)."""
    b = _Builder(grid, cols)
    nodes: list[dict[str, Any]] = []
    declared = {grid.text(r, cols.single.get("id")) for r in range(cols.data_start, len(grid.rows))} - {""}
    stack: dict[int, str] = {}  # level rank -> id of the latest node at that rank
    prev: tuple[str, str | None, str, str] | None = None  # kinerja, level, parent cell, id cell
    kc, prev_r = cols.single["kinerja"], -1
    for r in range(cols.data_start, len(grid.rows)):
        if _blank(grid.rows[r]):
            continue
        kinerja = grid.text(r, kc)
        level = _level(grid, cols, r, pemda)
        id_cell, parent_cell = grid.text(r, cols.single.get("id")), grid.text(r, cols.single.get("induk"))
        # One merged kinerja cell over several rows is one node, whatever the other cells say.
        merged = prev is not None and bool(kinerja) and grid.span(r, kc) == grid.span(prev_r, kc)
        prev_r = r
        if prev is not None and (merged or _continues(prev, kinerja, level.value, parent_cell, id_cell)):
            last = nodes[-1]
            ipath = base + (len(nodes) - 1, "indikator", len(last.get("indikator", [])))
            ind = b.indicator(r, ipath)
            if ind is not None:
                last.setdefault("indikator", []).append(ind)
                if ipath in b.spans:
                    b.spans.setdefault(ipath[:-1], b.spans[ipath])
            continue
        path = base + (len(nodes),)
        node_id = id_cell or _generated_id(r - cols.header_row, declared)
        node: dict[str, Any] = {"id": node_id}
        if cols.has("id"):
            b.spans[path + ("id",)] = grid.span(r, cols.single["id"])
        if level.value is not None:
            node["level"] = level.value
        if level.span is not None:
            b.spans[path + ("level",)] = level.span
        b.put(node, path, "kinerja", "kinerja", r, always=True)
        node.setdefault("kinerja", "")
        b.spans[path] = b.spans[path + ("kinerja",)]
        induk = parent_cell if cols.has("induk") else _parent_by_level(stack, level.value, node_id, pemda)
        if induk:
            node["induk"] = induk
            if cols.has("induk"):
                b.spans[path + ("induk",)] = grid.span(r, cols.single["induk"])
        if pemda:
            b.put(node, path, "keterangan", "keterangan", r)
        else:
            _node_details(b, node, path, r)
        ind = b.indicator(r, path + ("indikator", 0))
        if ind is not None:
            node["indikator"] = [ind]
            if path + ("indikator", 0) in b.spans:
                b.spans[path + ("indikator",)] = b.spans[path + ("indikator", 0)]
        nodes.append(node)
        prev = (kinerja, level.value, parent_cell, id_cell)
    return nodes, b.spans


def _continues(prev: tuple[str, str | None, str, str], kinerja: str, level: str | None, parent: str,
               node_id: str) -> bool:
    """An empty (merged) kinerja cell, or the previous statement again at the same place."""
    p_kinerja, p_level, p_parent, p_id = prev
    return ((not kinerja or _same(kinerja, p_kinerja)) and (level is None or level == p_level)
            and (not parent or parent == p_parent) and (not node_id or node_id == p_id))


def _generated_id(row_number: int, declared: set[str]) -> str:
    text = str(row_number)
    return text if text not in declared else f"baris {row_number}"


def _parent_by_level(stack: dict[int, str], level: str | None, node_id: str, pemda: bool = False) -> str | None:
    """The nearest previous node of a higher level, preferring the level just above."""
    ranks = {"tujuan": 0, "sasaran": 1} if pemda else {lv.name: int(lv) for lv in Level}
    if level is None or level not in ranks:
        return None
    rank = ranks[level]
    parent = next((stack[k] for k in range(rank - 1, -1, -1) if k in stack), None)
    for deeper in [k for k in stack if k >= rank]:
        del stack[deeper]
    stack[rank] = node_id
    return parent


def _node_details(b: _Builder, node: dict[str, Any], path: Path, r: int) -> None:
    grid, cols = b.grid, b.cols
    ket = _keterangan(grid, cols, r, cols.extras)
    if ket:
        node["keterangan"] = ket
        filled = [c for c in [cols.single.get("keterangan")] + [c for c, _ in cols.extras]
                  if c is not None and grid.text(r, c)]
        b.spans[path + ("keterangan",)] = grid.span(r, filled[0])
    b.put(node, path, "masalah", "masalah", r)
    mapping: dict[str, Any] = {}
    mpath = path + ("pemetaan",)
    for key, fld in (("komponen", "komponen"), ("pemilik", "pk"), ("jabatan", "jabatan"), ("kode", "kode"),
                     ("nomenklatur", "nomenklatur")):
        if b.put(mapping, mpath, key, fld, r):
            b.spans.setdefault(mpath, b.spans[mpath + (key,)])
    if mapping:
        node["pemetaan"] = mapping
    _crosscutting(b, node, path, r)


def _partners(text: str) -> list[str]:
    """'A; B' or 'A, B' -> ['A', 'B']; 'Dinas X, Y;' keeps the comma inside one name."""
    sep = _LIST_SEP if ";" in text or "\n" in text else _COMMA_SEP
    return [p for p in sep.split(text) if p]


def _crosscutting(b: _Builder, node: dict[str, Any], path: Path, r: int) -> None:
    """One column (a flag or the partners' names) says both; with a crosscutting and a
    mitra column, the first gives the flag and the second the partners."""
    grid, cols = b.grid, b.cols
    flag_c, names_c = cols.single.get("crosscutting"), cols.single.get("mitra")
    if flag_c is not None and names_c is not None:
        flag, names = grid.text(r, flag_c), grid.text(r, names_c)
        if flag.casefold() not in _NO:
            node["crosscutting"] = True
            b.spans[path + ("crosscutting",)] = grid.span(r, flag_c)
            if flag.casefold() not in _YES:  # names written in the flag column
                names = "; ".join(p for p in (flag, names) if p)
        if names:
            node["mitra"] = _partners(names)
            b.spans[path + ("mitra",)] = grid.span(r, names_c)
        return
    c = flag_c if flag_c is not None else names_c
    partners = grid.text(r, c)
    if c is not None and partners.casefold() not in _NO:
        node["crosscutting"] = True
        b.spans[path + ("crosscutting",)] = b.spans[path + ("mitra",)] = grid.span(r, c)
        if partners.casefold() not in _YES:
            node["mitra"] = _partners(partners)


_ROW_FIELDS = ("id", "induk", "kinerja", "indikator", "satuan", "komponen", "pk")


def build_rows(grid: Grid, cols: Columns, base: Path) -> tuple[list[dict[str, Any]], Spans]:
    """A Tahap 4 / Tahap 5 table: one TableRowModel-shaped row per data row, as written."""
    b = _Builder(grid, cols)
    out: list[dict[str, Any]] = []
    keep = set(_ROW_FIELDS) | {"keterangan"}
    if "pk" not in cols.single and "jabatan" in cols.single:  # a table row has one owner field: pk
        single = dict(cols.single)
        single["pk"] = single.pop("jabatan")
        b.cols = cols = replace(cols, single=single)
    extras = cols.extras + [(c, _column_name(grid, cols, c)) for f, c in cols.single.items() if f not in keep]
    # "tahap" is the stage column as written ("Rujukan tahapan"), even beside a "Level" column.
    tahap_c = next((c for c in cols.levels if header_field(grid.text(cols.header_row, c))[0] == "tahap"),
                   cols.levels[0] if cols.levels else None)
    for r in range(cols.data_start, len(grid.rows)):
        if _blank(grid.rows[r]):
            continue
        path = base + (len(out),)
        row: dict[str, Any] = {}
        for fld in _ROW_FIELDS:
            b.put(row, path, fld, fld, r, always=fld in ("kinerja", "indikator"))
        if tahap_c is not None and grid.text(r, tahap_c):
            row["tahap"] = grid.text(r, tahap_c)
            b.spans[path + ("tahap",)] = grid.span(r, tahap_c)
        level = _level(grid, cols, r)
        if level.value is not None:
            row["level"] = level.value
            if level.span is not None:
                b.spans[path + ("level",)] = level.span
        if not row.get("kinerja") and out:  # a merged kinerja cell: the row above continues
            for key in ("kinerja", "tahap", "level"):
                if key in out[-1] and key not in row:
                    row[key] = out[-1][key]
                    b.spans[path + (key,)] = b.spans[base + (len(out) - 1, key)]
        b.targets(row, path, r)
        ket = _keterangan(grid, cols, r, extras)
        if ket:
            row["keterangan"] = ket
        anchor = b.spans.get(path + ("kinerja",))
        if anchor is not None:
            b.spans[path] = anchor
        out.append(row)
    return out, b.spans


def _column_name(grid: Grid, cols: Columns, c: int) -> str:
    return grid.text(cols.header_row, c) or f"kolom {c + 1}"


def table_document(grid: Grid, what_id: str = "tabel",
                   what_en: str = "the table") -> tuple[dict[str, Any] | None, Spans, list[Problem]]:
    """A table whose rows are the tree, as a document (a TSV/CSV file, a workbook's tree sheet).

    ``what_id``/``what_en`` name the table in the message when it has no data rows."""
    cols = read_columns(grid)
    if isinstance(cols, Problem):
        return None, {}, [cols]
    pemda = is_pemda_table(grid, cols)
    nodes, spans = build_nodes(grid, cols, pemda=pemda)
    where = grid.span(cols.header_row, 0)
    if not nodes:
        return None, {}, [_sys01(where, f"{what_id} tidak berisi baris data di bawah baris judul kolom",
                                 f"{what_en} has no data rows under its header row")]
    spans[()] = spans[("pohon",)] = where
    return ({"jenis": "pemda", "pohon": nodes} if pemda else {"pohon": nodes}), spans, []
