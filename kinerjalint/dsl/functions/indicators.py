"""Indicators and units: the unit family of a counted noun (IND-06)."""

from __future__ import annotations

from kinerjalint.dsl.registry import fn
from kinerjalint.dsl.wordlists import WordList, words_of


def _family(table: WordList, noun: str | None) -> list[str]:
    if not noun:
        return []
    units = table.lookup(noun)
    return [u.strip() for u in units.split(",") if u.strip()] if units else []


@fn("satuan yang dapat menghitung kata benda itu (tabel kata benda -> keluarga satuan, mis. laporan -> "
    "laporan, dokumen, ...)",
    examples=(
        ("'dokumen' in unit_family(list satuan-benda, 'Laporan')", True),
        ("unit_family(list satuan-benda, 'mebel')", []),
    ))
def unit_family(table: WordList, noun: str | None) -> list[str]:
    return _family(table, noun)


@fn("satuan termasuk keluarga satuan kata benda itu ('Dokumen' untuk 'laporan'); benar juga bila kata "
    "bendanya tidak ada di tabel",
    examples=(
        ("unit_fits(list satuan-benda, 'Laporan', 'Dokumen')", True),
        ("unit_fits(list satuan-benda, 'Peserta', 'Dokumen')", False),
        ("unit_fits(list satuan-benda, 'Mebel', 'Unit')", True),
    ))
def unit_fits(table: WordList, noun: str | None, unit: str | None) -> bool:
    family = _family(table, noun)
    if not family or not unit:
        return True
    said = " ".join(words_of(unit))
    return any(" ".join(words_of(u)) == said for u in family) or any(
        said.startswith(" ".join(words_of(u)) + " ") for u in family)
