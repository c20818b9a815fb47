"""The errors kinerjalint raises, one small hierarchy::

    KinerjalintError            known, user-facing problem: exit code 2, one clear message
    ├── UsageError              bad command-line arguments or paths
    ├── ConfigError             a configuration file with a wrong key or value
    ├── OutputError             an output file that cannot be written (disk full, no permission...)
    └── RuleError               a rule file that does not parse or does not type-check
         └── RuleSyntaxError    the rule file is not valid DSL

Broken *input trees* never raise: the loaders turn them into SYS findings.
Anything else escaping to the CLI is a bug (exit code 3).
"""

from __future__ import annotations

from dataclasses import dataclass


class KinerjalintError(Exception):
    """A known problem a user can fix; the CLI prints it on one line and exits 2."""


class UsageError(KinerjalintError):
    pass


class ConfigError(KinerjalintError):
    pass


class OutputError(KinerjalintError):
    """A report, baseline, converted or fixed file that could not be written; nothing partial is left."""


@dataclass
class SourcePoint:
    """A place in a text file a person reads: 1-based line and column."""

    path: str
    line: int
    column: int


class RuleError(KinerjalintError):
    """A rule file problem, reported as ``file:line:col: message`` with a caret excerpt."""

    def __init__(self, message: str, where: SourcePoint | None = None, excerpt: str = "") -> None:
        self.message = message
        self.where = where
        self.excerpt = excerpt
        super().__init__(self.render())

    def render(self) -> str:
        head = self.message
        if self.where is not None:
            head = f"{self.where.path}:{self.where.line}:{self.where.column}: {self.message}"
        return head + ("\n" + self.excerpt if self.excerpt else "")


class RuleSyntaxError(RuleError):
    pass
