"""JSON loader: the standard library parses (fast); positions are found lazily.

``json`` gives no positions, and a 60 MB tree has millions of tokens, so spans are not
computed up front. :class:`JsonLocator` finds the span of a path only when a finding
asks for it, by stepping through containers with the C scanner of the ``json`` module
and remembering each container's entry offsets, so repeated look-ups stay cheap. A
container is stepped over by its closing bracket, found in one pass over the text the
first time a span is asked for (a container's value is never decoded again for that).
"""

from __future__ import annotations

import bisect
import json
from array import array
from itertools import accumulate
import math
import re
import sys
from sys import intern as _intern
from typing import Any

from kinerjalint.loaders.base import BadNumber, LoadResult, Problem, finish
from kinerjalint.messages import json_text
from kinerjalint.span import Span
from kinerjalint.tree import Path

_WS = re.compile(r"[ \t\n\r]*")
_COLON = re.compile(r"[ \t\n\r]*:[ \t\n\r]*")  # between a key and its value
_AFTER = re.compile(r"[ \t\n\r]*(?:,[ \t\n\r]*)?")  # after a value: to the next entry or the bracket
# Everything up to the next bracket outside a string, then that bracket: one match per
# bracket, the strings and scalars between them stepped over inside the regex engine.
_BRACKET = re.compile(r'(?:[^\[\]{}"]+|"[^"\\]*(?:\\.[^"\\]*)*")*+([\[\]{}])')
_MAX_DIGITS = 4300
# An entry's end offset in its packed int (texts under 4 GB: decoding one would need far more memory).
_LOW32 = (1 << 32) - 1


def _int(literal: str) -> int | BadNumber:
    """An integer as Python reads it, unless it has more digits than ``int()`` converts
    (``sys.get_int_max_str_digits()``, 4300 by default): then a SYS-02 at that value."""
    limit = sys.get_int_max_str_digits() or _MAX_DIGITS
    if len(literal) > limit:
        return BadNumber(literal, "digits")
    return int(literal)


def _float(literal: str) -> float | BadNumber:
    """A finite float; ``1e999999`` or a 400-digit mantissa would read as infinity."""
    value = float(literal)
    return value if math.isfinite(value) else BadNumber(literal, "range")


def _constant(literal: str) -> BadNumber:
    """``NaN``, ``Infinity`` and ``-Infinity``: Python's json reads them, JSON has no such numbers."""
    return BadNumber(literal, "constant")


# One decoder reads the document and steps through it for spans, so a number it keeps as a
# BadNumber never raises while a span is looked up.
_decoder = json.JSONDecoder(parse_int=_int, parse_float=_float, parse_constant=_constant)
_scan = _decoder.scan_once  # type: ignore[attr-defined]
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]


class JsonLocator:
    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: array[int] | None = None
        # container start offset -> ({key or index: value start << 32 | value end}, where reading
        # stopped (-1: at the end), entries counted so far)
        self._entries: dict[int, tuple[dict[str | int, int], int, int]] = {}
        self._root = self._skip_ws(0)
        # Each container's opening offset (ascending) and its closing bracket's, made on first use.
        self._opens: array[int] | None = None
        self._closes: array[int] = array("q")

    def _brackets(self) -> array[int]:
        opens, closes = array("q"), array("q")
        stack: list[int] = []
        for m in _BRACKET.finditer(self.text):
            if m.group(1) in "[{":
                stack.append(len(opens))
                opens.append(m.start(1))
                closes.append(-1)
            elif stack:
                closes[stack.pop()] = m.start(1)
        self._closes = closes
        return opens

    def _end(self, pos: int) -> int:
        """Where the value starting at ``pos`` ends: a container by its closing bracket."""
        s = self.text
        if s[pos] in "[{":
            opens = self._opens
            if opens is None:
                opens = self._opens = self._brackets()
            i = bisect.bisect_left(opens, pos)
            if i < len(opens) and opens[i] == pos and self._closes[i] >= 0:
                return self._closes[i] + 1
        return int(_scan(s, pos)[1])

    def _skip_ws(self, i: int) -> int:
        m = _WS.match(self.text, i)
        return m.end() if m else i

    def _entry(self, start: int, part: str | int) -> int | None:
        """Offsets of one entry of the container at ``start`` (packed: ``start << 32 | end``),
        scanning only as far as needed.

        Entries are read in order and remembered with the place where reading stopped, so
        a key near the start of a node ("kinerja") never costs a scan of its children. A
        packed int and an interned key are about a third of a tuple of two ints and a new
        string per entry (a large tree's findings visit a million entries)."""
        state = self._entries.get(start)
        if state is None:
            state = self._entries[start] = ({}, self._skip_ws(start + 1), 0)
        found, pos, count = state
        hit = found.get(part)
        if hit is not None or pos < 0:
            return hit
        s = self.text
        is_object = s[start] == "{"
        colon, after = _COLON.match, _AFTER.match
        while pos < len(s) and s[pos] not in "]}":
            if is_object:
                if s[pos] != '"':
                    break
                key, pos = _scanstring(s, pos + 1)
                key = _intern(key)
                m = colon(s, pos)
                if m is None:
                    break
                pos = m.end()
                end = self._end(pos)
                found.setdefault(key, pos << 32 | end)
                name: str | int = key
            else:
                end = self._end(pos)
                found[count] = pos << 32 | end
                name = count
                count += 1
            pos = after(s, end).end()  # type: ignore[union-attr]  # always matches: blanks and the comma after the value
            if name == part:
                self._entries[start] = (found, pos, count)
                return found[part]
        self._entries[start] = (found, -1, count)  # read to the end
        return found.get(part)

    def _offsets(self, path: Path) -> tuple[int, int] | None:
        start = self._root
        try:
            _, end = _scan(self.text, start) if not path else (None, -1)
        except (StopIteration, ValueError):
            return None
        entries = self._entries
        for part in path:
            state = entries.get(start)  # a container read before: its entry is usually known
            entry = state[0].get(part) if state is not None else None
            if entry is None:
                if start >= len(self.text) or self.text[start] not in "{[":
                    return None
                entry = self._entry(start, part)
                if entry is None:
                    return None
            start, end = entry >> 32, entry & _LOW32
        return start, end

    def _pos(self, offset: int) -> tuple[int, int]:
        if self._lines is None:
            # an array: a list of ints was 36 bytes a line (300k lines in a 6 MB tree)
            self._lines = array("q", [0, *accumulate(map((1).__add__, map(len, self.text.split("\n"))))])
        line = bisect.bisect_right(self._lines, offset) - 1
        return line + 1, offset - self._lines[line] + 1

    def span(self, path: Path) -> Span | None:
        try:
            offs = self._offsets(path)
        except (StopIteration, ValueError):
            return None
        if offs is None:
            return None
        (l1, c1), (l2, c2) = self._pos(offs[0]), self._pos(offs[1])
        return Span(l1, c1, l2, c2)


def load_json(text: str, source: str) -> LoadResult:
    result = LoadResult(source=source, text=text, fmt="json")
    try:
        data: Any = _decoder.decode(text)
    except json.JSONDecodeError as exc:
        result.problems.append(Problem("SYS-01", Span(exc.lineno, exc.colno, exc.lineno, exc.colno + 1), {
            "detail": f"JSON tidak sah: {json_text(exc.msg)[0]}", "detail_en": f"invalid JSON: {json_text(exc.msg)[1]}"}))
        return result
    except RecursionError:
        result.problems.append(Problem("SYS-01", Span(1, 1, 1, 1), {
            "detail": "JSON bersarang terlalu dalam", "detail_en": "JSON nested too deeply"}))
        return result
    return finish(result, data, JsonLocator(text))
