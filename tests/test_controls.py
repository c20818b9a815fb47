"""Configuration, inline suppressions, waivers, baselines and grading, as a team uses them."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from kinerjalint.api import CheckOptions, check_file
from kinerjalint.grading import grade, predikat

from .conftest import FIXED, SAMPLE, run_cli

TREE = """\
pohon:
  level: outcome
  kinerja: Meningkatnya rasa aman masyarakat
  indikator: [{nama: Indeks rasa aman masyarakat, satuan: indeks, target: 80}]
  anak:
    - id: "1"
      level: csf
      kinerja: Meningkatkan kewaspadaan dini masyarakat
      indikator: [{nama: Persentase potensi konflik yang ditangani, satuan: "%", target: 90}]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def codes(res) -> list[str]:
    return [f.code for f in res.active]


def test_config_is_discovered_upwards_and_selects(tmp_path: Path) -> None:
    write(tmp_path, "kinerjalint.yaml", "ignore: [T3]\nseverity:\n  LNG-02: warning\n")
    sub = tmp_path / "opd" / "2026"
    sub.mkdir(parents=True)
    res = check_file(write(sub, "pohon.yaml", TREE))
    assert "T3-01" not in codes(res)
    lng = [f for f in res.active if f.code == "LNG-02"]
    assert lng and lng[0].severity.name == "warning"


def test_pyproject_config(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", "[project]\nname = 'x'\n\n[tool.kinerjalint]\nselect = [\"LNG-02\"]\n")
    res = check_file(write(tmp_path, "pohon.yaml", TREE))
    assert set(codes(res)) == {"LNG-02"}


def test_wrong_config_key_names_key_file_line_and_suggestion(tmp_path: Path) -> None:
    cfg = write(tmp_path, "kinerjalint.yaml", "select: [LNG]\nsevrity:\n  LNG-02: warning\n")
    r = run_cli("check", str(write(tmp_path, "pohon.yaml", TREE)))
    assert r.code == 2
    assert f"{cfg}:2" in r.err and "sevrity" in r.err and "severity" in r.err
    write(tmp_path, "kinerjalint.yaml", "profil:\n  l3_indikator: campur\n")
    r = run_cli("check", str(tmp_path / "pohon.yaml"))
    assert r.code == 2 and "l3_indikator" in r.err and ":2" in r.err


def test_strict_preset_and_fail_on(tmp_path: Path) -> None:
    write(tmp_path, "kinerjalint.yaml", "extends: strict\n")
    p = write(tmp_path, "pohon.yaml", TREE)
    assert run_cli("check", str(p), "--select", "T3-01").code == 1  # strict fails on warnings


def test_per_file_ignores(tmp_path: Path) -> None:
    write(tmp_path, "kinerjalint.yaml", "per_file_ignores:\n  'arsip/*.yaml': [LNG]\n")
    (tmp_path / "arsip").mkdir()
    res = check_file(write(tmp_path / "arsip", "lama.yaml", TREE))
    assert not any(c.startswith("LNG") for c in codes(res))
    assert any(c.startswith("LNG") for c in codes(check_file(write(tmp_path, "baru.yaml", TREE))))


def test_inline_suppression_with_reason(tmp_path: Path) -> None:
    text = TREE.replace("      kinerja: Meningkatkan kewaspadaan",
                        "      # kinerjalint: abaikan LNG-02 -- rumusan dari Renstra, direvisi 2027\n"
                        "      kinerja: Meningkatkan kewaspadaan")
    res = check_file(write(tmp_path, "p.yaml", text), CheckOptions(use_config=False))
    sup = [f for f in res.findings if f.status == "suppressed"]
    assert [f.code for f in sup] == ["LNG-02"] and "Renstra" in sup[0].status_reason
    assert "LNG-02" not in codes(res) and "SYS-03" not in codes(res)
    r = run_cli("check", str(tmp_path / "p.yaml"), "--no-config", "--select", "LNG-02")
    assert "1 dikecualikan" in r.out


def test_unused_and_reasonless_suppressions_are_sys03(tmp_path: Path) -> None:
    text = TREE.replace("  level: outcome", "  level: outcome  # kinerjalint: abaikan T3-03 -- tidak perlu")
    text = text.replace("      level: csf", "      level: csf  # kinerjalint: abaikan LNG-02")
    res = check_file(write(tmp_path, "p.yaml", text), CheckOptions(use_config=False))
    sys03 = [f for f in res.active if f.code == "SYS-03"]
    assert [f.line for f in sys03] == [2, 7]
    assert "alasan" in sys03[1].message("id")


def test_waivers_and_expiry(tmp_path: Path) -> None:
    today = dt.date.today()
    text = TREE + f"""pengecualian:
  - kode: LNG-02
    node: "1"
    alasan: menunggu revisi Renstra
    penyetuju: Inspektur
    kedaluwarsa: {today + dt.timedelta(days=30)}
  - kode: T3-01
    node: "1"
    alasan: cabang dihapus tahun depan
    kedaluwarsa: {today - dt.timedelta(days=1)}
  - kode: IND-04
    alasan: tidak terpakai
"""
    res = check_file(write(tmp_path, "p.yaml", text), CheckOptions(use_config=False))
    waived = [f.code for f in res.findings if f.status == "waived"]
    assert waived == ["LNG-02"]
    assert "T3-01" in codes(res)  # the expired waiver no longer applies
    assert "SYS-04" in codes(res) and "SYS-03" in codes(res)


def test_waiver_file_for_formats_without_comments(tmp_path: Path) -> None:
    waivers = write(tmp_path, "pengecualian.yaml", "- {kode: LNG-02, node: '1', alasan: revisi berjalan}\n")
    p = write(tmp_path, "p.yaml", TREE)
    res = check_file(p, CheckOptions(use_config=False, waivers=waivers))
    assert [f.code for f in res.findings if f.status == "waived"] == ["LNG-02"]


def test_baseline_round_trip_and_stale_entries(tmp_path: Path) -> None:
    work = tmp_path / "pohon.yaml"
    shutil.copy(SAMPLE, work)
    base = tmp_path / "baseline.json"
    r = run_cli("check", str(work), "--no-config", "--write-baseline", str(base))
    assert r.code == 1 and base.exists()
    r = run_cli("check", str(work), "--no-config", "--baseline", str(base), "--format", "json")
    doc = r.json()
    assert r.code == 0
    assert doc["summary"]["error"] == doc["summary"]["warning"] == doc["summary"]["info"] == 0
    assert any(f["status"] == "baselined" for f in doc["files"][0]["findings"])
    # Fix the root statement: its baseline entry becomes stale.
    work.write_text(work.read_text(encoding="utf-8").replace("Meningkatkan Rasa Aman", "Meningkatnya Rasa Aman"),
                    encoding="utf-8")
    r = run_cli("check", str(work), "--no-config", "--baseline", str(base), "--format", "json")
    stale = [f for f in r.json()["files"][0]["findings"] if f["code"] == "SYS-03"]
    assert stale and stale[0]["file"] == str(base)


def test_baseline_survives_reordering(tmp_path: Path) -> None:
    a = write(tmp_path, "a.yaml", TREE + "    - level: csf\n      kinerja: Mencegah konflik sosial\n"
                                          "      indikator: [{nama: Jumlah konflik sosial, satuan: kasus}]\n")
    base = tmp_path / "b.json"
    run_cli("check", str(a), "--no-config", "--write-baseline", str(base))
    lines = a.read_text().splitlines()
    reordered = "\n".join(lines[:5] + lines[9:] + lines[5:9]) + "\n"
    a.write_text(reordered, encoding="utf-8")
    r = run_cli("check", str(a), "--no-config", "--baseline", str(base), "--format", "json")
    assert r.json()["summary"]["error"] == 0, r.out


def test_grade_printed_and_in_json() -> None:
    r = run_cli("check", str(SAMPLE), str(FIXED), "--format", "json")
    grades = {Path(f["file"]).name: f["grade"] for f in r.json()["files"]}
    fixed, faithful = grades["balangan-kesbangpol-perbaikan.yaml"], grades["balangan-kesbangpol.yaml"]
    assert fixed["predikat"] == "AA" and fixed["score"] > faithful["score"]
    assert set(faithful["dimensions"]) == {"struktur", "tahap3", "bahasa", "indikator", "pemetaan"}
    r = run_cli("check", str(SAMPLE))
    assert "Nilai:" in r.out
    r = run_cli("explain", "--grading")
    assert r.code == 0 and "predikat" in r.out and "AKIP" in r.out


def test_grading_formula() -> None:
    assert [predikat(s) for s in (95, 90, 85, 75, 65, 55, 40, 10)] == ["AA", "A", "A", "BB", "B", "CC", "C", "D"]
    assert grade([], 10, 10).score == 100.0
    res = check_file(SAMPLE, CheckOptions(use_config=False))
    assert res.grade.gradable and 0 <= res.grade.score < 100


def test_sys_errors_make_the_grade_not_gradable(tmp_path: Path) -> None:
    res = check_file(write(tmp_path, "x.yaml", "pohon: [\n"), CheckOptions(use_config=False))
    assert not res.grade.gradable and res.grade.predikat == "tidak dapat dinilai"


def test_setting_reaches_rules(tmp_path: Path) -> None:
    folder = tmp_path / "aturan"
    folder.mkdir()
    (folder / "x.rules").write_text("""
rule XPR-01 profil-uji {
  severity info
  title id "uji" en "test"
  for node where node.level == antara
  report when setting("l3_indikator") == "hasil"
  message id "profil {setting('l3_indikator')}" en "profile {setting('l3_indikator')}"
  source "uji"
}
""", encoding="utf-8")
    (tmp_path / "kinerjalint.yaml").write_text(f"profil:\n  l3_indikator: hasil\nrules: [{folder}]\n")
    p = write(tmp_path, "p.yaml", "pohon: {level: antara, kinerja: Terpetakannya potensi konflik}\n")
    assert "XPR-01" in codes(check_file(p))
    (tmp_path / "kinerjalint.yaml").write_text(f"profil:\n  l3_indikator: keduanya\nrules: [{folder}]\n")
    from kinerjalint.config import load_config

    load_config.cache_clear()
    assert "XPR-01" not in codes(check_file(p))


def test_a_baseline_does_not_raise_the_grade(tmp_path: Path) -> None:
    """Issue 16.4: accepted findings still count in the grade; they are only listed apart."""
    work = tmp_path / "pohon.yaml"
    work.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    before = check_file(work, CheckOptions(use_config=False))
    base = tmp_path / "baseline.json"
    assert run_cli("check", str(work), "--no-config", "--write-baseline", str(base)).code in (0, 1)
    after = check_file(work, CheckOptions(use_config=False, baseline=base))
    assert before.grade and after.grade and before.grade.score is not None
    assert before.grade.score < 90
    assert after.accepted and not after.active
    assert (after.grade.score, after.grade.predikat) == (before.grade.score, before.grade.predikat)
