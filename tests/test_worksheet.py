"""The Tahap 1-5 worksheet (issue 14): its text export and Word document are checked as
one submission, findings are placed at stage/table/row, a Word copy is handed back with
comments, and the worksheet converts to the file formats."""

from __future__ import annotations

import importlib.util
import io
import json
import os
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import docx
import pytest

from kinerjalint.api import check_file, collect_files
from kinerjalint.loaders import load_path
from kinerjalint.loaders.worksheet import (
    HEADING,
    LIST_ITEM,
    blocks_of_text,
    stage_of_heading,
)
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
TXT = SAMPLES / "worksheet" / "balangan-kesbangpol-worksheet.txt"
DOCX = SAMPLES / "worksheet" / "balangan-kesbangpol-worksheet.docx"
YAML = SAMPLES / "balangan-kesbangpol.yaml"
SEED = Path("/work/shared/domain/000_b6d0cd904834825f.txt")


def _found(path: Path) -> list[tuple[str, str | None, str]]:
    return sorted((f.code, f.ref, f.message_id) for f in check_file(path).findings)


def _where(path: Path, code: str, words: str) -> list[str | None]:
    return [f.ref for f in check_file(path).findings if f.code == code and words in f.message_id]


@pytest.fixture(scope="module")
def txt_findings() -> list[Any]:
    return check_file(TXT).findings


# --- the seed worksheet --------------------------------------------------------------------


@pytest.mark.skipif(not SEED.exists(), reason="seed document not on this machine")
def test_sample_text_is_the_seed_document() -> None:
    assert TXT.read_bytes() == SEED.read_bytes()


def test_seed_imports_without_sys_findings(txt_findings: list[Any]) -> None:
    assert not [f for f in txt_findings if f.code.startswith("SYS")]
    tree = load_path(TXT).tree
    assert tree is not None
    root = tree.roots[0]
    assert root.kinerja.startswith("Meningkatkan Rasa Aman")
    assert [c.id for c in root.children] == ["1", "2", "4"]  # the Tahap 2 numbers, 3 skipped
    assert len(tree.nodes) == 31 and len(tree.tahap4) == 30 and len(tree.tahap5) == 30
    assert tree.model is not None and tree.model.tahap1 is not None
    assert tree.model.tahap1.permasalahan == ["Konflik Sosial"]


def test_seed_known_defects_at_their_places(txt_findings: list[Any]) -> None:
    def refs(code: str, words: str) -> set[str | None]:
        return {f.ref for f in txt_findings if f.code == code and words in f.message_id}

    assert refs("LNG-02", "Meningkatkan Rasa Aman") == {"Tahap 1, paragraf 7"}
    assert refs("LNG-02", "Mencegah munculnya") == {"Tahap 2, tabel 1, baris 1, kolom 3"}
    assert refs("IND-03", "Zero Konflik Sosial") == {"Tahap 5, tabel 1, baris 1, kolom 3"}
    csf4 = "Tahap 2, tabel 1, baris 3, kolom 3"
    assert refs("STR-05", "Terkoordinirnya batas wilayah") == {csf4}
    assert refs("T3-01", "Terkoordinirnya batas wilayah") == {csf4}
    assert refs("NAM-01", "Belangan -> Balangan") == {"Tahap 4, tabel 1, baris 1, kolom 3"}
    drift = refs("CON-04", "Terumuskannya -> Terumusannya")
    assert "Tahap 4, tabel 1, baris 4, kolom 2" in drift and len(drift) == 4
    # Branches the Tahap 4 table puts under another CSF than Tahap 3 does.
    assert refs("CON-05", "Ideologi Pancasila") >= {"Tahap 4, tabel 1, baris 10, kolom 2"}


def test_seed_text_line_is_the_export_line(txt_findings: list[Any]) -> None:
    lng = next(f for f in txt_findings if f.code == "LNG-02" and f.ref == "Tahap 1, paragraf 7")
    line = TXT.read_text(encoding="utf-8").splitlines()[lng.line - 1]
    assert line.startswith("Meningkatkan Rasa Aman") and lng.column == 1


def test_worksheet_and_retyped_yaml_find_the_same_defects() -> None:
    ws = Counter(f.code for f in check_file(TXT).findings)
    yml = Counter(f.code for f in check_file(YAML).findings)
    for code in ("LNG-02", "IND-01", "IND-03", "IND-04", "IND-12", "NAM-01", "STR-05", "CON-01", "T3-03", "T3-06"):
        assert ws[code] == yml[code] >= 1, code
    assert ws["CON-04"] >= 1 and ws["CON-05"] >= 1 and ws["T3-01"] >= 1


def test_docx_sample_gives_the_same_findings_as_the_text() -> None:
    assert _found(DOCX) == _found(TXT)


def test_make_script_rebuilds_the_docx_sample(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_worksheet_docx", SAMPLES / "make_worksheet_docx.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = module.build(TXT, tmp_path / "ws.docx")
    assert _found(out) == _found(DOCX)
    table = docx.Document(str(out)).tables[1]  # Tahap 3: the CSF cell merged over its rows
    assert table.cell(1, 0)._tc is table.cell(2, 0)._tc


# --- reading: headings, tables, merged cells -----------------------------------------------


@pytest.mark.parametrize("text, stage", [
    ("Tahap 3", 3), ("TAHAP 3", 3), ("Tahap 3 :", 3), ("Tahap 3: uraikan CSF", 3), ("3. Tahap 3", 3),
    ("Tahap III", 3), ("tahap ke-4 merumuskan indikator", 4), ("Tahap. 2", 2), ("(5) Tahap 5", 5),
    ("TAHAP MENERJEMAHKAN POHON KINERJA KEDALAM KOMPONEN PERENCANAAN DAN KINERJA JABATAN", 5),
    ("Tahapan 1 menentukan outcome", 1),
    ("Tahap 30", None), ("Tahapan kegiatan yang dilakukan", None), ("Konflik Sosial", None),
    ("tahap 3 " + "x" * 200, None),
])
def test_stage_headings(text: str, stage: int | None) -> None:
    assert stage_of_heading(text) == stage


def test_heading_style_names_the_stage_without_a_number() -> None:
    assert stage_of_heading("Merumuskan indikator kinerja", heading_style=HEADING) == 4
    assert stage_of_heading("Merumuskan indikator kinerja") is None
    assert stage_of_heading("Menentukan outcome", heading_style=LIST_ITEM) == 1  # numbered "Tahap 1"
    # A guideline in a bulleted list names a stage's words, but does not lead with them.
    assert stage_of_heading("jangan kaitkan dulu dengan komponen perencanaan", heading_style=LIST_ITEM) is None


def test_text_tables_continue_over_blank_lines() -> None:
    blocks = blocks_of_text("Judul\n\na\tb\n\nc\td\nAkhir\n")
    assert [b.is_table for b in blocks] == [False, True, False]
    assert blocks[1].rows == [["a", "b"], ["c", "d"]] and blocks[1].lines == [3, 5]


SMALL = """Tahap 1 menentukan outcome
Meningkatnya rasa aman masyarakat
Tahap 2
\tCSF\tKondisi yang diperlukan
1\tKonflik sosial\tMenurunnya konflik sosial
2\tSengketa batas\tTerselesaikannya sengketa batas wilayah
Tahap 3
CSF\tKondisi yang diperlukan\tketerangan
Menurunnya konflik sosial\tMeningkatnya kewaspadaan dini masyarakat\tkondisi antara utama
\tTerumuskannya kebijakan kewaspadaan dini\tkondisi antara
\tTerlaksananya pemantauan potensi konflik\tkondisi operasional
Tahap 4 merumuskan indikator kinerja
Rujukan tahapan\tKinerja\tIndikator kinerja\tKeterangan
tahap 1\tMeningkatnya rasa aman masyarakat\tIndeks rasa aman\tkinerja strategis skpd
tahap 2\tMenurunnya konflik sosial\tJumlah konflik sosial\tkinerja strategis
tahap 3\tMeningkatnya kewaspadaan dini masyarakat\tPersentase potensi konflik yang ditangani\tkinerja taktikal intermediate
tahap 3\tTerumuskannya kebijakan kewaspadaan dini\tJumlah dokumen kebijakan\tkinerja taktikal immediate
tahap 3\tTerlaksananya pemantauan potensi konflik\tJumlah laporan pemantauan\tkinerja operasional
tahap 3\tTerlaksananya patroli gabungan di perbatasan\tJumlah patroli\tkinerja operasional
"""


def _small(tmp_path: Path, text: str = SMALL, name: str = "ws.txt") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_small_worksheet_tree(tmp_path: Path) -> None:
    tree = load_path(_small(tmp_path)).tree
    assert tree is not None
    got = [(n.id, n.level.name, n.kinerja.split()[0], [i.nama for i in n.indikator]) for n in tree.nodes]
    assert got == [
        ("0", "outcome", "Meningkatnya", ["Indeks rasa aman"]),
        ("1", "csf", "Menurunnya", ["Jumlah konflik sosial"]),
        ("1.1", "antara_utama", "Meningkatnya", ["Persentase potensi konflik yang ditangani"]),
        ("1.1.1", "antara", "Terumuskannya", ["Jumlah dokumen kebijakan"]),
        ("1.1.1.1", "operasional", "Terlaksananya", ["Jumlah laporan pemantauan"]),
        ("2", "csf", "Terselesaikannya", []),
    ]


def test_small_worksheet_stage_comparisons(tmp_path: Path) -> None:
    p = _small(tmp_path)
    assert _where(p, "CON-02", "patroli gabungan") == ["Tahap 4, tabel 1, baris 6, kolom 2"]
    assert _where(p, "T3-01", "sengketa batas") == ["Tahap 2, tabel 1, baris 2, kolom 3"]
    assert not [f for f in check_file(p).findings if f.code.startswith("SYS")]


def test_csf_of_tahap3_that_tahap2_lacks_becomes_its_own_csf(tmp_path: Path) -> None:
    text = SMALL.replace("Menurunnya konflik sosial\tMeningkatnya kewaspadaan",
                         "Meningkatnya ketahanan ekonomi masyarakat\tMeningkatnya kewaspadaan")
    tree = load_path(_small(tmp_path, text)).tree
    assert tree is not None
    assert [c.kinerja for c in tree.roots[0].children] == [
        "Menurunnya konflik sosial", "Terselesaikannya sengketa batas wilayah", "Meningkatnya ketahanan ekonomi masyarakat"]


def _as_docx(text: str, path: Path, heading_style: bool = False) -> Path:
    """A Word document of a small text export (tables as Word tables)."""
    document = docx.Document()
    for block in blocks_of_text(text):
        if block.rows is not None:
            width = max(len(r) for r in block.rows)
            table = document.add_table(rows=len(block.rows), cols=width)
            for r, row in enumerate(block.rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
        elif heading_style and stage_of_heading(block.text) is not None:
            document.add_heading(block.text, level=1)
        else:
            document.add_paragraph(block.text)
    document.save(str(path))
    return path


def test_docx_merged_cells(tmp_path: Path) -> None:
    p = _as_docx(SMALL, tmp_path / "ws.docx")
    document = docx.Document(str(p))
    t3 = document.tables[1]
    t3.cell(1, 0).merge(t3.cell(3, 0))  # the CSF cell over its three rows
    t4 = document.tables[2]
    t4.cell(0, 2).merge(t4.cell(0, 3))  # "Indikator kinerja" header spanning two columns
    t4.cell(0, 2).text = "Indikator kinerja"
    document.save(str(p))
    tree = load_path(p).tree
    assert tree is not None
    assert [n.id for n in tree.nodes] == ["0", "1", "1.1", "1.1.1", "1.1.1.1", "2"]
    assert tree.nodes[2].indikator[0].nama == "Persentase potensi konflik yang ditangani"


def test_docx_heading_styles_and_same_places_as_text(tmp_path: Path) -> None:
    text = SMALL.replace("Tahap 4 merumuskan indikator kinerja", "Merumuskan indikator kinerja")
    styled = _as_docx(text, tmp_path / "styled.docx", heading_style=True)
    doc = docx.Document(str(styled))
    doc.paragraphs[[p.text for p in doc.paragraphs].index("Merumuskan indikator kinerja")].style = "Heading 1"
    doc.save(str(styled))
    assert _where(styled, "CON-02", "patroli") == ["Tahap 4, tabel 1, baris 6, kolom 2"]
    assert _found(_as_docx(SMALL, tmp_path / "plain.docx")) == _found(_small(tmp_path))


# --- bad input -----------------------------------------------------------------------------


def _sys(path: Path) -> list[tuple[str, str | None, str]]:
    res = check_file(path)
    return [(f.code, f.ref, f.message_id) for f in res.findings if f.code.startswith("SYS")]


def test_docx_that_is_not_a_zip(tmp_path: Path) -> None:
    p = tmp_path / "rusak.docx"
    p.write_bytes(b"PK not really")
    [(code, _, msg)] = _sys(p)
    assert code == "SYS-01" and "bukan berkas Word .docx" in msg


def test_password_protected_docx(tmp_path: Path) -> None:
    p = tmp_path / "terkunci.docx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    [(code, _, msg)] = _sys(p)
    assert code == "SYS-01" and "kata sandi" in msg


def test_zip_that_is_not_a_word_document(tmp_path: Path) -> None:
    p = tmp_path / "arsip.docx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "halo")
    p.write_bytes(buf.getvalue())
    [(code, _, msg)] = _sys(p)
    assert code == "SYS-01" and "bukan dokumen Word" in msg


def test_worksheet_without_tahap3_table(tmp_path: Path) -> None:
    text = SMALL.split("Tahap 3\n")[0] + "Tahap 3\nUraikan CSF ke kondisi antara\n" + \
        "Tahap 4" + SMALL.split("Tahap 4")[1]
    [(code, ref, msg)] = _sys(_small(tmp_path, text))
    assert code == "SYS-01" and ref == "Tahap 3, judul" and "Tahap 3" in msg


def test_worksheet_with_only_tahap1_and_2(tmp_path: Path) -> None:
    text = SMALL.split("Tahap 3\n")[0]
    [(code, ref, msg)] = _sys(_small(tmp_path, text))
    assert code == "SYS-01" and ref is not None and ref.startswith("Tahap 3 (tidak ada; setelah Tahap 2")
    assert "hanya memuat Tahap 1, 2" in msg
    tree = load_path(tmp_path / "ws.txt").tree  # Tahap 1-2 are still checked
    assert tree is not None and [n.level.name for n in tree.nodes] == ["outcome", "csf", "csf"]


@pytest.mark.parametrize("name", ["catatan.txt", "surat.docx"])
def test_document_that_is_not_a_worksheet(tmp_path: Path, name: str) -> None:
    text = "Surat undangan rapat\nDengan hormat, kami mengundang Bapak/Ibu.\n"
    p = _small(tmp_path, text, name) if name.endswith(".txt") else _as_docx(text, tmp_path / name)
    [(code, ref, msg)] = _sys(p)
    assert code == "SYS-01" and ref == "Awal dokumen" and msg.count("bukan lembar kerja pohon kinerja") == 1


def test_windows_text_exports(tmp_path: Path) -> None:
    for raw in (SMALL.encode("utf-16"), SMALL.replace("\n", "\r\n").encode("cp1252")):
        p = tmp_path / "export.txt"
        p.write_bytes(raw)
        assert not _sys(p)


def test_folder_skips_text_and_word_files_that_are_no_worksheet(tmp_path: Path) -> None:
    _small(tmp_path, "Catatan\n", "catatan.txt")
    _as_docx("Surat\n", tmp_path / "surat.docx")
    _small(tmp_path)
    assert [p.name for p in collect_files([tmp_path])] == ["ws.txt"]


# --- reporters -----------------------------------------------------------------------------


def test_places_in_english_and_sarif() -> None:
    run = run_cli("check", str(TXT), "--format", "sarif", "--lang", "en")
    results = json.loads(run.out)["runs"][0]["results"]
    lng = next(r for r in results if r["ruleId"] == "LNG-02")
    assert lng["message"]["text"].startswith("Tahap 1, paragraph 7: ")
    assert {"name": "paragraph 7", "fullyQualifiedName": "Tahap 1 > paragraph 7", "kind": "text"} in \
        lng["locations"][0]["logicalLocations"]
    assert lng["locations"][0]["physicalLocation"]["region"] == {"startLine": 21}
    nam = next(r for r in results if r["ruleId"] == "NAM-01")
    assert nam["locations"][0]["logicalLocations"][-1]["fullyQualifiedName"] == \
        "Tahap 4 > table 1 > row 1 > column 3"
    text = run_cli("check", str(TXT), "--lang", "en").out
    assert "worksheet.txt:Tahap 4, table 1, row 1, column 3 warning NAM-01" in text
    assert "worksheet.txt:Tahap 4, tabel 1, baris 1, kolom 3 peringatan NAM-01" in run_cli("check", str(TXT)).out


def test_unsupported_suffix_says_what_is_read(tmp_path: Path) -> None:
    p = tmp_path / "pohon.odt"
    p.write_bytes(b"x")
    [(_, _, msg)] = _sys(p)
    assert "'.odt' tidak didukung" in msg and ".docx" in msg and ".xlsx" in msg and "simpan" in msg


# --- annotate ------------------------------------------------------------------------------


def _comment_anchors(document: Any) -> dict[int, str]:
    """comment id -> the text of the paragraph or cell its range starts in."""
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    out: dict[int, str] = {}
    for p in document.element.body.iter(f"{ns}p"):
        for start in p.iter(f"{ns}commentRangeStart"):
            out[int(start.get(f"{ns}id"))] = "".join(t.text or "" for t in p.iter(f"{ns}t"))
    return out


def test_annotate_docx(tmp_path: Path) -> None:
    source = tmp_path / "lembar.docx"
    source.write_bytes(DOCX.read_bytes())
    out = tmp_path / "lembar-anotasi.docx"
    run = run_cli("check", str(source), "--annotate", str(out))
    assert run.code == 1 and "paragraf/sel diberi komentar" in run.err
    assert source.read_bytes() == DOCX.read_bytes()  # the original is only read
    findings = check_file(source).findings
    document = docx.Document(str(out))
    comments = {c.comment_id: c for c in document.comments}
    assert len(comments) == len({f.ref for f in findings if f.ref and f.ref.startswith("Tahap")})
    assert {c.author for c in comments.values()} == {"kinerjalint"}
    anchors = _comment_anchors(document)
    outcome = next(i for i, text in anchors.items() if text.startswith("Meningkatkan Rasa Aman"))
    assert "[LNG-02]" in comments[outcome].text and "Saran:" in comments[outcome].text
    belangan = next(i for i, text in anchors.items() if text == "Kabupaten Belangan Zero Konflik Sosial")
    assert "[NAM-01]" in comments[belangan].text
    summary = document.tables[-1]
    assert len(summary.rows) == len(findings) + 1 and summary.cell(0, 0).text == "Lokasi"
    assert document.paragraphs[-2].text == "Hasil pemeriksaan kinerjalint" or \
        any(p.text == "Hasil pemeriksaan kinerjalint" for p in document.paragraphs[-4:])
    # Nothing else changed: the body before the summary reads as before.
    before = [p.text for p in docx.Document(str(source)).paragraphs]
    assert [p.text for p in document.paragraphs][: len(before)] == before


def test_annotate_docx_refusals(tmp_path: Path) -> None:
    assert run_cli("check", str(TXT), "--annotate", str(tmp_path / "x.docx")).code == 2
    assert run_cli("check", str(DOCX), "--annotate", str(tmp_path / "x.pdf")).code == 2
    wb = tmp_path / "ws.xlsx"  # a worksheet may still be handed back as a workbook
    assert run_cli("check", str(TXT), "--annotate", str(wb)).code == 1 and wb.exists()


# --- convert -------------------------------------------------------------------------------


@pytest.mark.parametrize("source", [TXT, DOCX])
@pytest.mark.parametrize("suffix", [".yaml", ".xlsx"])
def test_convert_worksheet(tmp_path: Path, source: Path, suffix: str) -> None:
    out = tmp_path / f"pohon{suffix}"
    run = run_cli("convert", str(source), str(out))
    assert run.code == 0, run.err
    assert "31 node, 30 indikator" in run.err
    back = load_path(out).tree
    assert back is not None and len(back.nodes) == 31 and len(back.tahap4) == 30


def test_convert_refuses_to_write_a_worksheet(tmp_path: Path) -> None:
    run = run_cli("convert", str(YAML), str(tmp_path / "x.docx"))
    assert run.code == 2 and "hanya dibaca" in run.err
    broken = _small(tmp_path, "Catatan\n", "catatan.txt")
    assert run_cli("convert", str(broken), str(tmp_path / "x.yaml")).code == 2


def test_text_export_line_is_shown_under_the_finding() -> None:
    out = run_cli("check", str(TXT)).out.splitlines()
    at = next(i for i, line in enumerate(out) if "NAM-01" in line)
    assert "Kabupaten Belangan Zero Konflik Sosial" in out[at + 1]
    caret = out[at + 2]
    assert caret.strip() == "^" * len("Kabupaten Belangan Zero Konflik Sosial")
    assert out[at + 1][caret.index("^"):].startswith("Kabupaten Belangan")


def test_service_takes_worksheet_uploads_by_name() -> None:
    from kinerjalint.service.linting import format_of

    assert format_of(None, "lembar.docx", None) == "docx" and format_of(None, "lembar.txt", None) == "worksheet"
    assert format_of(None, "pohon.xlsx", None) == "xlsx" and format_of(None, None, "text/plain") is None


def test_tahap3_with_one_column_per_level(tmp_path: Path) -> None:
    table = ("CSF\tKondisi antara utama\tKondisi antara\tKondisi operasional\n"
             "Menurunnya konflik sosial\tMeningkatnya kewaspadaan dini masyarakat\t"
             "Terumuskannya kebijakan kewaspadaan dini\tTerlaksananya pemantauan potensi konflik\n"
             "\t\t\tTerlaksananya patroli gabungan di perbatasan\n")
    text = SMALL.replace(SMALL[SMALL.index("CSF\tKondisi yang diperlukan\tketerangan"):SMALL.index("Tahap 4")], table)
    tree = load_path(_small(tmp_path, text)).tree
    assert tree is not None
    got = [(n.id, n.level.name) for n in tree.nodes]
    assert got == [("0", "outcome"), ("1", "csf"), ("1.1", "antara_utama"), ("1.1.1", "antara"),
                   ("1.1.1.1", "operasional"), ("1.1.1.2", "operasional"), ("2", "csf")]
    assert tree.nodes[5].kinerja == "Terlaksananya patroli gabungan di perbatasan"


def test_tahap1_labels_with_colons_and_outcome_from_the_tables(tmp_path: Path) -> None:
    text = SMALL.replace("Meningkatnya rasa aman masyarakat\nTahap 2",
                         "a. Mandat: UU 23/2014\nb. Permasalahan: Konflik sosial\nTahap 2")
    tree = load_path(_small(tmp_path, text)).tree
    assert tree is not None and tree.model is not None and tree.model.tahap1 is not None
    assert tree.model.tahap1.mandat == ["UU 23/2014"] and tree.model.tahap1.permasalahan == ["Konflik sosial"]
    # No outcome paragraph: the "tahap 1" row of the Tahap 4 table is the root.
    assert tree.roots[0].kinerja == "Meningkatnya rasa aman masyarakat"
    assert not _sys(tmp_path / "ws.txt")
    labelled = SMALL.replace("Meningkatnya rasa aman masyarakat\nTahap 2",
                             "Outcome: Meningkatnya rasa aman masyarakat\nTahap 2")
    root = load_path(_small(tmp_path, labelled, "b.txt")).tree
    assert root is not None and root.roots[0].kinerja == "Meningkatnya rasa aman masyarakat"


def test_annotate_a_broken_docx_is_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "rusak.docx"
    broken.write_bytes(b"not a zip")
    run = run_cli("check", str(broken), "--annotate", str(tmp_path / "out.docx"))
    assert run.code == 2 and "tidak dapat dianotasi" in run.err and "Traceback" not in run.err
    assert not (tmp_path / "out.docx").exists()


def test_annotate_folder_keeps_word_worksheets_in_word(tmp_path: Path) -> None:
    folder = tmp_path / "masuk"
    folder.mkdir()
    (folder / "a.docx").write_bytes(DOCX.read_bytes())
    _small(folder, SMALL, "b.txt")
    out = tmp_path / "keluar"
    out.mkdir()
    assert run_cli("check", str(folder), "--annotate", str(out)).code == 1
    assert sorted(p.name for p in out.iterdir()) == ["a-kinerjalint.docx", "b-kinerjalint.xlsx"]


def test_annotate_a_document_without_heading_and_table_styles(tmp_path: Path) -> None:
    source = _as_docx(SMALL, tmp_path / "polos.docx")
    document = docx.Document(str(source))
    styles = document.styles.element
    for style in list(styles):
        name = style.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}name")
        if name is not None and name.get(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val") in ("heading 1", "Table Grid"):
            styles.remove(style)
    document.save(str(source))
    out = tmp_path / "polos-anotasi.docx"
    assert run_cli("check", str(source), "--annotate", str(out)).code == 1
    annotated = docx.Document(str(out))
    assert len(list(annotated.comments)) >= 1
    assert annotated.tables[-1].cell(0, 0).text == "Lokasi"


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (libreoffice-writer-nogui) and poppler-utils are optional")
def test_annotated_docx_opens_in_libreoffice(tmp_path: Path) -> None:
    out = tmp_path / "anotasi.docx"
    assert run_cli("check", str(DOCX), "--annotate", str(out)).code == 1
    done = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "HOME": str(tmp_path)})  # a private LibreOffice profile
    assert done.returncode == 0, done.stderr
    text = subprocess.run(["pdftotext", str(tmp_path / "anotasi.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Hasil pemeriksaan kinerjalint" in text and "Meningkatkan Rasa Aman" in text


def test_tahap4_table_without_its_columns_is_reported_at_the_table(tmp_path: Path) -> None:
    text = SMALL.replace("Rujukan tahapan\tKinerja\tIndikator kinerja\tKeterangan", "No\tUraian\tUkuran\tCatatan")
    [(code, ref, msg)] = _sys(_small(tmp_path, text))
    assert code == "SYS-01" and ref == "Tahap 4, tabel 1, judul kolom 1" and "tanpa kolom 'kinerja'" in msg


def test_annotate_docx_in_english(tmp_path: Path) -> None:
    out = tmp_path / "en.docx"
    assert run_cli("check", str(DOCX), "--annotate", str(out), "--lang", "en").code == 1
    document = docx.Document(str(out))
    texts = [c.text for c in document.comments]
    assert any(t.startswith("[LNG-02] error: Statement 'Meningkatkan Rasa Aman") and "\nFix: " in t for t in texts)
    summary = document.tables[-1]
    assert summary.cell(0, 0).text == "Place" and summary.cell(1, 0).text == "Tahap 1, paragraph 7"
    assert any(p.text == "kinerjalint check results" for p in document.paragraphs)
