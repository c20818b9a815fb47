"""Writers: `kinerjalint convert` loses nothing, and `check --annotate` marks the agency's workbook."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kinerjalint.api import check_file
from kinerjalint.findings import Finding, Severity
from kinerjalint.loaders import load_path
from kinerjalint.tree import Tree
from kinerjalint.writers.annotate import parse_ref
from kinerjalint.writers.content import content
from kinerjalint.writers.converting import ConversionError, convert
from kinerjalint.writers.summary import add_summary

from .conftest import ROOT, SAMPLE, SAMPLES, run_cli

XLSX = SAMPLES / "balangan-kesbangpol.xlsx"
TREES = [SAMPLE, *sorted((ROOT / "tests" / "data").glob("*.yaml"))]
INJECTIONS = ['=HYPERLINK("http://evil")', "+1", "-2", "@SUM(A1)"]

# Everything the format holds, in one small document: ids derived and declared, a flat list
# nested on the way, per-year and plain targets, numbers that read as thousands, partners
# with commas, crosscutting without partners and partners without crosscutting, text that a
# spreadsheet would take for a formula, unicode, a line break, tables, Tahap 1, a waiver.
TRICKY = """\
versi: 1
instansi: "Dinas Sosial, PPPA"
pemda: Kabupaten Contoh
periode: 2025
tahun: 2025
tahap1:
  mandat: ["UU 1/2020 \u2014 \u201ckutipan\u201d \u00e9"]
  ekspektasi: "Masyarakat sejahtera"
pohon:
  - id: R
    level: tujuan
    kinerja: '=HYPERLINK("http://evil")'
    indikator:
      - nama: "+1"
        satuan: "%"
        target: {2025: 1.234, 2026: 80}
        baseline: 0.5
        definisi: "baris satu\\nbaris dua"
        formula: "-2"
        sumber_data: "@SUM(A1)"
      - nama: "'=sudah berapostrof"
        target: 12.345
    pemetaan: {komponen: Tujuan SKPD, pemilik: PK JPT, jabatan: Kepala Dinas, kode: "1.06", nomenklatur: Sosial}
  - level: csf
    induk: R
    kinerja: Meningkatnya perlindungan sosial
    masalah: Banyak warga rentan
    mitra: ["Dinas Kesehatan, Pengendalian Penduduk dan KB"]
    indikator: ["Persentase warga rentan yang terlindungi"]
  - level: csf
    induk: R
    kinerja: Meningkatnya pemberdayaan sosial
    crosscutting: true
    mitra: ["Dinas A", "Dinas B"]
    anak:
      - level: antara_utama
        kinerja: Meningkatnya keberdayaan keluarga miskin
        crosscutting: true
        keterangan: kinerja taktikal intermediate
tabel:
  tahap4:
    - tahap: tahap 1
      kinerja: '=HYPERLINK("http://evil")'
      indikator: "+1"
      target: {2025: 5}
    - tahap: tahap 3
      level: antara_utama
      kinerja: Meningkatnya keberdayaan keluarga miskin
      pk: PK Administrator
pengecualian:
  - kode: T3-03
    node: R
    alasan: nama bidang resmi
    penyetuju: Kepala Bappeda
    tanggal: 2025-01-02
    kedaluwarsa: 2026-12-31
"""


def tree_of(path: Path) -> Tree:
    loaded = load_path(path)
    assert [p for p in loaded.problems if p.code in ("SYS-01", "SYS-02")] == []
    assert loaded.tree is not None and loaded.tree.model is not None
    return loaded.tree


def normalised_dump(tree: Tree, spreadsheet: bool = False) -> dict[str, Any]:
    """The validated DocumentModel dump, normalised for what formats write differently: the
    tree as a flat list in document order with every id (derived ones filled in) and induk as
    the parent's id; a Tahap row's level as the level it has in effect; for spreadsheets,
    empty text as no text (a cell keeps none)."""
    assert tree.model is not None
    dump = tree.model.model_dump(mode="json")

    def at(path: tuple[Any, ...]) -> Any:
        obj: Any = dump
        for part in path:
            obj = obj[part]
        return obj

    nodes = []
    for n in tree.nodes:
        node = {k: v for k, v in at(n.path).items() if k != "anak"}
        node["id"], node["induk"] = n.id, (n.parent.id if n.parent else node["induk"])
        nodes.append(node)
    dump["pohon"] = nodes
    for name in ("tahap3", "tahap4", "tahap5"):
        for row, runtime in zip((dump.get("tabel") or {}).get(name, []), getattr(tree, name)):
            row["level"] = runtime.level.name if runtime.level is not None else None
    if dump.get("tabel") == {"tahap3": [], "tahap4": [], "tahap5": []}:
        dump["tabel"] = None
    return _empty_as_none(dump) if spreadsheet else dump


def _empty_as_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _empty_as_none(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_empty_as_none(v) for v in value]
    return (value.strip() or None) if isinstance(value, str) else value


def through(src: Path, tmp: Path, *formats: str) -> Path:
    """src converted through each format in turn; returns the last file."""
    current = src
    for i, fmt in enumerate(formats):
        target = tmp / f"step{i}.{fmt}"
        convert(current, target)
        current = target
    return current


def tricky(tmp_path: Path) -> Path:
    path = tmp_path / "tricky.yaml"
    path.write_text(TRICKY, encoding="utf-8")
    return path


# --- round trips -----------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["xlsx", "json"])
@pytest.mark.parametrize("src", TREES, ids=lambda p: p.stem)
def test_round_trip_keeps_the_whole_document(src: Path, fmt: str, tmp_path: Path) -> None:
    back = through(src, tmp_path, fmt, "yaml")
    spreadsheet = fmt == "xlsx"
    assert normalised_dump(tree_of(back), spreadsheet) == normalised_dump(tree_of(src), spreadsheet)


@pytest.mark.parametrize("fmt", ["tsv", "csv"])
@pytest.mark.parametrize("src", TREES, ids=lambda p: p.stem)
def test_table_round_trip_keeps_the_tree_and_indicators(src: Path, fmt: str, tmp_path: Path) -> None:
    back = through(src, tmp_path, fmt, "yaml")
    assert normalised_dump(tree_of(back), True)["pohon"] == normalised_dump(tree_of(src), True)["pohon"]


@pytest.mark.parametrize("src", TREES[1:], ids=lambda p: p.stem)
def test_yaml_through_xlsx_and_json_gives_the_same_yaml_text(src: Path, tmp_path: Path) -> None:
    (tmp_path / "direct").mkdir()
    text = through(src, tmp_path / "direct", "yaml").read_text(encoding="utf-8")
    for fmt in ("xlsx", "json"):
        (tmp_path / fmt).mkdir()
        assert through(src, tmp_path / fmt, fmt, "yaml").read_text(encoding="utf-8") == text


@pytest.mark.parametrize("formats", [("xlsx", "yaml"), ("json", "yaml"), ("xlsx", "json", "xlsx", "yaml")])
def test_tricky_document_survives_every_format(formats: tuple[str, ...], tmp_path: Path) -> None:
    src = tricky(tmp_path)
    back = through(src, tmp_path, *formats)
    assert normalised_dump(tree_of(back), True) == normalised_dump(tree_of(src), True)


@pytest.mark.parametrize("fmt", ["tsv", "csv"])
def test_tricky_tree_survives_tables(fmt: str, tmp_path: Path) -> None:
    src = tricky(tmp_path)
    back_tree = tree_of(through(src, tmp_path, fmt, "yaml"))
    assert content(back_tree, ("pohon",)) == content(tree_of(src), ("pohon",))
    second = back_tree.nodes[1]
    assert (second.crosscutting, second.mitra) == (False, ["Dinas Kesehatan, Pengendalian Penduduk dan KB"])
    assert back_tree.indicators[0].target_tahun == {"2025": 1.234, "2026": 80.0}
    assert back_tree.indicators[1].target == 12.345


def test_yaml_output_is_canonical(tmp_path: Path) -> None:
    out = through(tricky(tmp_path), tmp_path, "yaml")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=https://")
    assert "\u201ckutipan\u201d \u00e9" in text  # unicode kept, not escaped
    assert "{" not in text.split("pohon:")[1]  # block style
    keys = [line.split(":")[0] for line in text.splitlines() if line and line[0].isalpha()]
    assert keys == ["versi", "instansi", "pemda", "periode", "tahun", "tahap1", "pohon", "tabel", "pengecualian"]
    assert "induk" not in text  # the flat list is nested


def test_csv_opens_in_excel_and_tsv_is_plain_utf8(tmp_path: Path) -> None:
    csv_bytes = through(SAMPLE, tmp_path, "csv").read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbfid,induk,level,kinerja,indikator")
    convert(SAMPLE, tmp_path / "x.tsv")
    tsv_bytes = (tmp_path / "x.tsv").read_bytes()
    assert tsv_bytes.startswith(b"id\tinduk\tlevel\tkinerja\tindikator")


def test_xlsx_output_layout(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(through(tricky(tmp_path), tmp_path, "xlsx"))
    assert wb.sheetnames == ["Pohon", "Tahap 4", "Info", "Pengecualian"]
    ws = wb["Pohon"]
    assert [c.value for c in ws[1]][:5] == ["Id", "Induk", "Level", "Kinerja", "Indikator kinerja"]
    assert ws["A1"].font.bold and ws.freeze_panes == "A2"
    assert ws.column_dimensions["D"].width == 60 and ws["D2"].alignment.wrap_text
    info = {r[0]: r[1] for r in wb["Info"].iter_rows(min_row=2, values_only=True)}
    assert info["instansi"] == "Dinas Sosial, PPPA" and info["tahun"] == 2025


# --- refusals and atomic writes ----------------------------------------------------------------

def test_convert_refuses_a_broken_input_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "rusak.yaml"
    bad.write_text("pohon:\n  level: tidak-ada\n  kinerja: Meningkatnya sesuatu\n", encoding="utf-8")
    run = run_cli("convert", str(bad), str(tmp_path / "rusak.xlsx"))
    assert run.code == 2
    assert len(run.err.strip().splitlines()) == 1 and "Traceback" not in run.err
    assert "SYS-02" in run.err and "2:10" in run.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rusak.yaml"]


def test_convert_refuses_what_the_target_cannot_hold(tmp_path: Path) -> None:
    src = tmp_path / "awal.yaml"
    src.write_text("pohon:\n  level: outcome\n  kinerja: Meningkatnya X\n  indikator:\n"
                   "    - nama: Persentase X\n      target: {awal: 5}\n", encoding="utf-8")
    with pytest.raises(ConversionError, match="tidak dapat memuat pohon"):
        convert(src, tmp_path / "awal.tsv")
    assert not (tmp_path / "awal.tsv").exists()


def test_convert_writes_atomically_and_says_what_a_table_leaves_out(tmp_path: Path) -> None:
    target = tmp_path / "keluar.tsv"
    target.write_text("lama\n", encoding="utf-8")
    run = run_cli("convert", str(SAMPLE), str(target))
    assert run.code == 0, run.err
    assert [p.name for p in tmp_path.iterdir()] == ["keluar.tsv"]  # no temporary file left
    assert target.read_text(encoding="utf-8").startswith("id\t")
    assert "tidak ikut: instansi" in run.err and "tabel tahap4" in run.err


def test_convert_usage_errors(tmp_path: Path) -> None:
    assert run_cli("convert", str(SAMPLE), str(tmp_path / "x.docx")).code == 2
    assert run_cli("convert", str(tmp_path / "none.yaml"), str(tmp_path / "x.json")).code == 2
    assert run_cli("convert", str(SAMPLE), str(SAMPLE)).code == 2


# --- annotated workbook --------------------------------------------------------------------

def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _formula_cells(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return [n for n in z.namelist() if n.startswith("xl/worksheets/") and b"<f>" in z.read(n)]


@pytest.fixture(scope="module")
def annotated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    before = _digest(XLSX)
    out = tmp_path_factory.mktemp("ann") / "hasil.xlsx"
    run = run_cli("check", str(XLSX), "--annotate", str(out), "--no-config", "-f", "json", "-o",
                  str(out.with_suffix(".json")))
    assert run.code == 1 and "anotasi:" in run.err
    assert _digest(XLSX) == before  # the agency's file is only read
    return out, check_file(XLSX)


def test_annotated_workbook_marks_the_offending_cells(annotated: tuple[Path, Any]) -> None:
    out, result = annotated
    wb = openpyxl.load_workbook(out)
    root = wb["Pohon"]["D3"]  # the root statement, 'Meningkatkan Rasa Aman ...'
    assert root.value.startswith("Meningkatkan Rasa Aman")
    assert "LNG-02" in root.comment.text and "galat" in root.comment.text and "Saran:" in root.comment.text
    assert root.fill.fgColor.rgb.endswith("FFB3B3") and root.border.left.style == "medium"
    for f in result.active:
        sheet, coord = parse_ref(f.ref)
        cell = wb[sheet][coord]
        assert f.code in cell.comment.text, f.ref
        assert cell.fill.fill_type == "solid"
    worst = {}
    for f in result.active:
        worst[f.ref] = max(worst.get(f.ref, Severity.info), f.severity)
    amber = next(ref for ref, sev in worst.items() if sev is Severity.warning)
    sheet, coord = parse_ref(amber)
    assert wb[sheet][coord].fill.fgColor.rgb.endswith("FFD966")
    assert wb["Pohon"]["A1"].value == openpyxl.load_workbook(XLSX)["Pohon"]["A1"].value  # the agency's title row
    assert wb["Pohon"].merged_cells.ranges == openpyxl.load_workbook(XLSX)["Pohon"].merged_cells.ranges


def test_annotated_workbook_has_the_summary_first(annotated: tuple[Path, Any]) -> None:
    out, result = annotated
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "Hasil kinerjalint" and wb.active.title == "Hasil kinerjalint"
    ws = wb["Hasil kinerjalint"]
    values = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0]}
    assert values["Nilai"] == result.grade.score and values["Predikat"] == result.grade.predikat
    assert values["Galat"] == result.count(Severity.error) and "Struktur" in values
    header = next(i for i, r in enumerate(ws.iter_rows(values_only=True), 1) if r[0] == "Kode")
    rows = list(ws.iter_rows(min_row=header + 1, values_only=True))
    assert len(rows) == len(result.findings)
    link = ws.cell(row=header + 1, column=3)
    assert link.hyperlink is not None and link.hyperlink.location == link.value
    # A checked annotated workbook gives the same findings: the summary sheet is not read as a tree.
    again = check_file(out, display=str(XLSX))
    assert sorted((f.code, f.ref) for f in again.findings) == sorted((f.code, f.ref) for f in result.findings)


@pytest.mark.parametrize("src", [SAMPLE, SAMPLES / "balangan-tahap5.tsv"], ids=["yaml", "tsv"])
def test_annotating_a_text_file_builds_the_workbook(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "hasil.xlsx"
    assert run_cli("check", str(src), "--annotate", str(out), "--no-config").code == 1
    wb = openpyxl.load_workbook(out)
    root = wb["Pohon"]["D2"]  # converter layout: header row 1, kinerja in column D
    assert root.value.startswith("Meningkatkan Rasa Aman") and "LNG-02" in root.comment.text
    ws = wb["Hasil kinerjalint"]
    header = [c.value for c in next(r for r in ws.iter_rows() if r[0].value == "Kode")]
    assert header[-1] == "Baris:kolom asal"


def test_annotate_refuses_several_files_without_a_folder(tmp_path: Path) -> None:
    run = run_cli("check", str(SAMPLE), str(XLSX), "--annotate", str(tmp_path / "x.xlsx"))
    assert run.code == 2 and "folder" in run.err
    run = run_cli("check", str(SAMPLE), str(XLSX), "--annotate", str(tmp_path), "--no-config")
    assert run.code == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["balangan-kesbangpol-kinerjalint.xlsx",
                                                          "balangan-kesbangpol-xlsx-kinerjalint.xlsx"]


# --- formula injection --------------------------------------------------------------------

def _injection_doc(tmp_path: Path) -> Path:
    src = tmp_path / "suntik.yaml"
    children = "".join(f"    - level: csf\n      kinerja: '{t}'\n      indikator: ['{t}']\n" for t in INJECTIONS[1:])
    src.write_text(f"pohon:\n  level: outcome\n  kinerja: '{INJECTIONS[0]}'\n  anak:\n{children}", encoding="utf-8")
    return src


def test_xlsx_export_keeps_formula_like_text_as_text(tmp_path: Path) -> None:
    out = through(_injection_doc(tmp_path), tmp_path, "xlsx")
    assert _formula_cells(out) == []
    ws = openpyxl.load_workbook(out)["Pohon"]
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value in INJECTIONS]
    assert {c.value for c in cells} == set(INJECTIONS)
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert [n.kinerja for n in tree_of(out).nodes] == INJECTIONS  # and reads back as written


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_delimited_export_puts_an_apostrophe_before_formula_like_text(fmt: str, tmp_path: Path) -> None:
    out = through(_injection_doc(tmp_path), tmp_path, fmt)
    import csv

    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines(), delimiter="," if fmt == "csv" else "\t"))
    fields = [f for row in rows[1:] for f in row if f]
    assert not any(f[0] in "=+-@" for f in fields)
    assert {f for f in fields if f.startswith("'")} == {"'" + t for t in INJECTIONS}
    assert [n.kinerja for n in tree_of(out).nodes] == INJECTIONS


def test_annotated_workbook_never_holds_a_formula(tmp_path: Path) -> None:
    src = _injection_doc(tmp_path)
    out = tmp_path / "hasil.xlsx"
    run_cli("check", str(src), "--annotate", str(out), "--no-config")
    assert _formula_cells(out) == []
    wb = openpyxl.load_workbook(out)
    evil = Finding("LNG-02", "x", Severity.error, "=1+1", "=1+1", "f", 1, 1, 1, 1, ref="Pohon!D2")
    ws = add_summary(wb, check_file(src, display=str(src)), [(evil, "Pohon!D2")])
    message = next(c for row in ws.iter_rows() for c in row if c.value == "=1+1")
    assert message.data_type == "s" and message.quotePrefix


def test_waivers_in_a_workbook_still_waive(tmp_path: Path) -> None:
    src = tmp_path / "dengan-pengecualian.yaml"
    src.write_text(SAMPLE.read_text(encoding="utf-8") + "pengecualian:\n  - kode: LNG-02\n    node: '0'\n"
                   "    alasan: nama resmi dalam RPJMD\n    kedaluwarsa: 2099-12-31\n", encoding="utf-8")
    result = check_file(through(src, tmp_path, "xlsx"))
    root = [f for f in result.findings if f.code == "LNG-02" and f.node_id == "0"]
    assert root and all(f.status == "waived" for f in root)
    assert not [f for f in result.findings if f.code.startswith("SYS-")]
