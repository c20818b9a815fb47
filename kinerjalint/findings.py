"""Findings: frozen, sortable, serialisable values produced by the engine."""

from __future__ import annotations

import hashlib
import operator
from dataclasses import dataclass, field, fields
from enum import IntEnum
from collections.abc import Callable
from typing import Any


class Severity(IntEnum):
    info = 1
    warning = 2
    error = 3

    def label(self, lang: str = "id") -> str:
        if lang == "en":
            return self.name
        return {Severity.info: "info", Severity.warning: "peringatan", Severity.error: "galat"}[self]

    @classmethod
    def parse(cls, text: str) -> Severity:
        t = text.strip().lower()
        aliases = {"peringatan": "warning", "galat": "error", "kesalahan": "error", "informasi": "info"}
        return cls[aliases.get(t, t)]


@dataclass(frozen=True, slots=True)
class Fix:
    """A suggestion; ``replacement`` set means a safe edit of the value at ``path``."""

    text_id: str
    text_en: str
    path: tuple[str | int, ...] | None = None
    replacement: str | None = None

    def text(self, lang: str = "id") -> str:
        return self.text_en if lang == "en" else self.text_id


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    name: str
    severity: Severity
    message_id: str
    message_en: str
    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    ref: str | None = None
    node_id: str | None = None
    path: tuple[str, ...] = ()
    fix: Fix | None = None
    value: str = ""
    source: str = ""
    status: str = "active"  # active | suppressed | waived | baselined
    status_reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def message(self, lang: str = "id") -> str:
        return self.message_en if lang == "en" else self.message_id

    @property
    def location(self) -> str:
        return self.ref if self.ref else f"{self.line}:{self.column}"

    def place(self, lang: str = "id") -> str:
        """:attr:`location` in the reader's language (a worksheet's "baris 5" is "row 5" in English)."""
        from kinerjalint.span import place_label

        return place_label(self.ref, lang) if self.ref else f"{self.line}:{self.column}"

    @property
    def fingerprint(self) -> str:
        """Stable across reordering and re-export: rule + node + normalised offending value.

        The node is identified by its statement, not by its id, because ids derived from
        positions change when siblings are reordered or a table is re-exported.
        """
        norm = " ".join(self.value.casefold().split())
        node = " ".join(self.path[-1].casefold().split()) if self.path else (self.node_id or "")
        raw = f"{self.code}\x1f{node}\x1f{norm}"
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.code)  # the same as SORT_KEY's, which sorts faster

    def with_status(self, status: str, reason: str = "") -> Finding:
        from dataclasses import replace

        return replace(self, status=status, status_reason=reason)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Pickled as the constructor's arguments: a quarter cheaper both ways than the
        # field-by-field state of a slotted dataclass (a forked child sends 100,000 back).
        return Finding, _FIELDS(self)


# Finding.sort_key as one C call: the key of a sort of 200,000 findings.
SORT_KEY: Callable[[Finding], tuple[str, int, int, str]] = operator.attrgetter("file", "line", "column", "code")
_FIELDS = operator.attrgetter(*(f.name for f in fields(Finding)))
