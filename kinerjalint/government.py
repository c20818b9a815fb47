"""The whole government: the Pemda tree (tujuan -> sasaran) and the trees of its agencies.

A :class:`PemdaTree` is built from a validated :class:`~kinerjalint.model.PemdaDocumentModel`
like a :class:`~kinerjalint.tree.Tree` from an agency document; a :class:`Government` joins
it with the agencies' trees once, resolving the explicit links (an outcome's
``sasaran_pemda``, an indicator's ``indikator_pemda``, a node's ``mitra`` naming another
agency) into indexes, so that the CAS rules never compare every agency with every other.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING
from pathlib import PurePath

from kinerjalint.levels import Level
from kinerjalint.tree import Indicator, Node, Path, Tree, target_notation

if TYPE_CHECKING:  # annotations only: the validated document comes from the loaders
    from kinerjalint.model import PemdaDocumentModel, PemdaIndicatorModel, PemdaNodeModel

__all__ = ["Agency", "Government", "PemdaIndicator", "PemdaTree", "Sasaran", "build_pemda", "names_key"]

_NON_WORD = re.compile(r"[^0-9a-z]+")
# Words that say where, not who: "Satpol PP Kabupaten Balangan" names the same body as "Satpol PP".
_PLACE_WORDS = frozenset({"kabupaten", "kab", "kota", "provinsi", "prov", "pemerintah", "daerah", "pemda"})


def names_key(text: str | None) -> str:
    """An organisation or statement name folded for matching: lower case, words only."""
    return " ".join(_NON_WORD.sub(" ", (text or "").casefold()).split())


class PemdaIndicator:
    __slots__ = ("id", "nama", "satuan", "target", "targets", "baseline", "definisi", "sasaran", "index", "path",
                 "source")

    def __init__(self, model: PemdaIndicatorModel, sasaran: Sasaran, index: int, path: Path) -> None:
        self.id = model.id
        self.nama = model.nama
        self.satuan = model.satuan
        tgt = model.target
        raw = list(tgt.values()) if isinstance(tgt, dict) else ([] if tgt is None else [tgt])
        # the numbers of the targets, read as an agency's are ("80-85", "2,3:1000", "1.500")
        self.targets: list[float] = [n for v in raw for n in target_notation(v)[1]]
        self.target: float | None = self.targets[-1] if self.targets else None
        base = target_notation(model.baseline)[1]
        self.baseline: float | None = base[0] if base else None
        self.definisi = model.definisi
        self.sasaran = sasaran
        self.index = index
        self.path = path
        self.source = sasaran.source

    def __repr__(self) -> str:
        return f"PemdaIndicator({self.nama!r})"


class Sasaran:
    """A tujuan or a sasaran of the Pemda tree."""

    __slots__ = ("id", "level", "kinerja", "indikator", "keterangan", "tujuan", "children", "index", "path",
                 "source")

    def __init__(self, model: PemdaNodeModel, path: Path, source: str, derived_id: str) -> None:
        self.id = model.id or derived_id
        self.level = model.level
        self.kinerja = model.kinerja
        self.keterangan = model.keterangan
        self.tujuan: Sasaran | None = None
        self.children: list[Sasaran] = []
        self.index = 0
        self.path = path
        self.source = source
        self.indikator: list[PemdaIndicator] = []

    def __repr__(self) -> str:
        return f"Sasaran({self.id!r}, {self.kinerja[:40]!r})"


class PemdaTree:
    def __init__(self, source: str, doc: PemdaDocumentModel) -> None:
        self.source = source
        self.pemda = doc.pemda
        self.periode = doc.periode
        self.tahun = doc.tahun
        self.tujuan: list[Sasaran] = []
        self.sasaran: list[Sasaran] = []
        self.nodes: list[Sasaran] = []
        self.indicators: list[PemdaIndicator] = []


def build_pemda(doc: PemdaDocumentModel, source: str, index_maps: dict[Path, list[int]] | None = None) -> PemdaTree:
    """The runtime Pemda tree; a sasaran written at the top (no tujuan) is kept as a sasaran."""
    maps = index_maps or {}

    def orig(list_path: Path, i: int) -> int:
        m = maps.get(list_path)
        return m[i] if m is not None and i < len(m) else i

    tree = PemdaTree(source, doc)
    tops = doc.pohon if isinstance(doc.pohon, list) else [doc.pohon]
    paths: list[Path] = ([("pohon", orig(("pohon",), i)) for i in range(len(tops))]
                         if isinstance(doc.pohon, list) else [("pohon",)])
    # A flat list (a table): a sasaran with `induk` hangs under the tujuan of that id.
    top_ids = {m.id for m in tops if m.id and m.level == "tujuan"}
    children: dict[str, list[tuple[PemdaNodeModel, Path]]] = {}
    roots: list[tuple[PemdaNodeModel, Path]] = []
    for m, p in zip(tops, paths):
        if m.induk and m.induk in top_ids and m.induk != m.id:
            children.setdefault(m.induk, []).append((m, p))
        else:
            roots.append((m, p))
    stack: list[tuple[PemdaNodeModel, Path, Sasaran | None, str, int]] = [
        (m, p, None, str(i + 1), i) for i, (m, p) in reversed(list(enumerate(roots)))]
    while stack:
        model, path, parent, derived, index = stack.pop()
        s = Sasaran(model, path, source, derived)
        s.index = index
        s.tujuan = parent
        if parent is not None:
            parent.children.append(s)
        ip: Path = path + ("indikator",)
        s.indikator = [PemdaIndicator(im, s, j, ip + (orig(ip, j),)) for j, im in enumerate(model.indikator)]
        tree.nodes.append(s)
        tree.indicators.extend(s.indikator)
        (tree.sasaran if s.level == "sasaran" else tree.tujuan).append(s)
        cp: Path = path + ("anak",)
        flat = children.pop(model.id, []) if parent is None and model.id else []
        for k in range(len(flat) - 1, -1, -1):
            stack.append((flat[k][0], flat[k][1], s, f"{s.id}.{len(model.anak) + k + 1}", len(model.anak) + k))
        for j in range(len(model.anak) - 1, -1, -1):
            stack.append((model.anak[j], cp + (orig(cp, j),), s, f"{s.id}.{j + 1}", j))
    return tree


class Agency:
    """One agency (OPD) of the government: its tree, file and names."""

    def __init__(self, tree: Tree, index: int) -> None:
        self.tree = tree
        self.index = index
        self.source = tree.source
        self.instansi = tree.instansi
        self.singkatan = list(tree.singkatan)
        self.name = tree.instansi or PurePath(tree.source).stem
        self.nodes = tree.nodes
        self.indicators = tree.indicators
        self.outcomes = [n for n in tree.nodes if n.level == Level.outcome]
        self.root: Node | None = tree.roots[0] if tree.roots else None
        keys = [names_key(x) for x in [tree.instansi, *tree.singkatan, PurePath(tree.source).stem]]
        self.keys = {k for k in keys if k}
        self.short_keys = {_without_place(k) for k in self.keys} - {""}

    def __repr__(self) -> str:
        return f"Agency({self.name!r})"


def _without_place(key: str) -> str:
    words = key.split()
    for i, w in enumerate(words):
        if w in _PLACE_WORDS:  # "satpol pp kabupaten balangan" -> "satpol pp"
            return " ".join(words[:i])
    return key


class Government:
    """A Pemda tree and its agencies, with the links between them resolved once."""

    def __init__(self, pemda: PemdaTree, trees: Sequence[Tree]) -> None:
        self.pemda = pemda
        self.agencies = [Agency(t, i) for i, t in enumerate(trees)]
        self.tujuan = pemda.tujuan
        self.sasaran = pemda.sasaran
        self.pemda_indicators = pemda.indicators
        self.outcomes: list[Node] = []
        self.conditions: list[Node] = []
        self.indicators: list[Indicator] = []
        for a in self.agencies:
            for n in a.nodes:
                n.agency = a
            self.outcomes.extend(a.outcomes)
            self.conditions.extend(a.nodes)
            self.indicators.extend(a.indicators)
        self._sasaran_by_id = {s.id.casefold(): s for s in pemda.nodes}
        self._sasaran_by_text = {names_key(s.kinerja): s for s in pemda.nodes if s.kinerja}
        self._indicator_by_id = {p.id.casefold(): p for p in pemda.indicators if p.id}
        self._indicator_by_name = {names_key(p.nama): p for p in pemda.indicators}
        self._agency_by_key: dict[str, Agency] = {}
        for a in self.agencies:
            for k in a.keys | a.short_keys:
                self._agency_by_key.setdefault(k, a)
        self._claims: dict[int, list[Indicator]] = {}
        for ind in self.indicators:
            p = self.pemda_indicator_of(ind)
            if p is not None:
                self._claims.setdefault(id(p), []).append(ind)
        self._agencies_named: dict[str, Agency | None] = {}

    # -- links
    def sasaran_of(self, node: Node) -> Sasaran | None:
        """The Pemda tujuan/sasaran an agency node names in ``sasaran_pemda`` (by id, else by statement)."""
        ref = node.sasaran_pemda
        if not ref:
            return None
        return self._sasaran_by_id.get(ref.strip().casefold()) or self._sasaran_by_text.get(names_key(ref))

    def pemda_indicator_of(self, indicator: Indicator) -> PemdaIndicator | None:
        ref = indicator.indikator_pemda
        if not ref:
            return None
        return self._indicator_by_id.get(ref.strip().casefold()) or self._indicator_by_name.get(names_key(ref))

    def claims(self, indicator: PemdaIndicator) -> list[Indicator]:
        """The agency indicators that name this Pemda indicator, in agency order."""
        return self._claims.get(id(indicator), [])

    def agency_named(self, text: str) -> Agency | None:
        """The agency a partner name (``mitra``) refers to: its instansi, a singkatan or file name,
        with or without the region ("Satpol PP Kabupaten Balangan")."""
        key = names_key(text)
        if key not in self._agencies_named:
            found = self._agency_by_key.get(key) or self._agency_by_key.get(_without_place(key))
            if found is None and len(key.split()) >= 2:  # "Dinas Sosial" within "Dinas Sosial dan PMD"
                found = next((a for a in self.agencies if any(f" {key} " in f" {k} " for k in a.keys)), None)
            self._agencies_named[key] = found
        return self._agencies_named[key]

    def partners(self, node: Node) -> list[Agency]:
        """The other agencies a node names as partners (``mitra``)."""
        out: list[Agency] = []
        for m in node.mitra:
            a = self.agency_named(m)
            if a is not None and a is not node.agency and a not in out:
                out.append(a)
        return out
