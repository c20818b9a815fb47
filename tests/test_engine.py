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
