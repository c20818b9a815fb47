"""GitHub Actions workflow commands: one ``::error``, ``::warning`` or ``::notice`` line per
active finding, which the runner turns into an annotation on the file and the pull request.

Escaping follows the Actions toolkit (``@actions/core``, ``command.ts``): in the message
``%``, CR and LF become ``%25``, ``%0D``, ``%0A``; in a property ``:`` and ``,`` also become
``%3A`` and ``%2C``. A statement from a tree therefore can neither end the line (and issue
a command of its own) nor add or cut short a property.

* Paths are relative to ``root`` (the current folder: the workspace in a workflow), with
  forward slashes.
* ``col``/``endColumn`` are sent only for a span on one line (GitHub accepts columns only
  then); ``endColumn`` is the last column of the span, inclusive, as the toolkit's default
  (``endColumn`` = ``col``) implies.
* A spreadsheet finding names its cell in the message and annotates the file as a whole.
* GitHub shows a limited number of annotations per step (10 of each level at the time of
  writing); every line is still in the log.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kinerjalint.findings import Finding, Severity
from kinerjalint.reporters import printable, relative_path

if TYPE_CHECKING:
    from kinerjalint.results import CheckResult
    from kinerjalint.rulebook import Rulebook

COMMAND = {Severity.error: "error", Severity.warning: "warning", Severity.info: "notice"}
_FIX = {"id": "Saran", "en": "Fix"}


def escape_data(text: str) -> str:
    return printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def display_path(source: str, root: str | Path | None = None) -> str:
    """``source`` relative to ``root`` with forward slashes; absolute if outside it."""
    rel = relative_path(source, root)
    return rel.as_posix() if rel is not None else Path(os.path.abspath(source)).as_posix()


def _properties(f: Finding, path: str) -> list[tuple[str, str]]:
    props = [("file", path)]
    if not f.ref and f.line >= 1:
        props.append(("line", str(f.line)))
        one_line = f.end_line == f.line and f.column >= 1
        if one_line:
            props.append(("col", str(f.column)))
        if f.end_line >= f.line:
            props.append(("endLine", str(f.end_line)))
        if one_line:
            props.append(("endColumn", str(max(f.column, f.end_column - 1))))
    props.append(("title", f"{f.code} {f.name}"))
    return props


def annotation(f: Finding, path: str, lang: str = "id") -> str:
    """One workflow command for a finding of the file at ``path``."""
    message = f.message(lang)
    if f.ref:
        message = f"{f.place(lang)}: {message}"
    if f.fix is not None:
        message += f"\n{_FIX['en' if lang == 'en' else 'id']}: {f.fix.text(lang)}"
    props = ",".join(f"{key}={escape_property(value)}" for key, value in _properties(f, path))
    return f"::{COMMAND[f.severity]} {props}::{escape_data(message)}"


def render(results: Sequence[CheckResult], rulebook: Rulebook | None = None, lang: str = "id",
           root: str | Path | None = None) -> str:
    """Annotation lines for the active findings; ``rulebook`` is accepted for a uniform
    reporter signature and not needed."""
    lines = [annotation(f, display_path(r.source, root), lang) for r in results for f in r.active]
    return "".join(line + "\n" for line in lines)
