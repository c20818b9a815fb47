"""Build samples/balangan-kesbangpol.xlsx from samples/balangan-kesbangpol.yaml.

The workbook looks like what an agency sends: sheet "Pohon" with a title row above the
header and one row per (node, indicator), the cells of a node with several indicators
merged vertically; sheets "Tahap 3", "Tahap 4" and "Tahap 5" with the seed's flat tables, each
under its title. Run from the repository root:

    .venv/bin/python samples/make_xlsx.py
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet
from ruamel.yaml import YAML

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "balangan-kesbangpol.yaml"
TARGET = HERE / "balangan-kesbangpol.xlsx"

LEVEL_NAMES = {
    "outcome": "Outcome", "csf": "CSF", "antara_utama": "Kondisi antara utama",
    "antara": "Kondisi antara", "operasional": "Kondisi operasional",
}
TREE_HEADER = ["No", "Induk", "Level", "Kinerja", "Indikator Kinerja", "Satuan", "Target", "Keterangan",
               "Komponen Perencanaan", "PK", "Permasalahan", "Crosscutting"]
# Columns that belong to the node (merged over its indicator rows), 1-based.
NODE_COLUMNS = (1, 2, 3, 4, 8, 9, 10, 11, 12)
TABLE_HEADER = ["Rujukan tahapan", "Kinerja", "Indikator kinerja", "Keterangan", "Komponen", "PK"]


def _indicator(item: Any) -> dict[str, Any]:
    return {"nama": item} if isinstance(item, str) else dict(item)


def _target(value: Any) -> Any:
    if isinstance(value, dict):  # one column only: the last year's target
        return list(value.values())[-1] if value else None
    return value


def _walk(node: dict[str, Any], parent: str | None, out: list[tuple[dict[str, Any], str | None]]) -> None:
    out.append((node, parent))
    for child in node.get("anak", []):
        _walk(child, str(node["id"]), out)


def _title(ws: Worksheet, text: str, width: int) -> None:
    ws.cell(row=1, column=1, value=text).font = Font(bold=True, size=13)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)


def _header(ws: Worksheet, row: int, names: list[str]) -> None:
    for col, name in enumerate(names, 1):
        ws.cell(row=row, column=col, value=name).font = Font(bold=True)


def tree_sheet(ws: Worksheet, doc: dict[str, Any]) -> None:
    _title(ws, f"Pohon Kinerja {doc['instansi']} {doc['pemda']} {doc['periode']}", len(TREE_HEADER))
    _header(ws, 2, TREE_HEADER)
    roots = doc["pohon"] if isinstance(doc["pohon"], list) else [doc["pohon"]]
    nodes: list[tuple[dict[str, Any], str | None]] = []
    for root in roots:
        _walk(root, None, nodes)
    row = 3
    for node, parent in nodes:
        indicators = [_indicator(i) for i in node.get("indikator", [])] or [{}]
        mapping = node.get("pemetaan") or {}
        crosscutting = ", ".join(node.get("mitra", [])) or ("ya" if node.get("crosscutting") else None)
        values = {1: str(node["id"]), 2: parent, 3: LEVEL_NAMES[node["level"]], 4: node["kinerja"],
                  8: node.get("keterangan"), 9: mapping.get("komponen"), 10: mapping.get("pemilik"),
                  11: node.get("masalah"), 12: crosscutting}
        for col, value in values.items():
            ws.cell(row=row, column=col, value=value)
        for k, ind in enumerate(indicators):
            ws.cell(row=row + k, column=5, value=ind.get("nama"))
            ws.cell(row=row + k, column=6, value=ind.get("satuan"))
            ws.cell(row=row + k, column=7, value=_target(ind.get("target")))
        if len(indicators) > 1:
            for col in NODE_COLUMNS:
                ws.merge_cells(start_row=row, start_column=col, end_row=row + len(indicators) - 1, end_column=col)
        row += len(indicators)
    _layout(ws, {"D": 70, "E": 70, "H": 28, "I": 22, "J": 24, "K": 50})


def table_sheet(ws: Worksheet, title: str, rows: list[dict[str, Any]]) -> None:
    _title(ws, title, len(TABLE_HEADER))
    _header(ws, 2, TABLE_HEADER)
    for r, item in enumerate(rows, 3):
        for col, key in enumerate(("tahap", "kinerja", "indikator", "keterangan", "komponen", "pk"), 1):
            ws.cell(row=r, column=col, value=item.get(key) or None)
    _layout(ws, {"A": 14, "B": 70, "C": 70, "D": 28, "E": 22, "F": 24})


def _layout(ws: Worksheet, widths: dict[str, int]) -> None:
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    for cells in ws.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def build(source: Path = SOURCE, target: Path = TARGET) -> Path:
    doc = YAML(typ="safe").load(source.read_text(encoding="utf-8"))
    wb = Workbook()
    wb.properties.creator = "kinerjalint samples/make_xlsx.py"
    wb.properties.created = wb.properties.modified = dt.datetime(2024, 1, 1)
    tree_sheet(wb.active, doc)
    wb.active.title = "Pohon"
    tables = doc.get("tabel") or {}
    table_sheet(wb.create_sheet("Tahap 3"), "Tahap 3 uraikan CSF ke kondisi antara sampai kondisi paling "
                "operasional", tables.get("tahap3", []))
    table_sheet(wb.create_sheet("Tahap 4"), "Tahap 4 merumuskan indikator kinerja", tables.get("tahap4", []))
    table_sheet(wb.create_sheet("Tahap 5"), "Tahap menerjemahkan pohon kinerja kedalam komponen perencanaan "
                "dan kinerja jabatan", tables.get("tahap5", []))
    wb.save(target)
    return target


if __name__ == "__main__":
    print(build())
