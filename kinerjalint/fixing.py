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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from kinerjalint.findings import Finding
from kinerjalint.writers.atomic import write_atomically

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
    """One safe edit per value (the first rule in document order wins; the re-lint does the rest)."""
    edits: dict[tuple[Any, ...], Edit] = {}
    for f in findings:
        fx = f.fix
        if f.status != "active" or fx is None or fx.path is None or fx.replacement is None:
            continue
        if fx.path not in edits:
            edits[fx.path] = Edit(tuple(fx.path), f.value, fx.replacement, f.code)
    return list(edits.values())


def apply_to_text(text: str, edits: Sequence[Edit]) -> tuple[str, list[Edit], list[str]]:
    """(new text, edits applied, reasons for edits skipped)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.nodes import ScalarNode

    root = YAML(typ="safe", pure=False).compose(text)
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for ln in lines:
        offsets.append(offsets[-1] + len(ln))
    spans: list[tuple[int, int, str, Edit]] = []
    skipped: list[str] = []
    for e in edits:
        node = _find_node(root, e.path)
        if not isinstance(node, ScalarNode) or node.start_mark.line != node.end_mark.line \
                or node.style in ("|", ">"):
            skipped.append(f"{'.'.join(map(str, e.path))}: nilai bukan teks satu baris")
            continue
        start = offsets[node.start_mark.line] + node.start_mark.column
        end = offsets[node.end_mark.line] + node.end_mark.column
        spans.append((start, end, _scalar_text(e.new, node.style), e))
    out = text
    for start, end, new_text, _e in sorted(spans, key=lambda s: -s[0]):
        out = out[:start] + new_text + out[end:]
    return out, [s[3] for s in spans], skipped


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


def apply_fixes(results: Sequence[Any], write: bool, show_diff: bool, out: IO[str]) -> int:
    """Fix every YAML result; returns how many files changed (or would change)."""
    changed = 0
    for r in results:
        if any(f.code in ("SYS-01", "SYS-02") for f in r.findings):
            out.write(f"{r.source}: tidak diperbaiki karena berkas tidak terbaca utuh (SYS-01/SYS-02)\n")
            continue
        edits = plan_edits(r.findings)
        if not edits:
            continue
        if r.fmt != "yaml" or r.text is None:
            out.write(f"{r.source}: perbaikan otomatis hanya untuk berkas YAML; {len(edits)} saran dilewati\n")
            continue
        new, applied, skipped = apply_to_text(r.text, edits)
        for why in skipped:
            out.write(f"{r.source}: dilewati {why}\n")
        if not applied or new == r.text:
            continue
        problem = _verify(r.text, new, applied)
        if problem is not None:
            out.write(f"{r.source}: tidak ditulis, {problem}\n")
            continue
        changed += 1
        if show_diff:
            out.writelines(difflib.unified_diff(r.text.splitlines(keepends=True), new.splitlines(keepends=True),
                                                fromfile=r.source, tofile=r.source + " (diperbaiki)"))
        if write:
            write_atomically(Path(r.source), new.encode("utf-8"))
            codes = ", ".join(sorted({e.code for e in applied}))
            out.write(f"{r.source}: {len(applied)} perbaikan ditulis ({codes})\n")
    return changed
