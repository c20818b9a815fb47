"""A tree or a Tahap table as rows and columns, the layout every table export shares.

One row per (node, indicator), FORMATS.md section 2: a node with three indicators has
three rows that repeat its id, induk, level and statement (the importer reads a row
repeating the previous node as one more indicator of it) and carry the node's other
cells on the first row only. Columns are the ones the table importer recognises
(:mod:`kinerjalint.loaders.columns`), and only those the document fills, except the
four that make a tree readable (id, induk, level, kinerja) and the indicator name.
Every node gets its id, declared or derived from its position, so that ``induk`` can
name it.

Each table also records where every value went (document path -> row and column), so
that a finding about a value can be shown on its cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kinerjalint.model import TableRowModel
from kinerjalint.tree import Indicator, Node, Path, Tree

__all__ = ["Column", "Table", "join_partners", "table_rows", "tree_table"]


@dataclass(frozen=True)
class Column:
    key: str  # the value's key in a row: 'kinerja', 'target_2025'
    name: str  # header in TSV/CSV (as scripts like it)
    label: str  # header in XLSX (as people read it)
    width: int = 14  # XLSX column width, in characters


@dataclass
class Table:
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    places: dict[Path, tuple[int, str]] = field(default_factory=dict)  # path -> (row index, column key)


_COLUMNS = {c.key: c for c in (
    Column("id", "id", "Id", 9), Column("induk", "induk", "Induk", 9), Column("tahap", "tahap", "Rujukan tahapan", 14),
    Column("level", "level", "Level", 13), Column("kinerja", "kinerja", "Kinerja", 60),
    Column("indikator", "indikator", "Indikator kinerja", 50), Column("satuan", "satuan", "Satuan", 12),
    Column("baseline", "baseline", "Baseline", 10), Column("keterangan", "keterangan", "Keterangan", 28),
    Column("crosscutting", "crosscutting", "Crosscutting", 12), Column("mitra", "mitra", "Mitra", 30),
    Column("komponen", "komponen", "Komponen perencanaan", 22),
    Column("kode", "kode_nomenklatur", "Kode nomenklatur", 16), Column("nomenklatur", "nomenklatur", "Nomenklatur", 30),
    Column("pk", "pk", "PK", 20), Column("jabatan", "jabatan", "Jabatan", 26),
    Column("masalah", "masalah", "Permasalahan", 40), Column("definisi", "definisi", "Definisi operasional", 40),
    Column("formula", "formula", "Formula", 30), Column("sumber_data", "sumber_data", "Sumber data", 24),
)}
_TREE_ORDER = ("id", "induk", "level", "kinerja", "indikator", "satuan", "*target", "baseline", "keterangan",
               "crosscutting", "mitra", "komponen", "kode", "nomenklatur", "pk", "jabatan", "masalah", "definisi",
               "formula", "sumber_data")
_TABLE_ORDER = ("id", "induk", "tahap", "level", "kinerja", "indikator", "satuan", "*target", "keterangan",
                "komponen", "pk")
_ALWAYS_TREE = {"id", "induk", "level", "kinerja", "indikator"}
_ALWAYS_TABLE = {"tahap", "kinerja"}
# node path suffix -> column key (the node's first row)
_NODE_PLACES: dict[Path, str] = {
    (): "kinerja", ("id",): "id", ("induk",): "induk", ("level",): "level", ("kinerja",): "kinerja",
    ("keterangan",): "keterangan", ("masalah",): "masalah", ("crosscutting",): "crosscutting",
    ("mitra",): "mitra", ("pemetaan",): "komponen", ("pemetaan", "komponen"): "komponen",
    ("pemetaan", "pemilik"): "pk", ("pemetaan", "jabatan"): "jabatan", ("pemetaan", "kode"): "kode",
    ("pemetaan", "nomenklatur"): "nomenklatur", ("indikator",): "indikator",
}
_INDICATOR_FIELDS = ("satuan", "baseline", "definisi", "formula", "sumber_data")


def _target_key(year: str) -> str:
    return f"target_{year}" if year else "target"


def _target_column(key: str) -> Column:
    year = key.removeprefix("target").lstrip("_")
    return Column(key, key, f"Target {year}".strip(), 10)


def _columns(order: Sequence[str], always: set[str], rows: Iterable[dict[str, Any]]) -> list[Column]:
    used: set[str] = set(always)
    years: list[str] = []
    for row in rows:
        for k, v in row.items():
            if v in (None, ""):
                continue
            used.add(k)
            if k.startswith("target") and k not in years:
                years.append(k)
    if "jabatan" in used:
        used.add("pk")  # alone, a 'jabatan' column is read as the owner (pk)
    if "mitra" in used:
        used.add("crosscutting")  # alone, a 'mitra' column also says crosscutting
    targets = sorted(years, key=lambda k: (k != "target", len(k), k))
    out: list[Column] = []
    for key in order:
        if key == "*target":
            out.extend(_target_column(k) for k in targets)
        elif key in used:
            out.append(_COLUMNS[key])
    return out


def join_partners(names: Sequence[str]) -> str:
    """Partners in one cell, split on ';' when read back: 'A; B'; one name with a comma 'A, B;'."""
    text = "; ".join(names)
    return text + ";" if len(names) == 1 and "," in text else text


def _targets(value: float | str | dict[str, float | str] | None) -> dict[str, Any]:
    if isinstance(value, dict):
        return {_target_key(str(y)): v for y, v in value.items()}
    return {} if value is None else {"target": value}


def _indicator_cells(ind: Indicator) -> dict[str, Any]:
    cells: dict[str, Any] = {"indikator": ind.nama}
    cells.update({f: getattr(ind, f) for f in _INDICATOR_FIELDS})
    cells.update(_targets(ind.target_mentah))
    return cells


def _node_cells(node: Node) -> dict[str, Any]:
    return {"keterangan": node.keterangan, "crosscutting": "ya" if node.crosscutting else None,
            "mitra": join_partners(node.mitra) if node.mitra else None, "komponen": node.komponen,
            "kode": node.kode, "nomenklatur": node.nomenklatur, "pk": node.pemilik, "jabatan": node.jabatan,
            "masalah": node.masalah}


def tree_table(tree: Tree) -> Table:
    """The tree, one row per (node, indicator), in document pre-order."""
    rows: list[dict[str, Any]] = []
    places: dict[Path, tuple[int, str]] = {}
    for node in tree.nodes:
        first = len(rows)
        induk = node.parent.id if node.parent is not None else node.induk
        head = {"id": node.declared_id or node.id, "induk": induk, "level": node.level.name, "kinerja": node.kinerja}
        for suffix, key in _NODE_PLACES.items():
            places[node.path + suffix] = (first, key)
        indicators: list[Indicator | None] = list(node.indikator) or [None]
        for k, ind in enumerate(indicators):
            row = dict(head)
            if k == 0:
                row.update(_node_cells(node))
            if ind is not None:
                row.update(_indicator_cells(ind))
                _indicator_places(places, ind, len(rows))
            rows.append(row)
    return Table(_columns(_TREE_ORDER, _ALWAYS_TREE, rows), rows, places)


def _indicator_places(places: dict[Path, tuple[int, str]], ind: Indicator, r: int) -> None:
    places[ind.path] = places[ind.path + ("nama",)] = (r, "indikator")
    for f in _INDICATOR_FIELDS:
        places[ind.path + (f,)] = (r, f)
    keys = list(_targets(ind.target_mentah))
    if keys:
        places[ind.path + ("target",)] = (r, keys[0])
    for year in ind.target_tahun:
        places[ind.path + ("target", year)] = (r, _target_key(year))


def table_rows(rows: Sequence[TableRowModel], name: str) -> Table:
    """A Tahap 3/4/5 table, row for row as the document holds it."""
    out: list[dict[str, Any]] = []
    places: dict[Path, tuple[int, str]] = {}
    for i, model in enumerate(rows):
        row = {k: getattr(model, k) for k in ("id", "induk", "tahap", "kinerja", "indikator", "satuan",
                                              "keterangan", "komponen", "pk")}
        row["level"] = model.level.name if model.level is not None else None
        row.update(_targets(model.target))
        path: Path = ("tabel", name, i)
        places[path] = (i, "kinerja")
        for key in row:
            places[path + (key,)] = (i, key)
        out.append(row)
    return Table(_columns(_TABLE_ORDER, _ALWAYS_TABLE, out), out, places)
