"""Bytes in, a checked tree out: the service's only door into :mod:`kinerjalint.api`.

The upload is written to a temporary file with the suffix of its format and checked by
:func:`kinerjalint.api.check_file`, so every loader works as it does for the CLI; the
file's display name is the uploaded file name. Configuration files are not looked for
(a service has no working folder of the submitter's): the default preset applies, as for
``kinerjalint check`` in a folder without ``kinerjalint.yaml``.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kinerjalint import __version__
from kinerjalint.api import CheckOptions, CheckResult, check_file
from kinerjalint.rulebook import Rulebook, load_rulebook
from kinerjalint.service import limits as lim
from kinerjalint.service.problems import ServiceProblem
from kinerjalint.service.settings import Limits

SUFFIX = {"yaml": ".yaml", "json": ".json", "tsv": ".tsv", "csv": ".csv", "xlsx": ".xlsx"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {
    "application/yaml": "yaml", "application/x-yaml": "yaml", "text/yaml": "yaml", "text/x-yaml": "yaml",
    "application/json": "json", "text/json": "json",
    "text/tab-separated-values": "tsv", "text/csv": "csv", "application/csv": "csv",
    XLSX_TYPE: "xlsx", "application/vnd.ms-excel.sheet.macroenabled.12": "xlsx",
}
SAFE_TYPES = frozenset(CONTENT_TYPES) | {"application/octet-stream", "text/plain"}
MEDIA_TYPE = {"yaml": "application/yaml", "json": "application/json", "tsv": "text/tab-separated-values",
              "csv": "text/csv", "xlsx": XLSX_TYPE}
OUTLINE_DEPTH = 40  # the drawn tree stops here; deeper branches are summarised


def format_of(explicit: str | None, filename: str | None, content_type: str | None) -> str | None:
    """The input format: ``?format=`` first, then the file name's extension, then the media type."""
    from kinerjalint.loaders import SUPPORTED

    if explicit:
        e = explicit.strip().lower().lstrip(".")
        e = {"yml": "yaml", "tab": "tsv", "xlsm": "xlsx"}.get(e, e)
        return e if e in SUFFIX else None
    if filename:
        fmt = SUPPORTED.get(Path(filename).suffix.lower())
        if fmt:
            return fmt
    if content_type:
        return CONTENT_TYPES.get(content_type.split(";")[0].strip().lower())
    return None


def display_name(filename: str | None, fmt: str) -> str:
    """The uploaded file's base name, printable and short; ``unggahan.<ext>`` without one."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable() and unicodedata.category(c) != "Cf").strip()
    if not name or name in (".", ".."):
        name = "unggahan" + SUFFIX[fmt]
    return name[:200]


_versions: dict[int, str] = {}


def rulebook_version(rb: Rulebook) -> str:
    """A short hash of the compiled rulebook: it changes whenever any rule or word list does."""
    v = _versions.get(id(rb))
    if v is None:
        v = _versions[id(rb)] = hashlib.sha256(rb.source.encode("utf-8")).hexdigest()[:12]
    return v


def options(select: Sequence[str] = (), ignore: Sequence[str] = (), waivers: Path | None = None) -> CheckOptions:
    sel = tuple(p.strip() for v in select for p in v.split(",") if p.strip())
    ign = tuple(p.strip() for v in ignore for p in v.split(",") if p.strip())
    unknown = load_rulebook().unknown_selectors(sel + ign)
    if unknown:
        raise ServiceProblem(422, f"aturan tidak dikenal: {', '.join(unknown[:10])} (lihat GET /v1/rules)",
                             slug="aturan-tidak-dikenal")
    return CheckOptions(select=sel, ignore=ign, use_config=False, waivers=waivers)


@dataclass
class Outcome:
    result: CheckResult
    document: dict[str, Any]
    sha256: str
    fmt: str
    filename: str
    lang: str

    @property
    def rulebook_version(self) -> str:
        return rulebook_version(self.result.rulebook) if self.result.rulebook else ""

    @property
    def tool_version(self) -> str:
        return __version__


def check_bytes(data: bytes, filename: str, fmt: str, opts: CheckOptions, limits: Limits, lang: str = "id",
                waivers: Sequence[dict[str, Any]] = ()) -> Outcome:
    """Check one upload (runs in a worker thread, within the time budget)."""
    lim.precheck(data, fmt, limits)
    with tempfile.TemporaryDirectory(prefix="kinerjalint-") as tmp:
        path = Path(tmp) / ("unggahan" + SUFFIX[fmt])
        path.write_bytes(data)
        if waivers:
            wpath = Path(tmp) / "pengecualian-auditor.yaml"
            wpath.write_text(json.dumps({"pengecualian": list(waivers)}, ensure_ascii=False), encoding="utf-8")
            opts = CheckOptions(select=opts.select, ignore=opts.ignore, use_config=False, waivers=wpath)
        try:
            result = check_file(path, opts, display=filename)
        except RecursionError:
            # YAML aliases can nest a deep collection inside another past what the event scan
            # of precheck sees (it counts each anchor's nesting once).
            raise ServiceProblem(422, f"Struktur {fmt.upper()} bersarang terlalu dalam (alias YAML berlapis?).",
                                 slug="terlalu-dalam") from None
    lim.postcheck(result, limits)
    from kinerjalint.reporters import jsonreport

    doc = jsonreport.document([result], lang)
    if waivers:
        for f in doc["files"][0]["findings"]:
            if f["file"].endswith(os.sep + "pengecualian-auditor.yaml"):
                f["file"] = "pengecualian auditor"
    return Outcome(result, doc, hashlib.sha256(data).hexdigest(), fmt, filename, lang)


def outline(result: CheckResult) -> list[dict[str, Any]]:
    """The tree as nested dicts for drawing: id, level, statement, indicators, children.

    Built without recursion (an ``induk`` chain may be thousands of nodes long); below
    :data:`OUTLINE_DEPTH` a branch is cut and its size noted.
    """
    tree = result.tree
    if tree is None:
        return []
    by_node: dict[str, list[str]] = {}
    for f in result.active:
        if f.node_id:
            by_node.setdefault(f.node_id, []).append(f.code)
    roots: list[dict[str, Any]] = []
    stack: list[tuple[Any, list[dict[str, Any]], int]] = [(n, roots, 0) for n in reversed(tree.roots)]
    while stack:
        node, into, depth = stack.pop()
        item: dict[str, Any] = {"id": node.id, "level": node.level.name if node.level is not None else "",
                                "kinerja": node.kinerja, "indikator": [i.nama for i in node.indikator],
                                "codes": sorted(set(by_node.get(node.id, []))), "anak": []}
        into.append(item)
        if depth + 1 >= OUTLINE_DEPTH and node.children:
            item["cut"] = len(node.descendants)
            continue
        stack.extend((c, item["anak"], depth + 1) for c in reversed(node.children))
    return roots


def period_of(result: CheckResult, explicit: str | None) -> str | None:
    if explicit and explicit.strip():
        return explicit.strip()[:40]
    tree = result.tree
    if tree is None:
        return None
    if tree.tahun is not None:
        return str(tree.tahun)
    return tree.periode[:40] if tree.periode else None


def counts(document: dict[str, Any]) -> dict[str, int]:
    c = document["files"][0]["counts"] if document["files"] else {}
    return {"error": int(c.get("error", 0)), "warning": int(c.get("warning", 0)), "info": int(c.get("info", 0))}


def diff(new: dict[str, Any], old: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Active findings of two documents matched by fingerprint (as multisets)."""
    def active(doc: dict[str, Any]) -> list[dict[str, Any]]:
        return [f for file in doc["files"] for f in file["findings"] if f["status"] == "active"]

    pool: dict[str, list[dict[str, Any]]] = {}
    for f in active(old):
        pool.setdefault(f["fingerprint"], []).append(f)
    added, persisting = [], []
    for f in active(new):
        left = pool.get(f["fingerprint"])
        if left:
            left.pop()
            persisting.append(f)
        else:
            added.append(f)
    resolved = [f for fs in pool.values() for f in fs]
    return {"new": added, "resolved": resolved, "persisting": persisting}
