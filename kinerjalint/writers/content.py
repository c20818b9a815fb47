"""What a document says, independent of how a format writes it: the measure of a lossless
conversion.

Two files hold the same content when :func:`content` of their trees is equal. It is
normalised only for what formats cannot help but write differently:

* ids derived from position are filled in (a table writes every id), ``induk`` is the
  parent's id (nesting and a parent column say the same thing);
* a Tahap table row's level is its effective level (importers derive it from the
  ``tahap`` and ``keterangan`` cells, as the runtime tree does anyway);
* numbers are compared as numbers (80 == 80.0), empty mappings as absent;
* for tables only (``strip=True``): text is compared without surrounding spaces, and an
  empty optional text as absent, since a spreadsheet cell keeps neither.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from kinerjalint.tree import Indicator, Node, Tree
from kinerjalint.writers.canonical import plain

__all__ = ["ALL_PARTS", "content", "first_difference"]

ALL_PARTS = ("meta", "pohon", "tabel", "pengecualian")
_META = ("versi", "instansi", "pemda", "periode", "tahun", "tahap1")


def _indicator(ind: Indicator) -> dict[str, Any]:
    return {"nama": ind.nama, "satuan": ind.satuan, "target": ind.target_mentah,
            "baseline": ind.baseline if ind.baseline_teks is None else ind.baseline_teks, "definisi": ind.definisi, "formula": ind.formula,
            "sumber_data": ind.sumber_data}


def _node(node: Node) -> dict[str, Any]:
    return {"id": node.id, "induk": node.parent.id if node.parent is not None else node.induk,
            "level": node.level.name, "kinerja": node.kinerja, "keterangan": node.keterangan,
            "masalah": node.masalah, "crosscutting": node.crosscutting, "mitra": list(node.mitra),
            "pemetaan": {"komponen": node.komponen, "kode": node.kode, "nomenklatur": node.nomenklatur,
                         "pemilik": node.pemilik, "jabatan": node.jabatan},
            "indikator": [_indicator(i) for i in node.indikator]}


def _tables(tree: Tree) -> dict[str, Any]:
    doc = tree.model
    out: dict[str, Any] = {}
    for name in ("tahap3", "tahap4", "tahap5"):
        models = getattr(doc.tabel, name) if doc is not None and doc.tabel is not None else []
        rows = []
        for model, row in zip(models, getattr(tree, name)):
            data = model.model_dump()
            data["level"] = row.level.name if row.level is not None else None
            rows.append(data)
        if rows:
            out[name] = rows
    return out


def _clean(value: Any, strip: bool) -> Any:
    if isinstance(value, dict):
        out = {k: c for k, v in value.items() if (c := _clean(v, strip)) is not None and c != {}}
        return out
    if isinstance(value, list):
        return [_clean(v, strip) for v in value]
    if isinstance(value, str) and strip:
        return value.strip() or None
    return value


def content(tree: Tree, parts: Collection[str] = ALL_PARTS, *, strip: bool = False) -> dict[str, Any]:
    """The document's content as plain data, normalised as the module docstring says."""
    doc = tree.model
    out: dict[str, Any] = {}
    if "meta" in parts and doc is not None:
        out["meta"] = {k: getattr(doc, k) for k in _META}
        out["meta"]["tahap1"] = doc.tahap1.model_dump() if doc.tahap1 is not None else None
    if "pohon" in parts:
        out["pohon"] = [_node(n) for n in tree.nodes]
    if "tabel" in parts:
        out["tabel"] = _tables(tree)
    if "pengecualian" in parts:
        out["pengecualian"] = [w.model_dump() for w in tree.waivers]
    result: dict[str, Any] = _clean(plain(out), strip)
    return result


def first_difference(a: Any, b: Any, where: str = "") -> tuple[str, Any, Any] | None:
    """(path, value in a, value in b) of the first place where a and b differ, else None."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            found = first_difference(a.get(key), b.get(key), f"{where}.{key}" if where else str(key))
            if found is not None:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        for i in range(max(len(a), len(b))):
            found = first_difference(a[i] if i < len(a) else None, b[i] if i < len(b) else None, f"{where}[{i}]")
            if found is not None:
                return found
        return None
    return None if a == b else (where or "dokumen", a, b)
