"""Rule documentation from the rule files: `kinerjalint rules`, `explain`, docs/rules.md."""

from __future__ import annotations

import json
from typing import Any

from kinerjalint.dsl import ast as A
from kinerjalint.dsl.checker import expr_source
from kinerjalint.dsl.compiled import CompiledRule
from kinerjalint.findings import Finding
from kinerjalint.rulebook import Rulebook


def _text(t: A.Texts | A.Variants | None, lang: str) -> str:
    """A text as written in the rule file; a text with variants lists each as "(name) text"."""
    if t is None:
        return ""
    if isinstance(t, A.Variants):
        return " / ".join(f"({v.name}) {_text(v.texts, lang)}" for v in t.items)
    tpl = (t.en or t.id) if lang == "en" else (t.id or t.en)
    return tpl.source if tpl else ""


def _example_text(ex: A.Example) -> str:
    if isinstance(ex.value, A.RawText):
        return ex.value.text
    return json.dumps(ex.value, ensure_ascii=False)


def severities(rule: CompiledRule) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [{"severity": rule.severity.name, "when": None}]
    for s in rule.defn.severities:
        if s.when is not None:
            out.append({"severity": s.level, "when": True})
    return out


def rule_dict(rule: CompiledRule) -> dict[str, Any]:
    d = rule.defn
    return {
        "code": rule.code,
        "name": rule.name,
        "group": rule.group,
        "severity": rule.severity.name,
        "other_severities": sorted({s.level for s in d.severities if s.when is not None}),
        "title": {"id": _text(d.title, "id"), "en": _text(d.title, "en")},
        "rationale": {"id": _text(d.rationale, "id"), "en": _text(d.rationale, "en")},
        "message": {"id": _text(d.message, "id"), "en": _text(d.message, "en")},
        "fix": {"id": _text(d.fix_text, "id"), "en": _text(d.fix_text, "en")} if d.fix_text else None,
        "autofix": d.fix_replace is not None,
        "source": d.source,
        "scope": rule.kind,
        "levels": sorted(lv.name for lv in rule.levels) if rule.levels else None,
        "examples": [{"kind": ex.kind, "value": _example_text(ex)} for ex in d.examples],
        "file": d.file.rsplit("/", 1)[-1],
    }


_GROUP_ORDER = ("STR", "T3", "LNG", "IND", "MAP", "CON", "NAM", "SYS")


def _sorted(rb: Rulebook) -> list[CompiledRule]:
    """Catalog order: groups as RULES.md lists them, then by number."""
    def key(r: CompiledRule) -> tuple[int, str]:
        g = r.code.split("-")[0]
        return (_GROUP_ORDER.index(g) if g in _GROUP_ORDER else len(_GROUP_ORDER), r.code)
    return sorted(rb.rules, key=key)


def render(rb: Rulebook, fmt: str, lang: str = "id") -> str:
    if fmt == "json":
        return json.dumps({"rules": [rule_dict(r) for r in _sorted(rb)]}, ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":
        return markdown(rb, lang)
    lines = [f"{r.code:<7} {r.severity.name:<8} {r.name:<32} {r.title(lang)}" for r in _sorted(rb)]
    return "\n".join(lines) + f"\n\n{len(rb.rules)} {'rules' if lang == 'en' else 'aturan'}\n"


def _plain(e: A.Expr) -> bool:
    """A value a person can read as it is written: ``node.kinerja``, ``kata``."""
    return isinstance(e, A.Name) or (isinstance(e, A.Attr) and _plain(e.obj))


def readable(t: A.Texts | A.Variants | None, lang: str) -> str:
    """A message or fix for a person, from its parsed template: ``{node.kinerja}`` stays,
    ``{kata:q}`` reads ``"{kata}"``, an expression (``{a + b}``, a call) becomes "…" (the rule
    fills it in from the node); variants are listed as "(name) text"."""
    if t is None:
        return ""
    if isinstance(t, A.Variants):
        return " / ".join(f"({v.name}) {readable(v.texts, lang)}" for v in t.items)
    tpl = (t.en or t.id) if lang == "en" else (t.id or t.en)
    out: list[str] = []
    for part in tpl.parts if tpl else ():
        if isinstance(part, str):
            out.append(part)
        elif _plain(part):
            out.append("{" + expr_source(part) + "}")
        elif isinstance(part, A.Call) and part.func == "quote" and _plain(part.args[0]):
            out.append('"{' + expr_source(part.args[0]) + '}"')
        else:
            out.append("…")
    return "".join(out)


def explain(rule: CompiledRule, lang: str = "id", sample: Finding | None = None) -> str:
    """One rule for a person. ``sample``, the finding of one of its failing examples, shows the
    message and the fix as a user reads them instead of their templates."""
    d = rule_dict(rule)
    en = lang == "en"
    lines = [
        f"{rule.code} {rule.name}",
        d["title"]["en" if en else "id"],
        "",
        f"{'Severity' if en else 'Tingkat'}: {rule.severity.name}"
        + (f" ({'also' if en else 'juga'} {', '.join(d['other_severities'])})" if d["other_severities"] else ""),
        f"{'Applies to' if en else 'Berlaku untuk'}: {d['scope']}" + (f" ({', '.join(d['levels'])})" if d["levels"] else ""),
        f"{'Source' if en else 'Sumber'}: {d['source']}",
        "",
        d["rationale"]["en" if en else "id"],
        "",
    ]
    # As a user reads them, on the first failing example; else the templates, readable.
    if sample is not None:
        lines.append(f"{'Message' if en else 'Pesan'} ({'e.g.' if en else 'mis.'}): {sample.message(lang)}")
    else:
        lines.append(f"{'Message' if en else 'Pesan'}: {readable(rule.defn.message, lang)}")
    if sample is not None and sample.fix is not None:
        lines.append(f"{'Fix' if en else 'Saran'}: {sample.fix.text(lang)}")
    elif d["fix"]:
        lines.append(f"{'Fix' if en else 'Saran'}: {readable(rule.defn.fix_text, lang)}")
    if d["examples"]:
        lines += ["", "Examples:" if en else "Contoh:"]
        for ex in d["examples"]:
            tag = ("FAIL" if ex["kind"] == "fail" else "PASS") if en else ("MELANGGAR" if ex["kind"] == "fail" else "LOLOS")
            lines.append(f"  {tag}: {ex['value']}")
    return "\n".join(lines) + "\n"


def markdown(rb: Rulebook, lang: str = "id") -> str:
    en = lang == "en"
    out = ["# Rule catalog" if en else "# Katalog aturan kinerjalint", "",
           "Generated from the rule files by `kinerjalint rules --format markdown`." if en else
           "Dibuat dari berkas aturan dengan `kinerjalint rules --format markdown`; jangan disunting manual.", ""]
    out += ["| kode | nama | tingkat | judul |", "|---|---|---|---|"]
    for r in _sorted(rb):
        out.append(f"| [{r.code}](#{r.code.lower()}) | {r.name} | {r.severity.name} | {r.title(lang)} |")
    for r in _sorted(rb):
        d = rule_dict(r)
        k = "en" if en else "id"
        out += ["", f"## {r.code}", "", f"**{r.name}**: {d['title'][k]}", "",
                f"- {'severity' if en else 'tingkat'}: {d['severity']}"
                + (f" ({', '.join(d['other_severities'])} {'by condition' if en else 'menurut kondisi'})" if d["other_severities"] else ""),
                f"- {'source' if en else 'sumber'}: {d['source']}", ""]
        if d["rationale"][k]:
            out += [d["rationale"][k], ""]
        out.append(f"{'Message' if en else 'Pesan'}: `{d['message'][k]}`")
        if d["fix"]:
            out += ["", f"{'Fix' if en else 'Saran'}: {d['fix'][k]}"]
        if d["examples"]:
            out += ["", "Examples:" if en else "Contoh:", ""]
            for ex in d["examples"]:
                out.append(f"- {ex['kind']}: `{ex['value']}`")
    return "\n".join(out) + "\n"
