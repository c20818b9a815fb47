"""Functions for the mapping (MAP), consistency (CON) and naming (NAM) rules."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from functools import lru_cache
from typing import Any

from kinerjalint.dsl.registry import EvalContext, fn
from kinerjalint.dsl.wordlists import WordList, words_of
from kinerjalint.levels import Level, parse_level


@fn("str?", "level?", "level yang disebut sebuah frasa (mis. 'Sasaran Program' -> antara_utama), atau none")
def level_of(text: str | None) -> Level | None:
    return parse_level(text) if text else None


@fn("wordlist,str?", "str?", "kelas dari daftar pasangan .tsv: nilai entri pertama yang muncul dalam teks")
def classify(wl: WordList, text: str | None) -> str | None:
    found = wl.find(text)
    return wl.lookup(found) if found is not None else None


@fn("wordlist,str?", "list[str]", "semua kelas berbeda dari daftar pasangan .tsv yang muncul dalam teks")
def classify_all(wl: WordList, text: str | None) -> list[str]:
    out: list[str] = []
    for entry in wl.find_all(text):
        cls = wl.lookup(entry)
        if cls is not None and cls not in out:
            out.append(cls)
    return out


@fn("any", "$0", "daftar tanpa unsur ganda (urutan tetap)")
def unique(items: Any) -> list[Any]:
    out: list[Any] = []
    for x in items or ():
        if x not in out:
            out.append(x)
    return out


@fn("str?,str?", "str", "perbedaan kata dua teks: 'lama -> baru; ...'")
def text_diff(a: str | None, b: str | None) -> str:
    wa, wb = (a or "").split(), (b or "").split()
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        old, new = " ".join(wa[i1:i2]) or "(kosong)", " ".join(wb[j1:j2]) or "(kosong)"
        parts.append(f"{old} -> {new}")
    return "; ".join(parts)


@fn("str?,str,str", "str", "ganti bagian teks yang cocok dengan pola regex")
def regex_replace(text: str | None, pattern: str, replacement: str) -> str:
    return _compiled(pattern).sub(replacement, text or "")


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@fn("str?", "str", "gaya huruf: 'kapital' (semua besar), 'judul' (tiap kata besar), 'kalimat', atau 'campur'")
def case_style(text: str | None) -> str:
    return _case_style(text or "")


@lru_cache(maxsize=100_000)
def _case_style(text: str) -> str:
    ws = [w for w in re.findall(r"[A-Za-z][A-Za-z-]*", text or "") if len(w) > 3]
    if not ws:
        return "campur"
    if all(w.isupper() for w in ws):
        return "kapital"
    caps = sum(1 for w in ws[1:] if w[0].isupper())
    rest = max(1, len(ws) - 1)
    if caps / rest >= 0.8:
        return "judul"
    if caps / rest <= 0.2:
        return "kalimat"
    return "campur"


_ACR = re.compile(r"\b[A-Z][A-Z0-9]{1,9}\b")
_EXPANDED = re.compile(r"([A-Z][\w/-]*(?:\s+[\w/-]+){1,9})\s*\(\s*([A-Z][A-Z0-9]{1,9})\s*\)")


def _acronym_index(tree: Any, known: WordList) -> tuple[set[str], dict[str, set[str]], str]:
    from kinerjalint.dsl.spelling import _texts

    texts = _texts(tree)
    expansions: dict[str, set[str]] = defaultdict(set)
    for t in texts:
        for m in _EXPANDED.finditer(t):
            acr = m.group(2)
            words = m.group(1).split()
            # the expansion: as many trailing words as the acronym has letters, roughly
            n = min(len(words), max(2, len([c for c in acr if c.isalpha()])))
            expansions[acr].add(" ".join(words_of(" ".join(words[-n:]))))
    corpus = " " + " ".join(" ".join(words_of(t)) for t in texts) + " "
    used = {m.group(0) for t in texts for m in _ACR.finditer(t)}
    return used, expansions, corpus


@fn("str?,tree,wordlist", "list[str]", "catatan akronim dalam teks: belum dijabarkan di berkas, atau punya dua jabaran",
    ctx=True)
def acronym_notes(ctx: EvalContext, text: str | None, tree: Any, known: WordList) -> list[str]:
    if not text or _ACR.search(text) is None:
        return []
    key = ("acronyms", id(tree), id(known))
    index = ctx.cache.get(key)
    if index is None:  # once per check, in the check's context (it goes with the tree)
        index = ctx.cache[key] = _acronym_index(tree, known)
    _used, expansions, corpus = index
    notes: list[str] = []
    for m in _ACR.finditer(text):
        acr = m.group(0)
        exps = expansions.get(acr, set())
        if len(exps) > 1:
            note = f"{acr} dijabarkan berbeda: " + " / ".join(sorted(exps))
        elif not exps:
            full = known.mapping.get(acr.lower())
            if full is None or f" {' '.join(words_of(full))} " in corpus:
                continue
            note = f"{acr} belum dijabarkan ({full})"
        else:
            continue
        if note not in notes:
            notes.append(note)
    return notes
