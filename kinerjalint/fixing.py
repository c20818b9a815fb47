"""`kinerjalint check --fix / --diff`: apply the safe fixes of rules to YAML files.

A safe fix is a rule's ``fix replace FIELD with ...``: the condition form of a verb, a
known misspelling, stray spaces. Edits are surgical: only the characters of the edited
scalar change, found from the composed node's marks, so comments, key order, quoting
and every other byte of the file stay as they were. (A round-trip dump by ruamel.yaml
re-indents sequences and re-wraps long lines, which is why it is used here only to
verify the result.) A file is written only if it was read without errors, every edited
value reads back as intended, no comment was lost, and the new text still parses; the
write is atomic (a temporary file renamed over the original).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from kinerjalint.messages import text
from kinerjalint.findings import Finding
from kinerjalint.writers.atomic import write_atomically

# Fields that hold a statement or an indicator's name, in the tree and in the tables: a fix
# of one applies to every copy of the same text in these. A unit ("Kegiatan") is not copied:
# the same word may be right for another indicator.
_STATEMENTS = frozenset({"kinerja", "nama", "indikator"})
_PLAIN_UNSAFE = (": ", " #", "\t")
_PLAIN_START = tuple("-?:,[]{}#&*!|>'\"%@`")


@dataclass(frozen=True)
class Edit:
    path: tuple[Any, ...]
    old: str
    new: str
    code: str


def _scalar_text(value: str, style: str | None) -> str:
    """The new value written in the original scalar's style (plain if it stays plain-safe)."""
    if style == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    if not style and value and value == value.strip() and not value.startswith(_PLAIN_START) \
            and not any(u in value for u in _PLAIN_UNSAFE) and value.lower() not in ("yes", "no", "true", "false", "null", "~"):
        try:
            float(value)
        except ValueError:
            return value
    return json.dumps(value, ensure_ascii=False)  # a double-quoted YAML scalar


def _find_node(root: Any, path: Sequence[Any]) -> Any:
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    node = root
    for part in path:
        if isinstance(node, MappingNode):
            node = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return None
        if node is None:
            return None
    return node


def plan_edits(findings: Sequence[Finding]) -> list[Edit]:
    """One safe edit per value (the first rule in document order wins; the next round does the rest)."""
    edits: dict[tuple[Any, ...], Edit] = {}
    for f in findings:
        fx = f.fix
        if f.status != "active" or fx is None or fx.path is None or fx.replacement is None:
            continue
        if fx.path not in edits:
            edits[fx.path] = Edit(tuple(fx.path), f.value, fx.replacement, f.code)
    return list(edits.values())


def _scalars(root: Any) -> dict[str, list[tuple[tuple[Any, ...], Any]]]:
    """Every one-line text scalar of the document (mapping values and list items, not keys)
    by its value, with its path: the places that hold the same text as an edited one."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    out: dict[str, list[tuple[tuple[Any, ...], Any]]] = {}
    seen: set[int] = set()
    stack: list[tuple[tuple[Any, ...], Any]] = [((), root)]
    while stack:
        path, node = stack.pop()
        if id(node) in seen:  # an alias: the anchored node is edited once, where it is written
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            if node.style not in ("|", ">") and node.start_mark.line == node.end_mark.line:
                out.setdefault(node.value, []).append((path, node))
        elif isinstance(node, SequenceNode):
            stack.extend((path + (i,), item) for i, item in enumerate(node.value))
        elif isinstance(node, MappingNode):
            stack.extend((path + (getattr(k, "value", None),), v) for k, v in node.value)
    return out


def apply_to_text(text: str, edits: Sequence[Edit]) -> tuple[str, list[Edit], list[str]]:
    """(new text, edits applied, reasons for edits skipped).

    An edit also applies to every other place holding exactly the same text (a statement
    copied into the Tahap 3/4/5 tables): fixing the tree alone made the tables drift from
    it (CON-04) and spelled one name two ways (NAM-01). Copies come back as edits of their
    own, with the code of the fix and the path of the copy."""
    from ruamel.yaml import YAML
    from ruamel.yaml.nodes import ScalarNode

    root = YAML(typ="safe", pure=False).compose(text)
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for ln in lines:
        offsets.append(offsets[-1] + len(ln))
    by_value = _scalars(root)
    spans: dict[int, tuple[int, str, Edit]] = {}  # start offset -> (end, new text, edit)
    copies: list[tuple[Any, Edit]] = []
    skipped: list[str] = []

    def place(node: Any, e: Edit) -> None:
        start = offsets[node.start_mark.line] + node.start_mark.column
        end = offsets[node.end_mark.line] + node.end_mark.column
        spans.setdefault(start, (end, _scalar_text(e.new, node.style), e))

    for e in edits:
        node = _find_node(root, e.path)
        if not isinstance(node, ScalarNode) or node.start_mark.line != node.end_mark.line \
                or node.style in ("|", ">"):
            skipped.append(f"{'.'.join(map(str, e.path))}: nilai bukan teks satu baris")
            continue
        place(node, e)  # the edits named by findings first: a copy never overrides one
        if e.path and e.path[-1] in _STATEMENTS:  # a statement, not a short value such as a unit
            copies.extend((other, Edit(path, node.value, e.new, e.code))
                          for path, other in by_value.get(node.value, ())
                          if other is not node and path and path[-1] in _STATEMENTS)
    for other, e in copies:
        place(other, e)
    out = text
    for start, (end, new_text, _e) in sorted(spans.items(), key=lambda s: -s[0]):
        out = out[:start] + new_text + out[end:]
    return out, [v[2] for _, v in sorted(spans.items())], skipped


def _verify(old: str, new: str, edits: Sequence[Edit]) -> str | None:
    """Why the new text must not be written, or None when it is sound."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="rt").load(new)
    except YAMLError as exc:
        return f"hasil tidak dapat dibaca ulang: {exc}"
    for e in edits:
        cur: Any = data
        for part in e.path:
            try:
                cur = cur[part]
            except (KeyError, IndexError, TypeError):
                return f"nilai {'.'.join(map(str, e.path))} hilang"
        if str(cur) != e.new:
            return f"nilai {'.'.join(map(str, e.path))} terbaca '{cur}', bukan '{e.new}'"
    if sum(ln.count("#") for ln in old.splitlines()) > sum(ln.count("#") for ln in new.splitlines()):
        return "sebuah komentar akan hilang"
    return None


MAX_ROUNDS = 5  # fixes that enable further fixes (a verb, then a spelling in the same statement)

Recheck = Callable[[Any, str], Any]  # (the file's CheckResult, new text) -> CheckResult of that text


def _worse(before: Sequence[Finding], after: Sequence[Finding]) -> str | None:
    """Why ``after`` is worse than ``before``: more active findings, or a code that was not there."""
    old = [f for f in before if f.status == "active"]
    new = [f for f in after if f.status == "active"]
    fresh = sorted({f.code for f in new} - {f.code for f in old})
    if fresh:
        return f"temuan baru {', '.join(fresh)}"
    if len(new) > len(old):
        return f"temuan bertambah dari {len(old)} menjadi {len(new)}"
    return None


@dataclass
class Outcome:
    text: str
    applied: list[Edit]
    rounds: int
    notes: list[str]


def fix_text(result: Any, recheck: Recheck) -> Outcome:
    """Apply every safe fix to one YAML file's text until no fix is left (at most MAX_ROUNDS).

    Each round applies one edit per value, re-checks the new text in memory and plans the
    fixes it still has; a second run then has nothing left to do. Of the rounds whose text
    reads back as intended, the last one that leaves the file with no more findings than
    it had and no code it did not have is kept (the reason for any round left out is noted)."""
    text, findings = result.text, result.findings
    rounds: list[tuple[str, list[Edit], str | None]] = []  # text, edits so far, why it is worse
    applied: list[Edit] = []
    notes: list[str] = []
    seen = {text}
    for _ in range(MAX_ROUNDS):
        edits = plan_edits(findings)
        if not edits:
            break
        new, done, skipped = apply_to_text(text, edits)
        notes.extend(f"dilewati {why}" for why in skipped if f"dilewati {why}" not in notes)
        if not done or new in seen:
            break
        problem = _verify(text, new, done)
        if problem is not None:
            notes.append(f"putaran {len(rounds) + 1} tidak ditulis, {problem}")
            break
        checked = recheck(result, new)
        if any(f.code in ("SYS-01", "SYS-02") for f in checked.findings):
            notes.append(f"putaran {len(rounds) + 1} tidak ditulis, hasilnya tidak terbaca utuh (SYS-01/SYS-02)")
            break
        text, findings = new, checked.findings
        seen.add(text)
        applied = applied + done
        rounds.append((text, applied, _worse(result.findings, findings)))
    while rounds and rounds[-1][2] is not None:
        _, last, why = rounds.pop()
        dropped = last[len(rounds[-1][1]) if rounds else 0:]
        notes.append(f"{len(dropped)} perbaikan tidak ditulis karena {why} "
                     f"({', '.join(sorted({e.code for e in dropped}))})")
    if not rounds:
        return Outcome(result.text, [], 0, notes)
    return Outcome(rounds[-1][0], rounds[-1][1], len(rounds), notes)


def apply_fixes(results: Sequence[Any], write: bool, show_diff: bool, out: IO[str], recheck: Recheck,
                notes: IO[str] | None = None, lang: str = "id") -> int:
    """Fix every YAML result; returns how many files changed (or would change).

    The diff goes to ``out``; what was done and skipped to ``notes`` (stderr in the CLI, so
    that a report on stdout stays readable)."""
    log = notes or out
    changed = 0
    for r in results:
        if r.fmt != "yaml" or r.text is None:
            n = len(plan_edits(r.findings))
            key = "fix.only_yaml_suggested" if n else "fix.only_yaml"
            log.write(text(key, lang, source=r.source, kind=(r.fmt or "?").upper(), n=n) + "\n")
            continue
        if any(f.code in ("SYS-01", "SYS-02") for f in r.findings):
            log.write(text("fix.unreadable", lang, source=r.source) + "\n")
            continue
        outcome = fix_text(r, recheck)
        for why in outcome.notes:
            log.write(f"{r.source}: {why}\n")
        if not outcome.applied or outcome.text == r.text:
            continue
        changed += 1
        if show_diff:
            out.writelines(difflib.unified_diff(r.text.splitlines(keepends=True),
                                                outcome.text.splitlines(keepends=True),
                                                fromfile=r.source, tofile=r.source + (" (fixed)" if lang == "en"
                                                                                      else " (diperbaiki)")))
        if write:
            write_atomically(Path(r.source), outcome.text.encode("utf-8"))
            codes = ", ".join(sorted({e.code for e in outcome.applied}))
            log.write(text("fix.written", lang, source=r.source, n=len(outcome.applied), codes=codes) + "\n")
    return changed


