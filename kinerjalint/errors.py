"""The errors kinerjalint raises, one small hierarchy::

    KinerjalintError            known, user-facing problem: exit code 2, one clear message
    ├── UsageError              bad command-line arguments or paths
    ├── ConfigError             a configuration file with a wrong key or value
    ├── OutputError             an output file that cannot be written (disk full, no permission...)
    └── RuleError               a rule file that does not parse or does not type-check
         └── RuleSyntaxError    the rule file is not valid DSL

Broken *input trees* never raise: the loaders turn them into SYS findings.
Anything else escaping to the CLI is a bug (exit code 3).

An error is raised with a key of the message catalog (:mod:`kinerjalint.messages`) and its
arguments, and put into words in the user's language when shown (:meth:`render`); a plain
sentence is still accepted (said the same in both languages).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kinerjalint.bilingual import en_of
from kinerjalint.messages import CATALOG, Message


class KinerjalintError(Exception):
    """A known problem a user can fix; the CLI prints it on one line and exits 2."""

    def __init__(self, message: str = "", /, **args: Any) -> None:
        self.message_key = message if message in CATALOG else None
        self.params = args
        super().__init__(Message(message, args).render("id") if self.message_key else message)

    def render(self, lang: str = "id") -> str:
        if self.message_key is None:  # a text of its own (a Said carries its English)
            said = self.args[0] if self.args else ""
            return en_of(said) if lang == "en" else str(said)
        return Message(self.message_key, self.params).render(lang)


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

    def __init__(self, message: str, where: SourcePoint | None = None, excerpt: str = "", **args: Any) -> None:
        self.message_key = message if message in CATALOG else None
        self.params = args
        self.message = Message(message, args).render("id") if self.message_key else message
        self.where = where
        self.excerpt = excerpt
        Exception.__init__(self, self.render())

    def render(self, lang: str = "id") -> str:
        own = en_of(self.message) if lang == "en" else str(self.message)  # a Said carries its English
        head = Message(self.message_key, self.params).render(lang) if self.message_key else own
        if self.where is not None:
            head = f"{self.where.path}:{self.where.line}:{self.where.column}: {head}"
        return head + ("\n" + self.excerpt if self.excerpt else "")


class RuleSyntaxError(RuleError):
    pass
