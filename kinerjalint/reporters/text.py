"""Human-readable output: findings grouped by file, source line and caret.

The report is built as blocks of styled pieces; on a terminal rich prints them in colour,
anywhere else (a pipe, a file, pre-commit's captured output) they are joined as plain
text, which is what rich writes there too, without importing it: rich costs a pre-commit
run more than a tenth of its start-up.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import IO, Any

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

Piece = tuple[str, str]  # text, rich style ("" for none)
# One printed block: its pieces and the style under all of them; it ends with a newline.
Block = tuple[list[Piece], str]

# The control characters rich's Text drops (BEL, BS, VT, FF, CR): the plain text drops them too.
_RICH_STRIPPED = dict.fromkeys((7, 8, 11, 12, 13))


def _excerpt(lines: list[str] | None, f: Finding) -> Block | None:
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
    caret = "^" * min(width, max(1, len(shown) - col))
    return ([("    " + prefix + shown + suffix + "\n", ""), ("    " + " " * (len(prefix) + col), ""),
             (caret, _STYLE[f.severity])], "dim")


def _count(n: int, word: str, lang: str) -> str:
    """'1 file', '6 errors' in English; Indonesian nouns take no plural ('6 galat')."""
    if lang == "en" and n != 1 and word in ("file", "error", "warning"):
        word += "s"
    return f"{n} {word}"


def blocks(results: Sequence[Any], lang: str = "id", verbose: bool = False) -> list[Block]:
    """The whole report, block by block (each block one ``print``)."""
    t = _T["en" if lang == "en" else "id"]
    out: list[Block] = []
    totals = {s: 0 for s in Severity}
    hidden = 0
    for r in results:
        active = r.active
        lines = r.text.splitlines() if r.text and active else None  # once per file, not per finding
        hidden += len(r.findings) - len(active)
        out.append(([(r.source, "")], "bold underline"))
        if not active:
            out.append(([("  ", ""), (t["none"], "green")], ""))
        for f in active:
            totals[f.severity] += 1
            out.append(([("  ", ""), (f"{r.source}:{f.place(lang)}", "bold"), (" ", ""),
                         (f"{f.severity.label(lang)}", _STYLE[f.severity]), (f" {f.code} ", "bold"),
                         (f"[{f.name}] ", "dim"),
                         (printable(f.message(lang)), "")], ""))  # tree text is untrusted: no escape sequences
            ex = _excerpt(lines, f)
            if ex is not None:
                out.append(ex)
            for rel in f.extra.get("related", ()):  # the other end of a government (CAS) finding
                out.append(([(f"    {t['related']}: {rel['file']}:{rel['line']}:{rel['column']} ({rel['label']})", "")],
                            "dim"))
            if f.fix is not None:
                out.append(([(f"    {t['fix']}: {printable(f.fix.text(lang))}", "")], "green"))
            if verbose and f.path:
                out.append(([(f"    {t['path']}: " + printable(" > ".join(f.path)), "")], "dim"))
        grade = getattr(r, "grade", None)
        if grade is not None:
            out.append(([(f"  {grade.summary(lang)}", "")], ""))
        out.append(([], ""))
    parts = [_count(totals[s], s.label(lang), lang) for s in (Severity.error, Severity.warning, Severity.info)]
    line = f"{t['summary']}: {_count(len(results), t['files'], lang)}, " + ", ".join(parts)
    if hidden:
        line += f", {hidden} {t['suppressed']}"
    out.append(([(line, "")], "bold"))
    return out


def plain(results: Sequence[Any], lang: str = "id", verbose: bool = False) -> str:
    """The report as plain text: what rich prints where there is no terminal."""
    out = []
    for pieces, _style in blocks(results, lang, verbose):
        body = "".join(p for p, _ in pieces).translate(_RICH_STRIPPED)
        if "\t" in body:  # rich expands tabs to stops of 8 when it prints
            body = "\n".join(ln.expandtabs(8) for ln in body.split("\n"))
        out.append(body + "\n")
    return "".join(out)


def render(results: Sequence[Any], console: Any, lang: str = "id", verbose: bool = False) -> None:
    """Print the report in colour on a rich ``Console``."""
    from rich.text import Text

    for pieces, style in blocks(results, lang, verbose):
        block = Text(style=style)
        for piece, piece_style in pieces:
            block.append(piece, style=piece_style or None)
        console.print(block)


def is_terminal(stream: IO[str]) -> bool:
    """Does ``stream`` take colour? As rich decides it: ``TTY_COMPATIBLE``, ``FORCE_COLOR``
    (https://force-color.org/), else whether it is a terminal."""
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    force = os.environ.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream: no colour
        return False
