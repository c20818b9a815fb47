"""The rulebook in the readable forms: same placeholders everywhere, bilingual loader arguments."""

from __future__ import annotations

from pathlib import Path

from kinerjalint.engine import problem_finding
from kinerjalint.loaders.base import Problem
from kinerjalint.rulebook import build_rulebook, load_rulebook
from kinerjalint.span import Span

from .test_dsl import compile_error, make_folder

PLAIN = """\
rule XTR-03 kata-awal {
  severity warning
  title id "Kata awal" en "First word"
  for node
  let kata = first_word(node.kinerja)
  report when kata in list kata-kerja-aktif
  message id "Pernyataan '{node.kinerja}' diawali kata kerja {kata:q}"
          en "Statement '{node.kinerja}' starts with the verb {kata:q}"
  source "uji"
  example fail { level: csf, kinerja: "Meningkatkan rasa aman" }
}
"""


def test_a_plain_message_must_use_the_same_placeholders_in_both_languages(tmp_path: Path) -> None:
    (tmp_path / "ok").mkdir()
    build_rulebook((make_folder(tmp_path / "ok", PLAIN),))
    bad = PLAIN.replace("starts with the verb {kata:q}", "starts with an active verb")
    (tmp_path / "bad").mkdir()
    err = compile_error(tmp_path / "bad", bad)
    assert "teks id dan en harus memakai nilai yang sama" in str(err) and "{quote(kata)}" in str(err)


def test_an_empty_list_branch_takes_the_type_of_the_other_branch(tmp_path: Path) -> None:
    # join() needs list[str]: `if c then [] else words(x)` plus another list[str] still is one.
    rule = PLAIN.replace(
        "  report when kata in list kata-kerja-aktif\n",
        "  let a = if kata == \"\" then [] else words(node.kinerja)\n"
        "  let b = if kata == \"\" then words(node.kinerja) else []\n"
        "  report when kata in list kata-kerja-aktif and join(a + b, ' ') != \"\"\n")
    rb = build_rulebook((make_folder(tmp_path, rule),))
    assert rb.get("XTR-03") is not None


def test_a_loader_argument_is_read_in_the_language_of_the_text() -> None:
    rb = load_rulebook()
    sys01 = rb.get("SYS-01")
    assert sys01 is not None and sys01.defn.loader_args == ("detail",)
    f = problem_finding(rb, Problem("SYS-01", Span(1, 1, 1, 1), {"detail": "berkas kosong",
                                                                 "detail_en": "the file is empty"}), "x.yaml")
    assert f.message("id") == "Berkas tidak dapat dibaca: berkas kosong"
    assert f.message("en") == "The file cannot be read: the file is empty"


def test_the_builtin_rulebook_builds_conditions_without_pick() -> None:
    rules = Path(__file__).resolve().parents[1] / "rules"
    uses = sum(p.read_text(encoding="utf-8").count("pick(") for p in rules.glob("*.rules"))
    assert uses < 15, f"{uses} pick() in rules/*.rules: write if/case and message variants"
