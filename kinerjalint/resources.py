"""Access to the data that ships with the package: grammar, rules, word lists, schemas.

In a wheel they live in ``kinerjalint/_data/`` (mapped there at build time); in a source
checkout they are the top-level ``grammar/``, ``rules/`` and ``schema/`` folders.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path


@cache
def data_dir(name: str) -> Path:
    packaged = resources.files("kinerjalint") / "_data" / name
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / name


def grammar_text() -> str:
    return (data_dir("grammar") / "kinerjalint.lark").read_text(encoding="utf-8")


def rules_dir() -> Path:
    return data_dir("rules")


def schema_dir() -> Path:
    return data_dir("schema")
