"""The function registry, a leaf module: every function module registers here, nothing here imports them.

Function modules (:mod:`.functions`, :mod:`.spelling`, :mod:`.mapping`) import ``fn`` and
``EvalContext`` from this module; :mod:`.library` imports those modules and hands the
complete registry to the compiler. So the imports point one way, with no cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["REGISTRY", "EvalContext", "Func", "fn"]


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


REGISTRY: dict[str, Func] = {}


def fn(params: str, returns: str, doc: str, ctx: bool = False, name: str | None = None,
       choices: dict[int, frozenset[str]] | None = None,
       cost: int = 1) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def deco(f: Callable[..., Any]) -> Callable[..., Any]:
        n = name or f.__name__.rstrip("_")
        REGISTRY[n] = Func(n, f, tuple(p for p in params.split(",") if p), returns, doc, ctx,
                           choices=tuple((choices or {}).items()), cost=cost)
        return f
    return deco


@dataclass
class EvalContext:
    """Per-tree caches of indexes built by index functions, and the file's settings."""

    cache: dict[Any, Any] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)
