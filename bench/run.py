"""Time `kinerjalint check` on synthetic trees and record the results in bench/RESULTS.md.

    python bench/run.py                 # 1k, 10k, 100k nodes (JSON) and 1k, 10k (YAML)
    python bench/run.py --sizes 1000    # a quick run

Each measurement is a fresh process (start-up included), the best of --repeat runs;
peak memory is the child's maximum resident set size.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"


def run_one(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall time and peak RSS (MiB) of one child, measured with wait4."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, **(env or {})})
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1) and "yamllint" not in cmd[0]:
        sys.stderr.write(err.decode(errors="replace"))
        raise SystemExit(f"{' '.join(cmd)} exited {code}")
    return wall, ru.ru_maxrss / 1024


def measure_startup(runs: int) -> dict[str, object]:
    """What a pre-commit user waits for: kinerjalint vs yamllint on a 50-node file."""
    path = DATA / "pohon-50.yaml"
    if not path.exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), "50", str(path)], check=True)
    yamllint = Path(sys.executable).parent / "yamllint"
    cmds = {"kinerjalint": [sys.executable, "-m", "kinerjalint", "check", str(path), "--no-config"],
            "yamllint": [str(yamllint), "-d", "relaxed", str(path)] if yamllint.exists() else None}
    out: dict[str, object] = {"runs": runs}
    for name, cmd in cmds.items():
        if cmd is None:
            out[name] = (float("nan"), float("nan"))
            continue
        samples = sorted(run_one(cmd) for _ in range(runs))
        out[name] = samples[len(samples) // 2]
        print(f"{name:<12} {out[name][0]:.3f} s", flush=True)  # type: ignore[index]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--yaml-sizes", default="1000,10000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-write", action="store_true", help="print, do not update RESULTS.md")
    args = ap.parse_args()
    exe = [sys.executable, "-m", "kinerjalint"]
    rows = []
    jobs = [(int(s), "json") for s in args.sizes.split(",") if s] + [(int(s), "yaml") for s in args.yaml_sizes.split(",") if s]
    for n, fmt in jobs:
        path = DATA / f"pohon-{n}.{fmt}"
        if not path.exists():
            subprocess.run([sys.executable, str(HERE / "generate.py"), str(n), str(path)], check=True)
        best: tuple[float, float] | None = None
        for _ in range(args.repeat if n <= 10000 else 1):
            wall, rss = run_one(exe + ["check", str(path), "--format", "json", "--output", os.devnull])
            if best is None or wall < best[0]:
                best = (wall, rss)
        assert best is not None
        size_mb = path.stat().st_size / 1e6
        rows.append((n, fmt, size_mb, best[0], best[1]))
        print(f"{n:>7} nodes {fmt:<4} {size_mb:7.1f} MB  {best[0]:7.2f} s  {best[1]:8.1f} MiB", flush=True)
    dup_rows = []
    for n in (10_000, 100_000):
        path = DATA / f"pohon-{n}.json"
        if path.exists():
            one = {"KINERJALINT_JOBS": "1"}  # one process at both sizes: the algorithm's own growth
            base = run_one(exe + ["check", str(path), "--select", "STR-04", "--no-config", "--format", "json",
                                  "--output", os.devnull], one)
            dup = run_one(exe + ["check", str(path), "--select", "T3-07,IND-13", "--no-config", "--format", "json",
                                 "--output", os.devnull], one)
            dup_rows.append((n, dup[0], dup[0] - base[0]))
            print(f"duplicates {n:>7}: {dup[0]:.2f} s ({dup[0] - base[0]:.2f} s over a trivial rule)", flush=True)
    startup = measure_startup(args.repeat * 3)
    wall, rss = run_one(exe + ["--version"])
    table = "\n".join(f"| {n:,} | {fmt} | {mb:.1f} | {w:.2f} | {r:.0f} |" for n, fmt, mb, w, r in rows)
    dup_table = "\n".join(f"| {n:,} | {w:.2f} | {d:.2f} |" for n, w, d in dup_rows)
    text = f"""# Benchmark results

Recorded by `python bench/run.py` on {time.strftime('%Y-%m-%d')} ({platform.machine()}, {os.cpu_count()} cores,
Python {platform.python_version()}). Each row is one `kinerjalint check FILE --format json` process,
start-up, loading, the whole rulebook and output included (best of 3 for up to 10k nodes).

| nodes | format | file MB | seconds | peak MiB |
|---:|---|---:|---:|---:|
{table}

Start-up (`kinerjalint --version`): {wall:.2f} s, {rss:.0f} MiB.

## Duplicate detection (T3-07 and IND-13) alone

Each row is `kinerjalint check FILE --select T3-07,IND-13` in one process (`KINERJALINT_JOBS=1`,
so both sizes run the same way); "over a trivial rule" subtracts a run
with only STR-04, i.e. loading and output, leaving the cost of the two duplicate rules
(exact index plus blocked fuzzy matching). Near-linear growth means the 100k figure is about
ten times the 10k one.

| nodes | seconds | over a trivial rule |
|---:|---:|---:|
{dup_table}

## Pre-commit latency: a 50-node YAML file

Median of {startup["runs"]} runs of each command on `bench/data/pohon-50.yaml`:

| command | median s | peak MiB |
|---|---:|---:|
| `kinerjalint check` (whole rulebook) | {startup["kinerjalint"][0]:.3f} | {startup["kinerjalint"][1]:.0f} |
| `yamllint` (syntax and style only) | {startup["yamllint"][0]:.3f} | {startup["yamllint"][1]:.0f} |
"""
    if args.no_write:
        print(text)
    else:
        (HERE / "RESULTS.md").write_text(text, encoding="utf-8")
        print(f"wrote {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
