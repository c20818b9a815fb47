"""The CI reporters: SARIF, JUnit XML, GitHub annotations, Markdown.

Each is checked on the two bundled samples and on a hand-made result whose text is
hostile (markup, separators, line breaks, control characters) and whose findings cover
the cases the samples do not: a spreadsheet cell, accepted findings, an unknown code.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from kinerjalint.api import CheckResult, check_paths
from kinerjalint.findings import Finding, Fix, Severity
from kinerjalint.reporters import github, junit, markdown, sarif, text
from kinerjalint.rulebook import Rulebook

from .conftest import FIXED, ROOT, SAMPLE

SCHEMA_PATH = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
NASTY = 'a|b\nc\r\n<script>alert(1)</script> & [klik](https://x.test) {0} %25 ::error:: *x* `y` $z$ \x00\x1b[31m'


@pytest.fixture(scope="module")
def samples() -> list[CheckResult]:
    return check_paths([SAMPLE, FIXED])


def _finding(code: str = "LNG-02", name: str = "diawali-kata-kerja", severity: Severity = Severity.error,
             message: str = NASTY, **kw: Any) -> Finding:
    base: dict[str, Any] = dict(
        code=code, name=name, severity=severity, message_id=message, message_en="EN " + message,
        file="x", line=3, column=5, end_line=3, end_column=9, node_id="1.2", path=("Akar", "Anak | <b>"),
        fix=Fix("Ganti: " + NASTY, "Replace: " + NASTY, ("pohon",), "Meningkatnya"), value="v")
    base.update(kw)
    return Finding(**base)


@pytest.fixture(scope="module")
def hostile(samples: list[CheckResult]) -> CheckResult:
    """A readable result (a real tree) whose findings are made by hand."""
    findings = [
        _finding(),
        _finding("IND-03", "indikator-tanpa-ukuran", Severity.warning, "multi\nline", line=4, end_line=6),
        _finding("NAM-02", "akronim", Severity.info, "catatan"),
        _finding("IND-05", "satuan-kosong", ref="Pohon!C12", line=12, column=3, end_line=12, end_column=4),
        _finding(status="suppressed", status_reason="disetujui | rapat"),
        _finding("STR-04", "kinerja-kosong", status="waived", status_reason="pengecualian s.d. 2025"),
        _finding("STR-05", "indikator-kosong", status="baselined", status_reason="baseline .kinerjalint-baseline"),
        _finding("ZZZ-99", "aturan-luar", Severity.warning, "dari aturan yang tidak dimuat"),
    ]
    return replace(samples[0], source="data/pohon, 2024: v1.yaml", findings=findings)


# -- SARIF ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)  # draft-04, as the schema's $schema says
    cls.check_schema(schema)
    return cls(schema)


def _assert_valid(validator: jsonschema.protocols.Validator, doc: dict[str, Any]) -> None:
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]
    assert errors == []


def test_schema_copy_is_the_shared_one() -> None:
    shared = Path("/work/shared/data/sarif-schema-2.1.0.json")
    if shared.exists():
        assert SCHEMA_PATH.read_bytes() == shared.read_bytes()
    assert "draft-04" in json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["$schema"]


@pytest.mark.parametrize("paths", [[SAMPLE], [FIXED], [SAMPLE, FIXED]], ids=["sample", "fixed", "both"])
def test_sarif_samples_validate(validator: jsonschema.protocols.Validator, rulebook: Rulebook,
                                paths: list[Path]) -> None:
    results = check_paths(paths)
    doc = json.loads(sarif.render(results, rulebook, root=ROOT))
    _assert_valid(validator, doc)
    assert doc["version"] == "2.1.0" and len(doc["runs"]) == 1
    assert len(doc["runs"][0]["results"]) == sum(len(r.findings) for r in results)


def test_sarif_rules_and_results(samples: list[CheckResult], rulebook: Rulebook) -> None:
    run = json.loads(sarif.render(samples, rulebook, root=ROOT))["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "kinerjalint" and driver["version"]
    rules = driver["rules"]
    assert [r["id"] for r in rules] == [r.code for r in rulebook.rules]
    lng02 = rules[[r["id"] for r in rules].index("LNG-02")]
    assert lng02["name"] == "diawali-kata-kerja"
    assert lng02["shortDescription"]["text"] == rulebook.get("LNG-02").title("id")  # type: ignore[union-attr]
    assert lng02["defaultConfiguration"]["level"] == "error"
    assert lng02["properties"]["group"] == "LNG" and "LNG" in lng02["properties"]["tags"]
    assert "PermenPANRB" in lng02["help"]["text"] and lng02["help"]["markdown"]
    findings = [f for r in samples for f in r.findings]
    assert findings, "the sample is expected to have findings"
    for res, f in zip(run["results"], findings, strict=True):
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"] == f.code
        assert res["level"] == {"error": "error", "warning": "warning", "info": "note"}[f.severity.name]
        assert res["partialFingerprints"] == {"kinerjalint/v1": f.fingerprint}
        loc = res["locations"][0]["physicalLocation"]
        uri = Path(f.file).resolve().relative_to(ROOT).as_posix()
        assert loc["artifactLocation"] == {"uri": uri, "uriBaseId": "%SRCROOT%"}
        assert loc["region"] == {"startLine": f.line, "startColumn": f.column,
                                 "endLine": f.end_line, "endColumn": f.end_column}
        assert res["message"]["text"].startswith(f.message("id").replace("{", "{{").replace("}", "}}")[:40])


def test_sarif_english(samples: list[CheckResult], rulebook: Rulebook) -> None:
    run = json.loads(sarif.render(samples, rulebook, lang="en", root=ROOT))["runs"][0]
    assert run["language"] == "en"
    first = [f for r in samples for f in r.findings][0]
    assert run["results"][0]["message"]["text"].startswith(first.message_en[:30])


def test_sarif_hostile_result(validator: jsonschema.protocols.Validator, rulebook: Rulebook,
                              hostile: CheckResult, tmp_path: Path) -> None:
    doc = json.loads(sarif.render([hostile], rulebook, root=ROOT))
    _assert_valid(validator, doc)
    run = doc["runs"][0]
    res = run["results"]
    # the path: relative, percent-encoded, forward slashes
    uri = res[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "data/pohon%2C%202024%3A%20v1.yaml"
    # a message can hold neither a placeholder nor an embedded link, nor control characters
    text = res[0]["message"]["text"]
    assert "{{0}}" in text and "](" not in text and "\x00" not in text and "\x1b" not in text
    assert "\nSaran: Ganti: " in text and res[0]["properties"]["fix"].startswith("Ganti: ")
    assert res[0]["properties"]["replacement"] == "Meningkatnya"
    assert res[0]["locations"][0]["logicalLocations"] == [
        {"name": "1.2", "kind": "element", "fullyQualifiedName": "Akar > Anak | <b>"}]
    # a spreadsheet cell: in the message and a logical location; no text columns
    cell = res[3]
    assert cell["message"]["text"].startswith("Pohon!C12: ")
    cell_location = {"name": "C12", "fullyQualifiedName": "Pohon!C12", "kind": "element"}
    assert cell_location in cell["locations"][0]["logicalLocations"]
    assert cell["locations"][0]["physicalLocation"]["region"] == {"startLine": 12}
    # accepted findings
    assert "suppressions" not in res[0]
    assert res[4]["suppressions"] == [
        {"kind": "inSource", "status": "accepted", "justification": "disetujui | rapat"}]
    assert res[5]["suppressions"][0]["kind"] == "external"
    assert res[6]["suppressions"][0]["kind"] == "external"
    # a code the rulebook lacks still has a rule to point at
    rules = run["tool"]["driver"]["rules"]
    assert rules[res[7]["ruleIndex"]]["id"] == "ZZZ-99" and len(rules) == len(rulebook.rules) + 1


WORKBOOK = SAMPLE.with_suffix(".xlsx")


@pytest.mark.skipif(not WORKBOOK.exists(), reason="no workbook sample")
def test_sarif_workbook_sample(validator: jsonschema.protocols.Validator, rulebook: Rulebook) -> None:
    results = check_paths([WORKBOOK])
    doc = json.loads(sarif.render(results, rulebook, root=ROOT))
    _assert_valid(validator, doc)
    cells = [(f, res) for f, res in zip(results[0].findings, doc["runs"][0]["results"], strict=True) if f.ref]
    assert cells, "the workbook's findings are expected to name cells"
    for f, res in cells:
        assert res["message"]["text"].startswith(f"{f.ref}: ")
        assert res["locations"][0]["physicalLocation"]["region"] == {"startLine": f.line}
        assert f.ref in [loc.get("fullyQualifiedName") for loc in res["locations"][0]["logicalLocations"]]


def test_sarif_paths(tmp_path: Path) -> None:
    assert sarif.artifact_location("./a/../b c.yaml", root=".") == {"uri": "b%20c.yaml", "uriBaseId": "%SRCROOT%"}
    outside = sarif.artifact_location(str(tmp_path / "x.yaml"), root=ROOT)
    assert outside == {"uri": (tmp_path / "x.yaml").as_uri()} and "uriBaseId" not in outside


# -- JUnit ---------------------------------------------------------------------------------

def _cases(root: ET.Element) -> list[ET.Element]:
    return root.findall("./testsuite/testcase")


def test_junit_samples(samples: list[CheckResult], rulebook: Rulebook) -> None:
    root = ET.fromstring(junit.render(samples, rulebook))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [r.source for r in samples]
    keys = [(c.get("classname"), c.get("name")) for c in _cases(root)]
    assert len(keys) == len(set(keys)) == len(samples) * len(rulebook.rules)
    for suite, result in zip(suites, samples, strict=True):
        cases = {c.get("name"): c for c in suite.findall("testcase")}
        assert list(cases) == [f"{r.code} {r.name}" for r in rulebook.rules]
        assert {c.get("classname") for c in cases.values()} == {result.source}
        failing = {f.code for f in result.active if f.severity >= Severity.error}
        for rule in rulebook.rules:
            case = cases[f"{rule.code} {rule.name}"]
            failure = case.find("failure")
            if rule.code in failing:
                assert failure is not None and failure.get("type") == "error"
                lines = (failure.text or "").splitlines()
                assert len(lines) == sum(1 for f in result.active if f.code == rule.code)
                assert all(line.startswith(result.source + ":") for line in lines)
            else:  # passed: present, without failure
                assert failure is None and case.find("skipped") is None
        assert suite.get("tests") == str(len(rulebook.rules))
        assert suite.get("failures") == str(len(failing)) and suite.get("errors") == "0"
    assert root.get("failures") == str(sum(int(s.get("failures", "0")) for s in suites))


def test_junit_threshold_and_selection(samples: list[CheckResult], rulebook: Rulebook) -> None:
    enabled = rulebook.select(ignore=["LNG"])
    result = replace(samples[0], findings=[f for f in samples[0].findings if not f.code.startswith("LNG-")])
    root = ET.fromstring(junit.render([result], rulebook, fail_on=Severity.warning, enabled=enabled))
    names = [c.get("name") or "" for c in _cases(root)]
    assert len(names) == sum(enabled) and not any(n.startswith("LNG-") for n in names)
    failing = {f"{f.code} {f.name}" for f in result.active if f.severity >= Severity.warning}
    assert {c.get("name") for c in _cases(root) if c.find("failure") is not None} == failing
    # a rule switched off that still reported (a finding made before the selection) is not hidden
    full = ET.fromstring(junit.render(samples[:1], rulebook, enabled=enabled))
    assert "LNG-02 diawali-kata-kerja" in {c.get("name") for c in _cases(full)}
    never = ET.fromstring(junit.render([result], rulebook, fail_on=None))
    assert never.get("failures") == "0"
    with pytest.raises(ValueError):
        junit.render([result], rulebook, enabled=[True])


def test_junit_hostile_and_duplicates(rulebook: Rulebook, hostile: CheckResult) -> None:
    text = junit.render([hostile, hostile], rulebook)
    root = ET.fromstring(text)  # well-formed despite NUL, ESC and markup in the messages
    names = [s.get("name") for s in root.findall("testsuite")]
    assert names == [hostile.source, hostile.source + " (2)"]
    keys = [(c.get("classname"), c.get("name")) for c in _cases(root)]
    assert len(keys) == len(set(keys))
    cases = {c.get("name"): c for c in root.find("testsuite").findall("testcase")}  # type: ignore[union-attr]
    lng = cases["LNG-02 diawali-kata-kerja"].find("failure")
    assert lng is not None and lng.text is not None
    assert "<script>" in lng.text and "\x00" not in lng.text and "\ufffd" in lng.text
    assert len(lng.text.splitlines()) == 1  # one line per finding, even for a multi-line message
    # below the threshold and accepted: passed, listed in system-out
    nam = cases["NAM-02 akronim"]
    assert nam.find("failure") is None and "catatan" in (nam.findtext("system-out") or "")
    str04 = cases["STR-04 kinerja-kosong"]
    assert str04.find("failure") is None and "[waived: pengecualian" in (str04.findtext("system-out") or "")
    assert "ZZZ-99 aturan-luar" in cases


def test_junit_unreadable_file(rulebook: Rulebook, tmp_path: Path) -> None:
    broken = tmp_path / "rusak.yaml"
    broken.write_text("pohon: [level: outcome\n", encoding="utf-8")
    results = check_paths([broken])
    assert results[0].unreadable
    root = ET.fromstring(junit.render(results, rulebook))
    cases = {c.get("name"): c for c in _cases(root)}
    assert cases["SYS-01 berkas-tidak-terbaca"].find("failure") is not None
    skipped = [r for r in rulebook.rules if r.kind != "loader"]
    assert all(cases[f"{r.code} {r.name}"].find("skipped") is not None for r in skipped)
    assert root.find("testsuite").get("skipped") == str(len(skipped))  # type: ignore[union-attr]


# -- GitHub annotations --------------------------------------------------------------------

def test_github_escaping() -> None:
    assert github.escape_data("100% a\r\nb:c,d") == "100%25 a%0D%0Ab:c,d"
    assert github.escape_property("100% a\r\nb:c,d") == "100%25 a%0D%0Ab%3Ac%2Cd"
    assert github.escape_data("%0A") == "%250A"  # an escape sequence typed by a user stays text


def test_github_hostile(rulebook: Rulebook, hostile: CheckResult) -> None:
    out = github.render([hostile], rulebook, root=ROOT)
    lines = out.splitlines()
    assert len(lines) == len(hostile.active)  # no message can add a line, hence no command
    first = lines[0]
    head, _, message = first.partition("::")[2].partition("::")
    assert head == ("error file=data/pohon%2C 2024%3A v1.yaml,line=3,col=5,endLine=3,endColumn=8,"
                    "title=LNG-02 diawali-kata-kerja")
    assert message.startswith("a|b%0Ac%0D%0A<script>")
    assert "%2525" in message and "\x00" not in message and "\x1b" not in message
    assert "%0ASaran: Ganti: " in message
    assert lines[1].startswith("::warning file=data/pohon%2C 2024%3A v1.yaml,line=4,endLine=6,title=")
    assert lines[2].startswith("::notice ")
    cell = lines[3]
    assert "line=" not in cell.split("::")[1] and cell.split("::", 2)[2].startswith("Pohon!C12: ")


def test_github_samples(samples: list[CheckResult], rulebook: Rulebook) -> None:
    lines = github.render(samples, rulebook, lang="en", root=ROOT).splitlines()
    active = [f for r in samples for f in r.active]
    assert len(lines) == len(active)
    for line, f in zip(lines, active, strict=True):
        assert line.startswith({"error": "::error ", "warning": "::warning ", "info": "::notice "}[f.severity.name])
        assert f"file={Path(f.file).resolve().relative_to(ROOT).as_posix()},line={f.line}," in line
        assert f"title={f.code} {f.name}::" in line


# -- Markdown ------------------------------------------------------------------------------

def _html(text: str) -> str:
    markdown_it = pytest.importorskip("markdown_it")
    return str(markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text))


def test_markdown_samples(samples: list[CheckResult], rulebook: Rulebook) -> None:
    out = markdown.render(samples, rulebook)
    assert out.startswith("# Laporan kinerjalint\n")
    assert "| Kode | Tingkat | Lokasi | Pesan | Saran |" in out
    assert f"## {markdown.escape(samples[0].source, ' ')}" in out
    result = samples[0]
    counts = Counter(f.severity for f in result.active)
    assert (f"**Ringkasan:** {counts[Severity.error]} galat, {counts[Severity.warning]} peringatan, "
            f"{counts[Severity.info]} info") in out
    html = _html(out)
    assert html.count("<tr>") == sum(len(r.active) + 1 for r in samples if r.active)
    en = markdown.render(samples, rulebook, lang="en")
    assert en.startswith("# kinerjalint report\n") and "| Code | Severity | Location | Message | Fix |" in en
    assert "**Summary:**" in en and "Ringkasan" not in en


def test_markdown_hostile(rulebook: Rulebook, hostile: CheckResult) -> None:
    out = markdown.render([hostile], rulebook)
    rows = [line for line in out.splitlines() if line.startswith("| ") and "Kode" not in line]
    assert len(rows) == len(hostile.active)
    assert "1 galat" not in out and "3 dikecualikan" in out
    html = _html(out)
    assert "<script>" not in html and "<b>" not in html and "<a " not in html and "<em>" not in html
    assert "&lt;script&gt;" in html
    # every row keeps its five cells: the pipes and line breaks of the text are escaped
    for row in html.split("<tr>")[2:]:
        assert row.count("<td>") == 5
    assert "\x00" not in out and "\x1b" not in out
    assert markdown.escape("a|b\nc") == "a\\|b<br>c"


# -- text ----------------------------------------------------------------------------------

def _rich_off_terminal(results: list[CheckResult], lang: str, verbose: bool) -> str:
    import io

    from rich.console import Console

    buf = io.StringIO()
    text.render(results, Console(file=buf, highlight=False, soft_wrap=True, force_terminal=False), lang, verbose)
    return buf.getvalue()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_plain_text_is_what_rich_prints_off_a_terminal(samples: list[CheckResult], hostile: CheckResult,
                                                       lang: str) -> None:
    """Off a terminal the text report is joined without rich: byte for byte what rich writes
    there (tabs expanded, the control characters rich drops dropped), colour pieces and all."""
    tabbed = replace(hostile, findings=[_finding(message="a\tb\rc\x07d\x0be", line=2, column=1, end_column=3),
                                        *hostile.findings])
    for results in (samples, [hostile], [tabbed]):
        for verbose in (False, True):
            plain = text.plain(results, lang, verbose)
            assert plain == _rich_off_terminal(results, lang, verbose)
    shown = text.plain([tabbed], lang)
    assert "\r" not in shown and "\t" not in shown and " bc\ufffdd\ufffde\n" in shown


def test_colour_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    for var in ("TTY_COMPATIBLE", "FORCE_COLOR"):
        monkeypatch.delenv(var, raising=False)
    assert text.is_terminal(Tty()) and not text.is_terminal(io.StringIO())
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert text.is_terminal(io.StringIO())
    monkeypatch.setenv("TTY_COMPATIBLE", "0")
    assert not text.is_terminal(Tty())
