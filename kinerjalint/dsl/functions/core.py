"""Values and collections: settings, choice, sizes, first/last, minimum/maximum, joining."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kinerjalint.dsl.registry import EvalContext, fn

SETTINGS = frozenset({"l3_indikator", "l3_pemilik"})


@fn("str", "str", "nilai pengaturan profil dari konfigurasi (l3_indikator, l3_pemilik)", ctx=True, cost=0,
    choices={0: SETTINGS})
def setting(ctx: EvalContext, name: str) -> str:
    return ctx.settings.get(name, "")


@fn("any", "num", "banyaknya unsur daftar atau panjang teks")
def size(x: Any) -> int:
    return 0 if x is None else len(x)


@fn("list[str],str", "str", "gabungkan teks dengan pemisah")
def join(items: Sequence[str] | None, sep: str) -> str:
    return sep.join(str(x) for x in (items or ()) if x is not None)


@fn("bool,any,any", "$1", "pilih: bila syarat benar nilai kedua, bila tidak nilai ketiga "
    "(lebih mudah dibaca: if syarat then a else b)")
def pick(cond: Any, a: Any, b: Any) -> Any:
    return a if cond else b


@fn("any", "str", "nilai dalam tanda petik dua, petik di dalamnya diganti petik tunggal; "
    "dalam teks pesan ditulis {nilai:q}")
def quote(value: Any) -> str:
    from kinerjalint.dsl.runtime import fmt

    text = value if isinstance(value, str) else fmt(value)
    return '"' + text.replace('"', "'") + '"'


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


@fn("any", "$0", "daftar tanpa unsur ganda (urutan tetap)")
def unique(items: Any) -> list[Any]:
    out: list[Any] = []
    for x in items or ():
        if x not in out:
            out.append(x)
    return out


@fn("any,fn", "num?", "jumlah nilai kunci unsur daftar, mis. total(xs, i -> i.target) (nilai kosong dilewati); "
    "none bila tidak ada angka")
def total(items: Sequence[Any] | None, key: Any) -> float | None:
    values = [v for v in (key(x) for x in (items or ())) if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return float(sum(values)) if values else None
