"""The engine's two-process path gives exactly the findings of the single-process path."""

from __future__ import annotations

import os

import pytest

from kinerjalint import engine
from kinerjalint.loaders import load_path
from kinerjalint.rulebook import load_rulebook

from .conftest import SAMPLE


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_forked_evaluation_matches_the_single_process(monkeypatch: pytest.MonkeyPatch) -> None:
    rb = load_rulebook()
    loaded = load_path(SAMPLE)
    monkeypatch.setenv("KINERJALINT_JOBS", "1")
    single = engine.run_rules(rb, loaded.tree, loaded.locator)
    monkeypatch.setenv("KINERJALINT_JOBS", "2")
    monkeypatch.setattr(engine, "PARALLEL_MIN_NODES", 2)
    monkeypatch.setattr(engine, "CHUNK", 3)  # many small chunks: both processes take some
    forked = engine.run_rules(rb, loaded.tree, loaded.locator)
    key = lambda f: (f.code, f.line, f.column, f.message("id"), f.severity)  # noqa: E731
    assert sorted(map(key, forked)) == sorted(map(key, single))
    assert len(single) > 20


def test_a_rule_that_raises_is_reported_as_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    rb = load_rulebook()
    loaded = load_path(SAMPLE)
    rule = rb.get("T3-09")

    def boom(*_a: object) -> None:
        raise RuntimeError("rusak")

    tree_rule = next(r for r in rb.rules if r.tree_fn is not None)
    monkeypatch.setattr(tree_rule, "tree_fn", boom)
    with pytest.raises(engine.RuleCrash) as info:
        engine.run_rules(rb, loaded.tree, loaded.locator)
    assert tree_rule.code in str(info.value) and rule is not None


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_a_forked_childs_result_comes_back_or_none() -> None:
    big = [("x" * 100, k) for k in range(50_000)]  # more than a pipe holds: sent as it is pickled
    assert engine._in_child(lambda: big)() == big
    assert engine._in_child(lambda: 1 // 0)() is None  # the work failed
    assert engine._in_child(lambda: [1, lambda: 2])() is None  # the result cannot be pickled


def test_findings_pickle_whole() -> None:
    import pickle

    from kinerjalint.findings import Finding, Fix, Severity

    f = Finding("CAS-01", "x", Severity.warning, "pesan", "message", "a.yaml", 1, 2, 3, 4, "Pohon!C3", "1.2",
                ("Akar", "Anak"), Fix("Ganti", "Replace", ("pohon", 0), "baru"), "nilai", "sumber",
                "waived", "alasan", {"related": [{"file": "b.yaml"}]})
    back = pickle.loads(pickle.dumps([f, f], protocol=pickle.HIGHEST_PROTOCOL))
    assert back[0] == f and back[0].extra == f.extra and back[0].severity is Severity.warning
    assert back[1] is back[0]
    from kinerjalint.findings import SORT_KEY

    assert SORT_KEY(f) == f.sort_key() == ("a.yaml", 1, 2, "CAS-01")
