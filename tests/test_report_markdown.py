"""The Markdown inspectorate report's government page (``report --pemda --format markdown``):
the same sections as the HTML report's, every text escaped."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kinerjalint.api import CheckOptions, check_government, check_paths
from kinerjalint.reporting import markdown as md_report

from .conftest import ROOT

PEMDA_DIR = ROOT / "samples" / "pemda"
OPTS = CheckOptions(use_config=False)
HOSTILE = "Satpol <script>alert(1)</script> | *PP*"


def _section(text: str, start: str, end: str) -> str:
    i = text.index(start)
    j = text.find(end, i + len(start))
    return text[i: j if j >= 0 else len(text)]


def test_markdown_government_page_has_cascade_unlinked_matrix_and_pairs() -> None:
    results = check_government(PEMDA_DIR / "pemda-balangan.yaml", [PEMDA_DIR / "opd"], OPTS)
    text = md_report.render(results)
    page = _section(text, "## Pemerintah daerah: Kabupaten Balangan", "\n## ")
    assert text.index("## Ringkasan per instansi") < text.index("## Pemerintah daerah") < text.index("## Grafik")
    cascade = _section(page, "### Cascading", "\n### ")
    assert "- **Tujuan T1**: Terwujudnya masyarakat Balangan" in cascade
    # each sasaran with its supporting agencies and their outcomes nested below it
    assert re.search(r"\n  - 🟩 \*\*Sasaran S2\*\*: Meningkatnya ketenteraman[^\n]*\n"
                     r"    - Satuan Polisi Pamong Praja → \*\*0\*\* Meningkatnya ketenteraman", cascade)
    assert re.search(r"🟧 \*\*Sasaran S4\*\*[^\n]*tidak didukung OPD mana pun", cascade)  # CAS-02
    assert "menurut isi" in cascade  # Kesbangpol's outcome hangs there by content, marked so
    unlinked = _section(page, "### Outcome OPD yang tidak mendukung sasaran Pemda", "\n### ")
    assert "- Dinas Sosial → **2** Meningkatnya partisipasi dunia usaha" in unlinked
    matrix = _section(page, "### Temuan CAS per OPD", "\n### ")
    head = next(line for line in matrix.splitlines() if line.startswith("| Instansi"))
    codes = [c.strip() for c in head.strip("|").split("|")][1:-2]
    assert codes and all(c.startswith("CAS-") for c in codes)
    assert head.rstrip().endswith("| Nilai | Predikat |")
    rows = {line.split("|")[1].strip(): [c.strip() for c in line.strip().strip("|").split("|")]
            for line in matrix.splitlines() if line.startswith("| ") and not line.startswith("| Instansi")}
    assert set(rows) == {"Dinas Sosial", "Badan Kesatuan Bangsa dan Politik", "Satuan Polisi Pamong Praja",
                         "Pohon Pemda"}
    cas = {r.tree.instansi: sum(1 for f in r.active if f.code.startswith("CAS")) for r in results[1:] if r.tree}
    for name, cells in rows.items():
        counts = [int(c) for c in cells[1: 1 + len(codes)]]
        if name != "Pohon Pemda":
            assert sum(counts) == cas[name]
            assert cells[-1] in ("AA", "A", "BB", "B", "CC", "C", "D") and re.fullmatch(r"\d+,\d", cells[-2])
    assert rows["Pohon Pemda"][1 + codes.index("CAS-02")] == "1"
    pairs = _section(page, "### Pasangan crosscutting", "\n## ")
    assert "| Dinas Sosial | **1.1** Tertanganinya gelandangan" in pairs and "saling menyebut" in pairs
    assert "mitra tidak memuat kondisi yang sepadan" in pairs
    en = md_report.render(results, lang="en")
    assert "## Regional government: Kabupaten Balangan" in en and "### Crosscutting pairs" in en
    assert "### CAS findings by agency" in en and "Pasangan" not in en
    # without a Pemda tree there is no government page
    alone = md_report.render(check_paths([PEMDA_DIR / "opd"], OPTS))
    assert "## Pemerintah daerah" not in alone and "### Pasangan crosscutting" not in alone


def test_markdown_government_page_escapes_agency_texts(tmp_path: Path) -> None:
    opd = tmp_path / "opd"
    shutil.copytree(PEMDA_DIR / "opd", opd)
    satpol = opd / "satpol-pp.yaml"
    satpol.write_text(satpol.read_text(encoding="utf-8").replace("instansi: Satuan Polisi Pamong Praja",
                                                                 f"instansi: '{HOSTILE}'"), encoding="utf-8")
    results = check_government(PEMDA_DIR / "pemda-balangan.yaml", [opd], OPTS)
    text = md_report.render(results)
    page = _section(text, "## Pemerintah daerah", "\n## ")
    assert "<script>" not in page
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark").enable(["table"]).render(page)
    assert "<script>" not in html and "<em>PP</em>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # the matrix stays one table with one row per agency and the Pemda row: no cell split by "|"
    table = html[html.index("<h3>Temuan CAS per OPD</h3>"):]
    table = table[: table.index("</table>")]
    assert table.count("<tr>") == 1 + 3 + 1
