"""The whole government (issue 15): the Pemda tree, the `government` rule scope, CAS and `check --pemda`."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from kinerjalint.api import CheckOptions, check_government, check_paths
from kinerjalint.dsl.parser import parse_rules
from kinerjalint.engine import counting_work, run_government
from kinerjalint.errors import RuleError
from kinerjalint.government import Government
from kinerjalint.loaders import load_path, load_text
from kinerjalint.model import pemda_schema
from kinerjalint.resources import schema_dir
from kinerjalint.rulebook import load_rulebook

from .conftest import SAMPLES, run_cli

PEMDA_DIR = SAMPLES / "pemda"
PEMDA = PEMDA_DIR / "pemda-balangan.yaml"
OPD = PEMDA_DIR / "opd"
OPTS = CheckOptions(use_config=False)

# The deliberate defects of samples/pemda (see its README): (code, file, severity, a word of the other end).
EXPECTED = {
    ("CAS-01", "kesbangpol.yaml", "info", "S1"),
    ("CAS-01", "dinas-sosial.yaml", "warning", "pemda-balangan.yaml"),
    ("CAS-02", "pemda-balangan.yaml", "warning", "S4"),
    ("CAS-03", "dinas-sosial.yaml", "warning", "S3"),
    ("CAS-04", "satpol-pp.yaml", "warning", "dinas-sosial.yaml"),
    ("CAS-05", "dinas-sosial.yaml", "warning", "kesbangpol.yaml"),
    ("CAS-06", "dinas-sosial.yaml", "warning", "satpol-pp.yaml"),
    ("CAS-07", "satpol-pp.yaml", "warning", "S2"),
}


@pytest.fixture(scope="module")
def results() -> list:
    return check_government(PEMDA, [OPD], OPTS)


def _cas(results: list) -> list:
    return [f for r in results for f in r.findings if f.code.startswith("CAS")]


# -- the Pemda tree as input ---------------------------------------------------------------

def test_pemda_tree_loads_with_levels_ids_and_locations() -> None:
    loaded = load_path(PEMDA)
    assert loaded.problems == [] and loaded.tree is None and loaded.pemda is not None
    p = loaded.pemda
    assert [s.id for s in p.tujuan] == ["T1", "T2"]
    assert [s.id for s in p.sasaran] == ["S1", "S2", "S3", "S4"]
    assert p.sasaran[0].tujuan is p.tujuan[0] and p.tujuan[1].children == p.sasaran[2:]
    ind = p.sasaran[1].indikator[0]
    assert (ind.id, ind.satuan, ind.target) == ("IS2", "kasus", 120)
    span = loaded.locator.span(p.sasaran[3].path + ("kinerja",))
    assert span is not None and "ketangguhan" in PEMDA.read_text().splitlines()[span.line - 1]


def test_pemda_tree_in_json_and_derived_ids() -> None:
    doc = {"jenis": "Pemda", "pohon": {"level": "tujuan", "kinerja": "Terwujudnya masyarakat sejahtera",
                                       "anak": [{"level": "sasaran", "kinerja": "Menurunnya kemiskinan",
                                                 "indikator": ["Persentase penduduk miskin"]}]}}
    loaded = load_text(json.dumps(doc), "p.json", "json")
    assert loaded.problems == [] and loaded.pemda is not None
    assert [s.id for s in loaded.pemda.nodes] == ["1", "1.1"]
    assert loaded.pemda.indicators[0].nama == "Persentase penduduk miskin"


PEMDA_TSV = """Pohon Kinerja Pemda Kabupaten Balangan
No\tLevel\tKinerja\tIndikator kinerja\tSatuan\tTarget
T1\tTujuan\tTerwujudnya masyarakat yang aman\tIndeks ketenteraman\tindeks\t80
S2\tSasaran Pemda\tMeningkatnya ketenteraman dan ketertiban umum\tJumlah pelanggaran Perda yang ditegakkan\tkasus\t120
T2\tTujuan\tMeningkatnya kesejahteraan sosial\t\t\t
S3\tsasaran\tMenurunnya penyandang masalah kesejahteraan sosial\tJumlah PPKS yang mendapat rehabilitasi sosial\torang\t1500
"""


def test_pemda_tree_as_a_table_named_for_it(tmp_path: Path) -> None:
    path = tmp_path / "pohon-pemda.tsv"
    path.write_text(PEMDA_TSV, encoding="utf-8")
    loaded = load_path(path)
    assert loaded.problems == [] and loaded.tree is None and loaded.pemda is not None
    p = loaded.pemda
    assert [(s.id, s.level, s.tujuan.id if s.tujuan else None) for s in p.nodes] == [
        ("T1", "tujuan", None), ("S2", "sasaran", "T1"), ("T2", "tujuan", None), ("S3", "sasaran", "T2")]
    assert (p.sasaran[0].indikator[0].satuan, p.sasaran[0].indikator[0].target) == ("kasus", 120)
    span = loaded.locator.span(p.sasaran[1].path + ("kinerja",))
    assert span is not None and (span.line, span.column) == (6, 3)  # line 6, third field
    # the same government check with the table as the Pemda tree
    res = check_government(path, [OPD], OPTS)
    cas02 = [f for f in res[0].findings if f.code == "CAS-02"]
    assert cas02 == []  # S2 (Satpol PP) and S3 (Dinas Sosial) are both supported
    cas07 = [f for r in res for f in r.findings if f.code == "CAS-07"]
    assert [Path(f.file).name for f in cas07] == []  # IS2 is no id in the table: Satpol's claim names none
    # a workbook sheet named for it
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Pohon Pemda"
    for line in PEMDA_TSV.splitlines()[1:]:
        ws.append([float(x) if x.isdigit() else x for x in line.split("\t")])
    book = tmp_path / "rpjmd.xlsx"
    wb.save(book)
    from_xlsx = load_path(book)
    assert from_xlsx.problems == [] and from_xlsx.pemda is not None
    assert [s.id for s in from_xlsx.pemda.sasaran] == ["S2", "S3"]


def test_agency_table_with_tujuan_levels_stays_an_agency_tree(tmp_path: Path) -> None:
    path = tmp_path / "dinas-sosial.tsv"  # not named for a Pemda: "Tujuan" is the agency's outcome alias
    path.write_text("\n".join(PEMDA_TSV.splitlines()[1:]) + "\n", encoding="utf-8")
    loaded = load_path(path)
    assert loaded.pemda is None and loaded.tree is not None


def test_bad_pemda_tree_is_a_located_sys_problem_not_a_traceback() -> None:
    text = "jenis: pemda\npohon:\n  - level: misi\n    kinerja: Terwujudnya sesuatu\n  - level: sasaran\n    kinerja: Ok\n"
    loaded = load_text(text, "p.yaml", "yaml")
    assert [p.code for p in loaded.problems] == ["SYS-02"]
    assert loaded.problems[0].span is not None and loaded.problems[0].span.line == 3
    assert "level" in loaded.problems[0].args["detail"]
    assert loaded.pemda is not None and [s.kinerja for s in loaded.pemda.nodes] == ["Ok"]


def test_agency_link_fields_and_pemda_schema() -> None:
    shipped = json.loads((schema_dir() / "pohon-kinerja-pemda.schema.json").read_text(encoding="utf-8"))
    assert shipped == pemda_schema()
    assert json.loads(run_cli("schema", "--pemda").out) == shipped
    from ruamel.yaml import YAML

    jsonschema.validate(json.loads(json.dumps(YAML(typ="safe").load(PEMDA.read_text(encoding="utf-8")))), shipped)
    tree_schema = json.loads((schema_dir() / "pohon-kinerja.schema.json").read_text(encoding="utf-8"))
    for path in OPD.iterdir():
        jsonschema.validate(json.loads(json.dumps(YAML(typ="safe").load(path.read_text(encoding="utf-8")),
                                                  default=str)), tree_schema)
    satpol = load_path(OPD / "satpol-pp.yaml").tree
    assert satpol is not None and satpol.roots[0].sasaran_pemda == "S2" and satpol.singkatan == ["Satpol PP"]
    assert satpol.indicators[0].indikator_pemda == "IS2"


# -- the government and its links ------------------------------------------------------------

def test_government_resolves_links_and_partner_names() -> None:
    pemda = load_path(PEMDA).pemda
    trees = [load_path(OPD / n).tree for n in ("kesbangpol.yaml", "satpol-pp.yaml", "dinas-sosial.yaml")]
    assert pemda is not None and all(trees)
    gov = Government(pemda, trees)  # type: ignore[arg-type]
    kesbangpol, satpol, dinsos = gov.agencies
    assert gov.sasaran_of(satpol.outcomes[0]) is pemda.sasaran[1]
    assert gov.pemda_indicator_of(satpol.indicators[0]) is pemda.sasaran[1].indikator[0]
    assert gov.claims(pemda.sasaran[1].indikator[0]) == [satpol.indicators[0]]
    # instansi, singkatan, with the region, and not the agency itself
    assert gov.agency_named("Satpol PP") is satpol
    assert gov.agency_named("Satuan Polisi Pamong Praja Kabupaten Balangan") is satpol
    assert gov.agency_named("Dinsos") is dinsos and gov.agency_named("Polres Balangan") is None
    assert gov.agency_named("Badan Kesatuan Bangsa dan Politik") is kesbangpol
    assert gov.partners(satpol.nodes[1]) == [dinsos]
    assert all(n.agency is dinsos for n in dinsos.nodes)
    assert len(gov.outcomes) == 1 + 1 + 2


# -- the samples -------------------------------------------------------------------------------

def test_samples_show_every_deliberate_defect_and_nothing_else(results: list) -> None:
    got = {(f.code, Path(f.file).name, f.severity.name) for f in _cas(results)}
    assert got == {e[:3] for e in EXPECTED}
    for code, file, _sev, other in EXPECTED:
        f = next(f for f in _cas(results) if f.code == code and Path(f.file).name == file)
        assert other in f.message("id") and other in f.message("en"), (code, f.message("id"))


def test_each_finding_lies_in_its_file_and_names_the_other_end(results: list) -> None:
    by_source = {r.source: r for r in results}
    for f in _cas(results):
        assert f in by_source[f.file].findings  # joins the result of the file it lies in
        text = Path(f.file).read_text(encoding="utf-8").splitlines()
        assert 1 <= f.line <= len(text)
        related = f.extra.get("related", [])
        if f.code != "CAS-02" and not (f.code == "CAS-01" and f.severity.name == "warning"):
            assert related and all(r["file"] != f.file for r in related), f.code
    cas04 = next(f for f in _cas(results) if f.code == "CAS-04")
    assert "Dinas Sosial" in Path(cas04.file).read_text(encoding="utf-8").splitlines()[cas04.line - 1]
    assert cas04.extra["related"][0]["file"].endswith("dinas-sosial.yaml")
    cas07 = next(f for f in _cas(results) if f.code == "CAS-07")
    assert cas07.extra["related"][0]["file"] == str(PEMDA)


def test_agency_files_are_checked_as_without_pemda(results: list) -> None:
    alone = {r.source: [f for f in r.findings] for r in check_paths([OPD], OPTS)}
    for r in results[1:]:
        own = [f for f in r.findings if not f.code.startswith("CAS")]
        assert [(f.code, f.line, f.column) for f in own] == [(f.code, f.line, f.column) for f in alone[r.source]]
    assert results[0].source == str(PEMDA) and results[0].grade is None and not results[0].unreadable


def test_waiver_for_a_cas_code_in_an_agency_file(tmp_path: Path) -> None:
    for p in OPD.iterdir():
        (tmp_path / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    satpol = tmp_path / "satpol-pp.yaml"
    satpol.write_text(satpol.read_text(encoding="utf-8") + (
        "pengecualian:\n  - {kode: CAS-07, alasan: \"target dibagi dengan Polres menurut MoU 2023\"}\n"), encoding="utf-8")
    res = check_government(PEMDA, [tmp_path], OPTS)
    mine = next(r for r in res if r.source == str(satpol))
    cas07 = [f for f in mine.findings if f.code == "CAS-07"]
    assert [f.status for f in cas07] == ["waived"]
    assert not [f for f in mine.findings if f.code == "SYS-03"]


# -- the CLI and its outputs --------------------------------------------------------------------

def test_cli_text_names_both_ends() -> None:
    r = run_cli("check", "--no-config", "--pemda", str(PEMDA), str(OPD), "--select", "CAS")
    assert r.code == 0, r.err  # CAS findings are warnings and infos: below the default --fail-on error
    assert "CAS-04" in r.out and "terkait:" in r.out and "dinas-sosial.yaml" in r.out
    en = run_cli("check", "--no-config", "--pemda", str(PEMDA), str(OPD), "--select", "CAS", "--lang", "en")
    assert "names Dinas Sosial as partner" in en.out and "related:" in en.out


def test_cli_json_validates_and_carries_related_locations() -> None:
    r = run_cli("check", "--no-config", "--pemda", str(PEMDA), str(OPD), "-f", "json")
    doc = r.json()
    jsonschema.validate(doc, json.loads((schema_dir() / "findings.schema.json").read_text(encoding="utf-8")))
    files = [f["file"] for f in doc["files"]]
    assert files[0] == str(PEMDA) and len(files) == 4
    cas = [f for e in doc["files"] for f in e["findings"] if f["code"].startswith("CAS")]
    assert len(cas) == len(EXPECTED)
    assert any(f["code"] == "CAS-05" and f["related"][0]["file"].endswith("kesbangpol.yaml") for f in cas)


def test_cli_sarif_has_related_locations_in_the_other_file() -> None:
    r = run_cli("check", "--no-config", "--pemda", str(PEMDA), str(OPD), "-f", "sarif", "--select", "CAS")
    results = r.json()["runs"][0]["results"]
    cas04 = next(x for x in results if x["ruleId"] == "CAS-04")
    here = cas04["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    there = cas04["relatedLocations"][0]["physicalLocation"]
    assert here.endswith("satpol-pp.yaml") and there["artifactLocation"]["uri"].endswith("dinas-sosial.yaml")
    assert there["region"]["startLine"] >= 1 and "Dinas Sosial" in cas04["relatedLocations"][0]["message"]["text"]


def test_cli_pemda_option_errors_are_clear() -> None:
    r = run_cli("check", "--pemda", str(OPD / "satpol-pp.yaml"), str(OPD))
    assert r.code == 2 and "bukan pohon Pemda" in r.err and "Traceback" not in r.err
    r = run_cli("check", "--pemda", str(PEMDA_DIR / "tidak-ada.yaml"), str(OPD))
    assert r.code == 2 and "tidak ada" in r.err


# -- the rule language -------------------------------------------------------------------------

def _compile(tmp_path: Path, body: str) -> object:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / "x.rules").write_text(body, encoding="utf-8")
    return load_rulebook([folder], builtin=False)


RULE = """rule GOV-01 uji {{
  severity warning
  title id "Uji" en "Test"
  for {scope}
  report when {cond}
  message id "{msg}" en "{msg}"
}}
"""


def test_government_scope_compiles_to_its_own_rule_kind(tmp_path: Path) -> None:
    rb = _compile(tmp_path, RULE.format(scope="agency in government.agencies", cond="size(agency.outcomes) > 1",
                                        msg="{agency.name} punya {size(agency.outcomes)} outcome"))
    rule = rb.rules[0]  # type: ignore[attr-defined]
    assert rule.kind == "government" and rule.government_fn is not None and rule.tree_fn is None
    pemda = load_path(PEMDA)
    loaded = [load_path(OPD / n) for n in ("dinas-sosial.yaml", "satpol-pp.yaml")]
    locators = {x.source: x.locator for x in loaded} | {pemda.source: pemda.locator}
    found = run_government(rb, Government(pemda.pemda, [x.tree for x in loaded]), locators)  # type: ignore[arg-type]
    assert [(Path(f.file).name, f.line, f.message("id")) for f in found] == [
        ("dinas-sosial.yaml", 12, "Dinas Sosial punya 2 outcome")]  # at its root's statement
    # a government rule is inert in a single-file check
    assert check_paths([OPD / "dinas-sosial.yaml"], CheckOptions(use_config=False, rules=(str(tmp_path / "rules"),)))


def test_government_rule_over_agencies_lies_at_the_agency_root(tmp_path: Path) -> None:
    rb = _compile(tmp_path, RULE.format(scope="nama in select(a in government.agencies where true)",
                                        cond="nama.instansi is none", msg="tanpa instansi"))
    pemda = load_path(PEMDA)
    text = "pohon: {level: outcome, kinerja: Meningkatnya ketertiban umum}\n"
    loaded = load_text(text, "tanpa-instansi.yaml", "yaml")
    found = run_government(rb, Government(pemda.pemda, [loaded.tree]),  # type: ignore[arg-type, list-item]
                           {loaded.source: loaded.locator, pemda.source: pemda.locator})
    assert [(f.file, f.line) for f in found] == [("tanpa-instansi.yaml", 1)]  # an agency: at its root


@pytest.mark.parametrize("scope, cond, wanted", [
    ("sasaran in government.sasaran", "tree.has_units", "nama 'tree' tidak dikenal"),
    ("agency in government.agencies", "agency.outcome is empty", "mungkin maksudnya 'outcomes'"),
    ("x in government.sasarn", "true", "mungkin maksudnya 'sasaran'"),
    ("node in government.outcomes", "partners(government, node.kinerja) is empty", "harus node"),
])
def test_government_rules_are_checked_like_others(tmp_path: Path, scope: str, cond: str, wanted: str) -> None:
    with pytest.raises(RuleError) as exc:
        _compile(tmp_path, RULE.format(scope=scope, cond=cond, msg="m"))
    assert wanted in str(exc.value)


def test_cas_rules_have_examples_on_both_sides() -> None:
    defs = parse_rules((Path(__file__).resolve().parent.parent / "rules" / "cas.rules").read_text(encoding="utf-8"),
                       "cas.rules")
    assert len(defs) == 7
    for d in defs:
        kinds = {e.kind for e in d.examples}
        assert kinds == {"fail", "pass"}, d.code
        assert d.title is not None and d.title.en and d.source and d.fix_text is not None, d.code


# -- performance ----------------------------------------------------------------------------------

def _government_work(folder: Path) -> tuple[int, int, int]:
    """Counted work (calls and scan steps, :func:`counting_work`) of checking the agency files alone
    and of ``run_government`` on the same loaded trees, and the count of CAS findings."""
    opd = folder / "opd"
    check_paths([opd], OPTS)  # warm: rulebook compiled, word lists read
    with counting_work() as files:
        check_paths([opd], OPTS)
    rb = load_rulebook()
    loaded = [load_path(p) for p in sorted(opd.iterdir())]
    pemda = load_path(folder / "pemda.json")
    locators = {x.source: x.locator for x in loaded} | {pemda.source: pemda.locator}
    government = Government(pemda.pemda, [x.tree for x in loaded])  # type: ignore[arg-type]
    run_government(rb, government, locators)  # warm
    with counting_work() as cas:
        found = run_government(rb, government, locators)
    return files[0], cas[0], len(found)


def test_government_check_is_cheaper_than_checking_the_files(tmp_path: Path) -> None:
    """Scaled down from the issue's 40 x 500 (bench/government.py): indexes built once, no pairwise
    loops. Work, not time (the machine is shared): the CAS rules over 8 agencies do less work than
    checking their files, and 4x the agencies cost at most 5x the work (pairwise would be 16x)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from government import write_government

    files, cas, found = _government_work(write_government(tmp_path / "gov8", agencies=8, nodes=150))
    assert found and cas < files, (cas, files)
    _files, cas4, found4 = _government_work(write_government(tmp_path / "gov32", agencies=32, nodes=150))
    assert found4 > found, (found, found4)
    assert cas4 / cas <= 5.0, f"CAS work grew {cas4 / cas:.2f}x for 4x the agencies ({cas:,} -> {cas4:,})"


# -- the government page of the inspectorate report -------------------------------------------

def test_report_government_page_draws_cascade_matrix_and_pairs(results: list) -> None:
    from kinerjalint.reporting import htmlreport

    page = htmlreport.render(results)
    assert 'id="pemerintah-daerah"' in page and "Kabupaten Balangan" in page
    cascade = page[page.index('id="cascade"'):page.index('id="cas-matrix"')]
    # S2 is supported by Satpol PP (linked), S1 by Kesbangpol (by content), S4 by nobody
    s2 = cascade[cascade.index('data-sasaran="S2"'):cascade.index('data-sasaran="S3"')]
    assert "Satuan Polisi Pamong Praja" in s2 and "menurut isi" not in s2
    s1 = cascade[cascade.index('data-sasaran="S1"'):cascade.index('data-sasaran="S2"')]
    assert "Badan Kesatuan Bangsa dan Politik" in s1 and "menurut isi" in s1
    s4 = cascade[cascade.index('data-sasaran="S4"'):]
    assert 'sasaran k-warning' in cascade and "tidak didukung OPD mana pun" in s4
    assert "Meningkatnya partisipasi dunia usaha" in page[page.index('id="unlinked"'):]
    matrix = page[page.index('id="cas-matrix"'):page.index('id="crosscutting-pairs"')]
    assert matrix.count("<tr>") == 1 + 3 + 1 and "CAS-07" in matrix
    pairs = page[page.index('id="crosscutting-pairs"'):]
    assert "pair-mutual" in pairs and "pair-missing" in pairs
    # the Pemda file is no agency section; the agencies keep theirs
    assert page.count('<section class="agency"') == 3
    assert "Regional government" in htmlreport.render(results, lang="en")


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="headless Chromium is not installed")
def test_report_government_page_opens_in_headless_chromium(results: list, tmp_path: Path) -> None:
    import subprocess

    from kinerjalint.reporting import htmlreport

    page = tmp_path / "laporan.html"
    page.write_text(htmlreport.render(results), encoding="utf-8")
    cmd = ["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    dom = run.stdout
    section = dom[dom.index('id="pemerintah-daerah"'):dom.index('id="grafik"')]
    assert section.count('class="sasaran ') == 4 and section.count('class="support"') >= 4
    assert "Meningkatnya ketangguhan masyarakat menghadapi bencana" in section
    assert 'href="#instansi-' in section  # each agency links to its own page


def test_cli_report_with_pemda(tmp_path: Path) -> None:
    out = tmp_path / "laporan.html"
    r = run_cli("report", "--no-config", "--pemda", str(PEMDA), str(OPD), "-o", str(out))
    assert r.code == 0, r.err
    assert 'id="cas-matrix"' in out.read_text(encoding="utf-8")


def test_a_pemda_tree_checked_alone_says_how_to_check_the_government() -> None:
    pemda = PEMDA
    alone = run_cli("check", str(pemda))
    assert alone.code == 0 and f"kinerjalint check --pemda {pemda} FOLDER_OPD" in alone.err
    en = run_cli("check", str(pemda), "--lang", "en")
    assert "is a Pemda tree" in en.err and "AGENCY_FOLDER" in en.err
    whole = run_cli("check", "--pemda", str(pemda), str(OPD))
    assert "pohon Pemda; cascading" not in whole.err
