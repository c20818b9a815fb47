"""The whole-government check on many agencies: ``python bench/government.py [--agencies 40 --nodes 500]``.

Writes 40 synthetic agency trees of 500 nodes (``generate.py``, one seed per agency, with
``sasaran_pemda`` links, ``indikator_pemda`` claims and partners naming other agencies) and a
Pemda tree of 20 sasaran to ``bench/data/government/``, then times (best of ``--repeat``):

- ``files``: checking the agency files alone (``check_paths``), as without ``--pemda``;
- ``government``: the same files with ``check_government`` (every file as before, plus CAS);
- ``cas``: ``run_government`` alone on the loaded trees (what ``--pemda`` adds).

Target (issue 15): ``cas`` no more than ``files`` (indexes built once, no pairwise loops).
Rewrites ``bench/RESULTS-government.md`` unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from generate import OBJECTS, generate  # noqa: E402


def write_government(folder: Path, agencies: int, nodes: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    opd = folder / "opd"
    opd.mkdir(exist_ok=True)
    sasaran = [{"id": f"S{i + 1}", "level": "sasaran", "kinerja": f"Meningkatnya {obj} di daerah",
                "indikator": [{"id": f"IS{i + 1}", "nama": f"Jumlah orang {obj}", "satuan": "orang", "target": 5000}]}
               for i, obj in enumerate(OBJECTS)]
    pemda = {"jenis": "pemda", "pemda": "Kabupaten Contoh", "pohon": [
        {"id": "T1", "level": "tujuan", "kinerja": "Terwujudnya masyarakat yang sejahtera", "anak": sasaran}]}
    (folder / "pemda.json").write_text(json.dumps(pemda, ensure_ascii=False, indent=1), encoding="utf-8")
    for a in range(agencies):
        rng = random.Random(a)
        doc = generate(nodes, seed=1000 + a)
        doc["instansi"] = f"Dinas Sintetis {a + 1}"
        root = doc["pohon"]
        if a % 3:
            root["sasaran_pemda"] = f"S{a % len(sasaran) + 1}"
        if root.get("indikator"):
            root["indikator"][0]["indikator_pemda"] = f"IS{a % len(sasaran) + 1}"
        stack = list(root.get("anak", []))
        while stack:  # about one node in 20 names two partner agencies
            n = stack.pop()
            if rng.random() < 0.05:
                n["crosscutting"] = True
                n["mitra"] = [f"Dinas Sintetis {rng.randrange(agencies) + 1}", "Polres"]
            stack.extend(n.get("anak", []))
        (opd / f"dinas-{a + 1:02d}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder


def best(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--agencies", type=int, default=40)
    ap.add_argument("--nodes", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("KINERJALINT_JOBS", "1")
    from kinerjalint.api import CheckOptions, check_government, check_paths
    from kinerjalint.engine import run_government
    from kinerjalint.government import Government
    from kinerjalint.loaders import load_path
    from kinerjalint.rulebook import load_rulebook

    folder = write_government(HERE / "data" / "government", args.agencies, args.nodes)
    opts = CheckOptions(use_config=False)
    opd = folder / "opd"
    pemda_file = folder / "pemda.json"
    check_paths([opd], opts)  # warm: rulebook compiled, caches filled
    # Interleaved, best of each: on a shared machine the load changes between runs.
    files = gov = float("inf")
    for _ in range(args.repeat):
        files = min(files, best(lambda: check_paths([opd], opts), 1))
        gov = min(gov, best(lambda: check_government(pemda_file, [opd], opts), 1))
    rb = load_rulebook()
    loaded = [load_path(p) for p in sorted(opd.iterdir())]
    pemda = load_path(pemda_file)
    assert pemda.pemda is not None
    locators = {x.source: x.locator for x in loaded}
    locators[pemda.source] = pemda.locator
    found: list = []

    def cas() -> None:
        found[:] = run_government(rb, Government(pemda.pemda, [x.tree for x in loaded if x.tree]), locators)

    cas_t = best(cas, args.repeat)
    counts: dict[str, int] = {}
    for f in found:
        counts[f.code] = counts.get(f.code, 0) + 1
    nodes = sum(len(x.tree.nodes) for x in loaded if x.tree)
    lines = [
        "# Whole-government check (`bench/government.py`)", "",
        f"{args.agencies} agency files of {args.nodes} nodes ({nodes} nodes), a Pemda tree of {len(OBJECTS)} sasaran; "
        f"best of {args.repeat}, interleaved; {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, KINERJALINT_JOBS={os.environ['KINERJALINT_JOBS']}.", "",
        "| what | seconds |", "|---|---:|",
        f"| check the agency files alone (`check_paths`) | {files:.2f} |",
        f"| `check_government` (the same files, then CAS) | {gov:.2f} |",
        f"| CAS alone (`run_government` on loaded trees) | {cas_t:.2f} |",
        f"| what `--pemda` adds (`check_government` - `check_paths`) | {gov - files:.2f} |", "",
        "CAS findings: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), "",
        f"Target (issue 15): CAS no more than checking the files alone: {'met' if cas_t <= files else 'NOT met'} "
        f"({cas_t / files:.0%} of it).", "",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        (HERE / "RESULTS-government.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
