"""JUnit XML: each file is a test suite, each enabled rule a test case of it.

CI systems (GitLab, Jenkins, Azure Pipelines, test-report actions) then show which rules
a tree breaks and which it passes:

* ``<testsuite name=PATH tests failures errors skipped>`` per file (a path listed twice
  gets `` (2)``, so that ``classname`` + ``name`` stay unique across the report);
* ``<testcase classname=PATH name="CODE name">`` per enabled rule, plus one per code that
  has findings but is not in the rulebook;
* ``<failure message type=SEVERITY>`` when the rule has active findings at or above
  ``fail_on``, its text one finding per line (``path:location severity: message``);
* active findings below ``fail_on`` and accepted (suppressed, waived, baselined) findings
  go to the case's ``<system-out>``, and the case passes;
* a file that cannot be read: its loader rules are evaluated, every other rule is
  ``<skipped>``.

ElementTree escapes markup; :func:`~kinerjalint.reporters.printable` removes the
characters XML 1.0 cannot hold at all.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kinerjalint.findings import Finding, Severity
from kinerjalint.reporters import printable

if TYPE_CHECKING:
    from kinerjalint.results import CheckResult
    from kinerjalint.rulebook import Rulebook

_T = {
    "id": {"findings": "temuan", "first": "pertama",
           "unreadable": "berkas tidak dapat dibaca; aturan tidak dijalankan"},
    "en": {"findings": "findings", "first": "first", "unreadable": "the file cannot be read; rule not run"},
}


def _one_line(text: str) -> str:
    return " ".join(printable(text).split())


def _line(f: Finding, source: str, lang: str) -> str:
    out = f"{source}:{f.place(lang)} {f.severity.label(lang)}: {f.message(lang)}"
    if f.status != "active":
        out += f" [{f.status}{': ' + f.status_reason if f.status_reason else ''}]"
    return _one_line(out)


def _unique(names: Sequence[str]) -> list[str]:
    used: set[str] = set()
    out = []
    for base in names:
        name, n = base, 1
        while name in used:
            n += 1
            name = f"{base} ({n})"
        used.add(name)
        out.append(name)
    return out


def _case(suite: ET.Element, source: str, title: str, findings: Sequence[Finding], lang: str,
          fail_on: Severity | None, skipped: bool) -> str:
    """Add one test case; return its outcome: ``passed``, ``failed`` or ``skipped``."""
    case = ET.SubElement(suite, "testcase", classname=source, name=printable(title))
    failing: list[Finding] = []
    rest: list[Finding] = []
    for f in findings:
        fails = f.status == "active" and fail_on is not None and f.severity >= fail_on
        (failing if fails else rest).append(f)
    outcome = "passed"
    if failing:
        t = _T["en" if lang == "en" else "id"]
        first = _one_line(f"{failing[0].place(lang)}: {failing[0].message(lang)}")
        message = first if len(failing) == 1 else f"{len(failing)} {t['findings']}; {t['first']}: {first}"
        failure = ET.SubElement(case, "failure", message=message, type=max(f.severity for f in failing).name)
        failure.text = "\n".join(_line(f, source, lang) for f in failing)
        outcome = "failed"
    elif skipped:
        ET.SubElement(case, "skipped", message=_T["en" if lang == "en" else "id"]["unreadable"])
        outcome = "skipped"
    if rest:
        ET.SubElement(case, "system-out").text = "\n".join(_line(f, source, lang) for f in rest)
    return outcome


def _suite(root: ET.Element, r: CheckResult, source: str, rulebook: Rulebook, on: Sequence[bool], lang: str,
           fail_on: Severity | None) -> dict[str, int]:
    suite = ET.SubElement(root, "testsuite", name=source)
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for f in r.findings:
        by_code[f.code].append(f)
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    cases = [(rule.code, f"{rule.code} {rule.name}", r.unreadable and rule.kind != "loader")
             for rule in rulebook.rules if on[rule.index] or rule.code in by_code]
    known = {code for code, _, _ in cases}
    cases += [(code, f"{code} {fs[0].name}", False) for code, fs in by_code.items() if code not in known]
    for code, title, skip in cases:
        outcome = _case(suite, source, title, by_code.get(code, []), lang, fail_on, skip)
        counts["tests"] += 1
        counts["failures"] += outcome == "failed"
        counts["skipped"] += outcome == "skipped"
    for key, value in counts.items():
        suite.set(key, str(value))
    return counts


def render(results: Sequence[CheckResult], rulebook: Rulebook, lang: str = "id",
           fail_on: Severity | None = Severity.error, enabled: Sequence[bool] | None = None) -> str:
    """The report. ``enabled`` is the rulebook's selection (``Rulebook.select``), all rules by
    default; ``fail_on`` the lowest severity that fails a rule (``None``: never)."""
    on = list(enabled) if enabled is not None else [True] * len(rulebook.rules)
    if len(on) != len(rulebook.rules):
        raise ValueError(f"enabled has {len(on)} entries for {len(rulebook.rules)} rules")
    root = ET.Element("testsuites", name="kinerjalint")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for r, source in zip(results, _unique([printable(r.source) for r in results]), strict=True):
        for key, value in _suite(root, r, source, rulebook, on, lang, fail_on).items():
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
