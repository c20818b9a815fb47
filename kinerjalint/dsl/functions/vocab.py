"""Word lists (``rules/words``): look-up, membership, classes, entries as written."""

from __future__ import annotations

from collections.abc import Sequence

from kinerjalint.dsl.registry import fn
from kinerjalint.dsl.wordlists import WordList, words_of


@fn("nilai pasangan kata dalam daftar .tsv (mis. kata kerja -> bentuk kondisi)",
    examples=(
        ("lookup(list kata-kerja-kondisi, 'Meningkatkan')", 'Meningkatnya'),
        ("lookup(list kata-kerja-kondisi, 'Rapat')", None),
    ))
def lookup(wl: WordList, key: str | None) -> str | None:
    return wl.lookup(key)


@fn("unsur daftar pertama yang muncul (kata utuh) dalam teks",
    examples=(
        ("find(list aktor-eksternal, 'Menurunnya konflik sosial bersama Polres dan Kodim')", 'Polres'),
    ))
def find(wl: WordList, text: str | None) -> str | None:
    return wl.find(text)


@fn("semua unsur daftar yang muncul dalam teks",
    examples=(
        ("find_all(list aktor-eksternal, 'Menurunnya konflik sosial bersama Polres dan Kodim')", ['Polres', 'Kodim']),
    ))
def find_all(wl: WordList, text: str | None) -> list[str]:
    return wl.find_all(text)


@fn("unsur daftar yang mengawali teks",
    examples=(("prefix_in(list ukuran-hasil, 'Persentase konflik yang ditangani')", 'Persentase'),))
def prefix_in(wl: WordList, text: str | None) -> str | None:
    return wl.prefix(text)


_ENTRIES: dict[int, tuple[WordList, list[str]]] = {}


@fn("unsur daftar kata seperti tertulis (mis. nama nomenklatur dari konfigurasi); "
    "daftar yang sama setiap kali, sehingga indeks best_match dibangun sekali",
    examples=(('size(entries(list satuan-persen)) > 0', True),))
def entries(wl: WordList) -> list[str]:
    cached = _ENTRIES.get(id(wl))
    if cached is None or cached[0] is not wl:
        if len(_ENTRIES) > 64:
            _ENTRIES.clear()
        cached = _ENTRIES[id(wl)] = (wl, sorted(wl.originals.get(k, k) for k in wl.entries))
    return cached[1]


_EXTENDED: dict[tuple[int, tuple[str, ...]], tuple[WordList, WordList]] = {}


@fn("daftar kata ditambah entri lain (mis. nama-nama dari berkas yang diperiksa)",
    examples=(("find(with_words(list kata-henti, ['Paringin']), 'Kecamatan Paringin')", 'paringin'),))
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


@fn("kelas dari daftar pasangan .tsv: nilai entri pertama yang muncul dalam teks",
    examples=(
        ("classify(list pemilik-kelas, 'Kepala Bidang Kewaspadaan Nasional')", 'administrator'),
        ("classify(list pemilik-kelas, 'Kepala Badan')", 'jpt'),
    ))
def classify(wl: WordList, text: str | None) -> str | None:
    found = wl.find(text)
    return wl.lookup(found) if found is not None else None


@fn("semua kelas berbeda dari daftar pasangan .tsv yang muncul dalam teks",
    examples=(
        ("classify_all(list pemilik-kelas, 'Kepala Badan dan Kepala Bidang')", ['jpt', 'administrator']),
    ))
def classify_all(wl: WordList, text: str | None) -> list[str]:
    out: list[str] = []
    for entry in wl.find_all(text):
        cls = wl.lookup(entry)
        if cls is not None and cls not in out:
            out.append(cls)
    return out
