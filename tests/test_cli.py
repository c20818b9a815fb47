"""The CLI as a user runs it, on the Balangan samples."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from kinerjalint.resources import schema_dir

from .conftest import FIXED, SAMPLE, SAMPLES, line_of, run_cli


def findings(*args: str) -> list[dict]:
    r = run_cli("check", *args, "--format", "json")
    assert r.code in (0, 1), r.err
    return [f for file in r.json()["files"] for f in file["findings"]]


def at(fs: list[dict], code: str, path: Path, text: str) -> bool:
    line = line_of(path, text)
    return any(f["code"] == code and f["line"] == line for f in fs)


def test_sample_findings_are_at_the_offending_lines() -> None:
    fs = findings(str(SAMPLE))
    assert at(fs, "LNG-02", SAMPLE, "Meningkatkan Rasa Aman dan Harmonis")
    assert at(fs, "LNG-02", SAMPLE, "kinerja: \"Mencegah munculnya Potensi Konflik")
    assert at(fs, "STR-05", SAMPLE, "Terkoordinirnya batas wilayah")
    assert at(fs, "T3-01", SAMPLE, "Terkoordinirnya batas wilayah")
    assert at(fs, "IND-04", SAMPLE, "Jumlah Ormas yang aktif melaksanakan kegiatan")
    assert at(fs, "IND-01", SAMPLE, "Persentase Meningkatnya Partisipasi Masyarakat")
    assert at(fs, "IND-03", SAMPLE, "Kabupaten Balangan Zero Konflik Sosial")


def test_corrected_sample_has_no_error_or_warning() -> None:
    r = run_cli("check", str(FIXED), "--format", "json", "--fail-on", "warning")
    bad = [f for f in r.json()["files"][0]["findings"] if f["severity"] in ("error", "warning")]
    assert bad == [], bad
    assert r.code == 0


def test_exit_codes_follow_fail_on() -> None:
    assert run_cli("check", str(SAMPLE)).code == 1
    assert run_cli("check", str(SAMPLE), "--fail-on", "never").code == 0
    assert run_cli("check", str(FIXED), "--fail-on", "info").code in (0, 1)
    assert run_cli("check", "tidak-ada.yaml").code == 2
    assert run_cli("check", str(SAMPLE), "--select", "XYZ-99").code == 2
    assert run_cli("bogus").code == 2


def test_json_output_validates_against_the_shipped_schema() -> None:
    r = run_cli("check", str(SAMPLE), str(FIXED), "--format", "json")
    schema = json.loads((schema_dir() / "findings.schema.json").read_text())
    jsonschema.validate(r.json(), schema)
    doc = r.json()
    assert doc["schema_version"] == 1
    first = doc["files"][0]["findings"][0]
    for key in ("code", "name", "severity", "message", "file", "line", "column", "node_id", "path", "fix", "fingerprint"):
        assert key in first


def test_select_and_ignore_by_code_group_and_name() -> None:
    assert {f["code"] for f in findings(str(SAMPLE), "--select", "LNG-02")} == {"LNG-02"}
    assert {f["code"].split("-")[0] for f in findings(str(SAMPLE), "--select", "IND")} == {"IND"}
    assert {f["code"] for f in findings(str(SAMPLE), "--select", "diawali-kata-kerja")} == {"LNG-02"}
    assert "LNG-02" not in {f["code"] for f in findings(str(SAMPLE), "--ignore", "LNG")}


def test_english_messages() -> None:
    fs = findings(str(SAMPLE), "--select", "LNG-02", "--lang", "en")
    assert fs and all("active verb" in f["message"] for f in fs)


def test_tree_path_and_node_id() -> None:
    fs = findings(str(SAMPLE), "--select", "IND-04")
    ormas = next(f for f in fs if "Ormas" in f["message"])
    assert ormas["path"][0].startswith("Meningkatkan Rasa Aman")
    assert ormas["node_id"].count(".") >= 1


def test_text_output_shows_caret_and_summary() -> None:
    r = run_cli("check", str(SAMPLE), "--select", "LNG-02")
    assert "LNG-02" in r.out and "^^^" in r.out and "Ringkasan" in r.out


def test_folder_of_files_is_checked() -> None:
    r = run_cli("check", str(SAMPLES), "--format", "json")
    names = {Path(f["file"]).name for f in r.json()["files"]}
    assert {"balangan-kesbangpol.yaml", "balangan-kesbangpol-perbaikan.yaml"} <= names


def test_rules_listing_and_explain() -> None:
    r = run_cli("rules", "--format", "json")
    codes = {x["code"] for x in r.json()["rules"]}
    assert {"STR-01", "T3-07", "LNG-02", "IND-04", "SYS-01"} <= codes
    r = run_cli("explain", "LNG-02")
    assert r.code == 0 and "diawali-kata-kerja" in r.out and "MELANGGAR" in r.out
    r = run_cli("explain", "LNG-2")
    assert r.code == 2 and "LNG-02" in r.err


def test_schema_command_matches_the_shipped_schema() -> None:
    r = run_cli("schema")
    shipped = json.loads((schema_dir() / "pohon-kinerja.schema.json").read_text())
    assert json.loads(r.out) == shipped


def test_samples_validate_against_the_tree_schema() -> None:
    from ruamel.yaml import YAML

    schema = json.loads((schema_dir() / "pohon-kinerja.schema.json").read_text())
    for path in (SAMPLE, FIXED):
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)


def test_verify_runs_the_examples() -> None:
    r = run_cli("verify")
    assert r.code == 0 and " lolos, 0 gagal" in r.out
