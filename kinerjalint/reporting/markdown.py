"""The inspectorate report as GitHub-flavoured Markdown: the same sections as the HTML one,
the government page of ``report --pemda`` included.

Charts become tables with bars of block characters, node colours become coloured squares
with a legend. Every text from a submission goes through the Markdown reporter's
:func:`~kinerjalint.reporters.markdown.escape` (no tag, no entity, no link, no emphasis,
no table cell can come out of it); rule titles and wording are escaped the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kinerjalint.reporters.markdown import escape
from kinerjalint.reporting.digest import AgencyView, NodeView, ReportView, RuleView, build
from kinerjalint.reporting.texts import texts

if TYPE_CHECKING:
    from kinerjalint.results import CheckResult

__all__ = ["render"]

SQUARE = {"error": "🟥", "warning": "🟧", "info": "🟦", "clean": "🟩"}
KINDS = ("error", "warning", "info")


def _bar(value: float, most: float, width: int = 20) -> str:
    filled = round(width * value / most) if most > 0 else 0
    return "`" + "█" * filled + "░" * (width - filled) + "`"


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> list[str]:
    """A table; ``head`` is trusted wording, the cells are escaped by the caller."""
    out = ["| " + " | ".join(escape(h) for h in head) + " |",
           "|" + "|".join("---:" if i in right else "---" for i in range(len(head))) + "|"]
    out += ["| " + " | ".join(cells) + " |" for cells in rows]
    return out + [""]


def _header(r: ReportView) -> list[str]:
    t = texts(r.lang)
    return [f"# {escape(r.title, ' ')}", "", escape(t["intro"].replace("{n}", str(len(r.agencies)))), "",
            f"**{escape(t['generated'])}:** {escape(r.generated)} · **{escape(t['version'])}:** {escape(r.version)}",
            "", f"> {escape(t['disclaimer'])}", ""]


def _summary(r: ReportView) -> list[str]:
    t = texts(r.lang)
    rows = []
    for i, a in enumerate(r.agencies, 1):
        top = ", ".join(f"{escape(c)} ({n})" for c, n in a.top_rules) or "–"
        rows.append([str(i), escape(a.name), escape(a.source), escape(a.score_text), escape(a.predikat),
                     *(str(a.counts[k]) for k in KINDS), str(a.accepted_count), top])
    rows.append(["", f"**{escape(t['total'])}**", "", "", "", *(f"**{r.totals[k]}**" for k in KINDS),
                 f"**{r.totals['accepted']}**", ""])
    head = [t["no"], t["agency"], t["file"], t["score"], t["predikat"], t["error"], t["warning"], t["info"],
            t["accepted"], t["top_rules"]]
    return [f"## {escape(t['summary'])}", "", *_table(head, rows, right=(0, 3, 5, 6, 7, 8)),
            f"_{escape(t['accepted'])}: {escape(t['accepted_hint'])}._", ""]


def _government(r: ReportView) -> list[str]:
    """The government page of ``report --pemda``, as the HTML report's: the cascade (Pemda
    sasaran -> supporting agencies -> their outcomes), the outcomes that support no sasaran,
    the agencies x CAS matrix with each agency's grade, and the crosscutting pairs."""
    g = r.government
    if g is None:
        return []
    t = texts(r.lang)
    intro = t["gov_intro"].replace("{pemda}", g.pemda).replace("{file}", g.source)
    out = [f"## {escape(t['gov'])}: {escape(g.pemda, ' ')}", "", escape(intro), "",
           f"### {escape(t['gov_cascade'])}", ""]
    for tj in g.tujuan:
        depth = 0
        if tj.id:
            out.append(f"- **{escape(t['gov_tujuan'])} {escape(tj.id)}**: {escape(tj.statement)}")
            depth = 1
        for sv in tj.sasaran:
            mark = SQUARE["clean"] if sv.supporters else SQUARE["warning"]
            line = f"{mark} **{escape(t['gov_sasaran'])} {escape(sv.id)}**: {escape(sv.statement)}"
            if sv.indicators:
                line += "<br>" + "; ".join(escape(i) for i in sv.indicators)
            if not sv.supporters:
                line += f"<br>_{escape(t['gov_no_support'])}_"
            out.append("  " * depth + "- " + line)
            for o in sv.supporters:
                how = "" if o.linked else f" _({escape(t['gov_by_content'])})_"
                out.append("  " * (depth + 1) + f"- {escape(o.agency)} → **{escape(o.node)}** "
                                                f"{escape(o.statement)}{how}")
    out.append("")
    if g.unlinked:
        out += [f"### {escape(t['gov_unlinked'])}", ""]
        out += [f"- {escape(o.agency)} → **{escape(o.node)}** {escape(o.statement)}" for o in g.unlinked]
        out.append("")
    codes = [escape(c) for c in g.codes]
    rows = [[escape(m.agency), *(str(n) for n in m.counts), escape(m.score_text), escape(m.predikat)]
            for m in g.matrix]
    rows.append([escape(t["gov_pemda_file"]), *(str(n) for n in g.pemda_counts), "", ""])
    out += [f"### {escape(t['gov_matrix'])}", "",
            *_table([t["agency"], *g.codes, t["score"], t["predikat"]], rows,
                    right=tuple(range(1, len(codes) + 2)))]
    out += [f"### {escape(t['gov_pairs'])}", ""]
    if g.pairs:
        prow = [[escape(p.agency), f"**{escape(p.node)}** {escape(p.statement)}",
                 escape(p.partner) + (f" ({escape(p.partner_node)})" if p.partner_node else ""),
                 escape(t["gov_" + p.state])] for p in g.pairs]
        out += _table([t["agency"], t["node"], t["gov_partner"], t["gov_state"]], prow)
    else:
        out += [f"_{escape(t['gov_no_pairs'])}_", ""]
    return out


def _charts(r: ReportView) -> list[str]:
    t = texts(r.lang)
    scores = [[escape(a.name), escape(a.score_text), escape(a.predikat),
               _bar(a.score, 100) if a.score is not None else "–"] for a in r.agencies]
    most = max([g.total for g in r.groups] + [1])
    groups = [[f"{escape(g.code)} {escape(g.label)}", *(str(g.counts[k]) for k in KINDS), str(g.total),
               _bar(g.total, most)] for g in r.groups]
    return [f"## {escape(t['charts'])}", "", f"### {escape(t['chart_scores'])}", "",
            *_table([t["agency"], t["score"], t["predikat"], "0–100"], scores, right=(1,)),
            escape(t["chart_scores_note"]), "", f"### {escape(t['chart_groups'])}", "",
            *_table(["", t["error"], t["warning"], t["info"], t["total"], ""], groups, right=(1, 2, 3, 4))]


def _node(n: NodeView, depth: int, lang: str) -> str:
    """One list item on one line: text never starts a line, so it cannot open a block."""
    t = texts(lang)
    parts = [f"{SQUARE[n.kind]} **{escape(n.id)}** · {escape(n.level)}: {escape(n.statement)}",
             f"{escape(t['indicators'])}: " + ("; ".join(escape(i) for i in n.indicators)
                                                or f"_{escape(t['no_indicator'])}_")]
    if n.partners:
        parts.append(f"{escape(t['partners'])}: " + ", ".join(escape(p) for p in n.partners))
    parts.append(f"_{escape(n.status)}_" + (": " + ", ".join(escape(c) for c in n.codes) if n.codes else ""))
    return "  " * depth + "- " + "<br>".join(parts)


def _tree(a: AgencyView, lang: str) -> list[str]:
    t = texts(lang)
    legend = " · ".join(f"{SQUARE[k]} {escape(t[k].lower())}" for k in (*KINDS, "clean"))
    out = [f"### {escape(t['tree'])}", "", f"{escape(t['legend'])}: {legend}", ""]
    if not a.nodes:
        out += [f"_{escape(t['no_tree'])}_", ""]
    depth = 0
    for n in a.nodes:
        out.append(_node(n, depth, lang))
        depth = depth + 1 if n.has_children else depth - n.closes
    if a.nodes:
        out.append("")
    if a.orphans:
        out += [f"**{escape(t['orphans'])}**", ""]
        for n in a.orphans:
            out.append(_node(n, 0, lang))
        out.append("")
    return out


def _rule(rv: RuleView, lang: str) -> list[str]:
    t = texts(lang)
    title = f": {escape(rv.title)}" if rv.title else ""
    rows = [[escape(f.location), escape(f.node or "–"), escape(f.message), escape(f.fix)] for f in rv.findings]
    return [f"#### {escape(rv.code)} {escape(rv.name)}{title} ({escape(rv.severity)}, {len(rv.findings)})", "",
            f"**{escape(t['rule_source'])}:** {escape(rv.source or '–')}", "",
            *_table([t["location"], t["node"], t["message"], t["fix"]], rows)]


def _agency(a: AgencyView, index: int, lang: str) -> list[str]:
    t = texts(lang)
    meta = "".join(f" · {escape(label)} {escape(value)}" for label, value in a.meta)
    out = [f"## {index}. {escape(a.name, ' ')}", "", f"{escape(t['file'])}: {escape(a.source)}{meta}", "",
           f"**{escape(t['score'])}:** {escape(a.score_text)} ({escape(a.predikat)})", ""]
    if a.dimensions:
        rows = [[escape(d.label), str(d.weight), escape(d.text), _bar(d.score, 100, 10)] for d in a.dimensions]
        out += _table([t["dimension"], t["weight"], t["subscore"], ""], rows, right=(1, 2))
    if not a.readable:
        out += [f"> **{escape(t['unreadable'])}**", ""]
    else:
        out += _tree(a, lang)
    out += [f"### {escape(t['findings'])}", ""]
    for rv in a.rules:
        out += _rule(rv, lang)
    if not a.rules:
        out += [f"_{escape(t['no_findings'])}_", ""]
    if a.accepted:
        rows = [[escape(f.code), escape(f.status_label), escape(f.location), escape(f.node or "–"), escape(f.message),
                 escape(f.reason or "–")] for f in a.accepted]
        out += [f"### {escape(t['accepted_findings'])} ({len(a.accepted)})", "",
                *_table([t["code"], t["status"], t["location"], t["node"], t["message"], t["reason"]], rows)]
    return out


def _reproducibility(r: ReportView) -> list[str]:
    t = texts(r.lang)
    rows = [[str(i), escape(a.source), escape(a.sha256 or t["missing"])] for i, a in enumerate(r.agencies, 1)]
    return [f"## {escape(t['repro'])}", "", escape(t["repro_note"]), "",
            f"- {escape(t['version'])}: kinerjalint {escape(r.version)}",
            f"- {escape(t['rulebook'])}: " + (", ".join(escape(h) for h in r.rulebooks) or "–"),
            f"- {escape(t['time'])}: {escape(r.generated)}", "",
            *_table([t["no"], t["file"], "SHA-256"], rows, right=(0,))]


def render(results: Sequence[CheckResult], lang: str = "id", title: str | None = None,
           now: dt.datetime | None = None) -> str:
    """The report over ``results`` in ``lang`` ("id" or "en"); ``now`` is the time it states."""
    report = build(results, lang, title, now)
    out = _header(report) + _summary(report) + _government(report) + _charts(report)
    for i, a in enumerate(report.agencies, 1):
        out += _agency(a, i, report.lang)
    out += _reproducibility(report)
    return "\n".join(out).rstrip("\n") + "\n"
