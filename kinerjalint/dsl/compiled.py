"""A compiled rule, and the linking of the generated rule module to its rules.

Apart from the compiler (:mod:`.compiler`): a run whose rulebook comes from the cache
(:mod:`kinerjalint.rulebook`) links the cached code object here and imports neither the
compiler, its checker and code generator, nor the rules' syntax tree (:mod:`.ast`, a
hundred dataclasses). A rule's definition is pickled on its own inside the cache entry and
read back only when something asks for it (rule documentation, SARIF, the examples); what
the check itself needs of it (``source``, ``group``) is copied onto the rule.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from types import CodeType
from typing import TYPE_CHECKING, Any

from kinerjalint.findings import Severity
from kinerjalint.levels import Level

if TYPE_CHECKING:
    from kinerjalint.dsl import ast as A

__all__ = ["CompiledRule", "compile_source", "link"]


@dataclass
class CompiledRule:
    """A rule ready to run: metadata plus the callables the engine needs."""

    index: int
    code: str
    name: str
    defn: A.RuleDef
    kind: str  # node | tree | loader | government
    severity: Severity
    levels: frozenset[Level] | None = None
    # Calls a function that indexes the whole tree once (same_key, similar, best_match...):
    # the engine keeps such a rule in one process so that the index is built once.
    uses_index: bool = False
    index_cost: int = 0  # a rough weight of its indexes, for sharing the work between processes
    # Reporting callables take (env, evaluation context).
    severity_when: list[tuple[Severity, Callable[[dict[str, Any], Any], Any]]] = field(default_factory=list)
    message: dict[str, Callable[[dict[str, Any], Any], str]] = field(default_factory=dict)
    fix_text: dict[str, Callable[[dict[str, Any], Any], str]] = field(default_factory=dict)
    fix_replace: Callable[[dict[str, Any], Any], tuple[Any, str]] | None = None
    at: Callable[[dict[str, Any], Any], Any] | None = None
    tree_fn: Callable[..., None] | None = None
    # A rule over the whole government (`for x in government...`): run once per `check --pemda`.
    government_fn: Callable[..., None] | None = None
    # Of the definition, what a check reads: the rule file's place, the group (`IND`, `T3`).
    source: str = field(init=False, default="")
    group: str = field(init=False, default="")

    def __post_init__(self) -> None:
        self.source = self.defn.source
        self.group = self.defn.group or self.code.split("-")[0]

    def title(self, lang: str = "id") -> str:
        from kinerjalint.dsl import ast as A

        t = self.defn.title
        tpl = (t.en if lang == "en" else t.id) if t else None
        return (tpl or (t.id if t else None) or A.Template((self.name,), self.name, A.NOPOS)).source

    # -- pickling (the rulebook cache): the definition as bytes of its own, read on first use
    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        if "defn" in state:
            state["_defn_pickle"] = pickle.dumps(state.pop("defn"), protocol=pickle.HIGHEST_PROTOCOL)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def __getattr__(self, name: str) -> Any:
        # Called only for an attribute not set: the definition of a rule read from the cache.
        blob = self.__dict__.get("_defn_pickle") if name == "defn" else None
        if blob is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        defn = pickle.loads(blob)  # noqa: S301 -- pickled by __getstate__ into our own cache folder
        self.__dict__["defn"] = defn
        del self.__dict__["_defn_pickle"]
        return defn


def compile_source(src: str) -> CodeType:
    return compile(src, "<kinerjalint-rules>", "exec")


def link(rules: list[CompiledRule], pending: dict[int, dict[str, Any]], code: CodeType,
         globs: dict[str, Any]) -> Callable[..., None]:
    """Execute the compiled rule module and attach its functions to the rules.

    Apart from compiling, so that a rulebook cache can hand over a code object, the rules'
    metadata and the globals it kept (:mod:`kinerjalint.rulebook`)."""
    from kinerjalint.dsl import library  # noqa: F401 -- every DSL function registered, as when compiled
    from kinerjalint.dsl import runtime

    g: dict[str, Any] = dict(globs)
    g.update(runtime.generated_globals())
    exec(code, g)  # noqa: S102 -- our own generated source, from checked rule files
    for rule in rules:
        p = pending.get(rule.index, {})
        rule.severity_when = [(sev, g[name]) for sev, name in p.get("sev", [])]
        rule.message = {"id": g[p["msg_id"]], "en": g[p["msg_en"]]}
        if "fix_id" in p:
            rule.fix_text = {"id": g[p["fix_id"]], "en": g[p["fix_en"]]}
        if "at" in p:
            rule.at = g[p["at"]]
        if "fix_replace" in p:
            rule.fix_replace = g[p["fix_replace"]]
        fname = globs.get("_tree_fns", {}).get(rule.index)
        if fname:
            rule.tree_fn = g[fname]
        gname = globs.get("_gov_fns", {}).get(rule.index)
        if gname:
            rule.government_fn = g[gname]
    walk: Callable[..., None] = g["_walk"]
    return walk
