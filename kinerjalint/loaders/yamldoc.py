"""YAML loader: the C composer's node graph gives every value its marks.

The node graph is walked once into plain data plus a path -> Span map (no re-reading of
text). Aliases are expanded with a budget (a "billion laughs" file becomes a finding,
not an out-of-memory). Comments are not part of the graph; inline suppressions are
read from the text by :mod:`kinerjalint.suppress`.
"""

from __future__ import annotations

import gc
import math
import re
import sys
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from kinerjalint.loaders import base
from kinerjalint.loaders.base import BadNumber, LoadResult, Problem, finish
from kinerjalint.messages import yaml_text
from kinerjalint.span import Span, from_zero_based
from kinerjalint.tree import Path

MAX_VALUES = 5_000_000  # alias expansion budget: values produced from one file
# Values produced by aliases beyond the nodes written: a budget of its own, as walking five
# million values of an alias bomb took 15 s before the first budget stopped it.
MAX_ALIAS_VALUES = 200_000

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"


class _Budget(Exception):
    """Past the alias-expansion budget (``values``) or the nesting limit (``depth``)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class _Resolver(VersionedResolver):
    """ruamel's resolver, remembering the tag of each plain scalar of the document it reads.

    For every plain scalar the stock resolver looks the YAML version up twice, through
    attribute errors; that was a third of the time to load a tree. Within one document the
    version cannot change, and a plain scalar's tag depends on its text alone: the version's
    resolvers are looked up once, and each distinct text's tag once.
    """

    @property
    def versioned_resolver(self) -> Any:
        # The stock property finds the version again at every call; it is fixed once the
        # document's first scalar is read (a %YAML directive comes before any content).
        found = self.__dict__.get("_versioned")
        if found is None:
            found = self.__dict__["_versioned"] = VersionedResolver.versioned_resolver.fget(self)  # type: ignore[attr-defined]
        return found

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit[0] and not self.yaml_path_resolvers:
            memo: dict[str, Any] = self.__dict__.setdefault("_tags", {})
            tag = memo.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if str(tag) == _STR:  # one shared tag object for text: the walker tests identity
                    tag = self.DEFAULT_SCALAR_TAG
                memo[value] = tag
            return tag
        return super().resolve(kind, value, implicit)


_TEXT_TAG = VersionedResolver.DEFAULT_SCALAR_TAG


def _yaml() -> YAML:
    y = YAML(typ="safe", pure=False)  # CParser when ruamel.yaml.clib is installed
    y.Resolver = _Resolver  # one YAML (and so one resolver) per document read
    return y


def parser_kind() -> str:
    return _yaml().Parser.__name__


def _span(node: Node) -> Span:
    return _marks_span(_marks(node))


# A value's marks packed into one int: start line and column, end line and column (32 bits
# each), and whether it is a quoted scalar. The composer's two Mark objects per value and a
# tuple to hold them were most of a large YAML tree's memory after loading (a 100k-node file
# kept about 2M of each); an int of 129 bits is about a fifth of that.
Marks = int


def _marks(node: Node) -> Marks:
    s, e = node.start_mark, node.end_mark
    quoted = isinstance(node, ScalarNode) and node.style in ('"', "'")
    return ((((s.line << 32 | s.column) << 32 | e.line) << 32 | e.column) << 1) | quoted


_M32 = (1 << 32) - 1


def _marks_span(marks: Marks) -> Span:
    quoted = marks & 1
    ec, el, sc, sl = marks >> 1 & _M32, marks >> 33 & _M32, marks >> 65 & _M32, marks >> 97
    if quoted and sl == el:
        # Point at the text, not at its quotes.
        return from_zero_based(sl, sc + 1, el, max(sc + 1, ec - 1))
    return from_zero_based(sl, sc, el, ec)


class _Walker:
    """Plain data from the node graph, remembering each value's marks (``keys``: each key's
    too, for a configuration file's lines): spans are made only when asked for (a finding's
    location), not for every value."""

    def __init__(self, yaml: YAML, keys: bool = False) -> None:
        self.marks: dict[Path, Marks] = {}
        self.key_marks: dict[Path, Marks] | None = {} if keys else None
        self.problems: list[Problem] = []
        self.count = 0
        self.constructor = yaml.constructor

    @property
    def spans(self) -> dict[Path, Span]:
        return {p: _marks_span(m) for p, m in self.marks.items()}

    @property
    def key_spans(self) -> dict[Path, Span]:
        return {p: _marks_span(m) for p, m in (self.key_marks or {}).items()}

    def scalar(self, node: ScalarNode) -> Any:
        v = node.value
        if node.ctag is _TEXT_TAG:  # most scalars: no tag string to make
            return v
        tag = str(node.tag)
        if tag == _STR:
            return v
        try:
            if tag == _INT and v.lstrip("+-").isdigit():
                # more digits than int() converts: a SYS-02 at this value, as in JSON
                return int(v) if len(v) <= (sys.get_int_max_str_digits() or 4300) else BadNumber(v, "digits")
            if tag == _NULL:
                return None
            if tag == _BOOL:
                return v.lower() in {"true", "yes", "on", "y"}
            if tag == _FLOAT:
                f = float(v.replace("_", ""))
                return f if math.isfinite(f) else BadNumber(v, "range" if f == f else "constant")
            return self.constructor.construct_object(node, deep=True)
        except (ValueError, YAMLError):
            return v

    def walk(self, node: Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _Budget("values")
        if len(path) > base.MAX_DEPTH:
            raise _Budget("depth")
        self.marks[path] = _marks(node)
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if isinstance(node, SequenceNode):
            return [self.walk(item, path + (i,)) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            out: dict[Any, Any] = {}
            for knode, vnode in node.value:
                key = self.scalar(knode) if isinstance(knode, ScalarNode) else str(knode.value)
                if isinstance(key, str) and key == "<<":
                    continue  # merge keys are not part of the format
                if key in out:
                    self.problems.append(Problem("SYS-01", _span(knode), {
                        "detail": f"kunci '{key}' ditulis dua kali", "detail_en": f"key '{key}' appears twice"}))
                    continue
                here = path + (key,)
                if self.key_marks is not None:
                    self.key_marks[here] = _marks(knode)
                out[key] = self.walk(vnode, here)
            return out
        return None


def _expansion(root: Node) -> tuple[int, int]:
    """(values the node graph expands to, distinct nodes written), counted once per node
    without expanding anything (iterative post-order; aliases share their node)."""
    size: dict[int, int] = {}
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            continue
        if key in size:
            if size[key] < 0:  # reached again while its own children are open: a recursive alias
                raise _Budget("depth")
            continue
        size[key] = -1
        stack.append((node, True))
        stack.extend((k, False) for k in _children(node) if size.get(id(k), 0) <= 0)
    return size[id(root)], len(size)


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [v for _, v in node.value]
    return []


class MarksLocator:
    """Spans of a YAML document's values, made from their marks on first request."""

    def __init__(self, marks: dict[Path, Marks]) -> None:
        self.marks = marks
        self._spans: dict[Path, Span] = {}

    def span(self, path: Path) -> Span | None:
        s = self._spans.get(path)
        if s is None:
            m = self.marks.get(path)
            if m is None:
                return None
            s = self._spans[path] = _marks_span(m)
        return s


_BRACKETS = re.compile(r"[\[\]{}]")
# Block collections can nest on one line ("- - - - x", "? ? x"), two characters a level: a
# run of this many indicators (each perhaps with an anchor or tag) makes the line suspect.
_INDICATOR = r"[-?][ \t]+(?:[&!][^ \t\n]*[ \t]+)*"
_INDICATOR_PAIR = re.compile(_INDICATOR + r"[-?][ \t]")  # a cheap first look (5x faster)
_INDICATOR_RUN = re.compile(f"(?:{_INDICATOR}){{32}}")
# Past this size, nesting by indentation alone could reach the composer's limit, but only if
# some line is indented that deep: a block collection nests inside another only at a larger
# indentation (or, a sequence in a mapping, at the same), so a text whose lines are all
# indented less than _DEEP_INDENT spaces nests at most about twice that by indentation, far
# below the composer's crash (~25,000 levels); runs of indicators on one line are counted by
# _INDICATOR_RUN. Deeper than base.MAX_DEPTH but within that, the walk stops it (_Budget).
# The event pass took 6.7 s of a 53 MB file's 14 s load, which every file past the size paid.
_LARGE_TEXT = 50_000_000
_DEEP_INDENT = "\n" + " " * 2_000


def _flow_too_deep(text: str) -> int | None:
    """Offset where flow collections ("[[[...") nest deeper than the nesting limit, else None.

    Brackets inside quoted text are counted too, which can only make the check stricter;
    real trees have a handful of brackets.
    """
    limit = base.MAX_DEPTH
    if text.count("[") + text.count("{") <= limit:
        return None
    depth = 0
    for m in _BRACKETS.finditer(text):
        depth += 1 if m.group(0) in "[{" else -1
        if depth > limit:
            return m.start()
        depth = max(depth, 0)
    return None


def _events_too_deep(text: str, limit: int) -> tuple[int, int] | None:
    """Where sequences and mappings first nest deeper than ``limit`` (zero-based line,
    column), from the parser's event stream; None if they never do.

    libyaml's parser is iterative: unlike composing, reading events cannot overflow a
    stack. A syntax error ends the count; the composer then reports it.
    """
    from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent

    depth = 0
    try:
        for ev in YAML(typ="safe", pure=False).parse(text):
            if isinstance(ev, CollectionStartEvent):
                depth += 1
                if depth > limit:
                    return ev.start_mark.line, ev.start_mark.column
            elif isinstance(ev, CollectionEndEvent):
                depth -= 1
    except YAMLError:
        pass
    return None


def _too_deep(text: str) -> tuple[int, int] | None:
    """Where collections nest deeper than the nesting limit (``base.MAX_DEPTH``; zero-based
    line, column), else None.

    The C composer recurses once per level and crashes the whole process (a segmentation
    fault, measured from about 25,000 levels) rather than raising, so this is known before
    composing. Flow nesting is counted from the brackets; block nesting only when a line
    holds a long run of indicators or the text is huge and indented deep, as nesting by indentation alone
    needs a new, longer indentation per level.
    """
    deep = _flow_too_deep(text)
    if deep is not None:
        line = text.count("\n", 0, deep)
        return line, deep - (text.rfind("\n", 0, deep) + 1)
    if (len(text) > _LARGE_TEXT and _DEEP_INDENT in text) or (_INDICATOR_PAIR.search(text) and _INDICATOR_RUN.search(text)):
        return _events_too_deep(text, base.MAX_DEPTH)
    return None


def load_yaml(text: str, source: str) -> LoadResult:
    result = LoadResult(source=source, text=text, fmt="yaml")
    deep = _too_deep(text)
    if deep is not None:
        line, col = deep
        result.problems.append(Problem("SYS-01", from_zero_based(line, col, line, col + 1), {
            "detail": f"koleksi bersarang lebih dari {base.MAX_DEPTH} tingkat",
            "detail_en": f"collections nested more than {base.MAX_DEPTH} levels deep"}))
        return result
    yaml = _yaml()
    enabled = gc.isenabled()
    gc.disable()  # the cyclic collector is ~40 % of a large load and finds nothing here
    try:
        try:
            root = yaml.compose(text)
        except MarkedYAMLError as exc:
            # In plain words; an unclosed quote or bracket is shown where it opens (the context
            # mark), not at the end of the file where ruamel gave up (the problem mark).
            pm = exc.problem_mark
            char = text[pm.index] if pm is not None and 0 <= pm.index < len(text) else ""
            detail, detail_en, at_context = yaml_text(exc.context, exc.problem, char)
            mark = (exc.context_mark if at_context else None) or exc.problem_mark or exc.context_mark
            line0, col0 = (mark.line, mark.column) if mark is not None else (0, 0)
            result.problems.append(Problem("SYS-01", from_zero_based(line0, col0, line0, col0 + 1), {
                "detail": f"sintaks YAML tidak sah: {detail}", "detail_en": f"invalid YAML syntax: {detail_en}"}))
            return result
        except YAMLError as exc:
            result.problems.append(Problem("SYS-01", Span(1, 1, 1, 2), {
                "detail": "YAML tidak dapat dibaca (bentuk yang tidak didukung)",
                "detail_en": f"unreadable YAML: {exc}"}))
            return result
        if root is None:
            result.problems.append(Problem("SYS-01", Span(1, 1, 1, 1), {
                "detail": "berkas kosong", "detail_en": "the file is empty"}))
            return result
        walker = _Walker(yaml)
        try:
            if "&" in text and "*" in text:  # an anchor and an alias may be there (1.7 s per 300k values)
                expanded, written = _expansion(root)
                if expanded > MAX_VALUES or expanded - written > min(MAX_ALIAS_VALUES, MAX_VALUES):
                    raise _Budget("values")
            data = walker.walk(root, ())
        except _Budget as exc:
            if exc.kind == "values":
                by_alias = min(MAX_ALIAS_VALUES, MAX_VALUES)
                detail = (f"berkas menghasilkan lebih dari {MAX_VALUES} nilai, atau lebih dari {by_alias} "
                          "lewat alias (alias YAML berlapis?)")
                detail_en = (f"the file expands to more than {MAX_VALUES} values, or more than {by_alias} "
                             "through aliases (nested YAML aliases?)")
            else:
                detail = f"koleksi bersarang lebih dari {base.MAX_DEPTH} tingkat (langsung atau lewat alias YAML)"
                detail_en = (f"collections nested more than {base.MAX_DEPTH} levels deep "
                             "(directly or through YAML aliases)")
            result.problems.append(Problem("SYS-01", _span(root), {"detail": detail, "detail_en": detail_en}))
            return result
        result.problems.extend(walker.problems)
        return finish(result, data, MarksLocator(walker.marks))
    finally:
        if enabled:
            gc.enable()
