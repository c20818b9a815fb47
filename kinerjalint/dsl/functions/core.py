"""Values and collections: settings, choice, sizes, first/last, minimum/maximum, joining."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from kinerjalint.bilingual import Said, join_said
from kinerjalint.dsl.registry import EvalContext, fn

SETTINGS = frozenset({"l3_indikator", "l3_pemilik"})


@fn("nilai pengaturan profil dari konfigurasi (l3_indikator, l3_pemilik)", ctx=True, cost=0, choices={0: SETTINGS})
def setting(ctx: EvalContext, name: str) -> str:
    return ctx.settings.get(name, "")


@fn("banyaknya unsur daftar atau panjang teks",
    examples=(("size(['a', 'b'])", 2), ("size('Kesbangpol')", 10),))
def size(x: Any) -> int:
    return 0 if x is None else len(x)


@fn("gabungkan teks dengan pemisah",
    examples=(("join(['Polres', 'Kodim', 'Kemenag'], ', ')", 'Polres, Kodim, Kemenag'),))
def join(items: Sequence[str] | None, sep: str) -> str:
    return join_said(sep, items or ())


@fn("pilih: bila syarat benar nilai kedua, bila tidak nilai ketiga "
    "(lebih mudah dibaca: if syarat then a else b)", returns="$1",
    examples=(("pick(2 > 1, 'naik', 'turun')", 'naik'),))
def pick(cond: bool, a: Any, b: Any) -> Any:
    return a if cond else b


@fn("nilai dalam tanda petik dua, petik di dalamnya diganti petik tunggal; "
    "dalam teks pesan ditulis {nilai:q}",
    examples=(('quote(\'Rasa "Aman"\')', '"Rasa \'Aman\'"'),))
def quote(value: Any) -> str:
    from kinerjalint.dsl.runtime import fmt

    text = value if isinstance(value, str) else fmt(value)
    quoted = '"' + text.replace('"', "'") + '"'
    if isinstance(value, Said):
        return Said(quoted, '"' + value.en.replace('"', "'") + '"')
    return quoted


@fn("teks dalam dua bahasa: pesan berbahasa Indonesia menampilkan teks pertama, pesan berbahasa Inggris "
    "yang kedua (untuk data aturan yang dikutip pesan)",
    examples=(("tr('spasi ganda', 'double spaces')", "spasi ganda"),
              ("tr('titik di akhir ', 'full stop at the end of the ') + tr('pernyataan', 'statement')",
               "titik di akhir pernyataan")))
def tr(id_text: str, en_text: str) -> str:
    return Said(id_text, en_text)


@fn("teks utama sebuah node (kinerja), indikator (nama) atau baris tabel (kinerja)")
def text_of(x: Any) -> str:
    if x is None:
        return ""
    if isinstance(x, str):
        return x
    value = getattr(x, "kinerja", None)
    if value is None:
        value = getattr(x, "nama", "")
    return str(value or "")


@fn("unsur pertama daftar (none bila kosong)", returns="$e0?",
    examples=(("first(words('Meningkatnya rasa aman'))", 'meningkatnya'), ('first([])', None),))
def first(items: Sequence[Any] | None) -> Any:
    return items[0] if items else None


@fn("unsur terakhir daftar", returns="$e0?",
    examples=(("last(words('Meningkatnya rasa aman'))", 'aman'),))
def last(items: Sequence[Any] | None) -> Any:
    return items[-1] if items else None


@fn("nilai terkecil",
    examples=(('minimum([75, 80, 85])', 75),))
def minimum(items: Sequence[float] | None) -> float | None:
    vals = [x for x in (items or ()) if x is not None]
    return min(vals) if vals else None


@fn("nilai terbesar",
    examples=(('maximum([75, 80, 85])', 85),))
def maximum(items: Sequence[float] | None) -> float | None:
    vals = [x for x in (items or ()) if x is not None]
    return max(vals) if vals else None


@fn("daftar tanpa unsur ganda (urutan tetap)", returns="$0",
    examples=(("unique(['FKUB', 'FKDM', 'FKUB'])", ['FKUB', 'FKDM']),))
def unique(items: Any) -> list[Any]:
    out: list[Any] = []
    for x in items or ():
        if x not in out:
            out.append(x)
    return out


@fn("jumlah nilai kunci unsur daftar, mis. total(xs, i -> i.target) (nilai kosong dilewati); "
    "none bila tidak ada angka",
    examples=(("total([80, 85, 90], x -> x)", 255), ("total([], x -> x)", None)))
def total(items: Sequence[Any] | None, key: Callable[[Any], Any]) -> float | None:
    values = [v for v in (key(x) for x in (items or ())) if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return float(sum(values)) if values else None
