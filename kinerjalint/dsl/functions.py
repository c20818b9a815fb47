"""The typed function library rules call: generic text, collection and index helpers.

Each function is registered with its parameter types and return type (see
:mod:`.vocabulary` for the type names); ``$0`` means "the type of argument 0" and
``$e0`` "the element type of argument 0". Functions marked ``ctx`` receive the
evaluation context first, where tree-wide indexes are cached so that a rule asking
"which other nodes have the same key" costs one pass over the tree, not one per node.
"""

from __future__ import annotations

import re
from functools import lru_cache
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from kinerjalint.dsl.registry import REGISTRY, EvalContext, Func, fn
from kinerjalint.dsl.wordlists import WordList, word_tuple, words_of

__all__ = ["REGISTRY", "EvalContext", "Func", "fn"]


SETTINGS = frozenset({"l3_indikator", "l3_pemilik"})


@fn("str", "str", "nilai pengaturan profil dari konfigurasi (l3_indikator, l3_pemilik)", ctx=True,
    choices={0: SETTINGS})
def setting(ctx: EvalContext, name: str) -> str:
    return ctx.settings.get(name, "")


# ---- text ---------------------------------------------------------------------------

_SPLIT = re.compile(r"\s+")


_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


@fn("str?", "str", "kata pertama sebuah teks (tanpa tanda baca)")
def first_word(text: str | None) -> str:
    return _first_word(text) if text else ""


@lru_cache(maxsize=262_144)
def _first_word(text: str) -> str:
    """Cached: the same statement's first word is asked for by many rules."""
    m = _WORD.search(text)
    return m.group(0) if m else ""


@fn("str?", "str", "kata terakhir sebuah teks")
def last_word(text: str | None) -> str:
    if not text:
        return ""
    found = re.findall(r"[^\W_]+(?:-[^\W_]+)*", text)
    return found[-1] if found else ""


@fn("str?", "str", "teks tanpa kata pertamanya")
def rest_words(text: str | None) -> str:
    return _rest_words(text) if text else ""


@lru_cache(maxsize=262_144)
def _rest_words(text: str) -> str:
    parts = text.strip().split(None, 1)
    return parts[1] if len(parts) > 1 else ""


@fn("str?", "list[str]", "kata-kata sebuah teks (huruf kecil)")
def words(text: str | None) -> list[str]:
    return words_of(text) if text else []


@fn("str?", "num", "jumlah kata")
def word_count(text: str | None) -> int:
    return len(words_of(text)) if text else 0


@fn("any", "num", "banyaknya unsur daftar atau panjang teks")
def size(x: Any) -> int:
    return 0 if x is None else len(x)


@fn("str?", "str", "huruf kecil")
def lower(text: str | None) -> str:
    return (text or "").lower()


@fn("str?", "str", "huruf besar")
def upper(text: str | None) -> str:
    return (text or "").upper()


@fn("str?", "str", "teks tanpa spasi di awal/akhir dan spasi ganda")
def trim(text: str | None) -> str:
    return " ".join((text or "").split())


@fn("str?", "str", "huruf pertama kapital")
def capitalize(text: str | None) -> str:
    t = text or ""
    return t[:1].upper() + t[1:]


@lru_cache(maxsize=262_144)
def normalise_text(text: str) -> str:
    t = text if text.isascii() else unicodedata.normalize("NFKC", text)
    return " ".join(word_tuple(t))


@fn("str?", "str", "teks dinormalkan: huruf kecil, tanda baca dan spasi berlebih dibuang")
def normalize(text: str | None) -> str:
    return normalise_text(text or "")


@fn("str?,wordlist", "str", "kunci kondisi: normalize, kata henti dibuang, kata kondisi (kata pertama) dipertahankan")
def condition_key(text: str | None, stop: WordList) -> str:
    if not text:
        return ""
    ws = word_tuple(text if text.isascii() else unicodedata.normalize("NFKC", text))
    if not ws:
        return ""
    entries = stop.entries
    return " ".join([ws[0], *(w for w in ws[1:] if w not in entries)])


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
    if typos and 200.0 * (matched + len(typos)) / total >= cutoff:
        fuzz, process = _rapidfuzz()
        for w in typos:  # words left over: a typo still counts as the same word
            hit = process.extractOne(w, [u for u in unused if len(u) >= 5], scorer=fuzz.ratio, score_cutoff=80)
            if hit is not None:
                unused.remove(hit[0])
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


@fn("str?,str?", "num", "kemiripan dua teks 0-100: bagian kata yang sama (salah ketik dihitung sama)")
def similarity(a: str | None, b: str | None) -> float:
    return word_similarity(normalise_text(a or ""), normalise_text(b or ""))


@fn("str?,str?", "str", "ganti kata pertama teks dengan kata lain")
def replace_first_word(text: str | None, word: str | None) -> str:
    t = text or ""
    m = re.search(r"[^\W_]+(?:-[^\W_]+)*", t)
    if not m or not word:
        return t
    return t[: m.start()] + word + t[m.end():]


@fn("str?,str?,str?", "str", "ganti setiap kemunculan kata (utuh, tanpa peduli huruf besar) dengan kata lain")
def replace_word(text: str | None, old: str | None, new: str | None) -> str:
    if not text or not old or new is None:
        return text or ""
    rx = re.compile(rf"(?<![\w-]){re.escape(old)}(?![\w-])", re.IGNORECASE)

    def keep_case(m: re.Match[str]) -> str:
        w = m.group(0)
        return new[:1].upper() + new[1:] if w[:1].isupper() else new

    return rx.sub(keep_case, text)


@fn("str?,str", "str?", "bagian teks pertama yang cocok dengan pola regex (tanpa peduli huruf besar)")
def regex_find(text: str | None, pattern: str) -> str | None:
    if not text:
        return None
    m = _rx(pattern).search(text)
    return m.group(0) if m else None


@lru_cache(maxsize=1024)
def _rx(pattern: str) -> re.Pattern[str]:
    """Rule patterns compiled once (case-insensitive, as everywhere in the rule language)."""
    return re.compile(pattern, re.IGNORECASE)


@fn("str?", "bool", "seluruhnya huruf besar (minimal dua kata)")
def is_all_caps(text: str | None) -> bool:
    t = text or ""
    # str.isupper: every cased character is upper case and there is at least one (in C).
    return t.isupper() and len(t.split()) >= 2


@fn("list[str],str", "str", "gabungkan teks dengan pemisah")
def join(items: Sequence[str] | None, sep: str) -> str:
    return sep.join(str(x) for x in (items or ()) if x is not None)


@fn("bool,any,any", "$1", "pilih: bila syarat benar nilai kedua, bila tidak nilai ketiga")
def pick(cond: Any, a: Any, b: Any) -> Any:
    return a if cond else b


@fn("any", "str", "teks utama sebuah node (kinerja), indikator (nama) atau baris tabel (kinerja)")
def text_of(x: Any) -> str:
    if x is None:
        return ""
    if isinstance(x, str):
        return x
    value = getattr(x, "kinerja", None)
    if value is None:
        value = getattr(x, "nama", "")
    return str(value or "")


# ---- word lists ---------------------------------------------------------------------

@fn("wordlist,str?", "str?", "nilai pasangan kata dalam daftar .tsv (mis. kata kerja -> bentuk kondisi)")
def lookup(wl: WordList, key: str | None) -> str | None:
    return wl.lookup(key)


@fn("wordlist,str?", "str?", "unsur daftar pertama yang muncul (kata utuh) dalam teks")
def find(wl: WordList, text: str | None) -> str | None:
    return wl.find(text)


@fn("wordlist,str?", "list[str]", "semua unsur daftar yang muncul dalam teks")
def find_all(wl: WordList, text: str | None) -> list[str]:
    return wl.find_all(text)


@fn("wordlist,str?", "str?", "unsur daftar yang mengawali teks")
def prefix_in(wl: WordList, text: str | None) -> str | None:
    return wl.prefix(text)


# ---- collections --------------------------------------------------------------------

@fn("any", "$e0?", "unsur pertama daftar (none bila kosong)")
def first(items: Sequence[Any] | None) -> Any:
    return items[0] if items else None


@fn("any", "$e0?", "unsur terakhir daftar")
def last(items: Sequence[Any] | None) -> Any:
    return items[-1] if items else None


@fn("list[num]", "num?", "nilai terkecil")
def minimum(items: Sequence[float] | None) -> float | None:
    vals = [x for x in (items or ()) if x is not None]
    return min(vals) if vals else None


@fn("list[num]", "num?", "nilai terbesar")
def maximum(items: Sequence[float] | None) -> float | None:
    vals = [x for x in (items or ()) if x is not None]
    return max(vals) if vals else None


# ---- tree-wide indexes ----------------------------------------------------------------

def _key_index(ctx: EvalContext, items: Sequence[Any], key: Callable[[Any], Any]) -> dict[Any, list[Any]]:
    ck = ("key", id(items), key)
    idx = ctx.cache.get(ck)
    if idx is None:
        idx = defaultdict(list)
        for it in items:
            k = key(it)
            if k not in (None, ""):
                idx[k].append(it)
        ctx.cache[ck] = idx
    return idx


@fn("any,any,fn", "$1", "unsur lain dalam daftar yang kuncinya sama dengan kunci unsur ini (indeks sekali per pohon)", ctx=True)
def same_key(ctx: EvalContext, item: Any, items: Sequence[Any], key: Callable[[Any], Any]) -> list[Any]:
    k = key(item)
    if k in (None, ""):
        return []
    return [x for x in _key_index(ctx, items, key).get(k, ()) if x is not item]


@fn("any,any,fn,num", "$1", "unsur lain dalam daftar yang teks kuncinya mirip (>= ambang 0-100) tetapi tidak sama persis; berblok agar tetap cepat", ctx=True)
def similar(ctx: EvalContext, item: Any, items: Sequence[Any], key: Callable[[Any], Any], threshold: float) -> list[Any]:
    ck = ("similar", id(items), key, threshold)
    table = ctx.cache.get(ck)
    if table is None:
        table = ctx.cache[ck] = _similar_pairs(items, key, threshold)
    return table.get(id(item), [])


@fn("str?,any,fn,num", "$e1?", "unsur daftar yang teks kuncinya paling mirip dengan teks ini (>= ambang); sama persis didahulukan", ctx=True)
def best_match(ctx: EvalContext, text: str | None, items: Sequence[Any], key: Callable[[Any], Any], threshold: float) -> Any:
    if not text:
        return None
    ck = ("best", id(items), key)
    index = ctx.cache.get(ck)
    if index is None:
        exact: dict[str, Any] = {}
        postings: dict[str, list[int]] = defaultdict(list)
        texts = []
        for i, it in enumerate(items):
            t = normalise_text(str(key(it) or ""))
            texts.append(t)
            exact.setdefault(t, it)
            for w in set(t.split()):
                postings[w].append(i)
        index = ctx.cache[ck] = (exact, postings, texts)
    exact, postings, texts = index
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


@fn("any,fn", "any", "nilai kunci yang dipegang lebih dari separuh unsur daftar (none bila tidak ada); dihitung sekali per daftar", ctx=True)
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
                   block_tokens: int = 3, max_candidates: int = 100) -> dict[int, list[Any]]:
    """All pairs above the threshold, compared only within blocks of rare shared words.

    Each text is blocked on its three rarest words; a word shared by more than
    ``max_candidates`` texts names no block (it says nothing about near-duplicates), so
    the work stays linear in the number of texts. A cheap C++ ratio filters candidates
    before the word-level similarity is computed.
    """
    fuzz, _process = _rapidfuzz()

    texts = [normalise_text(str(key(it) or "")) for it in items]
    from collections import Counter

    toks = [set(t.split()) for t in texts]
    df: Counter[str] = Counter()
    for ts in toks:
        df.update(ts)
    postings: dict[str, list[int]] = defaultdict(list)
    blocks: list[list[str]] = []
    for i, ts in enumerate(toks):
        rare = [t for t in ts if df[t] <= max_candidates]  # only rare words name blocks
        if len(rare) > block_tokens:
            rare = sorted(rare, key=lambda t: (df[t], t))[:block_tokens]
        blocks.append(rare)
        for t in rare:
            postings[t].append(i)
    out: dict[int, list[Any]] = defaultdict(list)
    for i, rare in enumerate(blocks):
        if not texts[i]:
            continue
        cands: set[int] = set()
        for t in rare:
            cands.update(j for j in postings[t] if j > i)
        for j in cands:
            if not texts[j] or texts[i] == texts[j]:
                continue
            if fuzz.token_sort_ratio(texts[i], texts[j], score_cutoff=threshold - 15) == 0:
                continue
            if word_similarity(texts[i], texts[j], threshold) >= threshold:
                out[id(items[i])].append(items[j])
                out[id(items[j])].append(items[i])
    return out



# ---- added for the T3/LNG/IND rules ----------------------------------------------------


_ENTRIES: dict[int, tuple[WordList, list[str]]] = {}


@fn("wordlist", "list[str]", "unsur daftar kata seperti tertulis (mis. nama nomenklatur dari konfigurasi); "
    "daftar yang sama setiap kali, sehingga indeks best_match dibangun sekali")
def entries(wl: WordList) -> list[str]:
    cached = _ENTRIES.get(id(wl))
    if cached is None or cached[0] is not wl:
        if len(_ENTRIES) > 64:
            _ENTRIES.clear()
        cached = _ENTRIES[id(wl)] = (wl, sorted(wl.originals.get(k, k) for k in wl.entries))
    return cached[1]


@fn("str?,wordlist", "list[str]", "kata-kata teks (huruf kecil) yang tidak termasuk unsur daftar (kata atau frasa utuh)")
def words_outside(text: str | None, wl: WordList) -> list[str]:
    ws = word_tuple(text) if text else ()
    entries, heads = wl.entries, wl.firsts
    if heads.isdisjoint(ws):  # no phrase can start here: a plain filter
        return [w for w in ws if w not in entries]
    out: list[str] = []
    i = 0
    while i < len(ws):
        step = 0
        if ws[i] in heads:  # the first word of a phrase entry: try the longest phrase first
            for n in range(min(wl.longest, len(ws) - i), 1, -1):
                if " ".join(ws[i:i + n]) in entries:
                    step = n
                    break
        if not step and ws[i] in entries:
            step = 1
        if step:
            i += step
        else:
            out.append(ws[i])
            i += 1
    return out


_HEADS: dict[int, tuple[WordList, frozenset[str]]] = {}


def _phrase_heads(wl: WordList) -> frozenset[str]:
    """First words of the multi-word entries of a list (computed once per list)."""
    cached = _HEADS.get(id(wl))
    if cached is None or cached[0] is not wl:
        if len(_HEADS) > 256:
            _HEADS.clear()
        cached = _HEADS[id(wl)] = (wl, frozenset(e.split(" ", 1)[0] for e in wl.entries if " " in e))
    return cached[1]


@lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    from kinerjalint.dsl.spelling import _sastrawi

    return str(_sastrawi()[0].stem(word))


@fn("str?,str?,wordlist,wordlist,num", "list[str]",
    "bagian teks pertama yang di teks kedua diganti kata lain ('lama -> baru'), diapit bagian yang sama "
    "(memuat kata selain kata henti) di kiri dan kanan, paling banyak n kata per sisi; kata yang hanya "
    "berpindah tempat atau berubah bentuk (akar kata sama), salah ketik, angka (rincian), dan pasangan "
    "dalam daftar padanan (.tsv) tidak dihitung")
def word_replacements(a: str | None, b: str | None, stop: WordList, same: WordList, max_words: float) -> list[str]:
    import difflib

    from rapidfuzz import fuzz

    wa, wb = (word_tuple(a) if a else ()), (word_tuple(b) if b else ())
    set_a, set_b = set(wa), set(wb)
    # A replacement needs shared content on both of its sides (two shared content words at least)
    # and, inside the text (not its first or last word), a content word of each text that the
    # other lacks.
    if len((set_a & set_b) - stop.entries) < 2:
        return []
    if not any(w not in set_b and w not in stop.entries for w in wa[1:-1]) \
            or not any(w not in set_a and w not in stop.entries for w in wb[1:-1]):
        return []
    stems: dict[str, set[str]] = {}

    def seen(w: str, other: Sequence[str], key: str) -> bool:
        if w in other:
            return True
        if key not in stems:
            stems[key] = {_stem(x) for x in other}
        return _stem(w) in stems[key]

    def content(ws: Sequence[str]) -> list[str]:
        return [w for w in ws if w not in stop.entries]

    def equivalent(x: str, y: str) -> bool:
        for k, v in ((x, y), (y, x)):
            full = same.mapping.get(k)
            if full is not None and " ".join(words_of(full)) == v:
                return True
        return False

    ops = difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).get_opcodes()
    out: list[str] = []
    for k in range(1, len(ops) - 1):
        tag, i1, i2, j1, j2 = ops[k]
        before, after = ops[k - 1], ops[k + 1]
        if tag != "replace" or before[0] != "equal" or after[0] != "equal":
            continue
        if not content(wa[before[1]:before[2]]) or not content(wa[after[1]:after[2]]):
            continue
        old, new = wa[i1:i2], wb[j1:j2]
        if len(old) > max_words or len(new) > max_words:
            continue
        old_c, new_c = content(old), content(new)
        if not old_c or not new_c or any(seen(w, wb, "b") for w in old_c) or any(seen(w, wa, "a") for w in new_c):
            continue
        if any(c.isdigit() for w in old + new for c in w):
            continue
        o, n = " ".join(old), " ".join(new)
        if fuzz.ratio(o, n) >= 80 or equivalent(o, n):
            continue
        out.append(f"{o} -> {n}")
    return out


@fn("str?,str", "list[str]", "semua bagian teks yang cocok dengan pola regex (tanpa peduli huruf besar); "
    "bila pola punya grup, isi grup pertama")
def regex_find_all(text: str | None, pattern: str) -> list[str]:
    if not text:
        return []
    rx = _rx(pattern)
    found = (m.group(1) if rx.groups else m.group(0) for m in rx.finditer(text))
    return [f for f in found if f]


_EXTENDED: dict[tuple[int, tuple[str, ...]], tuple[WordList, WordList]] = {}


@fn("wordlist,list[str]", "wordlist", "daftar kata ditambah entri lain (mis. nama-nama dari berkas yang diperiksa)")
def with_words(wl: WordList, extra: Sequence[str] | None) -> WordList:
    keys = tuple(sorted({" ".join(words_of(e)) for e in (extra or ()) if e and words_of(e)}))
    if not keys:
        return wl
    ck = (id(wl), keys)
    cached = _EXTENDED.get(ck)
    if cached is None or cached[0] is not wl:
        if len(_EXTENDED) > 4096:
            _EXTENDED.clear()
        more = WordList(wl.name, wl.path, wl.entries | frozenset(keys), dict(wl.mapping),
                        {**{k: k for k in keys}, **wl.originals},
                        max([wl.longest] + [k.count(" ") + 1 for k in keys]))
        cached = _EXTENDED[ck] = (wl, more)
    return cached[1]
