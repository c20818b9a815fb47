"""No rule may be quadratic in the tree: the work of a whole check grows like the tree.

A realistic tree (``bench/realistic.py``: long statements, acronyms, slips, duplicates) of
n and 4n nodes, as a TSV table and as JSON, is checked with the whole rulebook inside
:func:`kinerjalint.engine.counting_work`, which counts every Python and C function call
plus the steps charged by one-operation scans of tree-wide data. A linear check does about
4x the work on 4x the tree (a little more: more findings per node lower in the tree); a
quadratic one 16x. The test fails above 5x. Work, not time: the machine is shared.

Checked by hand (2026-12-06): with NAM-02 searching the tree's texts again for each acronym
occurrence (the quadratic loop it had) the test fails (TSV 7.7x, JSON 8.1x); with the old
fuzzy pair blocking (every pair of a block compared) TSV grew 5.15x and failed too; as it is,
about 4.6x (the 4x tree has 4.7x the findings: more defects sit in the lower levels).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kinerjalint import api
from kinerjalint.engine import counting_work
from tests.conftest import load_script

ROOT = Path(__file__).resolve().parents[1]
N = 400


@pytest.fixture(scope="module")
def realistic():
    return load_script(ROOT / "bench" / "realistic.py")


def work(realistic, n: int, form: str, tmp_path: Path) -> tuple[int, int]:
    path = tmp_path / f"tree-{n}.{form}"
    realistic.write(realistic.realistic(n), path)
    data = path.read_bytes()
    api.check_bytes(data, path.name, form)  # warm: rulebook compiled, word lists read
    with counting_work() as count:
        result = api.check_bytes(data, path.name, form)
    assert not result.unreadable
    return count[0], len(result.findings)


@pytest.mark.parametrize("form", ["tsv", "json"])
def test_work_grows_linearly(realistic, form: str, tmp_path: Path) -> None:
    small, small_findings = work(realistic, N, form, tmp_path)
    large, large_findings = work(realistic, 4 * N, form, tmp_path)
    assert small_findings > 50 and large_findings > 3 * small_findings  # the trees have the defects of real ones
    ratio = large / small
    assert ratio <= 5.0, f"{form}: work grew {ratio:.2f}x for 4x the nodes ({small:,} -> {large:,} calls and steps)"


def test_the_counter_sees_a_quadratic_scan() -> None:
    """The counter itself: a loop that searches a growing text once per item is caught."""
    from kinerjalint.dsl.registry import charge

    def scan(n: int) -> int:
        corpus = "x" * n
        with counting_work() as count:
            for _ in range(n):
                charge(len(corpus))
        return count[0]

    assert scan(4000) / scan(1000) > 10
