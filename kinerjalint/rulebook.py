"""Load rule files, check and compile them once, and keep the result.

A rulebook is every ``*.rules`` file of the shipped ``rules/`` folder plus any extra
folders (``--rules DIR``); word lists come from the ``words/`` folders beside them.
Loading is done once per process (cached by folder set).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import pickle
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING, Any

from kinerjalint.dsl.compiled import CompiledRule, link
from kinerjalint.dsl.wordlists import WordList, WordLists
from kinerjalint.errors import RuleError, SourcePoint
from kinerjalint.messages import reason
from kinerjalint.resources import cache_dir, prune_cache, rules_dir, touch_cache

if TYPE_CHECKING:
    from kinerjalint.dsl import ast as A

RULE_SUFFIX = ".rules"


@dataclass
class Rulebook:
    rules: list[CompiledRule]
    walk: Callable[..., None]
    words: WordLists
    source: str = ""
    by_code: dict[str, CompiledRule] = field(default_factory=dict)
    folders: tuple[Path, ...] = ()

    def __post_init__(self) -> None:
        self.by_code = {r.code: r for r in self.rules}

    def get(self, code: str) -> CompiledRule | None:
        return self.by_code.get(code)

    def select(self, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[bool]:
        """Which rules are on: by code (``IND-04``), group prefix (``IND``, ``T3``) or name."""
        sel = [s.strip() for s in select if s.strip()]
        ign = [s.strip() for s in ignore if s.strip()]

        def hit(rule: CompiledRule, pats: list[str]) -> bool:
            return any(p.upper() == rule.code or p.upper() == rule.group.upper() or p == rule.name
                       or (p.upper().endswith("-") and rule.code.startswith(p.upper())) for p in pats)

        return [(not sel or hit(r, sel)) and not hit(r, ign) for r in self.rules]

    def unknown_selectors(self, pats: Iterable[str]) -> list[str]:
        groups = {r.group.upper() for r in self.rules}
        out = []
        for p in pats:
            q = p.strip()
            if q and not (q.upper() in self.by_code or q.upper() in groups or any(r.name == q for r in self.rules)):
                out.append(q)
        return out


def rule_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*{RULE_SUFFIX}"))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError("rules.unreadable", SourcePoint(str(path), 1, 1), why=reason(exc)) from None


Additions = tuple[tuple[str, tuple[str, ...]], ...]
Mappings = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]


def _parse_cached(text: str, path: str) -> list[A.RuleDef]:
    """Parsed rule definitions, from a pickle cache keyed by the rule text and the grammar.

    Parsing ~60 rules with lark takes about 0.2 s, a pre-commit user's whole budget; the
    cache makes a second run skip it. Errors are never cached: a bad file is re-parsed
    and reported every time. An unwritable cache folder is simply not used.
    """
    from kinerjalint.version import __version__
    from kinerjalint.resources import grammar_text
    from kinerjalint.dsl.parser import parse_rules  # lark: imported only when the cache misses

    folder = cache_dir()
    if folder is None:
        return parse_rules(text, path)
    key = hashlib.sha256("\x1f".join((__version__, grammar_text(), path, text)).encode()).hexdigest()[:32]
    entry = folder / f"rules-{key}.pickle"
    try:
        with entry.open("rb") as fh:
            cached: list[A.RuleDef] = pickle.load(fh)  # noqa: S301 -- our own cache folder
        touch_cache(entry)
        return cached
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError):
        pass
    defs = parse_rules(text, path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(defs, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, entry)
        prune_cache(entry)
    except OSError:
        pass
    return defs


def build_rulebook(folders: tuple[Path, ...], words_extra: Additions = (), mappings: Mappings = ()) -> Rulebook:
    texts: dict[str, str] = {}
    for folder in folders:
        if not folder.is_dir():
            raise RuleError("cli.no_rule_folder", path=str(folder))
        for path in rule_files(folder):
            texts[str(path)] = _read(path)
    words = WordLists([f / "words" for f in folders])
    for name, entries in words_extra:  # configuration: an agency's bidang names, accepted terms
        words.add_entries(name, list(entries))
    for name, pairs in mappings:  # configuration: a nomenclature catalog
        words.add_mapping(name, list(pairs))
    cache = cache_dir()
    key = _rulebook_key(texts, words, words_extra, mappings) if cache is not None else ""
    entry = cache / f"rulebook-{key}.pickle" if cache is not None else None
    cached = _load_compiled(entry, key, words) if entry is not None else None
    if cached is not None:
        src, code, globs, rules, pending = cached
    else:  # the parser (lark) and the compiler are imported only here, on a miss
        from kinerjalint.bilingual import Said
        from kinerjalint.dsl.compiler import RuleCompiler, compile_source

        defs: list[A.RuleDef] = []
        for path_text, text in texts.items():
            defs.extend(_parse_cached(text, path_text))
        compiler = RuleCompiler(words, texts)
        seen: dict[str, A.RuleDef] = {}
        for d in defs:
            if d.code in seen:
                first = seen[d.code]
                compiler.ctx.file = d.file
                raise compiler.err(Said(f"kode aturan {d.code} sudah dipakai di {first.file}:{first.pos.line}",
                                        f"the rule code {d.code} is already used in {first.file}:{first.pos.line}"),
                                   d.pos)
            seen[d.code] = d
            compiler.add(d)
        src, globs = compiler.build()
        rules, pending = compiler.rules, compiler.pending
        code = compile_source(src)
        if entry is not None:
            _store_compiled(entry, (key, marshal.dumps(code), src, globs, rules, pending))
    walk = link(rules, pending, code, globs)
    return Rulebook(rules, walk, words, src, folders=folders)


# -- the compiled-rulebook cache
#
# Parsing, checking and generating the rule module and compiling it took about 0.17 s of a
# 0.5 s pre-commit run. The cache keeps what the compiler made: the generated source, its
# code object (marshal), the globals it needs (regular expressions, levels, references to
# DSL functions by name; word lists by name, looked up again in this run's WordLists so that
# they stay the run's own objects) and the rules' metadata before linking. The key covers
# everything the result depends on: the rule texts, the word files, the configured word
# entries, the grammar, the package's Python files (path, size, mtime) and the interpreter.
# A missing, stale, truncated or otherwise unreadable entry is rebuilt, never an error.


def _rulebook_key(texts: dict[str, str], words: WordLists, words_extra: Additions, mappings: Mappings) -> str:
    from kinerjalint.resources import grammar_text
    from kinerjalint.version import __version__

    h = hashlib.sha256()
    for part in (__version__, sys.version, grammar_text(), repr(words_extra), repr(mappings)):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    for path, text in texts.items():
        h.update(f"{path}\x1f{text}\x1e".encode("utf-8", "surrogatepass"))
    for name in words.names():
        for wpath in words.files.get(name, []):
            h.update(f"{wpath}\x1f".encode("utf-8", "surrogatepass"))
            try:
                h.update(wpath.read_bytes())
            except OSError:
                h.update(b"\x00unreadable")
            h.update(b"\x1e")
    package = Path(__file__).resolve().parent
    for py in sorted(package.rglob("*.py")):
        try:
            st = py.stat()
        except OSError:
            continue
        h.update(f"{py.relative_to(package)}:{st.st_size}:{st.st_mtime_ns}\x1e".encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:32]


class _WordRef(pickle.Pickler):
    """Pickles a word list as its name: it is read again from this run's lists."""

    def persistent_id(self, obj: Any) -> Any:
        if isinstance(obj, WordList):
            return ("wordlist", obj.name)
        return None


class _WordUnref(pickle.Unpickler):
    def __init__(self, fh: Any, words: WordLists) -> None:
        super().__init__(fh)
        self.words = words

    def persistent_load(self, pid: Any) -> Any:
        if not (isinstance(pid, tuple) and len(pid) == 2 and pid[0] == "wordlist" and isinstance(pid[1], str)):
            raise pickle.UnpicklingError("unknown persistent id")
        return self.words.get(pid[1])


Compiled = tuple[str, CodeType, dict[str, Any], list[Any], dict[int, dict[str, Any]]]


def _load_compiled(entry: Path, key: str, words: WordLists) -> Compiled | None:
    try:
        with entry.open("rb") as fh:
            data = _WordUnref(fh, words).load()  # noqa: S301 -- our own cache folder
        stored_key, code_bytes, src, globs, rules, pending = data
        code = marshal.loads(code_bytes)
        if (stored_key != key or not isinstance(code, CodeType) or not isinstance(src, str)
                or not isinstance(globs, dict) or not isinstance(rules, list) or not isinstance(pending, dict)
                or not all(isinstance(r, CompiledRule) for r in rules)):
            return None
        touch_cache(entry)
        return src, code, globs, rules, pending
    except Exception:  # noqa: BLE001 -- a damaged cache entry of any kind is rebuilt, never an error
        return None


def _store_compiled(entry: Path, data: tuple[Any, ...]) -> None:
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            _WordRef(fh, protocol=pickle.HIGHEST_PROTOCOL).dump(data)
        os.replace(tmp, entry)
        prune_cache(entry)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        # An unwritable folder, or a value of a user's rule that cannot be pickled: no cache.
        try:
            tmp.unlink()
        except (OSError, UnboundLocalError):
            pass


@lru_cache(maxsize=16)
def _cached(folders: tuple[Path, ...], words_extra: Additions, mappings: Mappings) -> Rulebook:
    return build_rulebook(folders, words_extra, mappings)


def load_rulebook(extra: Iterable[str | Path] = (), builtin: bool = True, words_extra: Additions = (),
                  mappings: Mappings = ()) -> Rulebook:
    """The compiled rulebook; one per distinct set of folders and configured word lists."""
    folders = ([rules_dir()] if builtin else []) + [Path(p).resolve() for p in extra]
    return _cached(tuple(dict.fromkeys(folders)), words_extra, mappings)


def example_document(value: Any) -> dict[str, Any]:
    """An example of a rule as a document: a bare node becomes the tree's root."""
    if isinstance(value, dict) and "pohon" in value:
        return value
    return {"pohon": value}
