"""The hand-written floor: read a tree file and run 8 simple checks in one plain loop.

    python bench/floor.py FILE [--out FINDINGS.json]

What a competent one-off script would do, and the least any linter must pay: parse the file
(JSON, YAML with PyYAML's libyaml loader, TSV/CSV with the csv module, XLSX with openpyxl in
read-only mode, values only), rebuild the nodes (table rows: the nearest previous row of the
level above is the parent, a repeated statement is one more indicator), and check each node
and indicator with the same 8 checks the Spectral ruleset (``spectral.yaml``) runs on the
JSON form. The findings go to ``--out`` as JSON (or are only counted), so that writing them
is paid for as kinerjalint pays for its report.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path
from typing import Any

LEVELS = ("outcome", "csf", "antara_utama", "antara", "operasional")
ACTIVE = re.compile(r"^(Me\w+kan|Memfasilitasi|Menyusun)\b")
ACTIVITY = re.compile(r"^(Pelaksanaan|Penyelenggaraan|Fasilitasi|Koordinasi|Penyusunan|Peningkatan|Pembinaan)\b")
NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?%?$")


def nodes_of_doc(doc: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    stack = [doc.get("pohon") or {}]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(node.get("anak") or []))
    return out


def nodes_of_rows(rows: list[list[Any]]) -> list[dict[str, Any]]:
    header = [str(h or "").strip().lower() for h in rows[0]]
    col = {name: header.index(name) for name in header}
    k_level, k_kin, k_ind = col.get("level", 1), col.get("kinerja", 2), col.get("indikator kinerja", 3)
    k_sat, k_tgt = col.get("satuan", 4), next((i for i, h in enumerate(header) if h.startswith("target")), 5)
    nodes: list[dict[str, Any]] = []
    last_at: dict[str, dict[str, Any]] = {}
    for row in rows[1:]:
        if not any(row):
            continue
        level = str(row[k_level] or "").strip()
        kinerja = str(row[k_kin] or "").strip()
        ind = {"nama": row[k_ind], "satuan": row[k_sat], "target": row[k_tgt]} if row[k_ind] else None
        prev = nodes[-1] if nodes else None
        if prev is not None and (not kinerja or (kinerja == prev["kinerja"] and level == prev["level"])):
            if ind is not None:
                prev["indikator"].append(ind)
            continue
        node = {"level": level, "kinerja": kinerja, "indikator": [ind] if ind else []}
        i = LEVELS.index(level) if level in LEVELS else -1
        parent = last_at.get(LEVELS[i - 1]) if i > 0 else None
        if parent is not None:
            parent.setdefault("anak", []).append(node)
        last_at[level] = node
        nodes.append(node)
    return nodes


def read(path: Path) -> list[dict[str, Any]]:
    ext = path.suffix.lower()
    if ext == ".json":
        return nodes_of_doc(json.loads(path.read_text(encoding="utf-8")))
    if ext in (".yaml", ".yml"):
        import yaml  # PyYAML on libyaml: the fastest safe YAML loader a script can reach for

        return nodes_of_doc(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
    if ext in (".tsv", ".csv"):
        with path.open(encoding="utf-8", newline="") as fh:
            return nodes_of_rows(list(csv.reader(fh, delimiter="\t" if ext == ".tsv" else ",")))
    if ext == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        wb.close()
        return nodes_of_rows(rows)
    raise SystemExit(f"unknown form: {path.suffix}")


def check(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The 8 checks (names as in spectral.yaml)."""
    found: list[dict[str, Any]] = []

    def add(code: str, where: str, message: str) -> None:
        found.append({"code": code, "where": where, "message": message})

    for node in nodes:
        kin = str(node.get("kinerja") or "")
        level = node.get("level")
        where = kin[:60]
        if not kin.strip():
            add("kinerja-kosong", where, "pernyataan kinerja kosong")
        if level not in LEVELS:
            add("level-tidak-dikenal", where, f"level '{level}' tidak dikenal")
        if ACTIVE.match(kin):
            add("kata-kerja-aktif", where, "pernyataan diawali kata kerja aktif")
        if ACTIVITY.match(kin):
            add("kata-kegiatan", where, "pernyataan diawali kata benda kegiatan")
        inds = node.get("indikator") or []
        if not inds:
            add("tanpa-indikator", where, "kondisi tanpa indikator")
        for ind in inds:
            name = str(ind.get("nama") or "")
            if not str(ind.get("satuan") or "").strip():
                add("satuan-kosong", name[:60], "indikator tanpa satuan")
            target = ind.get("target")
            if target is None or target == "" or not NUMBER.match(str(target).strip()):
                add("target-bukan-angka", name[:60], "target kosong atau bukan angka")
            if level in ("outcome", "csf") and name.startswith("Jumlah"):
                add("jumlah-di-level-atas", name[:60], "indikator 'Jumlah' pada level atas")
    return found


def main() -> None:
    args = sys.argv[1:]
    out = None
    if "--out" in args:
        k = args.index("--out")
        out = args[k + 1]
        del args[k:k + 2]
    found = check(read(Path(args[0])))
    if out:
        Path(out).write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")
    print(len(found))


if __name__ == "__main__":
    main()
