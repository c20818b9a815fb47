"""The acceptance criteria of the issues, checked the way a user would check them."""

from __future__ import annotations

from kinerjalint.api import CheckOptions, check_file

from .conftest import SAMPLES, line_of

SAMPLE = SAMPLES / "balangan-kesbangpol.yaml"
XLSX = SAMPLES / "balangan-kesbangpol.xlsx"


def _codes_at(path, code: str, text: str) -> bool:
    res = check_file(path, CheckOptions(use_config=False))
    line = line_of(path, text)
    return any(f.code == code and f.line == line for f in res.active)


def test_rulebook_findings_on_the_balangan_sample() -> None:
    assert _codes_at(SAMPLE, "LNG-09", "Pencegahan Penyalagunaan Narkotika (P4GN) dan Fasilitasi FKUB")
    assert _codes_at(SAMPLE, "T3-03", "Pemantapan Pelaksanaan Bidang Ideologi Pancasila")
    assert _codes_at(SAMPLE, "T3-06", "Terkoordinirnya batas wilayah")
    assert _codes_at(SAMPLE, "IND-12", "Pelaksanaan Bidang Ideologi Pancasila dan Karakter Kebangsaan")


def test_workbook_findings_name_their_cells_and_compare_the_tables() -> None:
    res = check_file(XLSX, CheckOptions(use_config=False))
    refs = {f.ref for f in res.active}
    assert all(r and "!" in r for r in refs)
    con04 = [f.message("id") for f in res.active if f.code == "CON-04"]
    assert any("Terumuskannya -> Terumusannya" in m for m in con04)
    assert any("Kemesyarakatan" in m for m in con04)
    con05 = [f for f in res.active if f.code == "CON-05"]
    assert any("Ideologi Pancasila" in f.message("id") and f.ref.startswith("'Tahap 3'!") for f in con05)
    root = next(f for f in res.active if f.code == "LNG-02" and "Rasa Aman" in f.message("id"))
    assert root.ref.startswith("Pohon!")
