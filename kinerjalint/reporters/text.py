"""Human-readable output with rich: findings grouped by file, source line and caret."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from kinerjalint.findings import Finding, Severity

_STYLE = {Severity.error: "bold red", Severity.warning: "yellow", Severity.info: "cyan"}
_T = {
    "id": {"none": "tidak ada temuan", "summary": "Ringkasan", "files": "berkas", "fix": "saran",
           "suppressed": "dikecualikan", "path": "jalur"},
    "en": {"none": "no findings", "summary": "Summary", "files": "files", "fix": "fix",
           "suppressed": "suppressed", "path": "path"},
}


def _excerpt(text: str | None, f: Finding) -> Text | None:
    if not text or f.ref or f.line < 1:
        return None
    lines = text.splitlines()
    if f.line > len(lines):
        return None
    src = lines[f.line - 1].expandtabs(1)
    width = max(1, (f.end_column - f.column) if f.end_line == f.line else len(src) - f.column + 1)
    out = Text("    " + src + "\n", style="dim")
    out.append("    " + " " * (f.column - 1) + "^" * min(width, max(1, len(src) - f.column + 1)), style=_STYLE[f.severity])
    return out


def render(results: Sequence[Any], console: Console, lang: str = "id", verbose: bool = False) -> None:
    t = _T["en" if lang == "en" else "id"]
    totals = {s: 0 for s in Severity}
    hidden = 0
    for r in results:
        active = r.active
        hidden += len(r.findings) - len(active)
        console.print(Text(r.source, style="bold underline"))
        if not active:
            console.print(f"  [green]{t['none']}[/]")
        for f in active:
            totals[f.severity] += 1
            head = Text("  ")
            head.append(f"{r.source}:{f.location}", style="bold")
            head.append(" ")
            head.append(f"{f.severity.label(lang)}", style=_STYLE[f.severity])
            head.append(f" {f.code} ", style="bold")
            head.append(f"[{f.name}] ", style="dim")
            head.append(f.message(lang))
            console.print(head)
            ex = _excerpt(r.text, f)
            if ex is not None:
                console.print(ex)
            if f.fix is not None:
                console.print(Text(f"    {t['fix']}: {f.fix.text(lang)}", style="green"))
            if verbose and f.path:
                console.print(Text(f"    {t['path']}: " + " > ".join(f.path), style="dim"))
        grade = getattr(r, "grade", None)
        if grade is not None:
            console.print(f"  {escape(grade.summary(lang))}")
        console.print()
    parts = [f"{totals[s]} {s.label(lang)}" for s in (Severity.error, Severity.warning, Severity.info)]
    line = f"{t['summary']}: {len(results)} {t['files']}, " + ", ".join(parts)
    if hidden:
        line += f", {hidden} {t['suppressed']}"
    console.print(Text(line, style="bold"))
