"""Spelling and naming helpers for LNG-09 and NAM-01 (registered in the function library).

Spelling: a canon list of known misspellings (``rules/words/salah-eja.tsv``) first; then
a dictionary check with the root-word list and stemmer of PySastrawi. A word the
dictionary cannot derive is only flagged when a one-edit change of it *is* a known word
(a typo), so names and terms the dictionary lacks ("Forkopimda", "Paringin") stay quiet.

Naming: within one submission, a rare spelling that is one or two letters away from a
frequent one and is used in the same context ("Kabupaten Belangan" / "Kabupaten
Balangan"), or that the dictionary does not know while the frequent one it does, is a
minority form of it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Any

from kinerjalint.dsl.registry import EvalContext, Tree, fn
from kinerjalint.dsl.wordlists import WordList, word_tuple, words_of

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_TOKEN = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


@lru_cache(maxsize=1)
def _sastrawi() -> tuple[Any, frozenset[str]]:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    factory = StemmerFactory()
    return factory.create_stemmer(), frozenset(factory.get_words())


@lru_cache(maxsize=200_000)
def known_word(word: str) -> bool:
    """True when the dictionary has the word or can derive it from a root (casefolded input)."""
    stemmer, roots = _sastrawi()
    if word in roots:
        return True
    if "-" in word:
        return all(known_word(p) for p in word.split("-") if p)
    return stemmer.stem(word) in roots


def _slips(word: str) -> set[str]:
    """Words a typing slip could have come from: two letters swapped, or one letter left
    out inside the word. Replacements, and letters missing at either end, are not
    considered: they turn too many correct names into dictionary words ("Paringin" ->
    "waringin", "Kalimantan" -> "kalimantang")."""
    splits = [(word[:i], word[i:]) for i in range(1, len(word))]
    transposes = [a[:-1] + b[0] + a[-1] + b[1:] for a, b in splits]
    inserts = [a + c + b for a, b in splits for c in _LETTERS]
    return set(transposes + inserts)


_PREFIXES = ("", "di", "ke", "se", "ter", "ber", "per", "me", "mem", "men", "meng", "meny", "pe", "pem", "pen",
             "peng", "peny", "pel", "ke-", "se-")
_SUFFIXES = ("", "nya", "kan", "an", "i", "kannya", "annya", "lah", "kah")


@lru_cache(maxsize=50_000)
def _typo_fix(word: str) -> str | None:
    """The known word one typing slip away from an unknown word.

    Stemming every one-edit variant of a derived word costs a second per word; instead the
    edit is looked for in the root (``terlaksnanya`` = ter + laksna + nya, and ``laksna``
    is one insertion from the root ``laksana``), with a set lookup per candidate, and only
    the rebuilt word is stemmed to confirm it.
    """
    _, roots = _sastrawi()
    found: list[str] = []
    for p in _PREFIXES:
        if not word.startswith(p):
            continue
        for s in _SUFFIXES:
            if s and not word.endswith(s):
                continue
            core = word[len(p): len(word) - len(s)]
            if len(core) < 3:
                continue
            for c in _slips(core):
                if c in roots:
                    rebuilt = p + c + s
                    if rebuilt != word and len(rebuilt) >= 5 and known_word(rebuilt):
                        found.append(rebuilt)
    if not found:
        return None
    return sorted(set(found), key=lambda c: (-len(c), c))[0]


def _keep_case(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


@lru_cache(maxsize=8)
def _phrase_pattern(canon: WordList) -> re.Pattern[str] | None:
    """All multi-word canon entries ("antar golongan" -> "antargolongan") as one regex."""
    keys = sorted((k for k in canon.mapping if " " in k), key=len, reverse=True)
    if not keys:
        return None
    alts = "|".join(r"[\s/-]+".join(map(re.escape, k.split())) for k in keys)
    return re.compile(r"(?<![\w-])(?:" + alts + r")(?![\w-])", re.IGNORECASE)


_FINE: dict[tuple[int, int], tuple[WordList, WordList, set[str]]] = {}
FINE_MAX = 262_144  # words remembered as fine, per list pair; a long-running service starts over past it


def _maybe_wrong(text: str, canon: WordList, vocab: WordList) -> bool:
    """A cheap first look: does the text hold a word not yet known to be fine?

    The set of words already judged fine (per canon and vocabulary list) grows as texts
    are read, so on a large tree almost every text is cleared by one set difference. It is
    bounded (:data:`FINE_MAX`): a service reads new numbers and names for ever.
    """
    key = (id(canon), id(vocab))
    hit = _FINE.get(key)
    if hit is None or hit[0] is not canon or hit[1] is not vocab or len(hit[2]) > FINE_MAX:
        if len(_FINE) > 64:
            _FINE.clear()
        hit = _FINE[key] = (canon, vocab, set())
    fine = hit[2]
    ws = word_tuple(text)
    unseen = set(ws).difference(fine)
    for w in unseen:
        if not w.replace("-", "").isalpha() or _word_fix(w, False, canon, vocab) is None:
            fine.add(w)
        else:
            return True
    return _has_phrase(ws, canon)


def _has_phrase(ws: tuple[str, ...], canon: WordList) -> bool:
    """Does a multi-word canon entry ("di laksanakan") occur in these words?"""
    firsts, entries = canon.firsts, canon.entries
    if firsts.isdisjoint(ws):
        return False
    for i, w in enumerate(ws):
        if w in firsts:
            for n in range(2, min(canon.longest, len(ws) - i) + 1):
                if " ".join(ws[i:i + n]) in entries:
                    return True
    return False


def _corrections(text: str, canon: WordList, vocab: WordList) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if not _maybe_wrong(text, canon, vocab):
        return out
    rx = _phrase_pattern(canon)
    if rx is not None:
        for m in rx.finditer(text):
            phrase_fix = canon.mapping.get(" ".join(words_of(m.group(0))))
            if phrase_fix is not None:
                out.append((m.group(0), _keep_case(m.group(0), phrase_fix)))
    for raw in _TOKEN.findall(text):
        fix = _word_fix(raw.casefold(), raw.isupper(), canon, vocab)
        if fix is not None:
            out.append((raw, _keep_case(raw, fix)))
    return out


@lru_cache(maxsize=200_000)
def _word_fix(w: str, all_caps: bool, canon: WordList, vocab: WordList) -> str | None:
    """The correction of one (case-folded) word, or None when it is fine."""
    right = canon.mapping.get(w)
    if right is not None:
        return right
    if len(w) < 7 or all_caps or w in vocab.entries or known_word(w):
        return None
    return _typo_fix(w)


@fn("kesalahan ejaan dalam teks, 'salah -> benar' (daftar baku + kamus Sastrawi)",
    examples=(
        ("spelling_notes('Terlaksnanya Koordinasi terkait Kewaspadaan', list salah-eja, list kosakata-domain)", ['Terlaksnanya -> Terlaksananya']),
        ("spelling_notes('Terfasilitasinya Forum Kerukunan Umat Beragama di Paringin', list salah-eja, list kosakata-domain)", []),
    ))
def spelling_notes(text: str | None, canon: WordList, vocab: WordList) -> list[str]:
    if not text:
        return []
    seen: dict[str, str] = {}
    for wrong, right in _corrections(text, canon, vocab):
        seen.setdefault(wrong, right)
    return [f"{w} -> {r}" for w, r in seen.items()]


@fn("teks dengan ejaan yang sudah dibetulkan",
    examples=(
        ("correct_spelling('Terlaksnanya Koordinasi terkait Kewaspadaan', list salah-eja, list kosakata-domain)", 'Terlaksananya Koordinasi terkait Kewaspadaan'),
        ("correct_spelling('Meningkatnya Rasa Aman dalam Hubungan Sosial Kemasarakatan', list salah-eja, list kosakata-domain)", 'Meningkatnya Rasa Aman dalam Hubungan Sosial Kemasyarakatan'),
    ))
def correct_spelling(text: str | None, canon: WordList, vocab: WordList) -> str:
    if not text:
        return ""
    out = text
    for wrong, right in sorted(set(_corrections(text, canon, vocab)), key=lambda p: -len(p[0])):
        out = re.sub(r"(?<![\w-])" + re.escape(wrong) + r"(?![\w-])", right.replace("\\", "\\\\"), out)
    return out


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


def _variant_index(tree: Any) -> dict[str, str]:
    """minority spelling -> majority spelling, for one submission."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    texts = _texts(tree)
    counts: Counter[str] = Counter(w for text in texts for w in word_tuple(text))
    words = [w for w in counts if len(w) >= 6 and w.isalpha()]
    # Candidate majority spellings by length, most frequent first (a word seen once is none).
    by_len: dict[int, list[str]] = defaultdict(list)
    for w in sorted(words, key=counts.__getitem__, reverse=True):
        if counts[w] >= 2:
            by_len[len(w)].append(w)
    pairs: list[tuple[str, str]] = []
    for w in words:
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


def _variants(ctx: EvalContext, tree: Any) -> dict[str, str]:
    """The tree's spelling-variant table, built once per check (kept in the check's context,
    so it goes with the tree instead of outliving it in a module-level cache)."""
    key = ("spelling-variants", id(tree))
    table: dict[str, str] | None = ctx.cache.get(key)
    if table is None:
        table = ctx.cache[key] = _variant_index(tree)
    return table


@fn("ejaan minoritas dalam teks dibanding ejaan mayoritas di seluruh berkas: 'minoritas -> mayoritas'", ctx=True)
def name_variants(ctx: EvalContext, text: str | None, tree: Tree) -> list[str]:
    if not text:
        return []
    table = _variants(ctx, tree)
    if not table or table.keys().isdisjoint(word_tuple(text)):
        return []
    out: list[str] = []
    for m in _TOKEN.finditer(text):
        major = table.get(m.group(0).casefold())
        if major is not None:
            note = f"{m.group(0)} -> {_keep_case(m.group(0), major)}"
            if note not in out:
                out.append(note)
    return out


@fn("teks dengan ejaan mayoritas berkas", ctx=True)
def majority_spelling(ctx: EvalContext, text: str | None, tree: Tree) -> str:
    if not text:
        return ""
    table = _variants(ctx, tree)
    return _TOKEN.sub(lambda m: _keep_case(m.group(0), table.get(m.group(0).casefold(), m.group(0).casefold()))
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
        for m in _EXPANDED.finditer(t):
            acr = m.group(2)
            words = m.group(1).split()
            # the expansion: as many trailing words as the acronym has letters, roughly
            n = min(len(words), max(2, len([c for c in acr if c.isalpha()])))
            expansions[acr].add(" ".join(words_of(" ".join(words[-n:]))))
    by_first: dict[str, list[list[str]]] = defaultdict(list)
    for full in set(known.mapping.values()):
        ws = words_of(full)
        if ws:
            by_first[ws[0]].append(ws)
    corpus = [w for t in texts for w in words_of(t)]  # one sequence, as the texts follow each other
    present: set[str] = set()
    for i, w in enumerate(corpus):
        for ws in by_first.get(w, ()):
            if corpus[i:i + len(ws)] == ws:
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
            note = f"{acr} dijabarkan berbeda: " + " / ".join(sorted(exps))
        elif not exps:
            full = known.mapping.get(acr.lower())
            if full is None or " ".join(words_of(full)) in present:
                continue
            note = f"{acr} belum dijabarkan ({full})"
        else:
            continue
        if note not in notes:
            notes.append(note)
    return notes
