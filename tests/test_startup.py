"""Start-up (issue 13): a check loads only what it uses.

Each run is a fresh interpreter (a subprocess) with its own cache folder: the first run
fills the caches (rulebook, presets, word lists), the next is the pre-commit case.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "balangan-kesbangpol.yaml"

# Never needed to check a tree and report it as JSON or as text off a terminal.
NOT_ON_THE_CHECK_PATH = (
    "rich",                      # colour on a terminal only
    "lark", "kinerjalint.dsl.parser",  # rule parsing: a rulebook cache miss only
    "kinerjalint.dsl.compiler", "kinerjalint.dsl.checker", "kinerjalint.dsl.codegen",
    "kinerjalint.dsl.ast",       # the rules' syntax tree: read from the cache on first use
    "kinerjalint.configmodel",   # pydantic schema of a configuration file: the presets are cached
    "tomllib",                   # pyproject.toml configuration only
    "jsonschema",
    "starlette", "fastapi", "uvicorn", "kinerjalint.service",
    "openpyxl", "docx",          # other input forms
)

_PROBE = """
import json, sys
out = sys.argv[1]
from kinerjalint.cli import main
code = main(sys.argv[2:])
sys.stdout.flush()
json.dump(sorted(sys.modules), open(out, "w"))
"""


def _env(cache: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("KINERJALINT_NO_CACHE", "KINERJALINT_CACHE_DIR", "FORCE_COLOR", "TTY_COMPATIBLE")}
    env["PYTHONPATH"] = str(ROOT)
    if cache is None:
        env["KINERJALINT_NO_CACHE"] = "1"
    else:
        env["KINERJALINT_CACHE_DIR"] = str(cache)
    return env


def _modules(tmp_path: Path, cache: Path | None, *args: str) -> tuple[set[str], str]:
    listing = tmp_path / "modules.json"
    proc = subprocess.run([sys.executable, "-c", _PROBE, str(listing), *args], capture_output=True, text=True,
                          env=_env(cache), check=False)
    assert proc.returncode in (0, 1), proc.stderr
    return set(json.loads(listing.read_text(encoding="utf-8"))), proc.stdout


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return [n for n in names if n in modules or any(m.startswith(n + ".") for m in modules)]


def test_importing_the_cli_loads_no_checker(tmp_path: Path) -> None:
    listing = tmp_path / "modules.json"
    subprocess.run([sys.executable, "-c", f"import json, sys, kinerjalint.cli; "
                    f"json.dump(sorted(sys.modules), open({str(listing)!r}, 'w'))"],
                   env=_env(None), check=True)
    modules = set(json.loads(listing.read_text(encoding="utf-8")))
    assert _loaded(modules, NOT_ON_THE_CHECK_PATH + ("kinerjalint.api", "kinerjalint.engine", "pydantic",
                                                     "ruamel", "rapidfuzz", "Sastrawi")) == []


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_a_check_from_the_caches_loads_only_what_it_uses(tmp_path: Path, fmt: str) -> None:
    cache = tmp_path / "cache"
    args = ("check", str(SAMPLE), "--no-config", "--format", fmt)
    first, report_first = _modules(tmp_path, cache, *args)  # fills the caches
    assert "lark" in first  # (the cache was empty: the rules were parsed and compiled)
    modules, report = _modules(tmp_path, cache, *args)
    assert _loaded(modules, NOT_ON_THE_CHECK_PATH) == []
    # every word of the sample was stemmed and judged by the first run: the stemmer is not needed
    assert "Sastrawi" in first and _loaded(modules, ("Sastrawi",)) == []
    uncached, report_uncached = _modules(tmp_path, None, *args)
    assert report == report_first == report_uncached  # the same report, from the caches or not
    assert "LNG-02" in report


def test_rule_definitions_read_back_from_the_cache(tmp_path: Path) -> None:
    """What reads a rule's definition (SARIF's rule texts, the rule list) gets it whole from
    the cache entry: the same output as a run that compiled the rules."""
    cache = tmp_path / "cache"
    for args in (("check", str(SAMPLE), "--no-config", "--format", "sarif"), ("rules", "--format", "json")):
        uncached = _modules(tmp_path, None, *args)[1]
        _modules(tmp_path, cache, *args)
        modules, cached = _modules(tmp_path, cache, *args)
        assert "kinerjalint.dsl.compiler" not in modules and "kinerjalint.dsl.ast" in modules
        assert cached == uncached and len(cached) > 1000


def test_cached_presets_are_the_validated_ones(tmp_path: Path) -> None:
    probe = ("from kinerjalint.config import preset; "
             "print(repr(preset('default'))); print(repr(preset('strict')))")
    cache = tmp_path / "cache"

    def run(c: Path | None) -> str:
        return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=_env(c),
                              check=True).stdout

    plain = run(None)
    assert run(cache) == plain and list((cache / "kinerjalint").glob("preset-default-*.marshal"))
    assert run(cache) == plain  # from the cache
    for entry in (cache / "kinerjalint").glob("preset-*.marshal"):
        entry.write_bytes(b"not marshal")
    assert run(cache) == plain  # a damaged entry is validated again


def test_the_public_names_import_on_first_use() -> None:
    import kinerjalint
    from kinerjalint import CheckResult, Finding, Severity, __version__, check_file, check_paths, load_rulebook

    assert callable(check_file) and callable(check_paths) and callable(load_rulebook)
    assert CheckResult.__name__ == "CheckResult" and Finding.__name__ == "Finding" and Severity.error
    assert __version__ and set(kinerjalint.__all__) <= set(dir(kinerjalint))
    with pytest.raises(AttributeError):
        kinerjalint.no_such_name  # noqa: B018


def test_a_configuration_file_from_the_cache(tmp_path: Path) -> None:
    """A project's kinerjalint.yaml is validated once; an edit is seen at the next run, and a
    file in error is reported at every run (never cached)."""
    cache = tmp_path / "cache"
    project = tmp_path / "proyek"
    project.mkdir()
    tree = project / "pohon.yaml"
    tree.write_bytes(SAMPLE.read_bytes())
    config = project / "kinerjalint.yaml"
    config.write_text("ignore: [LNG]\nseverity:\n  IND-03: info\n", encoding="utf-8")
    args = ("check", str(tree), "--format", "json")
    uncached = _modules(tmp_path, None, *args)[1]
    assert _modules(tmp_path, cache, *args)[1] == uncached
    modules, cached = _modules(tmp_path, cache, *args)
    assert cached == uncached and "kinerjalint.configmodel" not in modules
    assert '"LNG-' not in cached
    config.write_text("ignore: [IND]\n", encoding="utf-8")  # an edit: validated again
    edited = _modules(tmp_path, cache, *args)[1]
    assert '"LNG-' in edited and '"IND-' not in edited
    config.write_text("ignore: [IND]\nabaikan: [LNG]\n", encoding="utf-8")
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-m", "kinerjalint", *args], capture_output=True, text=True,
                              env=_env(cache), check=False)
        assert proc.returncode == 2 and "abaikan" in proc.stderr and "kinerjalint.yaml:2" in proc.stderr


# -- what the dictionaries said about single words, kept between runs -----------------------------

def _memo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int = 100):
    from kinerjalint.resources import PersistentMemo

    monkeypatch.setenv("KINERJALINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("KINERJALINT_NO_CACHE", raising=False)
    source = tmp_path / "kamus.txt"
    if not source.exists():
        source.write_text("akar\n", encoding="utf-8")
    return PersistentMemo("uji", lambda: [source], limit=limit), source


def test_a_persistent_memo_is_read_back_by_the_next_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, _ = _memo(tmp_path, monkeypatch)
    assert first.get("pelayanan") is None
    first.put("pelayanan", "layan")
    first.put("kawsan", "")
    first.save()
    again, _ = _memo(tmp_path, monkeypatch)
    assert again.get("pelayanan") == "layan" and again.get("kawsan") == "" and again.get("lain") is None


def test_a_persistent_memo_merges_what_another_process_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a, _ = _memo(tmp_path, monkeypatch)
    b, _ = _memo(tmp_path, monkeypatch)
    a.get("x"), b.get("x")  # both read the (empty) file before either writes
    a.put("satu", "1")
    b.put("dua", "2")
    a.save()
    b.save()
    c, _ = _memo(tmp_path, monkeypatch)
    assert (c.get("satu"), c.get("dua")) == ("1", "2")


def test_a_persistent_memo_is_bounded_and_follows_its_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    memo, source = _memo(tmp_path, monkeypatch, limit=3)
    for i in range(10):
        memo.put(f"w{i}", str(i))
    memo.save()
    again, _ = _memo(tmp_path, monkeypatch, limit=3)
    assert [again.get(f"w{i}") for i in range(4)] == ["0", "1", "2", None]
    source.write_text("akar\nkata\n", encoding="utf-8")  # a changed dictionary: nothing remembered
    changed, _ = _memo(tmp_path, monkeypatch, limit=3)
    assert changed.get("w0") is None


def test_a_damaged_persistent_memo_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    memo, _ = _memo(tmp_path, monkeypatch)
    memo.put("kata", "1")
    memo.save()
    for entry in (tmp_path / "cache" / "kinerjalint").glob("uji-*.marshal"):
        entry.write_bytes(b"\x00rusak")
    again, _ = _memo(tmp_path, monkeypatch)
    assert again.get("kata") is None
    again.put("kata", "2")
    again.save()
    assert _memo(tmp_path, monkeypatch)[0].get("kata") == "2"


def test_the_console_script_keeps_what_it_learnt(tmp_path: Path) -> None:
    """`kinerjalint check` leaves with os._exit (no exit handlers): it writes its memos first."""
    cache = tmp_path / "cache"
    proc = subprocess.run([sys.executable, "-m", "kinerjalint", "check", str(SAMPLE), "--no-config"],
                          capture_output=True, text=True, env=_env(cache), check=False)
    assert proc.returncode == 1, proc.stderr
    kept = {p.name.rsplit("-", 1)[0] for p in (cache / "kinerjalint").glob("*.marshal")}
    assert {"stems", "known-words", "dictionary-fixes"} <= kept


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_what_a_forked_checker_learnt_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A large tree's second process leaves with os._exit (no exit handlers): its words must
    # still reach the cache folder, or every run computes them again.
    from kinerjalint import engine

    memo, _ = _memo(tmp_path, monkeypatch)
    assert memo.get("pelayanan") is None

    def work() -> str:
        memo.put("pelayanan", "layan")
        return "selesai"

    assert engine._in_child(work)() == "selesai"
    assert _memo(tmp_path, monkeypatch)[0].get("pelayanan") == "layan"
