"""Human-readable output with rich: findings grouped by file, source line and caret."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from kinerjalint.findings import Finding, Severity
from kinerjalint.span import is_worksheet_place
from kinerjalint.reporters import printable

_STYLE = {Severity.error: "bold red", Severity.warning: "yellow", Severity.info: "cyan"}
_T = {
    "id": {"none": "tidak ada temuan", "summary": "Ringkasan", "files": "berkas", "fix": "saran",
           "suppressed": "dikecualikan", "path": "jalur", "related": "terkait"},
    "en": {"none": "no findings", "summary": "Summary", "files": "file", "fix": "fix",
           "suppressed": "suppressed", "path": "path", "related": "related"},
}


WINDOW = 120  # characters of a long source line shown around the finding's column


def _excerpt(lines: list[str] | None, f: Finding) -> Text | None:
    """The finding's source line with a caret under its value; a long line (a one-line JSON
    tree) is cut to a window around the column, marked with an ellipsis on the cut side.
    A workbook cell has no line to show; a worksheet's text export does (a .docx has no text)."""
    if not lines or (f.ref and not is_worksheet_place(f.ref)) or f.line < 1 or f.line > len(lines):
        return None
    src = lines[f.line - 1]  # a tab counts as one column (expandtabs(1)), so cut first, then expand:
    # expanding the whole line per finding made a one-line tree quadratic (11 s of 17 s at 30k nodes)
    width = max(1, (f.end_column - f.column) if f.end_line == f.line else len(src) - f.column + 1)
    start = max(0, min(f.column - 1 - WINDOW // 3, len(src) - WINDOW))
    shown = printable(src[start:start + WINDOW].expandtabs(1))
    col = f.column - 1 - start  # 0-based column of the value inside the window
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + WINDOW < len(src) else ""
    out = Text("    " + prefix + shown + suffix + "\n", style="dim")
    caret = "^" * min(width, max(1, len(shown) - col))
    out.append("    " + " " * (len(prefix) + col) + caret, style=_STYLE[f.severity])
    return out


def _count(n: int, word: str, lang: str) -> str:
    """'1 file', '6 errors' in English; Indonesian nouns take no plural ('6 galat')."""
    if lang == "en" and n != 1 and word in ("file", "error", "warning"):
        word += "s"
    return f"{n} {word}"


def render(results: Sequence[Any], console: Console, lang: str = "id", verbose: bool = False) -> None:
    t = _T["en" if lang == "en" else "id"]
    totals = {s: 0 for s in Severity}
    hidden = 0
    for r in results:
        active = r.active
        lines = r.text.splitlines() if r.text and active else None  # once per file, not per finding
        hidden += len(r.findings) - len(active)
        console.print(Text(r.source, style="bold underline"))
        if not active:
            console.print(f"  [green]{t['none']}[/]")
        for f in active:
            totals[f.severity] += 1
            head = Text("  ")
            head.append(f"{r.source}:{f.place(lang)}", style="bold")
            head.append(" ")
            head.append(f"{f.severity.label(lang)}", style=_STYLE[f.severity])
            head.append(f" {f.code} ", style="bold")
            head.append(f"[{f.name}] ", style="dim")
            head.append(printable(f.message(lang)))  # tree text is untrusted: no escape sequences
            console.print(head)
            ex = _excerpt(lines, f)
            if ex is not None:
                console.print(ex)
            for rel in f.extra.get("related", ()):  # the other end of a government (CAS) finding
                console.print(Text(f"    {t['related']}: {rel['file']}:{rel['line']}:{rel['column']} ({rel['label']})",
                                   style="dim"))
            if f.fix is not None:
                console.print(Text(f"    {t['fix']}: {printable(f.fix.text(lang))}", style="green"))
            if verbose and f.path:
                console.print(Text(f"    {t['path']}: " + printable(" > ".join(f.path)), style="dim"))
        grade = getattr(r, "grade", None)
        if grade is not None:
            console.print(f"  {escape(grade.summary(lang))}")
        console.print()
    parts = [_count(totals[s], s.label(lang), lang) for s in (Severity.error, Severity.warning, Severity.info)]
    line = f"{t['summary']}: {_count(len(results), t['files'], lang)}, " + ", ".join(parts)
    if hidden:
        line += f", {hidden} {t['suppressed']}"
    console.print(Text(line, style="bold"))
