"""The checker: names, types and did-you-mean for rule expressions.

The code generator (:mod:`.codegen`) asks the checker, for every expression it translates,
whether the expression is well formed and what type it has; every mistake in a rule file
becomes a :class:`~kinerjalint.errors.RuleError` at the file, line and column of the
offending part, with a caret excerpt and, for an unknown name, the nearest known one.
Types are the names of :mod:`.vocabulary` (``str``, ``num``, ``list[str]``, ``node?``...).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Any

from kinerjalint.dsl import ast as A
from kinerjalint.dsl.registry import Func
from kinerjalint.dsl.vocabulary import (
    FIELDS,
    OBJECT_TYPES,
    base,
    compatible,
    elem,
    optional,
)
from kinerjalint.dsl.wordlists import WordLists
from kinerjalint.errors import RuleError, SourcePoint
from kinerjalint.levels import Level
from kinerjalint.span import caret_excerpt
from kinerjalint.bilingual import Said, en_of

__all__ = ["CONSTS", "Context", "Scope", "level_filter", "names_in", "quantified_names", "suggest"]

# Names every rule may use: the levels (by name and as L1..L5), none, true and false.
CONSTS: dict[str, tuple[str, str]] = {
    **{lv.name: (f"_LV_{lv.name}", "level") for lv in Level},
    **{f"L{lv.value}": (f"_LV_{lv.name}", "level") for lv in Level},
    "none": ("None", "none"),
    "true": ("True", "bool"),
    "false": ("False", "bool"),
}

# A scope maps a rule's names to (generated code, type).
Scope = dict[str, tuple[str, str]]


def suggest(name: str, options: Iterable[str]) -> str:
    """'; mungkin maksudnya ...?' with the nearest option (in both languages), or ''."""
    m = difflib.get_close_matches(name, list(options), n=1, cutoff=0.5)
    return Said(f"; mungkin maksudnya '{m[0]}'?", f"; did you mean '{m[0]}'?") if m else ""


def level_of_const(name: str) -> Level:
    return Level[name] if name in Level.__members__ else Level(int(name[1]))


class Context:
    """Compilation state of one rulebook, and the checks on each kind of expression."""

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

    # -- names
    def unknown_name(self, e: A.Name, scope: Scope) -> RuleError:
        return self.error(Said(f"nama '{e.name}' tidak dikenal{suggest(e.name, list(scope) + list(CONSTS))}", f"unknown name '{e.name}'{en_of(suggest(e.name, list(scope) + list(CONSTS)))}"), e.pos)

    def wordlist(self, e: A.WordListRef) -> None:
        if e.name not in self.words.files:
            raise self.error(Said(f"daftar kata '{e.name}' tidak ada{suggest(e.name, self.words.names())}", f"there is no word list '{e.name}'{en_of(suggest(e.name, self.words.names()))}"), e.pos)

    # -- fields
    def field(self, e: A.Attr, t: str) -> str | None:
        """The type of ``obj.field`` on a value of type ``t`` (None: a value of mixed type)."""
        b = base(t)
        if b == "any":
            # A value of mixed type (`for teks in [node] + node.indikator`): the field must
            # exist on at least one kind of object, so a misspelling is still caught.
            known = {f for fields in FIELDS.values() for f in fields}
            if e.field not in known:
                raise self.error(Said(f"tidak ada objek dengan kolom '{e.field}'{suggest(e.field, known)}", f"no object has a field '{e.field}'{en_of(suggest(e.field, known))}"), e.pos)
            return None
        if b not in OBJECT_TYPES:
            raise self.error(Said(f"'{e.field}' tidak bisa diambil dari nilai bertipe {t}", f"'{e.field}' cannot be read from a value of type {t}"), e.pos)
        fields = FIELDS[b]
        if e.field not in fields:
            raise self.error(Said(f"{b} tidak punya kolom '{e.field}'{suggest(e.field, fields)}", f"{b} has no field '{e.field}'{en_of(suggest(e.field, fields))}"), e.pos)
        ft: str = fields[e.field][0]
        if optional(t):
            return ft if optional(ft) else ft + "?"
        return ft

    # -- calls
    def function(self, e: A.Call, registry: dict[str, Func]) -> Func:
        f = registry.get(e.func)
        if f is None:
            raise self.error(Said(f"fungsi '{e.func}' tidak dikenal{suggest(e.func, registry)}", f"unknown function '{e.func}'{en_of(suggest(e.func, registry))}"), e.pos)
        if len(e.args) != len(f.params):
            raise self.error(Said(f"fungsi '{e.func}' perlu {len(f.params)} argumen ({', '.join(f.params)}), "
                                  f"bukan {len(e.args)}",
                                  f"'{e.func}' takes {len(f.params)} arguments ({', '.join(f.params)}), "
                                  f"not {len(e.args)}"), e.pos)
        return f

    def lambda_arg(self, e: A.Call, i: int, arg: A.Expr, want: str) -> None:
        if want == "fn" and not isinstance(arg, A.Lambda):
            raise self.error(Said(f"argumen ke-{i + 1} fungsi '{e.func}' harus berbentuk 'x -> ekspresi'", f"argument {i + 1} of '{e.func}' must have the form 'x -> expression'"), arg.pos)
        if want != "fn" and isinstance(arg, A.Lambda):
            raise self.error(Said(f"fungsi '{e.func}' tidak menerima 'x -> ekspresi' di argumen ke-{i + 1}", f"'{e.func}' takes no 'x -> expression' as argument {i + 1}"), arg.pos)

    def literal_choice(self, e: A.Call, f: Func, i: int, arg: A.Expr) -> None:
        allowed = dict(f.choices).get(i)
        if allowed is None:
            return
        if not isinstance(arg, A.Str):
            raise self.error(Said(f"argumen ke-{i + 1} fungsi '{e.func}' harus teks tetap", f"argument {i + 1} of '{e.func}' must be a fixed text"), arg.pos)
        if arg.value not in allowed:
            raise self.error(Said(f"'{arg.value}' tidak dikenal untuk '{e.func}'{suggest(arg.value, allowed)}", f"'{arg.value}' is not known to '{e.func}'{en_of(suggest(arg.value, allowed))}"), arg.pos)

    def argument(self, e: A.Call, i: int, arg: A.Expr, want: str, t: str) -> None:
        if not compatible(want, t):
            raise self.error(Said(f"argumen ke-{i + 1} fungsi '{e.func}' harus {want}, bukan {t}", f"argument {i + 1} of '{e.func}' must be {want}, not {t}"), arg.pos)

    @staticmethod
    def returns(f: Func, types: Sequence[str]) -> str:
        """A call's type: ``$0`` is argument 0's type, ``$e0`` its element type."""
        ret = f.returns
        if ret.startswith("$e"):
            return (elem(types[int(ret[2])]) or "any") + ("?" if ret.endswith("?") else "")
        if ret.startswith("$"):
            return types[int(ret[1:])]
        return ret

    # -- operators
    def collection(self, what: str, t: str, pos: A.Pos) -> str:
        et = elem(t)
        if et is None:
            raise self.error(Said(f"'{what}' perlu daftar, bukan {t}", f"'{what}' needs a list, not {t}"), pos)
        return et

    def compare(self, e: A.Compare, lt: str, rt: str) -> None:
        lb, rb = base(lt), base(rt)
        op = e.op
        if op in ("starts with", "ends with", "matches") and lb not in ("str", "any"):
            raise self.error(Said(f"'{op}' perlu teks di sebelah kiri, bukan {lt}", f"'{op}' needs a text on its left, not {lt}"), e.left.pos)
        if op in ("starts with", "ends with", "contains", "not contains") and not (
                rb in ("str", "wordlist", "any", "list[str]") or (op.endswith("contains") and lb.startswith("list["))):
            raise self.error(Said(f"'{op}' perlu teks atau daftar kata di sebelah kanan, bukan {rt}", f"'{op}' needs a text or a word list on its right, not {rt}"), e.right.pos)
        if op in ("in", "not in") and not (rb in ("str", "wordlist", "any") or rb.startswith("list[")):
            raise self.error(Said(f"'{op}' perlu daftar di sebelah kanan, bukan {rt}", f"'{op}' needs a list on its right, not {rt}"), e.right.pos)
        if op == "matches":
            if isinstance(e.right, A.Str):
                try:
                    re.compile(e.right.value)
                except re.error as exc:
                    raise self.error(Said(f"pola regex tidak sah: {exc}", f"invalid regular expression: {exc}"), e.right.pos) from None
            elif rb not in ("str", "any"):
                raise self.error(Said(f"'matches' perlu pola regex berupa teks, bukan {rt}", f"'matches' needs a regular expression as a text, not {rt}"), e.right.pos)

    @staticmethod
    def branches(a: str, b: str) -> str:
        """The type of ``if c then a else b``: the shared type, optional if either branch may be none."""
        if base(a) == "none":
            return b if optional(b) or base(b) == "none" else b + "?"
        if base(b) == "none":
            return a if optional(a) else a + "?"
        if base(a) == base(b):
            return a if optional(a) else b
        # `if c then [] else words(x)`: the empty list takes the other branch's element type
        if base(a) == "list[any]" and base(b).startswith("list["):
            return b
        if base(b) == "list[any]" and base(a).startswith("list["):
            return a
        return "any"

    def same_placeholders(self, texts: A.Texts, what: str) -> None:
        """The Indonesian and English text of a message use the same values."""
        if texts.id is None or texts.en is None:
            return
        ids, ens = _placeholders(texts.id), _placeholders(texts.en)
        if ids == ens:
            return
        missing = ", ".join("{" + m + "}" for m in sorted(ids - ens))
        extra = ", ".join("{" + m + "}" for m in sorted(ens - ids))
        tell = [Said(f"en tidak memuat {missing}", f"en lacks {missing}")] if missing else []
        if extra:
            tell.append(Said(f"en memuat {extra} yang tidak ada di id", f"en has {extra}, which id has not"))
        raise self.error(Said(f"{what}: teks id dan en harus memakai nilai yang sama ({'; '.join(tell)})",
                              f"{en_of(what)}: the id and en texts must use the same values "
                              f"({'; '.join(en_of(t) for t in tell)})"), texts.en.pos)

    def arith(self, e: A.Arith, lt: str, rt: str) -> None:
        if e.op == "+":
            return
        for t, sub in ((lt, e.left), (rt, e.right)):
            if base(t) not in ("num", "any", "level"):
                raise self.error(Said(f"'{e.op}' perlu angka, bukan {t}", f"'{e.op}' needs numbers, not {t}"), sub.pos)


def expr_source(e: Any) -> str:
    """An expression written back as DSL text (positions dropped), to compare and to show."""
    if isinstance(e, A.Name):
        return e.name
    if isinstance(e, A.Str):
        return repr(e.value)
    if isinstance(e, A.Num):
        return str(int(e.value) if e.value.is_integer() else e.value)
    if isinstance(e, A.ListLit):
        return "[" + ", ".join(expr_source(x) for x in e.items) + "]"
    if isinstance(e, A.WordListRef):
        return f"list {e.name}"
    if isinstance(e, A.Attr):
        return f"{expr_source(e.obj)}.{e.field}"
    if isinstance(e, A.Call):
        return f"{e.func}({', '.join(expr_source(a) for a in e.args)})"
    if isinstance(e, A.Lambda):
        return f"{e.param} -> {expr_source(e.body)}"
    if isinstance(e, A.Quant):
        where = f" where {expr_source(e.cond)}" if e.cond is not None else ""
        return f"{e.kind}({e.var} in {expr_source(e.coll)}{where})"
    if isinstance(e, A.Compare):
        return f"{expr_source(e.left)} {e.op} {expr_source(e.right)}"
    if isinstance(e, A.Test):
        return f"{expr_source(e.operand)} is {e.kind}"
    if isinstance(e, A.BoolOp):
        return "(" + f" {e.op} ".join(expr_source(x) for x in e.items) + ")"
    if isinstance(e, A.Not):
        return f"not {expr_source(e.operand)}"
    if isinstance(e, A.Arith):
        return f"({expr_source(e.left)} {e.op} {expr_source(e.right)})"
    if isinstance(e, A.Neg):
        return f"-{expr_source(e.operand)}"
    if isinstance(e, A.IfExpr):
        return f"if {expr_source(e.cond)} then {expr_source(e.then)} else {expr_source(e.else_)}"
    return type(e).__name__


def _placeholders(tpl: A.Template) -> set[str]:
    return {expr_source(p) for p in tpl.parts if not isinstance(p, str)}


def names_in(e: Any) -> set[str]:
    """Free variable names of an expression (quantifier and lambda variables excluded)."""
    if isinstance(e, A.Name):
        return {e.name}
    if isinstance(e, A.Quant):
        inner = names_in(e.cond) - {e.var} if e.cond is not None else set()
        return names_in(e.coll) | inner
    if isinstance(e, A.Lambda):
        return names_in(e.body) - {e.param}
    out: set[str] = set()
    if isinstance(e, A.Expr):
        for v in vars(e).values():
            if isinstance(v, (A.Expr, tuple)):
                out |= names_in(v)
    elif isinstance(e, tuple):
        for x in e:
            out |= names_in(x)
    return out


def quantified_names(d: A.RuleDef) -> set[str]:
    """Names used inside the collection of a quantifier in a rule's lets or condition."""
    out: set[str] = set()

    def visit(e: Any) -> None:
        if isinstance(e, A.Quant):
            out.update(names_in(e.coll))
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


def level_filter(where: A.Expr | None, var: str = "node") -> frozenset[Level] | None:
    """Levels a node must have for the where clause to hold (for the engine's pre-filter)."""
    if where is None:
        return None
    items = where.items if isinstance(where, A.BoolOp) and where.op == "and" else (where,)
    for it in items:
        if (isinstance(it, A.Compare) and it.op in ("==", "in") and isinstance(it.left, A.Attr)
                and it.left.field == "level" and isinstance(it.left.obj, A.Name) and it.left.obj.name == var):
            names = [it.right] if it.op == "==" else list(it.right.items) if isinstance(it.right, A.ListLit) else []
            if names and all(isinstance(n, A.Name) and n.name in CONSTS and CONSTS[n.name][1] == "level" for n in names):
                return frozenset(level_of_const(n.name) for n in names)  # type: ignore[attr-defined]
    return None
