"""Targets and numbers: how a target cell is written (number, range, ratio, date, text)."""

from __future__ import annotations

from collections.abc import Sequence

from kinerjalint.dsl.registry import fn
from kinerjalint.tree import target_notation


@fn("cara penulisan target: angka, rentang ('80-85'), rasio ('1:500'), angka_satuan ('2 hari'), tanggal, "
    "teks ('Tersedia') atau kosong",
    examples=(
        ("target_kind('80-85')", "rentang"),
        ("target_kind('2,3:1000')", "rasio"),
        ("target_kind('2 hari')", "angka_satuan"),
        ("target_kind('2025-02-03')", "tanggal"),
        ("target_kind('Tersedia')", "teks"),
        ("target_kind('1.234,5')", "angka"),
    ))
def target_kind(text: str | None) -> str:
    return target_notation(text)[0]


@fn("angka pertama yang berpecahan (bukan bilangan bulat), atau none",
    examples=(("first_fraction([12, 12.5, 13])", 12.5), ("first_fraction([1, 2])", None)))
def first_fraction(values: Sequence[float]) -> float | None:
    for v in values:
        if v is not None and float(v) != int(float(v)):
            return v
    return None
