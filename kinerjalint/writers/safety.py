"""Formula injection: user text never becomes a formula in a spreadsheet program.

Text that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is a
formula to Excel and LibreOffice (OWASP "CSV injection"). Each export keeps such text
as text, in the way its format allows:

* XLSX: the cell is a string cell with Excel's ``quotePrefix`` style, which is exactly
  what Excel stores when a person types an apostrophe before the text: shown as text,
  edited as text, and the value itself is unchanged (a round trip keeps it).
* TSV/CSV: a format without types, so an apostrophe is put before the text; the table
  importer takes it off again (:func:`kinerjalint.loaders.delimited.unquote_formula`).
  Text that already starts with apostrophes before such a character gets one more, so
  that reading it back gives the text as written.
"""

from __future__ import annotations

from typing import Any

from kinerjalint.loaders.delimited import FORMULA_START

__all__ = ["guard_text", "looks_like_formula", "set_cell"]


def looks_like_formula(text: str) -> bool:
    """Would a spreadsheet program read this text (after any apostrophes) as a formula?"""
    return text.lstrip("'")[:1] in FORMULA_START


def guard_text(text: str) -> str:
    """The text as a TSV/CSV field: an apostrophe before formula-like text."""
    return "'" + text if text and looks_like_formula(text) else text


def set_cell(cell: Any, value: Any) -> None:
    """Put a value in an openpyxl cell; text is always a string cell, never a formula."""
    if not isinstance(value, str):
        cell.value = value
        return
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)  # control characters XLSX cannot hold
    cell.value = text
    cell.data_type = "s"  # openpyxl makes '=...' a formula; this keeps it a string
    if text and looks_like_formula(text):
        cell.quotePrefix = True
