"""Run a compiled rulebook on one tree and turn matches into findings.

One pass over the nodes calls the generated walk function (all node rules); each
tree-scoped rule runs once. Loader problems become SYS findings through the same
rule metadata, so every message lives in the rule files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kinerjalint.dsl.compiler import CompiledRule
from kinerjalint.dsl.functions import EvalContext
from kinerjalint.findings import Finding, Fix, Severity
from kinerjalint.loaders.base import Locator, Problem, nearest_span
from kinerjalint.rulebook import Rulebook
from kinerjalint.span import Span
from kinerjalint.tree import Tree


class RuleCrash(Exception):
    """A rule raised while evaluating: a bug in a rule or the engine (exit code 3)."""


@dataclass
class _Ctx(EvalContext):
    rulebook: Rulebook | None = None
    crashes: list[str] = field(default_factory=list)

    def failed(self, index: int, node: Any, exc: Exception) -> None:
        code = self.rulebook.rules[index].code if self.rulebook else str(index)
        self.crashes.append(f"{code} pada node {getattr(node, 'id', '?')}: {type(exc).__name__}: {exc}")


def _severity(rule: CompiledRule, env: dict[str, Any], ctx: Any) -> Severity:
    for sev, cond in rule.severity_when:
        if cond(env, ctx):
            return sev
    return rule.severity


def _node_path(node: Any) -> tuple[str, ...]:
    if node is None:
        return ()
    if type(node).__name__ == "Indicator":
        node = node.node
    if type(node).__name__ != "Node":
        return ()
    return tuple(node.statement_path())


def make_finding(rule: CompiledRule, env: dict[str, Any], source: str, locator: Locator,
                 ctx: EvalContext | None = None) -> Finding:
    assert rule.at is not None
    ctx = ctx or EvalContext()
    path, value, node_id, obj = rule.at(env, ctx)
    span = nearest_span(locator, path) or Span(1, 1, 1, 1)
    fix = None
    if rule.fix_replace is not None or rule.fix_text:
        repl_path: tuple[Any, ...] | None = None
        replacement = None
        if rule.fix_replace is not None:
            (rpath, old, _nid, _obj), new = rule.fix_replace(env, ctx)
            if new and new != old:
                repl_path, replacement = rpath, new
        if rule.fix_text:
            fix = Fix(rule.fix_text["id"](env, ctx), rule.fix_text["en"](env, ctx), repl_path, replacement)
        elif replacement is not None:
            fix = Fix(f"Ganti menjadi: {replacement}", f"Replace with: {replacement}", repl_path, replacement)
    return Finding(
        code=rule.code, name=rule.name, severity=_severity(rule, env, ctx),
        message_id=rule.message["id"](env, ctx), message_en=rule.message["en"](env, ctx),
        file=source, line=span.line, column=span.column, end_line=span.end_line, end_column=span.end_column,
        ref=span.ref, node_id=node_id, path=_node_path(obj if obj is not None else env.get("node")),
        fix=fix, value=value, source=rule.defn.source,
    )


def problem_finding(rulebook: Rulebook, problem: Problem, source: str) -> Finding:
    rule = rulebook.get(problem.code)
    span = problem.span or Span(1, 1, 1, 1)
    env = dict(problem.args)
    if rule is None:  # a rulebook without SYS rules still reports unreadable input
        msg = env.get("detail", problem.code)
        return Finding(problem.code, problem.code.lower(), Severity.error, msg, env.get("detail_en", msg),
                       source, span.line, span.column, span.end_line, span.end_column, span.ref,
                       value=msg)
    return Finding(
        code=rule.code, name=rule.name, severity=rule.severity,
        message_id=rule.message["id"](env, None), message_en=rule.message["en"](env, None),
        file=source, line=span.line, column=span.column, end_line=span.end_line, end_column=span.end_column,
        ref=span.ref, value=".".join(map(str, problem.path)) + ":" + env.get("detail", ""),
        source=rule.defn.source,
    )


def run_rules(rulebook: Rulebook, tree: Tree, locator: Locator, on: Sequence[bool] | None = None,
              settings: dict[str, str] | None = None) -> list[Finding]:
    """Every finding of the enabled rules on one tree, in document order."""
    enabled = list(on) if on is not None else [True] * len(rulebook.rules)
    ctx = _Ctx(rulebook=rulebook)
    ctx.settings = dict(settings or {})
    hits: list[tuple[int, dict[str, Any]]] = []
    walk = rulebook.walk
    for node in tree.nodes:
        walk(tree, node, ctx, enabled, hits)
    for rule in rulebook.rules:
        if rule.tree_fn is not None and enabled[rule.index]:
            try:
                rule.tree_fn(tree, ctx, hits)
            except Exception as exc:  # noqa: BLE001 -- reported as a rule crash below
                ctx.failed(rule.index, None, exc)
    if ctx.crashes:
        raise RuleCrash("; ".join(ctx.crashes[:5]))
    rules = rulebook.rules
    findings = [make_finding(rules[i], env, tree.source, locator, ctx) for i, env in hits]
    findings.sort(key=Finding.sort_key)
    return findings
