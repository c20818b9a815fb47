"""TSV and CSV: the tree as one table (:mod:`.rows`), the way the table importer reads it.

A single table holds the tree and its indicators only; metadata, Tahap 1, the Tahap
3/4/5 tables and waivers need YAML, JSON or XLSX (the converter says so when it leaves
them out). CSV is written the way Excel opens it without asking: comma-separated, UTF-8
with a byte order mark, CRLF line ends. TSV is UTF-8 without a mark. Text that a
spreadsheet program would take for a formula gets an apostrophe before it
(:mod:`.safety`); numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any

from kinerjalint.tree import Tree
from kinerjalint.writers.rows import Table, tree_table
from kinerjalint.writers.safety import guard_text

__all__ = ["number_text", "render_table", "render_tree"]


_LOOKS_GROUPED = re.compile(r"-?[1-9]\d{0,2}(?:\.\d{3})+")


def number_text(value: float) -> str:
    """A number the importer reads back exactly: positional, never '1e-05'; and a
    trailing zero where it would read as Indonesian thousands ('1.234' -> '1.2340')."""
    text = format(Decimal(repr(float(value))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + "0" if _LOOKS_GROUPED.fullmatch(text) else text


def _field(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else ""
    if isinstance(value, (int, float)):
        return number_text(value)
    return guard_text(str(value))


def render_table(table: Table, fmt: str) -> bytes:
    """'tsv' or 'csv' bytes of one table."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\r\n" if fmt == "csv" else "\n")
    writer.writerow([c.name for c in table.columns])
    for row in table.rows:
        writer.writerow([_field(row.get(c.key)) for c in table.columns])
    text = buf.getvalue()
    return ("\ufeff" + text).encode("utf-8") if fmt == "csv" else text.encode("utf-8")


def render_tree(tree: Tree, fmt: str) -> bytes:
    return render_table(tree_table(tree), fmt)
