"""Check results turned into the plain values a report shows.

The formats (HTML, Markdown) read only these frozen views, so each number is computed
once and both formats agree. Text from a submission passes :func:`printable` here and
is escaped by each format; nothing in a view is markup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kinerjalint.version import __version__
from kinerjalint.findings import Finding, Severity
from kinerjalint.grading import DIMENSIONS, Grade
from kinerjalint.reporters import printable
from kinerjalint.reporting.texts import GROUPS, group_label, number, texts
from kinerjalint.ruledocs import rule_dict

if TYPE_CHECKING:
    from kinerjalint.results import CheckResult
    from kinerjalint.rulebook import Rulebook
    from kinerjalint.tree import Node, Tree

SEVERITIES = (Severity.error, Severity.warning, Severity.info)
# The CSS class / key of each severity; "clean" is a node without active findings.
KIND = {Severity.error: "error", Severity.warning: "warning", Severity.info: "info"}
PREDIKAT_KIND = {"AA": "aa", "A": "a", "BB": "bb", "B": "b", "CC": "cc", "C": "c", "D": "d"}


@dataclass(frozen=True)
class FindingView:
    code: str
    kind: str  # error | warning | info
    severity: str  # its label in the report's language
    location: str  # line:col, or a spreadsheet cell
    node: str
    message: str
    fix: str
    status: str  # active | suppressed | waived | baselined
    status_label: str
    reason: str


@dataclass(frozen=True)
class RuleView:
    code: str
    name: str
    title: str
    source: str  # the regulation the rule cites
    kind: str  # the worst severity among its findings
    severity: str
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class NodeView:
    id: str
    level: str
    statement: str
    indicators: tuple[str, ...]
    partners: tuple[str, ...]
    kind: str  # error | warning | info | clean
    status: str  # "2 galat, 1 info", or the label of "clean"
    codes: tuple[str, ...]
    has_children: bool
    closes: int  # lists that end after this node (see tree_nodes)


@dataclass(frozen=True)
class DimensionView:
    key: str
    label: str
    weight: int
    score: float
    text: str


@dataclass(frozen=True)
class AgencyView:
    anchor: str
    name: str
    source: str
    meta: tuple[tuple[str, str], ...]
    readable: bool
    gradable: bool
    score: float | None
    score_text: str
    predikat: str
    predikat_kind: str
    dimensions: tuple[DimensionView, ...]
    counts: dict[str, int]
    accepted_count: int
    top_rules: tuple[tuple[str, int], ...]
    nodes: tuple[NodeView, ...]
    orphans: tuple[NodeView, ...]
    rules: tuple[RuleView, ...]
    accepted: tuple[FindingView, ...]
    sha256: str | None


@dataclass(frozen=True)
class GroupView:
    code: str
    label: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class ReportView:
    lang: str
    title: str
    generated: str
    agencies: tuple[AgencyView, ...]
    groups: tuple[GroupView, ...]
    totals: dict[str, int]
    version: str
    rulebooks: tuple[str, ...]
    government: Any = None  # reporting.government.GovernmentView of a `check --pemda`, or None


def file_sha256(source: str) -> str | None:
    """The SHA-256 of the file's bytes now, or None when ``source`` is not a readable file."""
    try:
        path = Path(source)
        if not path.is_file():
            return None
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 16), b""):
                digest.update(block)
        return digest.hexdigest()
    except (OSError, ValueError):
        return None


def rulebook_sha256(rulebook: Rulebook | None) -> str | None:
    """A version of the rules: the hash of the rulebook's compiled source (deterministic)."""
    if rulebook is None:
        return None
    return hashlib.sha256(rulebook.source.encode("utf-8")).hexdigest()


def agency_name(result: CheckResult) -> str:
    tree = result.tree
    parts = [printable(p).strip() for p in ((tree.instansi, tree.pemda) if tree else ()) if p and p.strip()]
    return ", ".join(parts) if parts else printable(Path(result.source).name or result.source)


def _finding(f: Finding, lang: str) -> FindingView:
    t = texts(lang)
    return FindingView(
        code=printable(f.code), kind=KIND[f.severity], severity=f.severity.label(lang),
        location=printable(f.location), node=printable(f.node_id or ""), message=printable(f.message(lang)),
        fix=printable(f.fix.text(lang)) if f.fix else "", status=f.status,
        status_label=t.get(f.status, f.status), reason=printable(f.status_reason))


def _rules(result: CheckResult, lang: str) -> tuple[RuleView, ...]:
    by_code: dict[str, list[Finding]] = {}
    for f in result.active:
        by_code.setdefault(f.code, []).append(f)
    out: list[tuple[int, str, RuleView]] = []
    for code, found in by_code.items():
        worst = max(f.severity for f in found)
        rule = result.rulebook.get(code) if result.rulebook is not None else None
        doc = rule_dict(rule) if rule is not None else None
        out.append((-worst, code, RuleView(
            code=printable(code), name=printable(doc["name"] if doc else found[0].name),
            title=printable(rule.title(lang)) if rule is not None else "",
            source=printable(doc["source"] if doc and doc["source"] else found[0].source),
            kind=KIND[worst], severity=worst.label(lang), findings=tuple(_finding(f, lang) for f in found))))
    return tuple(view for _rank, _code, view in sorted(out, key=lambda o: (o[0], o[1])))


def _status(found: Sequence[Finding], lang: str) -> tuple[str, str]:
    if not found:
        return "clean", texts(lang)["clean"].lower()
    counts = Counter(f.severity for f in found)
    text = ", ".join(f"{counts[s]} {s.label(lang)}" for s in SEVERITIES if counts[s])
    return KIND[max(counts)], text


def _node(n: Node, found: Sequence[Finding], lang: str, has_children: bool, closes: int) -> NodeView:
    kind, status = _status(found, lang)
    indicators = tuple(printable(f"{i.nama} ({i.satuan})" if i.satuan else i.nama) for i in n.indikator)
    return NodeView(
        id=printable(n.id), level=n.level.label(lang), statement=printable(n.kinerja or ""),
        indicators=indicators, partners=tuple(printable(m) for m in n.mitra), kind=kind, status=status,
        codes=tuple(dict.fromkeys(printable(f.code) for f in found)), has_children=has_children, closes=closes)


def tree_nodes(tree: Tree, by_node: dict[str, list[Finding]], lang: str) -> tuple[tuple[NodeView, ...],
                                                                                tuple[NodeView, ...]]:
    """The reachable nodes in pre-order, each knowing how the nested lists around it close.

    A format opens a nested list after a node that ``has_children`` and otherwise ends the
    node's item and then ``closes`` enclosing lists. Walking with an explicit stack keeps a
    deep tree from exhausting the recursion limit; ``seen`` guards against a cycle.
    Unreachable nodes (a cycle of ``induk``) are returned apart, flat.
    """
    order: list[tuple[Node, int]] = []
    seen: set[int] = set()
    stack = [(r, 0) for r in reversed(tree.roots)]
    while stack:
        n, depth = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        order.append((n, depth))
        stack.extend((c, depth + 1) for c in reversed(n.children) if id(c) not in seen)
    views = []
    for i, (n, depth) in enumerate(order):
        nxt = order[i + 1][1] if i + 1 < len(order) else 0
        has_children = nxt > depth
        views.append(_node(n, by_node.get(n.id, []), lang, has_children, 0 if has_children else depth - nxt))
    orphans = tuple(_node(n, by_node.get(n.id, []), lang, False, 0) for n in tree.nodes if id(n) not in seen)
    return tuple(views), orphans


def _dimensions(grade: Grade | None, lang: str) -> tuple[DimensionView, ...]:
    if grade is None or not grade.gradable:
        return ()
    t = texts(lang)
    return tuple(DimensionView(key, t.get(f"dim_{key}", key), weight, grade.dimensions[key],
                               number(grade.dimensions[key], lang))
                 for key, _lid, _len, _groups, weight in DIMENSIONS if key in grade.dimensions)


def agency(result: CheckResult, index: int, lang: str) -> AgencyView:
    t = texts(lang)
    active = result.active
    counts = Counter(KIND[f.severity] for f in active)
    by_node: dict[str, list[Finding]] = {}
    for f in active:
        if f.node_id is not None:
            by_node.setdefault(f.node_id, []).append(f)
    nodes: tuple[NodeView, ...] = ()
    orphans: tuple[NodeView, ...] = ()
    meta: list[tuple[str, str]] = []
    if result.tree is not None:
        nodes, orphans = tree_nodes(result.tree, by_node, lang)
        if result.tree.tahun is not None:
            meta.append((t["year"], str(result.tree.tahun)))
        if result.tree.periode:
            meta.append((t["period"], printable(result.tree.periode)))
    grade = result.grade
    gradable = grade is not None and grade.gradable and grade.score is not None
    score = grade.score if gradable and grade is not None else None
    predikat = grade.predikat if gradable and grade is not None else t["not_gradable"]
    top = Counter(f.code for f in active).most_common()
    top.sort(key=lambda kv: (-kv[1], kv[0]))
    return AgencyView(
        anchor=f"instansi-{index + 1}", name=agency_name(result), source=printable(result.source), meta=tuple(meta),
        readable=result.tree is not None, gradable=gradable, score=score,
        score_text=number(score, lang) if score is not None else "–", predikat=predikat,
        predikat_kind=PREDIKAT_KIND.get(predikat, "na") if gradable else "na",
        dimensions=_dimensions(grade, lang), counts={k: counts[k] for k in KIND.values()},
        accepted_count=len(result.accepted), top_rules=tuple((printable(c), n) for c, n in top[:3]),
        nodes=nodes, orphans=orphans, rules=_rules(result, lang),
        accepted=tuple(_finding(f, lang) for f in result.accepted), sha256=file_sha256(result.source))


def _groups(results: Sequence[CheckResult], lang: str) -> tuple[GroupView, ...]:
    counts: dict[str, Counter[str]] = {g: Counter() for g in GROUPS}
    for r in results:
        for f in r.active:
            group = f.code.split("-")[0]
            counts.setdefault(group, Counter())[KIND[f.severity]] += 1
    extra = sorted(g for g in counts if g not in GROUPS)
    return tuple(GroupView(printable(g), group_label(printable(g), lang), {k: counts[g][k] for k in KIND.values()})
                 for g in (*GROUPS, *extra))


def build(results: Sequence[CheckResult], lang: str = "id", title: str | None = None,
          now: dt.datetime | None = None) -> ReportView:
    """The whole report as values; ``now`` defaults to the current local time."""
    lang = "en" if lang == "en" else "id"
    when = now if now is not None else dt.datetime.now().astimezone()
    pemda = [r for r in results if getattr(r, "pemda", None) is not None]
    results = [r for r in results if getattr(r, "pemda", None) is None]  # a Pemda tree is no agency
    agencies = tuple(agency(r, i, lang) for i, r in enumerate(results))
    government = None
    if pemda:
        from kinerjalint.reporting.government import government_view

        government = government_view(pemda[0], results, [a.anchor for a in agencies],
                                     [(a.score_text, a.predikat, a.predikat_kind) for a in agencies])
        results = [*results, *pemda]  # its findings (CAS-02) count in the totals
    totals = {k: sum(a.counts[k] for a in agencies) for k in KIND.values()}
    for r in pemda:
        for f in r.active:
            totals[KIND[f.severity]] += 1
    totals["accepted"] = sum(a.accepted_count for a in agencies)
    rulebooks = {id(r.rulebook): r.rulebook for r in results if r.rulebook is not None}  # usually one
    hashes = tuple(dict.fromkeys(h for rb in rulebooks.values() if (h := rulebook_sha256(rb)) is not None))
    return ReportView(
        lang=lang, title=printable(title) if title else texts(lang)["title"],
        generated=when.isoformat(sep=" ", timespec="seconds"), agencies=agencies, groups=_groups(results, lang),
        totals=totals, version=__version__, rulebooks=hashes, government=government)
