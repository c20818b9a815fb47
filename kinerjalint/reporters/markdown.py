"""A Markdown report (GitHub-flavoured): per file a heading, the counts and a table.

Meant for a pull-request comment, a job summary (``$GITHUB_STEP_SUMMARY``) or an e-mail.
Every piece of text from a tree goes through :func:`escape`: ``<`` and ``&`` are written
as entities (so a statement can neither open a tag nor spell an entity), the characters
that start inline Markdown (links, emphasis, code, strike-through, math, table cells)
are backslash-escaped, and line breaks become ``<br>`` so that a table row stays one line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kinerjalint.findings import Finding, Severity
from kinerjalint.messages import plural
from kinerjalint.reporters import printable

if TYPE_CHECKING:
    from kinerjalint.results import CheckResult
    from kinerjalint.rulebook import Rulebook

_T = {
    "id": {"title": "Laporan kinerjalint", "file": "berkas", "files": "berkas", "summary": "Ringkasan",
           "none": "Tidak ada temuan.", "accepted": "dikecualikan", "unreadable": "Berkas tidak dapat dibaca.",
           "columns": ("Kode", "Tingkat", "Lokasi", "Pesan", "Saran")},
    "en": {"title": "kinerjalint report", "file": "file", "files": "files", "summary": "Summary",
           "none": "No findings.", "accepted": "suppressed", "unreadable": "The file cannot be read.",
           "columns": ("Code", "Severity", "Location", "Message", "Fix")},
}
_ORDER = (Severity.error, Severity.warning, Severity.info)

_HTML = {"&": "&amp;", "<": "&lt;"}  # "<" opens every tag and autolink; ">" alone opens nothing
# Inline Markdown: backslash, code, emphasis, links/images, tables, strike-through, math,
# headings' closing sequence. Other punctuation is only special at the start of a line,
# and escaped text never starts a line here.
_SPECIAL = re.compile(r"([\\`*_\[\]|~$#])")
_NEWLINE = re.compile(r"\r\n|\r|\n")


def escape(text: str, newline: str = "<br>") -> str:
    """Untrusted text made safe for one line of GitHub-flavoured Markdown (a table cell)."""
    out = "".join(_HTML.get(c, c) for c in printable(text))
    out = _SPECIAL.sub(r"\\\1", out)
    return _NEWLINE.sub(newline, out)


def _counts(findings: Sequence[Finding], lang: str, accepted: int) -> str:
    t = _T["en" if lang == "en" else "id"]
    parts = [plural(sum(1 for f in findings if f.severity == s), s.label(lang), lang) for s in _ORDER]
    if accepted:
        parts.append(f"{accepted} {t['accepted']}")
    return ", ".join(parts)


def _row(f: Finding, lang: str) -> str:
    cells = (f.code, f.severity.label(lang), f.place(lang), f.message(lang), f.fix.text(lang) if f.fix else "")
    return "| " + " | ".join(escape(c) for c in cells) + " |"


def _file(r: CheckResult, lang: str) -> list[str]:
    t = _T["en" if lang == "en" else "id"]
    active = r.active
    out = [f"## {escape(r.source, ' ')}", "",
           f"**{t['summary']}:** {_counts(active, lang, len(r.findings) - len(active))}", ""]
    if r.unreadable:
        out += [f"_{t['unreadable']}_", ""]
    grade = getattr(r, "grade", None)
    if grade is not None:
        out += [escape(grade.summary(lang), " "), ""]
    if not active:
        return out + [f"_{t['none']}_", ""]
    out.append("| " + " | ".join(t["columns"]) + " |")
    out.append("|" + "---|" * len(t["columns"]))
    out += [_row(f, lang) for f in active]
    return out + [""]


def render(results: Sequence[CheckResult], rulebook: Rulebook | None = None, lang: str = "id") -> str:
    """The report; ``rulebook`` is accepted for a uniform reporter signature and not needed."""
    t = _T["en" if lang == "en" else "id"]
    active = [f for r in results for f in r.active]
    accepted = sum(len(r.findings) for r in results) - len(active)
    out = [f"# {t['title']}", "",
           f"{plural(len(results), str(t['file']), lang)}: {_counts(active, lang, accepted)}", ""]
    for r in results:
        out += _file(r, lang)
    return "\n".join(out).rstrip("\n") + "\n"
