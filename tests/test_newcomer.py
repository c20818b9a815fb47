"""No surprise for a new user (issue 16, items 2, 6, 9 and 10): the table columns are
documented from the loader's own table, `init` writes a tree that checks, every message is
in the language asked for, nothing succeeds in silence, and the small edges are gone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kinerjalint.api import check_file, check_text
from kinerjalint.loaders.columns import _HEADERS, header_field
from kinerjalint.rulebook import Rulebook

from .conftest import ROOT, SAMPLE, run_cli

README = ROOT / "README.md"


def _section(text: str, name: str) -> str:
    m = re.search(rf"<!-- BEGIN {name}[^>]*-->\n(.*?)<!-- END {name} -->", text, re.DOTALL)
    assert m is not None, f"README has no generated section {name}"
    return m.group(1)


# --- 16.2: table columns, header hints, init ------------------------------------------------------

def test_readme_table_columns_section_is_generated_from_the_loader() -> None:
    r = run_cli("explain", "--columns", "--lang", "en")
    assert r.code == 0
    assert _section(README.read_text(encoding="utf-8"), "table-columns") == r.out, \
        "README table columns are stale: paste `kinerjalint explain --columns --lang en` between the markers"
    for fld, names in _HEADERS.items():  # every alias the loader knows is listed, and means its field
        for name in names:
            assert f"`{name}`" in r.out
            assert header_field(name)[0] == fld
    assert "`kondisi`" in r.out and "`uraian kinerja`" in r.out and "`rujukan tahapan`" in r.out
    assert "**Parents**" in r.out and "**Levels**" in r.out
    id_doc = run_cli("explain", "--columns").out
    assert "**Induk**" in id_doc and "`uraian kinerja`" in id_doc


def _quoted(text: str) -> list[str]:
    return re.findall(r"'([^']+)'", text)


@pytest.mark.parametrize("header, expect_names", [
    ("a\tb\n1\t2\n", None),                           # no header row at all
    ("Indikator\tSatuan\nx\ty\n", {"level", "kinerja"}),  # a header row without level and kinerja
])
def test_header_hint_names_accepted_headers_the_same_in_both_languages(
        tmp_path: Path, header: str, expect_names: set[str] | None) -> None:
    path = tmp_path / "pohon.tsv"
    path.write_text(header, encoding="utf-8")
    res = check_file(path)
    [f] = [f for f in res.findings if f.code == "SYS-01"]
    hint_id = f.message("id").split("(", 1)[1] if expect_names is None else f.message("id").split(";")[-1]
    hint_en = f.message("en").split("(", 1)[1] if expect_names is None else f.message("en").split(";")[-1]
    assert _quoted(hint_id) == _quoted(hint_en)
    named = _quoted(hint_id)
    assert named and all(header_field(n)[0] in {"level", "tahap", "kinerja"} for n in named), named
    assert "rujukan tahapan" in named and "kinerja" in named


@pytest.mark.parametrize("fmt", ["yaml", "xlsx", "tsv", "csv", "json"])
def test_init_writes_a_template_that_checks_with_no_error(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"pohon.{fmt}"
    r = run_cli("init", "--format", fmt, str(target))
    assert r.code == 0 and target.exists() and str(target) in r.err
    res = check_file(target)
    assert not [f for f in res.findings if f.severity.name in ("error", "warning")], \
        [(f.code, f.message("id")) for f in res.findings if f.severity.name != "info"]
    tree = res.tree
    assert tree is not None
    assert [n.level.name for n in tree.nodes] == ["outcome", "csf", "antara_utama", "antara", "operasional"]
    for node in tree.nodes:
        assert node.indikator and all(i.satuan and i.target is not None for i in node.indikator)
    assert run_cli("check", "--no-config", str(target)).code == 0


def test_init_yaml_is_commented_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "pohon.yaml"
    assert run_cli("init", str(target)).code == 0
    text = target.read_text(encoding="utf-8")
    assert text.count("\n#") >= 5 and "# L4 kondisi operasional" in text and "kinerjalint check pohon.yaml" in text
    target.write_text("pohon: milik saya\n", encoding="utf-8")
    r = run_cli("init", str(target))
    assert r.code == 2 and "--force" in r.err and target.read_text(encoding="utf-8") == "pohon: milik saya\n"
    assert run_cli("init", "--force", str(target)).code == 0 and target.read_text(encoding="utf-8") == text
    r = run_cli("init", "--format", "xlsx", str(target), "--force")
    assert r.code == 2 and ".xlsx" in r.err  # the name must say the format every other command reads it by
    r = run_cli("init", str(tmp_path / "pohon.txt"))
    assert r.code == 2 and not (tmp_path / "pohon.txt").exists()
    assert run_cli("init", "--format", "tsv", str(tmp_path / "baru")).code == 0 and (tmp_path / "baru.tsv").exists()
    r = run_cli("init", str(tmp_path / "tidak-ada" / "pohon.yaml"))
    assert r.code == 2 and "tidak-ada" in r.err  # a missing folder is named, not a crash


# --- 16.6: one language at a time -----------------------------------------------------------------

# What a library says in English, and what kinerjalint says in Indonesian: never in the other language.
ENGLISH = ("usage:", "the following arguments", "unrecognized arguments", "invalid choice", "choose from",
           "Input should", "Field required", "Value error", "found unexpected", "while scanning",
           "while parsing", "could not find", "Expecting", "passed,", "failed", "does not exist",
           "not found", "unknown key", "must be", "did you mean", "not allowed here", "Extra data",
           "positional arguments", "show this help", "internal error")
INDONESIAN = ("tidak ", "berkas", "harus ", "lihat ", "pemakaian", "argumen ", "dilewati", "catatan",
              "lolos", "gagal", "mungkin maksudnya", "diharapkan", "kunci ", "sebutkan", "wajib",
              "sudah ada", "tanda kutip", "ditulis", "Isi tidak", "nilai ")


def _cases(tmp: Path) -> list[list[str]]:
    (tmp / "kosong").mkdir()
    (tmp / "tab.tsv").write_text("a\tb\n1\t2\n", encoding="utf-8")
    (tmp / "kutip.yaml").write_text('instansi: "Dinas\npohon:\n  level: outcome\n', encoding="utf-8")
    (tmp / "rusak.json").write_text('{"pohon": {"level": "outcome",}}', encoding="utf-8")
    (tmp / "isi.yaml").write_text("pohon:\n  level: foo\n  kinerja: x\n  indikator: x\n  crosscutting: kadang\n"
                                  "  warna: merah\n", encoding="utf-8")
    (tmp / "k1.yaml").write_text("selec: [STR]\n", encoding="utf-8")
    (tmp / "k2.yaml").write_text("bahasa: jp\n", encoding="utf-8")
    (tmp / "k3.yaml").write_text('select: "STR\n', encoding="utf-8")
    (tmp / "k4.yaml").write_text("ignore: [STR-77]\n", encoding="utf-8")
    (tmp / "ada.yaml").write_text("pohon: {}\n", encoding="utf-8")
    t = str(tmp)
    return [
        ["check", "--bogus", SAMPLE.as_posix()], ["check"], ["check", "--fail-on", "semua", SAMPLE.as_posix()],
        ["check", f"{t}/nope.yaml"], ["check", f"{t}/kosong"], ["check", "--only-trees", f"{t}/tab.tsv"],
        ["check", "--select", "SYS", f"{t}/tab.tsv"], ["check", "--select", "SYS", f"{t}/kutip.yaml"],
        ["check", "--select", "SYS", f"{t}/rusak.json"], ["check", "--select", "SYS", f"{t}/isi.yaml"],
        ["check", "--select", "XYZ", SAMPLE.as_posix()],
        *(["check", "--config", f"{t}/k{i}.yaml", SAMPLE.as_posix()] for i in (1, 2, 3, 4)),
        ["explain"], ["explain", "bentuk-kondsi"], ["verify", f"{t}/nope"],
        ["init", f"{t}/ada.yaml"], ["init", f"{t}/x.txt"], ["diff", f"{t}/nope.yaml", SAMPLE.as_posix()],
        ["convert", SAMPLE.as_posix(), f"{t}/out.json"], ["convert", f"{t}/isi.yaml", f"{t}/isi.json"],
        ["convert", SAMPLE.as_posix(), f"{t}/out.txt"], ["convert", f"{t}/ada.yaml", f"{t}/ada.yaml"],
        ["check", SAMPLE.as_posix(), "--baseline", f"{t}/nope.json"], ["check", SAMPLE.as_posix(), "--waivers", f"{t}/k1.yaml"],
    ]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_cli_path_speaks_one_language(tmp_path: Path, lang: str) -> None:
    foreign = ENGLISH if lang == "id" else INDONESIAN
    for args in _cases(tmp_path):
        r = run_cli(*args, "--lang", lang)
        said = re.sub(r"\[[a-z0-9-]+\]", "", r.err + r.out)  # rule names are identifiers
        assert said.strip(), args
        found = [w for w in foreign if w in said]
        assert not found, f"{args} --lang {lang}: {found} in {said!r}"
        assert said.count("kinerjalint:") <= 1 and "kinerjalint check:" not in said, said


@pytest.mark.parametrize("lang", ["id", "en"])
def test_verify_and_help_in_both_languages(tmp_path: Path, lang: str) -> None:
    r = run_cli("verify", "--lang", lang)
    assert r.code == 0
    assert (" passed, 0 failed" if lang == "en" else " lolos, 0 gagal") in r.out
    import contextlib
    import io

    from kinerjalint.cli import build_parser

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), pytest.raises(SystemExit):
        build_parser(lang).parse_args(["check", "--help"])
    help_text = buf.getvalue()
    if lang == "id":
        assert help_text.startswith("pemakaian: kinerjalint check") and "opsi:" in help_text
        assert not [w for w in ("usage:", "options:", "show this help") if w in help_text]
    else:
        assert help_text.startswith("usage: kinerjalint check") and "show this help" in help_text
        assert not [w for w in INDONESIAN if w in help_text], help_text


def test_level_and_library_errors_are_worded_in_each_language() -> None:
    res = check_text("pohon:\n  level: foo\n  kinerja: x\n  indikator: x\n", "x.yaml")
    msgs = {f.message("en") for f in res.findings if f.code == "SYS-02"}
    assert any("unknown level 'foo'" in m for m in msgs) and any("must be a list" in m for m in msgs), msgs
    ids = {f.message("id") for f in res.findings if f.code == "SYS-02"}
    assert any("level 'foo' tidak dikenal" in m for m in ids) and any("harus daftar" in m for m in ids), ids


# --- 16.9: nothing succeeds in silence ------------------------------------------------------------

def test_an_empty_folder_or_one_without_trees_is_an_error(tmp_path: Path) -> None:
    r = run_cli("check", str(tmp_path))
    assert r.code == 2 and "tidak ada berkas pohon kinerja" in r.err
    (tmp_path / "katalog.csv").write_text("kode,nama\n8.01,Kesatuan Bangsa\n", encoding="utf-8")
    r = run_cli("check", str(tmp_path), "--lang", "en")
    assert r.code == 2 and "katalog.csv skipped" in r.err and "no performance tree files" in r.err


def test_a_folder_names_what_it_skips(tmp_path: Path) -> None:
    (tmp_path / "katalog.csv").write_text("kode,nama\n8.01,Kesatuan Bangsa\n", encoding="utf-8")
    (tmp_path / "pohon.yaml").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    r = run_cli("check", str(tmp_path), "--format", "json")
    assert r.code == 1 and "katalog.csv dilewati" in r.err and len(r.json()["files"]) == 1


def test_only_trees_skips_visibly_and_exits_0(tmp_path: Path) -> None:
    tsv = tmp_path / "lain.tsv"
    tsv.write_text("a\tb\n1\t2\n", encoding="utf-8")
    r = run_cli("check", "--only-trees", str(tsv))
    assert r.code == 0 and f"{tsv} dilewati" in r.err and "'rujukan tahapan'" in r.err
    r = run_cli("check", "--only-trees", str(tsv), SAMPLE.as_posix(), "--fail-on", "never")
    assert r.code == 0 and f"{tsv} dilewati" in r.err and "balangan-kesbangpol.yaml" in r.out


@pytest.mark.parametrize("body, line", [
    ("select: [STR, XYZ-99]\n", 1),
    ("ignore:\n  - STR-06\n  - STR-77\n", 3),
    ("severity:\n  anak-tunggal: error\n  FOO-1: info\n", 3),
    ('per_file_ignores:\n  "*.yaml": [LNG, nope]\n', 2),
])
def test_an_unknown_rule_in_the_config_file_is_refused_like_on_the_command_line(
        tmp_path: Path, body: str, line: int) -> None:
    cfg = tmp_path / "kinerjalint.yaml"
    cfg.write_text(body, encoding="utf-8")
    r = run_cli("check", "--config", str(cfg), SAMPLE.as_posix())
    assert r.code == 2 and f"{cfg}:{line}:" in r.err and "tidak dikenal" in r.err, r.err
    assert run_cli("check", "--select", "XYZ-99", SAMPLE.as_posix()).code == 2


def test_known_codes_names_and_groups_in_the_config_file_are_accepted(tmp_path: Path) -> None:
    cfg = tmp_path / "kinerjalint.yaml"
    cfg.write_text("select: [STR, T3-03, diawali-kata-kerja]\nseverity: {anak-tunggal: error, LNG: info}\n",
                   encoding="utf-8")
    r = run_cli("check", "--config", str(cfg), SAMPLE.as_posix(), "--format", "json")
    assert r.code == 1 and r.json()["files"]


# --- 16.10: small edges ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, where", [
    ('instansi: "Dinas\npohon:\n  level: outcome\n', (1, 11)),          # unclosed quote: where it opens
    ("pohon:\n  level: outcome\n  kinerja: [tidak ditutup\n", (3, 12)),  # unclosed [: where it opens
    ("pohon:\n  kinerja: a: b\n", (2, 13)),                              # the second colon
])
def test_a_yaml_syntax_error_points_where_a_person_fixes_it(text: str, where: tuple[int, int]) -> None:
    res = check_text(text, "x.yaml")
    [f] = res.findings
    assert (f.code, f.line, f.column) == ("SYS-01", *where)
    for lang in ("id", "en"):
        assert not [w for w in ("while ", "found ", "expected") if w in f.message(lang)], f.message(lang)


def test_explain_accepts_what_select_accepts_and_shows_readable_fixes(rulebook: Rulebook) -> None:
    for rule in rulebook.rules:
        for name in (rule.code, rule.code.lower(), rule.name):
            r = run_cli("explain", name)
            assert r.code == 0 and r.out.startswith(f"{rule.code} {rule.name}"), (name, r.err)
            shown = [line for line in r.out.splitlines() if line.startswith(("Saran:", "Pesan"))]
            assert shown and all("pick(" not in s and "' + " not in s and "(node." not in s for s in shown), shown
    r = run_cli("explain", "IND", "--lang", "en")
    assert r.code == 0 and "IND-05" in r.out and "group IND" in r.out
    r = run_cli("explain", "diawali-kata-kerja")
    assert 'Saran: Ganti "Meningkatkan" menjadi "Meningkatnya"' in r.out
    r = run_cli("explain", "diawali-kata-kerj")
    assert r.code == 2 and "diawali-kata-kerja" in r.err


def test_usage_errors_have_one_prefix() -> None:
    r = run_cli("check")
    assert r.code == 2 and r.err.startswith("kinerjalint: ") and r.err.count("kinerjalint") == 2  # + the hint
    assert "kinerjalint check:" not in r.err and "'kinerjalint check --help'" in r.err


def test_counts_are_plural_in_english_everywhere(tmp_path: Path) -> None:
    outs = [run_cli("check", SAMPLE.as_posix(), "--lang", "en").out,
            run_cli("check", SAMPLE.as_posix(), "--lang", "en", "--format", "markdown").out]
    r = run_cli("report", SAMPLE.as_posix(), "--lang", "en", "--format", "markdown", "-o", str(tmp_path / "r.md"))
    outs += [r.err, (tmp_path / "r.md").read_text(encoding="utf-8")]
    outs.append(run_cli("convert", SAMPLE.as_posix(), str(tmp_path / "x.json"), "--lang", "en").err)
    counts = [line for out in outs for line in out.splitlines() if re.search(r"\d (file|node)", line)]
    assert len(counts) >= 4, counts  # the summary lines of each output
    for line in counts:
        assert not re.search(r"\b1 (files|errors|warnings|nodes|indicators)\b", line), line
        assert not re.search(r"\b([02-9]|\d\d+) (file|error|warning|node|indicator)\b", line), line
    assert "1 file, 6 errors, 38 warnings" in outs[0]


def test_init_workbook_is_commented(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "pohon.xlsx"
    assert run_cli("init", str(target)).code == 0
    wb = load_workbook(target)
    header = list(wb.worksheets[0][1])
    assert all(c.comment is not None for c in header if c.value), [c.value for c in header if c.comment is None]
    notes = [r[0].value for r in wb["Petunjuk"].iter_rows() if r[0].value]
    assert any("L4 kondisi operasional" in n for n in notes) and any("kinerjalint check pohon.xlsx" in n for n in notes)


def test_every_argparse_text_has_its_indonesian() -> None:
    import argparse
    import inspect

    from kinerjalint.messages import ARGPARSE_ID, argparse_text

    # The texts argparse puts through gettext and a user may see (not its programming errors).
    said = set(re.findall(r"_\('([^']*)'\)", inspect.getsource(argparse)))
    shown = {t for t in said if not re.search(r"callable|__call__|conflict|dest=|mutually|merge|'-'|"
                                              r"positionals|filename|%\(prog\)s|parser_name|subparser|with mode", t)}
    assert shown <= set(ARGPARSE_ID), shown - set(ARGPARSE_ID)
    for en, id_ in ARGPARSE_ID.items():
        names = re.findall(r"%\((\w+)\)[sr]", en)
        args = {n: f"<{n}>" for n in names}
        sample = en % args if names else (en % ("<x>",) if "%" in en else en)
        expect = id_ % args if names else (id_ % ("<x>",) if "%" in id_ else id_)
        assert argparse_text(sample, "id") == expect
        assert argparse_text(sample, "en") == sample
