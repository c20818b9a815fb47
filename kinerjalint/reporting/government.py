"""The government page of the inspectorate report: the cascade, the CAS matrix, the crosscutting pairs.

Built from the results of ``check --pemda`` (:func:`kinerjalint.api.check_government`): the
Pemda file's result and the agencies' results. The links are those the CAS rules read
(:class:`kinerjalint.government.Government`); an outcome without ``sasaran_pemda`` is drawn
under the sasaran nearest by content, marked as such. Plain values only, like
:mod:`.digest`; each format escapes them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kinerjalint.dsl.functions.government import condition_in
from kinerjalint.dsl.functions.tree import best_match
from kinerjalint.dsl.registry import EvalContext
from kinerjalint.government import Government, Sasaran
from kinerjalint.reporters import printable

if TYPE_CHECKING:
    from kinerjalint.results import CheckResult

__all__ = ["GovernmentView", "government_view"]

NEAREST = 50  # the threshold CAS-01 and CAS-02 use for "supports by content"
MAX_PAIRS = 300


@dataclass(frozen=True)
class SupportView:
    agency: str
    anchor: str
    node: str
    statement: str
    linked: bool  # by sasaran_pemda; otherwise nearest by content


@dataclass(frozen=True)
class SasaranView:
    id: str
    statement: str
    indicators: tuple[str, ...]
    supporters: tuple[SupportView, ...]
    kind: str  # clean | warning (no supporter)


@dataclass(frozen=True)
class TujuanView:
    id: str
    statement: str
    sasaran: tuple[SasaranView, ...]


@dataclass(frozen=True)
class MatrixRow:
    agency: str
    anchor: str
    counts: tuple[int, ...]
    score_text: str
    predikat: str
    predikat_kind: str


@dataclass(frozen=True)
class PairView:
    agency: str
    anchor: str
    node: str
    statement: str
    partner: str
    partner_anchor: str
    partner_node: str
    state: str  # mutual | one-sided | missing


@dataclass(frozen=True)
class GovernmentView:
    pemda: str
    source: str
    tujuan: tuple[TujuanView, ...]
    unlinked: tuple[SupportView, ...]  # outcomes that support no sasaran
    codes: tuple[str, ...]
    matrix: tuple[MatrixRow, ...]
    pemda_counts: tuple[int, ...]
    pairs: tuple[PairView, ...]


def _kinerja(x: Any) -> Any:
    return x.kinerja


def government_view(pemda_result: CheckResult, results: Sequence[CheckResult], anchors: Sequence[str],
                    grades: Sequence[tuple[str, str, str]]) -> GovernmentView | None:
    """The page; ``anchors`` and ``grades`` (score text, predikat, its CSS kind) are the agencies'
    in the order of ``results``."""
    pemda = pemda_result.pemda
    if pemda is None:
        return None
    with_tree = [(r, a, g) for r, a, g in zip(results, anchors, grades) if r.tree is not None]
    gov = Government(pemda, [r.tree for r, _a, _g in with_tree if r.tree is not None])
    anchor_of = {id(ag): a for ag, (_r, a, _g) in zip(gov.agencies, with_tree)}
    ctx = EvalContext()
    support: dict[int, list[SupportView]] = {}
    unlinked: list[SupportView] = []
    for n in gov.outcomes:
        linked = gov.sasaran_of(n) if n.sasaran_pemda else None
        target = linked if linked is not None else (
            None if n.sasaran_pemda else best_match(ctx, n.kinerja, gov.sasaran, _kinerja, NEAREST))
        agency = n.agency
        view = SupportView(printable(agency.name), anchor_of.get(id(agency), ""), printable(n.id),
                           printable(n.kinerja), linked is not None)
        if isinstance(target, Sasaran) and target.level == "sasaran":
            support.setdefault(id(target), []).append(view)
        else:
            unlinked.append(view)

    def sasaran_view(s: Sasaran) -> SasaranView:
        sup = tuple(support.get(id(s), ()))
        return SasaranView(printable(s.id), printable(s.kinerja), tuple(printable(i.nama) for i in s.indikator), sup,
                           "clean" if sup else "warning")

    tujuan = [TujuanView(printable(t.id), printable(t.kinerja), tuple(sasaran_view(s) for s in t.children
                                                                      if s.level == "sasaran"))
              for t in pemda.tujuan]
    top = [s for s in pemda.sasaran if s.tujuan is None]
    if top:
        tujuan.append(TujuanView("", "", tuple(sasaran_view(s) for s in top)))
    rb = pemda_result.rulebook
    codes = tuple(r.code for r in rb.rules if r.group == "CAS") if rb is not None else ()
    matrix = []
    for r, a, (score, predikat, kind) in zip(results, anchors, grades):
        c = Counter(f.code for f in r.active if f.code in codes)
        name = printable(r.tree.instansi or r.source) if r.tree is not None and r.tree.instansi else printable(r.source)
        matrix.append(MatrixRow(name, a, tuple(c[k] for k in codes), score, predikat, kind))
    pc = Counter(f.code for f in pemda_result.active if f.code in codes)
    return GovernmentView(printable(pemda.pemda or pemda.source), printable(pemda.source), tuple(tujuan),
                          tuple(unlinked), codes, tuple(matrix), tuple(pc[k] for k in codes),
                          tuple(_pairs(gov, ctx, anchor_of)))


def _pairs(gov: Government, ctx: EvalContext, anchor_of: dict[int, str]) -> list[PairView]:
    """Each condition naming another agency as partner, with what that agency holds."""
    out: list[PairView] = []
    seen: set[tuple[int, int]] = set()
    for n in gov.conditions:
        for b in gov.partners(n):
            match = condition_in(ctx, b, n.kinerja, NEAREST)
            if match is not None and (id(match), id(n)) in seen:
                continue  # the other side of a pair already listed
            state = "missing" if match is None else "mutual" if n.agency in gov.partners(match) else "one-sided"
            if match is not None:
                seen.add((id(n), id(match)))
            out.append(PairView(printable(n.agency.name), anchor_of.get(id(n.agency), ""), printable(n.id),
                                printable(n.kinerja), printable(b.name), anchor_of.get(id(b), ""),
                                printable(match.id) if match is not None else "", state))
            if len(out) >= MAX_PAIRS:
                return out
    return out
