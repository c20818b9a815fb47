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
    assert "## Ejaan, varian nama dan akronim" in current
    en = run_cli("explain", "--functions", "--lang", "en").out
    assert "## Spelling, name variants and acronyms" in en
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
