"""The whole government: links between the Pemda tree and the agencies, and indexes across agencies.

Every function takes the ``government`` object (see :mod:`kinerjalint.government`) of a
``kinerjalint check --pemda`` run. Those marked ``ctx`` build their index once per run in
the evaluation context, over all agencies at once: a CAS rule asking "which other agency
holds this condition" costs one pass over the conditions, never one per pair of agencies.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from typing import Any

from kinerjalint.dsl.functions.text import normalise_text
from kinerjalint.dsl.functions.tree import best_match, similar, word_similarity
from kinerjalint.dsl.registry import EvalContext, fn


def _kinerja(x: Any) -> Any:
    """The key of the indexes below (one function object, so that the index caches hit)."""
    return x.kinerja


@fn("government,node", "sasaran?", "tujuan/sasaran Pemda yang ditunjuk node lewat sasaran_pemda (id, atau pernyataannya)")
def sasaran_of(government: Any, node: Any) -> Any:
    return None if government is None or node is None else government.sasaran_of(node)


@fn("government,indicator", "pindicator?", "indikator Pemda yang ditunjuk indikator OPD lewat indikator_pemda (id atau nama)")
def pemda_indicator_of(government: Any, indicator: Any) -> Any:
    return None if government is None or indicator is None else government.pemda_indicator_of(indicator)


@fn("government,pindicator", "list[indicator]", "indikator OPD yang menunjuk indikator Pemda ini (urut OPD)")
def claims(government: Any, indicator: Any) -> list[Any]:
    return [] if government is None or indicator is None else list(government.claims(indicator))


@fn("government,node", "list[agency]", "OPD lain (dalam pemeriksaan ini) yang disebut node sebagai mitra: instansi, singkatan atau nama berkas")
def partners(government: Any, node: Any) -> list[Any]:
    return [] if government is None or node is None else government.partners(node)


@fn("government,str?", "agency?", "OPD (dalam pemeriksaan ini) yang disebut sebuah nama mitra, atau none")
def agency_named(government: Any, text: str | None) -> Any:
    return None if government is None or not text else government.agency_named(text)


@fn("government,sasaran,num", "list[node]",
    "outcome OPD yang mendukung sasaran ini: ditautkan lewat sasaran_pemda, atau (tanpa tautan) sasaran "
    "terdekatnya menurut isi >= ambang; indeks sekali per pemeriksaan", ctx=True, cost=2)
def supporters(ctx: EvalContext, government: Any, sasaran: Any, threshold: float) -> list[Any]:
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


@fn("government,node,num", "list[node]",
    "node OPD lain yang memegang kondisi yang sama (teks dinormalkan) atau mirip (>= ambang 0-100); "
    "indeks berblok atas kondisi semua OPD, dibangun sekali", ctx=True, cost=5)
def held_elsewhere(ctx: EvalContext, government: Any, node: Any, threshold: float) -> list[Any]:
    if government is None or node is None or not node.kinerja:
        return []
    ck = ("same-text", id(government))
    exact = ctx.cache.get(ck)
    if exact is None:
        exact = defaultdict(list)
        for n in government.conditions:
            if n.kinerja:
                exact[normalise_text(n.kinerja)].append(n)
        ctx.cache[ck] = exact
    out = [n for n in exact.get(normalise_text(node.kinerja), ()) if n.agency is not node.agency]
    for n in similar(ctx, node, government.conditions, _kinerja, threshold):
        if n.agency is not node.agency and n not in out:
            out.append(n)
    return out


@fn("agency,str?,num", "node?", "node OPD ini yang kondisinya sama atau mirip dengan teks (>= ambang 0-100), atau none; "
    "indeks kata sekali per OPD, calon yang paling banyak berbagi kata diperiksa lebih dulu", ctx=True, cost=2)
def condition_in(ctx: EvalContext, agency: Any, text: str | None, threshold: float) -> Any:
    if agency is None or not text:
        return None
    ck = ("condition-in", id(agency.nodes))
    index = ctx.cache.get(ck)
    if index is None:
        exact: dict[str, Any] = {}
        postings: dict[str, list[int]] = defaultdict(list)
        texts: list[str] = []
        for i, n in enumerate(agency.nodes):
            t = normalise_text(n.kinerja or "")
            texts.append(t)
            exact.setdefault(t, n)
            for w in set(t.split()):
                postings[w].append(i)
        index = ctx.cache[ck] = (exact, postings, texts)
    exact, postings, texts = index
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


@fn("any", "list[agency]", "OPD pemilik node atau indikator dalam daftar, masing-masing sekali, urut kemunculan")
def agencies_of(items: Any) -> list[Any]:
    out: list[Any] = []
    for x in items or ():
        node = x.node if type(x).__name__ == "Indicator" else x
        a = getattr(node, "agency", None)
        if a is not None and a not in out:
            out.append(a)
    return out
