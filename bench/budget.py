"""Where the 100k-node check's CPU goes, against the budget of issue 13 (8x the floor).

    python bench/budget.py                  # the 100k TSV tree: about 2 minutes, writes RESULTS-budget.md
    python bench/budget.py --nodes 10000 --no-write

One process (``KINERJALINT_JOBS=1``, so that every phase is seen), the same steps as
``kinerjalint check FILE --no-config --format json``: the rulebook, loading, the rules'
matching (tree rules and the node walk), making the findings, the rest of the check
(suppressions, waivers, grade, sorting) and writing the JSON report. The floor
(``floor.py``, 8 checks) runs on the same file just before, as in ``run.py``.

Then what CPython itself costs on this machine for the same amount of rule work: a loop
over the tree's texts (each node's statement and each indicator's name) doing, for each of
the rulebook's node and tree rules, only (a) one dict look-up, (b) one call of a Python
function that does nothing, (c) one substring test. These are the least a rule can cost per
text in an interpreted rule engine, below any real rule. The report compares them, and each
rule's own cost (alone on the loaded tree, its texts' shared memos warm, as in
``rule_costs.py``), with the time per rule and text that the 8x budget leaves once loading,
findings and the report are paid for.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from rule_costs import single_rule_costs  # noqa: E402 -- the bench's own helpers
from run import DATA, run_one, tree_file  # noqa: E402

OUT = HERE / "RESULTS-budget.md"
TARGET = 8.0  # issue 13: the whole rulebook <= 8x the floor


def rss_mib() -> float:
    """This process's resident memory now (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Clock:
    """CPU seconds spent inside wrapped functions, by label (outermost call only)."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self.last: dict[str, object] = {}
        self.rss: dict[str, float] = {}

    def wrap(self, module: object, name: str, label: str, memory: bool = False) -> None:
        """Time ``module.name``; with ``memory``, also note the resident memory after each call
        (a read of /proc: only for functions called once)."""
        fn = getattr(module, name)
        spent, last, rss = self.spent, self.last, self.rss

        def timed(*a: object, **k: object) -> object:
            c0 = time.process_time()
            try:
                last[label] = value = fn(*a, **k)
                return value
            finally:
                spent[label] = spent.get(label, 0.0) + time.process_time() - c0
                if memory:
                    rss[label] = rss_mib()

        setattr(module, name, timed)


def phases(path: Path) -> tuple[dict[str, float], object, object, dict[str, float]]:
    os.environ["KINERJALINT_JOBS"] = "1"
    import gc

    gc.disable()  # as the console script runs a check
    c0 = time.process_time()
    from kinerjalint import api, engine
    from kinerjalint.reporters import jsonreport
    from kinerjalint.rulebook import load_rulebook

    load_rulebook()
    start = time.process_time() - c0
    clock = Clock()
    clock.wrap(api, "load_path", "load", memory=True)
    clock.wrap(api, "run_rules", "rules", memory=True)
    clock.wrap(engine, "make_finding", "findings")  # the wrapper's own cost: about 1 us a finding
    c0 = time.process_time()
    result = api.check_file(path, api.CheckOptions(use_config=False))
    check = time.process_time() - c0
    c0 = time.process_time()
    with open(os.devnull, "w", encoding="utf-8") as out:
        for piece in jsonreport.chunks([result]):
            out.write(piece)
    report = time.process_time() - c0
    s = clock.spent
    return {
        "start-up and rulebook": start,
        "load (parse, validate, build the tree, locations)": s["load"],
        "rules: matching (tree rules and the node walk)": s["rules"] - s["findings"],
        "rules: making the findings (messages, fixes, spans)": s["findings"],
        "rest of the check (suppressions, waivers, grade, sort)": check - s["load"] - s["rules"],
        "JSON report": report,
    }, result, clock.last["load"], {"after loading": clock.rss["load"], "after the rules": clock.rss["rules"],
                                    "after the report": rss_mib()}


def lower_bounds(result: object, rules: int) -> tuple[int, dict[str, float]]:
    tree = result.tree  # type: ignore[attr-defined]
    texts = [n.kinerja or "" for n in tree.nodes] + [i.nama or "" for n in tree.nodes for i in n.indikator]
    table: dict[str, str] = {}
    look = table.get

    def nothing(text: str) -> None:
        return None

    funcs: dict[str, list[Callable[[str], object]]] = {"one dict look-up": [look] * rules, "one call of an empty Python function": [nothing] * rules}
    out: dict[str, float] = {}
    for label, fs in funcs.items():
        c0 = time.process_time()
        for t in texts:
            for f in fs:
                f(t)
        out[label] = time.process_time() - c0
    c0 = time.process_time()
    for t in texts:
        for _ in range(rules):
            "  " in t  # noqa: B015 -- the test is the work measured
    out["one substring test (a double space)"] = time.process_time() - c0
    return len(texts), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", type=int, default=100_000)
    ap.add_argument("--form", default="tsv")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    path = tree_file(args.nodes, args.form)
    (DATA / "out").mkdir(exist_ok=True)
    floor_cpu, floor_mib, _ = run_one([sys.executable, str(HERE / "floor.py"), str(path),
                                       "--out", str(DATA / "out" / "floor.json")])
    spent, result, loaded, memory = phases(path)
    from kinerjalint.rulebook import load_rulebook

    rules = sum(1 for r in load_rulebook().rules if r.kind != "loader")
    n_texts, bounds = lower_bounds(result, rules)
    costs = [(c, code) for c, code, _ in single_rule_costs(result.rulebook, result.tree,  # type: ignore[attr-defined]
                                                           loaded.locator)]  # type: ignore[attr-defined]
    total = sum(spent.values())
    budget = TARGET * floor_cpu
    matching = "rules: matching (tree rules and the node walk)"
    others = total - spent[matching]
    left = budget - others
    per = 1e9 / (rules * n_texts)
    lines = [
        "# Where the check's CPU goes, against issue 13's budget",
        "",
        f"Written by `python bench/budget.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} "
        f"({platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, "
        f"Python {platform.python_version()}). Tree: `{path.name}`, {len(result.tree.nodes):,} nodes, "  # type: ignore[attr-defined]
        f"{n_texts:,} texts (statements and indicator names), {len(result.findings):,} findings; "  # type: ignore[attr-defined]
        f"{rules} node and tree rules. One process, CPU seconds. See bench/README.md, \"The budget\".",
        "",
        "| step | CPU s | share |",
        "|---|---:|---:|",
        f"| floor (`floor.py`, 8 checks, whole run) | {floor_cpu:.2f} | |",
        f"| budget: {TARGET:g}x the floor | {budget:.2f} | |",
    ]
    for label, s in spent.items():
        lines.append(f"| kinerjalint: {label} | {s:.2f} | {100 * s / total:.0f} % |")
    lines += [
        f"| kinerjalint, whole check | {total:.2f} | {total / floor_cpu:.1f}x the floor |",
        "",
        f"Memory (resident, this one process; the floor's peak {floor_mib:.0f} MiB, so {TARGET / 4:g}x is "
        f"{floor_mib * TARGET / 4:.0f} MiB): "
        + ", ".join(f"{k} {v:.0f} MiB" for k, v in memory.items()) + ".",
        "",
        f"Everything but the rules' matching costs {others:.2f} s, so the budget leaves "
        + (f"{left:.2f} s for matching: {left * per:.0f} ns per rule and text."
           if left > 0 else f"nothing for matching ({-left:.2f} s over)."),
        f"The rules match today in {spent[matching]:.2f} s: {spent[matching] * per:.0f} ns per rule and text.",
        "",
        f"What CPython costs for {rules} rules x {n_texts:,} texts doing almost nothing (the least an interpreted rule costs):",
        "",
        "| each rule on each text does only | CPU s | ns per rule and text |",
        "|---|---:|---:|",
    ]
    for label, s in bounds.items():
        lines.append(f"| {label} | {s:.2f} | {s * per:.0f} |")
    single = sum(c for c, _ in costs)
    lines += [
        "",
        f"Each rule alone on the loaded tree (matching and its findings; the texts' shared memos warm; "
        f"sum {single:.2f} s). *running sum*: the rules down to this one, against what the budget leaves "
        f"for matching and findings ({left + spent['rules: making the findings (messages, fixes, spans)']:.2f} s):",
        "",
        "| rule | CPU s | ns per text | running sum s |",
        "|---|---:|---:|---:|",
    ]
    run_sum = 0.0
    for c, code in costs[:15]:
        run_sum += c
        lines.append(f"| {code} | {c:.2f} | {c * 1e9 / n_texts:.0f} | {run_sum:.2f} |")
    rest = costs[15:]
    lines.append(f"| the other {len(rest)} rules | {sum(c for c, _ in rest):.2f} | "
                 f"{sum(c for c, _ in rest) * 1e9 / n_texts:.0f} | {single:.2f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        OUT.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
