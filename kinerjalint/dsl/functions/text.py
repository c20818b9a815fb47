"""Text: words, case, normalising, regular expressions, word-level replacement and diff."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from kinerjalint.bilingual import Said
from kinerjalint.dsl.patterns import rule_pattern
from kinerjalint.dsl.registry import fn
from kinerjalint.dsl.wordlists import WordList, text_memo, word_tuple, words_of

_SPLIT = re.compile(r"\s+")


_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


@fn("kata pertama sebuah teks (tanpa tanda baca)",
    examples=(
        ("first_word('Meningkatkan Rasa Aman dan Harmonis')", 'Meningkatkan'),
        ('first_word(\'  "Terlaksananya" rapat\')', 'Terlaksananya'),
    ))
def first_word(text: str | None) -> str:
    return _first_word(text) if text else ""


@text_memo(maxsize=262_144)
def _first_word(text: str) -> str:
    """Cached: the same statement's first word is asked for by many rules."""
    m = _WORD.search(text)
    return m.group(0) if m else ""


@fn("kata terakhir sebuah teks",
    examples=(("last_word('Terpetakannya potensi konflik sosial.')", 'sosial'),))
def last_word(text: str | None) -> str:
    if not text:
        return ""
    found = re.findall(r"[^\W_]+(?:-[^\W_]+)*", text)
    return found[-1] if found else ""


@fn("teks tanpa kata pertamanya",
    examples=(("rest_words('Persentase konflik sosial yang ditangani')", 'konflik sosial yang ditangani'),))
def rest_words(text: str | None) -> str:
    return _rest_words(text) if text else ""


@text_memo(maxsize=262_144)
def _rest_words(text: str) -> str:
    parts = text.strip().split(None, 1)
    return parts[1] if len(parts) > 1 else ""


@fn("kata-kata sebuah teks (huruf kecil)",
    examples=(("words('Terlaksananya Rapat FKDM-FKUB')", ['terlaksananya', 'rapat', 'fkdm-fkub']),))
def words(text: str | None) -> list[str]:
    return words_of(text) if text else []


@fn("jumlah kata",
    examples=(("word_count('Meningkatnya rasa aman masyarakat')", 4),))
def word_count(text: str | None) -> int:
    return len(words_of(text)) if text else 0


@fn("huruf kecil",
    examples=(("lower('Indeks Kepuasan Masyarakat')", 'indeks kepuasan masyarakat'),))
def lower(text: str | None) -> str:
    return (text or "").lower()


@fn("huruf besar",
    examples=(("upper('fkub')", 'FKUB'),))
def upper(text: str | None) -> str:
    return (text or "").upper()


@fn("teks tanpa spasi di awal/akhir dan spasi ganda",
    examples=(("trim('  Meningkatnya   rasa aman ')", 'Meningkatnya rasa aman'),))
def trim(text: str | None) -> str:
    return " ".join((text or "").split())


@fn("huruf pertama kapital",
    examples=(("capitalize('meningkatnya rasa aman')", 'Meningkatnya rasa aman'),))
def capitalize(text: str | None) -> str:
    t = text or ""
    return t[:1].upper() + t[1:]


@text_memo(maxsize=262_144)
def normalise_text(text: str) -> str:
    t = text if text.isascii() else unicodedata.normalize("NFKC", text)
    return " ".join(word_tuple(t))


@fn("teks dinormalkan: huruf kecil, tanda baca dan spasi berlebih dibuang",
    examples=(("normalize('  Meningkatnya  Rasa Aman, Masyarakat. ')", 'meningkatnya rasa aman masyarakat'),))
def normalize(text: str | None) -> str:
    return normalise_text(text or "")


@fn("kunci kondisi: normalize, kata henti dibuang, kata kondisi (kata pertama) dipertahankan",
    examples=(
        ("condition_key('Meningkatnya Rasa Aman dan Harmonis di Masyarakat', list kata-henti)", 'meningkatnya rasa aman harmonis masyarakat'),
    ))
def condition_key(text: str | None, stop: WordList) -> str:
    return _condition_key(text, stop) if text else ""


@lru_cache(maxsize=131_072)
def _condition_key(text: str, stop: WordList) -> str:
    """Cached: a duplicate index asks for each text's key, and then each text for its own."""
    ws = word_tuple(text if text.isascii() else unicodedata.normalize("NFKC", text))
    if not ws:
        return ""
    entries = stop.entries
    return " ".join([ws[0], *(w for w in ws[1:] if w not in entries)])


@fn("ganti kata pertama teks dengan kata lain",
    examples=(
        ("replace_first_word('Mencegah munculnya potensi konflik', 'Tercegahnya')", 'Tercegahnya munculnya potensi konflik'),
    ))
def replace_first_word(text: str | None, word: str | None) -> str:
    t = text or ""
    m = re.search(r"[^\W_]+(?:-[^\W_]+)*", t)
    if not m or not word:
        return t
    return t[: m.start()] + word + t[m.end():]


@fn("ganti setiap kemunculan kata (utuh, tanpa peduli huruf besar) dengan kata lain",
    examples=(
        ("replace_word('Meningkatnya kewaspadaan dini di Kabupaten Belangan', 'Belangan', 'Balangan')", 'Meningkatnya kewaspadaan dini di Kabupaten Balangan'),
    ))
def replace_word(text: str | None, old: str | None, new: str | None) -> str:
    if not text or not old or new is None:
        return text or ""
    rx = re.compile(rf"(?<![\w-]){re.escape(old)}(?![\w-])", re.IGNORECASE)

    def keep_case(m: re.Match[str]) -> str:
        w = m.group(0)
        return new[:1].upper() + new[1:] if w[:1].isupper() else new

    return rx.sub(keep_case, text)


@fn("bagian teks pertama yang cocok dengan pola regex (tanpa peduli huruf besar)",
    examples=(("regex_find('Meningkatnya partisipasi pemilih menjadi 80%', '[0-9]+ ?%')", '80%'),))
def regex_find(text: str | None, pattern: str) -> str | None:
    if not text:
        return None
    m = rule_pattern(pattern).search(text)
    return m.group(0) if m else None


# A whole word (three letters or more) written twice in a row; "masing-masing" is a
# reduplication, not a slip.
_DOUBLED = re.compile(r"(?<![\w-])(\w{3,})\s+\1(?![\w-])", re.IGNORECASE)


@fn("kata (tiga huruf atau lebih) yang tertulis dua kali berturut-turut, mis. 'masyarakat masyarakat' "
    "(reduplikasi berhubung, 'masing-masing', tidak terhitung); none bila tidak ada",
    examples=(
        ("doubled_word('Meningkatnya kesehatan masyarakat Masyarakat desa')", 'masyarakat Masyarakat'),
        ("doubled_word('Meningkatnya kesejahteraan masing-masing keluarga')", None),
    ))
def doubled_word(text: str | None) -> str | None:
    if not text:
        return None
    # The pattern tries every word start; a text with no word in it twice (three of four
    # texts) is told apart from its cached words first. Each of the two doubled words is a
    # whole run of letters between blanks or punctuation, so it is one of those words, unless
    # an apostrophe or an underscore joins or splits words differently: then the pattern decides.
    if "'" not in text and "_" not in text:
        w = word_tuple(text)
        if len(set(w)) == len(w):
            return None
    m = _DOUBLED.search(text)
    return m.group(0) if m else None


@fn("seluruhnya huruf besar (minimal dua kata)",
    examples=(
        ("is_all_caps('MENINGKATNYA RASA AMAN')", True),
        ("is_all_caps('Meningkatnya rasa aman (FKUB)')", False),
    ))
def is_all_caps(text: str | None) -> bool:
    t = text or ""
    # str.isupper: every cased character is upper case and there is at least one (in C).
    return t.isupper() and len(t.split()) >= 2


@fn("kata-kata teks (huruf kecil) yang tidak termasuk unsur daftar (kata atau frasa utuh)",
    examples=(
        ("words_outside('Meningkatnya rasa aman di masyarakat', list kata-henti)", ['meningkatnya', 'rasa', 'aman', 'masyarakat']),
    ))
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


@text_memo(maxsize=100_000)
def _stem(word: str) -> str:
    if word.isascii() and word.replace("-", "").isdigit():  # a number ("2025", "12-13"): its own root
        return word
    from kinerjalint.dsl.functions.spelling import stem

    return stem(word)


@fn("bagian teks pertama yang di teks kedua diganti kata lain ('lama -> baru'), diapit bagian yang sama "
    "(memuat kata selain kata henti) di kiri dan kanan, paling banyak n kata per sisi; kata yang hanya "
    "berpindah tempat atau berubah bentuk (akar kata sama), salah ketik, angka (rincian), dan pasangan "
    "dalam daftar padanan (.tsv) tidak dihitung",
    examples=(
        ("word_replacements('Terlaksananya pembinaan ideologi Pancasila bagi pelajar', 'Jumlah pembinaan wawasan kebangsaan bagi pelajar', list kata-henti, list akronim, 2)", ['ideologi pancasila -> wawasan kebangsaan']),
        ("word_replacements('Meningkatnya pembinaan ideologi Pancasila bagi masyarakat', 'Persentase masyarakat yang mengikuti pembinaan ideologi Pancasila', list kata-henti, list akronim, 2)", []),
    ))
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


@fn("semua bagian teks yang cocok dengan pola regex (tanpa peduli huruf besar); "
    "bila pola punya grup, isi grup pertama",
    examples=(("regex_find_all('Target 80% pada 2025 dan 85% pada 2026', '[0-9]+%')", ['80%', '85%']),))
def regex_find_all(text: str | None, pattern: str) -> list[str]:
    if not text:
        return []
    rx = rule_pattern(pattern)
    found = (m.group(1) if rx.groups else m.group(0) for m in rx.finditer(text))
    return [f for f in found if f]


@fn("perbedaan kata dua teks: 'lama -> baru; ...'",
    examples=(
        ("text_diff('Meningkatnya rasa aman masyarakat', 'Meningkatnya rasa aman warga')", 'masyarakat -> warga'),
    ))
def text_diff(a: str | None, b: str | None) -> str:
    wa, wb = (a or "").split(), (b or "").split()
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        old, new = " ".join(wa[i1:i2]) or "(kosong)", " ".join(wb[j1:j2]) or "(kosong)"
        parts.append(f"{old} -> {new}")
    return "; ".join(parts)


@fn("ganti bagian teks yang cocok dengan pola regex",
    examples=(
        ("regex_replace('Angka Konflik Sosial (Kejadian)', ' *\\\\(Kejadian\\\\)', '')", 'Angka Konflik Sosial'),
    ))
def regex_replace(text: str | None, pattern: str, replacement: str) -> str:
    return _compiled(pattern).sub(replacement, text or "")


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@fn("gaya huruf: 'kapital' (semua besar), 'judul' (tiap kata besar), 'kalimat', atau 'campur'",
    examples=(
        ("case_style('MENINGKATNYA RASA AMAN MASYARAKAT')", 'kapital'),
        ("case_style('Meningkatnya Rasa Aman Masyarakat')", 'judul'),
        ("case_style('Meningkatnya rasa aman masyarakat')", 'kalimat'),
    ))
def case_style(text: str | None) -> str:
    return _case_style(text or "")


# The case styles by their Indonesian names, each with its English one for English messages.
_STYLES = {name: Said(name, en) for name, en in (
    ("kapital", "all capitals"), ("judul", "title case"), ("kalimat", "sentence case"), ("campur", "mixed"))}


@text_memo(maxsize=100_000)
def _case_style(text: str) -> str:
    ws = [w for w in re.findall(r"[A-Za-z][A-Za-z-]*", text or "") if len(w) > 3]
    if not ws:
        return _STYLES["campur"]
    if all(w.isupper() for w in ws):
        return _STYLES["kapital"]
    caps = sum(1 for w in ws[1:] if w[0].isupper())
    rest = max(1, len(ws) - 1)
    if caps / rest >= 0.8:
        return _STYLES["judul"]
    if caps / rest <= 0.2:
        return _STYLES["kalimat"]
    return _STYLES["campur"]


@fn("kata terakhir teks pertama yang di teks kedua diganti kata lain sesudah kata yang sama ('dalam "
    "pembangunan' -> 'dalam pembinaan'), bila keduanya berbagi paling sedikit tiga kata isi dan masing-masing "
    "kata itu tidak ada (juga sebagai kata dasar) di teks lainnya; none bila tidak",
    examples=(
        ("last_word_swap('Meningkatnya partisipasi organisasi dan lembaga desa dalam pembangunan', "
         "'Persentase partisipasi organisasi dan lembaga desa yang ikut dalam pembinaan', list kata-henti, list akronim)",
         "pembangunan -> pembinaan"),
        ("last_word_swap('Terdeteksinya kehamilan berisiko tinggi sejak dini', "
         "'Persentase ibu hamil berisiko tinggi yang terdeteksi tepat waktu', list kata-henti, list akronim)", None),
    ))
def last_word_swap(a: str | None, b: str | None, stop: WordList, same: WordList) -> str | None:
    from rapidfuzz import fuzz

    if not a or not b:
        return None
    wa, wb = word_tuple(a), word_tuple(b)
    ca = [w for w in wa if w not in stop.entries and w.isalpha()]
    cb = [w for w in wb if w not in stop.entries and w.isalpha()]
    if len(ca) < 4 or len(cb) < 4 or len(wa) < 2 or len(wb) < 2:
        return None
    old, new = ca[-1], cb[-1]
    # The swapped words end both texts, after the same word ("dalam pembangunan" / "dalam pembinaan").
    if wa[-1] != old or wb[-1] != new or wa[-2] != wb[-2]:
        return None
    sa, sb = {_stem(w) for w in ca}, {_stem(w) for w in cb}
    if old == new or _stem(old) in sb or _stem(new) in sa:
        return None
    if len(({_stem(w) for w in ca[:-1]} & {_stem(w) for w in cb[:-1]})) < 3:
        return None
    for k, v in ((old, new), (new, old)):
        full = same.mapping.get(k)
        if full is not None and " ".join(words_of(full)) == v:
            return None
    if fuzz.ratio(old, new) >= 80:
        return None
    return f"{old} -> {new}"


@fn("kata-kata daftar pertama yang juga ada di daftar kedua: kata yang sama, kata berakar sama "
    "(stemmer Sastrawi: 'pelayanan' dan 'layanan'), kata yang menurut daftar padanan (.tsv: kata sempit -> "
    "kata-kata luas) berpadanan dengan kata daftar kedua ('kematian' -> 'kesehatan'), atau kata dalam "
    "kepanjangan akronim daftar kedua ('IKM' -> 'indeks kepuasan masyarakat')",
    examples=(
        ("shared_roots(['kualitas', 'pelayanan', 'perizinan'], ['izin', 'layanan', 'terbit'], list padanan, list akronim)",
         ['pelayanan', 'perizinan']),
        ("shared_roots(['derajat', 'kesehatan', 'masyarakat'], ['kematian', 'ibu'], list padanan, list akronim)",
         ['kesehatan']),
        ("shared_roots(['kepuasan', 'masyarakat'], ['ikm'], list padanan, list akronim)", ['kepuasan', 'masyarakat']),
        ("shared_roots(['kualitas', 'pelayanan', 'perizinan'], ['aparatur', 'mengikuti', 'bimtek'], list padanan, list akronim)",
         []),
    ))
def shared_roots(a: Sequence[str] | None, b: Sequence[str] | None, same: WordList, acronyms: WordList) -> list[str]:
    if not a or not b:
        return []
    other: set[str] = set()
    for word in b:  # "RKA-SKPD" is read as its parts too
        for w in {word, *word.split("-")}:
            other.add(w)
            full = acronyms.mapping.get(w)
            if full is not None:
                other.update(words_of(full))
    for w in list(other):  # the broad words a narrow word stands for
        broad = same.mapping.get(w)
        if broad is not None:
            other.update(words_of(broad))
    roots = {_stem(w) for w in other}
    out: list[str] = []
    for w in a:
        broad = same.mapping.get(w)
        if w in other or _stem(w) in roots or (broad is not None and not other.isdisjoint(words_of(broad))):
            out.append(w)
    return out
