"""Every rule's pass/fail examples, one test each (ids like ``T3-07_fail1``)."""

from __future__ import annotations

import pytest

from kinerjalint.examples import run_example
from kinerjalint.rulebook import load_rulebook


def _cases() -> list[tuple[str, int, int]]:
    rb = load_rulebook()
    out = []
    for rule in rb.rules:
        counts = {"fail": 0, "pass": 0}
        for i, ex in enumerate(rule.defn.examples):
            counts[ex.kind] += 1
            out.append(pytest.param(rule.code, i, counts[ex.kind], id=f"{rule.code}_{ex.kind}{counts[ex.kind]}"))
    return out


@pytest.mark.parametrize(("code", "index", "number"), _cases())
def test_rule_example(rulebook, code: str, index: int, number: int) -> None:
    rule = rulebook.get(code)
    ex = rule.defn.examples[index]
    outcome = run_example(rulebook, rule, ex, number)
    assert outcome.ok, f"{outcome.test_id} at {outcome.where}: {outcome.detail}"


def test_every_rule_has_a_failing_and_a_passing_example(rulebook) -> None:
    missing = []
    for rule in rulebook.rules:
        kinds = {ex.kind for ex in rule.defn.examples}
        # Findings of SYS-03/04 come from suppressions, which examples cannot hold.
        if rule.code in {"SYS-03", "SYS-04"}:
            continue
        if kinds != {"fail", "pass"}:
            missing.append(rule.code)
    assert not missing, f"rules without both a fail and a pass example: {missing}"


def test_examples_really_run_the_rule(rulebook) -> None:
    """A rule that never fires would pass every 'pass' example; its 'fail' example must catch that."""
    rule = rulebook.get("LNG-02")
    fail = next(ex for ex in rule.defn.examples if ex.kind == "fail")
    assert run_example(rulebook, rule, fail, 1).found >= 1
