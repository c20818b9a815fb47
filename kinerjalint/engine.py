"""Run a compiled rulebook on one tree and turn matches into findings.

One pass over the nodes calls the generated walk function (all node rules); each
tree-scoped rule runs once. Loader problems become SYS findings through the same
rule metadata, so every message lives in the rule files.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from kinerjalint.bilingual import Said
from kinerjalint.dsl.compiled import CompiledRule
from kinerjalint.dsl.registry import EvalContext, work_counter
from kinerjalint.findings import SORT_KEY, Finding, Fix, Severity
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


def _node_path(node: Any, paths: dict[Any, tuple[str, ...]] | None = None) -> tuple[str, ...]:
    """The statements from the root down to the node a finding is about (an indicator's node).

    ``paths`` keeps each node's tuple for the findings of one run: a node with a dozen
    findings walks its ancestors once, and its findings share one tuple (in memory and
    in the pickle that brings a child's findings back)."""
    if node is None:
        return ()
    kind = type(node).__name__
    if kind == "Indicator":
        node = node.node
        kind = type(node).__name__
    if kind != "Node":
        return ()
    if paths is None:
        return tuple(node.statement_path())
    path = paths.get(node)
    if path is None:
        path = paths[node] = tuple(node.statement_path())
    return path


_NOWHERE = Span(1, 1, 1, 1)


def make_finding(rule: CompiledRule, env: dict[str, Any], source: str, locator: Locator,
                 ctx: EvalContext | None = None, paths: dict[Any, tuple[str, ...]] | None = None) -> Finding:
    """The finding of one hit of ``rule`` (its environment ``env``); ``paths`` as in :func:`_node_path`."""
    assert rule.at is not None
    if ctx is None:
        ctx = EvalContext()
    path, value, node_id, obj = rule.at(env, ctx)
    span = nearest_span(locator, path) or _NOWHERE
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
    message = rule.message
    return Finding(
        rule.code, rule.name, _severity(rule, env, ctx) if rule.severity_when else rule.severity,
        message["id"](env, ctx), message["en"](env, ctx),
        source, span.line, span.column, span.end_line, span.end_column,
        span.ref, node_id, _node_path(obj if obj is not None else env.get("node"), paths),
        fix, value, rule.source,
    )


def problem_finding(rulebook: Rulebook, problem: Problem, source: str) -> Finding:
    rule = rulebook.get(problem.code)
    span = problem.span or Span(1, 1, 1, 1)
    # A loader gives each argument in both languages (detail, detail_en): as a Said, `{detail}`
    # reads in the language of the message that quotes it.
    env = {k: Said(v, problem.args[k + "_en"]) if isinstance(v, str) and isinstance(problem.args.get(k + "_en"), str)
           else v for k, v in problem.args.items()}
    if rule is None:  # a rulebook without SYS rules still reports unreadable input
        msg = str(problem.args.get("detail", problem.code))
        return Finding(problem.code, problem.code.lower(), Severity.error, msg, str(problem.args.get("detail_en", msg)),
                       source, span.line, span.column, span.end_line, span.end_column, span.ref,
                       value=msg)
    return Finding(
        code=rule.code, name=rule.name, severity=rule.severity,
        message_id=rule.message["id"](env, None), message_en=rule.message["en"](env, None),
        file=source, line=span.line, column=span.column, end_line=span.end_line, end_column=span.end_column,
        ref=span.ref, value=".".join(map(str, problem.path)) + ":" + str(problem.args.get("detail", "")),
        source=rule.source,
    )


Part = tuple[Iterable[Any], Sequence[bool]]  # nodes, and the rules to run on them


def _evaluate(rulebook: Rulebook, tree: Tree, locator: Locator, enabled: Sequence[bool],
              settings: dict[str, str], parts: Sequence[Part] | None = None,
              tree_rules: Sequence[int] | None = None) -> tuple[list[Finding], list[str]]:
    """Findings of the enabled rules (or of the given parts and tree rules), and the crashes
    of rules that raised."""
    ctx = _Ctx(rulebook=rulebook)
    ctx.settings = dict(settings)
    hits: list[tuple[int, dict[str, Any]]] = []
    walk = rulebook.walk
    wanted = set(tree_rules) if tree_rules is not None else None
    for rule in rulebook.rules:  # tree rules first: a share's fixed work before its stolen chunks
        if rule.tree_fn is not None and enabled[rule.index] and (wanted is None or rule.index in wanted):
            try:
                rule.tree_fn(tree, ctx, hits)
            except Exception as exc:  # noqa: BLE001 -- reported as a rule crash
                ctx.failed(rule.index, None, exc)
    for nodes, mask in (parts if parts is not None else [(tree.nodes, enabled)]):
        for node in nodes:
            walk(tree, node, ctx, mask, hits)
    rules = rulebook.rules
    findings = []
    paths: dict[Any, tuple[str, ...]] = {}
    hits.reverse()  # taken from the end in the order found: each hit's environment is let go once made
    while hits:
        i, env = hits.pop()
        try:
            findings.append(make_finding(rules[i], env, tree.source, locator, ctx, paths))
        except Exception as exc:  # noqa: BLE001 -- a template that raises is a rule crash
            ctx.failed(i, env.get("node"), exc)
    return findings, ctx.crashes


@contextmanager
def counting_work() -> Iterator[list[int]]:
    """Count the work done inside the block, in one process and thread: every Python and C
    function call (``sys.setprofile``) plus the steps charged by functions whose scans are
    one C-level operation (:func:`kinerjalint.dsl.registry.charge`). The count is a
    machine-independent measure of growth (``tests/test_growth.py``); it slows the block
    down several times, so it is only for tests."""
    count = [0]

    def profile(_frame: Any, event: str, _arg: Any) -> None:
        if event == "call" or event == "c_call":
            count[0] += 1

    previous_counter = work_counter(count)
    previous_profile = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield count
    finally:
        sys.setprofile(previous_profile)
        work_counter(previous_counter)


# Trees this large are checked by two processes, each running half of the rules. The fork
# and the findings sent back cost about 5% more CPU on a 10k-node tree and save a third of
# the wall time (4.2 s -> 2.9 s on two otherwise idle cores); below a few thousand nodes the
# check takes well under a second either way. The service's checker processes run one each.
PARALLEL_MIN_NODES = 5_000


def _jobs() -> int:
    env = os.environ.get("KINERJALINT_JOBS")
    if env and env.isdigit():
        return max(1, int(env))
    return min(2, os.cpu_count() or 1)


def _in_child(work: Callable[[], Any]) -> Callable[[], Any]:
    """Run ``work`` in a forked child (sharing the loaded tree); returns a function to collect it."""
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, leave without running the parent's cleanup
        os.close(rfd)
        code = 0
        try:
            result = work()
            with os.fdopen(wfd, "wb") as out:  # pickled straight into the pipe, not into one bytes first
                pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 -- the parent falls back to running it itself
            code = 1
        else:
            _keep_learnt()
        os._exit(code)
    os.close(wfd)

    def collect() -> Any:
        with os.fdopen(rfd, "rb") as inp:
            try:
                result = pickle.load(inp)  # noqa: S301 -- from our own forked child
            except Exception:  # noqa: BLE001 -- nothing or a part sent: the child failed
                result = None
        _, status = os.waitpid(pid, 0)
        return result if os.waitstatus_to_exitcode(status) == 0 else None

    return collect


def _keep_learnt() -> None:
    """The stems and word verdicts the child learnt, written to the cache folder before it leaves
    with ``os._exit`` (which runs no exit handlers): otherwise the next run computes them again.
    The parent writes its own later, merged with these. A failure to write loses only a speed-up."""
    from kinerjalint.resources import save_memos

    try:
        save_memos()
    except Exception:  # noqa: BLE001 -- the findings are sent; the cache is only a cache
        pass


CHUNK = 500  # nodes per piece of node-local work a process takes at a time


def _stolen(nodes: Sequence[Any], counter: Any) -> Iterator[Any]:
    """Nodes of the chunks this process takes from the shared counter, until none is left."""
    while True:
        with counter.get_lock():
            k = counter.value
            counter.value = k + 1
        start = k * CHUNK
        if start >= len(nodes):
            return
        yield from nodes[start:start + CHUNK]


def _shares(rulebook: Rulebook, tree: Tree, enabled: Sequence[bool],
            counter: Any) -> tuple[tuple[list[Part], list[int]], ...]:
    """Two shares of the work. Rules that build a tree-wide index, and tree rules, go whole
    to one share (heaviest first to the lighter one, by rough weights), so no index is built
    twice; each share does that fixed work first and then takes chunks of nodes for the
    node-local rules from a shared counter, so the two finish together whatever the weights."""
    rules = rulebook.rules
    node_rules = [r.index for r in rules if r.tree_fn is None and r.kind != "loader" and enabled[r.index]]
    indexed = [i for i in node_rules if rules[i].uses_index]
    local = [i for i in node_rules if not rules[i].uses_index]
    tree_rules = [r.index for r in rules if r.tree_fn is not None and enabled[r.index]]
    n = len(rules)
    weight = {i: max(1, rules[i].index_cost) for i in indexed} | {i: 2 + rules[i].index_cost for i in tree_rules}
    whole: tuple[list[int], list[int]] = ([], [])
    load = [0, 0]
    for i in sorted(indexed + tree_rules, key=lambda i: (-weight[i], i)):
        k = 0 if load[0] <= load[1] else 1
        whole[k].append(i)
        load[k] += weight[i]

    def mask(ids: Sequence[int]) -> list[bool]:
        chosen = set(ids)
        return [i in chosen for i in range(n)]

    nodes = tree.nodes
    local_mask = mask(local)
    shares = []
    for k in (0, 1):
        own_index = [i for i in whole[k] if i in set(indexed)]
        parts: list[Part] = [(nodes, mask(own_index)), (_stolen(nodes, counter), local_mask)]
        shares.append((parts, [i for i in whole[k] if i in set(tree_rules)]))
    return shares[0], shares[1]


def run_rules(rulebook: Rulebook, tree: Tree, locator: Locator, on: Sequence[bool] | None = None,
              settings: dict[str, str] | None = None) -> list[Finding]:
    """Every finding of the enabled rules on one tree, in document order.

    On a large tree and a machine with two cores the work is shared with a forked child,
    which inherits the loaded tree copy-on-write (see :func:`_shares` for the split).
    """
    enabled = list(on) if on is not None else [True] * len(rulebook.rules)
    sets = settings or {}
    if len(tree.nodes) >= PARALLEL_MIN_NODES and _jobs() > 1 and hasattr(os, "fork"):
        import multiprocessing

        counter = multiprocessing.get_context("fork").Value("q", 0)
        (parts_a, tree_a), (parts_b, tree_b) = _shares(rulebook, tree, enabled, counter)
        collect = _in_child(lambda: _evaluate(rulebook, tree, locator, enabled, sets, parts_b, tree_b))
        findings, crashes = _evaluate(rulebook, tree, locator, enabled, sets, parts_a, tree_a)
        result = collect()
        if result is None:  # the child failed, and which chunks it took is unknown: redo it all
            findings, crashes = _evaluate(rulebook, tree, locator, enabled, sets)
        else:
            findings += result[0]
            crashes = list(crashes) + list(result[1])
    else:
        findings, crashes = _evaluate(rulebook, tree, locator, enabled, sets)
    if crashes:
        raise RuleCrash("; ".join(crashes[:5]))
    findings.sort(key=SORT_KEY)
    return findings


def _place(obj: Any) -> tuple[str | None, Any]:
    """The file an object of a government check lies in, and the object a location names."""
    kind = type(obj).__name__
    if kind == "Agency":
        obj = obj.root
        kind = type(obj).__name__
    if kind == "Node":
        return obj.tree.source, obj
    if kind == "Indicator":
        return obj.node.tree.source, obj
    if kind in ("Sasaran", "PemdaIndicator"):
        return obj.source, obj
    return None, None


def _related(env: dict[str, Any], primary: str, locators: dict[str, Locator]) -> list[dict[str, Any]]:
    """The other ends of a government finding: every located value the rule names (its scope
    variable and lets) that lies in another file than the finding itself."""
    from kinerjalint.dsl.runtime import _loc

    out: list[dict[str, Any]] = []
    seen: set[tuple[str, int, int]] = set()
    values = [v for v in env.values() if v is not None]
    for v in values:
        items = v if isinstance(v, list) else [v]
        for item in items[:20]:
            file, obj = _place(item)
            if file is None or file == primary or file not in locators:
                continue
            path, value, node_id, _ = _loc(obj, None)
            span = nearest_span(locators[file], path) or Span(1, 1, 1, 1)
            key = (file, span.line, span.column)
            if key in seen:
                continue
            seen.add(key)
            node = obj.node if type(obj).__name__ == "Indicator" else obj
            label = getattr(getattr(node, "agency", None), "name", None) or "Pemda"
            out.append({"file": file, "line": span.line, "column": span.column, "end_line": span.end_line,
                        "end_column": span.end_column, "node_id": node_id, "text": value, "label": str(label)})
    return out


def run_government(rulebook: Rulebook, government: Any, locators: dict[str, Locator],
                   on: Sequence[bool] | None = None, settings: dict[str, str] | None = None) -> list[Finding]:
    """Every finding of the enabled government rules (``for x in government...``), run once over
    the Pemda tree and all agency trees. A finding lies in the file of the value it points at
    (an agency file, or the Pemda file for a sasaran) and carries its other ends in
    ``extra['related']`` (file, line, column, text)."""
    enabled = list(on) if on is not None else [True] * len(rulebook.rules)
    ctx = _Ctx(rulebook=rulebook)
    ctx.settings = dict(settings or {})
    hits: list[tuple[int, dict[str, Any]]] = []
    for rule in rulebook.rules:
        if rule.government_fn is not None and enabled[rule.index]:
            try:
                rule.government_fn(government, ctx, hits)
            except Exception as exc:  # noqa: BLE001 -- reported as a rule crash
                ctx.failed(rule.index, None, exc)
    findings: list[Finding] = []
    fallback = government.pemda.source
    paths: dict[Any, tuple[str, ...]] = {}
    for i, env in hits:
        rule = rulebook.rules[i]
        try:
            assert rule.at is not None
            _path, _value, _nid, obj = rule.at(env, ctx)
            file, _ = _place(obj)
            file = file if file in locators else fallback
            f = make_finding(rule, env, file, locators[file], ctx, paths)
            f.extra["related"] = _related(env, file, locators)
            findings.append(f)
        except Exception as exc:  # noqa: BLE001 -- a template that raises is a rule crash
            ctx.failed(i, env.get("node"), exc)
    if ctx.crashes:
        raise RuleCrash("; ".join(ctx.crashes[:5]))
    findings.sort(key=SORT_KEY)
    return findings
