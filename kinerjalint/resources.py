"""Access to the data that ships with the package: grammar, rules, word lists, schemas.

In a wheel they live in ``kinerjalint/_data/`` (mapped there at build time); in a source
checkout they are the top-level ``grammar/``, ``rules/`` and ``schema/`` folders.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
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


def cached_table(name: str, sources: Sequence[Path], build: Callable[[], Any]) -> Any:
    """``build()``, kept in the cache folder with marshal (plain dicts, sets, tuples, strings).

    The key is the package version, the interpreter and each source file's path, size and
    modification time: a changed dictionary is read again. A missing, damaged or foreign
    entry is rebuilt; a cache folder that cannot be written is not used."""
    folder = cache_dir()
    if folder is None:
        return build()
    from kinerjalint.version import __version__

    parts = [__version__, sys.version]
    for src in sources:
        try:
            st = src.stat()
            parts.append(f"{src}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{src}:missing")
    key = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    entry = folder / f"{name}-{key}.marshal"
    try:
        stored_key, value = marshal.loads(entry.read_bytes())
        if stored_key == key:
            return value
    except Exception:  # noqa: BLE001, S110 -- a missing or damaged entry of any kind is rebuilt
        pass
    value = build()
    try:
        data = marshal.dumps((key, value))
        folder.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, entry)
    except (OSError, ValueError):
        pass
    return value
