"""The compiled-rulebook cache (issue 13, start-up): the same rules and findings from the
cache as without it, and a damaged or stale entry rebuilt, never an error."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from kinerjalint import rulebook as R
from kinerjalint.dsl.wordlists import WordLists
from kinerjalint.resources import rules_dir

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "balangan-kesbangpol.yaml"


def _entries(folder: Path) -> list[Path]:
    return sorted((folder / "kinerjalint").glob("rulebook-*.pickle"))


def _run(env_extra: dict[str, str]) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("KINERJALINT_NO_CACHE", "KINERJALINT_CACHE_DIR")}
    env.update(env_extra, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "kinerjalint", "check", str(SAMPLE), "--no-config", "--format",
                           "json"], capture_output=True, text=True, env=env, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stdout


def test_cached_rulebook_gives_the_same_report(tmp_path: Path) -> None:
    plain = _run({"KINERJALINT_NO_CACHE": "1"})
    first = _run({"KINERJALINT_CACHE_DIR": str(tmp_path)})  # builds and stores
    assert len(_entries(tmp_path)) == 1
    second = _run({"KINERJALINT_CACHE_DIR": str(tmp_path)})  # from the cache
    assert '"findings"' in plain
    assert plain == first == second


def _build() -> R.Rulebook:
    return R.build_rulebook((rules_dir(),))


def _summary(rb: R.Rulebook) -> list[tuple[str, str, str, bool, bool]]:
    return [(r.code, r.kind, r.severity.name, r.tree_fn is not None, r.at is not None) for r in rb.rules]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "wrong-shape", "other-key"])
def test_damaged_entry_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str) -> None:
    monkeypatch.setenv("KINERJALINT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("KINERJALINT_NO_CACHE", raising=False)
    fresh = _build()
    [entry] = _entries(tmp_path)
    good = entry.read_bytes()
    if damage == "garbage":
        entry.write_bytes(b"\x80\x05not a pickle at all" * 10)
    elif damage == "truncated":
        entry.write_bytes(good[: len(good) // 2])
    elif damage == "empty":
        entry.write_bytes(b"")
    elif damage == "wrong-shape":
        entry.write_bytes(pickle.dumps(("a", "tuple", "of", "something", "else", {})))
    else:  # a readable entry whose stored key is not the one asked for
        key = entry.name[len("rulebook-"):-len(".pickle")].encode()
        assert key in good
        entry.write_bytes(good.replace(key, b"0" * 32, 1))
    rebuilt = _build()
    assert _summary(rebuilt) == _summary(fresh)
    assert rebuilt.source == fresh.source
    # the entry was written again, whole, and is used by the next build
    key = entry.name[len("rulebook-"):-len(".pickle")]
    assert R._load_compiled(entry, key, WordLists([rules_dir() / "words"])) is not None
    again = _build()
    assert _summary(again) == _summary(fresh)


def test_stale_entry_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A changed word file (or rule text, or configured entries) is a different key."""
    extra = tmp_path / "extra"
    (extra / "words").mkdir(parents=True)
    wl = extra / "words" / "singkatan-umum.txt"
    wl.write_text("ABC\n", encoding="utf-8")
    texts = {"x.rules": "rule text"}

    def key(extra_entries: R.Additions = ()) -> str:
        return R._rulebook_key(texts, WordLists([rules_dir() / "words", extra / "words"]), extra_entries, ())

    k1 = key()
    assert key() == k1
    wl.write_text("ABC\nDEF\n", encoding="utf-8")
    k2 = key()
    assert k2 != k1
    assert key((("bidang-opd", ("Bidang Umum",)),)) != k2
    texts["x.rules"] = "another rule text"
    assert key() != k2


def test_unwritable_cache_folder_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("KINERJALINT_CACHE_DIR", str(blocker))
    monkeypatch.delenv("KINERJALINT_NO_CACHE", raising=False)
    assert _summary(_build())


def test_cached_table_rebuilds_damaged_and_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dictionary tables' cache (resources.cached_table): a damaged entry or a changed
    source file is read again; without a usable folder the table is simply built."""
    from kinerjalint.resources import cached_table

    monkeypatch.setenv("KINERJALINT_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.delenv("KINERJALINT_NO_CACHE", raising=False)
    src = tmp_path / "words.dic"
    src.write_text("a\n", encoding="utf-8")
    calls: list[int] = []

    def build() -> dict[str, frozenset[str]]:
        calls.append(1)
        return {"x": frozenset(src.read_text(encoding="utf-8").split())}

    assert cached_table("t", [src], build) == {"x": frozenset({"a"})}
    assert cached_table("t", [src], build) == {"x": frozenset({"a"})}
    assert len(calls) == 1  # the second from the cache
    [entry] = (tmp_path / "c" / "kinerjalint").glob("t-*.marshal")
    for damage in (b"", b"\x00garbage", entry.read_bytes()[:10]):
        entry.write_bytes(damage)
        assert cached_table("t", [src], build) == {"x": frozenset({"a"})}
    assert len(calls) == 4
    src.write_text("a b c\n", encoding="utf-8")
    os.utime(src, ns=(1, 1))  # a different mtime even on a coarse clock
    assert cached_table("t", [src], build) == {"x": frozenset({"a", "b", "c"})}
    monkeypatch.setenv("KINERJALINT_CACHE_DIR", str(src))  # a file, not a folder
    assert cached_table("t", [src], build) == {"x": frozenset({"a", "b", "c"})}


def test_the_cache_folder_stays_bounded(tmp_path: Path) -> None:
    """Every edit of rules, word lists or the package writes new entries; writing one removes
    the oldest of its kind past the bound and the temporary files of writers that died, and
    leaves the entries of other kinds, the ones in use and foreign files alone."""
    from kinerjalint.resources import CACHE_KEEP, CACHE_KEEP_OTHERS, _read_entry, _write_entry, prune_cache

    folder = tmp_path / "kinerjalint"
    folder.mkdir()
    old = 1_700_000_000.0

    def made(name: str, age: float) -> Path:
        f = folder / name
        f.write_bytes(b"x")
        os.utime(f, (old + age, old + age))
        return f

    rulebooks = [made(f"rulebook-{i:032x}.pickle", i) for i in range(30)]
    rules = [made(f"rules-{i:032x}.pickle", i) for i in range(70)]
    stems = made(f"known-words-{1:032x}.marshal", 0)
    crashed = made(f"rulebook-{99:032x}.123.tmp", 0)
    foreign = made("catatan-saya.txt", 0)
    newest = rulebooks[-1]
    prune_cache(newest)
    kept = sorted(folder.glob("rulebook-*.pickle"))
    assert kept == sorted(rulebooks[-CACHE_KEEP_OTHERS:]) and newest in kept
    assert not crashed.exists() and stems.exists() and foreign.exists()
    assert all(f.exists() for f in rules)  # another kind: pruned when one of its own is written
    prune_cache(rules[0])  # the oldest was just rewritten: it is the one being written, kept
    assert len(list(folder.glob("rules-*.pickle"))) == CACHE_KEEP["rules"] + 1 and rules[0].exists()
    # An entry read is touched (once a day), so that the entries in use are the newest.
    _write_entry("k", folder / f"stems-{5:032x}.marshal", {"a": 1})
    entry = folder / f"stems-{5:032x}.marshal"
    os.utime(entry, (old, old))
    assert _read_entry("k", entry) == {"a": 1} and entry.stat().st_mtime > old + 86_400
