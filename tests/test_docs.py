"""Generated documentation stays in step with the rule files; the catalog is complete."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import ROOT, run_cli

# The binding catalog lives in the workplace's shared folder beside the repository.
CATALOG = next((p for p in (ROOT.parent / "shared" / "spec" / "RULES.md", Path("/work/shared/spec/RULES.md"))
                if p.exists()), Path("/nonexistent"))


def test_docs_rules_md_is_up_to_date() -> None:
    r = run_cli("rules", "--format", "markdown")
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert r.out == current, "docs/rules.md is stale: run `kinerjalint rules --format markdown > docs/rules.md`"


def test_docs_functions_md_lists_every_function_by_domain() -> None:
    from kinerjalint.dsl.library import REGISTRY

    r = run_cli("explain", "--functions")
    current = (ROOT / "docs" / "functions.md").read_text(encoding="utf-8")
    assert r.out == current, "docs/functions.md is stale: run `kinerjalint explain --functions > docs/functions.md`"
    listed = re.findall(r"^- `(\w+)\(", current, re.MULTILINE)
    assert sorted(listed) == sorted(REGISTRY), "every registered function is listed once"
    assert "## Varian nama dan akronim dalam satu berkas" in current
    en = run_cli("explain", "--functions", "--lang", "en").out
    assert "## Name variants and acronyms in one submission" in en
    # one section per domain module of kinerjalint.dsl.functions, each function in its module's section
    sections = re.findall(r"^`(kinerjalint\.dsl\.functions\.\w+)`$", current, re.MULTILINE)
    assert len(sections) == len(set(sections)) >= 5
    for f in REGISTRY.values():
        assert f.py.__module__ in sections, f"{f.name} is registered outside the function package"


def _catalog_rows() -> list[tuple[str, str]]:
    here = ROOT / "docs" / "catalog-codes.txt"
    text = here.read_text(encoding="utf-8")
    return [tuple(line.split()) for line in text.splitlines() if line.strip() and not line.startswith("#")]  # type: ignore[misc]


def test_every_catalog_code_and_name_is_implemented() -> None:
    r = run_cli("rules", "--format", "json")
    have = {(x["code"], x["name"]) for x in r.json()["rules"]}
    missing = [row for row in _catalog_rows() if tuple(row) not in have]
    assert not missing, f"rules of the catalog not implemented (code, name): {missing}"


def test_catalog_codes_file_matches_the_spec_when_available() -> None:
    if not CATALOG.exists():
        return
    spec = set(re.findall(r"^\| ([A-Z0-9]+-\d{2}) \| ([a-z0-9-]+) \|", CATALOG.read_text(encoding="utf-8"), re.M))
    rows = set(_catalog_rows())
    assert spec <= rows, f"codes of RULES.md missing here: {sorted(spec - rows)}"
    # RULES.md binds the groups it defines; codes listed beyond it open new groups (CAS, issue 15).
    spec_groups = {code.split("-")[0] for code, _name in spec}
    stray = sorted(row for row in rows - spec if row[0].split("-")[0] in spec_groups)
    assert not stray, f"codes of RULES.md groups that RULES.md does not define: {stray}"


def _guide_rules() -> str:
    text = (ROOT / "docs" / "writing-rules.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```rules\n(.*?)```", text, re.DOTALL)
    assert blocks, "docs/writing-rules.md has no ```rules block"
    return "\n".join(blocks)


def test_writing_rules_guide_example_verifies_and_runs(tmp_path: Path) -> None:
    folder = tmp_path / "aturan-inspektorat"
    folder.mkdir()
    (folder / "target.rules").write_text(_guide_rules(), encoding="utf-8")
    r = run_cli("verify", str(folder))
    assert r.code == 0 and "4 lolos, 0 gagal" in r.out, r.out + r.err
    tree = tmp_path / "pohon.yaml"
    tree.write_text(
        "pohon:\n  level: outcome\n  kinerja: Meningkatnya rasa aman\n"
        "  indikator:\n    - {nama: Indeks rasa aman, satuan: indeks, target: {2025: 3.1, 2026: 3.2}}\n"
        "    - {nama: Persentase konflik tertangani, satuan: '%'}\n", encoding="utf-8")
    out = run_cli("check", str(tree), "--rules", str(folder), "--select", "LOK", "--format", "json").json()
    messages = [f["message"] for f in out["files"][0]["findings"]]
    assert messages == ['Indikator "Indeks rasa aman" baru punya 2 dari 5 target tahunan Renstra',
                        'Indikator "Persentase konflik tertangani" belum punya target']
    # by rule name too, and through a configuration file naming the folder
    (tmp_path / "kinerjalint.yaml").write_text("rules: [aturan-inspektorat]\nseverity:\n  LOK-01: error\n", encoding="utf-8")
    cfg = run_cli("check", str(tree), "--select", "target-lima-tahun", "--format", "json").json()
    assert [f["severity"] for f in cfg["files"][0]["findings"]] == ["error", "error"]


def test_writing_rules_guide_error_table_is_what_the_tool_says(tmp_path: Path) -> None:
    from kinerjalint.errors import RuleError
    from kinerjalint.rulebook import build_rulebook
    from kinerjalint.resources import rules_dir

    good = _guide_rules()
    cases = [
        (good.replace("size(indikator.targets)", "size(indikator.targts)"), "mungkin maksudnya 'targets'?"),
        (good.replace("size(indikator.targets)", "sise(indikator.targets)"), "fungsi 'sise' tidak dikenal; mungkin maksudnya 'size'?"),
        (good.replace("report when ada < 5", "report when ada = 5"), "petunjuk: untuk membandingkan pakai '=='"),
        (good.replace('en "Indicator {indikator.nama:q} has {ada} of', 'en "Indicator {indikator.nama:q} has some of'),
         "en tidak memuat {ada}"),
    ]
    import shutil

    for i, (text, expected) in enumerate(cases):
        folder = tmp_path / f"a{i}"
        folder.mkdir()
        (folder / "target.rules").write_text(text, encoding="utf-8")
        shutil.copytree(rules_dir() / "words", folder / "words")
        try:
            build_rulebook((folder,))
        except RuleError as exc:
            assert expected in str(exc), str(exc)
            assert exc.where is not None and exc.where.path.endswith("target.rules")
        else:
            raise AssertionError(f"case {i} loaded")


def test_readme_rule_example_compiles_and_its_examples_pass(tmp_path: Path) -> None:
    import shutil

    from kinerjalint.examples import run_examples
    from kinerjalint.resources import rules_dir
    from kinerjalint.rulebook import build_rulebook

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Writing rules"):text.index("## Architecture")]
    [rule] = re.findall(r"```\n(rule .*?)```", section, re.DOTALL)
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "x.rules").write_text(rule, encoding="utf-8")
    shutil.copytree(rules_dir() / "words", folder / "words")
    outcomes = run_examples(build_rulebook((folder,)))
    assert outcomes and all(o.ok for o in outcomes), [o.detail for o in outcomes if not o.ok]
