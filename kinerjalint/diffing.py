"""Compare two checks of a submission: new, resolved and persisting findings.

Findings are matched through the nodes they sit on, so that the comparison survives
reordering, re-export to another format (ids derived from rows or positions change) and
the very fix of a statement: each node of the new tree is matched to a node of the old
one by its statement (exact after normalisation, else the most similar of the same
level), then a finding is keyed by (rule, matched node, normalised offending value).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from kinerjalint.dsl.functions.text import normalise_text
from kinerjalint.dsl.functions.tree import word_similarity
from kinerjalint.findings import Finding

Key = tuple[str, str, str]


@dataclass
class Diff:
    old_source: str
    new_source: str
    new: list[Finding] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)
    persisting: list[Finding] = field(default_factory=list)
    old_score: float | None = None
    new_score: float | None = None
    old_predikat: str = ""
    new_predikat: str = ""

    @property
    def score_change(self) -> float | None:
        if self.old_score is None or self.new_score is None:
            return None
        return round(self.new_score - self.old_score, 1)


def _node_map(old: Any, new: Any) -> dict[str, str]:
    """new node id -> normalised statement of its old counterpart."""
    if old.tree is None or new.tree is None:
        return {}
    by_text: dict[str, Any] = {}
    for n in old.tree.nodes:
        by_text.setdefault(normalise_text(n.kinerja), n)
    out: dict[str, str] = {}
    used: set[int] = set()
    pending = []
    for n in new.tree.nodes:
        key = normalise_text(n.kinerja)
        o = by_text.get(key)
        if o is not None and id(o) not in used:
            out[n.id] = key
            used.add(id(o))
        else:
            pending.append(n)
    for n in pending:
        key = normalise_text(n.kinerja)
        best, best_score = None, 0.0
        for o in old.tree.nodes:
            if id(o) in used or o.level != n.level:
                continue
            s = word_similarity(key, normalise_text(o.kinerja))
            if s > best_score:
                best, best_score = o, s
        if best is not None and best_score >= 60:
            out[n.id] = normalise_text(best.kinerja)
            used.add(id(best))
        else:
            out[n.id] = key
    return out


def _key(f: Finding, node_key: str | None) -> Key:
    statement = normalise_text(f.path[-1]) if f.path else ""
    node = node_key if node_key is not None else statement or (f.node_id or "")
    value = normalise_text(f.value)
    if value == statement:  # the finding is about the statement itself: the node says it
        value = ""
    return (f.code, node, value)


def diff_results(old: Any, new: Any) -> Diff:
    mapping = _node_map(old, new)
    old_own = {n.id: normalise_text(n.kinerja) for n in old.tree.nodes} if old.tree else {}
    old_keys = [(_key(f, old_own.get(f.node_id or "")), f) for f in old.active]
    new_keys = [(_key(f, mapping.get(f.node_id or "")), f) for f in new.active]
    pool = Counter(k for k, _ in old_keys)
    d = Diff(old.source, new.source)
    for k, f in new_keys:
        if pool[k] > 0:
            pool[k] -= 1
            d.persisting.append(f)
        else:
            d.new.append(f)
    seen = Counter(k for k, _ in new_keys)
    for k, f in old_keys:
        if seen[k] > 0:
            seen[k] -= 1
        else:
            d.resolved.append(f)
    if old.grade is not None:
        d.old_score, d.old_predikat = old.grade.score, old.grade.predikat
    if new.grade is not None:
        d.new_score, d.new_predikat = new.grade.score, new.grade.predikat
    return d


def _f(f: Finding, lang: str) -> dict[str, Any]:
    return {"code": f.code, "severity": f.severity.name, "file": f.file, "line": f.line, "column": f.column,
            "cell": f.ref, "node_id": f.node_id, "message": f.message(lang), "fingerprint": f.fingerprint}


def render_diff(d: Diff, fmt: str = "text", lang: str = "id") -> str:
    if fmt == "json":
        return json.dumps({
            "schema_version": 1, "old_file": d.old_source, "new_file": d.new_source,
            "score": {"old": d.old_score, "new": d.new_score, "change": d.score_change,
                      "old_predikat": d.old_predikat, "new_predikat": d.new_predikat},
            "new": [_f(f, lang) for f in d.new], "resolved": [_f(f, lang) for f in d.resolved],
            "persisting": [_f(f, lang) for f in d.persisting],
        }, ensure_ascii=False, indent=2) + "\n"
    en = lang == "en"
    out = [f"{'Comparing' if en else 'Membandingkan'} {d.old_source} -> {d.new_source}"]
    change = d.score_change
    if change is not None:
        sign = "+" if change >= 0 else ""
        out.append(f"{'Score' if en else 'Nilai'}: {d.old_score:.1f} ({d.old_predikat}) -> "
                   f"{d.new_score:.1f} ({d.new_predikat}), {sign}{change:.1f}")
    for title_id, title_en, items, mark in (("Temuan baru", "New findings", d.new, "+"),
                                            ("Temuan selesai", "Resolved findings", d.resolved, "-"),
                                            ("Temuan tetap", "Persisting findings", d.persisting, "=")):
        out.append("")
        out.append(f"{title_en if en else title_id}: {len(items)}")
        for f in items:
            out.append(f"  {mark} {f.code} {f.file}:{f.location} {f.message(lang)}")
    return "\n".join(out) + "\n"
