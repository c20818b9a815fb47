"""The Tahap 1-5 worksheet of the pohon kinerja workshops, as agencies fill it in Word.

The document is read as a sequence of blocks in document order: paragraphs and tables
(:class:`Block`). Its plain-text export (``.txt``: one line a paragraph, a table row as
tab-separated cells, blank lines inside a table allowed) is read here; ``.docx`` is read
into the same blocks by :mod:`.worksheet_docx`. Then, for both:

* stage headings ("Tahap 3", "TAHAP 3", "Tahap 3 :", "3. Tahap 3 ...", "Tahap III", and a
  heading naming the stage's work without its number, such as "TAHAP MENERJEMAHKAN POHON
  KINERJA ...") open a stage; every later block belongs to it;
* Tahap 1 gives the context (mandat, permasalahan, ekspektasi) and the outcome, the
  paragraph under a heading or label that names the outcome;
* the Tahap 2 table (CSF | kondisi yang diperlukan) gives the CSFs (a lone "crosscutting"
  line right under the table marks its last CSF, as the workshop sheets do);
* the Tahap 3 table (CSF | kondisi | keterangan) gives the hierarchy: a filled CSF cell
  opens a CSF (matched to Tahap 2 by its text), and each condition hangs under the
  nearest previous condition one level up, its level read from keterangan;
* the Tahap 4 table (rujukan tahapan | kinerja | indikator | keterangan) and the Tahap 5
  translation table (the same columns plus komponen and PK) give the indicators and the
  planning mapping, joined to the tree by statement text (Tahap 5's indicator where it
  restates one, as the agency carries it into planning, else Tahap 4's); both are kept as
  ``tabel.tahap4`` / ``tabel.tahap5``, so that the CON and NAM rules report where a stage
  drifts from the tree (a row that matches no node is CON-02).

Every value keeps its place as a :class:`~kinerjalint.span.Span` whose ``ref`` reads
"Tahap 3, tabel 1, baris 5, kolom 2" (rows counted below the header row, as the rule
messages count them; the header is "judul kolom 2") or "Tahap 1, paragraf 7" (non-empty paragraphs after the
stage heading), and whose line is the line of the text export. Nothing here raises for
bad input: a missing Tahap 3 table, a stage without its table or a document that is no
worksheet at all become SYS-01 problems at the place where the content was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kinerjalint.levels import Level, parse_level
from kinerjalint.loaders.base import DictLocator, LoadResult, Problem, finish
from kinerjalint.loaders.columns import norm, recognise
from kinerjalint.loaders.tables import Grid, Spans, build_rows
from kinerjalint.loaders.worksheet_blocks import (
    HEADING,
    LIST_ITEM,
    Block,
    Place,
    Stages,
    assign_stages,
    blocks_of_text,
    cell_span,
    looks_like_worksheet,
    paragraph_span,
    stage_of_heading,
)
from kinerjalint.span import Span

__all__ = ["HEADING", "LIST_ITEM", "MATCH_THRESHOLD", "Block", "blocks_of_text", "build_document",
           "load_worksheet_text", "looks_like_worksheet", "stage_of_heading"]

MATCH_THRESHOLD = 85.0  # statement similarity (0-100) that joins a Tahap 4/5 row to a tree node

_LABEL_PREFIX = re.compile(r"^\s*(?:[a-e]|\d{1,2})\s*[.)]?\s+(?=\S)", re.IGNORECASE)
_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("mandat", re.compile(r"^(mandat|tugas dan fungsi|tugas pokok|tupoksi|dasar hukum)")),
    ("permasalahan", re.compile(r"^(permasalahan|masalah|isu strategis|isu)")),
    ("ekspektasi", re.compile(r"^(ekspektasi|harapan)")),
    ("outcome", re.compile(r"^(outcome|tujuan)")),
)
_CROSSCUTTING = {"crosscutting", "cross cutting", "crosscuting", "lintas sektor", "lintas sektoral"}


def load_worksheet_text(text: str, source: str) -> LoadResult:
    result = LoadResult(source=source, text=text, fmt="worksheet")
    return build_document(blocks_of_text(text), result)


# -- one stage at a time ------------------------------------------------------------------


def _sys01(span: Span | None, detail: str, detail_en: str) -> Problem:
    return Problem("SYS-01", span, {"detail": detail, "detail_en": detail_en})


def _table_kind(block: Block, stage: int) -> int | None:
    """Which stage's table this is: by its header cells, then by the stage it sits in."""
    assert block.rows is not None
    header = " | ".join(norm(c) for c in block.rows[0]) if block.rows else ""
    if "indikator" in header:
        komponen = any(norm(c).startswith(("komponen", "pk")) for c in block.rows[0])
        return 5 if stage == 5 or komponen else 4
    if stage in (2, 3, 4, 5):  # a Tahap 4/5 table without an indicator column is reported as such
        return stage
    if "keterangan" in header and "kondisi" in header:
        return 3
    if "csf" in header or "kondisi yang diperlukan" in header:
        return 2
    return None


def _similarity(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return float(fuzz.ratio(_fold(a), _fold(b)))


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w/]+", " ", text.casefold()).split())


@dataclass
class _Node:
    level: str | None
    kinerja: str
    span: Span
    level_span: Span | None = None
    id: str | None = None
    masalah: tuple[str, Span] | None = None
    keterangan: tuple[str, Span] | None = None
    crosscutting: Span | None = None
    indicators: list[tuple[str, Span]] = field(default_factory=list)
    mapping: dict[str, tuple[str, Span]] = field(default_factory=dict)
    children: list[_Node] = field(default_factory=list)
    parent: _Node | None = None


class _Reader:
    def __init__(self, stages: Stages, result: LoadResult) -> None:
        self.stages = stages
        self.result = result
        self.problems: list[Problem] = []
        self.tahap1: dict[str, list[tuple[str, Span]]] = {}
        self.outcome: _Node | None = None
        self.csfs: list[_Node] = []
        self.tables: dict[str, tuple[list[dict[str, Any]], Spans]] = {}
        self.seen_tables: dict[int, tuple[Block, Place]] = {}

    # Tahap 1 ---------------------------------------------------------------------
    def tahap1_blocks(self) -> None:
        section: str | None = None
        outcome_sections: list[list[tuple[str, Span]]] = []
        for b, place in self.stages.blocks:
            if place.stage != 1 or b.is_table:
                continue
            if place.index == 0:  # a Tahap 1 heading: "menentukan outcome ..."
                if "outcome" in b.text.casefold():
                    section = "outcome"
                    outcome_sections.append([])
                continue
            text = b.text
            label = _label(text)
            if label is not None:  # "b Permasalahan yang dihadapi", "Outcome: Meningkatnya ..."
                section = label
                if label == "outcome":
                    outcome_sections.append([])
                text = _label_rest(text)
                if not text:
                    continue
            if section == "outcome":
                if not outcome_sections:
                    outcome_sections.append([])
                outcome_sections[-1].append((text, paragraph_span(b, place)))
            elif section is not None:
                self.tahap1.setdefault(section, []).append((text, paragraph_span(b, place)))
        filled = [s for s in outcome_sections if s]
        if filled:  # the first paragraph under the last heading or label naming the outcome
            text, span = filled[-1][0]
            self.outcome = _Node(Level.outcome.name, text, span, id="0")

    # Tahap 2 ---------------------------------------------------------------------
    def tahap2_table(self, b: Block, place: Place, after: Block | None) -> None:
        assert b.rows is not None
        header = [norm(c) for c in b.rows[0]]
        kinerja_c = next((c for c, h in enumerate(header) if "kondisi" in h), None)
        masalah_c = next((c for c, h in enumerate(header) if "csf" in h and c != kinerja_c), None)
        start = 1
        if kinerja_c is None:  # no header row: number | CSF | kondisi, or number | kondisi
            start = 0
            width = max(len(r) for r in b.rows)
            kinerja_c = width - 1
            masalah_c = width - 2 if width >= 3 else None
        for r in range(start, len(b.rows)):
            row = b.rows[r]
            text = row[kinerja_c] if kinerja_c < len(row) else ""
            if not text:
                continue
            number = next((v for c, v in enumerate(row) if c not in (kinerja_c, masalah_c)
                           and re.fullmatch(r"\d{1,3}[.)]?", v)), None)
            node = _Node(Level.csf.name, text, cell_span(b, place, r, kinerja_c),
                         id=number.rstrip(".)") if number else None)
            if masalah_c is not None and masalah_c < len(row) and row[masalah_c]:
                node.masalah = (row[masalah_c], cell_span(b, place, r, masalah_c))
            self.csfs.append(node)
        if after is not None and not after.is_table and norm(after.text) in _CROSSCUTTING and self.csfs:
            self.csfs[-1].crosscutting = cell_span(b, place, len(b.rows) - 1, kinerja_c)

    # Tahap 3 ---------------------------------------------------------------------
    def tahap3_table(self, b: Block, place: Place) -> None:
        """CSF | kondisi | keterangan (the level), or one column per level (CSF | kondisi
        antara utama | kondisi antara | kondisi operasional), the other layout in use."""
        assert b.rows is not None
        header = [norm(c) for c in b.rows[0]]
        has_header = any("kondisi" in h or "keterangan" in h or "csf" in h for h in header)
        csf_c = next((c for c, h in enumerate(header) if "csf" in h), 0)
        by_level = {c: lvl for c, h in enumerate(header)
                    if c != csf_c and (lvl := parse_level(h)) is not None and lvl >= Level.antara_utama}
        ket_c = next((c for c, h in enumerate(header) if h.startswith(("keterangan", "level", "jenis"))), None)
        width = max(len(r) for r in b.rows)
        if ket_c is None:
            ket_c = width - 1
        kondisi_c = next((c for c, h in enumerate(header) if "kondisi" in h and c not in (csf_c, ket_c)),
                         next((c for c in range(width) if c not in (csf_c, ket_c)), 1))
        rows_out: list[dict[str, Any]] = []
        spans: Spans = {}
        current: _Node | None = None
        stack: dict[int, _Node] = {}
        for r in range(1 if has_header else 0, len(b.rows)):
            row = b.rows[r]

            def cell(c: int, row: list[str] = row) -> str:
                return row[c] if c < len(row) else ""

            csf_text = cell(csf_c)
            if csf_text and (current is None or _fold(csf_text) != _fold(current.kinerja)):
                current = self._csf_for(csf_text, cell_span(b, place, r, csf_c))
                stack = {int(Level.csf): current}
                self._table_row(rows_out, spans, "tahap 2", csf_text, cell_span(b, place, r, csf_c), None, None)
            # (statement column, level text, where the level is written) of each condition on the row
            found: list[tuple[int, str, Span | None]] = []
            if len(by_level) >= 2:
                for c, lvl in by_level.items():
                    same = stack.get(int(lvl))
                    if cell(c) and not (same is not None and _fold(same.kinerja) == _fold(cell(c))):
                        found.append((c, b.rows[0][c], cell_span(b, place, 0, c)))
            elif cell(kondisi_c):
                ket = cell(ket_c)
                found.append((kondisi_c, ket, cell_span(b, place, r, ket_c) if ket else None))
            for c, ket, ket_span in found:
                if current is None:
                    current = self._csf_for("", cell_span(b, place, r, c))
                    stack = {int(Level.csf): current}
                self._condition(b, place, r, c, ket, ket_span, current, stack)
                self._table_row(rows_out, spans, "tahap 3", cell(c), cell_span(b, place, r, c), ket, ket_span)
        if rows_out:
            self.tables["tahap3"] = (rows_out, spans)

    def _condition(self, b: Block, place: Place, r: int, c: int, ket: str, ket_span: Span | None,
                   csf: _Node, stack: dict[int, _Node]) -> None:
        """One condition of the Tahap 3 table, under the nearest previous condition one level up."""
        assert b.rows is not None
        level = parse_level(ket)
        node = _Node(level.name if level is not None else (ket or None), b.rows[r][c], cell_span(b, place, r, c),
                     level_span=ket_span)
        if ket and ket_span is not None and ket_span.ref and "judul kolom" not in ket_span.ref:
            node.keterangan = (ket, ket_span)
        parent = csf
        if level is not None:
            rank = int(level)
            parent = next((stack[k] for k in range(rank - 1, 0, -1) if k in stack), csf)
            for deeper in [k for k in stack if k >= rank]:
                del stack[deeper]
            stack[rank] = node
        node.parent = parent
        parent.children.append(node)

    def _table_row(self, rows: list[dict[str, Any]], spans: Spans, tahap: str, kinerja: str, span: Span,
                   ket: str | None, ket_span: Span | None) -> None:
        path = ("tabel", "tahap3", len(rows))
        row: dict[str, Any] = {"tahap": tahap, "kinerja": kinerja}
        spans[path] = spans[path + ("kinerja",)] = spans[path + ("tahap",)] = span
        if ket:
            row["keterangan"] = ket
            if ket_span is not None:
                spans[path + ("keterangan",)] = ket_span
        rows.append(row)

    def _csf_for(self, text: str, span: Span) -> _Node:
        """The Tahap 2 CSF a Tahap 3 CSF cell names; a new CSF when Tahap 2 has none like it."""
        if text:
            scored = [(_similarity(text, c.kinerja), i) for i, c in enumerate(self.csfs)]
            best = max(scored, default=(0.0, -1))
            if best[0] >= MATCH_THRESHOLD:
                return self.csfs[best[1]]
        node = _Node(Level.csf.name, text, span)
        self.csfs.append(node)
        return node

    # Tahap 4 and 5 ------------------------------------------------------------------
    def indicator_table(self, b: Block, place: Place, name: str) -> None:
        assert b.rows is not None
        grid = Grid(f"{place.stage_text()}, tabel {place.index}", b.rows,
                    lambda r, c: cell_span(b, place, r, c))
        cols = recognise(grid.rows, 0)
        if cols.missing():
            found = ", ".join(f"'{n}'" for n in cols.names) or "(tidak ada)"
            self.problems.append(_sys01(cell_span(b, place, 0, 0),
                                        f"tabel {name.replace('tahap', 'Tahap ')} tanpa kolom "
                                        f"{' dan '.join(repr(m) for m in cols.missing())}; kolom yang ada: {found}",
                                        f"the {name.replace('tahap', 'Tahap ')} table lacks the column(s) "
                                        f"{', '.join(repr(m) for m in cols.missing())}; columns present: {found}"))
            return
        base = ("tabel", name)
        rows, spans = build_rows(grid, cols, base)
        if name in self.tables:  # a second table of the same stage continues the first
            prev_rows, prev_spans = self.tables[name]
            offset = len(prev_rows)
            prev_spans.update({base + (p[2] + offset,) + p[3:] if len(p) > 2 and isinstance(p[2], int) else p: s
                               for p, s in spans.items()})
            prev_rows.extend(rows)
        elif rows:
            spans[base] = cell_span(b, place, 0, 0)
            self.tables[name] = (rows, spans)

    # the whole document ---------------------------------------------------------------
    def read(self) -> None:
        self.tahap1_blocks()
        blocks = self.stages.blocks
        kinds: dict[int, list[tuple[Block, Place]]] = {}
        for i, (b, place) in enumerate(blocks):
            if not b.is_table or not b.rows:
                continue
            kind = _table_kind(b, place.stage)
            if kind is None:
                continue
            kinds.setdefault(kind, []).append((b, place))
            if kind == 2:
                after = blocks[i + 1][0] if i + 1 < len(blocks) else None
                self.tahap2_table(b, place, after)
        for b, place in kinds.get(3, []):
            self.tahap3_table(b, place)
        for kind in (4, 5):
            for b, place in kinds.get(kind, []):
                self.indicator_table(b, place, f"tahap{kind}")
        self.seen_tables = {k: v[0] for k, v in kinds.items()}

    def expected_at(self, stage: int) -> Span:
        """Where a stage's missing content belongs: its heading, else the end of the document."""
        if stage in self.stages.headings:
            b, place = self.stages.headings[stage]
            return paragraph_span(b, place)
        earlier = [p for p in self.stages.blocks if p[1].stage < stage]
        b, place = (earlier or self.stages.blocks)[-1]
        span = paragraph_span(b, place) if not b.is_table else cell_span(b, place, len(b.rows or [[]]) - 1, 0)
        return Span(span.line, span.column, span.end_line, span.end_column,
                    ref=f"Tahap {stage} (tidak ada; setelah {span.ref})")


def _label(text: str) -> str | None:
    low = _LABEL_PREFIX.sub("", text).casefold()
    if len(text) > 100:
        return None
    return next((name for name, pattern in _LABELS if pattern.match(low)), None)


def _label_rest(text: str) -> str:
    """The text after a label's colon ("Permasalahan: Konflik Sosial" -> "Konflik Sosial")."""
    head, sep, rest = text.partition(":")
    return rest.strip() if sep else ""


# -- joining the stages ------------------------------------------------------------------


def _outcome_of_tables(tables: dict[str, tuple[list[dict[str, Any]], Spans]]) -> _Node | None:
    """Without an outcome paragraph in Tahap 1: the outcome row ("tahap 1") of Tahap 5 or 4."""
    for name in ("tahap5", "tahap4"):
        rows, spans = tables.get(name, ([], {}))
        for i, row in enumerate(rows):
            if row.get("level") == Level.outcome.name and row.get("kinerja"):
                span = spans.get(("tabel", name, i, "kinerja")) or Span(1, 1, 1, 1)
                return _Node(Level.outcome.name, row["kinerja"], span, id="0")
    return None


def _all_nodes(root: _Node) -> list[_Node]:
    out, stack = [], [root]
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(reversed(n.children))
    return out


def _join_rows(nodes: list[_Node], rows: list[dict[str, Any]], spans: Spans, name: str, take: str,
               keep: frozenset[int] = frozenset()) -> None:
    """Give each table row's indicator (``take`` 'indikator') or mapping ('pemetaan') to
    the tree node whose statement it repeats (same level preferred); nodes whose id() is in
    ``keep`` already have theirs and are matched, but not given more."""
    texts = [_fold(n.kinerja) for n in nodes]
    exact: dict[str, list[_Node]] = {}
    for text, n in zip(texts, nodes):
        exact.setdefault(text, []).append(n)
    for i, row in enumerate(rows):
        kinerja = row.get("kinerja", "")
        if not kinerja:
            continue
        level = row.get("level") or (lvl.name if (lvl := parse_level(row.get("tahap"))) else None)
        candidates = exact.get(_fold(kinerja))
        if candidates:
            best = next((n for n in candidates if n.level == level), candidates[0])
        else:
            from rapidfuzz import fuzz, process

            # The few closest statements (C speed), then the same level first.
            near = process.extract(_fold(kinerja), texts, scorer=fuzz.ratio, processor=None,
                                   score_cutoff=MATCH_THRESHOLD - 1, limit=5)
            ranked = sorted(((score + (1.0 if nodes[k].level == level else 0.0), -k) for _t, score, k in near),
                            reverse=True)  # best score first; among equals, the earlier node
            if not ranked or ranked[0][0] < MATCH_THRESHOLD:
                continue  # CON-02 reports the row
            best = nodes[-ranked[0][1]]
        path = ("tabel", name, i)
        if id(best) in keep:
            continue
        if take == "indikator" and row.get("indikator"):
            best.indicators.append((row["indikator"], spans.get(path + ("indikator",), best.span)))
        elif take == "pemetaan":
            for key, fld in (("komponen", "komponen"), ("pemilik", "pk")):
                if row.get(fld) and key not in best.mapping:
                    best.mapping[key] = (row[fld], spans.get(path + (fld,), best.span))


def _node_data(n: _Node, path: tuple[str | int, ...], spans: Spans) -> dict[str, Any]:
    d: dict[str, Any] = {}
    if n.id:
        d["id"] = n.id
    if n.level is not None:
        d["level"] = n.level
    if n.level_span is not None:
        spans[path + ("level",)] = n.level_span
    d["kinerja"] = n.kinerja
    spans[path] = spans[path + ("kinerja",)] = n.span
    if n.indicators:
        d["indikator"] = [{"nama": text} for text, _ in n.indicators]
        spans[path + ("indikator",)] = n.indicators[0][1]
        for j, (_, s) in enumerate(n.indicators):
            spans[path + ("indikator", j)] = spans[path + ("indikator", j, "nama")] = s
    if n.keterangan is not None:
        d["keterangan"] = n.keterangan[0]
        spans[path + ("keterangan",)] = n.keterangan[1]
    if n.masalah is not None:
        d["masalah"] = n.masalah[0]
        spans[path + ("masalah",)] = n.masalah[1]
    if n.crosscutting is not None:
        d["crosscutting"] = True
        spans[path + ("crosscutting",)] = n.crosscutting
    if n.mapping:
        d["pemetaan"] = {k: v for k, (v, _) in n.mapping.items()}
        for k, (_, s) in n.mapping.items():
            spans[path + ("pemetaan", k)] = s
            spans.setdefault(path + ("pemetaan",), s)
    if n.children:
        d["anak"] = [_node_data(c, path + ("anak", i), spans) for i, c in enumerate(n.children)]
        spans[path + ("anak",)] = n.children[0].span
    return d


def build_document(blocks: list[Block], result: LoadResult) -> LoadResult:
    """The submission of a worksheet's blocks (from the text export or from Word)."""
    stages = assign_stages(blocks)
    reader = _Reader(stages, result)
    reader.read()
    start = Span(1, 1, 1, 1, ref="Awal dokumen")
    if not stages.headings and not reader.seen_tables:
        result.problems.append(_sys01(start,
                                      "dokumen ini bukan lembar kerja pohon kinerja: tidak ada judul Tahap 1-5 "
                                      "maupun tabel CSF, uraian kondisi (Tahap 3) atau indikator (Tahap 4)",
                                      "this document is not a performance tree worksheet: no Tahap 1-5 heading "
                                      "and no CSF, Tahap 3 condition or Tahap 4 indicator table"))
        return result
    problems = reader.problems
    if 3 not in reader.seen_tables:
        only = sorted(stages.headings)
        problems.append(_sys01(reader.expected_at(3),
                               "tabel uraian Tahap 3 (kolom 'CSF', 'Kondisi yang diperlukan', 'keterangan') tidak "
                               "ditemukan" + (f"; dokumen hanya memuat Tahap {', '.join(map(str, only))}" if only else ""),
                               "the Tahap 3 table (columns 'CSF', 'Kondisi yang diperlukan', 'keterangan') was not "
                               "found" + (f"; the document holds only Tahap {', '.join(map(str, only))}" if only else "")))
    if reader.outcome is None:
        reader.outcome = _outcome_of_tables(reader.tables)
    if reader.outcome is None:
        problems.append(_sys01(reader.expected_at(1),
                               "outcome Tahap 1 tidak ditemukan (paragraf di bawah judul atau label 'outcome')",
                               "the Tahap 1 outcome was not found (a paragraph under a heading or label 'outcome')"))
        if not reader.csfs:
            result.problems.extend(problems)
            return result
    root = reader.outcome or _Node(Level.outcome.name, "", reader.expected_at(1), id="0")
    for csf in reader.csfs:
        csf.parent = root
        root.children.append(csf)
    nodes = _all_nodes(root)
    # Indicators come from the last stage that states them: Tahap 5 restates each condition
    # with the indicator the agency carries into planning; Tahap 4 gives the rest. The Tahap 4
    # table stays in the submission, so the CON and NAM rules report where it drifts.
    if "tahap5" in reader.tables:
        _join_rows(nodes, *reader.tables["tahap5"], "tahap5", "pemetaan")
        _join_rows(nodes, *reader.tables["tahap5"], "tahap5", "indikator")
    if "tahap4" in reader.tables:
        _join_rows(nodes, *reader.tables["tahap4"], "tahap4", "indikator",
                   frozenset(id(n) for n in nodes if n.indicators))
    spans: Spans = {(): start}
    data: dict[str, Any] = {"pohon": _node_data(root, ("pohon",), spans)}
    if reader.tahap1:
        data["tahap1"] = {k: [t for t, _ in v] for k, v in reader.tahap1.items()}
        for k, items in reader.tahap1.items():
            spans.setdefault(("tahap1",), items[0][1])
            spans[("tahap1", k)] = items[0][1]
            for j, (_, s) in enumerate(items):
                spans[("tahap1", k, j)] = s
    if reader.tables:
        data["tabel"] = {name: rows for name, (rows, _) in reader.tables.items()}
        for _, (_, table_spans) in reader.tables.items():
            spans.update(table_spans)
    result.problems.extend(problems)
    return finish(result, data, DictLocator(spans))
