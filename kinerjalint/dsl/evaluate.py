"""Evaluate one DSL expression outside a rule: the function examples, and a rule author's quick look.

``evaluate("first_word('Meningkatnya rasa aman')")`` compiles the expression with the same
checker and code generator as a rule (so a mistyped name gets the same message) and runs
it with the same runtime, against the word lists of ``rules/words`` (or those given).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from kinerjalint.dsl import runtime
from kinerjalint.dsl.checker import Context
from kinerjalint.dsl.codegen import ExprCompiler
from kinerjalint.dsl.parser import parse_expression
from kinerjalint.dsl.registry import EvalContext
from kinerjalint.dsl.wordlists import WordLists
from kinerjalint.resources import rules_dir

__all__ = ["evaluate"]


@cache
def _builtin_words() -> WordLists:
    return WordLists([Path(rules_dir()) / "words"])


def evaluate(expr: str, words: WordLists | None = None, names: dict[str, Any] | None = None) -> Any:
    """The value of a DSL expression; ``names`` binds extra names (e.g. ``tree``) to Python values."""
    ctx = Context(words or _builtin_words(), {"<ekspresi>": expr})
    ctx.file = "<ekspresi>"
    scope = {k: (f"_n[{k!r}]", "any") for k in (names or {})}
    code, _t = ExprCompiler(ctx)(parse_expression(expr, "<ekspresi>"), scope)
    g: dict[str, Any] = dict(ctx.globals)
    g.update(runtime.generated_globals())
    src = "\n".join(ctx.defs + [f"_result = lambda _n, _ctx: {code}"])
    exec(compile(src, "<ekspresi>", "exec"), g)  # noqa: S102 -- generated from a checked expression
    return g["_result"](names or {}, EvalContext())
