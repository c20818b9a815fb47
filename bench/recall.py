"""Recall and false alarms of kinerjalint on the real-submission corpus (samples/real/).

    python bench/recall.py              # per-file and per-code table
    python bench/recall.py --misses     # also list every missed defect and every false alarm

samples/real/EXPECTED.tsv holds an auditor's marks, one line per data row of every file:
``file, row, codes, note``. ``codes`` is ``ok`` or a comma-separated list of rule codes; a
code written ``A|B`` is one defect that either code reports (two catalog rules that name the
same problem, e.g. IND-14|IND-03 for an indicator that starts with "%"). A code may name the
cell it belongs to, ``LNG-09@kinerja`` or ``LNG-09@indikator``, when a row holds both a
statement and an indicator: it then counts only when the finding points at that column.

Measured:
- recall: marked defects reported by the tool at their row (any severity) / marked defects;
- false alarms: rows the auditor calls correct on which the tool reports a warning or an error,
  / rows called correct (info findings are hints; they are listed, not counted);
- SYS findings: any SYS-* finding on a real export is a defect of the tool (the file is valid).

Out of scope, because the corpus files are excerpts of larger documents (one table of a Renstra,
LKjIP or e-SAKIP export, not the whole tree): the structure and completeness rules (STR-*, T3-01,
T3-08, the tree-level T3-06 info "no crosscutting at all"), the cross-table rules (CON-*), the
mapping rules (MAP-*) and acronym expansion (NAM-02), which looks at the whole submission.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from kinerjalint.api import CheckOptions, check_file
from kinerjalint.findings import Severity

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "samples" / "real"
EXPECTED = CORPUS / "EXPECTED.tsv"

OUT_OF_SCOPE_PREFIXES = ("STR-", "CON-", "MAP-", "SYS-")
OUT_OF_SCOPE_CODES = {"T3-01", "T3-08", "NAM-02"}


def in_scope(code: str, severity: Severity) -> bool:
    if code.startswith(OUT_OF_SCOPE_PREFIXES) or code in OUT_OF_SCOPE_CODES:
        return False
    # T3-06 as an info is the one tree-level note "no node is marked crosscutting".
    return not (code == "T3-06" and severity == Severity.info)


@dataclass
class Row:
    file: str
    row: int
    groups: list[frozenset[str]]  # empty: the auditor calls the row correct; "CODE" or "CODE@field"
    note: str


@dataclass
class Outcome:
    file: str
    row: int
    expected: list[frozenset[str]]
    reported: dict[str, Severity]  # in-scope "CODE" and "CODE@field" -> highest severity on the row
    hits: list[frozenset[str]] = field(default_factory=list)
    misses: list[frozenset[str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.expected

    @property
    def serious(self) -> list[str]:
        return sorted(c for c, s in self.reported.items()
                      if "@" not in c and s in (Severity.error, Severity.warning))

    @property
    def extras(self) -> list[str]:
        marked = {c.partition("@")[0] for g in self.expected for c in g}
        return [c for c in self.serious if c not in marked]


@dataclass
class Report:
    outcomes: list[Outcome]
    sys_findings: list[str]

    @property
    def defects(self) -> int:
        return sum(len(o.expected) for o in self.outcomes)

    @property
    def found(self) -> int:
        return sum(len(o.hits) for o in self.outcomes)

    @property
    def recall(self) -> float:
        return self.found / self.defects if self.defects else 1.0

    @property
    def ok_rows(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.ok]

    @property
    def false_alarm_rows(self) -> list[Outcome]:
        return [o for o in self.ok_rows if o.serious]

    @property
    def false_alarm_rate(self) -> float:
        ok = self.ok_rows
        return len(self.false_alarm_rows) / len(ok) if ok else 0.0


def read_expected(path: Path = EXPECTED) -> list[Row]:
    rows: list[Row] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for rec in csv.reader((line for line in fh if line.strip() and not line.startswith("#")),
                              delimiter="\t"):
            if rec[0] == "file":
                continue
            name, row, codes = rec[0], int(rec[1]), rec[2].strip()
            groups = [] if codes == "ok" else [frozenset(c.strip() for c in g.split("|"))
                                               for g in codes.split(",")]
            rows.append(Row(name, row, groups, rec[3] if len(rec) > 3 else ""))
    return rows


def column_fields(path: Path) -> dict[int, str]:
    """1-based column -> field of a TSV header: kinerja, indikator, satuan, target, baseline..."""
    with path.open(encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
    return {i: h.strip().casefold().split(" ")[0] for i, h in enumerate(header, 1)}


def data_rows(path: Path) -> int:
    """Number of data rows of a TSV file (the header row excluded)."""
    with path.open(encoding="utf-8") as fh:
        return sum(1 for line in fh if line.strip()) - 1


def measure(corpus: Path = CORPUS, expected: Path = EXPECTED) -> Report:
    rows = read_expected(expected)
    by_file: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        by_file[r.file].append(r)
    outcomes: list[Outcome] = []
    sys_findings: list[str] = []
    for name, marks in sorted(by_file.items()):
        result = check_file(corpus / name, CheckOptions(use_config=False))
        fields = column_fields(corpus / name)
        reported: dict[int, dict[str, Severity]] = defaultdict(dict)
        for f in result.active:
            if f.code.startswith("SYS-"):
                sys_findings.append(f"{name}:{f.line} {f.code} {f.message_id}")
            if not in_scope(f.code, f.severity):
                continue
            for key in (f.code, f"{f.code}@{fields.get(f.column, '?')}"):
                seen = reported[f.line].get(key)
                if seen is None or f.severity > seen:
                    reported[f.line][key] = f.severity
        for mark in marks:
            got = reported.get(mark.row, {})
            o = Outcome(name, mark.row, mark.groups, got)
            for g in mark.groups:
                (o.hits if g & got.keys() else o.misses).append(g)
            o.reported = {c: s for c, s in got.items() if "@" not in c}
            outcomes.append(o)
    return Report(outcomes, sys_findings)


def _label(group: frozenset[str]) -> str:
    return "|".join(sorted(group))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--misses", action="store_true", help="list missed defects and false alarms")
    args = ap.parse_args(argv)
    rep = measure()

    print(f"{'file':32} {'rows':>4} {'defects':>7} {'found':>5} {'recall':>6} {'ok rows':>7} {'false':>5}")
    files = sorted({o.file for o in rep.outcomes})
    for name in files:
        outs = [o for o in rep.outcomes if o.file == name]
        d = sum(len(o.expected) for o in outs)
        h = sum(len(o.hits) for o in outs)
        ok = [o for o in outs if o.ok]
        fa = [o for o in ok if o.serious]
        rec = f"{h / d:.2f}" if d else "-"
        print(f"{name:32} {len(outs):>4} {d:>7} {h:>5} {rec:>6} {len(ok):>7} {len(fa):>5}")
    print(f"{'TOTAL':32} {len(rep.outcomes):>4} {rep.defects:>7} {rep.found:>5} {rep.recall:>6.2f} "
          f"{len(rep.ok_rows):>7} {len(rep.false_alarm_rows):>5}")
    print(f"\nrecall {rep.recall:.3f}   false alarms {rep.false_alarm_rate:.1%} "
          f"({len(rep.false_alarm_rows)} of {len(rep.ok_rows)} correct rows)   SYS findings {len(rep.sys_findings)}")

    per_code: dict[str, Counter[str]] = defaultdict(Counter)
    for o in rep.outcomes:
        for g in o.hits:
            per_code[_label(g)]["found"] += 1
        for g in o.misses:
            per_code[_label(g)]["missed"] += 1
        if o.ok:
            for c in o.serious:
                per_code[c]["false"] += 1
    print(f"\n{'code':18} {'found':>5} {'missed':>6} {'recall':>6} {'false alarms':>12}")
    for code in sorted(per_code):
        c = per_code[code]
        n = c["found"] + c["missed"]
        rec = f"{c['found'] / n:.2f}" if n else "-"
        print(f"{code:18} {c['found']:>5} {c['missed']:>6} {rec:>6} {c['false']:>12}")

    if args.misses:
        print("\nmissed:")
        for o in rep.outcomes:
            for g in o.misses:
                print(f"  {o.file}:{o.row} {_label(g)}  (reported: {', '.join(sorted(o.reported)) or '-'})")
        print("false alarms:")
        for o in rep.false_alarm_rows:
            print(f"  {o.file}:{o.row} {', '.join(o.serious)}")
        print("extra warnings on rows with other defects (not counted):")
        for o in rep.outcomes:
            if not o.ok and o.extras:
                print(f"  {o.file}:{o.row} {', '.join(o.extras)}")
        for s in rep.sys_findings:
            print(f"  SYS: {s}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
