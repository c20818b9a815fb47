"""Tree-wide indexes and similarity: same key, similar, best match, majority, levels.

Functions marked ``ctx`` build their index once per tree in the evaluation context, so
that a rule asking "which other nodes have the same key" costs one pass, not one per node."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from kinerjalint.dsl.functions.text import normalise_text
from kinerjalint.dsl.registry import EvalContext, fn
from kinerjalint.levels import Level, parse_level


def word_similarity(a: str, b: str, cutoff: float = 0.0) -> float:
    """Share of words two texts have in common (0-100, Dice), a typo counting as the same word.

    Unlike a character ratio, two long statements that share a long tail but differ in
    their key words ("Pemantauan dan Pelaporan" vs "Peraturan") score low, while the same
    statement with a misspelt word scores high. Below ``cutoff`` the answer is only known
    to be below it (typos are not looked for when even all of them could not reach it).
    """
    wa, wb = a.split(), b.split()
    if not wa or not wb:
        return 0.0
    unused = list(wb)
    matched = 0
    typos: list[str] = []
    for w in wa:
        if w in unused:
            unused.remove(w)
            matched += 1
        elif len(w) >= 5:
            typos.append(w)
    total = len(wa) + len(wb)
    if not typos:
        return round(200.0 * matched / total, 1)
    # Words left over: a typo still counts as the same word. Each leftover word of b is taken
    # at most once, so no more than that many typos can count.
    cands = [u for u in unused if len(u) >= 5]
    if 200.0 * (matched + min(len(typos), len(cands))) / total >= cutoff:
        fuzz, process = _rapidfuzz()
        for k, w in enumerate(typos):
            if not cands or 200.0 * (matched + min(len(typos) - k, len(cands))) / total < cutoff:
                break  # even the typos still to look at could not reach the cutoff
            hit = process.extractOne(w, cands, scorer=fuzz.ratio, score_cutoff=80)
            if hit is not None:
                # the first best match: the first of its spelling among the leftovers
                del cands[hit[2]]
                matched += 1
    return round(200.0 * matched / total, 1)


_RAPIDFUZZ: tuple[Any, Any] | None = None


def _rapidfuzz() -> tuple[Any, Any]:
    """rapidfuzz's fuzz and process modules, imported on first use (not at every call)."""
    global _RAPIDFUZZ
    if _RAPIDFUZZ is None:
        from rapidfuzz import fuzz, process

        _RAPIDFUZZ = (fuzz, process)
    return _RAPIDFUZZ


@fn("kemiripan dua teks 0-100: bagian kata yang sama (salah ketik dihitung sama)",
    examples=(
        ("similarity('Meningkatnya rasa aman masyarakat', 'Meningkatnya rasa aman warga masyarakat')", 88.9),
        ("similarity('Meningkatnya rasa aman', 'Tersusunnya dokumen perencanaan')", 0.0),
    ))
def similarity(a: str | None, b: str | None) -> float:
    return word_similarity(normalise_text(a or ""), normalise_text(b or ""))


def _key_index(ctx: EvalContext, items: Sequence[Any],
               key: Callable[[Any], Any]) -> tuple[dict[Any, list[Any]], dict[int, int]]:
    """Items by key (in the list's order), and each item's position in its key's group."""
    ck = ("key", id(items), key)
    idx = ctx.cache.get(ck)
    if idx is None:
        groups: dict[Any, list[Any]] = defaultdict(list)
        where: dict[int, int] = {}
        for it in items:
            k = key(it)
            if k not in (None, ""):
                group = groups[k]
                where[id(it)] = len(group)
                group.append(it)
        idx = ctx.cache[ck] = (groups, where)
    return idx


@fn("unsur lain dalam daftar yang kuncinya sama dengan kunci unsur ini (indeks sekali per pohon)", ctx=True, cost=2, returns="$1")
def same_key(ctx: EvalContext, item: Any, items: Sequence[Any], key: Callable[[Any], Any]) -> list[Any]:
    k = key(item)
    if k in (None, ""):
        return []
    groups, where = _key_index(ctx, items, key)
    group = groups.get(k)
    if not group:
        return []
    p = where.get(id(item), -1)
    if p < 0 or group[p] is not item:  # the item is not one of the list's
        return list(group)
    # Two slices are copied in C: comparing every member with the item in Python, for each
    # member of a large group of duplicates, was most of IND-13's time on a 100k-node tree.
    return group[:p] + group[p + 1:]


@fn("unsur lain dalam daftar yang teks kuncinya mirip (>= ambang 0-100) tetapi tidak sama persis; berblok agar tetap cepat", ctx=True, cost=5, returns="$1")
def similar(ctx: EvalContext, item: Any, items: Sequence[Any], key: Callable[[Any], Any], threshold: float) -> list[Any]:
    ck = ("similar", id(items), key, threshold)
    table = ctx.cache.get(ck)
    if table is None:
        table = ctx.cache[ck] = _similar_pairs(items, key, threshold)
    return table.get(id(item), [])


TextIndex = tuple[dict[str, Any], dict[str, list[int]], list[str]]


def text_index(ctx: EvalContext, cache_key: Any, items: Sequence[Any], key: Callable[[Any], Any]) -> TextIndex:
    """The normalised key texts of ``items``, once per check: the item of each exact text, the
    positions of the items holding each word (postings), and the texts by position."""
    index: TextIndex | None = ctx.cache.get(cache_key)
    if index is None:
        exact: dict[str, Any] = {}
        postings: dict[str, list[int]] = defaultdict(list)
        texts: list[str] = []
        for i, it in enumerate(items):
            t = normalise_text(str(key(it) or ""))
            texts.append(t)
            exact.setdefault(t, it)
            for w in set(t.split()):
                postings[w].append(i)
        index = ctx.cache[cache_key] = (exact, postings, texts)
    return index


@fn("unsur daftar yang teks kuncinya paling mirip dengan teks ini (>= ambang); sama persis didahulukan", ctx=True, cost=2, returns="$e1?")
def best_match(ctx: EvalContext, text: str | None, items: Sequence[Any], key: Callable[[Any], Any], threshold: float) -> Any:
    if not text:
        return None
    exact, postings, texts = text_index(ctx, ("best", id(items), key), items, key)
    norm = normalise_text(text)
    if norm in exact:
        return exact[norm]
    words_here = set(norm.split())
    cands: dict[int, int] = defaultdict(int)
    for w in words_here:
        for i in postings.get(w, ())[:500]:
            cands[i] += 1
    best, best_score = None, -1.0
    for i, _shared in sorted(cands.items(), key=lambda kv: -kv[1])[:50]:
        score = word_similarity(norm, texts[i])
        if score > best_score:
            best, best_score = items[i], score
    return best if best_score >= threshold else None


@fn("nilai kunci yang dipegang lebih dari separuh unsur daftar (none bila tidak ada); dihitung sekali per daftar", ctx=True)
def majority(ctx: EvalContext, items: Sequence[Any] | None, key: Callable[[Any], Any]) -> Any:
    if not items:
        return None
    ck = ("majority", id(items), key)
    hit = ctx.cache.get(ck)
    if hit is None or hit[0] is not items:
        from collections import Counter

        counts = Counter(key(x) for x in items)
        value, n = counts.most_common(1)[0]
        hit = ctx.cache[ck] = (items, value if n * 2 > len(items) else None)
    return hit[1]


def _similar_pairs(items: Sequence[Any], key: Callable[[Any], Any], threshold: float,
                   block_tokens: int = 3, max_candidates: int = 100, window: int = 6) -> dict[int, list[Any]]:
    """The pairs above the threshold among near neighbours in blocks of rare shared words.

    Each text is blocked on its three rarest words; a word shared by more than
    ``max_candidates`` texts names no block (it says nothing about near-duplicates). In a
    block, each text is compared with the ``window`` texts that follow it in two sort
    orders, by its words and by its words read from the end, so that texts alike at the
    start or at the end meet (a block no larger than the window is compared whole). So a
    text costs at most 2 x 3 x ``window`` comparisons whatever the size of the tree;
    comparing every pair of a block made the work grow with the square of the blocks,
    which grow with the tree until they reach ``max_candidates``. A cheap C++ ratio
    filters candidates before the word-level similarity is computed.
    """
    fuzz, _process = _rapidfuzz()

    texts = [normalise_text(str(key(it) or "")) for it in items]
    from collections import Counter

    toks = [set(t.split()) for t in texts]
    df: Counter[str] = Counter()
    for ts in toks:
        df.update(ts)
    postings: dict[str, list[int]] = defaultdict(list)
    for i, ts in enumerate(toks):
        if not texts[i]:
            continue
        rare = [t for t in ts if df[t] <= max_candidates]  # only rare words name blocks
        if len(rare) > block_tokens:
            rare = sorted(rare, key=lambda t: (df[t], t))[:block_tokens]
        for t in rare:
            postings[t].append(i)
    pairs: set[tuple[int, int]] = set()
    for block in postings.values():
        if len(block) <= window + 1:
            pairs.update((i, j) for k, i in enumerate(block) for j in block[k + 1:])
            continue
        for order in (sorted(block, key=lambda i: texts[i]),
                      sorted(block, key=lambda i: texts[i].split()[::-1])):
            for k, i in enumerate(order):
                pairs.update((min(i, j), max(i, j)) for j in order[k + 1:k + 1 + window])
    out: dict[int, list[Any]] = defaultdict(list)
    for i, j in sorted(pairs):
        if texts[i] == texts[j]:
            continue
        if fuzz.token_sort_ratio(texts[i], texts[j], score_cutoff=threshold - 15) == 0:
            continue
        if word_similarity(texts[i], texts[j], threshold) >= threshold:
            out[id(items[i])].append(items[j])
            out[id(items[j])].append(items[i])
    return out


@fn("level yang disebut sebuah frasa (mis. 'Sasaran Program' -> antara_utama), atau none",
    examples=(
        ("level_of('Sasaran Program')", Level.antara_utama),
        ("level_of('Sasaran Sub Kegiatan')", Level.operasional),
        ("level_of('Tujuan Renstra')", None),
    ))
def level_of(text: str | None) -> Level | None:
    return parse_level(text) if text else None
