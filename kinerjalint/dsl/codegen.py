"""Code generation: a checked rule expression becomes a Python expression.

:class:`ExprCompiler` walks the expression tree; for each node it asks the checker
(:class:`.checker.Context`) whether the node is well formed and which type it has, and
emits Python source that calls the runtime helpers (:mod:`.runtime`) and the registered
functions (:mod:`.registry`). Where a type is certain it emits the plain Python operation
(the hot path of most rules' where clauses); elsewhere a none-safe helper.
"""

from __future__ import annotations

import dataclasses

import re

from kinerjalint.dsl import ast as A
from kinerjalint.dsl.checker import CONSTS, Context, Scope, level_of_const
from kinerjalint.dsl.library import REGISTRY
from kinerjalint.dsl.vocabulary import base, elem, optional
from kinerjalint.dsl.patterns import compile_pattern
from kinerjalint.bilingual import Said

__all__ = ["ExprCompiler"]

_HELPER_OPS = {
    "==": "_eq", "!=": "_ne", "<": "_lt", "<=": "_le", ">": "_gt", ">=": "_ge",
    "in": "_in", "not in": "_not_in", "starts with": "_starts", "ends with": "_ends",
    "contains": "_contains", "not contains": "_not_contains", "matches": "_matches",
}
_DIRECT = {"==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


class ExprCompiler:
    def __init__(self, ctx: Context) -> None:
        self.c = ctx

    def __call__(self, e: A.Expr, scope: Scope) -> tuple[str, str]:
        method = getattr(self, "_" + type(e).__name__)
        result: tuple[str, str] = method(e, scope)
        return result

    def _Name(self, e: A.Name, scope: Scope) -> tuple[str, str]:
        if e.name in scope:
            return scope[e.name]
        if e.name in CONSTS:
            code, t = CONSTS[e.name]
            if t == "level":
                self.c.globals[code] = level_of_const(e.name)
            return code, t
        raise self.c.unknown_name(e, scope)

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
        self.c.wordlist(e)
        var = "_W_" + re.sub(r"\W", "_", e.name)
        self.c.globals[var] = self.c.words.get(e.name)
        return var, "wordlist"

    def _Attr(self, e: A.Attr, scope: Scope) -> tuple[str, str]:
        code, t = self(e.obj, scope)
        ft = self.c.field(e, t)
        if ft is None:
            return f"_ga({code}, {e.field!r})", "any"
        if optional(t):
            return f"_ga({code}, {e.field!r})", ft
        return f"{code}.{e.field}", ft

    def _Call(self, e: A.Call, scope: Scope) -> tuple[str, str]:
        arg0 = e.args[0] if len(e.args) == 1 else None
        if e.func == "first" and isinstance(arg0, A.Quant) and arg0.kind == "select":
            # first(select(x in xs where c)) stops at the first match, like first_of, instead of
            # building the whole selection: "the first earlier duplicate" of each member of a
            # group of n duplicates was n^2 steps
            return self._Quant(dataclasses.replace(arg0, kind="first_of"), scope)
        f = self.c.function(e, REGISTRY)
        codes: list[str] = []
        types: list[str] = []
        for i, (arg, want) in enumerate(zip(e.args, f.params)):
            self.c.lambda_arg(e, i, arg, want)
            if want == "fn":
                assert isinstance(arg, A.Lambda)
                param_t = elem(types[-1]) if types else "any"
                codes.append(self._lambda(arg, param_t or "any"))
                types.append("fn")
                continue
            self.c.literal_choice(e, f, i, arg)
            code, t = self(arg, scope)
            self.c.argument(e, i, arg, want, t)
            codes.append(code)
            types.append(t)
        if e.func == "pick":  # evaluated lazily: only the chosen branch runs
            return f"(({codes[1]}) if ({codes[0]}) else ({codes[2]}))", types[1] if base(types[1]) != "none" else types[2]
        gname = f"_F_{e.func}"
        self.c.globals[gname] = f.py
        if f.ctx:
            self.c.uses_index = True
            self.c.index_cost += f.cost
        args = (["_ctx"] if f.ctx else []) + codes
        return f"{gname}({', '.join(args)})", self.c.returns(f, types)

    def _lambda(self, lam: A.Lambda, param_t: str) -> str:
        name = self.c.fresh("_lam")
        pname = f"_p_{lam.param}"
        body, _ = self(lam.body, {lam.param: (pname, param_t)})
        self.c.defs.append(f"{name} = lambda {pname}: {body}")
        return name

    def _Lambda(self, e: A.Lambda, scope: Scope) -> tuple[str, str]:
        raise self.c.error(Said("'x -> ekspresi' hanya boleh sebagai argumen fungsi", "'x -> expression' is allowed only as a function argument"), e.pos)

    def _Quant(self, e: A.Quant, scope: Scope) -> tuple[str, str]:
        coll, ct = self(e.coll, scope)
        et = self.c.collection(f"{e.kind}(... in ...)", ct, e.coll.pos)
        certain = ct.startswith("list[") and not optional(ct)
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
        self.c.compare(e, lt, rt)
        lb, rb = base(lt), base(rt)
        op = e.op
        if op == "matches" and isinstance(e.right, A.Str):
            name = self.c.fresh("_RX")
            self.c.globals[name] = compile_pattern(e.right.value)
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
        self.c.arith(e, lt, rt)
        if e.op == "+":
            if base(lt) == "str" or base(rt) == "str":
                return f"_add({left}, {right})", "str"
            if base(lt).startswith("list["):
                same = base(lt) == base(rt) or base(rt) in ("any", "none")
                return f"_add({left}, {right})", lt if same else "list[any]"
            return f"_add({left}, {right})", "num?"
        return f"_arith({e.op!r}, {left}, {right})", "num?"

    def _IfExpr(self, e: A.IfExpr, scope: Scope) -> tuple[str, str]:
        cond = self(e.cond, scope)[0]
        then, tt = self(e.then, scope)
        other, et = self(e.else_, scope)
        return f"(({then}) if ({cond}) else ({other}))", self.c.branches(tt, et)

    def _Neg(self, e: A.Neg, scope: Scope) -> tuple[str, str]:
        code, t = self(e.operand, scope)
        return f"_neg({code})", "num?"
