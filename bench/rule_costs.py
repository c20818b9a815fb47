"""CPU cost of each rule alone on one loaded tree (matching and making its findings).

    python bench/rule_costs.py FILE [--top 30] [--repeat 1]

The tree is loaded once; each rule then runs alone (``engine._evaluate`` with only that rule
enabled), in one process, no profiler, so the figures add up to about the whole rulebook's
cost. Also prints the loader's cost and the cost of all rules together.
"""

from __future__ import annotations

import argparse
import gc
import time
from pathlib import Path
from typing import Any


def single_rule_costs(rb: Any, tree: Any, locator: Any, repeat: int = 1) -> list[tuple[float, str, int]]:
    """Each node and tree rule alone on a loaded tree (its matching and its findings): the best
    CPU seconds of ``repeat`` runs, its code and its number of findings, dearest first."""
    from kinerjalint.engine import _evaluate

    n = len(rb.rules)
    costs = []
    for rule in rb.rules:
        if rule.kind == "loader":
            continue
        mask = [i == rule.index for i in range(n)]
        best, found = float("inf"), 0
        for _ in range(repeat):
            c0 = time.process_time()
            f, _ = _evaluate(rb, tree, locator, mask, {})
            best, found = min(best, time.process_time() - c0), len(f)
        costs.append((best, rule.code, found))
    costs.sort(reverse=True)
    return costs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    from kinerjalint.engine import _evaluate
    from kinerjalint.loaders import load_path
    from kinerjalint.rulebook import load_rulebook

    gc.disable()
    rb = load_rulebook()
    c0 = time.process_time()
    loaded = load_path(Path(args.file))
    load_s = time.process_time() - c0
    assert loaded.tree is not None, loaded.problems[:3]
    n = len(rb.rules)
    _evaluate(rb, loaded.tree, loaded.locator, [True] * n, {})  # warm the caches
    c0 = time.process_time()
    found, _ = _evaluate(rb, loaded.tree, loaded.locator, [True] * n, {})
    all_s = time.process_time() - c0
    costs = single_rule_costs(rb, loaded.tree, loaded.locator, args.repeat)
    print(f"{len(loaded.tree.nodes):,} nodes; load {load_s:.2f} s; all rules {all_s:.2f} s, "
          f"{len(found):,} findings; sum of single rules {sum(c for c, _, _ in costs):.2f} s")
    for c, code, k in costs[: args.top]:
        print(f"{code:8} {c:7.3f} s {k:>7,} findings")


if __name__ == "__main__":
    main()
