"""Precision of the full rulebook: correct trees of several agencies stay free of errors and
warnings, and the seed's known mistakes are still found (the T3/LNG/IND rules)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kinerjalint.api import CheckOptions, CheckResult, check_file
from kinerjalint.findings import Severity

from .conftest import FIXED, ROOT, SAMPLE, SAMPLES, line_of

DATA = ROOT / "tests" / "data"
GOOD_TREES = [FIXED, DATA / "dinkes-sehat.yaml", DATA / "disdik.yaml"]

# The rules this file guards (added with the T3/LNG/IND batch).
BATCH = {
    "STR-06", "T3-02", "T3-03", "T3-04", "T3-05", "T3-06", "T3-08", "T3-09",
    "LNG-04", "LNG-05", "LNG-06", "LNG-07", "LNG-08", "LNG-09",
    "IND-02", "IND-06", "IND-07", "IND-08", "IND-09", "IND-10", "IND-11", "IND-12", "IND-13", "IND-14",
}

BIDANG_KESBANGPOL = [
    "Ideologi Pancasila dan Wawasan Kebangsaan",
    "Kewaspadaan Nasional dan Penanganan Konflik",
    "Politik Dalam Negeri",
    "Ketahanan Ekonomi, Sosial dan Budaya",
    "Pemberdayaan dan Pengawasan Organisasi Kemasyarakatan",
]


def check(path: Path, config: Path | None = None) -> CheckResult:
    opts = CheckOptions(use_config=config is not None, config=config)
    result = check_file(path, opts)
    assert result.tree is not None, f"{path} did not load"
    return result


def serious(result: CheckResult) -> list[str]:
    return [f"{f.code} {f.line}: {f.message_id}" for f in result.active
            if f.severity in (Severity.error, Severity.warning)]


@pytest.fixture()
def kesbangpol_config(tmp_path: Path) -> Path:
    """A configuration as a Kesbangpol would write it: its nomenclature catalog and its bidang."""
    cfg = tmp_path / "kinerjalint.yaml"
    bidang = "".join(f'    - "{b}"\n' for b in BIDANG_KESBANGPOL)
    cfg.write_text(f"katalog: {SAMPLES / 'nomenklatur-8.01.csv'}\nkata:\n  bidang-opd:\n{bidang}", encoding="utf-8")
    return cfg


@pytest.mark.parametrize("path", GOOD_TREES, ids=lambda p: p.stem)
def test_correct_trees_have_no_error_or_warning(path: Path) -> None:
    result = check(path)
    assert len(result.tree.nodes) >= 25 or path == FIXED
    assert serious(result) == []


@pytest.mark.parametrize("path", GOOD_TREES[1:], ids=lambda p: p.stem)
def test_correct_trees_of_other_agencies_get_nothing_from_the_batch(path: Path) -> None:
    """Not even an info: these trees follow every guideline the batch checks."""
    result = check(path)
    found = [f"{f.code} {f.line}: {f.message_id}" for f in result.active if f.code in BATCH]
    assert found == []


def test_corrected_sample_stays_clean_with_catalog_and_bidang_configured(kesbangpol_config: Path) -> None:
    result = check(FIXED, kesbangpol_config)
    assert serious(result) == []


def codes_at(result: CheckResult, text: str) -> set[str]:
    line = line_of(SAMPLE, text)
    return {f.code for f in result.active if f.line == line}


def test_seed_mistakes_are_found() -> None:
    result = check(SAMPLE)
    # Guideline 3: conditions that name the bidang ("Pemantapan Pelaksanaan Bidang ...").
    for text in ("Pelaksanaan Bidang Ideologi Pancasila dan Wawasan Kebangsaan\"",
                 "Pelaksanaan Bidang Pemberdayaan dan Pengawasan Ormas\"",
                 "Pelaksanaan Bidang Ketahanan Ekonomi, Sosial dan Budaya\"",
                 "kinerja: \"Terumuskannya Kebijakan Teknis dan Pemantapan Pelaksanaan Bidang Pendidikan Politik"):
        assert "T3-03" in codes_at(result, text), text
    # Guideline 6: CSF 4 is marked crosscutting without partners.
    assert "T3-06" in codes_at(result, "kinerja: \"Terkoordinirnya batas wilayah")
    # Drift between condition and indicator: Wawasan Kebangsaan -> Karakter Kebangsaan.
    assert "IND-12" in codes_at(result, "Pelaksanaan Bidang Ideologi Pancasila dan Karakter Kebangsaan\"")
    # Spelling: Penyalagunaan, Kemasarakatan, Terkoordinirnya.
    assert "LNG-09" in codes_at(result, "kinerja: \"Terselenggaranya Koordinasi terkait Fasilitasi Pencegahan Penyalagunaan")
    assert "LNG-09" in codes_at(result, "Hubungan Sosial Kemasarakatan\"")
    assert "LNG-09" in codes_at(result, "kinerja: \"Terkoordinirnya batas wilayah")
    fixes = {f.fix.replacement for f in result.active if f.code == "LNG-09" and f.fix is not None}
    assert "Terselenggaranya Koordinasi terkait Fasilitasi Pencegahan Penyalahgunaan Narkotika (P4GN)" in fixes


def test_seed_spelling_keeps_names_acronyms_and_derived_words() -> None:
    result = check(SAMPLE)
    notes = " ".join(f.message_id for f in result.active if f.code == "LNG-09")
    assert "Penyalagunaan -> Penyalahgunaan" in notes
    for word in ("Pemilukada", "P4GN", "FKUB", "Kesbangpol", "Balangan", "Terselenggaranya", "Kewaspadaan",
                 "Kemasyarakatan"):
        assert f"{word} ->" not in notes, word


def test_seed_with_catalog_finds_copied_nomenclature(kesbangpol_config: Path, tmp_path: Path) -> None:
    seed = tmp_path / SAMPLE.name
    seed.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    result = check(seed, kesbangpol_config)
    t304 = {f.value: f.severity for f in result.active if f.code == "T3-04"}
    # "Terlaksananya Fasilitasi Forum ..." is the kegiatan "Pelaksanaan Fasilitasi Forum ..." as a condition.
    assert t304.get("Terlaksananya Fasilitasi Forum Koordinasi Pimpinan Daerah Kabupaten/Kota") == Severity.error
    assert any(f.code == "IND-08" for f in result.active)


def test_place_names_are_not_spell_corrected(tmp_path: Path) -> None:
    doc = tmp_path / "tempat.yaml"
    doc.write_text(
        "pemda: Kabupaten Pamekasan\n"
        "pohon:\n  level: operasional\n"
        "  kinerja: \"Terlayaninya Rujukan Ibu Hamil ke RSUD Sumedang dan RSUD Cianjur\"\n"
        "  indikator:\n    - {nama: \"Jumlah Ibu Hamil Pamekasan yang Dirujuk ke Kota Surabaya\", satuan: orang}\n",
        encoding="utf-8")
    result = check(doc)
    assert [f.message_id for f in result.active if f.code == "LNG-09"] == []
