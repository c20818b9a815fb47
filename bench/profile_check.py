"""Profile one `kinerjalint check` run the way the console script runs it (no cyclic collector).

    python bench/profile_check.py FILE [--pyinstrument] [--jobs 1] [--top 30]
    python bench/profile_check.py FILE --memory      # tracemalloc: what is alive at the end, by line

cProfile by default (sorted by own time, then cumulative); ``--pyinstrument`` prints
pyinstrument's call tree instead (``pip install -e .[bench]``). ``--jobs 1`` (the default)
keeps a large tree in one process, so that the profile sees all the rules.
"""

from __future__ import annotations

import argparse
import gc
import os
import pstats
import sys
import time


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--pyinstrument", action="store_true")
    ap.add_argument("--jobs", default="1")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--save", help="write the cProfile stats here")
    ap.add_argument("--memory", action="store_true",
                    help="tracemalloc instead of a profiler: peak, and the lines holding most memory at the end")
    args = ap.parse_args()
    os.environ["KINERJALINT_JOBS"] = args.jobs
    from kinerjalint.cli import main as cli

    argv = ["check", args.file, "--no-config", "--format", "json", "--output", os.devnull]
    gc.disable()
    t0, c0 = time.perf_counter(), time.process_time()
    if args.memory:
        import tracemalloc

        tracemalloc.start()
        cli(argv, short_lived=True)
        snap = tracemalloc.take_snapshot()
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"traced: {current / 2**20:.0f} MiB at the end, peak {peak / 2**20:.0f} MiB")
        for stat in snap.statistics("lineno")[: args.top]:
            frame = stat.traceback[0]
            print(f"{stat.size / 2**20:8.1f} MiB {stat.count:>9,} blocks  {frame.filename}:{frame.lineno}")
    elif args.pyinstrument:
        from pyinstrument import Profiler

        with Profiler() as prof:
            cli(argv, short_lived=True)
        prof.print(show_all=False)
    else:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
        cli(argv, short_lived=True)
        prof.disable()
        stats = pstats.Stats(prof, stream=sys.stdout)
        if args.save:
            stats.dump_stats(args.save)
        stats.sort_stats("tottime").print_stats(args.top)
        stats.sort_stats("cumtime").print_stats(args.top)
    print(f"wall {time.perf_counter() - t0:.2f} s, cpu {time.process_time() - c0:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
