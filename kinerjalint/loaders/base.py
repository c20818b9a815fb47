"""What every loader returns, and the shared step from plain data to a validated tree.

A loader reads bytes into plain Python data plus a :class:`Locator` (document path ->
Span). :func:`validate` then checks the data against the pydantic models; each schema
violation becomes a SYS-02 :class:`Problem` at the offending value, and the items that
carry it are set aside so that the rest of the tree is still checked.
"""

from __future__ import annotations

import difflib
import marshal
import pickle
import reprlib
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from kinerjalint.government import PemdaTree, build_pemda
from kinerjalint.messages import pydantic_text
from kinerjalint.model import DocumentModel, NodeShellModel, PemdaDocumentModel
from kinerjalint.span import Span
from kinerjalint.tree import Path, Tree, build_tree


@dataclass(frozen=True)
class BadNumber:
    """A number as written that a loader does not turn into a value: more digits than Python
    converts (a 100,000-digit integer; ``int()`` refuses past 4300), a float out of range
    (``1e999999``), or JSON's non-standard ``NaN``/``Infinity``. It stays in the data where it
    was read, so validation reports it as SYS-02 at that very place."""

    literal: str
    reason: str  # "digits", "range" or "constant"

    def __str__(self) -> str:
        return shorten(self.literal, 24)

    def describe(self) -> tuple[str, str]:
        shown = str(self)
        if self.reason == "digits":
            n = len(self.literal.lstrip("+-"))
            return (f"angka '{shown}' terlalu panjang ({n} digit)", f"the number '{shown}' is too long ({n} digits)")
        if self.reason == "range":
            return (f"angka '{shown}' di luar jangkauan", f"the number '{shown}' is out of range")
        return (f"'{shown}' bukan angka yang sah", f"'{shown}' is not a valid number")


def shorten(text: str, limit: int = 80) -> str:
    """A value quoted in a message, cut in the middle when long (a message never carries a
    megabyte of input)."""
    if len(text) <= limit:
        return text
    head = (limit - 1) * 2 // 3
    return f"{text[:head]}…{text[len(text) - (limit - 1 - head):]}"


class Locator(Protocol):
    def span(self, path: Path) -> Span | None:
        """The span of the value at ``path``, or None when it has no place in the file."""


class DictLocator:
    """Spans collected while reading (YAML, tables: a :class:`~kinerjalint.loaders.tables.TableSpans`)."""

    def __init__(self, spans: Mapping[Path, Span] | None = None) -> None:
        self.spans: Mapping[Path, Span] = spans if spans is not None else {}

    def span(self, path: Path) -> Span | None:
        return self.spans.get(path)


def nearest_span(locator: Locator, path: Path) -> Span | None:
    """The span of ``path`` or of its nearest enclosing value."""
    p = path
    while True:
        s = locator.span(p)
        if s is not None or not p:
            return s
        p = p[:-1]


@dataclass(frozen=True)
class Problem:
    """An input problem found by a loader; the engine turns it into a SYS finding."""

    code: str
    span: Span | None
    args: dict[str, str] = field(default_factory=dict)
    path: Path = ()


@dataclass
class LoadResult:
    source: str
    text: str | None = None
    tree: Tree | None = None
    locator: Locator = field(default_factory=DictLocator)
    problems: list[Problem] = field(default_factory=list)
    fmt: str = ""
    # A Pemda tree (``jenis: pemda``) instead of an agency tree: ``tree`` is then None.
    pemda: PemdaTree | None = None


def _known_keys(loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed where ``loc`` points, for a "did you mean" hint."""
    from kinerjalint.model import (
        IndicatorModel,
        NodeModel,
        PemetaanModel,
        TableRowModel,
        Tahap1Model,
        WaiverModel,
    )

    last_named = [p for p in loc[:-1] if isinstance(p, str)]
    parent = last_named[-1] if last_named else ""
    table: dict[str, type[BaseModel]] = {
        "": DocumentModel, "pohon": NodeModel, "anak": NodeModel, "indikator": IndicatorModel,
        "pemetaan": PemetaanModel, "tahap1": Tahap1Model, "pengecualian": WaiverModel,
        "tahap3": TableRowModel, "tahap4": TableRowModel, "tahap5": TableRowModel,
    }
    model = table.get(parent)
    return list(model.model_fields) if model else []


def _clean_loc(loc: tuple[Any, ...]) -> Path:
    """Pydantic locs name union members and validators ('NodeModel', 'function-before[...]')."""
    out: list[str | int] = []
    for p in loc:
        if isinstance(p, int):
            out.append(p)
        elif isinstance(p, str) and not (p[:1].isupper() or "[" in p or p in {"list[NodeModel]", "float", "str"}):
            out.append(p)
    return tuple(out)


def _describe(err: dict[str, Any], path: Path) -> tuple[str, str]:
    kind = err.get("type", "")
    field_name = shorten(str(next((p for p in reversed(path) if isinstance(p, str)), "dokumen")), 40)
    value = err.get("input")
    if isinstance(value, BadNumber):
        return value.describe()
    value = shorten(value) if isinstance(value, str) else reprlib.repr(value)  # reprlib: bounded, any size
    if kind == "extra_forbidden":
        known = _known_keys(tuple(path))
        guess = difflib.get_close_matches(str(field_name), known, n=1, cutoff=0.6)
        hint_id = f"; mungkin maksudnya '{guess[0]}'" if guess else ""
        hint_en = f"; did you mean '{guess[0]}'" if guess else ""
        return (f"kunci '{field_name}' tidak dikenal{hint_id}", f"unknown key '{field_name}'{hint_en}")
    if kind in {"float_parsing", "float_type", "int_parsing", "int_type"}:
        return (
            f"nilai '{field_name}' harus angka, bukan '{value}'",
            f"'{field_name}' must be a number, not '{value}'",
        )
    plain_id, plain_en = pydantic_text(err, str(field_name))  # in plain words, never pydantic's English
    return shorten(plain_id, 240), shorten(plain_en, 240)


def _precise(errors: list[Any]) -> list[Any]:
    """The errors of a validation without those at a value that another error points inside:
    a target map with one bad year fails both as a number and at that year, and only the
    year says what is wrong."""
    paths = [_clean_loc(e["loc"]) for e in errors]
    inside = {p[:k] for p in paths for k in range(len(p))}
    return [e for e, p in zip(errors, paths) if p not in inside]


def _is_noise(err: dict[str, Any]) -> bool:
    """Errors of the *other* branch of a union (pohon: node | list of nodes) are noise."""
    loc = err.get("loc", ())
    return len(loc) >= 2 and loc[0] == "pohon" and (
        (loc[1] in ("list[NodeModel]", "list[PemdaNodeModel]") and not isinstance(err.get("input"), list)
         and len(loc) == 2)
        or (loc[1] in ("NodeModel", "PemdaNodeModel") and isinstance(err.get("input"), list))
    )


# Nesting of mappings and lists; a real tree of 5 levels nests about 20 deep. A module
# setting read at each load: the service's checker processes lower it to their limit.
MAX_DEPTH = 200


def _deeper_than(data: Any, limit: int) -> bool:
    """Is any container nested deeper than ``limit``? (iterative; scalars are never pushed)"""
    stack: list[tuple[Any, int]] = [(data, 0)]
    containers = (dict, list)
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        children = value.values() if type(value) is dict else value
        stack.extend((c, depth + 1) for c in children if type(c) in containers)
    return False


def _too_deep(data: Any, limit: int | None = None) -> Path | None:
    """The path of the first value nested deeper than ``limit`` (default: MAX_DEPTH; iteratively)."""
    limit = MAX_DEPTH if limit is None else limit
    if not isinstance(data, (dict, list)) or not _deeper_than(data, limit - 1):
        return None
    stack: list[tuple[Any, Path]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if len(path) > limit:
            return path
        if isinstance(value, dict):
            stack.extend((v, path + (k,)) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, path + (i,)) for i, v in enumerate(value))
    return None


def is_pemda_document(data: Any) -> bool:
    """Does the data say it is a Pemda tree (``jenis: pemda``)?"""
    return isinstance(data, dict) and isinstance(data.get("jenis"), str) and data["jenis"].strip().casefold() == "pemda"


def validate(data: Any, source: str, locator: Locator, max_rounds: int = 5, *,
             shallow: bool = False) -> tuple[Tree | None, list[Problem]]:
    """Validate plain data into a Tree; schema violations become SYS-02 problems (``shallow``:
    see :func:`finish`).

    The document is validated without its nodes first (metadata, tables, waivers), then each
    node on its own as the tree reaches it (:class:`~kinerjalint.model.NodeShellModel`): a
    node with an error in its own fields is set aside with its subtree, an indicator (or
    other list item) with an error is set aside alone, as :func:`_validate` does for a
    whole document."""
    early = _unfit(data, locator, shallow)
    if early is not None:
        return None, early
    pohon = data.get("pohon")
    if not isinstance(pohon, (dict, list)):  # missing or neither a node nor a list: reported, no tree
        return _validate(data, source, locator, DocumentModel, None, max_rounds, shallow=True)
    problems: list[Problem] = []
    index_maps: dict[Path, list[int]] = {}
    cuts: set[Path] = set()  # what was set aside, as paths of the data as written
    shell = _salvage({**data, "pohon": []}, locator, DocumentModel, max_rounds, problems, index_maps, cuts)
    if shell is None:
        return None, problems
    doc, _ = shell
    lost_root = [False]

    def check_node(raw: Any, path: Path) -> NodeShellModel | None:
        model = _node_model(raw, path, locator, max_rounds, problems, index_maps, cuts)
        if model is None and path == ("pohon",):
            lost_root[0] = True  # a single root with an error of its own: no tree, as before
        return model

    thawed = _frozen(data)

    def document() -> DocumentModel:
        written = thawed()
        return DocumentModel.model_validate(_copy_without(written, (), cuts, {}) if cuts else written)

    tree = build_tree(doc, source, pohon, check_node, index_maps, document)
    return (None if lost_root[0] else tree), problems


def _unfit(data: Any, locator: Locator, shallow: bool) -> list[Problem] | None:
    """The problem of data that cannot be a document at all (too deep, not a mapping)."""
    deep = None if shallow else _too_deep(data)
    if deep is not None:
        return [Problem("SYS-01", nearest_span(locator, deep[:MAX_DEPTH]), {
            "detail": f"isi bersarang lebih dari {MAX_DEPTH} tingkat", "detail_en": f"content nested more than {MAX_DEPTH} levels deep"})]
    if not isinstance(data, dict):
        return [Problem("SYS-02", nearest_span(locator, ()),
                        {"detail": "isi berkas harus berupa mapping dengan kunci 'pohon'",
                         "detail_en": "the file must hold a mapping with a 'pohon' key"})]
    return None


def _node_model(raw: Any, path: Path, locator: Locator, max_rounds: int, problems: list[Problem],
                index_maps: dict[Path, list[int]], cuts: set[Path]) -> NodeShellModel | None:
    """The model of one node as written at ``path`` (its children unvalidated), after setting
    aside its list items with errors; None when the node itself has an error. The errors in
    the subtree of a node set aside are still reported (nothing is dropped unsaid)."""
    for _ in range(max_rounds):
        try:
            return NodeShellModel.model_validate(raw)
        except ValidationError as exc:
            errors = _precise(exc.errors())
        inner: set[Path] = set()
        whole = False
        for here in _report(errors, path, locator, index_maps, problems):
            ints = [i for i, p in enumerate(here) if isinstance(p, int)]
            cut = here[: ints[-1] + 1] if ints else ()
            if len(cut) <= len(path):
                whole = True
            else:
                inner.add(cut)
        if whole:
            cuts.add(path)
            if isinstance(raw, dict) and isinstance(raw.get("anak"), list):
                for k, child in enumerate(raw["anak"]):  # reported, then set aside with their parent
                    _node_model(child, path + ("anak", k), locator, max_rounds, problems, index_maps, set())
            return None
        cuts.update(_orig_path(c, index_maps) for c in inner)
        raw = _copy_without(raw, path, inner, index_maps)
    cuts.add(path)
    return None


def _report(errors: list[Any], prefix: Path, locator: Locator, index_maps: dict[Path, list[int]],
            problems: list[Problem]) -> set[Path]:
    """Each error of a validation of the value at ``prefix`` as a SYS-02 problem at the value as
    the user wrote it (once per value: a value can fail every member of a union); the errors'
    paths in the data as validated."""
    here: set[Path] = set()
    seen: set[Path] = set()
    for err in errors:
        path = prefix + _clean_loc(err["loc"])
        here.add(path)
        where = _orig_path(path, index_maps)
        if where not in seen:
            seen.add(where)
            d_id, d_en = _describe(dict(err), where)
            problems.append(Problem("SYS-02", nearest_span(locator, where), {"detail": d_id, "detail_en": d_en}, where))
    return here


def _salvage(data: Any, locator: Locator, model: Any, max_rounds: int, problems: list[Problem],
             index_maps: dict[Path, list[int]], cuts: set[Path] | None = None) -> tuple[Any, Any] | None:
    """The model of ``data`` after setting aside the smallest items holding errors (each error
    a SYS-02 problem), and the data it validated; None when nothing can be kept."""
    for _ in range(max_rounds):
        try:
            return model.model_validate(data), data
        except ValidationError as exc:
            errors = _precise([e for e in exc.errors() if not _is_noise(dict(e))] or list(exc.errors()))
        drop = _report(errors, (), locator, index_maps, problems)
        data = _without(data, drop, index_maps, cuts)
        if data is None:
            return None
    return None


def _frozen(data: Any) -> Callable[[], Any]:
    """A copy of plain data to be had later, held as bytes: marshal (twice as fast as pickle:
    100k nodes 0.26 s), or pickle for what marshal does not write (a YAML date). The tree keeps
    this instead of the document model (a tenth of its size): a writer reading ``tree.model``
    gets the same model again. Past a megabyte the bytes are compressed (zlib, fastest level):
    the 100k-node table's 37 MiB become 6 MiB for 0.17 s, held through the whole check."""
    try:
        blob = marshal.dumps(data)
        load: Callable[[bytes], Any] = marshal.loads
    except ValueError:
        blob = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        load = pickle.loads
    if len(blob) < _COMPRESS_FROM:
        return lambda: load(blob)
    return _packed(zlib.compress(blob, 1), load)


def _packed(packed: bytes, load: Callable[[bytes], Any]) -> Callable[[], Any]:
    """The compressed bytes alone are kept (the closure of :func:`_frozen` would keep both)."""
    return lambda: load(zlib.decompress(packed))


_COMPRESS_FROM = 1 << 20


def _build_pemda(doc: PemdaDocumentModel, source: str, index_maps: dict[Path, list[int]], data: Any) -> PemdaTree:
    return build_pemda(doc, source, index_maps)


def validate_pemda(data: Any, source: str, locator: Locator,
                   max_rounds: int = 5) -> tuple[PemdaTree | None, list[Problem]]:
    """Validate plain data into a Pemda tree (tujuan -> sasaran); problems as for :func:`validate`."""
    if isinstance(data, dict) and isinstance(data.get("jenis"), str):
        data = {**data, "jenis": data["jenis"].strip().casefold()}
    return _validate(data, source, locator, PemdaDocumentModel, _build_pemda, max_rounds)


def _validate(data: Any, source: str, locator: Locator, model: Any, build: Any,
              max_rounds: int, shallow: bool = False) -> tuple[Any, list[Problem]]:
    """The whole document validated at once (a Pemda tree; an agency document without nodes,
    for its problems): ``build`` makes the tree of the validated model."""
    early = _unfit(data, locator, shallow)
    if early is not None:
        return None, early
    problems: list[Problem] = []
    index_maps: dict[Path, list[int]] = {}
    salvaged = _salvage(data, locator, model, max_rounds, problems, index_maps)
    if salvaged is None or build is None:
        return None, problems
    doc, data = salvaged
    return build(doc, source, index_maps, data), problems


def finish(result: LoadResult, data: Any, locator: Locator, *, shallow: bool = False) -> LoadResult:
    """The common last step of every loader: attach the locator, validate, keep the tree.

    ``shallow``: the data cannot nest deeply (a table loader made it), so its depth is not measured."""
    result.locator = locator
    if is_pemda_document(data):
        result.pemda, problems = validate_pemda(data, result.source, locator)
        result.problems.extend(problems)
        return result
    tree, problems = validate(data, result.source, locator, shallow=shallow)
    result.tree = tree
    result.problems.extend(problems)
    return result


def _orig_path(path: Path, index_maps: dict[Path, list[int]]) -> Path:
    out: list[str | int] = []
    for p in path:
        if isinstance(p, int):
            m = index_maps.get(tuple(out))
            out.append(m[p] if m is not None and p < len(m) else p)
        else:
            out.append(p)
    return tuple(out)


def _without(data: Any, drop: set[Path], index_maps: dict[Path, list[int]], cuts: set[Path] | None = None) -> Any:
    """A copy of data without the smallest list items (node, indicator, row) holding errors;
    ``cuts`` receives what was set aside, as paths of the data as first written."""
    cut: set[Path] = set()
    for path in drop:
        ints = [i for i, p in enumerate(path) if isinstance(p, int)]
        if not ints:
            # An error at document level (bad metadata): drop that key, or give up on pohon.
            if path and path[0] != "pohon":
                cut.add(path[:1])
                continue
            return None
        cut.add(path[: ints[-1] + 1])
    if cuts is not None:
        cuts.update(_orig_path(c, index_maps) for c in cut)
    return _copy_without(data, (), cut, index_maps)


def _copy_without(value: Any, path: Path, cut: set[Path], index_maps: dict[Path, list[int]]) -> Any:
    if isinstance(value, dict):
        return {k: _copy_without(v, path + (k,), cut, index_maps) for k, v in value.items() if path + (k,) not in cut}
    if isinstance(value, list):
        kept = [i for i in range(len(value)) if path + (i,) not in cut]
        if len(kept) != len(value):
            orig = _orig_path(path, index_maps)
            prev = index_maps.get(orig)
            index_maps[orig] = [prev[i] if prev else i for i in kept]
        return [_copy_without(value[i], path + (i,), cut, index_maps) for i in kept]
    return value
