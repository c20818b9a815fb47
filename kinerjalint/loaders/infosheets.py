"""Workbook sheets beside the tables: document metadata and waivers.

* A sheet named "Info" holds the metadata and the Tahap 1 inputs, one key and one value
  per row (``instansi | Badan Kesbangpol``; a list such as ``mandat`` takes one row per
  item). Rows whose key is not known are skipped: an agency's own "Info" sheet with
  notes is not an error.
* A sheet named "Pengecualian" holds waivers (FORMATS.md section 4: the way to waive a
  rule in a format without comments): a header row (kode, node, alasan, penyetuju,
  tanggal, kedaluwarsa) and one waiver per row.

Both are recognised by their name only, never by their content. The summary sheet of an
annotated workbook ("Hasil kinerjalint") is neither a tree nor metadata: skipped.
"""

from __future__ import annotations

from typing import Any

from kinerjalint.loaders.columns import norm
from kinerjalint.loaders.tables import Grid, Spans

__all__ = ["SUMMARY_SHEET", "read_info", "read_waivers", "sheet_role"]

SUMMARY_SHEET = "Hasil kinerjalint"
_ROLES = {
    "info": ("info", "informasi", "metadata", "identitas", "identitas dokumen"),
    "pengecualian": ("pengecualian", "daftar pengecualian", "waiver", "waivers"),
    "summary": (norm(SUMMARY_SHEET),),
}
_META = {"versi": "versi", "version": "versi", "instansi": "instansi", "opd": "instansi",
         "nama opd": "instansi", "perangkat daerah": "instansi", "pemda": "pemda",
         "pemerintah daerah": "pemda", "periode": "periode", "tahun": "tahun"}
_TAHAP1 = {"mandat": "mandat", "dasar hukum": "mandat", "permasalahan": "permasalahan",
           "ekspektasi": "ekspektasi"}
_WAIVER = {"kode": "kode", "kode aturan": "kode", "aturan": "kode", "rule": "kode", "node": "node",
           "id node": "node", "alasan": "alasan", "reason": "alasan", "penyetuju": "penyetuju",
           "disetujui oleh": "penyetuju", "approver": "penyetuju", "tanggal": "tanggal", "date": "tanggal",
           "kedaluwarsa": "kedaluwarsa", "berlaku sampai": "kedaluwarsa", "expiry": "kedaluwarsa",
           "expires": "kedaluwarsa"}


def sheet_role(name: str) -> str | None:
    """'info', 'pengecualian', 'summary' or None (a sheet that may hold a table)."""
    n = norm(name)
    return next((role for role, names in _ROLES.items() if n in names), None)


def _key(text: str) -> str:
    n = norm(text)
    return n[len("tahap1 "):] if n.startswith("tahap1 ") else n


def read_info(grid: Grid) -> tuple[dict[str, Any], Spans]:
    """Metadata and ``tahap1`` from the key/value rows of an Info sheet."""
    data: dict[str, Any] = {}
    tahap1: dict[str, list[str]] = {}
    spans: Spans = {}
    for r in range(len(grid.rows)):
        key, value = _key(grid.text(r, 0)), grid.text(r, 1)
        if not value:
            continue
        if key in _META and _META[key] not in data:
            data[_META[key]] = value
            spans[(_META[key],)] = grid.span(r, 1)
        elif key in _TAHAP1:
            items = tahap1.setdefault(_TAHAP1[key], [])
            spans[("tahap1", _TAHAP1[key], len(items))] = grid.span(r, 1)
            spans.setdefault(("tahap1", _TAHAP1[key]), grid.span(r, 1))
            spans.setdefault(("tahap1",), grid.span(r, 1))
            items.append(value)
    if tahap1:
        data["tahap1"] = tahap1
    return data, spans


def read_waivers(grid: Grid) -> tuple[list[dict[str, Any]], Spans]:
    """One waiver per row under the first row that names a waiver column."""
    header = next((r for r in range(len(grid.rows))
                   if "alasan" in {_WAIVER.get(norm(grid.text(r, c))) for c in range(len(grid.rows[r]))}), None)
    if header is None:
        return [], {}
    columns = {c: _WAIVER[n] for c in range(len(grid.rows[header])) if (n := norm(grid.text(header, c))) in _WAIVER}
    waivers: list[dict[str, Any]] = []
    spans: Spans = {}
    for r in range(header + 1, len(grid.rows)):
        item: dict[str, Any] = {}
        path = ("pengecualian", len(waivers))
        for c, fld in columns.items():
            text = grid.text(r, c)
            if text and fld not in item:
                item[fld] = text
                spans[path + (fld,)] = grid.span(r, c)
                spans.setdefault(path, grid.span(r, c))
        if item:
            waivers.append(item)
    return waivers, spans
