"""One-line trees against pretty-printed ones (issue 18.1): ``python bench/oneline.py [N]``.

Writes the same N-node tree from ``generate.py`` as pretty JSON/YAML and as one line of
each, checks every file with the text reporter (output discarded) in a fresh process, and
prints wall and CPU seconds. A one-line file should cost what the pretty one costs.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402


def write_forms(n: int, folder: Path) -> dict[str, Path]:
    from ruamel.yaml import YAML

    doc = generate(n)
    out = {"pretty.json": folder / "pretty.json", "one-line.json": folder / "one-line.json",
           "pretty.yaml": folder / "pretty.yaml", "one-line.yaml": folder / "one-line.yaml"}
    out["pretty.json"].write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    out["one-line.json"].write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    for name, flow in (("pretty.yaml", False), ("one-line.yaml", True)):
        y = YAML(typ="safe", pure=False)
        y.default_flow_style = flow
        if flow:
            y.width = 10**9
        with out[name].open("w", encoding="utf-8") as fh:
            y.dump(doc, fh)
    return out


def timed(path: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kinerjalint", "check", "--no-config", str(path)],
                   stdout=subprocess.DEVNULL, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 30_000
    with tempfile.TemporaryDirectory() as tmp:
        files = write_forms(n, Path(tmp))
        print(f"{n} nodes; load average {os.getloadavg()[0]:.1f}")
        print(f"{'file':<15}{'MB':>7}{'lines':>9}{'wall s':>9}{'cpu s':>8}")
        for name, path in files.items():
            text = path.read_text(encoding="utf-8")
            wall, cpu = timed(path)
            print(f"{name:<15}{len(text) / 1e6:>7.1f}{text.count(chr(10)):>9}{wall:>9.1f}{cpu:>8.1f}")


if __name__ == "__main__":
    main()
