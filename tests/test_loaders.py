"""Loading YAML and JSON: spans of every value, and bad input as SYS findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kinerjalint.api import check_file, check_text
from kinerjalint.levels import Level, parse_level
from kinerjalint.loaders import load_path, load_text
from kinerjalint.loaders.base import nearest_span

from .conftest import SAMPLE, line_of

GOOD = """\
pohon:
  level: outcome
  kinerja: Meningkatnya rasa aman masyarakat
  indikator:
    - nama: Indeks rasa aman masyarakat
      satuan: indeks
      target: 80
"""


def codes(result) -> list[tuple[str, int, int]]:
    return [(f.code, f.line, f.column) for f in result.findings]


def test_yaml_spans_point_at_values() -> None:
    res = load_text(GOOD, "x.yaml", "yaml")
    assert res.tree is not None and not res.problems
    span = res.locator.span(("pohon", "kinerja"))
    assert (span.line, span.column) == (3, 12)
    span = res.locator.span(("pohon", "indikator", 0, "nama"))
    assert (span.line, span.column) == (5, 13)


def test_quoted_scalar_span_points_inside_the_quotes() -> None:
    res = load_text('pohon:\n  level: outcome\n  kinerja: "Meningkatnya rasa aman"\n', "x.yaml", "yaml")
    span = res.locator.span(("pohon", "kinerja"))
    assert (span.line, span.column, span.end_column) == (3, 13, 35)


def test_json_spans_are_found_lazily() -> None:
    doc = {"pohon": {"level": "outcome", "kinerja": "Meningkatnya rasa aman",
                     "anak": [{"level": "csf", "kinerja": "Menurunnya konflik"}]}}
    text = json.dumps(doc, indent=2)
    res = load_text(text, "x.json", "json")
    span = res.locator.span(("pohon", "anak", 0, "kinerja"))
    line = text.splitlines()[span.line - 1]
    assert line[span.column - 1:].startswith('"Menurunnya konflik"')
    assert res.locator.span(("pohon", "nope")) is None
    assert nearest_span(res.locator, ("pohon", "nope")).line == 2


def test_json_spans_step_over_brackets_and_quotes_inside_strings() -> None:
    # Containers are stepped over by their closing bracket: a bracket or an escaped quote
    # inside a string must not be taken for one.
    doc = {"pohon": {"level": "outcome", "kinerja": 'Kondisi "[x]" {a',
                     "anak": [{"level": "csf", "kinerja": "] } \\\" [", "indikator": [{"nama": "[[["}]},
                              {"level": "csf", "kinerja": "Menurunnya konflik", "anak": []},
                              {"level": "csf", "kinerja": "Ketiga", "indikator": [{"nama": "}}}"}, {"nama": "Jumlah x"}]}]}}
    for text in (json.dumps(doc, indent=2), json.dumps(doc), json.dumps(doc, indent="\t", ensure_ascii=True)):
        res = load_text(text, "x.json", "json")
        lines = text.splitlines()
        for path, value in [(("pohon", "anak", 1, "kinerja"), "Menurunnya konflik"),
                            (("pohon", "anak", 2, "indikator", 1, "nama"), "Jumlah x"),
                            (("pohon", "anak", 0, "indikator", 0, "nama"), "[[["),
                            (("pohon", "kinerja"), 'Kondisi "[x]" {a')]:
            span = res.locator.span(path)
            assert span is not None
            assert json.loads(lines[span.line - 1][span.column - 1:span.end_column - 1]) == value
        assert res.locator.span(("pohon", "anak", 3)) is None


def test_yaml_syntax_error_is_one_sys01_with_position() -> None:
    res = check_text("pohon:\n  level: outcome\n  kinerja: [tidak ditutup\n", "rusak.yaml")
    assert [f.code for f in res.findings] == ["SYS-01"]
    f = res.findings[0]
    assert (f.line, f.column) == (3, 12)  # the '[' that is never closed, not the end of the file
    assert "YAML" in f.message("id")


def test_json_syntax_error_position() -> None:
    res = check_text('{"pohon": {"level": "outcome",\n "kinerja": }}', "rusak.json", "json")
    assert codes(res) == [("SYS-01", 2, 13)]


def test_unknown_level_is_sys02_at_the_value() -> None:
    text = GOOD + "  anak:\n    - level: tahap sembilan\n      kinerja: Menurunnya konflik\n"
    res = check_text(text, "x.yaml")
    sys02 = [f for f in res.findings if f.code == "SYS-02"]
    assert [(f.line, f.column) for f in sys02] == [(9, 14)]
    assert "tahap sembilan" in sys02[0].message("id")
    # The rest of the tree is still checked: the outcome root has a leaf problem now.
    assert any(f.code != "SYS-02" for f in res.findings) or res.tree is not None


def test_target_not_a_number_is_ind11_at_the_value() -> None:
    """Issue 12: a target written as text is a finding at its value, never a refused tree."""
    res = check_text(GOOD.replace("target: 80", "target: tinggi"), "x.yaml")
    assert not [f for f in res.findings if f.code.startswith("SYS-")]
    ind11 = [f for f in res.findings if f.code == "IND-11"]
    assert [(f.line, f.column) for f in ind11] == [(7, 15)]
    assert "bukan angka" in ind11[0].message("id")


def test_target_notations_are_read() -> None:
    """Ranges and ratios are valid notations: read, not refused (issue 12)."""
    res = check_text(GOOD.replace("target: 80", 'target: "80-85"'), "x.yaml")
    assert not [f for f in res.findings if f.code.startswith("SYS-") or f.code == "IND-11"]
    assert res.tree is not None and res.tree.indicators[0].targets == [80.0, 85.0]
    res = check_text(GOOD.replace("target: 80", 'target: "2,3:1000"'), "x.yaml")
    assert not [f for f in res.findings if f.code.startswith("SYS-")]
    assert res.tree is not None and res.tree.indicators[0].targets == [0.0023]


def test_unknown_key_suggests_the_right_one() -> None:
    res = check_text(GOOD.replace("satuan:", "satuam:"), "x.yaml")
    msgs = [f.message("id") for f in res.findings if f.code == "SYS-02"]
    assert len(msgs) == 1 and "satuam" in msgs[0] and "'satuan'" in msgs[0]


def test_missing_pohon_and_non_mapping() -> None:
    assert [f.code for f in check_text("instansi: X\n", "x.yaml").findings] == ["SYS-02"]
    assert [f.code for f in check_text("- a\n- b\n", "x.yaml").findings] == ["SYS-02"]
    assert [f.code for f in check_text("", "x.yaml").findings] == ["SYS-01"]


SALVAGE = """\
pohon:
  - level: outcome
    kinerja: Meningkatnya rasa aman masyarakat
    indikator:
      - nama: Indeks rasa aman
        target: {2025: [1]}
      - nama: Persentase konflik yang ditangani
        target: {2025: [2]}
      - nama: Indeks kerukunan umat beragama
        satuan: indeks
    anak:
      - level: csf
        kinerja: Meningkatnya kewaspadaan dini
        warna: merah
        anak:
          - level: antara
            kinerja: Terlaksananya deteksi dini
            indikator: [{nama: Jumlah laporan deteksi dini, baseline: [1]}]
      - level: csf
        kinerja: Terkendalinya potensi konflik sosial
"""


def test_salvage_keeps_the_users_indices_and_reports_what_it_sets_aside() -> None:
    """Each node is validated on its own as the tree is built (the whole document model is never
    alive at once): an indicator set aside leaves the next one at its own line, a node set aside
    takes its subtree with it, and the errors inside that subtree are still reported."""
    res = check_text(SALVAGE, "x.yaml")
    tree = res.tree
    assert tree is not None
    root = tree.roots[0]
    assert [i.nama for i in root.indikator] == ["Indeks kerukunan umat beragama"]
    assert root.indikator[0].path == ("pohon", 0, "indikator", 2)
    assert [c.kinerja for c in root.children] == ["Terkendalinya potensi konflik sosial"]
    assert root.children[0].path == ("pohon", 0, "anak", 1) and root.children[0].index == 0
    sys02 = sorted((f.line, f.message("id")) for f in res.findings if f.code == "SYS-02")
    assert [line for line, _ in sys02] == [6, 8, 14, 18]
    assert "warna" in sys02[2][1] and "baseline" in sys02[3][1]
    # A finding on the kept indicator points where the user wrote it.
    loaded = load_text(SALVAGE, "x.yaml", "yaml")
    span = nearest_span(loaded.locator, root.indikator[0].path + ("nama",))
    assert span is not None and span.line == 9
    # The writers' document is the one that validated: what was set aside is not in it.
    model = tree.model
    assert model is not None and isinstance(model.pohon, list)
    assert [i.nama for i in model.pohon[0].indikator] == ["Indeks kerukunan umat beragama"]
    assert [c.kinerja for c in model.pohon[0].anak] == ["Terkendalinya potensi konflik sosial"]


def test_an_error_under_a_single_root_does_not_refuse_the_tree() -> None:
    """A child with an unknown key is set aside; the root and its other children are checked,
    and no "pohon must be a list" is said of a tree written as one root."""
    lines = SALVAGE.splitlines()[1:]
    text = "pohon:\n  " + lines[0][4:] + "\n" + "\n".join(line[2:] for line in lines[1:]) + "\n"
    res = check_text(text, "x.yaml")
    assert res.tree is not None and len(res.tree.nodes) == 2
    msgs = [f.message("id") for f in res.findings if f.code == "SYS-02"]
    assert len(msgs) == 4 and not any("daftar" in m for m in msgs)
    # An error in the single root's own fields: no tree, but its subtree's errors are reported.
    bad_root = text.replace("  level: outcome", "  level: outcomee", 1)
    res = check_text(bad_root, "x.yaml")
    assert res.tree is None
    assert len([f for f in res.findings if f.code == "SYS-02"]) == 5


def test_duplicate_key_is_reported() -> None:
    res = check_text("pohon:\n  level: outcome\n  level: csf\n  kinerja: Meningkatnya rasa aman\n", "x.yaml")
    assert ("SYS-01", 3, 3) in codes(res)


def test_alias_bomb_is_a_finding_not_a_hang(monkeypatch) -> None:
    from kinerjalint.loaders import yamldoc

    monkeypatch.setattr(yamldoc, "MAX_VALUES", 10_000)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n" \
           "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    res = check_text(bomb, "bom.yaml")
    assert [f.code for f in res.findings] == ["SYS-01"]


def test_unreadable_files(tmp_path: Path) -> None:
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("pohon:\n  kinerja: Kab. Balangan \xe9\n".encode("latin-1"))
    assert [f.code for f in check_file(latin).findings] == ["SYS-01"]
    other = tmp_path / "pohon.docx"
    other.write_text("x")
    assert [f.code for f in check_file(other).findings] == ["SYS-01"]


def test_bom_is_accepted(tmp_path: Path) -> None:
    p = tmp_path / "bom.yaml"
    p.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert load_path(p).tree is not None


def test_flat_list_with_induk_builds_the_tree() -> None:
    text = ("pohon:\n  - {id: A, level: outcome, kinerja: Meningkatnya rasa aman}\n"
            "  - {id: B, induk: A, level: csf, kinerja: Menurunnya konflik}\n")
    tree = load_text(text, "x.yaml", "yaml").tree
    assert [n.id for n in tree.roots] == ["A"]
    assert tree.roots[0].children[0].id == "B"


def test_ids_are_derived_from_position() -> None:
    text = GOOD + "  anak:\n    - level: csf\n      kinerja: Menurunnya konflik\n      anak:\n" \
                  "        - level: antara_utama\n          kinerja: Meningkatnya kewaspadaan\n"
    tree = load_text(text, "x.yaml", "yaml").tree
    assert [n.id for n in tree.nodes] == ["0", "1", "1.1"]


def test_level_aliases() -> None:
    cases = {
        "Sasaran Sub Kegiatan": Level.operasional, "sasaran_program": Level.antara_utama,
        "kinerja taktikal intermediate": Level.antara_utama, "Kinerja Strategis SKPD": Level.outcome,
        "tahap. 2": Level.csf, "L3": Level.antara, "kondisi antara Utama": Level.antara_utama,
        "Tujuan SKPD": Level.outcome, "sasaran strategis": Level.csf, "immediate": Level.antara,
    }
    for alias, level in cases.items():
        assert parse_level(alias) is level, alias
    assert parse_level("tahap 3") is None


def test_sample_paths_resolve_to_real_lines() -> None:
    res = load_path(SAMPLE)
    root = res.tree.roots[0]
    span = res.locator.span(root.path + ("kinerja",))
    assert span.line == line_of(SAMPLE, "Meningkatkan Rasa Aman dan Harmonis")


def test_deep_nesting_is_a_finding_not_a_recursion_error() -> None:
    import json as _json

    doc: dict = {"pohon": {"level": "outcome", "kinerja": "Meningkatnya rasa aman"}}
    cur = doc["pohon"]
    for _ in range(400):
        child = {"level": "csf", "kinerja": "Menurunnya konflik"}
        cur["anak"] = [child]
        cur = child
    res = check_text(_json.dumps(doc), "dalam.json", "json")
    assert [f.code for f in res.findings] == ["SYS-01"]
    text = "pohon:\n" + "".join("  " * i + "- a:\n" for i in range(1, 300))
    assert [f.code for f in check_text(text, "dalam.yaml").findings] == ["SYS-01"]


def test_very_deep_flow_nesting_does_not_crash_the_parser() -> None:
    text = "pohon: " + "[" * 100_000 + "]" * 100_000 + "\n"
    res = check_text(text, "dalam.yaml")
    assert [f.code for f in res.findings] == ["SYS-01"]


def test_very_deep_block_nesting_on_one_line_does_not_crash_the_composer() -> None:
    # "- - - ... x": two characters a level; 50,000 levels crashed the C composer (SIGSEGV).
    text = "pohon:\n  " + "- " * 50_000 + "x\n"
    res = check_text(text, "dalam.yaml")
    assert [(f.code, f.line) for f in res.findings] == [("SYS-01", 2)]
    assert "bersarang lebih dari" in res.findings[0].message("id")
    # the same kind of line, shallow, is read normally
    shallow = check_text("pohon:\n  kinerja: Meningkatnya mutu\n  anak:\n    - - - - x\n", "dangkal.yaml")
    assert "bersarang" not in " ".join(f.message("id") for f in shallow.findings)


def test_a_huge_yaml_text_is_event_scanned_for_depth_only_when_indented_deep(monkeypatch: pytest.MonkeyPatch) -> None:
    # Past yamldoc._LARGE_TEXT (50 MB) nesting by indentation alone could crash the composer; the
    # event pass that finds it cost half the load of a 53 MB tree, so it runs only when some line
    # is indented deep enough for that. Here the size limit is lowered to show both ways.
    from kinerjalint.loaders import yamldoc

    monkeypatch.setattr(yamldoc, "_LARGE_TEXT", 100)
    scanned: list[int] = []
    real = yamldoc._events_too_deep
    monkeypatch.setattr(yamldoc, "_events_too_deep", lambda text, limit: scanned.append(1) or real(text, limit))
    # deeper than the limit (200) but indented less than 2,000 spaces: no event pass, and the
    # walk still stops it as one SYS-01
    text = "pohon:\n" + "".join("  " * i + "- a:\n" for i in range(1, 300))
    assert [f.code for f in check_text(text, "dalam.yaml").findings] == ["SYS-01"]
    assert scanned == []
    # a plain tree past the size: no event pass either, and read as before
    plain = "pohon:\n  - kinerja: Meningkatnya mutu layanan\n    level: outcome\n" * 3
    assert "bersarang" not in " ".join(f.message("id") for f in check_text(plain, "besar.yaml").findings)
    assert scanned == []
    # a line indented 2,000 spaces deep: the event pass runs and names the place
    deep = "pohon:\n" + "".join(" " * (10 * i) + "- a:\n" for i in range(1, 250))
    res = check_text(deep, "dalam.yaml")
    assert scanned and [f.code for f in res.findings] == ["SYS-01"]
    assert "bersarang lebih dari" in res.findings[0].message("id")


def test_tree_model_is_validated_again_when_a_writer_reads_it() -> None:
    """A check does not keep the validated document with the tree (it is bigger than the tree);
    reading ``tree.model`` makes the same document again from what the loader read."""
    from kinerjalint.api import check_file
    from kinerjalint.model import DocumentModel
    from kinerjalint.loaders.yamldoc import load_yaml

    from .conftest import SAMPLE

    result = check_file(SAMPLE)
    assert result.tree is not None and result.tree._model is None
    loaded = load_yaml(SAMPLE.read_text(encoding="utf-8"), str(SAMPLE))
    assert loaded.tree is not None and loaded.tree._model is None
    from ruamel.yaml import YAML

    expected = DocumentModel.model_validate(YAML(typ="safe").load(SAMPLE.read_text(encoding="utf-8")))
    assert loaded.tree.model == expected and loaded.tree.model is loaded.tree.model


def test_tree_model_again_keeps_dates() -> None:
    """YAML dates (a waiver's tanggal), which marshal does not write, come back in tree.model."""
    import datetime as dt

    from kinerjalint.loaders import load_text

    text = ("pohon:\n  level: outcome\n  kinerja: Meningkatnya rasa aman\n  indikator: [Indeks rasa aman]\n"
            "pengecualian:\n  - kode: IND-01\n    alasan: disetujui\n    tanggal: 2026-01-02\n")
    tree = load_text(text, "w.yaml", "yaml").tree
    assert tree is not None and tree.model is not None
    assert tree.model.pengecualian[0].tanggal == dt.date(2026, 1, 2) and tree.model.pohon.kinerja == "Meningkatnya rasa aman"  # type: ignore[union-attr]


def test_a_table_tree_is_whole_after_its_document_was_taken_apart() -> None:
    """Building the tree empties the validated document's lists as their nodes are made (it is
    not kept); the tree and, read again, ``tree.model`` still hold every row's node."""
    from .conftest import SAMPLES

    loaded = load_path(SAMPLES / "real" / "bappeda-situbondo.tsv")
    tree = loaded.tree
    assert tree is not None and len(tree.nodes) > 10 and len(tree.indicators) >= 10
    pohon = tree.model.pohon
    assert isinstance(pohon, list) and len(pohon) == len(tree.nodes)
    assert [m.kinerja for m in pohon] == [n.kinerja for n in tree.nodes]
    assert sum(len(m.indikator) for m in pohon) == len(tree.indicators)


def test_the_kept_copy_of_large_data_round_trips() -> None:
    """What the tree keeps for the writers (``tree.model``) is compressed past a megabyte; it
    must give back the same data, for marshal's and pickle's kinds of values alike."""
    import datetime as dt

    from kinerjalint.loaders.base import _COMPRESS_FROM, _frozen

    big = {"pohon": [{"level": "operasional", "kinerja": f"Terlaksananya kegiatan {i}"} for i in range(40_000)]}
    dated = {**big, "pengecualian": [{"kode": "T3-01", "alasan": "x", "tanggal": dt.date(2026, 1, 2)}]}
    assert len(json.dumps(big)) > _COMPRESS_FROM
    for data in (big, dated, {"pohon": []}):
        assert _frozen(data)() == data
