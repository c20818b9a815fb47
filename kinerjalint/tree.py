"""The runtime tree the engine walks: light objects with navigation, built once per file.

Every object carries its document ``path`` (``("pohon", "anak", 0, "kinerja")``); a
:class:`~kinerjalint.loaders.base.Locator` turns a path into a :class:`~kinerjalint.span.Span`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kinerjalint.levels import Level, parse_level
from kinerjalint.model import DocumentModel, IndicatorModel, NodeModel, TableRowModel, WaiverModel

Path = tuple[str | int, ...]


_NUMBER = r"[+-]?\d[\d.,]*"
_RANGE = re.compile(r"^(" + _NUMBER + r")\s*%?\s*(?:-|\u2013|\u2014|s/d|s\.d\.?|sd|sampai|hingga)\s*(" + _NUMBER + r")\s*%?$", re.I)
_RATIO = re.compile(r"^(" + _NUMBER + r")\s*:\s*(" + _NUMBER + r")$")
_WITH_UNIT = re.compile(r"^(" + _NUMBER + r")\s*([A-Za-z%][\w %/.()-]*)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$|^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$"
                   r"|^\d{1,2}[ -](?:jan|feb|mar|apr|mei|may|jun|jul|agu|aug|sep|okt|oct|nov|des|dec)\w*[ -]\d{2,4}$", re.I)


def _number(text: str) -> float | None:
    """An Indonesian or English number: '3,5', '1.234,5', '1.500', '2.3', '80%'."""
    t = text.strip().removesuffix("%").strip().replace(" ", "")
    if not re.fullmatch(r"[+-]?\d[\d.,]*", t) or t[-1] in ".,":
        return None
    if "," in t and "." in t:
        dec = "," if t.rfind(",") > t.rfind(".") else "."
        whole, _, frac = t.rpartition(dec)
        return float(whole.replace("." if dec == "," else ",", "") + "." + frac)
    if "," in t:
        return float(t.replace(",", ".")) if t.count(",") == 1 else float(t.replace(",", ""))
    if re.fullmatch(r"[+-]?\d{1,3}(?:\.\d{3})+", t) and not t.lstrip("+-").startswith("0"):
        return float(t.replace(".", ""))  # thousands: '1.500'
    return float(t) if t.count(".") <= 1 else None


def target_notation(value: float | str | None) -> tuple[str, list[float]]:
    """How a target (or baseline) cell is written, and the numbers it holds.

    ``angka`` a number; ``rentang`` a range '80-85' (both bounds); ``rasio`` a ratio '2,3:1000'
    (its quotient); ``angka_satuan`` a number with its unit in the cell ('2 hari', '1.500bh');
    ``tanggal`` a date (a spreadsheet turned the number into a date); ``teks`` anything else
    ('Tersedia', 'Baik', 'N/A'); ``kosong`` nothing.
    """
    if value is None:
        return "kosong", []
    if isinstance(value, (int, float)):
        return "angka", [float(value)]
    text = " ".join(str(value).replace("\u00a0", " ").split())
    if not text:
        return "kosong", []
    n = _number(text)
    if n is not None:
        return "angka", [n]
    m = _RANGE.match(text)
    if m:
        lo, hi = _number(m.group(1)), _number(m.group(2))
        if lo is not None and hi is not None:
            return "rentang", [lo, hi]
    m = _RATIO.match(text)
    if m:
        a, b = _number(m.group(1)), _number(m.group(2))
        if a is not None and b:
            return "rasio", [a / b]
    if _DATE.match(text):
        return "tanggal", []
    m = _WITH_UNIT.match(text)
    if m:
        n = _number(m.group(1))
        if n is not None:
            return "angka_satuan", [n]
    return "teks", []


class Indicator:
    __slots__ = (
        "nama", "satuan", "target", "targets", "target_tahun", "target_teks", "target_mentah",
        "baseline", "baseline_teks", "definisi", "formula", "sumber_data", "node", "index", "path",
        "indikator_pemda",
    )

    def __init__(self, model: IndicatorModel, node: Node, index: int, path: Path) -> None:
        self.nama = model.nama
        self.satuan = model.satuan
        tgt = model.target
        self.target_mentah = tgt  # as written, for the writers
        raw = list(tgt.values()) if isinstance(tgt, dict) else ([] if tgt is None else [tgt])
        # The numbers of every target in order (a range gives both bounds, a ratio its
        # quotient); the cells that hold no number at all, as written (IND-11 reports them).
        self.targets: list[float] = []
        self.target_teks: list[str] = []
        for v in raw:
            kind, nums = target_notation(v)
            self.targets.extend(nums)
            if kind in ("teks", "tanggal"):
                self.target_teks.append(str(v))
        # The model's own mapping, not a copy (a dict per indicator): neither is changed once loaded.
        self.target_tahun: dict[str, float | str] = tgt if isinstance(tgt, dict) else {}
        self.target: float | None = self.targets[-1] if self.targets else None
        base_kind, base_nums = target_notation(model.baseline)
        self.baseline: float | None = base_nums[0] if base_kind in ("angka", "angka_satuan") else None
        self.baseline_teks: str | None = str(model.baseline) if base_kind in ("teks", "tanggal") else None
        self.definisi = model.definisi
        self.formula = model.formula
        self.sumber_data = model.sumber_data
        self.indikator_pemda = model.indikator_pemda
        self.node = node
        self.index = index
        self.path = path

    def __repr__(self) -> str:
        return f"Indicator({self.nama!r})"


class Node:
    __slots__ = (
        "id", "declared_id", "induk", "level", "kinerja", "indikator", "keterangan", "masalah",
        "crosscutting", "mitra", "komponen", "kode", "nomenklatur", "pemilik", "jabatan",
        "parent", "children", "depth", "index", "path", "tree", "reachable", "order",
        "sasaran_pemda", "agency",
    )

    def __init__(self, model: NodeModel, path: Path, tree: Tree) -> None:
        self.declared_id = model.id
        self.id = model.id or ""
        self.induk = model.induk
        self.level: Level = model.level
        self.kinerja = model.kinerja
        self.keterangan = model.keterangan
        self.masalah = model.masalah
        self.crosscutting = model.crosscutting
        self.mitra = list(model.mitra)
        self.sasaran_pemda = model.sasaran_pemda
        self.agency: Any = None  # its government.Agency in a government check (check --pemda)
        m = model.pemetaan
        self.komponen = m.komponen if m else None
        self.kode = m.kode if m else None
        self.nomenklatur = m.nomenklatur if m else None
        self.pemilik = m.pemilik if m else None
        self.jabatan = m.jabatan if m else None
        self.parent: Node | None = None
        self.children: list[Node] = []
        self.depth = 0
        self.index = 0
        self.order = 0
        self.path = path
        self.tree = tree
        self.reachable = True
        self.indikator: list[Indicator] = []

    # navigation ---------------------------------------------------------------
    @property
    def ancestors(self) -> list[Node]:
        out: list[Node] = []
        seen: set[int] = set()
        p = self.parent
        while p is not None and id(p) not in seen:
            seen.add(id(p))
            out.append(p)
            p = p.parent
        return out

    @property
    def descendants(self) -> list[Node]:
        out: list[Node] = []
        stack = list(reversed(self.children))
        while stack:
            n = stack.pop()
            out.append(n)
            stack.extend(reversed(n.children))
        return out

    @property
    def siblings(self) -> list[Node]:
        if self.parent is None:
            return [r for r in self.tree.roots if r is not self]
        return [c for c in self.parent.children if c is not self]

    @property
    def root(self) -> Node:
        anc = self.ancestors
        return anc[-1] if anc else self

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def statement_path(self) -> list[str]:
        """The chain of statements from the root down to this node."""
        return [n.kinerja for n in reversed(self.ancestors)] + [self.kinerja]

    def __repr__(self) -> str:
        return f"Node({self.id!r}, {self.level.name}, {self.kinerja[:40]!r})"


class TableRow:
    __slots__ = ("table", "index", "path", "id", "induk", "tahap", "level", "kinerja",
                 "indikator", "satuan", "keterangan", "komponen", "pk", "parent")

    def __init__(self, model: TableRowModel, table: str, index: int, path: Path) -> None:
        self.table = table
        self.index = index
        self.path = path
        self.id = model.id
        self.induk = model.induk
        self.tahap = model.tahap
        # A table's level is in its "tahap" column or, for "tahap 3", in its keterangan.
        self.level: Level | None = model.level or parse_level(model.tahap) or parse_level(model.keterangan)
        self.kinerja = model.kinerja
        self.indikator = model.indikator
        self.satuan = model.satuan
        self.keterangan = model.keterangan
        self.komponen = model.komponen
        self.pk = model.pk
        self.parent: TableRow | None = None


@dataclass
class Tree:
    """One submission: its metadata, nodes in document (pre-)order, tables and waivers."""

    source: str
    instansi: str | None = None
    pemda: str | None = None
    periode: str | None = None
    tahun: int | None = None
    singkatan: list[str] = field(default_factory=list)
    roots: list[Node] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    tahap3: list[TableRow] = field(default_factory=list)
    tahap4: list[TableRow] = field(default_factory=list)
    tahap5: list[TableRow] = field(default_factory=list)
    waivers: list[WaiverModel] = field(default_factory=list)
    # Makes the validated document again (see ``model``); None for a tree without one.
    document: Callable[[], DocumentModel] | None = field(default=None, repr=False, compare=False)
    _model: DocumentModel | None = field(default=None, init=False, repr=False, compare=False)
    # Computed once in build_tree: rules read them for every node.
    has_units: bool = False
    has_mapping: bool = False
    has_tables: bool = False

    @property
    def model(self) -> DocumentModel | None:
        """The validated document, for the writers (canonical form, conversion, workbooks).

        A check never reads it, so it is not made with the tree (it takes more memory than the
        tree itself, ~3 KB a node): the first read validates the document again from what the
        loader read (``document``), and the tree keeps it from then on."""
        if self._model is None and self.document is not None:
            self._model = self.document()
        return self._model

    def release(self) -> None:
        """Empty the tree's lists, which breaks its reference cycles (parent <-> children,
        node <-> indicators, tree <-> nodes), so its memory is returned by reference counting
        as soon as the last reference goes, not in a later pass of the cyclic collector.

        A long-running service calls this once a request is answered: without it each
        checked tree waits, with every other, for a full collection, which then pauses the
        process for as long as it takes to free them all. The tree is empty afterwards.
        """
        for n in self.nodes:
            n.children.clear()
            n.indikator.clear()
        for lst in (self.roots, self.nodes, self.indicators, self.tahap3, self.tahap4, self.tahap5):
            lst.clear()


def _flat_rows(rows: list[TableRowModel], name: str) -> list[TableRow]:
    """Rows of a flat table; parent = induk, else the nearest previous row one level up."""
    out = [TableRow(r, name, i, ("tabel", name, i)) for i, r in enumerate(rows)]
    by_id = {r.id: r for r in out if r.id}
    last: dict[int, TableRow] = {}
    for r in out:
        if r.induk is not None:
            r.parent = by_id.get(r.induk)
        elif r.level is not None:
            for rank in range(int(r.level) - 1, -1, -1):
                if rank in last:
                    r.parent = last[rank]
                    break
        if r.level is not None:
            last[int(r.level)] = r
            for deeper in [k for k in last if k > int(r.level)]:
                del last[deeper]
    return out


NodeCheck = Callable[[Any, Path], "NodeModel | None"]


def build_tree(doc: DocumentModel, source: str, pohon: Any, check_node: NodeCheck,
               index_maps: dict[Path, list[int]] | None, document: Callable[[], DocumentModel]) -> Tree:
    """Runtime tree from a validated document shell (``doc``: everything but its nodes) and
    its nodes as written (``pohon``: one node or a list of them).

    Each node is validated as it is reached, without its children (``check_node`` gives its
    model, or None when it is set aside), so the tree and a whole document model are never
    both alive. ``index_maps`` maps a list's path to the original index of each item that
    survived validation, so that paths keep pointing at the user's text after a salvage.
    ``document`` makes the whole validated document when the tree's ``model`` is read.
    """
    maps = index_maps if index_maps is not None else {}  # filled as the nodes are validated
    tree = Tree(source=source, instansi=doc.instansi, pemda=doc.pemda, periode=doc.periode,
                tahun=doc.tahun, singkatan=list(doc.singkatan), waivers=list(doc.pengecualian),
                document=document)  # ``doc`` holds no nodes: never the tree's model

    def orig(list_path: Path, i: int) -> int:
        if not maps:  # nothing was set aside: indices are the user's own
            return i
        m = maps.get(list_path)
        return m[i] if m is not None else i

    tops: list[tuple[Path, Any]] = (
        [(("pohon", i), raw) for i, raw in enumerate(pohon)] if isinstance(pohon, list) else [(("pohon",), pohon)]
    )
    nodes: list[Node] = []
    indicators: list[Indicator] = []
    top_nodes = []
    for path, raw in tops:
        model = check_node(raw, path)
        if model is not None:
            top_nodes.append(_make(model, path, tree, orig, nodes, indicators, check_node))
    # Flat lists: a top-level node with `induk` hangs under the node of that id.
    by_id: dict[str, Node] = {}
    for n in nodes:
        if n.declared_id is not None:
            by_id.setdefault(n.declared_id, n)
    for n in top_nodes:
        if n.induk is not None and n.induk in by_id and by_id[n.induk] is not n:
            parent = by_id[n.induk]
            n.parent = parent
            n.index = len(parent.children)
            parent.children.append(n)
    tree.roots = [n for n in top_nodes if n.parent is None]
    _assign_ids_and_order(tree, nodes)
    tree.indicators = [i for n in tree.nodes for i in n.indikator]
    if doc.tabel is not None:
        tree.tahap3 = _flat_rows(list(doc.tabel.tahap3), "tahap3")
        tree.tahap4 = _flat_rows(list(doc.tabel.tahap4), "tahap4")
        tree.tahap5 = _flat_rows(list(doc.tabel.tahap5), "tahap5")
    tree.has_units = any(i.satuan for i in tree.indicators)
    tree.has_mapping = any(n.komponen or n.pemilik or n.kode for n in tree.nodes)
    tree.has_tables = bool(tree.tahap3 or tree.tahap4 or tree.tahap5)
    return tree


def _make(model: NodeModel, path: Path, tree: Tree, orig: Callable[[Path, int], int], nodes: list[Node],
          indicators: list[Indicator], check_node: NodeCheck) -> Node:
    """One node and, recursively, its children (a module function: a recursive closure would
    be a reference cycle holding the whole tree until the cyclic collector runs). ``model``
    holds the children as written; each is validated (``check_node``) just before it is made,
    and its model is let go once its subtree is built."""
    node = Node(model, path, tree)
    nodes.append(node)
    ip: Path = path + ("indikator",)
    node.indikator = [Indicator(im, node, j, ip + (orig(ip, j),)) for j, im in enumerate(model.indikator)]
    indicators.extend(node.indikator)
    cp: Path = path + ("anak",)
    j = 0
    for k, raw in enumerate(model.anak):  # a list of children as written is never shortened: k is the user's index
        child_path = cp + (k,)
        child_model = check_node(raw, child_path)
        if child_model is None:
            continue
        child = _make(child_model, child_path, tree, orig, nodes, indicators, check_node)
        child.parent = node
        child.index = j
        node.children.append(child)
        j += 1
    return node


def _assign_ids_and_order(tree: Tree, nodes: list[Node]) -> None:
    """Pre-order from the roots; derive missing ids from position; mark what is unreachable."""
    ordered: list[Node] = []
    seen: set[int] = set()
    single_root = len(tree.roots) == 1
    stack: list[tuple[Node, int, str]] = []
    for ri in range(len(tree.roots) - 1, -1, -1):
        stack.append((tree.roots[ri], 0, "0" if single_root else str(ri + 1)))
    while stack:
        n, depth, derived = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        n.depth = depth
        if not n.id:
            n.id = derived
        ordered.append(n)
        prefix = "" if n.id == "0" else n.id + "."
        for ci in range(len(n.children) - 1, -1, -1):
            stack.append((n.children[ci], depth + 1, f"{prefix}{ci + 1}"))
    for n in nodes:  # nodes in an induk cycle: no root reaches them
        if id(n) not in seen:
            n.reachable = False
            if not n.id:
                n.id = "?" + ".".join(str(p) for p in n.path[1:])
            ordered.append(n)
    for i, n in enumerate(ordered):
        n.order = i
    tree.nodes = ordered
