"""Check rule definitions against the model and compile them to Python.

One recursive pass per expression infers its type from :mod:`.vocabulary` and the
function registry (unknown names, fields, functions and word lists fail here, with the
rule file's line and column and a "did you mean"), and emits Python source. All
node-scoped rules become blocks of ONE generated function called once per node, so a
tree is walked once whatever the number of rules; tree-scoped rules get a function each.
The generated source is compiled once and kept (see :mod:`kinerjalint.rulebook`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from kinerjalint.dsl import ast as A
from kinerjalint.dsl import runtime
from kinerjalint.dsl.library import REGISTRY
from kinerjalint.dsl.vocabulary import FIELDS, OBJECT_TYPES, base, compatible, elem, optional
from kinerjalint.dsl.wordlists import WordLists
from kinerjalint.errors import RuleError, SourcePoint
from kinerjalint.findings import Severity
from kinerjalint.levels import Level
from kinerjalint.span import caret_excerpt

_CONSTS: dict[str, tuple[str, str]] = {
    **{lv.name: (f"_LV_{lv.name}", "level") for lv in Level},
    **{f"L{lv.value}": (f"_LV_{lv.name}", "level") for lv in Level},
    "none": ("None", "none"),
    "true": ("True", "bool"),
    "false": ("False", "bool"),
}

_HELPER_OPS = {
    "==": "_eq", "!=": "_ne", "<": "_lt", "<=": "_le", ">": "_gt", ">=": "_ge",
    "in": "_in", "not in": "_not_in", "starts with": "_starts", "ends with": "_ends",
    "contains": "_contains", "not contains": "_not_contains", "matches": "_matches",
}
_DIRECT = {"==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


@dataclass
class CompiledRule:
    """A rule ready to run: metadata plus the callables the engine needs."""

    index: int
    code: str
    name: str
    defn: A.RuleDef
    kind: str  # node | tree | loader
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

    @property
    def group(self) -> str:
        return self.defn.group or self.code.split("-")[0]

    def title(self, lang: str = "id") -> str:
        t = self.defn.title
        tpl = (t.en if lang == "en" else t.id) if t else None
        return (tpl or (t.id if t else None) or A.Template((self.name,), self.name, A.NOPOS)).source


class _Ctx:
    """Compilation state of one rulebook."""

    def __init__(self, words: WordLists, texts: dict[str, str]) -> None:
        self.words = words
        self.texts = texts
        self.globals: dict[str, Any] = {}
        self.defs: list[str] = []
        self.n = 0
        self.uses_index = False  # the rule being compiled calls a tree-wide index function
        self.index_cost = 0
        self.file = ""

    def fresh(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    def error(self, msg: str, pos: A.Pos) -> RuleError:
        text = self.texts.get(self.file, "")
        return RuleError(msg, SourcePoint(self.file, pos.line, pos.column),
                         caret_excerpt(text, pos.line, pos.column, pos.end_column if pos.end_line == pos.line else None))


def _suggest(name: str, options: Iterable[str]) -> str:
    m = difflib.get_close_matches(name, list(options), n=1, cutoff=0.5)
    return f"; mungkin maksudnya '{m[0]}'?" if m else ""


Scope = dict[str, tuple[str, str]]


class ExprCompiler:
    def __init__(self, ctx: _Ctx) -> None:
        self.c = ctx

    def __call__(self, e: A.Expr, scope: Scope) -> tuple[str, str]:
        method = getattr(self, "_" + type(e).__name__)
        result: tuple[str, str] = method(e, scope)
        return result

    def _Name(self, e: A.Name, scope: Scope) -> tuple[str, str]:
        if e.name in scope:
            return scope[e.name]
        if e.name in _CONSTS:
            code, t = _CONSTS[e.name]
            if t == "level":
                self.c.globals[code] = Level[e.name] if e.name in Level.__members__ else Level(int(e.name[1]))
            return code, t
        raise self.c.error(f"nama '{e.name}' tidak dikenal{_suggest(e.name, list(scope) + list(_CONSTS))}", e.pos)

    def _Str(self, e: A.Str, scope: Scope) -> tuple[str, str]:
        return repr(e.value), "str"

    def _Num(self, e: A.Num, scope: Scope) -> tuple[str, str]:
        v = int(e.value) if e.value.is_integer() else e.value
        return repr(v), "num"

    def _ListLit(self, e: A.ListLit, scope: Scope) -> tuple[str, str]:
        items = [self(x, scope) for x in e.items]
        types = {base(t) for _, t in items}
        et = types.pop() if len(types) == 1 else "any"
        if all(t == "level" for _, t in items) and items:
            name = self.c.fresh("_SET")
            self.c.globals[name] = frozenset(self.c.globals[code] for code, _ in items)
            return name, "list[level]"
        return "(" + "".join(f"{c}, " for c, _ in items) + ")", f"list[{et}]"

    def _WordListRef(self, e: A.WordListRef, scope: Scope) -> tuple[str, str]:
        if e.name not in self.c.words.files:
            raise self.c.error(f"daftar kata '{e.name}' tidak ada{_suggest(e.name, self.c.words.names())}", e.pos)
        var = "_W_" + re.sub(r"\W", "_", e.name)
        self.c.globals[var] = self.c.words.get(e.name)
        return var, "wordlist"

    def _Attr(self, e: A.Attr, scope: Scope) -> tuple[str, str]:
        code, t = self(e.obj, scope)
        b = base(t)
        if b == "any":
            # A value of mixed type (`for teks in [node] + node.indikator`): the field must
            # exist on at least one kind of object, so a misspelling is still caught.
            known = {f for fields in FIELDS.values() for f in fields}
            if e.field not in known:
                raise self.c.error(f"tidak ada objek dengan kolom '{e.field}'{_suggest(e.field, known)}", e.pos)
            return f"_ga({code}, {e.field!r})", "any"
        if b not in OBJECT_TYPES:
            raise self.c.error(f"'{e.field}' tidak bisa diambil dari nilai bertipe {t}", e.pos)
        fields = FIELDS[b]
        if e.field not in fields:
            raise self.c.error(f"{b} tidak punya kolom '{e.field}'{_suggest(e.field, fields)}", e.pos)
        ft = fields[e.field][0]
        if optional(t):
            return f"_ga({code}, {e.field!r})", ft if optional(ft) else ft + "?"
        return f"{code}.{e.field}", ft

    def _Call(self, e: A.Call, scope: Scope) -> tuple[str, str]:
        f = REGISTRY.get(e.func)
        if f is None:
            raise self.c.error(f"fungsi '{e.func}' tidak dikenal{_suggest(e.func, REGISTRY)}", e.pos)
        if len(e.args) != len(f.params):
            raise self.c.error(f"fungsi '{e.func}' perlu {len(f.params)} argumen ({', '.join(f.params)}), "
                               f"bukan {len(e.args)}", e.pos)
        codes: list[str] = []
        types: list[str] = []
        for i, (arg, want) in enumerate(zip(e.args, f.params)):
            if want == "fn":
                if not isinstance(arg, A.Lambda):
                    raise self.c.error(f"argumen ke-{i + 1} fungsi '{e.func}' harus berbentuk 'x -> ekspresi'", arg.pos)
                param_t = elem(types[-1]) if types else "any"
                codes.append(self._lambda(arg, param_t or "any"))
                types.append("fn")
                continue
            if isinstance(arg, A.Lambda):
                raise self.c.error(f"fungsi '{e.func}' tidak menerima 'x -> ekspresi' di argumen ke-{i + 1}", arg.pos)
            allowed = dict(f.choices).get(i)
            if allowed is not None:
                if not isinstance(arg, A.Str):
                    raise self.c.error(f"argumen ke-{i + 1} fungsi '{e.func}' harus teks tetap", arg.pos)
                if arg.value not in allowed:
                    raise self.c.error(f"'{arg.value}' tidak dikenal untuk '{e.func}'{_suggest(arg.value, allowed)}", arg.pos)
            code, t = self(arg, scope)
            if not compatible(want, t):
                raise self.c.error(f"argumen ke-{i + 1} fungsi '{e.func}' harus {want}, bukan {t}", arg.pos)
            codes.append(code)
            types.append(t)
        if e.func == "pick":  # evaluated lazily: only the chosen branch runs
            return f"(({codes[1]}) if ({codes[0]}) else ({codes[2]}))", types[1] if base(types[1]) != "none" else types[2]
        gname = f"_F_{e.func}"
        self.c.globals[gname] = f.py
        ret = f.returns
        if ret.startswith("$e"):
            ret = (elem(types[int(ret[2])]) or "any") + ("?" if ret.endswith("?") else "")
        elif ret.startswith("$"):
            ret = types[int(ret[1:])]
        if f.ctx:
            self.c.uses_index = True
            self.c.index_cost += _INDEX_COST.get(e.func, 1)
        args = (["_ctx"] if f.ctx else []) + codes
        return f"{gname}({', '.join(args)})", ret

    def _lambda(self, lam: A.Lambda, param_t: str) -> str:
        name = self.c.fresh("_lam")
        pname = f"_p_{lam.param}"
        body, _ = self(lam.body, {lam.param: (pname, param_t)})
        self.c.defs.append(f"{name} = lambda {pname}: {body}")
        return name

    def _Lambda(self, e: A.Lambda, scope: Scope) -> tuple[str, str]:
        raise self.c.error("'x -> ekspresi' hanya boleh sebagai argumen fungsi", e.pos)

    def _Quant(self, e: A.Quant, scope: Scope) -> tuple[str, str]:
        coll, ct = self(e.coll, scope)
        et = elem(ct)
        certain = ct.startswith("list[") and not optional(ct)
        if et is None:
            raise self.c.error(f"'{e.kind}(... in ...)' perlu daftar, bukan {ct}", e.coll.pos)
        var = self.c.fresh(f"_q_{e.var}_")
        inner = dict(scope)
        inner[e.var] = (var, et)
        cond = self(e.cond, inner)[0] if e.cond is not None else "True"
        src = coll if certain else f"_seq({coll})"
        if e.kind == "any":
            return f"any({cond} for {var} in {src})", "bool"
        if e.kind == "all":
            return f"all({cond} for {var} in {src})", "bool"
        if e.kind == "none_of":
            return f"(not any({cond} for {var} in {src}))", "bool"
        if e.kind == "count":
            return f"sum(1 for {var} in {src} if {cond})", "num"
        if e.kind == "select":
            return f"[{var} for {var} in {src} if {cond}]", f"list[{et}]"
        return f"next(({var} for {var} in {src} if {cond}), None)", et + "?"

    def _Compare(self, e: A.Compare, scope: Scope) -> tuple[str, str]:
        left, lt = self(e.left, scope)
        right, rt = self(e.right, scope)
        lb, rb = base(lt), base(rt)
        op = e.op
        if op in ("starts with", "ends with", "matches") and lb not in ("str", "any"):
            raise self.c.error(f"'{op}' perlu teks di sebelah kiri, bukan {lt}", e.left.pos)
        if op in ("starts with", "ends with", "contains", "not contains") and not (
                rb in ("str", "wordlist", "any", "list[str]") or (op.endswith("contains") and lb.startswith("list["))):
            raise self.c.error(f"'{op}' perlu teks atau daftar kata di sebelah kanan, bukan {rt}", e.right.pos)
        if op in ("in", "not in") and not (rb in ("str", "wordlist", "any") or rb.startswith("list[")):
            raise self.c.error(f"'{op}' perlu daftar di sebelah kanan, bukan {rt}", e.right.pos)
        if op == "matches":
            if isinstance(e.right, A.Str):
                try:
                    re.compile(e.right.value)
                except re.error as exc:
                    raise self.c.error(f"pola regex tidak sah: {exc}", e.right.pos) from None
            elif rb not in ("str", "any"):
                raise self.c.error(f"'matches' perlu pola regex berupa teks, bukan {rt}", e.right.pos)
        if op == "matches" and isinstance(e.right, A.Str):
            name = self.c.fresh("_RX")
            self.c.globals[name] = re.compile(e.right.value, re.IGNORECASE)
            return f"_rx_search({name}, {left})", "bool"
        if rb == "wordlist" and lb == "str" and op in ("in", "not in", "starts with", "ends with", "contains"):
            # Word-list tests call the list directly (one function layer less per test).
            call = {"in": f"{right}.has({left})", "not in": f"(({left}) is not None and not {right}.has({left}))",
                    "starts with": f"({right}.prefix({left}) is not None)",
                    "ends with": f"({right}.suffix({left}) is not None)",
                    "contains": f"({right}.find({left}) is not None)"}[op]
            return call, "bool"
        if op in ("in", "not in") and right.startswith("_SET"):
            neg = "not " if op == "not in" else ""
            return f"({left} {neg}in {right})", "bool"
        if op in _DIRECT and lb in ("num", "level", "bool") and rb in ("num", "level", "bool") \
                and not (optional(lt) or optional(rt)) or (op in ("==", "!=") and "none" in (lb, rb)):
            pyop = _DIRECT[op]
            if "none" in (lb, rb):
                pyop = "is" if op == "==" else "is not"
            return f"({left} {pyop} {right})", "bool"
        return f"{_HELPER_OPS[op]}({left}, {right})", "bool"

    def _Test(self, e: A.Test, scope: Scope) -> tuple[str, str]:
        code, t = self(e.operand, scope)
        # Specialised where the type is certain (the hot path of most rules' where clauses).
        if e.kind in ("empty", "not empty") and not optional(t):
            if t == "str":
                return (f"(not {code}.strip())" if e.kind == "empty" else f"(not not {code}.strip())"), "bool"
            if t.startswith("list["):
                return (f"(not {code})" if e.kind == "empty" else f"(not not {code})"), "bool"
        return {
            "none": f"({code} is None)", "not none": f"({code} is not None)",
            "empty": f"_empty({code})", "not empty": f"(not _empty({code}))",
        }[e.kind], "bool"

    def _BoolOp(self, e: A.BoolOp, scope: Scope) -> tuple[str, str]:
        parts = [self(x, scope)[0] for x in e.items]
        return "(" + f" {e.op} ".join(f"bool({p})" if i == len(parts) - 1 else p for i, p in enumerate(parts)) + ")", "bool"

    def _Not(self, e: A.Not, scope: Scope) -> tuple[str, str]:
        return f"(not {self(e.operand, scope)[0]})", "bool"

    def _Arith(self, e: A.Arith, scope: Scope) -> tuple[str, str]:
        left, lt = self(e.left, scope)
        right, rt = self(e.right, scope)
        if e.op == "+":
            if base(lt) == "str" or base(rt) == "str":
                return f"_add({left}, {right})", "str"
            if base(lt).startswith("list["):
                same = base(lt) == base(rt) or base(rt) in ("any", "none")
                return f"_add({left}, {right})", lt if same else "list[any]"
            return f"_add({left}, {right})", "num?"
        for t, sub in ((lt, e.left), (rt, e.right)):
            if base(t) not in ("num", "any", "level"):
                raise self.c.error(f"'{e.op}' perlu angka, bukan {t}", sub.pos)
        return f"_arith({e.op!r}, {left}, {right})", "num?"

    def _Neg(self, e: A.Neg, scope: Scope) -> tuple[str, str]:
        code, t = self(e.operand, scope)
        return f"_neg({code})", "num?"


def _names_in(e: Any) -> set[str]:
    """Free variable names of an expression (quantifier and lambda variables excluded)."""
    if isinstance(e, A.Name):
        return {e.name}
    if isinstance(e, A.Quant):
        inner = _names_in(e.cond) - {e.var} if e.cond is not None else set()
        return _names_in(e.coll) | inner
    if isinstance(e, A.Lambda):
        return _names_in(e.body) - {e.param}
    out: set[str] = set()
    if isinstance(e, A.Expr):
        for v in vars(e).values():
            if isinstance(v, (A.Expr, tuple)):
                out |= _names_in(v)
    elif isinstance(e, tuple):
        for x in e:
            out |= _names_in(x)
    return out


# Relative cost of building a function's tree-wide index (fuzzy pairs cost most).
_INDEX_COST = {"similar": 5, "same_key": 2, "best_match": 2, "majority": 1, "setting": 0}

_LAZY_MAX = 700  # characters of generated code a lazy let may inline at each use


def _quantified_names(d: A.RuleDef) -> set[str]:
    """Names used inside the collection of a quantifier in a rule's lets or condition."""
    out: set[str] = set()

    def visit(e: Any) -> None:
        if isinstance(e, A.Quant):
            out.update(_names_in(e.coll))
        if isinstance(e, A.Expr):
            for v in vars(e).values():
                if isinstance(v, (A.Expr, tuple)):
                    visit(v)
        elif isinstance(e, tuple):
            for x in e:
                visit(x)

    for let in d.lets:
        visit(let.value)
    visit(d.report)
    return out


def _level_filter(where: A.Expr | None, ctx: _Ctx, var: str = "node") -> frozenset[Level] | None:
    """Levels a node must have for the where clause to hold (for the engine's pre-filter)."""
    if where is None:
        return None
    items = where.items if isinstance(where, A.BoolOp) and where.op == "and" else (where,)
    for it in items:
        if (isinstance(it, A.Compare) and it.op in ("==", "in") and isinstance(it.left, A.Attr)
                and it.left.field == "level" and isinstance(it.left.obj, A.Name) and it.left.obj.name == var):
            names = [it.right] if it.op == "==" else list(it.right.items) if isinstance(it.right, A.ListLit) else []
            if names and all(isinstance(n, A.Name) and n.name in _CONSTS and _CONSTS[n.name][1] == "level" for n in names):
                return frozenset(Level[n.name] if n.name in Level.__members__ else Level(int(n.name[1]))  # type: ignore[attr-defined]
                                 for n in names)
    return None


_TYPE_OF_VAR = {"node": "node", "indikator": "indicator", "tree": "tree", "row": "row"}


class RuleCompiler:
    """Compiles a list of RuleDefs into CompiledRules plus one node-walk function."""

    def __init__(self, words: WordLists, texts: dict[str, str]) -> None:
        self.ctx = _Ctx(words, texts)
        self.expr = ExprCompiler(self.ctx)
        self.node_blocks: list[str] = []
        self.rules: list[CompiledRule] = []

    def err(self, msg: str, pos: A.Pos) -> RuleError:
        return self.ctx.error(msg, pos)

    def add(self, d: A.RuleDef) -> CompiledRule:
        self.ctx.file = d.file
        index = len(self.rules)
        defaults = [s for s in d.severities if s.when is None]
        if len(defaults) != 1:
            raise self.err(f"aturan {d.code} perlu tepat satu 'severity' tanpa 'when'", d.pos)
        if d.title is None or d.title.id is None:
            raise self.err(f"aturan {d.code} perlu 'title id \"...\"'", d.pos)
        if d.message is None or d.message.id is None:
            raise self.err(f"aturan {d.code} perlu 'message id \"...\"'", d.pos)
        rule = CompiledRule(index, d.code, d.name, d, "loader", Severity[defaults[0].level])
        if d.loader_args is not None:
            env: Scope = {a: (f"_e[{a!r}]", "str") for a in d.loader_args}
            self._finish(rule, d, env)
        else:
            if d.scope is None or d.report is None:
                raise self.err(f"aturan {d.code} perlu klausa 'for ...' dan 'report when ...'", d.pos)
            env_types = self._match(rule, d)
            self._finish(rule, d, {k: (f"_e[{k!r}]", t) for k, t in env_types.items()})
        self.rules.append(rule)
        return rule

    # -- the matching part: where / let / report
    def _match(self, rule: CompiledRule, d: A.RuleDef) -> dict[str, str]:
        sc = d.scope
        assert sc is not None and d.report is not None
        i = rule.index
        p = f"_r{i}_"
        self.ctx.uses_index = False
        self.ctx.index_cost = 0
        scope: Scope = {"tree": ("tree", "tree")}
        env_types: dict[str, str] = {"tree": "tree"}
        loop: tuple[str, str] | None = None  # (python var, collection code)
        loop_certain = False  # the collection is surely a list (no none-guard needed)
        coll = sc.coll
        if (sc.var == "node" and isinstance(coll, A.Attr) and coll.field == "nodes"
                and isinstance(coll.obj, A.Name) and coll.obj.name == "tree"):
            coll = None  # `for node in tree.nodes` is the engine's own single walk
        if coll is None:
            if sc.var == "node":
                rule.kind = "node"
            elif sc.var == "indikator":
                rule.kind = "node"
                coll = A.Attr(sc.pos, A.Name(sc.pos, "node"), "indikator")
            elif sc.var == "tree":
                rule.kind = "tree"
            else:
                raise self.err(f"'for {sc.var}' perlu 'in <daftar>' (mis. 'for {sc.var} in tree.nodes')", sc.pos)
        if coll is not None:
            uses_node = "node" in _names_in(coll) and sc.var != "node"
            rule.kind = "node" if uses_node else "tree"
            if uses_node:
                scope["node"] = ("node", "node")
                env_types["node"] = "node"
            ccode, ct = self.expr(coll, scope)
            loop_certain = ct.startswith("list[") and not optional(ct)
            et = elem(ct)
            if et is None:
                raise self.err(f"'for {sc.var} in ...' perlu daftar, bukan {ct}", coll.pos)
            loop = (p + sc.var, ccode)
            scope[sc.var] = (p + sc.var, et)
            env_types[sc.var] = et
        elif rule.kind == "node":
            scope["node"] = ("node", "node")
            env_types["node"] = "node"
        lines: list[str] = []
        ind = "    "
        if loop is not None:
            lines.append(f"{ind}for {loop[0]} in {loop[1] if loop_certain else '_seq(' + loop[1] + ')'}:")
            ind += "    "
        if sc.where is not None:
            lines.append(f"{ind}if {self.expr(sc.where, scope)[0]}:")
            ind += "    "
        # Lets are evaluated lazily: on first use, through an assignment expression, so a
        # `let` that `report when` does not reach (it short-circuits) costs nothing. A let
        # used as a quantifier's collection must be eager (Python forbids an assignment
        # expression there), and so is one whose code would grow too long to inline.
        eager = _quantified_names(d)
        for let in d.lets:
            code, t = self.expr(let.value, scope)
            var = p + let.name
            env_types[let.name] = t
            if let.name in eager or len(code) > _LAZY_MAX:
                lines.append(f"{ind}{var} = {code}")
                scope[let.name] = (var, t)
            else:
                lines.append(f"{ind}{var} = _U")
                scope[let.name] = (f"({var} if {var} is not _U else ({var} := {code}))", t)
        lines.append(f"{ind}if {self.expr(d.report, scope)[0]}:")
        env = ", ".join(f"{k!r}: {scope[k][0]}" for k in env_types)
        lines.append(f"{ind}    _hits.append(({i}, {{{env}}}))")
        rule.uses_index = self.ctx.uses_index
        rule.index_cost = self.ctx.index_cost
        if rule.kind == "node":
            if loop is None or sc.var != "node":
                rule.levels = _level_filter(sc.where, self.ctx)
            guard = f"_on[{i}]"
            if rule.levels is not None:
                lv = f"_LVS{i}"
                self.ctx.globals[lv] = rule.levels
                guard += f" and node.level in {lv}"
            body = "\n".join("        " + ln for ln in lines)
            self.node_blocks.append(
                f"    if {guard}:\n        try:\n{body}\n        except Exception as _exc:\n"
                f"            _ctx.failed({i}, node, _exc)")
        else:
            fname = f"_tree{i}"
            self.ctx.defs.append(f"def {fname}(tree, _ctx, _hits):\n" + "\n".join(lines))
            rule.tree_fn = None  # bound after exec
            self.ctx.globals.setdefault("_tree_fns", {})[i] = fname
        return env_types

    # -- the reporting part: severity, message, location, fix
    def _fn(self, body: str) -> str:
        name = self.ctx.fresh("_fin")
        self.ctx.defs.append(f"def {name}(_e, _ctx=None):\n    return {body}")
        return name

    def _template(self, tpl: A.Template, env: Scope, lang: str) -> str:
        parts = []
        for part in tpl.parts:
            if isinstance(part, str):
                parts.append(repr(part))
            else:
                parts.append(f"_fmt({self.expr(part, env)[0]}, {lang!r})")
        return self._fn(" + ".join(parts) if parts else "''")

    def _finish(self, rule: CompiledRule, d: A.RuleDef, env: Scope) -> None:
        pending: dict[str, Any] = {}
        for s in d.severities:
            if s.when is not None:
                pending.setdefault("sev", []).append((Severity[s.level], self._fn(self.expr(s.when, env)[0])))
        assert d.message is not None and d.message.id is not None
        pending["msg_id"] = self._template(d.message.id, env, "id")
        pending["msg_en"] = self._template(d.message.en or d.message.id, env, "en")
        if d.fix_text is not None and d.fix_text.id is not None:
            pending["fix_id"] = self._template(d.fix_text.id, env, "id")
            pending["fix_en"] = self._template(d.fix_text.en or d.fix_text.id, env, "en")
        if d.loader_args is None:
            pending["at"] = self._fn(self._location(d, env))
        if d.fix_replace is not None:
            target, value = d.fix_replace
            loc = self._location_of(target, env, need_field=True)
            vcode, vt = self.expr(value, env)
            if base(vt) not in ("str", "any"):
                raise self.err(f"nilai pengganti harus teks, bukan {vt}", value.pos)
            pending["fix_replace"] = self._fn(f"({loc}, {vcode})")
        self._pending = getattr(self, "_pending", {})
        self._pending[rule.index] = pending

    def _location(self, d: A.RuleDef, env: Scope) -> str:
        if d.at is not None:
            return self._location_of(d.at, env)
        sc = d.scope
        assert sc is not None
        var = sc.var
        if var in env and base(env[var][1]) in ("node", "indicator", "row", "any"):
            return f"_loc({env[var][0]}, None)"
        return "_loc((_e['tree'].roots[0] if _e['tree'].roots else None), 'kinerja')"

    def _location_of(self, e: A.Expr, env: Scope, need_field: bool = False) -> str:
        if isinstance(e, A.Call) and e.func == "pick" and len(e.args) == 3:
            # `at pick(condition, x.a, y.b)`: the finding points at one of two values.
            cond = self.expr(e.args[0], env)[0]
            first = self._location_of(e.args[1], env, need_field)
            second = self._location_of(e.args[2], env, need_field)
            return f"({first} if {cond} else {second})"
        if isinstance(e, A.Attr):
            code, t = self.expr(e.obj, env)
            if base(t) in ("node", "indicator", "row", "any"):
                self.expr(e, env)  # checks the field exists
                return f"_loc({code}, {e.field!r})"
        if not need_field:
            code, t = self.expr(e, env)
            if base(t) in ("node", "indicator", "row", "any"):
                return f"_loc({code}, None)"
        raise self.err("'at'/'fix replace' perlu kolom sebuah node, indikator atau baris (mis. node.kinerja)", e.pos)

    def build(self) -> tuple[str, dict[str, Any]]:
        """The generated module source and the globals it needs."""
        walk = "def _walk(tree, node, _ctx, _on, _hits):\n" + ("\n".join(self.node_blocks) or "    pass")
        src = "\n\n".join(self.ctx.defs + [walk]) + "\n"
        return src, self.ctx.globals

    def link(self, src: str, globs: dict[str, Any]) -> Callable[..., None]:
        """Execute the generated source and attach its functions to the rules."""
        g: dict[str, Any] = dict(globs)
        g.update(runtime_globals())
        code = compile(src, "<kinerjalint-rules>", "exec")
        exec(code, g)  # noqa: S102 -- our own generated source, from checked rule files
        pending: dict[int, dict[str, Any]] = getattr(self, "_pending", {})
        for rule in self.rules:
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
        walk: Callable[..., None] = g["_walk"]
        return walk


_UNSET = object()  # a lazy let not evaluated yet


def _ga(obj: Any, name: str) -> Any:
    return None if obj is None else getattr(obj, name, None)


def _loc(obj: Any, fieldname: str | None) -> tuple[tuple[Any, ...], str, str | None, Any]:
    """(document path, offending value, node id, object) of a field of a node/indicator/row."""
    if obj is None:
        return (), "", None, None
    kind = type(obj).__name__
    if fieldname is None:  # the object's own text: a node's statement, an indicator's name
        fieldname = "nama" if kind == "Indicator" else "kinerja"
    path = obj.path + (fieldname,)
    value = getattr(obj, fieldname, "") if fieldname else getattr(obj, "kinerja", getattr(obj, "nama", ""))
    if kind == "Node":
        node_id = obj.id
    elif kind == "Indicator":
        node_id = obj.node.id
    else:
        node_id = f"{obj.table}:{obj.index + 1}"
    return path, "" if value is None else str(value) if not isinstance(value, list) else ", ".join(map(str, value)), node_id, obj


def runtime_globals() -> dict[str, Any]:
    r = runtime
    return {
        "_eq": r.eq, "_ne": r.ne, "_lt": r.lt, "_le": r.le, "_gt": r.gt, "_ge": r.ge,
        "_in": r.in_, "_not_in": r.not_in, "_starts": r.starts, "_ends": r.ends,
        "_contains": r.contains, "_not_contains": r.not_contains, "_matches": r.matches, "_rx_search": r.rx_search,
        "_empty": r.empty, "_add": r.add, "_arith": r.arith, "_neg": r.neg, "_fmt": r.fmt,
        "_seq": r.seq, "_ga": _ga, "_loc": _loc, "_F_first": REGISTRY["first"].py, "_U": _UNSET,
    }
