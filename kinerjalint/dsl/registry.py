"""The function registry, a leaf module: every function module registers here, nothing here imports them.

The modules of :mod:`kinerjalint.dsl.functions` import ``fn`` and ``EvalContext`` from this
module; :mod:`.library` imports those modules and hands the complete registry to the
compiler. So the imports point one way, with no cycle.

A function is declared once: ``@fn("doc", examples=...)`` on a Python function whose
annotations give its DSL types (``str | None`` is ``str?``, ``Sequence[str]`` is
``list[str]``, ``float`` is ``num``, ``WordList`` is ``wordlist``, ``Tree`` is ``tree``,
``Callable`` is ``fn``). Only a result whose type follows an argument is written out:
``returns="$1"`` (the type of argument 1) or ``"$e0?"`` (the element type of argument 0, or none).
"""

from __future__ import annotations

import collections.abc as cabc
import inspect
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, get_args, get_origin

from kinerjalint.dsl.wordlists import WordList
from kinerjalint.levels import Level

__all__ = ["REGISTRY", "Agency", "EvalContext", "Func", "Government", "Indicator", "Node", "PemdaIndicator",
           "Sasaran", "Tree", "charge", "dsl_type", "fn", "work_counter"]

# Annotations of the DSL's object types (kinerjalint/dsl/vocabulary.py FIELDS): a parameter or
# result of these types is that object (`Node | None` is `node?`, `list[Node]` is `list[node]`).
Tree = Annotated[Any, "tree"]
Node = Annotated[Any, "node"]
Indicator = Annotated[Any, "indicator"]
Government = Annotated[Any, "government"]
Sasaran = Annotated[Any, "sasaran"]
PemdaIndicator = Annotated[Any, "pindicator"]
Agency = Annotated[Any, "agency"]


@dataclass(frozen=True)
class Func:
    name: str
    py: Callable[..., Any]
    params: tuple[str, ...]
    returns: str
    doc: str
    ctx: bool = False
    varargs: bool = False
    choices: tuple[tuple[int, frozenset[str]], ...] = ()  # literal values allowed per argument
    # For ``ctx`` functions: the relative cost of the tree-wide index they build, which the
    # engine uses to share index-building rules between processes (fuzzy pairs cost most).
    cost: int = 1
    # (DSL expression, expected value) pairs: shown in the catalog and run by the tests.
    examples: tuple[tuple[str, Any], ...] = ()


REGISTRY: dict[str, Func] = {}


def dsl_type(hint: Any) -> str:
    """The DSL type name of a Python annotation (see the module doc)."""
    if hint is Any:
        return "any"
    origin = get_origin(hint)
    if origin is Annotated:
        return str(get_args(hint)[1])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in get_args(hint) if a is not type(None)]
        kinds = {dsl_type(a) for a in args}
        t = kinds.pop() if len(kinds) == 1 else "any"
        return t + "?" if len(args) < len(get_args(hint)) and t != "any" else t
    simple = {str: "str", bool: "bool", int: "num", float: "num", WordList: "wordlist", Level: "level",
              type(None): "none"}
    if hint in simple:
        return simple[hint]
    if origin in (list, tuple, cabc.Sequence, cabc.Iterable):
        elems = get_args(hint)
        return f"list[{dsl_type(elems[0]).rstrip('?') if elems else 'any'}]"
    if origin is cabc.Callable or hint is cabc.Callable:
        return "fn"
    raise TypeError(f"no DSL type for the annotation {hint!r}")


def _signature(f: Callable[..., Any], ctx: bool) -> tuple[tuple[str, ...], str]:
    hints = typing.get_type_hints(f, include_extras=True)
    params = [p for p in inspect.signature(f).parameters.values() if p.default is inspect.Parameter.empty]
    if ctx:
        params = params[1:]  # the evaluation context
    missing = [p.name for p in params if p.name not in hints] + ([] if "return" in hints else ["return"])
    if missing:
        raise TypeError(f"{f.__name__}: annotate {', '.join(missing)} (the DSL types come from the annotations)")
    return tuple(dsl_type(hints[p.name]) for p in params), dsl_type(hints["return"])


def fn(doc: str, *, returns: str | None = None, ctx: bool = False, name: str | None = None,
       choices: dict[int, frozenset[str]] | None = None, cost: int = 1,
       examples: tuple[tuple[str, Any], ...] = ()) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a DSL function: its types from its annotations, ``doc`` one line in Indonesian."""
    def deco(f: Callable[..., Any]) -> Callable[..., Any]:
        n = name or f.__name__.rstrip("_")
        params, derived = _signature(f, ctx)
        REGISTRY[n] = Func(n, f, params, returns or derived, doc, ctx,
                           choices=tuple((choices or {}).items()), cost=cost, examples=tuple(examples))
        return f
    return deco


@dataclass
class EvalContext:
    """Per-tree caches of indexes built by index functions, and the file's settings."""

    cache: dict[Any, Any] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)


# Work counting for tests/test_growth.py. A function that scans tree-wide data in one C-level
# operation (a substring search of the whole tree's text, say), which no call count sees,
# charges the length it scans; nothing is counted unless a counter is installed.
_WORK: list[int] | None = None


def charge(steps: int) -> None:
    """Record ``steps`` inner-loop steps while work is being counted (else nothing)."""
    if _WORK is not None:
        _WORK[0] += steps


def work_counter(counter: list[int] | None) -> list[int] | None:
    """Install ``counter`` (a one-element list) to receive :func:`charge`; returns the previous one."""
    global _WORK
    previous, _WORK = _WORK, counter
    return previous
