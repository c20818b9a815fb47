"""The outcome of checking one file: what the API hands to reporters, writers and shells.

It lives below :mod:`kinerjalint.api` so that reporters and writers can name it without
importing the API (the layers point one way: see ``tests/test_layers.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kinerjalint.config import Config
from kinerjalint.findings import Finding, Severity
from kinerjalint.government import PemdaTree
from kinerjalint.grading import Grade
from kinerjalint.rulebook import Rulebook
from kinerjalint.tree import Tree

__all__ = ["CheckResult"]


@dataclass
class CheckResult:
    """The outcome of checking one file."""

    source: str
    findings: list[Finding] = field(default_factory=list)
    tree: Tree | None = None
    text: str | None = None
    fmt: str = ""
    grade: Grade | None = None
    config: Config | None = None
    rulebook: Rulebook | None = None
    pemda: PemdaTree | None = None  # the file was a Pemda tree (``jenis: pemda``)

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "active"]

    @property
    def accepted(self) -> list[Finding]:
        return [f for f in self.findings if f.status != "active"]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity and f.status == "active")

    @property
    def unreadable(self) -> bool:
        return self.tree is None and self.pemda is None
