"""Suppressions, waivers and baselines: findings a team has accepted, counted apart.

* Inline, in YAML: ``# kinerjalint: abaikan T3-03 -- alasan`` at the end of the line of
  the finding, or on its own line just above the finding's line or above the node.
* Waivers (``pengecualian`` in the document, or a waiver file): code, node, reason,
  approver, expiry. An expired waiver no longer applies and is SYS-04.
* A baseline file of accepted findings keyed by fingerprints (rule + node statement +
  value), so it survives reordering and re-export. Stale entries are SYS-03.

Nothing is dropped: an accepted finding keeps its place with status ``suppressed``,
``waived`` or ``baselined`` and every summary counts it apart.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kinerjalint.errors import UsageError
from kinerjalint.messages import pydantic_text, reason
from kinerjalint.findings import SORT_KEY, Finding
from kinerjalint.span import Span

if TYPE_CHECKING:
    from kinerjalint.model import WaiverModel

_INLINE = re.compile(r"#\s*kinerjalint\s*:\s*(?:abaikan|ignore)\b(?P<codes>[^#]*?)(?:\s--\s*(?P<reason>.*?))?\s*$",
                     re.IGNORECASE)
_CODE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[0-9]{2})?")

MakeProblem = Callable[[str, str, Span, dict[str, str]], Finding]


@dataclass
class Inline:
    line: int  # the comment's line
    target: int  # the line it applies to
    codes: tuple[str, ...]
    reason: str
    used: bool = False

    def matches(self, f: Finding, node_line: int | None) -> bool:
        if f.line != self.target and node_line != self.target:
            return False
        return any(f.code == c or f.code.startswith(c + "-") or f.name == c.lower() for c in self.codes)


def parse_inline(text: str) -> list[Inline]:
    lines = text.splitlines()
    out: list[Inline] = []
    for i, line in enumerate(lines, 1):
        m = _INLINE.search(line)
        if m is None or line[: m.start()].count('"') % 2 == 1:
            continue
        codes = tuple(c.upper() if "-" in c or c.isupper() else c for c in _CODE.findall(m.group("codes")))
        target = i
        if not line[: m.start()].strip():  # a comment line: applies to the next content line
            j = i
            while j < len(lines) and (not lines[j].strip() or lines[j].lstrip().startswith("#")):
                j += 1
            target = j + 1
        out.append(Inline(i, target, codes, (m.group("reason") or "").strip()))
    return out


def _waiver_matches(w: WaiverModel, f: Finding) -> bool:
    code = w.kode.strip().upper()
    if not (f.code == code or f.code.startswith(code + "-")):
        return False
    return w.node is None or f.node_id == w.node


@dataclass
class Waiver:
    model: WaiverModel
    span: Span
    file: str
    used: bool = False


def load_waiver_file(path: Path) -> list[Waiver]:
    """A YAML file holding a list of waivers (or ``pengecualian: [...]``)."""
    from pydantic import ValidationError
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from kinerjalint.loaders.yamldoc import _Walker

    yaml = YAML(typ="safe", pure=False)
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YAMLError) as exc:
        raise UsageError("waivers.unreadable", path=str(path), why=reason(exc)) from None
    walker = _Walker(yaml)
    data: Any = walker.walk(node, ()) if node is not None else []
    prefix: tuple[Any, ...] = ()
    if isinstance(data, dict):
        data, prefix = data.get("pengecualian", []), ("pengecualian",)
    if not isinstance(data, list):
        raise UsageError("waivers.not_list", path=str(path))
    from kinerjalint.model import WaiverModel  # pydantic: only when a waiver file is read

    out = []
    for i, item in enumerate(data):
        span = walker.spans.get(prefix + (i,), Span(1, 1, 1, 1))
        try:
            out.append(Waiver(WaiverModel.model_validate(item), span, str(path)))
        except ValidationError as exc:
            err = exc.errors()[0]
            key = ".".join(str(p) for p in err["loc"]) or "pengecualian"
            raise UsageError("waivers.bad_item", path=str(path), line=span.line, n=i + 1,
                             why=pydantic_text(dict(err), key)) from None
    return out


def apply(findings: Sequence[Finding], text: str | None, waivers: Sequence[Waiver],
          node_lines: dict[str, int], make: MakeProblem, today: dt.date | None = None) -> list[Finding]:
    """Mark accepted findings, and add SYS-03/SYS-04 for unused, reasonless or expired ones."""
    today = today or dt.date.today()
    inline = parse_inline(text) if text else []
    out: list[Finding] = []
    extra: list[Finding] = []
    live = []
    for w in waivers:
        exp = w.model.kedaluwarsa
        if exp is not None and exp < today:
            extra.append(make("SYS-04", w.file, w.span, {
                "detail": f"{w.model.kode} untuk node {w.model.node or '(semua)'} berakhir {exp.isoformat()}",
                "detail_en": f"{w.model.kode} for node {w.model.node or '(all)'} expired on {exp.isoformat()}"}))
        else:
            live.append(w)
    for f in findings:
        if f.code.startswith("SYS-"):
            out.append(f)
            continue
        node_line = node_lines.get(f.node_id or "")
        hit = next((s for s in inline if s.reason and s.matches(f, node_line)), None)
        if hit is not None:
            hit.used = True
            out.append(f.with_status("suppressed", hit.reason))
            continue
        waiver = next((w for w in live if _waiver_matches(w.model, f)), None)
        if waiver is not None:
            waiver.used = True
            who = f" (disetujui {waiver.model.penyetuju})" if waiver.model.penyetuju else ""
            out.append(f.with_status("waived", waiver.model.alasan + who))
            continue
        out.append(f)
    src = findings[0].file if findings else ""
    for s in inline:
        span = Span(s.line, 1, s.line, 1)
        if not s.reason:
            extra.append(make("SYS-03", src, span, {
                "detail": f"'abaikan {' '.join(s.codes)}' tanpa alasan tidak berlaku; tulis '-- alasan'",
                "detail_en": f"'ignore {' '.join(s.codes)}' without a reason does not apply; add '-- reason'"}))
        elif not s.used:
            extra.append(make("SYS-03", src, span, {
                "detail": f"abaikan {' '.join(s.codes)} (baris {s.target})",
                "detail_en": f"ignore {' '.join(s.codes)} (line {s.target})"}))
    for w in live:
        if not w.used:
            extra.append(make("SYS-03", w.file, w.span, {
                "detail": f"pengecualian {w.model.kode} untuk node {w.model.node or '(semua)'}",
                "detail_en": f"waiver {w.model.kode} for node {w.model.node or '(all)'}"}))
    return sorted(out + extra, key=SORT_KEY)


# ---- baseline -------------------------------------------------------------------------

BASELINE_VERSION = 1
_FINGERPRINT = re.compile(r'"fingerprint"\s*:\s*"([^"\\]*)"')


def write_baseline(path: Path, findings: Sequence[Finding]) -> int:
    """One entry per line, so that a stale entry can be reported at its line."""
    entries = [{"fingerprint": f.fingerprint, "code": f.code, "file": f.file, "node_id": f.node_id,
                "message": f.message("id")} for f in findings if f.status == "active" and not f.code.startswith("SYS-")]
    body = ",\n".join("    " + json.dumps(e, ensure_ascii=False) for e in entries)
    from kinerjalint.writers.atomic import write_atomically

    text = f'{{\n  "kinerjalint_baseline": {BASELINE_VERSION},\n  "entries": [\n{body}\n  ]\n}}\n'
    write_atomically(path, text.encode("utf-8"))
    return len(entries)


@dataclass
class Baseline:
    path: Path
    entries: list[dict[str, Any]]
    lines: list[int]

    @classmethod
    def read(cls, path: Path) -> Baseline:
        try:
            text = path.read_text(encoding="utf-8")
            data = json.loads(text)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UsageError("baseline.unreadable", path=str(path), why=reason(exc)) from None
        if not isinstance(data, dict) or data.get("kinerjalint_baseline") != BASELINE_VERSION:
            raise UsageError("baseline.not_baseline", path=str(path), version=BASELINE_VERSION)
        entries = data.get("entries", [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise UsageError(f"baseline '{path}': 'entries' harus daftar entri (objek JSON)")
        # Each entry's line, for a stale entry's location: one pass over the lines (a search
        # of every line per entry was quadratic in the size of the baseline).
        first_line: dict[str, int] = {}
        for i, ln in enumerate(text.splitlines(), 1):
            for fp in _FINGERPRINT.findall(ln):
                first_line.setdefault(fp, i)
        lines = [first_line.get(str(e.get("fingerprint", "")), 1) for e in entries]
        return cls(path, entries, lines)

    def apply(self, findings: list[Finding], source: str, make: MakeProblem) -> list[Finding]:
        """Mark baselined findings of one file; entries of this file left unmatched are stale."""
        mine = Counter(e.get("fingerprint") for e in self.entries if e.get("file") == source)
        anywhere = Counter(e.get("fingerprint") for e in self.entries)
        out = []
        for f in findings:
            fp = f.fingerprint
            if f.status == "active" and not f.code.startswith("SYS-") and (mine[fp] > 0 or anywhere[fp] > 0):
                if mine[fp] > 0:
                    mine[fp] -= 1
                anywhere[fp] -= 1
                out.append(replace(f, status="baselined", status_reason=f"baseline {self.path.name}"))
            else:
                out.append(f)
        for e, line in zip(self.entries, self.lines):
            fp = str(e.get("fingerprint"))
            if e.get("file") == source and mine.get(fp, 0) > 0:
                mine[fp] -= 1
                out.append(make("SYS-03", str(self.path), Span(line, 1, line, 1), {
                    "detail": f"entri baseline {e.get('code')} ({str(e.get('message', ''))[:80]}) tidak lagi ditemukan",
                    "detail_en": f"baseline entry {e.get('code')} ({str(e.get('message', ''))[:80]}) is no longer found"}))
        return out
