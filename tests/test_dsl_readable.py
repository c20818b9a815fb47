"""The readable forms of the rule language: if/case, message variants, {value:q}, checked fix examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from kinerjalint.errors import RuleError, RuleSyntaxError
from kinerjalint.examples import run_examples
from kinerjalint.rulebook import build_rulebook

from .conftest import run_cli
from .test_dsl import compile_error, make_folder

# A rule written with the readable forms: `case` in a let, `if` in `at`, named message and
# fix variants sharing their placeholders, and {value:q} quoting.
READABLE = """\
rule XTR-02 kata-awal {
  severity warning
  title id "Kata awal" en "First word"
  for node
  let kata = first_word(node.kinerja)
  let jenis = case when kata in list kata-kerja-aktif then "kerja"
                   when kata matches "^pe.*an$" then "kegiatan"
                   else none
  report when jenis is not none
  at if jenis == "kerja" then node.kinerja else node.kinerja
  message {
    kerja when jenis == "kerja":
      id "Pernyataan {node.kinerja:q} diawali kata kerja {kata:q}"
      en "Statement {node.kinerja:q} starts with the verb {kata:q}"
    kegiatan:
      id "Pernyataan {node.kinerja:q} diawali kata kegiatan {kata:q}"
      en "Statement {node.kinerja:q} starts with the activity noun {kata:q}"
  }
  fix {
    ganti when kata == "Meningkatkan":
      id "Ganti menjadi {replace_first_word(node.kinerja, 'Meningkatnya'):q}"
      en "Replace with {replace_first_word(node.kinerja, 'Meningkatnya'):q}"
    umum:
      id "Rumuskan sebagai kondisi." en "State a condition."
  }
  fix replace node.kinerja with if kata == "Meningkatkan" then replace_first_word(node.kinerja, "Meningkatnya") else node.kinerja
  source "uji"
  example fail { level: csf, kinerja: "Meningkatkan rasa aman" } fixed { kinerja: "Meningkatnya rasa aman" }
  example fail { level: csf, kinerja: "Pelaksanaan rapat" }
  example pass { level: csf, kinerja: "Meningkatnya rasa aman" }
}
"""


def _findings(tmp_path: Path, rules: str, kinerja: str) -> list[dict[str, object]]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    folder = make_folder(tmp_path, rules)
    doc = tmp_path / "p.yaml"
    doc.write_text(f"pohon:\n  level: outcome\n  kinerja: Meningkatnya rasa aman\n  anak:\n"
                   f"    - level: csf\n      kinerja: '{kinerja}'\n", encoding="utf-8")
    r = run_cli("check", str(doc), "--rules", str(folder), "--select", "XTR-02", "--format", "json")
    return r.json()["files"][0]["findings"]  # type: ignore[no-any-return]


def test_case_variants_and_quoting_render_the_branch_that_holds(tmp_path: Path) -> None:
    [verb] = _findings(tmp_path / "a", READABLE, "Meningkatkan rasa aman")
    assert verb["message"] == 'Pernyataan "Meningkatkan rasa aman" diawali kata kerja "Meningkatkan"'
    assert verb["fix"] == 'Ganti menjadi "Meningkatnya rasa aman"'
    assert verb["replacement"] == "Meningkatnya rasa aman"
    [noun] = _findings(tmp_path / "b", READABLE, "Pelaksanaan rapat")
    assert noun["message"] == 'Pernyataan "Pelaksanaan rapat" diawali kata kegiatan "Pelaksanaan"'
    assert noun["fix"] == "Rumuskan sebagai kondisi."
    assert _findings(tmp_path / "c", READABLE, "Meningkatnya rasa aman") == []


def test_quote_escapes_double_quotes_inside_the_value(tmp_path: Path) -> None:
    [f] = _findings(tmp_path, READABLE, 'Pelaksanaan "rapat" koordinasi')
    assert f["message"] == "Pernyataan \"Pelaksanaan 'rapat' koordinasi\" diawali kata kegiatan \"Pelaksanaan\""


def test_english_variant(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, READABLE)
    doc = tmp_path / "p.yaml"
    doc.write_text("pohon: {level: csf, kinerja: Pelaksanaan rapat}\n", encoding="utf-8")
    r = run_cli("check", str(doc), "--rules", str(folder), "--select", "XTR-02", "--format", "json", "--lang", "en")
    [f] = r.json()["files"][0]["findings"]
    assert f["message"] == 'Statement "Pelaksanaan rapat" starts with the activity noun "Pelaksanaan"'


def test_readable_rule_examples_pass_verify(tmp_path: Path) -> None:
    rb = build_rulebook((make_folder(tmp_path, READABLE),))
    outcomes = [o for o in run_examples(rb, {"XTR-02"})]
    assert outcomes and all(o.ok for o in outcomes), [o.detail for o in outcomes if not o.ok]


def test_variant_texts_must_share_placeholders(tmp_path: Path) -> None:
    bad = READABLE.replace('en "Statement {node.kinerja:q} starts with the verb {kata:q}"',
                           'en "Statement {node.kinerja:q} starts with a verb"')
    err = compile_error(tmp_path, bad)
    assert "teks id dan en harus memakai nilai yang sama" in str(err) and "{quote(kata)}" in str(err)
    assert err.where is not None and err.where.line == 14


def test_only_the_last_variant_is_the_default(tmp_path: Path) -> None:
    no_when = READABLE.replace('kerja when jenis == "kerja":', "kerja:")
    with pytest.raises(RuleSyntaxError, match="varian 'kerja' perlu 'when"):
        (tmp_path / "a").mkdir()
        build_rulebook((make_folder(tmp_path / "a", no_when),))
    last_when = READABLE.replace("    kegiatan:\n", '    kegiatan when jenis == "kegiatan":\n')
    with pytest.raises(RuleSyntaxError, match="varian terakhir"):
        (tmp_path / "b").mkdir()
        build_rulebook((make_folder(tmp_path / "b", last_when),))


def test_if_branches_are_type_checked(tmp_path: Path) -> None:
    bad = READABLE.replace('report when jenis is not none',
                           'report when (if jenis is none then 1 else 2) starts with "x"')
    err = compile_error(tmp_path, bad)
    assert "'starts with' perlu teks" in str(err)


def _outcome(tmp_path: Path, rules: str) -> list[str]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    rb = build_rulebook((make_folder(tmp_path, rules),))
    return [o.detail for o in run_examples(rb, {"XTR-02"}) if not o.ok]


def test_a_fixed_example_that_does_not_match_the_fix_fails(tmp_path: Path) -> None:
    wrong = READABLE.replace('fixed { kinerja: "Meningkatnya rasa aman" }', 'fixed { kinerja: "Meningkatlah rasa aman" }')
    [detail] = _outcome(tmp_path, wrong)
    assert "hasil perbaikan berbeda" in detail and "Meningkatnya rasa aman" in detail


def test_a_fix_whose_output_still_fails_its_rule_fails_the_example(tmp_path: Path) -> None:
    # the "fix" only changes the case, so the statement still starts with an active verb
    same = READABLE.replace('replace_first_word(node.kinerja, "Meningkatnya") else', 'upper(node.kinerja) else') \
        .replace('fixed { kinerja: "Meningkatnya rasa aman" }', 'fixed { kinerja: "MENINGKATKAN RASA AMAN" }')
    [detail] = _outcome(tmp_path, same)
    assert "masih melanggar aturan ini" in detail


def test_a_fix_replace_rule_needs_a_fixed_example(tmp_path: Path) -> None:
    [detail] = _outcome(tmp_path, READABLE.replace(' fixed { kinerja: "Meningkatnya rasa aman" }', ""))
    assert "perlu contoh 'example fail {...} fixed {...}'" in detail


def test_fixed_only_on_fail_examples(tmp_path: Path) -> None:
    bad = READABLE.replace('example pass { level: csf, kinerja: "Meningkatnya rasa aman" }',
                           'example pass { level: csf, kinerja: "Meningkatnya rasa aman" } fixed { kinerja: "x" }')
    with pytest.raises(RuleError, match="'fixed' hanya untuk 'example fail'"):
        build_rulebook((make_folder(tmp_path, bad),))


def test_every_builtin_fix_replace_rule_has_a_checked_fixed_example() -> None:
    from kinerjalint.rulebook import load_rulebook

    rb = load_rulebook()
    with_fix = [r for r in rb.rules if r.defn.fix_replace is not None]
    assert with_fix
    for r in with_fix:
        assert any(ex.fixed is not None for ex in r.defn.examples), r.code


@pytest.mark.parametrize(("slip", "hint"), [
    ('rule A-01 a {\n  for node\n  report when node.level = csf\n}\n', "pakai '=='"),
    ('rule A-01 a {\n  for node where node.level == csf and node.kinerja = "x"\n}\n', "pakai '=='"),
    ('rule A-01 a {\n  message id Pernyataan salah\n}\n', "tanda petik"),
    ('rule A-01 a {\n  severity warning\n\nrule B-01 b {\n}\n', "'}' penutup aturan sebelumnya kurang"),
    ('rule A-01 a {\n  for node\n  report when node.kinerja is empty\n', "'}' penutup aturan kurang di akhir berkas"),
    ('rule A-01 a {\n  report node.kinerja is empty\n}\n', "setelah 'report' ditulis 'when'"),
    ('rule A-01 a {\n  report when a && b\n}\n', "pakai 'and'"),
    ('rule A-01 a {\n  message id \u201cPernyataan\u201d\n}\n', "tanda petik biasa"),
])
def test_common_slips_get_a_hint_with_file_line_column(tmp_path: Path, slip: str, hint: str) -> None:
    with pytest.raises(RuleSyntaxError) as info:
        build_rulebook((make_folder(tmp_path, slip),))
    err = info.value
    assert hint in str(err), str(err)
    assert err.where is not None and err.where.path.endswith("uji.rules") and err.where.line >= 2
