"""The Python API: check files and folders. The CLI and the service call only this."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kinerjalint.engine import problem_finding, run_rules
from kinerjalint.errors import UsageError
from kinerjalint.findings import Finding, Severity
from kinerjalint.loaders import SUPPORTED, LoadResult, load_path, load_text
from kinerjalint.rulebook import Rulebook, load_rulebook
from kinerjalint.tree import Tree

__all__ = ["CheckResult", "check_file", "check_paths", "check_text", "collect_files", "load_rulebook"]


@dataclass
class CheckResult:
    """The outcome of checking one file."""

    source: str
    findings: list[Finding] = field(default_factory=list)
    tree: Tree | None = None
    text: str | None = None
    fmt: str = ""

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "active"]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.active if f.severity == severity)

    @property
    def unreadable(self) -> bool:
        return self.tree is None


def _check_loaded(loaded: LoadResult, rulebook: Rulebook, on: Sequence[bool] | None) -> CheckResult:
    enabled = list(on) if on is not None else [True] * len(rulebook.rules)
    findings = [problem_finding(rulebook, p, loaded.source) for p in loaded.problems
                if (r := rulebook.get(p.code)) is None or enabled[r.index]]
    if loaded.tree is not None:
        findings.extend(run_rules(rulebook, loaded.tree, loaded.locator, enabled))
    findings.sort(key=Finding.sort_key)
    return CheckResult(loaded.source, findings, loaded.tree, loaded.text, loaded.fmt)


def check_text(text: str, source: str = "<teks>", fmt: str = "yaml", rulebook: Rulebook | None = None,
               select: Iterable[str] = (), ignore: Iterable[str] = ()) -> CheckResult:
    rb = rulebook or load_rulebook()
    return _check_loaded(load_text(text, source, fmt), rb, rb.select(select, ignore))


def check_file(path: str | Path, rulebook: Rulebook | None = None, select: Iterable[str] = (),
               ignore: Iterable[str] = (), display: str | None = None) -> CheckResult:
    rb = rulebook or load_rulebook()
    return _check_loaded(load_path(Path(path), display), rb, rb.select(select, ignore))


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, plus every supported file below named folders (sorted, hidden skipped)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED
                              and not any(part.startswith(".") for part in f.relative_to(p).parts)))
        elif p.exists():
            out.append(p)
        else:
            raise UsageError(f"berkas atau folder '{p}' tidak ada")
    return out


def check_paths(paths: Iterable[str | Path], rulebook: Rulebook | None = None, select: Iterable[str] = (),
                ignore: Iterable[str] = ()) -> list[CheckResult]:
    rb = rulebook or load_rulebook()
    on = rb.select(select, ignore)
    return [_check_loaded(load_path(f), rb, on) for f in collect_files(paths)]
