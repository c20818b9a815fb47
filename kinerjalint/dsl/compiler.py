"""The rule compiler: checked rule definitions become one generated Python module.

Three parts, one direction: :mod:`.checker` (names, types, did-you-mean),
:mod:`.codegen` (a checked expression becomes Python source) and :mod:`.runtime` (the
helpers the generated code calls). This module puts a rule together: its scope
(``for ... where``), lazy ``let``s and ``report when`` become one block of the engine's
single walk over the tree (node rules) or a function of its own (tree rules); its
severity, message, fix and location become small functions of the hit's environment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kinerjalint.dsl import ast as A
from kinerjalint.dsl.checker import (
    Context,
    Scope,
    level_filter,
    names_in,
    quantified_names,
)
from kinerjalint.dsl.codegen import ExprCompiler
from kinerjalint.dsl.compiled import CompiledRule, compile_source, link
from kinerjalint.dsl.vocabulary import base, optional
from kinerjalint.dsl.wordlists import WordLists
from kinerjalint.errors import RuleError
from kinerjalint.findings import Severity
from kinerjalint.bilingual import Said, en_of

__all__ = ["CompiledRule", "RuleCompiler", "compile_source", "link"]

# What a compiled rule is and how the generated module is linked live apart
# (kinerjalint.dsl.compiled), so that a run whose rulebook comes from the cache imports
# neither this compiler nor the rules' syntax tree.

_LAZY_MAX = 700  # characters of generated code a lazy let may inline at each use


_TYPE_OF_VAR = {"node": "node", "indikator": "indicator", "tree": "tree", "row": "row"}

# Objects a finding may point at: their `path` is a place in a file (an agency's or the Pemda's).
_LOCATABLE = ("node", "indicator", "row", "sasaran", "pindicator", "any")


class RuleCompiler:
    """Compiles a list of RuleDefs into CompiledRules plus one node-walk function."""

    def __init__(self, words: WordLists, texts: dict[str, str]) -> None:
        self.ctx = Context(words, texts)
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
            raise self.err(Said(f"aturan {d.code} perlu tepat satu 'severity' tanpa 'when'", f"rule {d.code} needs exactly one 'severity' without 'when'"), d.pos)
        if d.title is None or d.title.id is None:
            raise self.err(Said(f"aturan {d.code} perlu 'title id \"...\"'", f"rule {d.code} needs 'title id \"...\"'"), d.pos)
        if d.message is None or d.message.id is None:
            raise self.err(Said(f"aturan {d.code} perlu 'message id \"...\"'", f"rule {d.code} needs 'message id \"...\"'"), d.pos)
        rule = CompiledRule(index, d.code, d.name, d, "loader", Severity[defaults[0].level])
        if d.loader_args is not None:
            env: Scope = {a: (f"_e[{a!r}]", "str") for a in d.loader_args}
            self._finish(rule, d, env)
        else:
            if d.scope is None or d.report is None:
                raise self.err(Said(f"aturan {d.code} perlu klausa 'for ...' dan 'report when ...'", f"rule {d.code} needs the clauses 'for ...' and 'report when ...'"), d.pos)
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
        government = coll is not None and "government" in names_in(coll)
        if government:  # a cross-tree rule: run once per government, after every agency file is loaded
            rule.kind = "government"
            scope = {"government": ("government", "government")}
            env_types = {"government": "government"}
        if coll is None:
            if sc.var == "node":
                rule.kind = "node"
            elif sc.var == "indikator":
                rule.kind = "node"
                coll = A.Attr(sc.pos, A.Name(sc.pos, "node"), "indikator")
            elif sc.var == "tree":
                rule.kind = "tree"
            else:
                raise self.err(Said(f"'for {sc.var}' perlu 'in <daftar>' (mis. 'for {sc.var} in tree.nodes')", f"'for {sc.var}' needs 'in <list>' (e.g. 'for {sc.var} in tree.nodes')"), sc.pos)
        if coll is not None:
            uses_node = "node" in names_in(coll) and sc.var != "node" and not government
            rule.kind = "government" if government else "node" if uses_node else "tree"
            if uses_node:
                scope["node"] = ("node", "node")
                env_types["node"] = "node"
            ccode, ct = self.expr(coll, scope)
            loop_certain = ct.startswith("list[") and not optional(ct)
            et = self.ctx.collection(f"for {sc.var} in ...", ct, coll.pos)
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
        eager = quantified_names(d)
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
                rule.levels = level_filter(sc.where)
            guard = f"_on[{i}]"
            if rule.levels is not None:
                lv = f"_LVS{i}"
                self.ctx.globals[lv] = rule.levels
                guard += f" and node.level in {lv}"
            body = "\n".join("        " + ln for ln in lines)
            self.node_blocks.append(
                f"    if {guard}:\n        try:\n{body}\n        except Exception as _exc:\n"
                f"            _ctx.failed({i}, node, _exc)")
        elif rule.kind == "government":
            fname = f"_gov{i}"
            self.ctx.defs.append(f"def {fname}(government, _ctx, _hits):\n" + "\n".join(lines))
            self.ctx.globals.setdefault("_gov_fns", {})[i] = fname
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

    def _texts(self, t: A.Texts | A.Variants, env: Scope, lang: str, what: str) -> str:
        """The function rendering a message or fix text in one language (variants: the first that holds).
        The id and en texts of a message or fix (plain or a variant) use the same placeholders:
        checked once, on the Indonesian pass."""
        if isinstance(t, A.Texts):
            if lang == "id":
                self.ctx.same_placeholders(t, what)
            tpl = (t.en or t.id) if lang == "en" else t.id
            assert tpl is not None
            return self._template(tpl, env, lang)
        out = ""
        for v in reversed(t.items):
            if v.texts.id is None:
                raise self.err(Said(f"{what}: varian '{v.name}' perlu 'id \"...\"'", f"{en_of(what)}: variant '{v.name}' needs 'id \"...\"'"), v.pos)
            fn = self._texts(v.texts, env, lang, Said(f"{what}, varian '{v.name}'", f"{en_of(what)}, variant '{v.name}'"))
            call = f"{fn}(_e, _ctx)"
            out = call if v.when is None else f"({call} if ({self.expr(v.when, env)[0]}) else {out})"
        return self._fn(out)

    def _finish(self, rule: CompiledRule, d: A.RuleDef, env: Scope) -> None:
        pending: dict[str, Any] = {}
        for s in d.severities:
            if s.when is not None:
                pending.setdefault("sev", []).append((Severity[s.level], self._fn(self.expr(s.when, env)[0])))
        assert d.message is not None and d.message.id is not None
        pending["msg_id"] = self._texts(d.message, env, "id", Said(f"pesan {d.code}", f"the message of {d.code}"))
        pending["msg_en"] = self._texts(d.message, env, "en", Said(f"pesan {d.code}", f"the message of {d.code}"))
        if d.fix_text is not None and d.fix_text.id is not None:
            pending["fix_id"] = self._texts(d.fix_text, env, "id", Said(f"saran {d.code}", f"the fix of {d.code}"))
            pending["fix_en"] = self._texts(d.fix_text, env, "en", Said(f"saran {d.code}", f"the fix of {d.code}"))
        if d.loader_args is None:
            pending["at"] = self._fn(self._location(d, env))
        if d.fix_replace is not None:
            target, value = d.fix_replace
            loc = self._location_of(target, env, need_field=True)
            vcode, vt = self.expr(value, env)
            if base(vt) not in ("str", "any"):
                raise self.err(Said(f"nilai pengganti harus teks, bukan {vt}", f"the replacement must be a text, not {vt}"), value.pos)
            pending["fix_replace"] = self._fn(f"({loc}, {vcode})")
        self._pending = getattr(self, "_pending", {})
        self._pending[rule.index] = pending

    def _location(self, d: A.RuleDef, env: Scope) -> str:
        if d.at is not None:
            return self._location_of(d.at, env)
        sc = d.scope
        assert sc is not None
        var = sc.var
        if var in env and base(env[var][1]) in _LOCATABLE:
            return f"_loc({env[var][0]}, None)"
        if var in env and base(env[var][1]) == "agency":  # an agency: its tree's root
            return f"_loc(_ga({env[var][0]}, 'root'), None)"
        if "government" in env:  # anything else of a government rule: the Pemda tree's first node
            return "_loc((_e['government'].pemda.nodes or [None])[0], None)"
        return "_loc((_e['tree'].roots[0] if _e['tree'].roots else None), 'kinerja')"

    def _location_of(self, e: A.Expr, env: Scope, need_field: bool = False) -> str:
        if isinstance(e, A.IfExpr) or (isinstance(e, A.Call) and e.func == "pick" and len(e.args) == 3):
            # `at if condition then x.a else y.b`: the finding points at one of two values.
            c, a, b = (e.cond, e.then, e.else_) if isinstance(e, A.IfExpr) else e.args
            cond = self.expr(c, env)[0]
            first = self._location_of(a, env, need_field)
            second = self._location_of(b, env, need_field)
            return f"({first} if {cond} else {second})"
        if isinstance(e, A.Attr):
            code, t = self.expr(e.obj, env)
            if base(t) in _LOCATABLE:
                self.expr(e, env)  # checks the field exists
                return f"_loc({code}, {e.field!r})"
        if not need_field:
            code, t = self.expr(e, env)
            if base(t) in _LOCATABLE:
                return f"_loc({code}, None)"
        raise self.err(Said("'at'/'fix replace' perlu kolom sebuah node, indikator atau baris (mis. node.kinerja)", "'at'/'fix replace' needs a field of a node, an indicator or a row (e.g. node.kinerja)"), e.pos)

    def build(self) -> tuple[str, dict[str, Any]]:
        """The generated module source and the globals it needs."""
        walk = "def _walk(tree, node, _ctx, _on, _hits):\n" + ("\n".join(self.node_blocks) or "    pass")
        src = "\n\n".join(self.ctx.defs + [walk]) + "\n"
        return src, self.ctx.globals

    @property
    def pending(self) -> dict[int, dict[str, Any]]:
        """Per rule, the names of its generated reporting functions (bound by :func:`link`)."""
        pending: dict[int, dict[str, Any]] = getattr(self, "_pending", {})
        return pending

    def link(self, src: str, globs: dict[str, Any]) -> Callable[..., None]:
        """Execute the generated source and attach its functions to the rules."""
        return link(self.rules, self.pending, compile_source(src), globs)
