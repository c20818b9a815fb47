"""Table importers (TSV, CSV, XLSX): the same tree as YAML, and findings at the right cell."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from kinerjalint.api import check_file
from kinerjalint.levels import Level
from kinerjalint.loaders import SUPPORTED, load_path
from kinerjalint.loaders import workbook as workbook_loader
from kinerjalint.loaders.columns import parse_number
from kinerjalint.loaders.delimited import decode, sniff_delimiter
from kinerjalint.tree import Tree

from .conftest import SAMPLE, SAMPLES, load_script

TAHAP5 = SAMPLES / "balangan-tahap5.tsv"
TAHAP4 = SAMPLES / "balangan-tahap4.tsv"
XLSX = SAMPLES / "balangan-kesbangpol.xlsx"
SEED = Path("/work/shared/domain/000_b6d0cd904834825f.txt")


def shape(tree: Tree | None) -> list[tuple[str, str, list[str], str | None]]:
    """Per node in order: level, statement, indicator names, parent's statement."""
    assert tree is not None
    return [(n.level.name, n.kinerja, [i.nama for i in n.indikator], n.parent.kinerja if n.parent else None)
            for n in tree.nodes]


def write_tsv(path: Path, rows: list[list[str]], sep: str = "\t") -> Path:
    path.write_text("".join(sep.join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def at(result: Any, code: str) -> list[tuple[int, int]]:
    return [(f.line, f.column) for f in result.findings if f.code == code]


def refs(result: Any, code: str) -> list[str | None]:
    return [f.ref for f in result.findings if f.code == code]


HEADER = ["Rujukan tahapan", "Kinerja", "Indikator kinerja", "Keterangan"]
SMALL = [
    ["tahap 1", "Meningkatnya rasa aman masyarakat", "Indeks rasa aman masyarakat", "kinerja strategis skpd"],
    ["tahap 2", "Menurunnya potensi konflik sosial", "Persentase potensi konflik yang tertangani", "kinerja strategis"],
    ["tahap 3", "Meningkatnya kewaspadaan dini masyarakat", "Persentase desa yang aktif FKDM",
     "kinerja taktikal intermediate"],
    ["tahap 3", "Terpetakannya potensi konflik sosial", "Persentase wilayah rawan yang terpetakan",
     "kinerja taktikal immediate"],
    ["tahap 3", "Tersusunnya peta rawan konflik", "Jumlah dokumen peta rawan konflik", "kinerja operasional"],
]


# --- the seed's own tables -------------------------------------------------------------

def test_seed_tahap5_tsv_gives_the_yaml_tree() -> None:
    yaml_res, tsv_res = load_path(SAMPLE), load_path(TAHAP5)
    assert tsv_res.problems == [] and tsv_res.fmt == "tsv"
    yaml_shape, tsv_shape = shape(yaml_res.tree), shape(tsv_res.tree)
    # CSF 4 exists only in the seed's Tahap 2 table, not in Tahap 5: the one node the TSV lacks.
    only_yaml = [s for s in yaml_shape if s not in tsv_shape]
    assert [(s[0], s[1]) for s in only_yaml] == [
        ("csf", "Terkoordinirnya batas wilayah desa, Kabupaten/Kota dan/atau provinsi")]
    assert tsv_shape == [s for s in yaml_shape if s not in only_yaml]
    tree = tsv_res.tree
    assert tree is not None and len(tree.roots) == 1
    node = tree.nodes[2]  # "tahap 3" + "kinerja taktikal intermediate"
    assert (node.level, node.komponen, node.pemilik) == (Level.antara_utama, "Sasaran Program",
                                                         "PK Jabatan Administrator")
    assert node.keterangan == "kinerja taktikal intermediate"


def test_seed_tahap5_as_written_has_unnamed_komponen_and_pk_columns(tmp_path: Path) -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = lines.index("Rujukan tahapan\tKinerja\tIndikator kinerja\tKeterangan\t\t")
    copy = tmp_path / "tahap5-seed.tsv"
    copy.write_text("\n".join(lines[start:start + 33]) + "\n", encoding="utf-8")
    res = load_path(copy)
    assert res.problems == []
    assert shape(res.tree) == shape(load_path(TAHAP5).tree)
    assert res.tree is not None
    assert [(n.komponen, n.pemilik) for n in res.tree.nodes[:3]] == [
        ("Tujuan SKPD", None), ("sasaran pertama SKPD", "PK JPT"), ("Sasaran Program", "PK Jabatan Administrator")]


def test_seed_tahap4_tsv_imports_as_written() -> None:
    res = load_path(TAHAP4)
    assert res.problems == []
    tree = res.tree
    assert tree is not None and len(tree.nodes) == 30 and len(tree.roots) == 1
    assert tree.nodes[0].indikator[0].nama == "Kabupaten Belangan Zero Konflik Sosial"  # typo kept
    assert [n.level for n in tree.nodes[:5]] == [Level.outcome, Level.csf, Level.antara_utama, Level.antara,
                                                 Level.operasional]
    second_csf = [n for n in tree.nodes if n.level is Level.csf][1]
    assert second_csf.kinerja == "Meningkatnya Sistem dan Budaya Politik yang Demokratis di Daerah"
    assert second_csf.parent is tree.roots[0]


def test_xlsx_sample_gives_the_yaml_tree_and_tables() -> None:
    yaml_tree, res = load_path(SAMPLE).tree, load_path(XLSX)
    assert res.problems == [] and res.fmt == "xlsx"
    assert shape(res.tree) == shape(yaml_tree)  # CSF 4 included: the workbook has id/induk columns
    assert res.tree is not None and yaml_tree is not None
    assert [n.id for n in res.tree.nodes] == [n.id for n in yaml_tree.nodes]
    for name in ("tahap4", "tahap5"):
        ours, theirs = getattr(res.tree, name), getattr(yaml_tree, name)
        assert [(r.tahap, r.level, r.kinerja, r.indikator) for r in ours] == \
               [(r.tahap, r.level, r.kinerja, r.indikator) for r in theirs]
    csf4 = res.tree.nodes[-1]
    assert csf4.crosscutting and csf4.masalah == "Sengketa batas wilayah desa, Kabupaten/Kota dan/atau Provinsi"


def test_make_xlsx_script_rebuilds_the_sample(tmp_path: Path) -> None:
    out = load_script(SAMPLES / "make_xlsx.py").build(SAMPLE, tmp_path / "balangan.xlsx")
    assert shape(load_path(out).tree) == shape(load_path(XLSX).tree)


def test_table_extensions_are_registered() -> None:
    assert {SUPPORTED[e] for e in (".tsv", ".csv", ".xlsx")} == {"tsv", "csv", "xlsx"}


# --- messy delimited files -------------------------------------------------------------

def test_excel_csv_with_semicolons_cp1252_and_decimal_commas(tmp_path: Path) -> None:
    text = (
        "Pohon Kinerja Kabupaten Balangan – Badan Kesbangpol;;;;;\r\n"
        "Rujukan Tahapan;Kinerja;Indikator Kinerja;Satuan;Target 2025;Target_2026\r\n"
        "tahap 1;Kabupaten Balangan – Zero Konflik Sosial terwujud;Indeks kerukunan, toleransi dan rasa aman;"
        "indeks;3,5;\"1.234,5\"\r\n"
        "tahap 2;Menurunnya potensi konflik sosial;Persentase konflik yang tertangani;%;80%;85 %\r\n"
    )
    path = tmp_path / "pohon.csv"
    path.write_bytes(text.encode("cp1252"))
    res = load_path(path)
    assert res.problems == []
    tree = res.tree
    assert tree is not None
    assert tree.nodes[0].kinerja == "Kabupaten Balangan – Zero Konflik Sosial terwujud"
    assert tree.nodes[0].indikator[0].nama == "Indeks kerukunan, toleransi dan rasa aman"
    assert tree.nodes[0].indikator[0].target_tahun == {"2025": 3.5, "2026": 1234.5}
    assert tree.nodes[1].indikator[0].target_tahun == {"2025": 80.0, "2026": 85.0}
    assert tree.nodes[1].parent is tree.nodes[0]
    # Header on line 2 under the title: the statement of the first node is line 3, field 2.
    span = res.locator.span(tree.nodes[0].path + ("kinerja",))
    assert span is not None and (span.line, span.column, span.ref) == (3, 2, None)


@pytest.mark.parametrize("raw, encoding", [
    ("é – x".encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + "é".encode("utf-8"), "utf-8-sig"),
    ("é – x".encode("cp1252"), "cp1252"),
    ("é".encode("utf-16"), "utf-16"),
])
def test_encodings(raw: bytes, encoding: str) -> None:
    text, used = decode(raw)
    assert used == encoding and text.startswith("é")


def test_delimiter_sniffing_prefers_the_one_with_a_header() -> None:
    assert sniff_delimiter("Kinerja;Indikator, kinerja;Level\nA, b;c;d\n") == ";"
    assert sniff_delimiter("Kinerja,Indikator,Level\nA;b,c,d\n") == ","
    assert sniff_delimiter("Kinerja\tIndikator\tLevel\n") == "\t"
    assert sniff_delimiter("sep=;\nKinerja,x;Level\n") == ";"


def test_target_years_under_a_merged_target_header(tmp_path: Path) -> None:
    text = ("Level;Kinerja;Indikator;Target;\n"
            ";;;2025;2026\n"
            "outcome;Meningkatnya rasa aman;Indeks rasa aman;3,1;3,25\n")
    path = tmp_path / "tahun.csv"
    path.write_text(text, encoding="utf-8")
    res = load_path(path)
    assert res.problems == [] and res.tree is not None
    assert res.tree.indicators[0].target_tahun == {"2025": 3.1, "2026": 3.25}
    span = res.locator.span(res.tree.indicators[0].path + ("target", "2026"))
    assert span is not None and (span.line, span.column) == (3, 5)


def test_tsv_with_statements_repeated_on_every_indicator_row(tmp_path: Path) -> None:
    rows = [HEADER + ["Satuan"]]
    for row in SMALL:
        rows.append(row + ["-"])
    rows.insert(3, SMALL[1][:2] + ["Jumlah konflik sosial terbuka"] + SMALL[1][3:] + ["kejadian"])
    rows.append(SMALL[4][:2] + ["Jumlah peta rawan yang dimutakhirkan"] + SMALL[4][3:] + ["dokumen"])
    rows.append(["", "", "", "", ""])  # an empty row at the end
    path = write_tsv(tmp_path / "ulang.tsv", rows)
    res = load_path(path)
    assert res.problems == []
    assert shape(res.tree) == [
        ("outcome", SMALL[0][1], [SMALL[0][2]], None),
        ("csf", SMALL[1][1], [SMALL[1][2], "Jumlah konflik sosial terbuka"], SMALL[0][1]),
        ("antara_utama", SMALL[2][1], [SMALL[2][2]], SMALL[1][1]),
        ("antara", SMALL[3][1], [SMALL[3][2]], SMALL[2][1]),
        ("operasional", SMALL[4][1], [SMALL[4][2], "Jumlah peta rawan yang dimutakhirkan"], SMALL[3][1]),
    ]
    assert res.tree is not None
    second = res.tree.nodes[1].indikator[1]
    span = res.locator.span(second.path + ("satuan",))
    assert span is not None and (span.line, span.column) == (4, 5)


def test_merged_statement_left_empty_adds_an_indicator(tmp_path: Path) -> None:
    rows = [HEADER, SMALL[0], SMALL[1], ["", "", "Jumlah konflik sosial terbuka", ""], [], SMALL[2]]
    res = load_path(write_tsv(tmp_path / "gabung.tsv", rows))
    assert res.problems == []
    assert [len(n.indikator) for n in res.tree.nodes] == [1, 2, 1] if res.tree else False


def test_quoted_multiline_cell_keeps_line_numbers(tmp_path: Path) -> None:
    text = ('Level,Kinerja,Indikator\n'
            'outcome,"Meningkatnya rasa aman\nmasyarakat",Indeks rasa aman\n'
            'csf,Menurunnya konflik,tinggi sekali\n')
    path = tmp_path / "multi.csv"
    path.write_text(text, encoding="utf-8")
    res = load_path(path)
    assert res.tree is not None
    span = res.locator.span(res.tree.nodes[1].path + ("kinerja",))
    assert span is not None and span.line == 4


def test_level_aliases_and_tahap3_with_keterangan(tmp_path: Path) -> None:
    rows = [["Tahap", "Kinerja", "Indikator", "Keterangan"],
            ["Tujuan SKPD", "Meningkatnya rasa aman", "Indeks rasa aman", ""],
            ["sasaran_strategis", "Menurunnya konflik sosial", "Persentase konflik tertangani", ""],
            ["Sasaran Program", "Meningkatnya kewaspadaan dini", "Persentase desa aktif FKDM", ""],
            ["tahap. 3", "Terpetakannya potensi konflik", "Persentase wilayah terpetakan", "Kinerja Taktikal Immediate"],
            ["Sasaran Sub Kegiatan", "Tersusunnya peta rawan", "Jumlah dokumen peta", ""]]
    res = load_path(write_tsv(tmp_path / "alias.tsv", rows))
    assert res.problems == [] and res.tree is not None
    assert [n.level for n in res.tree.nodes] == list(Level)
    assert [n.depth for n in res.tree.nodes] == [0, 1, 2, 3, 4]


def test_parent_column_english_headers_any_order(tmp_path: Path) -> None:
    rows = [["Indicator", "Parent ID", "Statement", "ID", "Level", "Unit", "Target", "Sumber anggaran"],
            ["Indeks rasa aman", "", "Meningkatnya rasa aman", "A", "outcome", "indeks", "3,2", ""],
            ["Jumlah forum aktif", "B", "Terbentuknya forum kewaspadaan", "C", "antara_utama", "forum", "12",
             "APBD"],
            ["Persentase konflik tertangani", "A", "Menurunnya konflik sosial", "B", "csf", "%", "90%", ""]]
    res = load_path(write_tsv(tmp_path / "induk.tsv", rows))
    assert res.problems == [] and res.tree is not None
    assert [(n.id, n.induk, n.depth) for n in res.tree.nodes] == [("A", None, 0), ("B", "A", 1), ("C", "B", 2)]
    forum = res.tree.nodes[2]
    assert forum.keterangan == "Sumber anggaran: APBD"  # unknown column kept, never an error
    assert forum.indikator[0].target == 12.0 and res.tree.nodes[0].indikator[0].target == 3.2


def test_row_without_its_parent_still_becomes_a_node(tmp_path: Path) -> None:
    rows = [["No", "Induk", "Level", "Kinerja"],
            ["1", "", "outcome", "Meningkatnya rasa aman"],
            ["2", "9", "csf", "Menurunnya konflik sosial"]]
    res = check_file(write_tsv(tmp_path / "yatim.tsv", rows))
    assert res.tree is not None and len(res.tree.nodes) == 2
    assert at(res, "STR-02") == [(3, 4)]  # line 3, at the statement the rule reports on


# --- findings point at cells -------------------------------------------------------------

def test_tsv_findings_point_at_line_and_field() -> None:
    res = check_file(TAHAP5)
    # Line 2 (first data row), field 2 (Kinerja): "Meningkatkan ..." is an active verb.
    assert (2, 2) in at(res, "LNG-02")
    assert all(f.ref is None for f in res.findings)


def test_unknown_level_cell_is_sys02_at_that_cell(tmp_path: Path) -> None:
    rows = [HEADER, SMALL[0], ["tahap sembilan", "Menurunnya konflik", "Persentase konflik", "program"], SMALL[1]]
    res = check_file(write_tsv(tmp_path / "level.tsv", rows))
    sys02 = [f for f in res.findings if f.code == "SYS-02"]
    assert [(f.line, f.column) for f in sys02] == [(3, 1)]
    assert "tahap sembilan" in sys02[0].message("id")
    assert res.tree is not None and len(res.tree.nodes) == 2  # the rest is still checked


def test_tahap3_without_a_level_phrase_is_sys02(tmp_path: Path) -> None:
    rows = [HEADER, SMALL[0], SMALL[1], ["tahap 3", "Meningkatnya kewaspadaan", "Persentase desa", ""]]
    res = check_file(write_tsv(tmp_path / "tahap3.tsv", rows))
    assert at(res, "SYS-02") == [(4, 1)]
    assert "tidak menyebut level" in next(f for f in res.findings if f.code == "SYS-02").message("id")


def test_target_that_is_not_a_number_is_ind11_at_its_cell(tmp_path: Path) -> None:
    rows = [HEADER + ["Target"], SMALL[0] + ["tinggi"], SMALL[1] + ["1.234,5"]]
    res = check_file(write_tsv(tmp_path / "target.tsv", rows))
    assert at(res, "SYS-02") == [] and (2, 5) in at(res, "IND-11")  # (3, 5): 1234,5 is no percentage
    assert res.tree is not None and res.tree.indicators[-1].target == 1234.5


def test_ratio_and_range_targets_are_read_not_refused(tmp_path: Path) -> None:
    rows = [HEADER + ["Target"], SMALL[0] + ["2.3:1000"], SMALL[1] + ["80-85"]]
    res = check_file(write_tsv(tmp_path / "notasi.tsv", rows))
    assert not [f for f in res.findings if f.code.startswith("SYS-")]
    assert res.tree is not None and [i.targets for i in res.tree.indicators] == [[0.0023], [80.0, 85.0]]


def test_missing_kinerja_column_is_sys01_naming_the_columns(tmp_path: Path) -> None:
    rows = [["Daftar indikator Kesbangpol"], ["Rujukan tahapan", "Indikator kinerja", "Satuan"],
            ["tahap 1", "Indeks rasa aman", "indeks"]]
    res = check_file(write_tsv(tmp_path / "tanpa-kinerja.tsv", rows))
    assert [(f.code, f.line) for f in res.findings] == [("SYS-01", 2)]
    msg = res.findings[0].message("id")
    assert "kolom 'kinerja' tidak ditemukan" in msg and "'Rujukan tahapan', 'Indikator kinerja', 'Satuan'" in msg


def test_missing_level_and_no_header(tmp_path: Path) -> None:
    res = check_file(write_tsv(tmp_path / "a.tsv", [["Kinerja", "Indikator"], ["Meningkatnya x", "Indeks x"]]))
    assert [f.code for f in res.findings] == ["SYS-01"] and "'level'" in res.findings[0].message("id")
    res = check_file(write_tsv(tmp_path / "b.tsv", [["apa", "ini"], ["1", "2"]]))
    assert [f.code for f in res.findings] == ["SYS-01"]
    empty = tmp_path / "c.csv"
    empty.write_bytes(b"")
    assert [f.code for f in check_file(empty).findings] == ["SYS-01"]


def test_binary_named_csv_is_sys01(tmp_path: Path) -> None:
    renamed = tmp_path / "pohon.csv"
    renamed.write_bytes(XLSX.read_bytes())
    res = check_file(renamed)
    assert [f.code for f in res.findings] == ["SYS-01"] and ".xlsx" in res.findings[0].message("id")
    nul = tmp_path / "nul.tsv"
    nul.write_bytes(b"Level\tKinerja\noutcome\tMening\x00katnya\n")
    assert [(f.code, f.line) for f in check_file(nul).findings] == [("SYS-01", 2)]


@pytest.mark.parametrize("text, value", [
    ("3,5", 3.5), ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("1.234", 1234.0), ("0.75", 0.75),
    ("80%", 80.0), ("80 %", 80.0), ("12", 12.0), ("-", None), ("", None), ("tinggi", "tinggi"),
    ("1.2.3", "1.2.3"), (dt.datetime(2025, 2, 3), "2025-02-03"), (7, 7.0),
])
def test_number_cells(text: Any, value: Any) -> None:
    assert parse_number(text) == value


# --- workbooks ---------------------------------------------------------------------------

def _pohon_workbook(path: Path, extra: Any = None) -> Path:
    """Title row, header on row 2 (columns in their own order), merged cells for two indicators."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Pohon"
    ws["A1"] = "POHON KINERJA BADAN KESBANGPOL KABUPATEN BALANGAN"
    ws.merge_cells("A1:F1")
    ws.append(["Level", "Kinerja", "Indikator Kinerja", "Satuan", "Target (%)", "Keterangan"])
    ws.append(["Tujuan SKPD", "Meningkatnya rasa aman masyarakat", "Indeks rasa aman", "indeks", 3.2, None])
    ws.append(["Sasaran SKPD", "Menurunnya potensi konflik sosial", "Persentase konflik tertangani", "%", "=40+40",
               None])
    ws.append(["Sasaran Program", "Melaksanakan deteksi dini konflik", "Persentase desa aktif FKDM", "%", 0.9, None])
    ws.append([None, None, "Persentase laporan ditindaklanjuti", "%", 0.75, None])
    ws.merge_cells("A5:A6")
    ws.merge_cells("B5:B6")
    ws["E5"].number_format = ws["E6"].number_format = "0%"
    ws.append(["Sasaran Kegiatan", "Terpetakannya potensi konflik", "Persentase wilayah terpetakan", "%", 60, None])
    ws.append(["Sasaran Sub Kegiatan", "Tersusunnya peta rawan konflik", "Jumlah dokumen peta", "dokumen", 1, None])
    if extra is not None:
        extra(wb)
    wb.save(path)
    _cache_formula(path, "40+40", "80")
    return path


def _cache_formula(path: Path, formula: str, value: str) -> None:
    """Store the value Excel would have cached for a formula (openpyxl writes none)."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    name = "xl/worksheets/sheet1.xml"
    # openpyxl writes an empty <v /> (or <v></v> when lxml is installed) for a formula cell
    empty = re.compile(rb"<f>" + re.escape(formula.encode()) + rb"</f><v\s*(?:/>|></v>)")
    parts[name], n = empty.subn(f"<f>{formula}</f><v>{value}</v>".encode(), parts[name])
    assert n, "the formula cell was not found in the sheet XML"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for part, data in parts.items():
            z.writestr(part, data)


def test_xlsx_title_row_merged_cells_formulas_and_percent(tmp_path: Path) -> None:
    res = check_file(_pohon_workbook(tmp_path / "pohon.xlsx"))
    tree = res.tree
    assert tree is not None and not [f for f in res.findings if f.code.startswith("SYS")]
    assert [(n.level.name, len(n.indikator)) for n in tree.nodes] == [
        ("outcome", 1), ("csf", 1), ("antara_utama", 2), ("antara", 1), ("operasional", 1)]
    targets = [i.target for i in tree.indicators]
    assert targets == [3.2, 80.0, 90.0, 75.0, 60.0, 1.0]  # cached formula, percent cells
    # "Melaksanakan ..." (active verb) sits in the merged B5:B6: the finding names B5.
    assert "Pohon!B5" in refs(res, "LNG-02")
    lng = next(f for f in res.findings if f.code == "LNG-02" and f.ref == "Pohon!B5")
    assert (lng.line, lng.column) == (5, 2)
    second = tree.nodes[2].indikator[1]
    span = load_path(tmp_path / "pohon.xlsx").locator.span(second.path + ("nama",))
    assert span is not None and span.ref == "Pohon!C6"


def test_xlsx_merged_statement_is_one_node_even_with_row_numbers(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["No", "Level", "Kinerja", "Indikator"])
    ws.append([1, "outcome", "Meningkatnya rasa aman masyarakat", "Indeks rasa aman"])
    ws.append([2, "csf", "Menurunnya potensi konflik sosial", "Persentase konflik tertangani"])
    ws.append([3, None, None, "Jumlah konflik terbuka"])
    ws.merge_cells("B3:B4")
    ws.merge_cells("C3:C4")
    wb.save(tmp_path / "nomor.xlsx")
    res = load_path(tmp_path / "nomor.xlsx")
    assert res.problems == [] and res.tree is not None
    assert [(n.id, len(n.indikator)) for n in res.tree.nodes] == [("1", 1), ("2", 2)]
    span = res.locator.span(res.tree.nodes[1].indikator[1].path + ("nama",))
    assert span is not None and span.ref == "Sheet!D4"


def test_xlsx_reads_tahap4_sheet_as_a_table(tmp_path: Path) -> None:
    def tahap4(wb: Workbook) -> None:
        ws = wb.create_sheet("Indikator")
        ws.append(["Tahap 4 merumuskan indikator kinerja"])
        ws.append([])
        ws.append(HEADER)
        for row in SMALL:
            ws.append(row)
        wb.create_sheet("Catatan").append(["Disusun oleh Subbag Perencanaan"])

    res = load_path(_pohon_workbook(tmp_path / "dua.xlsx", tahap4))
    assert res.problems == [] and res.tree is not None
    assert [r.level for r in res.tree.tahap4] == list(Level)
    span = res.locator.span(("tabel", "tahap4", 1, "kinerja"))
    assert span is not None and span.ref == "Indikator!B5"


def test_xlsx_date_in_target_cell_is_reported(tmp_path: Path) -> None:
    def date_target(wb: Workbook) -> None:
        wb["Pohon"]["E7"] = dt.datetime(2025, 2, 3)

    res = check_file(_pohon_workbook(tmp_path / "tanggal.xlsx", date_target))
    assert not [f for f in res.findings if f.code.startswith("SYS-")]
    ind11 = [f for f in res.findings if f.code == "IND-11"]
    assert [f.ref for f in ind11] == ["Pohon!E7"] and "2025-02-03" in ind11[0].message("id")
    assert "tanggal" in ind11[0].message("id")


def test_xlsx_unknown_level_is_sys02_at_the_cell(tmp_path: Path) -> None:
    def bad_level(wb: Workbook) -> None:
        wb["Pohon"]["A8"] = "Sasaran Kegiatan Khusus"

    res = check_file(_pohon_workbook(tmp_path / "level.xlsx", bad_level))
    assert refs(res, "SYS-02") == ["Pohon!A8"]


@pytest.mark.parametrize("make", [
    lambda p: p.write_bytes(b"bukan zip sama sekali"),
    lambda p: p.write_bytes(XLSX.read_bytes()[:3000]),
    lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
    lambda p: zipfile.ZipFile(p, "w").writestr("readme.txt", "halo"),
    lambda p: p.write_bytes(b""),
], ids=["text", "truncated", "old-xls", "zip-not-xlsx", "empty"])
def test_corrupt_xlsx_is_one_sys01(tmp_path: Path, make: Any) -> None:
    path = tmp_path / "rusak.xlsx"
    make(path)
    res = check_file(path)
    assert [f.code for f in res.findings] == ["SYS-01"] and res.tree is None


def test_xlsx_without_a_tree_sheet(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["Laporan", "Keuangan"])
    wb.save(tmp_path / "lain.xlsx")
    res = check_file(tmp_path / "lain.xlsx")
    assert [f.code for f in res.findings] == ["SYS-01"] and "tidak ada lembar kerja" in res.findings[0].message("id")


def test_xlsx_size_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _pohon_workbook(tmp_path / "besar.xlsx")
    monkeypatch.setattr(workbook_loader, "MAX_ROWS", 4)
    res = check_file(path)
    assert [f.code for f in res.findings] == ["SYS-01"] and "baris" in res.findings[0].message("id")
    monkeypatch.setattr(workbook_loader, "MAX_ROWS", 200_000)
    monkeypatch.setattr(workbook_loader, "MAX_UNCOMPRESSED", 1000)
    res = check_file(path)
    assert [f.code for f in res.findings] == ["SYS-01"] and "MB" in res.findings[0].message("id")


def test_spans_of_enclosing_values_are_those_of_a_value_inside(tmp_path: Path) -> None:
    """A table's spans are computed when looked up (TableSpans): a node's indicators are where
    its first indicator with a name, unit or target is, even on a later row; pemetaan where
    its first value is; paths the table has no value for have no span."""
    rows = [["Level", "Kinerja", "Indikator", "Satuan", "Target 2025", "Target 2026", "Kode program", "Nomenklatur"],
            ["outcome", "Meningkatnya rasa aman", "", "", "", "", "", "Urusan ketenteraman"],
            ["", "", "Indeks rasa aman", "%", "", "80", "", ""],
            ["csf", "Menurunnya konflik sosial", "Jumlah konflik", "kejadian", "", "", "1.2", ""]]
    res = load_path(write_tsv(tmp_path / "rentang.tsv", rows))
    assert res.problems == [] and res.tree is not None
    paths: list[tuple[str | int, ...]] = [
        ("pohon", 0), ("pohon", 0, "indikator"), ("pohon", 0, "indikator", 0, "target"),
        ("pohon", 0, "indikator", 0, "target", "2026"), ("pohon", 0, "indikator", 0, "target", "2025"),
        ("pohon", 0, "pemetaan"), ("pohon", 0, "pemetaan", "nomenklatur"), ("pohon", 0, "pemetaan", "kode"),
        ("pohon", 1, "indikator", 0), ("pohon", 1, "pemetaan"), ("pohon", 0, "indikator", 1), ("pohon", 2),
        ("pohon", -1), ("pohon", "0"), ("pohon", 1, "indikator", 0, "satuan", "x")]
    where = {p: (s.line, s.column) if (s := res.locator.span(p)) is not None else None for p in paths}
    assert list(where.values()) == [(2, 2), (3, 3), (3, 6), (3, 6), None, (2, 8), (2, 8), None, (4, 3), (4, 7),
                                    None, None, None, None, None]
    assert [n.indikator[0].path for n in res.tree.nodes] == [("pohon", 0, "indikator", 0), ("pohon", 1, "indikator", 0)]
    spans = res.locator.spans  # type: ignore[attr-defined]
    node1 = {p for p in spans if p[:2] == ("pohon", 1)}
    assert node1 == {("pohon", 1), ("pohon", 1, "kinerja"), ("pohon", 1, "level"), ("pohon", 1, "pemetaan"),
                     ("pohon", 1, "pemetaan", "kode"), ("pohon", 1, "indikator"), ("pohon", 1, "indikator", 0),
                     ("pohon", 1, "indikator", 0, "nama"), ("pohon", 1, "indikator", 0, "satuan")}
    assert all(spans[p] == res.locator.span(p) for p in spans) and len(spans) == len(set(spans))
    assert spans[()] == spans[("pohon",)] == res.locator.span(("pohon",))
