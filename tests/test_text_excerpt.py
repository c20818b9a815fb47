"""The text reporter's excerpt of a long line is a window, and its summary counts in plain English."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import run_cli


def test_one_line_tree_prints_bounded_excerpts(tmp_path: Path) -> None:
    kids = [{"level": "csf", "kinerja": f"Mencegah munculnya konflik nomor {i}"} for i in range(300)]
    tree = {"pohon": {"level": "outcome", "kinerja": "Meningkatkan rasa aman", "anak": kids}}
    path = tmp_path / "satu-baris.json"
    text = json.dumps(tree)
    path.write_text(text, encoding="utf-8")
    assert len(text) > 10_000 and "\n" not in text
    r = run_cli("check", str(path), "--no-config")
    assert r.code == 1 and "LNG-02" in r.out
    longest = max(len(line) for line in r.out.splitlines() if "…" in line)
    assert longest < 200, "an excerpt is a window around the column, not the whole line"
    assert len(r.out) < 300 * 2_000


def test_english_summary_counts(tmp_path: Path) -> None:
    from .conftest import SAMPLE

    r = run_cli("check", str(SAMPLE), "--lang", "en")
    last = r.out.strip().splitlines()[-1]
    assert last.startswith("Summary: 1 file, ") and "errors" in last and "1 files" not in last
