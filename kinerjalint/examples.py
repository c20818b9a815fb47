"""Run the pass/fail examples written inside rules (``kinerjalint verify``, the tests)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from kinerjalint.dsl import ast as A
from kinerjalint.dsl.compiled import CompiledRule
from kinerjalint.engine import problem_finding, run_government, run_rules
from kinerjalint.government import Government
from kinerjalint.loaders import load_text
from kinerjalint.findings import Finding
from kinerjalint.loaders.base import DictLocator, Locator, Problem, validate, validate_pemda
from kinerjalint.rulebook import Rulebook, example_document


@dataclass(frozen=True)
class ExampleOutcome:
    code: str
    kind: str  # fail | pass
    number: int
    ok: bool
    found: int
    where: str
    detail: str = ""
    detail_en: str = ""

    def detail_text(self, lang: str = "id") -> str:
        return (self.detail_en or self.detail) if lang == "en" else self.detail

    @property
    def test_id(self) -> str:
        return f"{self.code}_{self.kind}{self.number}"


def _fixed_document(doc: dict[str, Any], findings: list[Any]) -> dict[str, Any]:
    """The example document with the safe replacements of ``findings`` applied at their paths."""
    out = copy.deepcopy(doc)
    for f in findings:
        if f.fix is None or f.fix.replacement is None or not f.fix.path:
            continue
        *parents, last = f.fix.path
        target: Any = out
        for i, key in enumerate(parents):
            if isinstance(target[key], str) and i == len(parents) - 1:
                last = key  # the short form `indikator: ["Nama ..."]`: the string is the name
                break
            target = target[key]
        target[last] = f.fix.replacement
    return out


def _mismatch(expected: Any, actual: Any, where: str = "") -> str | None:
    """Where ``actual`` differs from ``expected`` (only the fields ``expected`` names count)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{where or 'contoh'}: bukan objek"
        for k, v in expected.items():
            found = _mismatch(v, actual.get(k), f"{where}.{k}" if where else str(k))
            if found:
                return found
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return f"{where}: jumlah unsur berbeda"
        for i, (e, a) in enumerate(zip(expected, actual)):
            found = _mismatch(e, a, f"{where}[{i}]")
            if found:
                return found
        return None
    return None if expected == actual else f"{where}: {actual!r}, seharusnya {expected!r}"


def _check_fixed(rulebook: Rulebook, rule: CompiledRule, ex: A.Example, doc: dict[str, Any],
                 findings: list[Any]) -> str:
    """Problems of a `fixed` example: the fix's output, and what the rules say about it."""
    fixed_doc = _fixed_document(doc, findings)
    wrong = _mismatch(example_document(ex.fixed), fixed_doc)
    if wrong:
        return f"hasil perbaikan berbeda: {wrong}"

    def codes_on(d: dict[str, Any]) -> tuple[set[str], list[Any]]:
        locator = DictLocator()
        tree, problems = validate(d, "<contoh>", locator)
        if tree is None or problems:
            return {p.code for p in problems}, []
        got = run_rules(rulebook, tree, locator)
        return {f.code for f in got}, [f for f in got if f.code == rule.code]

    before, _ = codes_on(doc)
    after, still = codes_on(fixed_doc)
    if still:
        return "hasil perbaikan masih melanggar aturan ini: " + still[0].message("id")
    new = sorted(after - before)
    if new:
        return "hasil perbaikan memicu aturan lain yang tadinya lolos: " + ", ".join(new)
    return ""


def _with_words(rulebook: Rulebook, rule: CompiledRule, ex: A.Example) -> tuple[Rulebook, CompiledRule]:
    """The rulebook as configuration would make it with the example's word-list entries."""
    from kinerjalint.rulebook import load_rulebook

    assert ex.words is not None
    name, entries = ex.words
    if isinstance(entries, dict):
        rb = load_rulebook(rulebook.folders, builtin=False,
                           mappings=((name, tuple((str(k), str(v)) for k, v in entries.items())),))
    else:
        rb = load_rulebook(rulebook.folders, builtin=False, words_extra=((name, tuple(map(str, entries))),))
    found = rb.get(rule.code)
    assert found is not None
    return rb, found


def _government_findings(rulebook: Rulebook, on: list[bool], value: Any) -> tuple[list[Any], list[Problem]]:
    """Findings of a government rule's example ``{pemda: {...}, opd: [{...}, ...]}``: the Pemda
    tree (``jenis: pemda`` implied) and each agency tree (a bare node is its root)."""
    if not isinstance(value, dict) or not isinstance(value.get("pemda"), dict) or not isinstance(value.get("opd"), list):
        return [], [Problem("SYS-02", None, {"detail": "contoh aturan pemerintah daerah perlu { pemda: {...}, opd: [...] }"})]
    locators: dict[str, Locator] = {}
    pemda_locator = DictLocator()
    pemda, problems = validate_pemda({"jenis": "pemda", **copy.deepcopy(value["pemda"])}, "<contoh-pemda>",
                                     pemda_locator)
    locators["<contoh-pemda>"] = pemda_locator
    trees = []
    for i, opd in enumerate(value["opd"]):
        source = f"<contoh-opd-{i + 1}>"
        locators[source] = DictLocator()
        tree, more = validate(copy.deepcopy(example_document(opd)), source, locators[source])
        problems += more
        if tree is not None:
            trees.append(tree)
    if pemda is None:
        return [], problems
    return run_government(rulebook, Government(pemda, trees), locators, on), problems


def example_findings(rulebook: Rulebook, rule: CompiledRule, ex: A.Example) -> tuple[list[Finding], list[Problem]]:
    """What the rule finds in one of its examples, and the example's own format problems."""
    if ex.words is not None:
        rulebook, rule = _with_words(rulebook, rule, ex)
    on = [r.index == rule.index for r in rulebook.rules]
    if rule.kind == "government":  # an example of a whole government: { pemda: {...}, opd: [...] }
        return _government_findings(rulebook, on, None if isinstance(ex.value, A.RawText) else ex.value)
    if isinstance(ex.value, A.RawText):
        loaded = load_text(ex.value.text, "<contoh>", "yaml")
        tree, problems, locator = loaded.tree, loaded.problems, loaded.locator
    else:
        locator = DictLocator()
        tree, problems = validate(example_document(ex.value), "<contoh>", locator)
    findings = [problem_finding(rulebook, p, "<contoh>") for p in problems if p.code == rule.code]
    if tree is not None:
        findings += run_rules(rulebook, tree, locator, on)
    return findings, [p for p in problems if p.code != rule.code]


def first_finding(rulebook: Rulebook, rule: CompiledRule) -> Finding | None:
    """The finding of the rule's first failing example that has a fix (else the first one):
    its message and fix read as a user would see them (``explain``)."""
    found: list[Finding] = []
    for ex in rule.defn.examples:
        if ex.kind == "fail":
            found += example_findings(rulebook, rule, ex)[0]
            if any(f.fix is not None for f in found):
                break
    return next((f for f in found if f.fix is not None), found[0] if found else None)


def run_example(rulebook: Rulebook, rule: CompiledRule, ex: A.Example, number: int) -> ExampleOutcome:
    findings, other = example_findings(rulebook, rule, ex)
    found = len(findings)
    ok = found > 0 if ex.kind == "fail" else found == 0
    detail = detail_en = ""
    if other:
        detail = "contoh tidak sah: " + "; ".join(p.args.get("detail", p.code) for p in other)
        detail_en = "invalid example: " + "; ".join(p.args.get("detail_en", p.code) for p in other)
        ok = False
    elif not ok:
        detail = ("aturan tidak menemukan apa pun" if ex.kind == "fail"
                  else "aturan menemukan: " + "; ".join(f.message("id") for f in findings[:3]))
        detail_en = ("the rule finds nothing" if ex.kind == "fail"
                     else "the rule finds: " + "; ".join(f.message("en") for f in findings[:3]))
    elif ex.fixed is not None:
        if rule.defn.fix_replace is None:
            detail = "'fixed' hanya untuk aturan dengan 'fix replace'"
        elif isinstance(ex.value, A.RawText):
            detail = "'fixed' perlu contoh berupa objek, bukan teks"
        else:
            detail = _check_fixed(rulebook, rule, ex, example_document(ex.value), findings)
        ok = not detail
        detail_en = detail
    return ExampleOutcome(rule.code, ex.kind, number, ok, found, f"{rule.defn.file}:{ex.pos.line}", detail, detail_en)


def run_examples(rulebook: Rulebook, codes: set[str] | None = None) -> list[ExampleOutcome]:
    out: list[ExampleOutcome] = []
    for rule in rulebook.rules:
        if codes and rule.code not in codes:
            continue
        counts = {"fail": 0, "pass": 0}
        for ex in rule.defn.examples:
            counts[ex.kind] += 1
            out.append(run_example(rulebook, rule, ex, counts[ex.kind]))
        if rule.defn.fix_replace is not None and not any(ex.fixed is not None for ex in rule.defn.examples):
            out.append(ExampleOutcome(rule.code, "fixed", 0, False, 0, f"{rule.defn.file}:{rule.defn.pos.line}",
                                      "aturan dengan 'fix replace' perlu contoh 'example fail {...} fixed {...}'"))
    return out
