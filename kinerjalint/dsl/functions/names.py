"""Names within one submission: name variants (NAM-01) and acronyms (NAM-02).

A rare spelling that is one or two letters away from a frequent one and is used in the same
context ("Kabupaten Belangan" / "Kabupaten Balangan"), or that the dictionary does not know
while the frequent one it does, is a minority form of it. An acronym is noted when the file
never spells it out (and the list of known acronyms does) or spells it out two ways. Both
build their index once per tree in the evaluation context.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from itertools import chain
from typing import Any

from kinerjalint.bilingual import Said
from kinerjalint.dsl.functions.spelling import TOKEN, keep_case, known_word
from kinerjalint.dsl.registry import EvalContext, Tree, fn
from kinerjalint.dsl.wordlists import WordList, word_tuple, words_of


# ---- naming consistency across a submission -------------------------------------------

def _texts(tree: Any) -> list[str]:
    out = [n.kinerja for n in tree.nodes] + [i.nama for i in tree.indicators]
    for row in list(tree.tahap3) + list(tree.tahap4) + list(tree.tahap5):
        out.extend(x for x in (row.kinerja, row.indikator) if x)
    out.extend(x for x in (tree.instansi, tree.pemda) if x)
    return out


def _is_variant(w: str, v: str, same_context: bool) -> bool:
    """Is the rare word w a misspelling of the frequent word v (already close in letters)?

    Two words the dictionary knows are different words ("pendaftaran"/"pendataan",
    "melaksanakan"/"pelaksanaan") unless they differ by one letter in the same context
    ("Kabupaten Balangan"/"Kabupaten Belangan", "Terumuskannya"/"Terumusannya").
    """
    kw, kv = known_word(w), known_word(v)
    if kw and kv:
        from rapidfuzz.distance import Levenshtein

        return same_context and Levenshtein.distance(w, v) == 1
    return same_context or (kv and not kw)


def _neighbours(texts: list[str], wanted: set[str]) -> dict[str, set[str]]:
    """The words just before ('<w') and after ('>w') each wanted word, over all texts."""
    out: dict[str, set[str]] = defaultdict(set)
    for text in texts:
        ws = word_tuple(text)
        if wanted.isdisjoint(ws):
            continue
        for i, w in enumerate(ws):
            if w in wanted:
                if i:
                    out[w].add("<" + ws[i - 1])
                if i + 1 < len(ws):
                    out[w].add(">" + ws[i + 1])
    return out


def _variant_index(tree: Any, vocab: WordList) -> dict[str, str]:
    """minority spelling -> majority spelling, for one submission; a word of the domain
    vocabulary ("Linmas" beside the commoner "lintas") is a word of its own, never a slip."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    texts = _texts(tree)
    counts: Counter[str] = Counter(chain.from_iterable(map(word_tuple, texts)))
    words = [w for w in counts if len(w) >= 6 and w.isalpha()]
    own = vocab.entries
    # Candidate majority spellings by length, most frequent first (a word seen once is none).
    by_len: dict[int, list[str]] = defaultdict(list)
    for w in sorted(words, key=counts.__getitem__, reverse=True):
        if counts[w] >= 2:
            by_len[len(w)].append(w)
    pairs: list[tuple[str, str]] = []
    for w in words:
        if w in own:
            continue
        limit = 2 if len(w) >= 10 else 1
        need = max(2, 2 * counts[w])  # only a clearly more frequent spelling
        pool = []
        for n in range(len(w) - limit, len(w) + limit + 1):
            for v in by_len.get(n, ()):
                if counts[v] < need:
                    break
                pool.append(v)
        if pool:
            pairs.extend((w, v) for v, _d, _i in process.extract(w, pool, scorer=Levenshtein.distance,
                                                                  score_cutoff=limit, limit=None) if v != w)
    if not pairs:
        return {}
    near = _neighbours(texts, {x for pair in pairs for x in pair})  # contexts only where needed
    out: dict[str, str] = {}
    for w, v in pairs:
        if _is_variant(w, v, bool(near[w] & near[v])):
            best = out.get(w)
            if best is None or counts[v] > counts[best]:
                out[w] = v
    return out


def _variants(ctx: EvalContext, tree: Any, vocab: WordList) -> dict[str, str]:
    """The tree's spelling-variant table, built once per check (kept in the check's context,
    so it goes with the tree instead of outliving it in a module-level cache)."""
    key = ("spelling-variants", id(tree), id(vocab))
    table: dict[str, str] | None = ctx.cache.get(key)
    if table is None:
        table = ctx.cache[key] = _variant_index(tree, vocab)
    return table


@fn("ejaan minoritas dalam teks dibanding ejaan mayoritas di seluruh berkas: 'minoritas -> mayoritas'; "
    "kata daftar kosakata (istilah dan akronim bidang, mis. 'Linmas' di samping 'lintas') tidak dihitung", ctx=True)
def name_variants(ctx: EvalContext, text: str | None, tree: Tree, vocab: WordList) -> list[str]:
    if not text:
        return []
    table = _variants(ctx, tree, vocab)
    if not table or table.keys().isdisjoint(word_tuple(text)):
        return []
    out: list[str] = []
    for m in TOKEN.finditer(text):
        major = table.get(m.group(0).casefold())
        if major is not None:
            note = f"{m.group(0)} -> {keep_case(m.group(0), major)}"
            if note not in out:
                out.append(note)
    return out


@fn("teks dengan ejaan mayoritas berkas (kata daftar kosakata tetap)", ctx=True)
def majority_spelling(ctx: EvalContext, text: str | None, tree: Tree, vocab: WordList) -> str:
    if not text:
        return ""
    table = _variants(ctx, tree, vocab)
    return TOKEN.sub(lambda m: keep_case(m.group(0), table.get(m.group(0).casefold(), m.group(0).casefold()))
                      if m.group(0).casefold() in table else m.group(0), text)


# ---- acronyms (NAM-02) ----------------------------------------------------------------

_ACR = re.compile(r"\b[A-Z][A-Z0-9]{1,9}\b")
_EXPANDED = re.compile(r"([A-Z][\w/-]*(?:\s+[\w/-]+){1,9})\s*\(\s*([A-Z][A-Z0-9]{1,9})\s*\)")


def _acronym_index(tree: Any, known: WordList) -> tuple[dict[str, set[str]], set[str]]:
    """The expansions written for each acronym ("Forum Kerukunan Umat Beragama (FKUB)"),
    and which of the known expansions occur in the tree's text.

    The known expansions are looked for in one pass over the tree's words (indexed by their
    first word), not by searching the whole tree's text once per acronym occurrence: that
    search made NAM-02 quadratic (a 100k-node tree's text searched for every acronym)."""
    texts = _texts(tree)
    expansions: dict[str, set[str]] = defaultdict(set)
    for t in texts:
        if "(" not in t:  # the pattern backtracks over up to ten words at every capital: ask first
            continue
        for m in _EXPANDED.finditer(t):
            acr = m.group(2)
            words = m.group(1).split()
            # the expansion: as many trailing words as the acronym has letters, roughly
            n = min(len(words), max(2, len([c for c in acr if c.isalpha()])))
            expansions[acr].add(" ".join(words_of(" ".join(words[-n:]))))
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for full in set(known.mapping.values()):
        ws = word_tuple(full)
        if ws:
            by_first[ws[0]].append(ws)
    # The texts read as one sequence of words, as they follow each other. Only where a text
    # holds the first word of a known expansion (a set intersection per text) is it compared,
    # at the positions of that word (found by the C-level tuple.index).
    seqs = [word_tuple(t) for t in texts]
    starts = by_first.keys()
    present: set[str] = set()
    for k, seq in enumerate(seqs):
        for w in starts & set(seq):
            i = -1
            while True:
                try:
                    i = seq.index(w, i + 1)
                except ValueError:
                    break
                for ws in by_first[w]:
                    run = seq[i:i + len(ws)]
                    j = k + 1
                    while len(run) < len(ws) and j < len(seqs):  # an expansion read on into the next text
                        run += seqs[j][:len(ws) - len(run)]
                        j += 1
                    if run == ws:
                        present.add(" ".join(ws))
    return expansions, present


@fn("catatan akronim dalam teks: belum dijabarkan di berkas, atau punya dua jabaran", ctx=True)
def acronym_notes(ctx: EvalContext, text: str | None, tree: Tree, known: WordList) -> list[str]:
    if not text or _ACR.search(text) is None:
        return []
    key = ("acronyms", id(tree), id(known))
    index = ctx.cache.get(key)
    if index is None:  # once per check, in the check's context (it goes with the tree)
        index = ctx.cache[key] = _acronym_index(tree, known)
    expansions, present = index
    notes: list[str] = []
    for m in _ACR.finditer(text):
        acr = m.group(0)
        exps = expansions.get(acr, set())
        if len(exps) > 1:
            ways = " / ".join(sorted(exps))
            note = Said(f"{acr} dijabarkan berbeda: {ways}", f"{acr} is expanded in different ways: {ways}")
        elif not exps:
            full = known.mapping.get(acr.lower())
            if full is None or " ".join(words_of(full)) in present:
                continue
            note = Said(f"{acr} belum dijabarkan ({full})", f"{acr} is not spelled out ({full})")
        else:
            continue
        if note not in notes:
            notes.append(note)
    return notes
