"""The DSL function library, domain by domain: every declared example, and the tree-wide
functions on small real-looking trees (Kesbangpol Balangan wording)."""

from __future__ import annotations

import inspect
import typing
from typing import Any

import pytest

from kinerjalint.dsl.evaluate import evaluate
from kinerjalint.dsl.library import MODULES, REGISTRY
from kinerjalint.dsl.registry import dsl_type, fn
from kinerjalint.errors import RuleError
from kinerjalint.loaders import load_text

EXAMPLES = [(name, expr, value) for name, f in sorted(REGISTRY.items()) for expr, value in f.examples]


@pytest.mark.parametrize(("name", "expr", "value"), EXAMPLES, ids=[f"{n}-{i}" for i, (n, _e, _v) in enumerate(EXAMPLES)])
def test_declared_example(name: str, expr: str, value: Any) -> None:
    assert name in expr
    assert evaluate(expr) == value


# Functions whose behaviour needs a tree (or is only a setting): tested below instead of by examples.
TREE_FUNCTIONS = {"acronym_notes", "best_match", "majority", "majority_spelling", "name_variants",
                  "same_key", "setting", "similar", "text_of",
                  # the government's (tests/test_pemda.py runs them over samples/pemda)
                  "agencies_of", "agency_named", "claims", "condition_in", "held_elsewhere", "partners",
                  "pemda_indicator_of", "sasaran_of", "supporters"}


def test_every_function_has_examples_or_a_tree_test() -> None:
    missing = sorted(n for n, f in REGISTRY.items() if not f.examples and n not in TREE_FUNCTIONS)
    assert not missing, f"add examples=(...) to: {missing}"


def test_types_come_from_annotations() -> None:
    for f in REGISTRY.values():
        hints = typing.get_type_hints(f.py, include_extras=True)
        params = [p for p in inspect.signature(f.py).parameters.values() if p.default is inspect.Parameter.empty]
        params = params[1:] if f.ctx else params
        assert tuple(dsl_type(hints[p.name]) for p in params) == f.params, f.name
        if not f.returns.startswith("$"):
            assert dsl_type(hints["return"]) == f.returns, f.name


def test_an_unannotated_function_is_refused() -> None:
    def bare(text):  # type: ignore[no-untyped-def]
        return text

    with pytest.raises(TypeError, match="annotate text, return"):
        fn("tanpa anotasi")(bare)
    assert "bare" not in REGISTRY


def test_every_function_lives_in_a_domain_module() -> None:
    modules = {m.__name__ for m in MODULES}
    assert {f.py.__module__ for f in REGISTRY.values()} <= modules


def test_evaluate_reports_a_mistyped_function_like_a_rule_would() -> None:
    with pytest.raises(RuleError, match="mungkin maksudnya 'first_word'"):
        evaluate("first_wrod('Meningkatnya rasa aman')")


TREE = """\
instansi: Badan Kesatuan Bangsa dan Politik Kabupaten Balangan
pohon:
  id: "1"
  level: outcome
  kinerja: Meningkatnya Rasa Aman dan Harmonis dalam Hubungan Sosial Kemasyarakatan di Kabupaten Balangan
  indikator: [Indeks Kerukunan Umat Beragama (IKUB)]
  anak:
    - id: "1.1"
      level: csf
      kinerja: Menurunnya potensi konflik sosial di Kabupaten Balangan
      indikator: [Persentase potensi konflik sosial yang tertangani]
      anak:
        - id: "1.1.1"
          level: antara_utama
          kinerja: Meningkatnya kewaspadaan dini masyarakat Kabupaten Balangan
          indikator: [Persentase desa yang memiliki FKDM aktif]
        - id: "1.1.2"
          level: antara_utama
          kinerja: Terpetakannya potensi konflik di Kabupaten Belangan
          indikator: [Jumlah dokumen peta rawan konflik]
        - id: "1.1.3"
          level: antara_utama
          kinerja: Meningkatnya kewaspadaan dini masyarakat Kabupaten Balangan
          indikator: [Persentase laporan FKDM yang ditindaklanjuti]
    - id: "1.2"
      level: csf
      kinerja: Meningkatnya Kerukunan Umat Beragama melalui FKUB
      indikator: [Jumlah kegiatan dialog Forum Kerukunan Umat Beragama (FKUB)]
"""


@pytest.fixture(scope="module")
def tree() -> Any:
    loaded = load_text(TREE, "pohon.yaml", "yaml")
    assert loaded.tree is not None and not loaded.problems
    return loaded.tree


def test_name_variants_finds_the_minority_spelling_of_a_place(tree: Any) -> None:
    notes = evaluate("name_variants('Terpetakannya potensi konflik di Kabupaten Belangan', tree, list kosakata-domain)",
                     names={"tree": tree})
    assert notes == ["Belangan -> Balangan"]
    assert evaluate("majority_spelling('Kabupaten Belangan', tree, list kosakata-domain)",
                    names={"tree": tree}) == "Kabupaten Balangan"
    assert evaluate("name_variants('Menurunnya potensi konflik sosial di Kabupaten Balangan', tree, list kosakata-domain)",
                    names={"tree": tree}) == []


LINMAS = """\
instansi: Satpol PP
pohon:
  - id: A
    level: outcome
    kinerja: Meningkatnya ketertiban lintas wilayah
    anak:
      - id: B
        level: csf
        kinerja: Terkoordinasinya pengamanan lintas sektor
      - id: C
        level: csf
        kinerja: Terjaganya ketertiban lintas kecamatan melalui Satlinmas dan Linmas desa
"""


def test_name_variants_leaves_a_domain_word_beside_a_commoner_near_spelling() -> None:
    # "Linmas" (Perlindungan Masyarakat) is one letter from the commoner "lintas": a term of the
    # domain vocabulary, not a slip (seen on a realistic tree: "Linmas -> Lintas").
    loaded = load_text(LINMAS, "pohon.yaml", "yaml")
    assert loaded.tree is not None
    names = {"tree": loaded.tree}
    assert evaluate("name_variants('Terjaganya ketertiban melalui Linmas desa', tree, list kosakata-domain)",
                    names=names) == []
    # the same tree without that vocabulary does call it a minority spelling: the list decides
    assert evaluate("name_variants('Terjaganya ketertiban melalui Linmas desa', tree, list kata-henti)",
                    names=names) == ["Linmas -> Lintas"]


def test_acronym_notes_knows_what_the_file_spells_out(tree: Any) -> None:
    # FKUB and IKUB are spelt out somewhere in the tree; FKDM is not (akronim.tsv knows it)
    fkdm = evaluate("acronym_notes('Persentase desa yang memiliki FKDM aktif', tree, list akronim)", names={"tree": tree})
    assert len(fkdm) == 1 and fkdm[0].startswith("FKDM belum dijabarkan")
    assert evaluate("acronym_notes('Meningkatnya Kerukunan Umat Beragama melalui FKUB', tree, list akronim)",
                    names={"tree": tree}) == []


def test_same_key_and_similar_over_the_tree(tree: Any) -> None:
    names = {"tree": tree, "n": tree.nodes[2]}
    twins = evaluate("same_key(n, tree.nodes, x -> condition_key(x.kinerja, list kata-henti))", names=names)
    assert [t.id for t in twins] == ["1.1.3"]
    near = evaluate("similar(n, tree.nodes, x -> x.kinerja, 80)", names=names)
    assert "1.1.3" not in [t.id for t in near]  # exactly the same text is same_key's, not similar's


def test_best_match_prefers_the_exact_text_and_respects_the_threshold(tree: Any) -> None:
    names = {"tree": tree}
    hit = evaluate("best_match('Menurunnya potensi konflik sosial di Kab. Balangan', tree.nodes, x -> x.kinerja, 85)", names=names)
    assert hit is not None and hit.id == "1.1"
    assert evaluate("best_match('Tersusunnya dokumen perencanaan', tree.nodes, x -> x.kinerja, 85)", names=names) is None


def test_majority_and_text_of(tree: Any) -> None:
    names = {"tree": tree}
    assert evaluate("majority(tree.nodes, x -> first_word(x.kinerja))", names=names) == "Meningkatnya"  # 4 of 6
    assert evaluate("majority(tree.nodes, x -> x.id)", names=names) is None  # no key held by more than half
    from kinerjalint.levels import Level

    assert evaluate("majority(first(tree.nodes).children, x -> x.level)", names=names) == Level.csf
    assert evaluate("text_of(first(tree.nodes))", names=names).startswith("Meningkatnya Rasa Aman")
    assert evaluate("text_of(first(first(tree.nodes).indikator))", names=names) == "Indeks Kerukunan Umat Beragama (IKUB)"


def test_doubled_word_is_the_pattern_it_stands_for() -> None:
    # doubled_word skips its pattern when a text has no word twice: the answer must not change.
    import re

    from kinerjalint.dsl.functions.text import doubled_word

    pattern = re.compile(r"(?<![\w-])(\w{3,})\s+\1(?![\w-])", re.IGNORECASE)
    texts = ["Meningkatnya kesehatan masyarakat Masyarakat desa", "masing-masing keluarga keluarga",
             "Jum'at Jum'at bersih", "x'abc abc", "abc abc'd", "ab_cd ab_cd", "data_1 data_1 x",
             "rapat  rapat", "rapat\trapat", "rapat, rapat", "2021 2021", "Dan dan", "ibu ibu-ibu",
             "Pelayanan publik dan pelayanan publik", "ÉLAN élan", "", "satu", "yang yang yang"]
    for text in texts:
        m = pattern.search(text)
        assert doubled_word(text) == (m.group(0) if m else None), text
