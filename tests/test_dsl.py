"""The rule language: errors a rule author sees, and the semantics of its operators."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kinerjalint.errors import RuleError, RuleSyntaxError
from kinerjalint.rulebook import build_rulebook
from kinerjalint.resources import rules_dir

from .conftest import run_cli

RULE = """\
rule XTR-01 contoh-aturan {
  severity warning
  title id "Contoh" en "Example"
  for node where node.level == csf
  report when node.kinerja starts with "Menc"
  message id "Kinerja '{node.kinerja}'" en "Statement '{node.kinerja}'"
  source "uji"
  example fail { level: csf, kinerja: "Mencegah konflik" }
  example pass { level: csf, kinerja: "Menurunnya konflik" }
}
"""


def make_folder(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "aturan"
    folder.mkdir()
    (folder / "uji.rules").write_text(text, encoding="utf-8")
    shutil.copytree(rules_dir() / "words", folder / "words")
    return folder


def compile_error(tmp_path: Path, text: str) -> RuleError:
    folder = make_folder(tmp_path, text)
    with pytest.raises(RuleError) as info:
        build_rulebook((folder,))
    return info.value


def test_a_valid_extra_rule_runs_through_the_cli(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, RULE)
    doc = tmp_path / "p.yaml"
    doc.write_text("pohon:\n  level: outcome\n  kinerja: Meningkatnya rasa aman\n  anak:\n"
                   "    - level: csf\n      kinerja: Mencegah konflik\n", encoding="utf-8")
    r = run_cli("check", str(doc), "--rules", str(folder), "--select", "XTR-01", "--format", "json")
    findings = r.json()["files"][0]["findings"]
    assert [(f["code"], f["line"], f["column"]) for f in findings] == [("XTR-01", 6, 16)]
    assert r.code == 0  # a warning is below the default --fail-on error


def test_misspelt_field_names_file_line_column_and_suggestion(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, RULE.replace("node.kinerja starts", "node.kinrja starts"))
    doc = tmp_path / "p.yaml"
    doc.write_text("pohon: {level: outcome, kinerja: Meningkatnya rasa aman}\n", encoding="utf-8")
    r = run_cli("check", str(doc), "--rules", str(folder))
    assert r.code == 2
    assert f"{folder / 'uji.rules'}:5:15:" in r.err
    assert "kinrja" in r.err and "'kinerja'" in r.err
    assert "^" in r.err  # caret excerpt
    assert "Traceback" not in r.err


def test_unknown_function_and_word_list(tmp_path: Path) -> None:
    err = compile_error(tmp_path, RULE.replace('starts with "Menc"', "== frist_word(node.kinerja)"))
    assert "frist_word" in str(err) and "first_word" in str(err) and err.where.line == 5


def test_unknown_word_list(tmp_path: Path) -> None:
    err = compile_error(tmp_path, RULE.replace('starts with "Menc"', "starts with list kata-kerja-aktf"))
    assert "kata-kerja-aktif" in str(err)


def test_type_mismatch(tmp_path: Path) -> None:
    err = compile_error(tmp_path, RULE.replace('node.kinerja starts with "Menc"', 'node.children starts with "Menc"'))
    assert "teks" in str(err) and err.where.line == 5


def test_unknown_name_in_message_template(tmp_path: Path) -> None:
    err = compile_error(tmp_path, RULE.replace("Kinerja '{node.kinerja}'", "Kinerja '{nod.kinerja}'"))
    assert err.where.line == 6 and "nod" in str(err) and "node" in str(err)


def test_syntax_error(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, RULE.replace("report when", "report wen"))
    with pytest.raises(RuleSyntaxError) as info:
        build_rulebook((folder,))
    assert info.value.where.line == 5


def test_duplicate_code_is_rejected(tmp_path: Path) -> None:
    err = compile_error(tmp_path, RULE + RULE)
    assert "XTR-01" in str(err) and err.where.line == 11


def test_missing_message_is_rejected(tmp_path: Path) -> None:
    text = "\n".join(ln for ln in RULE.splitlines() if "message" not in ln)
    assert "message" in str(compile_error(tmp_path, text))


def test_level_prefilter_is_derived_from_where(tmp_path: Path) -> None:
    rb = build_rulebook((make_folder(tmp_path, RULE),))
    assert {lv.name for lv in rb.get("XTR-01").levels} == {"csf"}


def test_operators() -> None:
    from kinerjalint.dsl import runtime as r
    from kinerjalint.dsl.wordlists import WordList

    wl = WordList("x", Path("x"), frozenset({"sub bagian", "rp"}), {}, {}, 2)
    assert r.contains("Penataan Sub Bagian Umum", wl)
    assert not r.contains("Terpilihnya ketua", wl)  # 'rp' is not a whole word here
    assert r.starts("Jumlah orang", "jumlah") and r.eq("Jumlah", "JUMLAH")
    assert not r.lt(None, 3) and r.empty("  ") and r.empty([]) and not r.empty("x")
    assert r.in_("csf", ["CSF", "outcome"]) and r.contains("Pemilu dan Pilkada", "dan")
    assert not r.contains("Pemilu dandanan", "dan")
    assert r.matches("Rp 10.000", r"rp\s*[0-9]")


def test_misspelt_field_on_a_mixed_value_is_caught(tmp_path: Path) -> None:
    text = RULE.replace("for node where node.level == csf", "for teks in [node] + node.indikator") \
               .replace('report when node.kinerja starts with "Menc"', "report when teks.kinerjaa is empty") \
               .replace("Kinerja '{node.kinerja}'", "Teks").replace("Statement '{node.kinerja}'", "Text")
    err = compile_error(tmp_path, text)
    assert "kinerjaa" in str(err) and "'kinerja'" in str(err) and err.where.line == 5
