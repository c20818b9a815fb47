"""The grade of a submission: a 0-100 score, sub-scores per dimension, a SAKIP-style predikat.

The formula (printed by ``kinerjalint explain --grading``):

* Each finding belongs to a dimension by its rule group: Struktur (STR), Tahap 3 (T3),
  Bahasa kinerja (LNG), Indikator (IND), Pemetaan dan konsistensi (MAP, CON, NAM).
* A dimension checks units: nodes (indicators for IND). A unit's penalty is the weight of
  the worst active finding of that dimension on it: error 1.0, warning 0.5, info 0.1;
  a finding on no unit (the whole tree) counts as one unit.
* share = sum of penalties / number of units; sub-score = 100 x (1 - sqrt(share)). The
  square root makes the first problems count (one error in ten nodes costs about 32
  points) while the score still depends on the share, not on the size of the tree.
* score = weighted mean of the sub-scores: STR 20, T3 25, LNG 20, IND 25, MAP/CON/NAM 10.
* predikat: AA > 90, A > 80, BB > 70, B > 60, CC > 50, C > 30, D otherwise.
* A SYS-01/SYS-02 error makes the submission "tidak dapat dinilai" (not gradable).
* Suppressed, waived and baselined findings still count: the grade is the tree's quality,
  and an exception accepts a finding, it does not make the tree better. Reporters show the
  accepted findings apart ("dikecualikan"). Only the findings about the exceptions
  themselves (SYS-03 unused, SYS-04 expired) are not part of the tree's quality.

The score measures the quality of the tree as this tool sees it; it is not an official
AKIP evaluation result (PermenPANRB 88/2021).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kinerjalint.findings import Finding, Severity

DIMENSIONS: tuple[tuple[str, str, str, tuple[str, ...], int], ...] = (
    ("struktur", "Struktur", "Structure", ("STR",), 20),
    ("tahap3", "Tahap 3", "Tahap 3 guidelines", ("T3",), 25),
    ("bahasa", "Bahasa kinerja", "Statement language", ("LNG",), 20),
    ("indikator", "Indikator", "Indicators", ("IND",), 25),
    ("pemetaan", "Pemetaan dan konsistensi", "Mapping and consistency", ("MAP", "CON", "NAM"), 10),
)
WEIGHT = {Severity.error: 1.0, Severity.warning: 0.5, Severity.info: 0.1}
PREDIKAT = ((90, "AA"), (80, "A"), (70, "BB"), (60, "B"), (50, "CC"), (30, "C"))
NOT_GRADABLE = "tidak dapat dinilai"
_ABOUT_EXCEPTIONS = frozenset({"SYS-03", "SYS-04"})
DISCLAIMER_ID = "Nilai ini ukuran mutu pohon menurut kinerjalint, bukan hasil resmi evaluasi AKIP."
DISCLAIMER_EN = "This score is kinerjalint's measure of the tree's quality, not an official AKIP evaluation result."


def predikat(score: float) -> str:
    for floor, name in PREDIKAT:
        if score > floor:
            return name
    return "D"


@dataclass(frozen=True)
class Grade:
    gradable: bool
    score: float | None
    predikat: str
    dimensions: dict[str, float] = field(default_factory=dict)
    units: dict[str, int] = field(default_factory=dict)

    def summary(self, lang: str = "id") -> str:
        if not self.gradable:
            return ("Nilai: tidak dapat dinilai (berkas tidak terbaca atau tidak sesuai format)" if lang == "id"
                    else "Grade: not gradable (the file is unreadable or does not fit the format)")
        labels = {k: (lid if lang == "id" else len_) for k, lid, len_, _, _ in DIMENSIONS}
        dims = ", ".join(f"{labels[k]} {v:.0f}" for k, v in self.dimensions.items())
        head = "Nilai" if lang == "id" else "Score"
        return f"{head}: {self.score:.1f} ({self.predikat}) - {dims}"

    def to_dict(self) -> dict[str, Any]:
        return {"gradable": self.gradable, "score": self.score, "predikat": self.predikat,
                "dimensions": dict(self.dimensions), "units": dict(self.units),
                "disclaimer": DISCLAIMER_ID}


def grade(findings: Sequence[Finding], n_nodes: int, n_indicators: int, readable: bool = True) -> Grade:
    # Accepted findings count too (see the module docstring); SYS-03/SYS-04 are about the exceptions.
    active = [f for f in findings if f.code not in _ABOUT_EXCEPTIONS]
    if not readable or any(f.code in ("SYS-01", "SYS-02") and f.severity == Severity.error for f in active):
        return Grade(False, None, NOT_GRADABLE)
    dims: dict[str, float] = {}
    units_of: dict[str, int] = {}
    total = weight_sum = 0.0
    for key, _lid, _len, groups, weight in DIMENSIONS:
        units = max(1, n_indicators if key == "indikator" and n_indicators else n_nodes)
        worst: dict[str, float] = {}
        for f in active:
            if f.code.split("-")[0] not in groups:
                continue
            unit = f"{f.node_id}|{f.value}" if key == "indikator" else (f.node_id or f"~{f.code}")
            worst[unit] = max(worst.get(unit, 0.0), WEIGHT[f.severity])
        share = min(1.0, sum(worst.values()) / units)
        score = 100.0 * (1.0 - share ** 0.5)
        dims[key] = round(score, 1)
        units_of[key] = units
        total += score * weight
        weight_sum += weight
    final = round(total / weight_sum, 1)
    return Grade(True, final, predikat(final), dims, units_of)


EXPLAIN_ID = """\
* Setiap temuan masuk satu dimensi menurut kelompok aturannya: Struktur (STR), Tahap 3 (T3),
  Bahasa kinerja (LNG), Indikator (IND), Pemetaan dan konsistensi (MAP, CON, NAM).
* Dimensi memeriksa unit: node (indikator untuk IND). Penalti sebuah unit adalah bobot temuan
  aktif terberat dimensi itu pada unit tersebut: galat 1,0; peringatan 0,5; info 0,1. Temuan
  yang tidak melekat pada unit (seluruh pohon) dihitung satu unit.
* porsi = jumlah penalti / banyak unit; sub-nilai = 100 x (1 - akar(porsi)). Akar kuadrat
  membuat masalah pertama terasa (satu galat dari sepuluh node mengurangi sekitar 32 poin),
  tetapi nilai tetap bergantung pada porsi, bukan pada besar pohon.
* nilai = rata-rata berbobot sub-nilai: STR 20, T3 25, LNG 20, IND 25, MAP/CON/NAM 10.
* predikat: AA > 90, A > 80, BB > 70, B > 60, CC > 50, C > 30, selain itu D.
* Galat SYS-01/SYS-02 membuat berkas "tidak dapat dinilai".
* Temuan yang dikecualikan (abaikan, pengecualian, baseline) tetap dihitung: nilai adalah mutu
  pohon, dan pengecualian menerima temuan tanpa memperbaiki pohon. Temuan itu ditampilkan
  terpisah ("dikecualikan"). Hanya temuan tentang pengecualian itu sendiri (SYS-03, SYS-04)
  tidak dihitung."""


def explain(lang: str = "id") -> str:
    if lang == "en":
        doc = __doc__ or ""
        body = "\n".join(doc.split("The formula", 1)[1].splitlines()[1:]).split("\n\nThe score measures")[0]
        return f"kinerjalint: grading formula\n\n{body.strip()}\n\n{DISCLAIMER_EN}\n"
    return f"kinerjalint: rumus penilaian\n\n{EXPLAIN_ID}\n\n{DISCLAIMER_ID}\n"
