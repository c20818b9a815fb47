"""The canonical document: the validated model as plain data, the way the writers emit it.

``DocumentModel.model_dump`` gives the content; this module only settles its form, so
that every input gives the same text for the same content:

* keys in the model's order, values left at their defaults (``crosscutting: false``,
  empty lists, ``versi`` aside) and empty mappings omitted;
* levels by their canonical names, whole numbers without ``.0``;
* the tree nested (``anak``) whenever the nodes' ``induk`` links allow it, as tables give
  a flat list with ``id``/``induk``; a node's ``induk`` is dropped once it is nested
  under the node it names, ids derived from position stay undeclared;
* a table row's ``level`` is dropped when its ``tahap`` or ``keterangan`` already names
  that level (the runtime tree derives it again; importers fill it in).
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

from kinerjalint.levels import parse_level
from kinerjalint.model import SCHEMA_VERSION, DocumentModel, TableRowModel
from kinerjalint.tree import Node, Path, Tree

__all__ = ["document_data", "plain"]


def plain(value: Any, *, dates_as_text: bool = False) -> Any:
    """Model values as plain data: enums by name, 80.0 as 80, empty mappings dropped."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            p = plain(v, dates_as_text=dates_as_text)
            if p is None or (isinstance(p, dict) and not p):
                continue
            out[k] = p
        return out
    if isinstance(value, list):
        return [plain(v, dates_as_text=dates_as_text) for v in value]
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dt.date) and dates_as_text:
        return value.isoformat()
    return value


def _dump(model: Any) -> Any:
    return model.model_dump(exclude_defaults=True, exclude_none=True)


def _at(doc: DocumentModel, path: Path) -> Any:
    """The model object at a document path (('pohon', 'anak', 0) ...)."""
    obj: Any = doc
    for part in path:
        obj = obj[part] if isinstance(part, int) else getattr(obj, part)
    return obj


def _nested(doc: DocumentModel, tree: Tree) -> list[dict[str, Any]] | None:
    """The roots with their descendants under ``anak``; None when the links do not form a tree."""
    if any(not n.reachable for n in tree.nodes):
        return None

    def emit(node: Node) -> dict[str, Any]:
        model = _at(doc, node.path)
        data = _dump(model)
        data.pop("anak", None)
        if node.parent is not None and data.get("induk") in (None, node.parent.declared_id):
            data.pop("induk", None)  # said by the nesting
        if node.children:
            data["anak"] = [emit(c) for c in node.children]
        return data

    return [emit(r) for r in tree.roots]


def _table_row(row: TableRowModel) -> dict[str, Any]:
    data = _dump(row)
    level = data.get("level")
    if level is not None and level in (parse_level(row.tahap), parse_level(row.keterangan)):
        del data["level"]
    return data


def document_data(tree: Tree, *, dates_as_text: bool = False) -> dict[str, Any]:
    """The canonical document of a tree read without errors (``tree.model`` set)."""
    doc = tree.model
    if doc is None:
        raise ValueError("tree without its document model")
    data: dict[str, Any] = {"versi": doc.versi or SCHEMA_VERSION}
    data.update(_dump(doc))
    nested = _nested(doc, tree)
    if nested is not None:
        data["pohon"] = nested[0] if len(nested) == 1 else nested
    if doc.tabel is not None:
        data["tabel"] = {name: [_table_row(r) for r in rows]
                         for name in ("tahap3", "tahap4", "tahap5") if (rows := getattr(doc.tabel, name))}
    ordered = {k: data[k] for k in DocumentModel.model_fields if k in data}
    result: dict[str, Any] = plain(ordered, dates_as_text=dates_as_text)
    return result
