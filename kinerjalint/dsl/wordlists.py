"""Word lists: data files under ``rules/words/`` (one entry per line, ``#`` comments).

``.txt`` files are sets of words or phrases; ``.tsv`` files map a word to another
(``salah<TAB>benar``). Matching ignores case and works on whole words: the entry
"sub bagian" is found in "Penataan Sub Bagian Umum" but "rp" is not found in "Terpilihnya".
"""

from __future__ import annotations

import re
from functools import cached_property
from dataclasses import dataclass, field
from pathlib import Path
from sys import intern as _intern
from typing import Any, Callable, TypeVar

T = TypeVar("T")

WORD_RE = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*|%")


class _TextMemo(dict[Any, Any]):
    """What a function of one text gave, computed on the first miss (``__missing__``)."""

    __slots__ = ("fn", "maxsize")
    fn: Callable[[Any], Any]
    maxsize: int

    def __missing__(self, key: Any) -> Any:
        if len(self) >= self.maxsize:
            self.clear()  # a long-running service starts over: cheaper than an LRU's bookkeeping
        value = self[key] = self.fn(key)
        return value


def text_memo(maxsize: int) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """Remember a function of one text, like ``lru_cache(maxsize)`` but for the hot per-text
    helpers of the rules: a hit is one C-level dict look-up (the bound ``__getitem__``), with
    no Python frame and no recency list (about 56 bytes an entry, 260k entries per cache on a
    100k-node tree). When full it is emptied rather than trimmed one entry at a time."""
    def wrap(fn: Callable[[str], T]) -> Callable[[str], T]:
        memo = _TextMemo()
        memo.fn, memo.maxsize = fn, maxsize
        return memo.__getitem__
    return wrap


@text_memo(maxsize=262_144)
def word_tuple(text: str) -> tuple[str, ...]:
    """Case-folded words of a text, cached: the same statement is read by many rules.

    The words are interned: a tree of 100k nodes repeats a few thousand words in its 260k
    texts, and the cache would otherwise hold each occurrence as a string of its own (about
    20 objects per text, the largest holder of a large check's memory)."""
    return tuple(map(_intern, WORD_RE.findall(text.casefold())))


def words_of(text: str) -> list[str]:
    """Case-folded words of a text; hyphenated words and '%' count as one word."""
    return list(word_tuple(text))


Parsed = tuple[frozenset[str], dict[str, str], dict[str, str], int]  # entries, mapping, originals, longest


def _parse(path: Path) -> Parsed:
    entries: set[str] = set()
    mapping: dict[str, str] = {}
    originals: dict[str, str] = {}
    is_map = path.suffix == ".tsv"
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if is_map:
            parts = [p.strip() for p in raw.split("\t") if p.strip()]
            if len(parts) < 2:
                continue
            key, value = " ".join(words_of(parts[0])), parts[1]
            mapping[key] = value
        else:
            key = " ".join(words_of(line))
        if key:
            entries.add(key)
            originals.setdefault(key, parts[0] if is_map else line)
    longest = max((k.count(" ") + 1 for k in entries), default=1)
    return frozenset(entries), mapping, originals, longest


def _parse_folder(files: list[Path]) -> dict[str, Parsed]:
    """Every list of a folder, parsed; kept in the cache folder (resources.cached_table) and
    parsed again when a file of the folder (or this module) changes: reading and splitting
    the 44 shipped lists into words was a fixed cost of every run."""
    from kinerjalint.resources import cached_table

    def build() -> dict[str, Parsed]:
        return {p.name: _parse(p) for p in files}

    table: dict[str, Parsed] = cached_table("words", [Path(__file__), *files], build)
    return table


_SHORT = 48  # characters: texts this short have their find() remembered
_SHORT_MAX = 65_536
_MISSING = object()
_SHORT_FINDS: dict[tuple[WordList, str], str | None] = {}


@dataclass(eq=False)
class WordList:
    name: str
    path: Path
    entries: frozenset[str] = frozenset()
    mapping: dict[str, str] = field(default_factory=dict)
    originals: dict[str, str] = field(default_factory=dict)
    longest: int = 1

    @classmethod
    def read(cls, name: str, path: Path) -> WordList:
        return cls(name, path, *_parse(path))

    def __len__(self) -> int:
        return len(self.entries)

    @cached_property
    def firsts(self) -> frozenset[str]:
        """First words of the multi-word entries: only there can a phrase start."""
        return frozenset(k.split(" ", 1)[0] for k in self.entries if " " in k)

    # -- matching, all case-insensitive and on whole words
    def has(self, text: str | None) -> bool:
        return text is not None and " ".join(word_tuple(text)) in self.entries

    def find(self, text: str | None) -> str | None:
        """The first entry that occurs in text as whole word(s), as written in the list."""
        if not text:
            return None
        if len(text) > _SHORT:
            return self._find(text)
        # Short texts (units, owners' posts, names) repeat across a tree and across rules.
        key = (self, text)
        hit = _SHORT_FINDS.get(key, _MISSING)
        if hit is _MISSING:
            if len(_SHORT_FINDS) >= _SHORT_MAX:
                _SHORT_FINDS.clear()
            hit = _SHORT_FINDS[key] = self._find(text)
        return hit  # type: ignore[return-value]

    def _find(self, text: str) -> str | None:
        ws = word_tuple(text)
        entries, firsts, longest = self.entries, self.firsts, self.longest
        if entries.isdisjoint(ws) and firsts.isdisjoint(ws):  # most texts: one C-level test each
            return None
        for i, w in enumerate(ws):
            if w in firsts:  # longest phrase first
                for n in range(min(longest, len(ws) - i), 1, -1):
                    key = " ".join(ws[i:i + n])
                    if key in entries:
                        return self.originals.get(key, key)
            if w in entries:
                return self.originals.get(w, w)
        return None

    def find_all(self, text: str | None) -> list[str]:
        if not text:
            return []
        ws = word_tuple(text)
        out: list[str] = []
        entries, firsts = self.entries, self.firsts
        if entries.isdisjoint(ws) and firsts.isdisjoint(ws):
            return out
        i = 0
        while i < len(ws):
            top = min(self.longest, len(ws) - i) if ws[i] in firsts else 1
            for n in range(top, 0, -1):
                key = ws[i] if n == 1 else " ".join(ws[i:i + n])
                if key in entries:
                    out.append(self.originals.get(key, key))
                    i += n - 1
                    break
            i += 1
        return out

    def prefix(self, text: str | None) -> str | None:
        if not text:
            return None
        ws = word_tuple(text)
        if not ws:
            return None
        top = min(self.longest, len(ws)) if ws[0] in self.firsts else 1
        for n in range(top, 0, -1):
            key = ws[0] if n == 1 else " ".join(ws[:n])
            if key in self.entries:
                return self.originals.get(key, key)
        return None

    def suffix(self, text: str | None) -> str | None:
        if not text:
            return None
        ws = word_tuple(text)
        for n in range(min(self.longest, len(ws)), 0, -1):
            key = ws[-1] if n == 1 else " ".join(ws[-n:])
            if key in self.entries:
                return self.originals.get(key, key)
        return None

    def lookup(self, text: str | None) -> str | None:
        if text is None:
            return None
        return self.mapping.get(" ".join(word_tuple(text)))


class WordLists:
    """All lists found in a set of folders; a later folder's list replaces or extends."""

    def __init__(self, folders: list[Path]) -> None:
        self.files: dict[str, list[Path]] = {}
        self._folders: dict[Path, list[Path]] = {}
        for folder in folders:
            if not folder.is_dir():
                continue
            for p in sorted(folder.iterdir()):
                if p.suffix in (".txt", ".tsv"):
                    self.files.setdefault(p.stem, []).append(p)
                    self._folders.setdefault(p.parent, []).append(p)
        self._parsed: dict[Path, dict[str, Parsed]] = {}
        self._cache: dict[str, WordList] = {}

    def _read(self, name: str, path: Path) -> WordList:
        """A list of one of the folders, from the folder's parsed table (one cache entry)."""
        folder = path.parent
        if folder not in self._parsed:
            self._parsed[folder] = _parse_folder(self._folders.get(folder, []))
        parsed = self._parsed[folder].get(path.name)
        return WordList(name, path, *parsed) if parsed is not None else WordList.read(name, path)

    def names(self) -> list[str]:
        return sorted(self.files)

    def get(self, name: str) -> WordList:
        wl = self._cache.get(name)
        if wl is None and not self.files.get(name):
            wl = self._cache[name] = WordList(name, Path(name))
        if wl is None:
            paths = self.files[name]
            wl = self._read(name, paths[0])
            for extra in paths[1:]:  # user folders extend the shipped list
                more = self._read(name, extra)
                wl = WordList(name, paths[0], wl.entries | more.entries, {**wl.mapping, **more.mapping},
                              {**wl.originals, **more.originals}, max(wl.longest, more.longest))
            self._cache[name] = wl
        return wl

    def add_mapping(self, name: str, pairs: list[tuple[str, str]]) -> None:
        """Configuration-supplied pairs (a nomenclature catalog: kode -> nama)."""
        base = self.get(name) if name in self.files else WordList(name, Path(name))
        mapping = dict(base.mapping)
        originals = dict(base.originals)
        for key, value in pairs:
            k = " ".join(words_of(key)) or key.strip()
            mapping[k] = value
            originals.setdefault(k, key)
        self._cache[name] = WordList(name, base.path, base.entries | frozenset(mapping), mapping, originals,
                                     max([base.longest] + [k.count(" ") + 1 for k in mapping]))
        self.files.setdefault(name, [])

    def add_entries(self, name: str, entries: list[str]) -> None:
        """Configuration-supplied entries (an agency's bidang names, accepted acronyms)."""
        base = self.get(name) if name in self.files else WordList(name, Path(name))
        keys = {" ".join(words_of(e)): e for e in entries if words_of(e)}
        self._cache[name] = WordList(name, base.path, base.entries | frozenset(keys), dict(base.mapping),
                                     {**base.originals, **keys},
                                     max([base.longest] + [k.count(" ") + 1 for k in keys]))
        self.files.setdefault(name, [])
