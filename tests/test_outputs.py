"""Fixes, diffs, several report formats in one run, verify, and the pre-commit hooks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXED, ROOT, SAMPLE, run_cli


def test_several_formats_in_one_run(tmp_path: Path) -> None:
    sarif, junit = tmp_path / "out.sarif", tmp_path / "out.xml"
    r = run_cli("check", str(SAMPLE), "--format", "sarif", "--output", str(sarif),
                "--format", "junit", "--output", str(junit), "--format", "text")
    assert r.code == 1
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    assert junit.read_text().startswith("<?xml")
    assert "LNG-02" in r.out and "Ringkasan" in r.out
    assert run_cli("check", str(SAMPLE), "-o", "a", "-o", "b").code == 2


def test_github_and_markdown_formats() -> None:
    r = run_cli("check", str(SAMPLE), "--format", "github", "--select", "LNG-02")
    assert r.out.startswith("::error file=")
    r = run_cli("check", str(SAMPLE), "--format", "markdown", "--select", "LNG-02")
    assert "LNG-02" in r.out and "|" in r.out


def test_fix_changes_the_verb_and_keeps_every_comment(tmp_path: Path) -> None:
    work = tmp_path / "pohon.yaml"
    shutil.copy(SAMPLE, work)
    before = work.read_text(encoding="utf-8")
    comments = [ln for ln in before.splitlines() if ln.lstrip().startswith("#")]
    r = run_cli("check", str(work), "--fix", "--no-config")
    after = work.read_text(encoding="utf-8")
    assert '\n  kinerja: "Meningkatnya Rasa Aman dan Harmonis' in after  # the root node
    assert '\n  kinerja: "Meningkatkan Rasa Aman' not in after
    # The Tahap 5 table's copy of the same text is fixed with it; the Tahap 4 row that spells
    # it differently ("Kemesyarakatan") is left as the agency wrote it.
    assert after.count("Meningkatnya Rasa Aman dan Harmonis dalam Hubungan Sosial Kemasyarakatan") == 2
    assert after.count("Meningkatkan Rasa Aman") == 1
    assert [ln for ln in after.splitlines() if ln.lstrip().startswith("#")] == comments
    # Only the fixed values changed: same number of lines, same keys in the same order.
    assert len(after.splitlines()) == len(before.splitlines())
    assert [ln.split(":")[0] for ln in after.splitlines()] == [ln.split(":")[0] for ln in before.splitlines()]
    assert "perbaikan ditulis" in r.err  # on stderr: a report on stdout stays readable
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".pohon.yaml.")]  # no temp file left
    # The re-lint no longer reports the fixed statement.
    r = run_cli("check", str(work), "--no-config", "--select", "LNG-02", "--format", "json")
    assert not [f for f in r.json()["files"][0]["findings"] if "Rasa Aman" in f["message"]]


def test_diff_flag_shows_without_writing(tmp_path: Path) -> None:
    work = tmp_path / "pohon.yaml"
    shutil.copy(SAMPLE, work)
    before = work.read_bytes()
    r = run_cli("check", str(work), "--diff", "--no-config", "--select", "LNG-02")
    assert "-  kinerja: \"Meningkatkan Rasa Aman" in r.out and "+  kinerja: \"Meningkatnya Rasa Aman" in r.out
    assert work.read_bytes() == before


def test_fix_refuses_a_file_it_could_not_read(tmp_path: Path) -> None:
    bad = tmp_path / "rusak.yaml"
    bad.write_text("pohon:\n  level: tahap sembilan\n  kinerja: Meningkatkan rasa aman\n", encoding="utf-8")
    before = bad.read_bytes()
    r = run_cli("check", str(bad), "--fix", "--no-config")
    assert bad.read_bytes() == before and "tidak diperbaiki" in r.err


def test_fix_keeps_plain_scalars_plain(tmp_path: Path) -> None:
    p = tmp_path / "p.yaml"
    p.write_text("# pohon uji\npohon:\n  level: outcome  # akar\n  kinerja: Meningkatkan rasa aman   # dari Renstra\n",
                 encoding="utf-8")
    run_cli("check", str(p), "--fix", "--no-config", "--select", "LNG-02")
    assert p.read_text() == "# pohon uji\npohon:\n  level: outcome  # akar\n  kinerja: Meningkatnya rasa aman   # dari Renstra\n"


def test_diff_between_submissions() -> None:
    r = run_cli("diff", str(SAMPLE), str(FIXED))
    assert "Temuan selesai" in r.out and "Nilai:" in r.out
    r = run_cli("diff", str(SAMPLE), str(FIXED), "--format", "json")
    d = r.json()
    assert d["score"]["change"] > 0 and len(d["resolved"]) > 10
    assert any(f["code"] == "LNG-02" for f in d["resolved"])


def test_diff_survives_reordering_and_reexport(tmp_path: Path) -> None:
    r = run_cli("diff", str(SAMPLE), str(ROOT / "samples" / "balangan-kesbangpol.xlsx"), "--format", "json")
    d = r.json()
    assert d["new"] == [] and d["resolved"] == [], (d["new"][:3], d["resolved"][:3])
    assert len(d["persisting"]) > 10


def test_verify_a_rule_folder(tmp_path: Path) -> None:
    folder = tmp_path / "aturan"
    folder.mkdir()
    (folder / "x.rules").write_text("""
rule XVR-01 contoh {
  severity warning
  title id "contoh" en "example"
  for node
  report when node.kinerja starts with "Mencegah"
  message id "m" en "m"
  source "uji"
  example fail { level: outcome, kinerja: "Meningkatnya rasa aman" }
  example pass { level: outcome, kinerja: "Meningkatnya rasa aman" }
}
""", encoding="utf-8")
    r = run_cli("verify", str(folder))
    assert r.code == 1 and "GAGAL XVR-01_fail1" in r.out and "1 lolos, 1 gagal" in r.out


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_hook_through_the_real_tool(tmp_path: Path) -> None:
    pre_commit = Path(sys.executable).parent / "pre-commit"
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed (pip install pre-commit)")
    repo = tmp_path / "repo"
    repo.mkdir()
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}

    def git(*a: str) -> None:
        subprocess.run(["git", *a], cwd=repo, check=True, env=env, capture_output=True)

    git("init", "-q")
    shutil.copy(SAMPLE, repo / "pohon-buruk.yaml")
    shutil.copy(FIXED, repo / "pohon-baik.yaml")
    (repo / "lain.yaml").write_text("bukan: pohon\n")
    git("add", ".")

    def hook(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(pre_commit), "try-repo", str(ROOT), "kinerjalint", "--files", *files],
                              cwd=repo, env=env, capture_output=True, text=True, timeout=900)

    bad = hook("pohon-buruk.yaml", "lain.yaml")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "LNG-02" in bad.stdout
    good = hook("pohon-baik.yaml", "lain.yaml")
    assert good.returncode == 0, good.stdout + good.stderr


def test_diff_json_names_both_files() -> None:
    d = run_cli("diff", str(SAMPLE), str(FIXED), "--format", "json").json()
    assert d["old_file"] == str(SAMPLE) and d["new_file"] == str(FIXED)
