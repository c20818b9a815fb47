"""Rule patterns behind a test of what a match must contain (kinerjalint.dsl.patterns):
the test may only skip searches that would find nothing."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from kinerjalint.dsl import ast as A
from kinerjalint.dsl.parser import parse_rules
from kinerjalint.dsl.patterns import RulePattern, needs
from kinerjalint.loaders import load_path

ROOT = Path(__file__).resolve().parent.parent


def _strings(x: Any) -> list[str]:
    """Every string literal of a rule's syntax tree (patterns among them)."""
    if isinstance(x, A.Str):
        return [x.value]
    out: list[str] = []
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        for f in dataclasses.fields(x):
            out.extend(_strings(getattr(x, f.name)))
    elif isinstance(x, (list, tuple)):
        for v in x:
            out.extend(_strings(v))
    return out


def _rule_patterns() -> list[str]:
    found: set[str] = set()
    for path in sorted((ROOT / "rules").glob("*.rules")):
        for d in parse_rules(path.read_text(encoding="utf-8"), str(path)):
            for s in _strings(d):
                try:
                    re.compile(s, re.IGNORECASE)
                except re.error:
                    continue
                if needs(s):
                    found.add(s)
    return sorted(found)


def _texts() -> list[str]:
    texts: set[str] = set()
    files = [*sorted((ROOT / "samples" / "real").glob("*.tsv")), ROOT / "samples" / "balangan-kesbangpol.yaml",
             ROOT / "samples" / "balangan-tahap4.tsv", ROOT / "samples" / "balangan-tahap5.tsv"]
    for path in files:
        tree = load_path(path).tree
        if tree is None:
            continue
        texts.update(n.kinerja for n in tree.nodes)
        texts.update(i.nama for i in tree.indicators)
        texts.update(i.satuan for i in tree.indicators if i.satuan)
    # and the slips the patterns look for, in capitals and glued to punctuation
    extra = ["Persentase capaian (%) dalam persen", "Meningkatnya PAD menjadi 80 %", "Rp. 1.500.000,- juta rupiah",
             "TERLAKSANANYA RAPAT  DAN  EVALUASI.", "Jumlah kegiatan (5 kali", "indeks kepuasan (IKM)",
             "Meningkatnya pelayanan dan pengawasannya", "Cakupan  layanan ; dan", "Sub Kegiatan 2.08.01 Penyusunan"]
    base = sorted(texts) + extra
    return base + [t.upper() for t in base] + [t + "." for t in base[:200]]


PATTERNS = _rule_patterns()
_TEXTS = _texts()


def test_the_rules_have_patterns_worth_testing() -> None:
    assert len(PATTERNS) >= 10


@pytest.mark.parametrize("pattern", PATTERNS)
def test_a_rule_pattern_finds_what_the_plain_pattern_finds(pattern: str) -> None:
    fast, plain = RulePattern(pattern), re.compile(pattern, re.IGNORECASE)
    for text in _TEXTS:
        m, p = fast.search(text), plain.search(text)
        assert (m and m.span()) == (p and p.span()), (pattern, text)
        assert [x.span() for x in fast.finditer(text)] == [x.span() for x in plain.finditer(text)]



def test_needs_reads_literals_classes_and_alternatives() -> None:
    assert needs(r"\(\s*[^()]{1,30}\)\s*$|\(\s*[^()]{1,30}$") in ((frozenset("()"),), (frozenset("("),))
    assert frozenset({"rupiah", "rp"}) in needs(r"\bRp\.?\s?[0-9]+|\b[0-9]+\s?juta\s?rupiah\b")
    assert needs(r"^\W*(persentase|cakupan)\b") == ()  # anchored: the engine gives up at once anyway
    assert needs(r"(?<![\w-])(\w{3,})\s+\1(?![\w-])") == ()  # nothing literal to ask for
    assert needs(r"\w+a") == ()  # a single letter is no filter
    assert set(needs(r"jumlah (satuan )?dokumen")) == {frozenset({"jumlah "}), frozenset({"dokumen"})}  # not "satuan"
    assert needs(r"(?:rapat)*x[0-9]") == (frozenset("0123456789"),)
    assert RulePattern(r"jumlah (satuan )?dokumen").search("Jumlah dokumen") is not None
    assert needs(r"a?bc|d") == ()  # one alternative asks for a letter only


def test_non_ascii_texts_are_searched_in_full() -> None:
    # Under IGNORECASE 's' also matches the long s and 'i' the dotless i; lower() keeps those.
    rp = RulePattern(r"\bkasus\b")
    assert rp.search("Jumlah kaſus ditangani") is not None
    assert RulePattern(r"\bindeks\b").search("ındeks kepuasan") is not None
    assert rp.search("Jumlah laporan") is None
