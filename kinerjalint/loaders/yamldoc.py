"""YAML loader: the C composer's node graph gives every value its marks.

The node graph is walked once into plain data plus a path -> Span map (no re-reading of
text). Aliases are expanded with a budget (a "billion laughs" file becomes a finding,
not an out-of-memory). Comments are not part of the graph; inline suppressions are
read from the text by :mod:`kinerjalint.suppress`.
"""

from __future__ import annotations

import gc
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from kinerjalint.loaders.base import MAX_DEPTH, DictLocator, LoadResult, Problem, finish
from kinerjalint.span import Span, from_zero_based
from kinerjalint.tree import Path

MAX_VALUES = 5_000_000  # alias expansion budget: values produced from one file

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"


class _Budget(Exception):
    pass


class _Resolver(VersionedResolver):
    """ruamel's resolver, remembering the tag of each plain scalar of the document it reads.

    For every plain scalar the stock resolver looks the YAML version up twice, through
    attribute errors; that was a third of the time to load a tree. Within one document the
    version cannot change, and a plain scalar's tag depends on its text alone.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit[0] and not self.yaml_path_resolvers:
            memo: dict[str, Any] = self.__dict__.setdefault("_tags", {})
            tag = memo.get(value)
            if tag is None:
                tag = memo[value] = super().resolve(kind, value, implicit)
            return tag
        return super().resolve(kind, value, implicit)


def _yaml() -> YAML:
    y = YAML(typ="safe", pure=False)  # CParser when ruamel.yaml.clib is installed
    y.Resolver = _Resolver  # one YAML (and so one resolver) per document read
    return y


def parser_kind() -> str:
    return _yaml().Parser.__name__


def _span(node: Node) -> Span:
    s, e = node.start_mark, node.end_mark
    if isinstance(node, ScalarNode) and node.style in ('"', "'") and s.line == e.line:
        # Point at the text, not at its quotes.
        return from_zero_based(s.line, s.column + 1, e.line, max(s.column + 1, e.column - 1))
    return from_zero_based(s.line, s.column, e.line, e.column)


class _Walker:
    def __init__(self, yaml: YAML) -> None:
        self.spans: dict[Path, Span] = {}
        self.key_spans: dict[Path, Span] = {}
        self.problems: list[Problem] = []
        self.count = 0
        self.constructor = yaml.constructor

    def scalar(self, node: ScalarNode) -> Any:
        tag = str(node.tag)
        v = node.value
        if tag == _STR:
            return v
        try:
            if tag == _INT and v.lstrip("+-").isdigit():
                return int(v)
            if tag == _NULL:
                return None
            if tag == _BOOL:
                return v.lower() in {"true", "yes", "on", "y"}
            if tag == _FLOAT:
                return float(v.replace("_", ""))
            return self.constructor.construct_object(node, deep=True)
        except (ValueError, YAMLError):
            return v

    def walk(self, node: Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_VALUES or len(path) > MAX_DEPTH:
            raise _Budget
        self.spans[path] = _span(node)
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
                self.key_spans[path + (key,)] = _span(knode)
                out[key] = self.walk(vnode, path + (key,))
            return out
        return None


_BRACKETS = re.compile(r"[\[\]{}]")


def _flow_too_deep(text: str) -> int | None:
    """Offset where flow collections ("[[[...") nest deeper than MAX_DEPTH, else None.

    libyaml's parser recurses on flow nesting and crashes the process on very deep input,
    so this is checked before parsing. Block nesting needs a new indentation per level and
    cannot reach such depths. Brackets inside quoted text are counted too, which can only
    make the check stricter; real trees have a handful of brackets.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    for m in _BRACKETS.finditer(text):
        depth += 1 if m.group(0) in "[{" else -1
        if depth > MAX_DEPTH:
            return m.start()
        depth = max(depth, 0)
    return None


def load_yaml(text: str, source: str) -> LoadResult:
    result = LoadResult(source=source, text=text, fmt="yaml")
    deep = _flow_too_deep(text)
    if deep is not None:
        line = text.count("\n", 0, deep)
        col = deep - (text.rfind("\n", 0, deep) + 1)
        result.problems.append(Problem("SYS-01", from_zero_based(line, col, line, col + 1), {
            "detail": f"koleksi bersarang lebih dari {MAX_DEPTH} tingkat",
            "detail_en": f"collections nested more than {MAX_DEPTH} levels deep"}))
        return result
    yaml = _yaml()
    enabled = gc.isenabled()
    gc.disable()  # the cyclic collector is ~40 % of a large load and finds nothing here
    try:
        try:
            root = yaml.compose(text)
        except MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line0, col0 = (mark.line, mark.column) if mark is not None else (0, 0)
            detail = " ".join(str(p) for p in (exc.context, exc.problem) if p)
            result.problems.append(Problem("SYS-01", from_zero_based(line0, col0, line0, col0 + 1), {
                "detail": f"sintaks YAML tidak sah: {detail}", "detail_en": f"invalid YAML syntax: {detail}"}))
            return result
        except YAMLError as exc:
            result.problems.append(Problem("SYS-01", Span(1, 1, 1, 2), {
                "detail": f"YAML tidak dapat dibaca: {exc}", "detail_en": f"unreadable YAML: {exc}"}))
            return result
        if root is None:
            result.problems.append(Problem("SYS-01", Span(1, 1, 1, 1), {
                "detail": "berkas kosong", "detail_en": "the file is empty"}))
            return result
        walker = _Walker(yaml)
        try:
            data = walker.walk(root, ())
        except _Budget:
            result.problems.append(Problem("SYS-01", _span(root), {
                "detail": f"berkas menghasilkan lebih dari {MAX_VALUES} nilai atau bersarang lebih dari {MAX_DEPTH} "
                          "tingkat (alias YAML berlapis?)",
                "detail_en": f"the file expands to more than {MAX_VALUES} values or nests more than {MAX_DEPTH} "
                             "levels (nested YAML aliases?)"}))
            return result
        result.problems.extend(walker.problems)
        return finish(result, data, DictLocator(walker.spans))
    finally:
        if enabled:
            gc.enable()
