"""Texts in both languages as DSL values (tr, function notes): each message shows its own language."""

from __future__ import annotations

import copy
import pickle

from kinerjalint.bilingual import Said, join_said
from kinerjalint.dsl.evaluate import evaluate
from kinerjalint.dsl.runtime import fmt

from .conftest import SAMPLE, run_cli


def test_said_is_its_indonesian_text_and_keeps_english_through_plus_join_quote() -> None:
    v = evaluate("tr('kode di akhir ', 'code at the end of the ') + tr('indikator', 'indicator')")
    assert v == "kode di akhir indikator" and fmt(v, "en") == "code at the end of the indicator"
    joined = join_said("; ", [Said("a", "A"), "b"])
    assert joined == "a; b" and fmt(joined, "en") == "A; b"
    assert fmt(evaluate("quote(tr('spasi ganda', 'double spaces'))"), "en") == '"double spaces"'
    assert evaluate("tr('spasi ganda', 'double spaces') == 'spasi ganda'") is True


def test_said_survives_pickle_and_copy() -> None:
    s = Said("gaya huruf", "letter case")
    for other in (pickle.loads(pickle.dumps(s)), copy.deepcopy(s), copy.copy(s)):
        assert other == "gaya huruf" and other.en == "letter case"


def test_english_run_has_no_indonesian_from_rule_data_or_function_notes() -> None:
    out = run_cli("check", str(SAMPLE), "--select", "NAM-02,NAM-03", "--lang", "en", "--format", "json").json()
    messages = [f["message"] for f in out["files"][0]["findings"]]
    assert messages and any("not spelled out" in m for m in messages) and any("letter case" in m for m in messages)
    for word in ("belum dijabarkan", "gaya huruf", "saudara", "kalimat", "judul", "spasi", "titik di akhir"):
        assert not [m for m in messages if word in m], word
    indonesian = run_cli("check", str(SAMPLE), "--select", "NAM-02,NAM-03", "--format", "json").json()
    ids = [f["message"] for f in indonesian["files"][0]["findings"]]
    assert any("belum dijabarkan" in m for m in ids) and any("gaya huruf" in m for m in ids)


def test_rule_file_errors_in_english_with_lang_en(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from kinerjalint.resources import rules_dir

    folder = tmp_path / "r"
    folder.mkdir()
    shutil.copytree(rules_dir() / "words", folder / "words")
    tree = tmp_path / "p.yaml"
    tree.write_text("pohon: {level: outcome, kinerja: Meningkatnya rasa aman}\n", encoding="utf-8")
    cases = [
        ('  for node\n  report when node.kinrja is empty\n', "node has no field 'kinrja'; did you mean 'kinerja'?",
         "node tidak punya kolom 'kinrja'; mungkin maksudnya 'kinerja'?"),
        ('  report when node.level = csf\n', "(hint: to compare use '=='", "(petunjuk: untuk membandingkan pakai '=='"),
        ('  report when a && b\n', "unknown character '&' (use 'and')", "karakter tidak dikenal '&' (pakai 'and')"),
    ]
    for body, en, id_ in cases:
        (folder / "a.rules").write_text(f"rule A-01 a {{\n  severity warning\n  title id \"a\" en \"b\"\n"
                                        f"  message id \"x\" en \"y\"\n{body}}}\n", encoding="utf-8")
        r_en = run_cli("check", str(tree), "--rules", str(folder), "--lang", "en")
        r_id = run_cli("check", str(tree), "--rules", str(folder))
        assert r_en.code == 2 and en in r_en.err, r_en.err
        assert r_id.code == 2 and id_ in r_id.err, r_id.err
