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
from array import array
from collections.abc import Callable, Iterator, MutableMapping, Sequence
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

Spans = MutableMapping[Path, Span]  # document path -> where its value is (TableSpans, or a dict)

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


def _texts(row: Sequence[Any]) -> list[str]:
    """A row's cells as text, each read once (the builders look at most cells twice or more)."""
    return [v.strip() if type(v) is str else cell_text(v) for v in row]  # cell_text, the common case inline


def _at(texts: list[str], c: int | None) -> str:
    return texts[c] if c is not None and c < len(texts) else ""


@dataclass
class _Level:
    value: str | None  # canonical level name, the unknown text as written, or None when empty
    col: int | None  # the column of the cell it was read from


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


def _level(cols: Columns, t: list[str], pemda: bool = False) -> _Level:
    """The row's level: its level cells, else keterangan when they are empty or say only
    "tahap 3" ('tahap 3' + 'kinerja operasional'). An unknown level is kept as written."""
    if pemda:
        for c in cols.levels:
            text = _at(t, c)
            if text:
                return _Level(_pemda_level(text) or text, c)
        return _Level(None, cols.levels[0] if cols.levels else None)
    written: tuple[str, int] | None = None
    for c in cols.levels:
        text = _at(t, c)
        level = parse_level(text)
        if level is not None:
            return _Level(level.name, c)
        if text and written is None:
            written = (text, c)
    ket = cols.single.get("keterangan")
    if ket is not None and (written is None or normalise_phrase(written[0]) in AMBIGUOUS):
        level = parse_level(_at(t, ket))
        if level is not None:
            return _Level(level.name, ket)
        if written is None and cols.keterangan_is_level and _at(t, ket):
            written = (_at(t, ket), ket)
    if written is not None:
        return _Level(written[0], written[1])
    own = cols.levels or ([ket] if ket is not None and cols.keterangan_is_level else [])
    return _Level(None, own[0] if own else None)


def _plain(statement: str) -> str:
    """A statement as compared with the previous row's: spaces and case do not count."""
    return " ".join(statement.split()).casefold()


def _keterangan(cols: Columns, t: list[str], extras: Sequence[tuple[int, str]]) -> str:
    parts = [_at(t, cols.single.get("keterangan"))]
    parts += [f"{name}: {text}" for c, name in extras if (text := _at(t, c))]
    return "; ".join(p for p in parts if p)


# A value's key under its node, indicator or table row: a field ("satuan"), or a field and
# a key inside it (("pemetaan", "kode"), ("target", "2026")).
Key = str | tuple[str, str]
Cells = dict[Key, int]  # key -> the 0-based column of the value's cell, on the item's row

_MAPPING = (("komponen", "komponen"), ("pemilik", "pk"), ("jabatan", "jabatan"), ("kode", "kode"),
            ("nomenklatur", "nomenklatur"))
_MAPPING_KEYS: tuple[Key, ...] = tuple(("pemetaan", key) for key, _ in _MAPPING)
_INDICATOR_ANCHORS = ("nama", "satuan", "target")  # an indicator is where the first of these is


def _suffix(key: Key) -> Path:
    return (key,) if isinstance(key, str) else key


class TableSpans(MutableMapping[Path, Span]):
    """The spans of a tree table's values (what :func:`build_nodes` read, document path -> Span).

    A table has one span per cell that holds a value: a hundred thousand nodes make more
    than a million. They are not kept as Span objects under path tuples: each node and each
    indicator keeps its row and the column of each of its values (:data:`Cells`), and a
    Span is made by the grid's ``span`` when a path is looked up. The paths that enclose
    others take the span of a value inside them, as written by the builder: a node its
    statement, an indicator its first of nama/satuan/target, a node's ``indikator`` its
    first indicator that has one, ``pemetaan`` its first value. Any other path (the header,
    a workbook's other sheets) is stored as given, and a stored span wins over a computed one.
    """

    def __init__(self, span: Callable[[int, int], Span], base: Path) -> None:
        self._span = span
        self._base = base
        self._stored: dict[Path, Span] = {}
        self._rows = array("q")  # node -> its row
        self._cells: list[Cells] = []  # node -> its values' columns
        self._first = array("q")  # node -> position of its first indicator in _ind_rows
        self._ind_rows = array("q")  # the indicators of all nodes, node after node
        self._ind_cells: list[Cells] = []
        self._layouts: dict[tuple[tuple[Key, int], ...], Cells] = {}  # rows of a table mostly fill the same cells

    def _shared(self, cells: Cells) -> Cells:
        return self._layouts.setdefault(tuple(cells.items()), cells)

    def add_node(self, row: int, cells: Cells) -> None:
        self._rows.append(row)
        self._cells.append(self._shared(cells))
        self._first.append(len(self._ind_rows))

    def add_indicator(self, row: int, cells: Cells) -> None:
        """An indicator of the node added last."""
        self._ind_rows.append(row)
        self._ind_cells.append(self._shared(cells))

    def _indicators(self, i: int) -> range:
        end = self._first[i + 1] if i + 1 < len(self._first) else len(self._ind_rows)
        return range(self._first[i], end)

    def _cell(self, path: Path) -> tuple[int, int] | None:
        """(row, column) of the value at ``path``, or None when the table has none there."""
        k = len(self._base)
        if len(path) <= k or path[:k] != self._base:
            return None
        i = path[k]
        if type(i) is not int or not 0 <= i < len(self._rows):
            return None
        rest = path[k + 1:]
        if not rest:
            return self._rows[i], self._cells[i]["kinerja"]
        if rest[0] == "indikator":
            inds = self._indicators(i)
            if len(rest) == 1:
                return next(((self._ind_rows[j], c) for j in inds if (c := _anchor(self._ind_cells[j])) is not None),
                            None)
            j = rest[1]
            if type(j) is not int or not 0 <= j < len(inds) or len(rest) > 4:
                return None
            cells = self._ind_cells[inds[j]]
            c = _anchor(cells) if len(rest) == 2 else cells.get(rest[2] if len(rest) == 3 else rest[2:])  # type: ignore[arg-type]
            return None if c is None else (self._ind_rows[inds[j]], c)
        cells = self._cells[i]
        if len(rest) == 1 and rest[0] == "pemetaan":
            c = next((cells[m] for m in _MAPPING_KEYS if m in cells), None)
        elif len(rest) <= 2:
            c = cells.get(rest[0] if len(rest) == 1 else rest)  # type: ignore[arg-type]
        else:
            c = None
        return None if c is None else (self._rows[i], c)

    def _computed(self) -> Iterator[Path]:
        for i, (cells, inds) in enumerate(zip(self._cells, map(self._indicators, range(len(self._rows))))):
            path = self._base + (i,)
            yield path
            yield from (path + _suffix(key) for key in cells)
            if any(m in cells for m in _MAPPING_KEYS):
                yield path + ("pemetaan",)
            if self._cell(path + ("indikator",)) is not None:
                yield path + ("indikator",)
            for j, flat in enumerate(inds):
                ipath = path + ("indikator", j)
                if _anchor(self._ind_cells[flat]) is not None:
                    yield ipath
                yield from (ipath + _suffix(key) for key in self._ind_cells[flat])

    def get(self, path: Path, default: Any = None) -> Any:
        found = self._stored.get(path)
        if found is not None:
            return found
        cell = self._cell(path)
        return default if cell is None else self._span(*cell)

    def __getitem__(self, path: Path) -> Span:
        found = self.get(path)
        if found is None:
            raise KeyError(path)
        return found

    def __contains__(self, path: object) -> bool:
        return path in self._stored or (isinstance(path, tuple) and self._cell(path) is not None)

    def __setitem__(self, path: Path, span: Span) -> None:
        self._stored[path] = span

    def __delitem__(self, path: Path) -> None:
        del self._stored[path]  # the table's own spans are read-only

    def __iter__(self) -> Iterator[Path]:
        yield from self._stored
        yield from (p for p in self._computed() if p not in self._stored)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _anchor(cells: Cells) -> int | None:
    return next((cells[k] for k in _INDICATOR_ANCHORS if k in cells), None)


_INDICATOR_FIELDS = (("nama", "indikator"), ("satuan", "satuan"), ("definisi", "definisi"), ("formula", "formula"),
                     ("sumber_data", "sumber_data"))


class _Builder:
    """Reads the values of one row into a node, indicator or table row and the columns they sit in."""

    def __init__(self, grid: Grid, cols: Columns) -> None:
        self.grid = grid
        self.cols = cols
        self.years: dict[str, Key] = {year: ("target", year) for year in cols.targets if year}
        self.plain_target = set(cols.targets) == {""}
        # The indicator's text fields that have a column: (key, column, whether kept when empty).
        self.ind_fields = [(key, cols.single[fld], key == "nama") for key, fld in _INDICATOR_FIELDS
                           if fld in cols.single]
        self.map_fields = [(key, cols.single[fld], at) for (key, fld), at in zip(_MAPPING, _MAPPING_KEYS)
                           if fld in cols.single]

    def put(self, obj: dict[str, Any], cells: Cells, t: list[str], key: str, fld: str, at: Key | None = None, *,
            always: bool = False) -> str:
        """The row's ``fld`` cell as ``obj[key]`` when it has text, its column at ``at`` (default ``key``)."""
        c = self.cols.single.get(fld)
        if c is None:
            return ""
        text = t[c] if c < len(t) else ""
        if text or always:
            cells[key if at is None else at] = c
        if text:
            obj[key] = text
        return text

    def targets(self, obj: dict[str, Any], cells: Cells, r: int) -> None:
        cols, grid = self.cols, self.grid
        if self.plain_target:
            c = cols.targets[""]
            value = parse_number(grid.value(r, c))
            if value is not None:
                obj["target"] = value
                cells["target"] = c
            return
        per_year: dict[str, Any] = {}
        for year, c in cols.targets.items():
            if not year:
                continue
            value = parse_number(grid.value(r, c))
            if value is not None:
                per_year[year] = value
                cells[self.years[year]] = c
                cells.setdefault("target", c)
        if per_year:
            obj["target"] = per_year
        elif "" in cols.targets:  # a plain target beside per-year columns, on a row without years
            c = cols.targets[""]
            value = parse_number(grid.value(r, c))
            if value is not None:
                obj["target"] = value
                cells["target"] = c

    def indicator(self, r: int, t: list[str]) -> tuple[dict[str, Any], Cells] | None:
        ind: dict[str, Any] = {}
        cells: Cells = {}
        n = len(t)
        for key, c, always in self.ind_fields:  # put(), inline: this runs for every indicator
            text = t[c] if c < n else ""
            if text:
                ind[key] = text
                cells[key] = c
            elif always:
                cells[key] = c
        self.targets(ind, cells, r)
        bc = self.cols.single.get("baseline")
        if bc is not None and (base := parse_number(self.grid.value(r, bc))) is not None:
            ind["baseline"] = base
            cells["baseline"] = bc
        return (ind, cells) if ind else None


def build_nodes(grid: Grid, cols: Columns, base: Path = ("pohon",),
                pemda: bool = False) -> tuple[list[dict[str, Any]], TableSpans]:
    """The flat node list of a tree table, and the span of every value in it (``pemda``: a Pemda
    tree, levels tujuan -> sasaran, no agency details)."""
    b = _Builder(grid, cols)
    spans = TableSpans(grid.span, base)
    nodes: list[dict[str, Any]] = []
    id_c, induk_c = cols.single.get("id"), cols.single.get("induk")
    declared = {grid.text(r, id_c) for r in range(cols.data_start, len(grid.rows))} - {""}
    stack: dict[int, str] = {}  # level rank -> id of the latest node at that rank
    prev: tuple[str, str | None, str, str] | None = None  # kinerja (_plain), level, parent cell, id cell
    kc = cols.single["kinerja"]
    prev_span: Span | None = None  # where the previous row's kinerja cell is
    for r in range(cols.data_start, len(grid.rows)):
        t = _texts(grid.rows[r])
        if not any(t):
            continue
        kinerja = _at(t, kc)
        plain = _plain(kinerja) if kinerja else ""
        level = _level(cols, t, pemda)
        id_cell, parent_cell = _at(t, id_c), _at(t, induk_c)
        # One merged kinerja cell over several rows is one node, whatever the other cells say.
        kspan = grid.span(r, kc)
        merged = prev is not None and bool(kinerja) and kspan == prev_span
        prev_span = kspan
        if prev is not None and (merged or _continues(prev, plain, level.value, parent_cell, id_cell)):
            read = b.indicator(r, t)
            if read is not None:
                nodes[-1].setdefault("indikator", []).append(read[0])
                spans.add_indicator(r, read[1])
            continue
        node_id = id_cell or _generated_id(r - cols.header_row, declared)
        node: dict[str, Any] = {"id": node_id}
        cells: Cells = {}
        if id_c is not None:
            cells["id"] = id_c
        if level.value is not None:
            node["level"] = level.value
        if level.col is not None:
            cells["level"] = level.col
        b.put(node, cells, t, "kinerja", "kinerja", always=True)
        node.setdefault("kinerja", "")
        induk = parent_cell if induk_c is not None else _parent_by_level(stack, level.value, node_id, pemda)
        if induk:
            node["induk"] = induk
            if induk_c is not None:
                cells["induk"] = induk_c
        if pemda:
            b.put(node, cells, t, "keterangan", "keterangan")
        else:
            _node_details(b, node, cells, t)
        spans.add_node(r, cells)
        read = b.indicator(r, t)
        if read is not None:
            node["indikator"] = [read[0]]
            spans.add_indicator(r, read[1])
        nodes.append(node)
        prev = (plain, level.value, parent_cell, id_cell)
    return nodes, spans


def _continues(prev: tuple[str, str | None, str, str], kinerja: str, level: str | None, parent: str,
               node_id: str) -> bool:
    """An empty (merged) kinerja cell, or the previous statement again at the same place
    (``kinerja`` as :func:`_plain` gives it)."""
    p_kinerja, p_level, p_parent, p_id = prev
    return ((not kinerja or kinerja == p_kinerja) and (level is None or level == p_level)
            and (not parent or parent == p_parent) and (not node_id or node_id == p_id))


def _generated_id(row_number: int, declared: set[str]) -> str:
    text = str(row_number)
    return text if text not in declared else f"baris {row_number}"


_RANKS = {lv.name: int(lv) for lv in Level}
_PEMDA_RANKS = {"tujuan": 0, "sasaran": 1}


def _parent_by_level(stack: dict[int, str], level: str | None, node_id: str, pemda: bool = False) -> str | None:
    """The nearest previous node of a higher level, preferring the level just above."""
    ranks = _PEMDA_RANKS if pemda else _RANKS
    if level is None or level not in ranks:
        return None
    rank = ranks[level]
    parent = next((stack[k] for k in range(rank - 1, -1, -1) if k in stack), None)
    for deeper in [k for k in stack if k >= rank]:
        del stack[deeper]
    stack[rank] = node_id
    return parent


def _node_details(b: _Builder, node: dict[str, Any], cells: Cells, t: list[str]) -> None:
    cols = b.cols
    ket = _keterangan(cols, t, cols.extras)
    if ket:
        node["keterangan"] = ket
        cells["keterangan"] = next(c for c in [cols.single.get("keterangan")] + [c for c, _ in cols.extras]
                                   if c is not None and _at(t, c))
    b.put(node, cells, t, "masalah", "masalah")
    mapping: dict[str, Any] = {}
    for key, c, at in b.map_fields:
        if c < len(t) and (text := t[c]):
            mapping[key] = text
            cells[at] = c
    if mapping:
        node["pemetaan"] = mapping
    _crosscutting(cols, node, cells, t)


def _partners(text: str) -> list[str]:
    """'A; B' or 'A, B' -> ['A', 'B']; 'Dinas X, Y;' keeps the comma inside one name."""
    sep = _LIST_SEP if ";" in text or "\n" in text else _COMMA_SEP
    return [p for p in sep.split(text) if p]


def _crosscutting(cols: Columns, node: dict[str, Any], cells: Cells, t: list[str]) -> None:
    """One column (a flag or the partners' names) says both; with a crosscutting and a
    mitra column, the first gives the flag and the second the partners."""
    flag_c, names_c = cols.single.get("crosscutting"), cols.single.get("mitra")
    if flag_c is not None and names_c is not None:
        flag, names = _at(t, flag_c), _at(t, names_c)
        if flag.casefold() not in _NO:
            node["crosscutting"] = True
            cells["crosscutting"] = flag_c
            if flag.casefold() not in _YES:  # names written in the flag column
                names = "; ".join(p for p in (flag, names) if p)
        if names:
            node["mitra"] = _partners(names)
            cells["mitra"] = names_c
        return
    c = flag_c if flag_c is not None else names_c
    partners = _at(t, c)
    if c is not None and partners.casefold() not in _NO:
        node["crosscutting"] = True
        cells["crosscutting"] = cells["mitra"] = c
        if partners.casefold() not in _YES:
            node["mitra"] = _partners(partners)


_ROW_FIELDS = ("id", "induk", "kinerja", "indikator", "satuan", "komponen", "pk")


def build_rows(grid: Grid, cols: Columns, base: Path) -> tuple[list[dict[str, Any]], dict[Path, Span]]:
    """A Tahap 4 / Tahap 5 table: one TableRowModel-shaped row per data row, as written."""
    spans: dict[Path, Span] = {}
    out: list[dict[str, Any]] = []
    keep = set(_ROW_FIELDS) | {"keterangan"}
    if "pk" not in cols.single and "jabatan" in cols.single:  # a table row has one owner field: pk
        single = dict(cols.single)
        single["pk"] = single.pop("jabatan")
        cols = replace(cols, single=single)
    b = _Builder(grid, cols)
    extras = cols.extras + [(c, _column_name(grid, cols, c)) for f, c in cols.single.items() if f not in keep]
    # "tahap" is the stage column as written ("Rujukan tahapan"), even beside a "Level" column.
    tahap_c = next((c for c in cols.levels if header_field(grid.text(cols.header_row, c))[0] == "tahap"),
                   cols.levels[0] if cols.levels else None)

    def flush(path: Path, r: int, cells: Cells) -> None:
        for key, c in cells.items():
            spans[path + _suffix(key)] = grid.span(r, c)
        cells.clear()

    for r in range(cols.data_start, len(grid.rows)):
        t = _texts(grid.rows[r])
        if not any(t):
            continue
        path = base + (len(out),)
        row: dict[str, Any] = {}
        cells: Cells = {}
        for fld in _ROW_FIELDS:
            b.put(row, cells, t, fld, fld, always=fld in ("kinerja", "indikator"))
        if tahap_c is not None and _at(t, tahap_c):
            row["tahap"] = _at(t, tahap_c)
            cells["tahap"] = tahap_c
        level = _level(cols, t)
        if level.value is not None:
            row["level"] = level.value
            if level.col is not None:
                cells["level"] = level.col
        flush(path, r, cells)
        if not row.get("kinerja") and out:  # a merged kinerja cell: the row above continues
            for key in ("kinerja", "tahap", "level"):
                if key in out[-1] and key not in row:
                    row[key] = out[-1][key]
                    spans[path + (key,)] = spans[base + (len(out) - 1, key)]
        b.targets(row, cells, r)
        flush(path, r, cells)
        ket = _keterangan(cols, t, extras)
        if ket:
            row["keterangan"] = ket
        anchor = spans.get(path + ("kinerja",))
        if anchor is not None:
            spans[path] = anchor
        out.append(row)
    return out, spans


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
