"""kinerjalint, the hand-written floor and Spectral, side by side, on every input form.

    python bench/run.py                # 1k, 10k, 100k nodes x YAML, JSON, TSV, CSV, XLSX (minutes)
    python bench/run.py --quick        # 1k and 10k, one run each, RESULTS.md left alone
    python bench/run.py --sizes 10000 --forms tsv,xlsx --no-write

Trees come from ``generate.py`` (the realistic tree of ``realistic.py``; bench/data/, git-ignored).
For each size and form, one round runs ``kinerjalint check FILE`` (whole rulebook, JSON report
to a file), ``floor.py FILE`` (same file, 8 checks) and, on the JSON form, Spectral with
``spectral.yaml`` (the same 8 checks) when it is installed, one after the other, then the next
round: interleaved, so that a busy neighbour on the shared machine slows all three alike.
Each figure is the best of the rounds (``--repeat``; one round at 100k). Peak memory is the
child's maximum resident set size from ``wait4`` (for kinerjalint's two forked processes on a
large tree, the larger of the two: they share the loaded tree copy-on-write). Start-up: the
median of ``kinerjalint check`` and ``yamllint`` on the same 50-node YAML file.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
FORMS = ("yaml", "json", "tsv", "csv", "xlsx")
SPECTRAL = HERE / ".spectral" / "node_modules" / ".bin" / "spectral"
Measure = tuple[float, float, float]  # CPU seconds (user + system), peak MiB, wall seconds
LOAD_AT_START = os.getloadavg()[0]


def run_one(cmd: list[str], ok: tuple[int, ...] = (0, 1)) -> Measure:
    """CPU time, peak RSS (MiB) and wall time of one child (and the children it waited for),
    measured with wait4. CPU time is the figure compared: on a machine shared with other
    work, wall time measures the neighbours as much as the program."""
    t0 = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}  # this checkout's kinerjalint
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        sys.stderr.write(err.decode(errors="replace")[-3000:])
        raise SystemExit(f"{' '.join(cmd)} exited {code}")
    return ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, wall


def tree_file(n: int, form: str) -> Path:
    path = DATA / f"real-{n}.{form}"
    if not path.exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(n), str(path)], check=True)
    return path


def commands(n: int, form: str) -> dict[str, list[str] | None]:
    path = tree_file(n, form)
    out = DATA / "out"
    out.mkdir(exist_ok=True)
    spectral = None
    if form == "json" and SPECTRAL.exists():
        spectral = [str(SPECTRAL), "lint", "-q", "-r", str(HERE / "spectral.yaml"), "-f", "json",
                    "-o", str(out / "spectral.json"), "--fail-severity", "error", str(path)]
    return {
        "kinerjalint": [sys.executable, "-m", "kinerjalint", "check", str(path), "--no-config", "--format", "json",
                        "--output", str(out / "kinerjalint.json")],
        "floor": [sys.executable, str(HERE / "floor.py"), str(path), "--out", str(out / "floor.json")],
        "spectral": spectral,
    }


def measure(n: int, form: str, repeat: int) -> dict[str, Measure]:
    cmds = commands(n, form)
    best: dict[str, Measure] = {}
    for _ in range(repeat):
        for name, cmd in cmds.items():
            if cmd is None:
                continue
            m = run_one(cmd)
            if name not in best or m[0] < best[name][0]:
                best[name] = m
    return best


def startup(runs: int) -> dict[str, Measure]:
    path = tree_file(50, "yaml")
    # An installed package has its .pyc files (pip compiles on install); a checkout run with
    # PYTHONDONTWRITEBYTECODE would compile every module at every start (~0.06 s) instead.
    compileall.compile_dir(str(HERE.parent / "kinerjalint"), quiet=1)
    yamllint = shutil.which("yamllint") or str(Path(sys.executable).parent / "yamllint")
    cmds = {"kinerjalint": [sys.executable, "-m", "kinerjalint", "check", str(path), "--no-config"],
            "yamllint": [yamllint, "-d", "relaxed", str(path)] if Path(yamllint).exists() else None}
    samples: dict[str, list[Measure]] = {k: [] for k, c in cmds.items() if c}
    for _ in range(runs):  # interleaved too
        for name, cmd in cmds.items():
            if cmd is not None:
                samples[name].append(run_one(cmd, ok=(0, 1, 2)))
    return {k: (statistics.median(m[0] for m in v), statistics.median(m[1] for m in v),
                statistics.median(m[2] for m in v)) for k, v in samples.items()}


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.1f}x" if a and b else "-"


def report(rows: dict[tuple[int, str], dict[str, Measure]], start: dict[str, Measure], sizes: list[int],
           forms: list[str], repeat: int) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Recorded by `python bench/run.py` on {time.strftime('%Y-%m-%d %H:%M')} UTC ({platform.machine()}, "
        f"{os.cpu_count()} cores, load average {LOAD_AT_START:.1f} at the start and {os.getloadavg()[0]:.1f} at the end, "
        f"Python {platform.python_version()}).",
        "Trees from `bench/generate.py` (realistic text, see `bench/realistic.py`). Each row: CPU time (user +",
        "system, with the forked second process kinerjalint uses from 5k nodes; wall time in brackets) and",
        "peak memory of one process, start-up and output included; kinerjalint runs the whole rulebook and",
        "writes its JSON report, the floor (`bench/floor.py`) and Spectral (`bench/spectral.yaml`, on the",
        f"JSON form only) run 8 checks. Interleaved; best of {repeat} rounds up to 10k nodes, one round above.",
        "",
        "The machine's 2 cores are shared with other work: wall times are inflated by it, CPU times much less.",
        "",
        "*kl / floor*: CPU time; *wall*: the same ratio of wall times (what a user waits, kinerjalint's",
        "two processes on a large tree included), meaningful only when the machine was otherwise quiet.",
        "",
        "| nodes | form | MB | kinerjalint CPU s (wall) | MiB | floor CPU s (wall) | MiB | Spectral CPU s (wall) | MiB | kl / floor | wall | kl / floor TSV | mem / floor |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        for form in forms:
            m = rows.get((n, form))
            if not m:
                continue
            kl, fl, sp = m.get("kinerjalint"), m.get("floor"), m.get("spectral")
            ftsv = rows.get((n, "tsv"), {}).get("floor")
            mb = tree_file(n, form).stat().st_size / 1e6
            sp_s = f"{sp[0]:.2f} ({sp[2]:.1f}) | {sp[1]:.0f}" if sp else "- | -"
            lines.append(f"| {n:,} | {form} | {mb:.1f} | {kl[0]:.2f} ({kl[2]:.1f}) | {kl[1]:.0f} | "
                         f"{fl[0]:.2f} ({fl[2]:.1f}) | {fl[1]:.0f} | "
                         f"{sp_s} | {ratio(kl[0], fl[0])} | {ratio(kl[2], fl[2])} | "
                         f"{ratio(kl[0], ftsv[0] if ftsv else None)} | "
                         f"{ratio(kl[1], fl[1])} |")
    lines += ["", "## Growth (CPU time at the larger size / at the smaller; target <= 12x for 10x the nodes)", "",
              "| form | sizes | kinerjalint | floor | Spectral |", "|---|---|---:|---:|---:|"]
    for a, b in zip(sizes, sizes[1:]):
        for form in forms:
            ma, mb_ = rows.get((a, form)), rows.get((b, form))
            if not ma or not mb_:
                continue
            cells = [ratio(mb_[k][0], ma[k][0]) if k in ma and k in mb_ else "-" for k in ("kinerjalint", "floor", "spectral")]
            lines.append(f"| {form} | {a:,} -> {b:,} | " + " | ".join(cells) + " |")
    targets = []
    big = max(sizes, default=0)  # --sizes "" measures start-up only
    t = rows.get((big, "tsv"))
    if t:
        kl, fl = t["kinerjalint"], t["floor"]
        sp = rows.get((big, "json"), {}).get("spectral")
        targets.append(f"- {big:,}-node TSV: kinerjalint {kl[0]:.2f} s CPU = {kl[0] / fl[0]:.1f}x the floor "
                       f"({kl[2]:.1f} s wall = {kl[2] / fl[2]:.1f}x the floor's wall time) "
                       f"(target <= 8x, goal 3x); Spectral on the JSON form "
                       f"{f'{sp[0]:.2f} s CPU ({sp[2]:.1f} s wall)' if sp else 'not installed'}; memory {kl[1]:.0f} MiB = "
                       f"{kl[1] / fl[1]:.1f}x the floor's {fl[1]:.0f} MiB (target <= 2x).")
    x, ts = rows.get((10_000, "xlsx")), rows.get((10_000, "tsv"))
    if x and ts:
        targets.append(f"- XLSX 10k / TSV 10k (kinerjalint): {x['kinerjalint'][0] / ts['kinerjalint'][0]:.2f}x "
                       "(target <= 1.5x).")
    if "kinerjalint" in start and "yamllint" in start:
        k, y = start["kinerjalint"], start["yamllint"]
        targets.append(f"- Start-up on the 50-node YAML file (median): kinerjalint check {k[0]:.3f} s CPU "
                       f"({k[2]:.3f} s wall), {k[1]:.0f} MiB; yamllint {y[0]:.3f} s CPU ({y[2]:.3f} s wall), "
                       f"{y[1]:.0f} MiB: {k[0] / y[0]:.2f}x (target <= 1.5x).")
    lines += ["", "## Against the targets (issue 13)", "", *targets, ""]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--forms", default=",".join(FORMS))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--startup-runs", type=int, default=9)
    ap.add_argument("--quick", action="store_true", help="1k and 10k, one round, do not write RESULTS.md")
    ap.add_argument("--no-write", action="store_true", help="print, do not update RESULTS.md")
    args = ap.parse_args()
    if args.quick:
        args.sizes, args.repeat, args.startup_runs, args.no_write = "1000,10000", 1, 3, True
    sizes = [int(s) for s in args.sizes.split(",") if s]
    forms = [f for f in args.forms.split(",") if f]
    if not SPECTRAL.exists():
        print("Spectral not installed (npm install --prefix bench/.spectral @stoplight/spectral-cli): skipped",
              flush=True)
    rows: dict[tuple[int, str], dict[str, Measure]] = {}
    for n in sizes:
        for form in forms:
            rows[(n, form)] = m = measure(n, form, args.repeat if n <= 10_000 else 1)
            print(f"{n:>7} {form:<5}" + "".join(f"  {k} {c:6.2f} s cpu ({w:.1f} wall) {r:5.0f} MiB"
                                                for k, (c, r, w) in m.items()),
                  flush=True)
            if not args.no_write:  # a long run that is stopped still leaves what it measured
                (HERE / "RESULTS.md").write_text(report(rows, {}, sizes, forms, args.repeat)
                                                 + "\n(run in progress: start-up not measured yet)\n", encoding="utf-8")
    start = startup(args.startup_runs)
    print("start-up " + "  ".join(f"{k} {c:.3f} s cpu" for k, (c, _r, _w) in start.items()), flush=True)
    text = report(rows, start, sizes, forms, args.repeat)
    if args.no_write:
        print(text)
    else:
        (HERE / "RESULTS.md").write_text(text, encoding="utf-8")
        print(f"wrote {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
