"""The rules' regular expressions, each behind a cheap test of what a match must contain.

Python's regular expressions try a pattern at every position of a text, and a pattern with
alternatives (``\\b(dalam|dlm)\\s+...|\\s%\\s*$|...``) pays for each of them there: 2-6
microseconds on a statement, on almost every text for nothing, since most rule patterns look
for a slip that few texts have. Most such patterns cannot match unless the text holds one of
a few plain strings: a digit, a "(", one of the words of an alternative. Those strings are
read off the parsed pattern once (:func:`needs`), and a text that holds none of them is
answered at once, by substring tests in C on its lower-cased form.

The test is a necessary condition, never a different answer: only literal characters, small
character classes, groups, alternatives and repeats of at least one are read; anything else
(``\\w``, look-arounds, back-references) asks for nothing. It is used on ASCII texts only:
there case-insensitive matching is exactly ``str.lower``, while Unicode case folding has
exceptions (the dotless i, the long s) that a substring test would miss.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from re import _constants as C
from re import _parser as P
from typing import Any

__all__ = ["RulePattern", "compile_pattern", "needs", "rule_pattern"]

_DIGITS = frozenset("0123456789")
_MAX_CLASS = 12  # a character class of more characters asks for nothing (a letter range is no filter)

Need = frozenset[str]  # the text must contain one of these (lower case)


def _class_chars(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is C.LITERAL and av < 128:
            chars.add(chr(av).lower())
        elif op is C.RANGE and av[1] < 128 and av[1] - av[0] < _MAX_CLASS:
            chars.update(chr(c).lower() for c in range(av[0], av[1] + 1))
        elif op is C.CATEGORY and av is C.CATEGORY_DIGIT:
            chars |= _DIGITS
        else:  # a negated class, \w, \s, a wide range, a non-ASCII character
            return None
    return frozenset(chars) if 0 < len(chars) <= _MAX_CLASS else None


def _strength(n: Need) -> tuple[int, int]:
    """How much a need filters: its shortest string first, then how few strings it has."""
    return (min(map(len, n)), -len(n))


def _best(conj: list[Need]) -> Need | None:
    return max(conj, key=_strength) if conj else None


def _sequence(items: Any) -> list[Need]:
    """What a sequence of parsed items must contain: a list of needs, all of which hold."""
    out: list[Need] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            out.append(frozenset(["".join(run)]))
            run.clear()

    for op, av in items:
        if op is C.LITERAL and av < 128:
            run.append(chr(av).lower())
            continue
        flush()
        if op is C.SUBPATTERN:
            out.extend(_sequence(av[3]))
        elif op is C.ATOMIC_GROUP:
            out.extend(_sequence(av))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            if av[0] >= 1:
                out.extend(_sequence(av[2]))
        elif op is C.BRANCH:
            alts = [_best(_sequence(alt)) for alt in av[1]]
            if all(a is not None for a in alts):
                out.append(frozenset().union(*alts))  # type: ignore[arg-type]
        elif op is C.IN:
            chars = _class_chars(av)
            if chars is not None:
                out.append(chars)
        # anything else (AT, ANY, CATEGORY, NOT_LITERAL, ASSERT, GROUPREF, ...) asks for nothing
    flush()
    return out


def _starts_anchored(items: Any) -> bool:
    """Every alternative begins with ``^``: the engine gives up at the first position anyway."""
    items = list(items)
    if not items:
        return False
    op, av = items[0]
    if op is C.AT:
        return av is C.AT_BEGINNING or av is C.AT_BEGINNING_STRING
    if op is C.BRANCH:
        return all(_starts_anchored(alt) for alt in av[1])
    if op is C.SUBPATTERN:
        return _starts_anchored(av[3])
    return False


def needs(pattern: str) -> tuple[Need, ...]:
    """What any match of the (case-insensitive) pattern must contain, as lower-case strings:
    for each need, at least one of its strings. Empty when nothing is worth testing."""
    try:
        parsed = P.parse(pattern, re.IGNORECASE)
        if _starts_anchored(parsed):
            return ()
        found = sorted(set(_sequence(parsed)), key=lambda n: (_strength(n), sorted(n)), reverse=True)  # the same every run
    except Exception:  # noqa: BLE001 -- a private parser's shape may change: then no test, the plain pattern
        return ()
    # A single letter filters nothing; a digit or a punctuation mark does.
    kept = [n for n in found if not any(len(s) == 1 and s.isalpha() for s in n)]
    return tuple(kept[:3])


class RulePattern:
    """A compiled rule pattern (case-insensitive) whose searches first test :func:`needs`."""

    __slots__ = ("pattern", "rx", "needs", "groups")

    def __init__(self, pattern: str, found: tuple[Need, ...] | None = None) -> None:
        self.pattern = pattern
        self.rx = re.compile(pattern, re.IGNORECASE)
        self.needs = needs(pattern) if found is None else found
        self.groups = self.rx.groups

    def __reduce__(self) -> tuple[Any, tuple[str, tuple[Need, ...]]]:
        # kept in the rulebook cache with its needs: a run from the cache does not parse it again
        return (RulePattern, (self.pattern, self.needs))

    def __repr__(self) -> str:
        return f"RulePattern({self.pattern!r})"

    def could_match(self, text: str) -> bool:
        if not self.needs or not text.isascii():
            return True
        low = text.lower()
        for need in self.needs:
            for s in need:
                if s in low:
                    break
            else:
                return False
        return True

    def search(self, text: str) -> re.Match[str] | None:
        return self.rx.search(text) if self.could_match(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.rx.finditer(text) if self.could_match(text) else iter(())


def compile_pattern(pattern: str) -> re.Pattern[str] | RulePattern:
    """A rule pattern (case-insensitive, as everywhere in the rule language): behind its
    test when it has one, else the plain compiled pattern (no Python call in between)."""
    rp = RulePattern(pattern)
    return rp if rp.needs else rp.rx


@lru_cache(maxsize=1024)
def rule_pattern(pattern: str) -> re.Pattern[str] | RulePattern:
    """:func:`compile_pattern`, once per pattern."""
    return compile_pattern(pattern)
