"""Access to the data that ships with the package: grammar, rules, word lists, schemas.

In a wheel they live in ``kinerjalint/_data/`` (mapped there at build time); in a source
checkout they are the top-level ``grammar/``, ``rules/`` and ``schema/`` folders.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any


@cache
def data_dir(name: str) -> Path:
    # The package's own folder, as importlib.resources.files("kinerjalint") names it for an
    # installed package (without importing importlib.resources: 5 ms of every start-up).
    here = Path(__file__).resolve().parent
    packaged = here / "_data" / name
    if packaged.is_dir():
        return packaged
    return here.parent / name


def grammar_text() -> str:
    return (data_dir("grammar") / "kinerjalint.lark").read_text(encoding="utf-8")


def rules_dir() -> Path:
    return data_dir("rules")


def schema_dir() -> Path:
    return data_dir("schema")


def cache_dir() -> Path | None:
    """Where kinerjalint keeps what it can rebuild (the compiled rulebook, dictionary tables):
    ``KINERJALINT_CACHE_DIR``, else the user cache folder; None with ``KINERJALINT_NO_CACHE``."""
    if os.environ.get("KINERJALINT_NO_CACHE"):
        return None
    base = os.environ.get("KINERJALINT_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kinerjalint"


def _entry(name: str, sources: Sequence[Path]) -> tuple[str, Path] | None:
    """The key of a cached value and its file: the package version, the interpreter and each
    source file's path, size and modification time. None without a cache folder."""
    folder = cache_dir()
    if folder is None:
        return None
    from kinerjalint.version import __version__

    parts = [__version__, sys.version]
    for src in sources:
        try:
            st = src.stat()
            parts.append(f"{src}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{src}:missing")
    key = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return key, folder / f"{name}-{key}.marshal"


def _read_entry(key: str, entry: Path) -> Any:
    """The value kept under ``key``, or ``_MISSING`` when the file is absent, damaged or foreign."""
    try:
        stored_key, value = marshal.loads(entry.read_bytes())
        if stored_key == key:
            touch_cache(entry)
            return value
    except Exception:  # noqa: BLE001, S110 -- a missing or damaged entry of any kind is rebuilt
        pass
    return _MISSING


def _write_entry(key: str, entry: Path, value: Any) -> None:
    """Kept atomically (a reader sees the old file or the new one); a folder that cannot be
    written is not used."""
    try:
        data = marshal.dumps((key, value))
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, entry)
    except (OSError, ValueError):
        return
    prune_cache(entry)


# Entries kept per kind (the newest by modification time; an entry read is touched once a
# day, so the ones in use stay): each edit of the rules, the word lists or the package
# writes new ones, and nothing else ever removes them (a developer's folder reached 370 MB
# in a day). A rule file's parse is one entry per file, hence more of them.
CACHE_KEEP = {"rules": 64}
CACHE_KEEP_OTHERS = 16
_KEY = re.compile(r"[0-9a-f]{32}")
_STALE_TMP = 3600.0  # seconds: a temporary file this old is a crashed writer's


def prune_cache(entry: Path) -> None:
    """Bound the cache folder after ``entry`` was written: of the entries of its kind (the
    name before the key, "rulebook", "stems", "rules"...), keep the newest
    :data:`CACHE_KEEP`; remove the temporary files of writers that died. Never an error."""
    kind = entry.name.split(".", 1)[0].rsplit("-", 1)[0]
    keep = CACHE_KEEP.get(kind, CACHE_KEEP_OTHERS)
    now = time.time()
    same: list[tuple[float, Path]] = []
    try:
        with os.scandir(entry.parent) as it:
            for f in it:
                stem, _, ext = f.name.partition(".")
                name, _, key = stem.rpartition("-")
                try:
                    mtime = f.stat().st_mtime
                except OSError:
                    continue
                if ext.endswith("tmp"):
                    if now - mtime > _STALE_TMP:
                        _remove(Path(f.path))
                elif name == kind and _KEY.fullmatch(key):
                    same.append((mtime, Path(f.path)))
    except OSError:
        return
    same.sort(reverse=True)
    for _, old in same[keep:]:
        if old != entry:
            _remove(old)


def touch_cache(entry: Path) -> None:
    """Mark an entry as in use (at most once a day), so that :func:`prune_cache` keeps it."""
    try:
        if time.time() - entry.stat().st_mtime > 86_400:
            os.utime(entry)
    except OSError:
        pass


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


_MISSING: Any = object()


def cached_table(name: str, sources: Sequence[Path], build: Callable[[], Any]) -> Any:
    """``build()``, kept in the cache folder with marshal (plain dicts, sets, tuples, strings).

    The key is the package version, the interpreter and each source file's path, size and
    modification time: a changed dictionary is read again. A missing, damaged or foreign
    entry is rebuilt; a cache folder that cannot be written is not used."""
    place = _entry(name, sources)
    if place is None:
        return build()
    value = _read_entry(*place)
    if value is _MISSING:
        value = build()
        _write_entry(*place, value)
    return value


class PersistentMemo:
    """Answers of a pure function of one word (a stem, "is it a known word"), kept in the cache
    folder between runs under the same kind of key as :func:`cached_table`.

    A pre-commit run meets the words of the runs before it: answered from this table, it needs
    neither the stemmer's import nor its dictionary nor the hundreds of patterns it compiles on
    first use (about 30 ms of a 50-node check). Read on first use; written back once, when the
    process ends, if it learnt something, and only up to ``limit`` words (a service meets new
    names for ever). Several processes may write: each write is atomic, the last one wins, and
    a lost answer is only computed again."""

    def __init__(self, name: str, sources: Callable[[], Sequence[Path]], limit: int = 200_000) -> None:
        self.name, self._sources, self.limit = name, sources, limit
        self._data: dict[str, Any] | None = None
        self._place: tuple[str, Path] | None = None
        self._learnt = 0

    def _load(self) -> dict[str, Any]:
        self._place = _entry(self.name, self._sources())
        data = _read_entry(*self._place) if self._place is not None else _MISSING
        self._data = data if isinstance(data, dict) else {}
        return self._data

    def get(self, word: str, default: Any = None) -> Any:
        data = self._data if self._data is not None else self._load()
        return data.get(word, default)

    def put(self, word: str, value: Any) -> None:
        data = self._data if self._data is not None else self._load()
        if len(data) >= self.limit:
            return
        data[word] = value
        if not self._learnt and self._place is not None:
            _LEARNING.append(self)
            if len(_LEARNING) == 1:
                import atexit

                atexit.register(save_memos)
        self._learnt += 1

    def save(self) -> None:
        if self._learnt and self._place is not None and self._data is not None:
            current = _read_entry(*self._place)  # what another process kept meanwhile
            merged = {**current, **self._data} if isinstance(current, dict) else self._data
            _write_entry(*self._place, dict(list(merged.items())[:self.limit]))
            self._learnt = 0


_LEARNING: list[PersistentMemo] = []


def save_memos() -> None:
    """Write back what every persistent memo learnt: at exit, and by the console script, which
    leaves with ``os._exit`` (no exit handlers) once its reports are written."""
    while _LEARNING:
        _LEARNING.pop().save()
