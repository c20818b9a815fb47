"""The inspectorate report (kinerjalint.reporting): HTML and Markdown.

String-level tests check what the report promises (every agency, escaping, both
languages, reproducibility hashes, a self-contained page, the tree's nesting); one test
opens the page in headless Chromium, reads the DOM the browser built and takes a
screenshot, so the report is known to render, not only to be well-formed text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest
from markupsafe import escape

from kinerjalint.api import CheckOptions, CheckResult, check_paths
from kinerjalint.grading import DISCLAIMER_EN, DISCLAIMER_ID
from kinerjalint.reporting import htmlreport as html_report
from kinerjalint.reporting import markdown as md_report

from .conftest import ROOT, SAMPLE

CHROMIUM = Path("/usr/bin/chromium")
NOW = dt.datetime(2025, 3, 14, 9, 26, 53, tzinfo=dt.timezone(dt.timedelta(hours=8)))
HOSTILE = "<script>alert(1)</script> & <b>tebal</b>"
OPTS = CheckOptions(use_config=False)


def _tree(instansi: str, root: str, child: str = "Meningkatnya Kewaspadaan Dini Masyarakat",
          extra: str = "") -> str:
    return f"""\
versi: 1
instansi: "{instansi}"
pemda: Kabupaten Contoh
tahun: 2025
pohon:
  id: "0"
  level: outcome
  kinerja: "{root}"
  indikator: [{{nama: Indeks Rasa Aman Masyarakat, satuan: indeks, target: 80}}]
  anak:
    - id: "1"
      level: csf
      kinerja: "{child}"
      indikator: [{{nama: Persentase Potensi Konflik yang Ditangani, satuan: "%", target: 90}}]
{extra}"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def hostile_file(tmp_path: Path) -> Path:
    """A tree whose statements and agency name are markup; one finding is waived."""
    waiver = """pengecualian:
  - kode: LNG-02
    node: "1"
    alasan: "menunggu revisi <i>Renstra</i>"
"""
    return _write(tmp_path, "hostile.yaml", _tree("Dinas <b>Uji</b>", HOSTILE, "Meningkatkan Kewaspadaan Dini",
                                                  waiver))


@pytest.fixture
def broken_file(tmp_path: Path) -> Path:
    return _write(tmp_path, "rusak.yaml", "pohon: [\n")


@pytest.fixture
def other_trees(tmp_path: Path) -> list[Path]:
    """Two trees besides the sample: the ones in tests/data, else two made here."""
    found = sorted((ROOT / "tests" / "data").glob("*.yaml"))[:2]
    made = [_write(tmp_path, f"opd-{i}.yaml", _tree(name, "Meningkatnya Ketertiban Umum"))
            for i, name in enumerate(("Satuan Polisi Pamong Praja", "Dinas Perhubungan"), 1)]
    return found + made[: 2 - len(found)]


def _results(*paths: Path) -> list[CheckResult]:
    return check_paths(list(paths), OPTS)


class _Dom(HTMLParser):
    """Text of the elements with a given id or class, and the nesting depth of tree nodes."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, match: Callable[[str, dict[str, str]], bool]) -> None:
        super().__init__(convert_charrefs=True)
        self.match = match
        self.stack: list[tuple[str, bool, bool]] = []  # tag, starts a capture, is a nested branch
        self.capturing = 0
        self.texts: list[str] = []
        self.node_depths: list[tuple[str, int]] = []
        self._node_id = False
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in self.VOID:
            return
        a = {k: v or "" for k, v in attrs}
        start = self.match(tag, a)
        if start:
            self.capturing += 1
            self.texts.append("")
        self.stack.append((tag, start, tag == "ul" and "branch" in a.get("class", "").split()))
        self._node_id = "node-id" in a.get("class", "").split()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        while self.stack:
            name, start, _branch = self.stack.pop()
            if start:
                self.capturing -= 1
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._node_id:
            self.node_depths.append((data.strip(), sum(1 for _t, _s, b in self.stack if b)))
            self._node_id = False
        if self.capturing:
            self.texts[-1] += data


def _text_of(page: str, element_id: str) -> str:
    dom = _Dom(lambda _tag, a: a.get("id") == element_id)
    dom.feed(page)
    assert dom.texts, f"no element #{element_id}"
    return " ".join(" ".join(dom.texts).split())


# -- string level ------------------------------------------------------------------------

def test_hostile_text_is_escaped(hostile_file: Path) -> None:
    results = _results(hostile_file)
    page = html_report.render(results, title="<img src=x onerror=alert(2)>", now=NOW)
    assert "<script" not in page and "<b>" not in page and "<i>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;tebal&lt;/b&gt;" in page
    assert "Dinas &lt;b&gt;Uji&lt;/b&gt;" in page  # in the table, the headings and the SVG chart
    assert "menunggu revisi &lt;i&gt;Renstra&lt;/i&gt;" in page
    assert _text_of(page, "summary-table").count("Dinas <b>Uji</b>, Kabupaten Contoh") == 1
    dom = _Dom(lambda tag, a: tag == "div" and "statement" in a.get("class", "").split())
    dom.feed(page)
    assert HOSTILE in dom.texts


def test_every_agency_has_a_row_and_a_section(other_trees: list[Path], broken_file: Path) -> None:
    results = _results(SAMPLE, *other_trees, broken_file)
    page = html_report.render(results, now=NOW)
    summary = _text_of(page, "summary-table")
    names = ["Badan Kesatuan Bangsa dan Politik, Kabupaten Balangan", "rusak.yaml"]
    names += [f"{r.tree.instansi}, {r.tree.pemda}" for r in results[1:-1] if r.tree is not None]
    for name in names:
        assert name in summary
    for i, r in enumerate(results, 1):
        section = _text_of(page, f"instansi-{i}")
        assert r.source in section
    sample = results[0]
    assert sample.grade is not None and sample.grade.score is not None
    row = summary.split("Badan Kesatuan Bangsa")[1].split("rusak.yaml")[0]
    assert f"{sample.grade.score:.1f}".replace(".", ",") in row and sample.grade.predikat in row
    # the unreadable file: a section that says so, with its SYS finding, and no grade
    broken = _text_of(page, f"instansi-{len(results)}")
    assert "tidak dapat dibaca" in broken and "SYS-01" in broken and "tidak dapat dinilai" in broken
    # a rule group cites its regulation
    lng02 = _text_of(page, "instansi-1-LNG-02")
    assert "PermenPANRB 89/2021" in lng02 and "41:13" in lng02


def test_headings_in_both_languages(other_trees: list[Path]) -> None:
    results = _results(SAMPLE, *other_trees)
    page_id = html_report.render(results, now=NOW)
    page_en = html_report.render(results, lang="en", now=NOW)
    for heading in ("Ringkasan per instansi", "Temuan aktif per kelompok aturan", "Pohon kinerja",
                    "Temuan per aturan", "Reproduksibilitas", DISCLAIMER_ID):
        assert escape(heading) in page_id and escape(heading) not in page_en
    for heading in ("Summary by agency", "Active findings by rule group", "Performance tree",
                    "Findings by rule", "Reproducibility", DISCLAIMER_EN):
        assert escape(heading) in page_en and escape(heading) not in page_id
    assert '<html lang="id">' in page_id and '<html lang="en">' in page_en
    assert "Laporan Mutu Pohon Kinerja" in page_id and "Performance Tree Quality Report" in page_en
    # findings in the report's language
    assert "diawali kata kerja aktif" in page_id and "starts with the active verb" in page_en


def test_reproducibility_block(other_trees: list[Path], broken_file: Path, tmp_path: Path) -> None:
    import kinerjalint

    results = _results(SAMPLE, *other_trees, broken_file)
    page = html_report.render(results, now=NOW)
    repro = _text_of(page, "reproduksibilitas")
    for path in (SAMPLE, *other_trees, broken_file):
        assert hashlib.sha256(path.read_bytes()).hexdigest() in repro
    assert results[0].rulebook is not None
    assert hashlib.sha256(results[0].rulebook.source.encode("utf-8")).hexdigest() in repro
    assert f"kinerjalint {kinerjalint.__version__}" in repro and "2025-03-14 09:26:53+08:00" in repro
    # a file gone since the check is said to be missing, not hashed
    gone = tmp_path / "gone.yaml"
    shutil.copy(SAMPLE, gone)
    moved = _results(gone)
    gone.unlink()
    assert "berkas tidak tersedia" in _text_of(html_report.render(moved, now=NOW), "reproduksibilitas")


def test_page_is_self_contained(other_trees: list[Path]) -> None:
    page = html_report.render(_results(SAMPLE, *other_trees), now=NOW)
    lowered = page.lower()
    for needle in ("<script", "<link", "<iframe", "<img", " src=", "@import", "url(", "@font-face"):
        assert needle not in lowered, needle
    assert lowered.count("<style>") == 1 and lowered.count("<svg") >= 2
    assert "@page" in page and "@media print" in page and "break-before: page" in page


def test_tree_is_drawn_nested_and_coloured() -> None:
    results = _results(SAMPLE)
    tree = results[0].tree
    assert tree is not None
    page = html_report.render(results, now=NOW)
    dom = _Dom(lambda _tag, _a: False)
    dom.feed(page)
    # every node once, in document order, nested as deep as it is in the tree
    assert dom.node_depths == [(n.id, n.depth) for n in tree.nodes]
    assert page.count('<ul class="branch">') == sum(1 for n in tree.nodes if n.children)
    root_box = page.split('<span class="node-id">0</span>')[0].rsplit('<div class="node ', 1)[1]
    assert root_box.startswith("k-error")  # LNG-02 on the root statement
    clean = [n for n in tree.nodes if not any(f.node_id == n.id for f in results[0].active)]
    assert clean and page.count('class="node k-clean"') == len(clean)
    for kind in ("k-error", "k-warning", "k-info", "k-clean"):
        assert f'class="swatch {kind}"' in page  # the legend


def test_template_is_a_package_file() -> None:
    template = resources.files("kinerjalint.reporting") / "templates" / html_report.TEMPLATE
    assert template.is_file()
    assert html_report._template().environment.autoescape is True


def test_markdown_report(hostile_file: Path, other_trees: list[Path], broken_file: Path) -> None:
    results = _results(SAMPLE, *other_trees, hostile_file, broken_file)
    text = md_report.render(results, now=NOW)
    assert text.startswith("# Laporan Mutu Pohon Kinerja\n")
    for heading in ("## Ringkasan per instansi", "### Pohon kinerja", "### Temuan per aturan",
                    "### Temuan yang dikecualikan (1)", "## Reproduksibilitas"):
        assert heading in text
    assert DISCLAIMER_ID in text
    for path in (SAMPLE, *other_trees, hostile_file, broken_file):
        assert hashlib.sha256(path.read_bytes()).hexdigest() in text
    assert "- 🟥 **0** · outcome (L0): Meningkatkan Rasa Aman" in text
    assert "    - " in text  # nested list items
    en = md_report.render(results, lang="en", now=NOW)
    assert en.startswith("# Performance Tree Quality Report\n") and "## Summary by agency" in en
    assert DISCLAIMER_EN in en and "Ringkasan" not in en
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)
    assert "<script>" not in rendered and "<b>" not in rendered and "<i>" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert rendered.count("<h2>") == len(results) + 3  # summary, charts, agencies, reproducibility


# -- in a real browser -------------------------------------------------------------------

def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'profile'}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)


def _png_pixels(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the decompressed scanlines of a PNG (stdlib only)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    width = height = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    return width, height, zlib.decompress(idat)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="headless Chromium (Debian package 'chromium') is not installed")
def test_report_in_headless_chromium(other_trees: list[Path], hostile_file: Path, tmp_path: Path) -> None:
    results = _results(SAMPLE, *other_trees, hostile_file)
    page = tmp_path / "laporan.html"
    page.write_text(html_report.render(results, now=NOW), encoding="utf-8")

    run = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    dom = run.stdout
    summary = _text_of(dom, "summary-table")
    for r in results:
        assert r.tree is not None
        assert f"{r.tree.instansi}, {r.tree.pemda}" in summary
    sample_tree = results[0].tree
    assert sample_tree is not None
    drawn = _Dom(lambda _tag, a: "tree" in a.get("class", "").split())
    drawn.feed(dom)
    tree_text = " ".join(" ".join(drawn.texts).split())
    assert sample_tree.roots[0].kinerja in tree_text
    assert sample_tree.nodes[-1].kinerja in tree_text
    assert [d for i, d in drawn.node_depths if i == "1.1.1.1"][0] == 4
    # the browser made no element out of the submission's markup
    assert "<script" not in dom.lower() and HOSTILE in tree_text

    shot = tmp_path / "shot.png"
    run = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    data = shot.read_bytes()
    assert len(data) > 20_000
    width, height, pixels = _png_pixels(data)
    assert (width, height) == (1280, 2000)
    assert len(set(pixels[: 4 * width * 600])) > 32  # text and colours, not a blank page
