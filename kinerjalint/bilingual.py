"""Texts in both languages as DSL values: what a rule's data or a function's note says, shown in
the language of the message that quotes it.

A :class:`Said` is an ``str`` (its Indonesian text, so comparisons, ``matches`` and word lists
work as on any text) that also carries its English text. A message template renders it with
:func:`kinerjalint.dsl.runtime.fmt` in the template's language; concatenating (``+``) or joining
Said values keeps both languages. Rules write one with ``tr("spasi ganda", "double spaces")``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["Said", "en_of", "join_said"]


class Said(str):
    """An Indonesian text (the ``str`` value) with its English version in ``en``."""

    en: str

    def __new__(cls, id_text: str, en_text: str) -> Said:
        obj = super().__new__(cls, id_text)
        obj.en = en_text
        return obj

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]  # pickle and copy keep both texts
        return str(self), self.en

    def __add__(self, other: object) -> str:
        if isinstance(other, str):
            return Said(str(self) + str(other), self.en + en_of(other))
        return NotImplemented

    def __radd__(self, other: object) -> str:
        if isinstance(other, str):
            return Said(str(other) + str(self), en_of(other) + self.en)
        return NotImplemented


def en_of(value: Any) -> str:
    """The English text of a value: a Said's ``en``, any other text as it is."""
    return value.en if isinstance(value, Said) else str(value)


def join_said(sep: str, items: Iterable[Any]) -> str:
    """``sep.join(items)``, a Said when any item is one (both languages joined)."""
    parts = [x for x in items if x is not None]
    joined = sep.join(str(x) for x in parts)
    if any(isinstance(x, Said) for x in parts):
        return Said(joined, sep.join(en_of(x) for x in parts))
    return joined
