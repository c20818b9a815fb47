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
    costs = []
    for rule in rb.rules:
        if rule.defn.loader_args is not None:
            continue
        mask = [i == rule.index for i in range(n)]
        best = float("inf")
        for _ in range(args.repeat):
            c0 = time.process_time()
            f, _ = _evaluate(rb, loaded.tree, loaded.locator, mask, {})
            best = min(best, time.process_time() - c0)
        costs.append((best, rule.code, len(f)))
    costs.sort(reverse=True)
    print(f"{len(loaded.tree.nodes):,} nodes; load {load_s:.2f} s; all rules {all_s:.2f} s, "
          f"{len(found):,} findings; sum of single rules {sum(c for c, _, _ in costs):.2f} s")
    for c, code, k in costs[: args.top]:
        print(f"{code:8} {c:7.3f} s {k:>7,} findings")


if __name__ == "__main__":
    main()
