"""Which cell of a workbook a finding is about.

A finding from an XLSX file names its cell already (``Finding.ref``). A finding from a
YAML, JSON, TSV or CSV file names a line and column; when that file is annotated, the
workbook is built by the converter, which records the cell of every value (document
path -> cell). The finding's span is matched back to the document path it was made
from (the file's own locator gives each candidate path its span), then to that cell;
a value without a cell of its own falls back to its nearest enclosing value (a node's
statement), and a finding that matches no value to its node's statement. Findings about
the whole file keep no cell: they are listed on the summary sheet only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from kinerjalint.findings import Finding
from kinerjalint.loaders.base import Locator
from kinerjalint.tree import Path, Tree

__all__ = ["place_findings"]

_NODE_FIELDS = ("id", "induk", "level", "kinerja", "keterangan", "masalah", "crosscutting", "mitra", "pemetaan",
                "indikator")
_MAPPING_FIELDS = ("komponen", "kode", "nomenklatur", "pemilik", "jabatan")
_INDICATOR_FIELDS = ("nama", "satuan", "target", "baseline", "definisi", "formula", "sumber_data")
_ROW_FIELDS = ("id", "induk", "tahap", "level", "kinerja", "indikator", "satuan", "target", "keterangan",
               "komponen", "pk")
_META = ("versi", "instansi", "pemda", "periode", "tahun")


def _candidates(tree: Tree) -> Iterator[Path]:
    """Every document path a finding may point at, enclosing values first."""
    yield from ((k,) for k in _META)
    doc = tree.model
    if doc is not None and doc.tahap1 is not None:
        for key in ("mandat", "permasalahan", "ekspektasi"):
            yield ("tahap1", key)
            yield from (("tahap1", key, i) for i in range(len(getattr(doc.tahap1, key))))
    for node in tree.nodes:
        yield node.path
        yield from (node.path + (f,) for f in _NODE_FIELDS)
        yield from (node.path + ("pemetaan", f) for f in _MAPPING_FIELDS)
        yield from (node.path + ("mitra", i) for i in range(len(node.mitra)))
        for ind in node.indikator:
            yield ind.path
            yield from (ind.path + (f,) for f in _INDICATOR_FIELDS)
            yield from (ind.path + ("target", y) for y in ind.target_tahun)
    for name in ("tahap3", "tahap4", "tahap5"):
        for row in getattr(tree, name):
            yield row.path
            yield from (row.path + (f,) for f in _ROW_FIELDS)
    for i in range(len(tree.waivers)):
        yield ("pengecualian", i)
        yield from (("pengecualian", i, f) for f in ("kode", "node", "alasan", "penyetuju", "tanggal", "kedaluwarsa"))


def _cell(path: Path, cells: Mapping[Path, str]) -> str | None:
    p = path
    while p:
        if p in cells:
            return cells[p]
        p = p[:-1]
    return None


def place_findings(findings: Sequence[Finding], tree: Tree, locator: Locator,
                   cells: Mapping[Path, str]) -> list[tuple[Finding, str | None]]:
    """Each finding with the cell it belongs on in the converted workbook (None: no cell)."""
    by_span: dict[tuple[int, int, int, int], Path] = {}
    for candidate in _candidates(tree):
        span = locator.span(candidate)
        if span is not None:
            by_span[(span.line, span.column, span.end_line, span.end_column)] = candidate  # the innermost wins
    by_node = {n.id: n.path for n in tree.nodes}
    by_row = {f"{name}:{row.index + 1}": row.path for name in ("tahap3", "tahap4", "tahap5")
              for row in getattr(tree, name)}
    out: list[tuple[Finding, str | None]] = []
    for f in findings:
        path: Path | None = by_span.get((f.line, f.column, f.end_line, f.end_column))
        if path is None and f.node_id:
            path = by_node.get(f.node_id) or by_row.get(f.node_id)
        out.append((f, _cell(path, cells) if path is not None else None))
    return out
