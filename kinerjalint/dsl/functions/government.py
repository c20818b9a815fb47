"""The whole government: links between the Pemda tree and the agencies, and indexes across agencies.

Every function takes the ``government`` object (see :mod:`kinerjalint.government`) of a
``kinerjalint check --pemda`` run. Those marked ``ctx`` build their index once per run in
the evaluation context, over all agencies at once: a CAS rule asking "which other agency
holds this condition" costs one pass over the conditions, never one per pair of agencies.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from kinerjalint.dsl.functions.text import normalise_text
from kinerjalint.dsl.functions.tree import best_match, text_index, word_similarity
from kinerjalint.dsl.registry import Agency, EvalContext, Government, Indicator, Node, PemdaIndicator, Sasaran, fn


def _kinerja(x: Any) -> Any:
    """The key of the indexes below (one function object, so that the index caches hit)."""
    return x.kinerja


@fn("tujuan/sasaran Pemda yang ditunjuk node lewat sasaran_pemda (id, atau pernyataannya)")
def sasaran_of(government: Government, node: Node) -> Sasaran | None:
    return None if government is None or node is None else government.sasaran_of(node)


@fn("indikator Pemda yang ditunjuk indikator OPD lewat indikator_pemda (id atau nama)")
def pemda_indicator_of(government: Government, indicator: Indicator) -> PemdaIndicator | None:
    return None if government is None or indicator is None else government.pemda_indicator_of(indicator)


@fn("indikator OPD yang menunjuk indikator Pemda ini (urut OPD)")
def claims(government: Government, indicator: PemdaIndicator) -> list[Indicator]:
    return [] if government is None or indicator is None else list(government.claims(indicator))


@fn("OPD lain (dalam pemeriksaan ini) yang disebut node sebagai mitra: instansi, singkatan atau nama berkas")
def partners(government: Government, node: Node) -> list[Agency]:
    return [] if government is None or node is None else government.partners(node)


@fn("OPD (dalam pemeriksaan ini) yang disebut sebuah nama mitra, atau none")
def agency_named(government: Government, text: str | None) -> Agency | None:
    return None if government is None or not text else government.agency_named(text)


@fn("outcome OPD yang mendukung sasaran ini: ditautkan lewat sasaran_pemda, atau (tanpa tautan) sasaran "
    "terdekatnya menurut isi >= ambang; indeks sekali per pemeriksaan", ctx=True, cost=2)
def supporters(ctx: EvalContext, government: Government, sasaran: Sasaran, threshold: float) -> list[Node]:
    if government is None or sasaran is None:
        return []
    ck = ("supporters", id(government), threshold)
    table = ctx.cache.get(ck)
    if table is None:
        table = defaultdict(list)
        for n in government.outcomes:
            s = (government.sasaran_of(n) if n.sasaran_pemda
                 else best_match(ctx, n.kinerja, government.sasaran, _kinerja, threshold))
            if s is not None:
                table[id(s)].append(n)
        ctx.cache[ck] = table
    return list(table.get(id(sasaran), ()))


@fn("node OPD lain yang memegang kondisi yang sama (teks dinormalkan) atau mirip (>= ambang 0-100); "
    "indeks berblok atas kondisi semua OPD, dibangun sekali", ctx=True, cost=5)
def held_elsewhere(ctx: EvalContext, government: Government, node: Node, threshold: float) -> list[Node]:
    if government is None or node is None or not node.kinerja:
        return []
    ck = ("held-elsewhere", id(government), threshold)
    table = ctx.cache.get(ck)
    if table is None:
        table = ctx.cache[ck] = _cross_agency_pairs(government.conditions, threshold)
    return list(table.get(id(node), ()))


def _cross_agency_pairs(nodes: Sequence[Any], threshold: float, block_tokens: int = 3,
                        max_candidates: int = 100) -> dict[int, list[Any]]:
    """Pairs of conditions of different agencies that are the same (normalised) or similar.

    Like the tree-wide ``similar`` index: each text is blocked on its three rarest words (a
    word in more than ``max_candidates`` texts names no block), so the work grows with the
    number of conditions, not with pairs; pairs within one agency, and pairs whose word counts
    alone rule the threshold out, are skipped before any text is compared.
    """
    from rapidfuzz import fuzz, process

    texts = [normalise_text(n.kinerja or "") for n in nodes]
    out: dict[int, list[Any]] = defaultdict(list)
    same: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(texts):
        if t:
            same[t].append(i)
    for group in same.values():
        for a in group:
            for b in group:
                if a != b and nodes[a].agency is not nodes[b].agency:
                    out[id(nodes[a])].append(nodes[b])
    toks = [t.split() for t in texts]
    df: Counter[str] = Counter()
    for ws in toks:
        df.update(set(ws))
    postings: dict[str, list[int]] = defaultdict(list)
    blocks: list[list[str]] = []
    for i, ws in enumerate(toks):
        rare = sorted({w for w in ws if df[w] <= max_candidates}, key=lambda w: (df[w], w))[:block_tokens]
        blocks.append(rare)
        for w in rare:
            postings[w].append(i)
    agency_no = [n.agency.index if n.agency is not None else -1 for n in nodes]
    lengths = [len(ws) for ws in toks]
    for i, rare in enumerate(blocks):
        if not texts[i]:
            continue
        cands: set[int] = set()
        for w in rare:  # postings are in increasing order: the later texts of each block
            plist = postings[w]
            cands.update(plist[bisect_right(plist, i):])
        a, n_i = agency_no[i], lengths[i]
        keep = [j for j in cands if agency_no[j] != a and texts[j] and texts[j] != texts[i]
                and 200.0 * min(n_i, lengths[j]) / (n_i + lengths[j]) >= threshold]
        if not keep:
            continue
        # One C call scores every candidate cheaply; the word-level similarity only for those left.
        hits = process.extract(texts[i], [texts[j] for j in keep], scorer=fuzz.token_sort_ratio,
                               score_cutoff=threshold - 15, limit=None)
        for _text, _score, k in hits:
            j = keep[k]
            if word_similarity(texts[i], texts[j], threshold) >= threshold:
                out[id(nodes[i])].append(nodes[j])
                out[id(nodes[j])].append(nodes[i])
    return out


def _statement(node: Any) -> str:
    return str(node.kinerja or "")


@fn("node OPD ini yang kondisinya sama atau mirip dengan teks (>= ambang 0-100), atau none; "
    "indeks kata sekali per OPD, calon yang paling banyak berbagi kata diperiksa lebih dulu", ctx=True, cost=2)
def condition_in(ctx: EvalContext, agency: Agency, text: str | None, threshold: float) -> Node | None:
    if agency is None or not text:
        return None
    exact, postings, texts = text_index(ctx, ("condition-in", id(agency.nodes)), agency.nodes, _statement)
    norm = normalise_text(text)
    if norm in exact:
        return exact[norm]
    words = [postings[w] for w in set(norm.split()) if w in postings]
    # Words most of the agency's conditions share ("di", "meningkatnya") pick no candidate.
    common = max(50, len(texts) // 4)
    words = [p for p in words if len(p) <= common] or words
    shared: dict[int, int] = defaultdict(int)
    for plist in words:
        for i in plist[:500]:
            shared[i] += 1
    # Most shared words first: the first candidate over the threshold is the answer, so a
    # partner that holds the condition costs one or two comparisons.
    for i in heapq.nlargest(20, shared, key=shared.__getitem__):
        if word_similarity(norm, texts[i], threshold) >= threshold:
            return agency.nodes[i]
    return None


@fn("OPD pemilik node atau indikator dalam daftar, masing-masing sekali, urut kemunculan")
def agencies_of(items: Any) -> list[Agency]:
    out: list[Any] = []
    for x in items or ():
        node = x.node if type(x).__name__ == "Indicator" else x
        a = getattr(node, "agency", None)
        if a is not None and a not in out:
            out.append(a)
    return out
