"""The five levels of a pohon kinerja and every vocabulary agencies use for them."""

from __future__ import annotations

import re
from enum import IntEnum


class Level(IntEnum):
    """L0..L4; the integer value is the depth rank, so levels compare by depth."""

    outcome = 0
    csf = 1
    antara_utama = 2
    antara = 3
    operasional = 4

    @property
    def code(self) -> str:
        return f"L{self.value}"

    def label(self, lang: str = "id") -> str:
        return (_LABEL_EN if lang == "en" else _LABEL_ID)[self]

    def __str__(self) -> str:
        return self.label("id")


_LABEL_ID = {
    Level.outcome: "outcome (L0)",
    Level.csf: "CSF (L1)",
    Level.antara_utama: "kondisi antara utama (L2)",
    Level.antara: "kondisi antara (L3)",
    Level.operasional: "kondisi operasional (L4)",
}
_LABEL_EN = {
    Level.outcome: "outcome (L0)",
    Level.csf: "critical success factor (L1)",
    Level.antara_utama: "main intermediate condition (L2)",
    Level.antara: "intermediate condition (L3)",
    Level.operasional: "operational condition (L4)",
}

# FORMATS.md section 1: canonical name -> aliases, compared after normalise_phrase().
_ALIASES: dict[Level, tuple[str, ...]] = {
    Level.outcome: (
        "outcome", "tujuan", "tujuan skpd", "tujuan perangkat daerah", "tahap 1",
        "kinerja strategis skpd", "kinerja strategis perangkat daerah", "dampak", "l0",
    ),
    Level.csf: (
        "csf", "sasaran", "sasaran skpd", "sasaran strategis", "sasaran perangkat daerah",
        "sasaran pertama skpd", "tahap 2", "kinerja strategis", "critical success factor", "l1",
    ),
    Level.antara_utama: (
        "antara utama", "kondisi antara utama", "sasaran program", "program",
        "kinerja taktikal intermediate", "intermediate", "intermediate outcome", "l2",
    ),
    Level.antara: (
        "antara", "kondisi antara", "sasaran kegiatan", "kegiatan",
        "kinerja taktikal immediate", "immediate", "immediate outcome", "l3",
    ),
    Level.operasional: (
        "operasional", "kondisi operasional", "sasaran sub kegiatan", "sub kegiatan",
        "sasaran subkegiatan", "subkegiatan", "kinerja operasional", "output", "l4",
    ),
}
_LOOKUP: dict[str, Level] = {a: lvl for lvl, names in _ALIASES.items() for a in names}
_EXACT: dict[str, Level] = {lv.name: lv for lv in Level}
# Phrases that name Tahap 3 without saying which of its three levels.
AMBIGUOUS = frozenset({"tahap 3", "kondisi", "kinerja taktikal"})

_SEP = re.compile(r"[\s_.\-/]+")


def normalise_phrase(text: str) -> str:
    """'Sasaran_Sub-Kegiatan', ' tahap. 3 ' -> 'sasaran sub kegiatan', 'tahap 3'."""
    return _SEP.sub(" ", text.casefold()).strip()


def parse_level(value: object) -> Level | None:
    """A Level from any alias (or L0..L4, 0..4), or None when the phrase is unknown."""
    if isinstance(value, Level):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 4:
        return Level(value)
    if not isinstance(value, str):
        return None
    exact = _EXACT.get(value)  # the canonical names, as tree files mostly write them
    return exact if exact is not None else _LOOKUP.get(normalise_phrase(value))


def known_aliases() -> list[str]:
    return sorted(_LOOKUP)


def aliases(level: Level) -> tuple[str, ...]:
    """The names a level is known by (canonical name first), for documentation."""
    return (level.name, *(a for a in _ALIASES[level] if a != level.name))
