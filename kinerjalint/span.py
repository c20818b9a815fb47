"""Source locations.

Every value of an imported tree keeps the place it came from. Positions are 1-based
wherever a person sees them; the 0-based positions of parsers are converted here, in
:func:`from_zero_based`, and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Where a value sits: line/column for text files, ``ref`` (``Sheet!C12``) for workbooks."""

    line: int
    column: int
    end_line: int
    end_column: int
    ref: str | None = None

    def label(self) -> str:
        return self.ref if self.ref else f"{self.line}:{self.column}"


def from_zero_based(line0: int, col0: int, end_line0: int, end_col0: int) -> Span:
    """Convert a parser's 0-based (line, column) pair to the 1-based Span people read."""
    return Span(line0 + 1, col0 + 1, end_line0 + 1, end_col0 + 1)


def caret_excerpt(text: str, line: int, column: int, end_column: int | None = None) -> str:
    """The source line with a caret under the column (lark's get_context, for any text)."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    src = lines[line - 1].expandtabs(1)
    width = 1
    if end_column is not None and end_column > column:
        width = min(end_column - column, max(1, len(src) - column + 1))
    return f"  {src}\n  {' ' * (column - 1)}{'^' * width}"
